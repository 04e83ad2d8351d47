//! Incident notes: where the people fixing an outage are (`investigating` ... `resolved`) and
//! what they say about it.

use std::fmt;

/// The stage an incident note reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl NoteStatus {
    pub const ALL: [NoteStatus; 4] =
        [NoteStatus::Investigating, NoteStatus::Identified, NoteStatus::Monitoring, NoteStatus::Resolved];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteStatus::Investigating => "investigating",
            NoteStatus::Identified => "identified",
            NoteStatus::Monitoring => "monitoring",
            NoteStatus::Resolved => "resolved",
        }
    }

    /// The word shown to people: "Investigating".
    pub fn label(self) -> &'static str {
        match self {
            NoteStatus::Investigating => "Investigating",
            NoteStatus::Identified => "Identified",
            NoteStatus::Monitoring => "Monitoring",
            NoteStatus::Resolved => "Resolved",
        }
    }

    pub fn parse(raw: &str) -> Result<NoteStatus, NoteError> {
        let word = raw.trim().to_lowercase();
        NoteStatus::ALL.into_iter().find(|s| s.as_str() == word).ok_or_else(|| NoteError::Status(raw.to_owned()))
    }
}

impl fmt::Display for NoteStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest note kept; a status update, not a post-mortem.
pub const MAX_NOTE_CHARS: usize = 5_000;

/// A note's text: not empty, bounded, no control characters but line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteMessage(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NoteError {
    #[error("`{0}` is not a note status; use investigating, identified, monitoring or resolved")]
    Status(String),
    #[error("a note needs a message")]
    Empty,
    #[error("a note is at most {MAX_NOTE_CHARS} characters (got {0})")]
    TooLong(usize),
    #[error("a note cannot contain control characters other than line breaks and tabs")]
    ControlCharacter,
}

impl NoteMessage {
    pub fn parse(raw: &str) -> Result<NoteMessage, NoteError> {
        let text = raw.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Err(NoteError::Empty);
        }
        if chars > MAX_NOTE_CHARS {
            return Err(NoteError::TooLong(chars));
        }
        if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err(NoteError::ControlCharacter);
        }
        Ok(NoteMessage(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_messages_are_read_or_refused_with_a_reason() {
        for status in NoteStatus::ALL {
            assert_eq!(NoteStatus::parse(status.as_str()), Ok(status));
        }
        assert_eq!(NoteStatus::parse(" Monitoring "), Ok(NoteStatus::Monitoring));
        assert!(NoteStatus::parse("fixed").unwrap_err().to_string().contains("investigating"));
        assert_eq!(NoteMessage::parse("  disk full \n").unwrap().as_str(), "disk full");
        assert_eq!(NoteMessage::parse(" "), Err(NoteError::Empty));
        assert_eq!(NoteMessage::parse(&"x".repeat(5_001)), Err(NoteError::TooLong(5_001)));
        assert_eq!(NoteMessage::parse("a\u{7}b"), Err(NoteError::ControlCharacter));
    }
}
