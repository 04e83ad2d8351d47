//! Phone numbers of SMS recipients, in international (E.164) form.

use std::fmt;

/// `+` then 8 to 15 digits, the first not 0: what SMS gateways take as a destination.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "`{0}` is not a phone number in international form (+ then 8 to 15 digits, the first not 0, like +447700900123)"
)]
pub struct PhoneError(pub String);

/// What people put between digit groups; dropped before the number is checked.
const SEPARATORS: [char; 5] = [' ', '.', '-', '(', ')'];

impl PhoneNumber {
    /// Accepts `+44 7700 900123`, `+1 (555) 010-0199`, `+33.6.12.34.56.78`; refuses numbers
    /// without the country code (`07700 900123`), since a gateway cannot guess it.
    pub fn parse(raw: &str) -> Result<PhoneNumber, PhoneError> {
        let trimmed = raw.trim();
        let invalid = || PhoneError(trimmed.to_owned());
        let compact: String = trimmed.chars().filter(|c| !SEPARATORS.contains(c)).collect();
        let digits = compact.strip_prefix('+').ok_or_else(invalid)?;
        let well_formed =
            (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
        if !well_formed {
            return Err(invalid());
        }
        Ok(PhoneNumber(compact))
    }

    /// The number as gateways take it: `+447700900123`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_dropped() {
        for (raw, expected) in [
            ("+447700900123", "+447700900123"),
            (" +44 7700 900123 ", "+447700900123"),
            ("+1 (555) 010-0199", "+15550100199"),
            ("+33.6.12.34.56.78", "+33612345678"),
            ("+12345678", "+12345678"),
            ("+123456789012345", "+123456789012345"),
        ] {
            assert_eq!(PhoneNumber::parse(raw).unwrap().as_str(), expected, "{raw}");
        }
    }

    #[test]
    fn anything_but_e164_is_refused() {
        for bad in [
            "",
            "+",
            "07700 900123",
            "447700900123",
            "+0447700900123",
            "+1234567",
            "+1234567890123456",
            "+44 7700 9OO123",
            "+44/7700900123",
            "++447700900123",
            "+44 7700 900123 ext 2",
        ] {
            let error = PhoneNumber::parse(bad).unwrap_err().to_string();
            assert!(error.contains("international form") && error.contains("+447700900123"), "{bad}: {error}");
        }
    }
}
