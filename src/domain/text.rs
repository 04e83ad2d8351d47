//! The one policy for text that comes from outside: no NUL or other control characters, and
//! a bounded length. Typed values (`Name`, `Slug`, `SiteUrl`, ...) apply it when they parse;
//! lookups apply it before a query, so nothing reaches a database that would refuse it (PostgreSQL
//! rejects NUL in text, and index entries past a few kilobytes).

/// The longest text a request line or a lookup key is allowed, in characters.
pub const MAX_KEY_CHARS: usize = 2_048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("contains a control character (such as NUL or a line break)")]
    ControlCharacter,
    #[error("is longer than {0} characters")]
    TooLong(usize),
}

/// Checks one line of text: no control characters at all, at most `max_chars` characters.
pub fn check_line(text: &str, max_chars: usize) -> Result<(), TextError> {
    if text.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter);
    }
    if text.chars().nth(max_chars).is_some() {
        return Err(TextError::TooLong(max_chars));
    }
    Ok(())
}

/// True when `key` could be a stored slug, user name, URL or name: a lookup for anything else
/// finds nothing, without asking the database.
pub fn could_be_stored(key: &str, max_chars: usize) -> bool {
    check_line(key, max_chars).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_long_text_are_refused() {
        assert_eq!(check_line("shop", 64), Ok(()));
        assert_eq!(check_line("ad\0min", 64), Err(TextError::ControlCharacter));
        assert_eq!(check_line("a\nb", 64), Err(TextError::ControlCharacter));
        assert_eq!(check_line(&"é".repeat(65), 64), Err(TextError::TooLong(64)));
        assert!(check_line(&"é".repeat(64), 64).is_ok());
        assert!(!could_be_stored(&"u".repeat(20_000), 64));
    }
}
