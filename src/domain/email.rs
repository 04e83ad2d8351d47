//! E-mail addresses of alert recipients.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an e-mail address (expected something like ops@example.com)")]
pub struct EmailError(pub String);

impl EmailAddress {
    /// A pragmatic check: one `@`, a local part, and a domain of dot-separated labels.
    /// The SMTP server has the last word; this catches typos before they are stored.
    pub fn parse(raw: &str) -> Result<EmailAddress, EmailError> {
        let raw = raw.trim();
        let invalid = || EmailError(raw.to_owned());
        if raw.len() > 254 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = raw.rsplit_once('@').ok_or_else(invalid)?;
        if local.is_empty() || local.len() > 64 || local.contains('@') || local.contains(['<', '>', ',', ';']) {
            return Err(invalid());
        }
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
        if !labels_ok {
            return Err(invalid());
        }
        Ok(EmailAddress(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass() {
        for ok in ["ops@example.com", "first.last+alerts@sub.example.co.uk", "root@localhost"] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn typos_are_caught() {
        for bad in [
            "",
            "ops",
            "@example.com",
            "ops@",
            "ops@@example.com",
            "ops@exa mple.com",
            "a@b..c",
            "x@-a.com",
            "a,b@c.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
