//! Free text that describes a group: bounded, and free of control characters other than line
//! breaks and tabs, so it can be shown anywhere and stored by either database.

use std::fmt;

pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Description(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DescriptionError {
    #[error("a description is at most {MAX_DESCRIPTION_CHARS} characters (got {0})")]
    TooLong(usize),
    #[error("a description cannot contain control characters other than line breaks and tabs")]
    ControlCharacter,
}

impl Description {
    /// Trims the ends; an empty description is allowed.
    pub fn parse(raw: &str) -> Result<Description, DescriptionError> {
        let trimmed = raw.trim();
        let chars = trimmed.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            return Err(DescriptionError::TooLong(chars));
        }
        if trimmed.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err(DescriptionError::ControlCharacter);
        }
        Ok(Description(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_trimmed_bounded_and_may_span_lines() {
        assert_eq!(Description::parse("  Shops\nand carts ").unwrap().as_str(), "Shops\nand carts");
        assert_eq!(Description::parse("").unwrap().as_str(), "");
        assert_eq!(Description::parse(&"d".repeat(2_001)), Err(DescriptionError::TooLong(2_001)));
        assert_eq!(Description::parse("a\0b"), Err(DescriptionError::ControlCharacter));
    }
}
