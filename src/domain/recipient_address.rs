//! Where a recipient's alerts go: an e-mail address or a phone number, from one parser.

use std::fmt;

use super::email::EmailAddress;
use super::phone::PhoneNumber;

/// How a recipient is reached, as stored in `recipients.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecipientKind {
    Email,
    Phone,
}

impl RecipientKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientKind::Email => "email",
            RecipientKind::Phone => "phone",
        }
    }

    pub fn parse(word: &str) -> Option<RecipientKind> {
        [RecipientKind::Email, RecipientKind::Phone].into_iter().find(|k| k.as_str() == word)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientAddress {
    Email(EmailAddress),
    Phone(PhoneNumber),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "`{0}` is neither an e-mail address (like ops@example.com) nor a phone number in international form \
     (+ then 8 to 15 digits, like +447700900123)"
)]
pub struct AddressError(pub String);

impl RecipientAddress {
    /// An e-mail address when the text has an `@`, else a phone number; anything else is
    /// refused with a message naming both forms.
    pub fn parse(raw: &str) -> Result<RecipientAddress, AddressError> {
        let refused = || AddressError(raw.trim().to_owned());
        if raw.contains('@') {
            EmailAddress::parse(raw).map(RecipientAddress::Email).map_err(|_| refused())
        } else {
            PhoneNumber::parse(raw).map(RecipientAddress::Phone).map_err(|_| refused())
        }
    }

    pub fn kind(&self) -> RecipientKind {
        match self {
            RecipientAddress::Email(_) => RecipientKind::Email,
            RecipientAddress::Phone(_) => RecipientKind::Phone,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RecipientAddress::Email(email) => email.as_str(),
            RecipientAddress::Phone(phone) => phone.as_str(),
        }
    }

    /// The form two addresses are compared in: e-mail without regard to case, phones digit
    /// for digit (they are stored without separators).
    pub fn comparable(&self) -> String {
        self.as_str().to_lowercase()
    }
}

impl fmt::Display for RecipientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_at_sign_makes_an_email_address_else_a_phone_number() {
        let email = RecipientAddress::parse("ops@example.com").unwrap();
        assert_eq!((email.kind(), email.as_str()), (RecipientKind::Email, "ops@example.com"));
        let phone = RecipientAddress::parse("+44 7700 900123").unwrap();
        assert_eq!((phone.kind(), phone.as_str()), (RecipientKind::Phone, "+447700900123"));
    }

    #[test]
    fn anything_else_is_refused_naming_both_forms() {
        for bad in ["ops", "ops@", "07700900123", "", "+44", "call me"] {
            let error = RecipientAddress::parse(bad).unwrap_err().to_string();
            assert!(error.contains("e-mail address") && error.contains("phone number"), "{bad}: {error}");
        }
    }

    #[test]
    fn kinds_round_trip_through_their_words() {
        for kind in [RecipientKind::Email, RecipientKind::Phone] {
            assert_eq!(RecipientKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(RecipientKind::parse("fax"), None);
    }
}
