//! Display names for groups, sites and users, checked once where they enter the system.

use std::fmt;

pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameError {
    #[error("a name cannot be empty")]
    Empty,
    #[error("a name is at most {MAX_NAME_CHARS} characters (got {0})")]
    TooLong(usize),
    #[error("a name cannot contain control characters such as tabs or line breaks")]
    ControlCharacter,
}

impl Name {
    pub fn parse(raw: &str) -> Result<Name, NameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(NameError::Empty);
        }
        let chars = trimmed.chars().count();
        if chars > MAX_NAME_CHARS {
            return Err(NameError::TooLong(chars));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(NameError::ControlCharacter);
        }
        Ok(Name(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const MAX_USERNAME_CHARS: usize = 64;

/// A login name: what `Name` allows, minus whitespace, so it can be typed on a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UsernameError {
    #[error("a user name cannot be empty")]
    Empty,
    #[error("a user name is at most 64 characters")]
    TooLong,
    #[error("a user name may hold letters, digits, `.`, `_`, `-` and `@` only (got `{0}`)")]
    BadCharacters(String),
}

impl Username {
    pub fn parse(raw: &str) -> Result<Username, UsernameError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(UsernameError::Empty);
        }
        if raw.chars().count() > MAX_USERNAME_CHARS {
            return Err(UsernameError::TooLong);
        }
        if !raw.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
            return Err(UsernameError::BadCharacters(raw.to_owned()));
        }
        Ok(Username(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("  Shop  ").unwrap().as_str(), "Shop");
        assert_eq!(Name::parse("   "), Err(NameError::Empty));
        assert_eq!(Name::parse(&"é".repeat(101)), Err(NameError::TooLong(101)));
        assert!(Name::parse(&"é".repeat(100)).is_ok());
        assert_eq!(Name::parse("a\nb"), Err(NameError::ControlCharacter));
    }

    #[test]
    fn markup_is_a_valid_name_and_left_to_the_templates_to_escape() {
        assert!(Name::parse("<script>alert(1)</script>").is_ok());
    }

    #[test]
    fn usernames_allow_email_like_names_but_no_spaces() {
        assert!(Username::parse("alice.smith@example.com").is_ok());
        assert!(matches!(Username::parse("alice smith"), Err(UsernameError::BadCharacters(_))));
        assert_eq!(Username::parse(""), Err(UsernameError::Empty));
    }
}
