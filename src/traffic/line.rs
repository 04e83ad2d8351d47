//! One access-log line in Common or Combined Log Format, read in place: every field borrows the
//! line's bytes, and nothing is allocated.
//!
//! `host ident authuser [10/Oct/2000:13:55:36 -0700] "GET /pages/create HTTP/1.1" 200 2326`
//! optionally followed by ` "referer" "user-agent"` (Combined) or anything else after a space.

use memchr::{memchr, memchr2};

use super::clock::{TIMESTAMP_LEN, TimeCache, TimeError};

/// The fields the traffic watch uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLine<'a> {
    pub host: &'a [u8],
    /// Unix seconds.
    pub time: i64,
    /// Empty when the request was logged as `"-"` (no request line arrived).
    pub method: &'a [u8],
    pub path: &'a [u8],
    pub status: u16,
    /// `-` reads as 0.
    pub bytes: u64,
}

impl<'a> LogLine<'a> {
    /// The first path segment: `/pages/create` → `/pages`, `/` → `/` (query ignored).
    pub fn section(&self) -> &'a [u8] {
        section(self.path)
    }
}

/// Why a line is not an access-log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    NoHost,
    NoTimestamp,
    Timestamp(TimeError),
    NoRequest,
    Request,
    Status,
    Bytes,
}

impl ParseError {
    pub fn describe(self) -> &'static str {
        match self {
            ParseError::Empty => "empty line",
            ParseError::NoHost => "no client host",
            ParseError::NoTimestamp => "no [timestamp]",
            ParseError::Timestamp(e) => e.describe(),
            ParseError::NoRequest => "no quoted request after the timestamp",
            ParseError::Request => "the request is not \"METHOD PATH PROTOCOL\"",
            ParseError::Status => "no three-digit status after the request",
            ParseError::Bytes => "the size is neither a number nor -",
        }
    }
}

/// Parses lines one after the other, reusing the previous line's timestamp when it repeats.
#[derive(Debug, Clone, Default)]
pub struct Parser {
    times: TimeCache,
}

impl Parser {
    /// Reads `line` (without its `\n`; a trailing `\r` is ignored).
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Result<LogLine<'a>, ParseError> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return Err(ParseError::Empty);
        }
        let host_end = memchr(b' ', line).ok_or(ParseError::NoHost)?;
        if host_end == 0 {
            return Err(ParseError::NoHost);
        }
        let host = &line[..host_end];

        // ident and authuser are not used; the timestamp is the first `[` after a space.
        let open = memchr(b'[', &line[host_end..]).map(|i| host_end + i).ok_or(ParseError::NoTimestamp)?;
        if line[open - 1] != b' ' {
            return Err(ParseError::NoTimestamp);
        }
        let stamp = line.get(open + 1..open + 1 + TIMESTAMP_LEN).ok_or(ParseError::NoTimestamp)?;
        let time = self.times.parse(stamp).map_err(ParseError::Timestamp)?;
        let rest = &line[open + 1 + TIMESTAMP_LEN..];
        let rest = rest.strip_prefix(b"] \"").ok_or(ParseError::NoRequest)?;

        let request_end = closing_quote(rest).ok_or(ParseError::NoRequest)?;
        let (method, path) = request(&rest[..request_end])?;
        let rest = &rest[request_end + 1..];

        let rest = rest.strip_prefix(b" ").ok_or(ParseError::Status)?;
        let status = match rest {
            [a, b, c, tail @ ..] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
                if tail.first().is_some_and(|t| *t != b' ') {
                    return Err(ParseError::Status);
                }
                u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
            }
            _ => return Err(ParseError::Status),
        };
        let rest = rest[3..].strip_prefix(b" ").ok_or(ParseError::Bytes)?;
        let field = &rest[..memchr(b' ', rest).unwrap_or(rest.len())];
        let bytes = size(field).ok_or(ParseError::Bytes)?;
        Ok(LogLine { host, time, method, path, status, bytes })
    }
}

/// The position of the request's closing quote; `\"` and `\\` inside are escapes (Apache writes
/// a quote in the request that way).
fn closing_quote(text: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let found = at + memchr2(b'"', b'\\', &text[at..])?;
        if text[found] == b'"' {
            return Some(found);
        }
        at = found + 2;
        if at > text.len() {
            return None;
        }
    }
}

/// `METHOD TARGET [PROTOCOL]`, or `-` when no request line arrived.
fn request(text: &[u8]) -> Result<(&[u8], &[u8]), ParseError> {
    if text == b"-" {
        return Ok((b"", b""));
    }
    let method_end = memchr(b' ', text).ok_or(ParseError::Request)?;
    let after = &text[method_end + 1..];
    let path = &after[..memchr(b' ', after).unwrap_or(after.len())];
    if method_end == 0 || path.is_empty() {
        return Err(ParseError::Request);
    }
    Ok((&text[..method_end], path))
}

/// A response size: digits (that fit in 64 bits), or `-` for none.
fn size(field: &[u8]) -> Option<u64> {
    if field == b"-" {
        return Some(0);
    }
    if field.is_empty() || field.len() > 20 {
        return None;
    }
    field.iter().try_fold(0u64, |n, &c| {
        if c.is_ascii_digit() { n.checked_mul(10)?.checked_add(u64::from(c - b'0')) } else { None }
    })
}

/// The first segment of a request target: `/pages/create?id=1` → `/pages`, `/` → `/`. An
/// absolute target (`http://host/pages/x`, as proxies log) is read from its path; `*` stays `*`;
/// no request at all is `-`.
pub fn section(target: &[u8]) -> &[u8] {
    if target.is_empty() {
        return b"-";
    }
    let path = if target[0] == b'/' {
        target
    } else if let Some(scheme_end) = memchr::memmem::find(target, b"://") {
        let authority = &target[scheme_end + 3..];
        match memchr(b'/', authority) {
            Some(slash) => &authority[slash..],
            None => return b"/",
        }
    } else {
        return &target[..memchr2(b'?', b'#', target).unwrap_or(target.len())];
    };
    let end = path[1..].iter().position(|c| matches!(c, b'/' | b'?' | b'#')).map_or(path.len(), |i| i + 1);
    &path[..end]
}

#[cfg(test)]
mod tests;
