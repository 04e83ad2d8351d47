//! Colour on a terminal only: never when the output is piped or `NO_COLOR` is set
//! (https://no-color.org), so scripts and logs get plain text.

use std::io::IsTerminal;

/// ANSI colours for a state word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Green,
    Red,
    Yellow,
    Dim,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Green => "32",
            Paint::Red => "1;31",
            Paint::Yellow => "33",
            Paint::Dim => "2",
        }
    }

    /// The colour a site state or an outage event is shown in.
    pub fn of_word(word: &str) -> Option<Paint> {
        match word {
            "up" | "recovered" | "resolved" => Some(Paint::Green),
            "down" | "opened" | "joined" | "ongoing" => Some(Paint::Red),
            "maintenance" => Some(Paint::Yellow),
            "paused" | "unknown" => Some(Paint::Dim),
            _ => None,
        }
    }
}

/// Whether standard output gets colour: a terminal, and `NO_COLOR` unset or empty.
pub fn colour_on_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `text` in `paint`, or as it is when colour is off.
pub fn paint(text: &str, paint: Option<Paint>, colour: bool) -> String {
    match paint {
        Some(p) if colour => format!("\x1b[{}m{text}\x1b[0m", p.code()),
        _ => text.to_owned(),
    }
}

/// `text` cut to `max` characters, the last replaced by `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_wraps_only_when_on() {
        assert_eq!(paint("down", Some(Paint::Red), true), "\x1b[1;31mdown\x1b[0m");
        assert_eq!(paint("down", Some(Paint::Red), false), "down");
        assert_eq!(paint("x", None, true), "x");
        assert_eq!(Paint::of_word("up"), Some(Paint::Green));
        assert_eq!(Paint::of_word("shop"), None);
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("a-very-long-slug", 8), "a-very-…");
        assert_eq!(clip("ééééé", 4), "ééé…");
    }
}
