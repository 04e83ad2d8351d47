//! A site's state as people see it, one set of words for pages, API and alerts.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Up,
    Down,
    Unknown,
    Paused,
    /// Checked during a maintenance window: its failures count toward no outage.
    Maintenance,
}

impl Status {
    /// The state of a site from its flag and its latest check (`None` before its first check).
    pub fn of(active: bool, last_up: Option<bool>) -> Status {
        match (active, last_up) {
            (false, _) => Status::Paused,
            (true, None) => Status::Unknown,
            (true, Some(true)) => Status::Up,
            (true, Some(false)) => Status::Down,
        }
    }

    /// The machine word used in JSON and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Up => "up",
            Status::Down => "down",
            Status::Unknown => "unknown",
            Status::Paused => "paused",
            Status::Maintenance => "maintenance",
        }
    }

    /// The word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Up => "Up",
            Status::Down => "Down",
            Status::Unknown => "Not checked yet",
            Status::Paused => "Paused",
            Status::Maintenance => "Maintenance",
        }
    }

    /// A symbol that reads without colour (for terminals, alerts and colour-blind readers).
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Up => "✔",
            Status::Down => "✘",
            Status::Unknown => "?",
            Status::Paused => "⏸",
            Status::Maintenance => "⚒",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a check failed without an HTTP status to show for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Timeout,
    Connect,
    Dns,
    Tls,
    Redirect,
    /// The page answered but the keyword rule failed (text missing, or present when it must not be).
    Keyword,
    /// No echo reply to any ping.
    Unreachable,
    Other,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::Timeout,
        ErrorKind::Connect,
        ErrorKind::Dns,
        ErrorKind::Tls,
        ErrorKind::Redirect,
        ErrorKind::Keyword,
        ErrorKind::Unreachable,
        ErrorKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connect => "connect",
            ErrorKind::Dns => "dns",
            ErrorKind::Tls => "tls",
            ErrorKind::Redirect => "redirect",
            ErrorKind::Keyword => "keyword",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Other => "other",
        }
    }

    pub fn parse(word: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|kind| kind.as_str() == word)
    }

    /// A phrase for alerts and pages: "timed out", "refused the connection", ...
    pub fn describe(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "timed out",
            ErrorKind::Connect => "could not be connected to",
            ErrorKind::Dns => "has a host name that does not resolve",
            ErrorKind::Tls => "failed the TLS handshake or certificate check",
            ErrorKind::Redirect => "redirected badly",
            ErrorKind::Keyword => "failed its keyword check",
            ErrorKind::Unreachable => "did not answer any ping",
            ErrorKind::Other => "failed",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a check saw, in words: "200", "503", "timed out".
pub fn result_text(status_code: Option<i32>, error: Option<&str>) -> String {
    match (status_code, error) {
        (Some(code), _) => format!("HTTP {code}"),
        (None, Some(word)) => ErrorKind::parse(word).map_or_else(|| word.to_owned(), |k| k.describe().to_owned()),
        (None, None) => "no answer".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paused_wins_over_any_last_result() {
        assert_eq!(Status::of(false, Some(true)), Status::Paused);
        assert_eq!(Status::of(false, None), Status::Paused);
        assert_eq!(Status::of(true, None), Status::Unknown);
        assert_eq!(Status::of(true, Some(false)), Status::Down);
    }

    #[test]
    fn error_kinds_round_trip_through_their_words() {
        for kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ErrorKind::parse("gremlins"), None);
    }
}
