//! The text an HTTP check looks for in a page, and the search through a body read in chunks.

use std::fmt;

pub const MAX_KEYWORD_LEN: usize = 1024;

/// Text to find (or, with `keyword_absent`, not to find) in a page: matched byte for byte, case
/// included, as it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeywordError {
    #[error("a keyword cannot be empty or only spaces")]
    Empty,
    #[error("a keyword is at most {MAX_KEYWORD_LEN} bytes")]
    TooLong,
    #[error("a keyword cannot contain control characters other than tabs and line breaks")]
    ControlCharacter,
}

impl Keyword {
    pub fn parse(raw: &str) -> Result<Keyword, KeywordError> {
        if raw.trim().is_empty() {
            return Err(KeywordError::Empty);
        }
        if raw.len() > MAX_KEYWORD_LEN {
            return Err(KeywordError::TooLong);
        }
        if raw.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            return Err(KeywordError::ControlCharacter);
        }
        Ok(Keyword(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Looks for a keyword in a body that arrives in pieces, including across the joins.
#[derive(Debug)]
pub struct KeywordScan<'k> {
    needle: &'k [u8],
    /// The end of what came before: at most `needle.len() - 1` bytes that may start a match.
    carry: Vec<u8>,
    found: bool,
}

impl<'k> KeywordScan<'k> {
    pub fn new(keyword: &'k str) -> KeywordScan<'k> {
        KeywordScan { needle: keyword.as_bytes(), carry: Vec::new(), found: keyword.is_empty() }
    }

    /// Adds the next piece of the body; true once the keyword has been seen.
    pub fn feed(&mut self, chunk: &[u8]) -> bool {
        if self.found {
            return true;
        }
        let keep = self.needle.len() - 1;
        // The join: the carried tail and the start of this chunk.
        let head = &chunk[..chunk.len().min(keep)];
        let mut joined = Vec::with_capacity(self.carry.len() + head.len());
        joined.extend_from_slice(&self.carry);
        joined.extend_from_slice(head);
        if contains(&joined, self.needle) || contains(chunk, self.needle) {
            self.found = true;
            self.carry.clear();
            return true;
        }
        if chunk.len() >= keep {
            self.carry.clear();
            self.carry.extend_from_slice(&chunk[chunk.len() - keep..]);
        } else {
            self.carry.extend_from_slice(chunk);
            let excess = self.carry.len().saturating_sub(keep);
            self.carry.drain(..excess);
        }
        false
    }

    pub fn found(&self) -> bool {
        self.found
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(keyword: &str, chunks: &[&[u8]]) -> bool {
        let mut s = KeywordScan::new(keyword);
        chunks.iter().any(|c| s.feed(c))
    }

    #[test]
    fn keywords_are_found_inside_and_across_chunks() {
        assert!(scan("Welcome", &[b"<h1>Welcome home</h1>"]));
        assert!(scan("Welcome", &[b"<h1>Wel", b"come home</h1>"]));
        assert!(scan("Welcome", &[b"<h1>W", b"e", b"l", b"c", b"o", b"m", b"e"]));
        assert!(scan("abc", &[b"xxab", b"", b"cxx"]));
        assert!(!scan("Welcome", &[b"<h1>Wel", b"xcome</h1>"]));
        assert!(!scan("welcome", &[b"Welcome"]), "case matters");
        assert!(scan("é", &["caf".as_bytes(), &"é".as_bytes()[..1], &"é".as_bytes()[1..]]));
    }

    #[test]
    fn a_single_byte_keyword_needs_no_carry() {
        assert!(scan("!", &[b"abc", b"d!"]));
        assert!(!scan("!", &[b"abc", b"def"]));
    }

    #[test]
    fn every_split_of_a_body_agrees_with_a_search_of_the_whole() {
        let body = b"lorem ipsum dolor sit amet, consectetur adipiscing elit";
        for keyword in ["dolor sit", "elit", "lorem", "amet,", "missing", "tt"] {
            let whole = contains(body, keyword.as_bytes());
            for a in 0..body.len() {
                for b in a..body.len() {
                    assert_eq!(scan(keyword, &[&body[..a], &body[a..b], &body[b..]]), whole, "{keyword} at {a}/{b}");
                }
            }
        }
    }

    #[test]
    fn keywords_are_checked() {
        assert_eq!(Keyword::parse("  "), Err(KeywordError::Empty));
        assert_eq!(Keyword::parse(&"x".repeat(MAX_KEYWORD_LEN + 1)), Err(KeywordError::TooLong));
        assert_eq!(Keyword::parse(" Sign in ").unwrap().as_str(), " Sign in ", "kept as written");
    }
}
