use chrono::{DateTime, FixedOffset, TimeZone};
use proptest::prelude::*;

use super::*;

fn parse(line: &str) -> Result<LogLine<'_>, ParseError> {
    Parser::default().parse(line.as_bytes())
}

#[test]
fn common_and_combined_lines_give_their_fields() {
    let common =
        r#"127.0.0.1 user-identifier frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#;
    let line = parse(common).unwrap();
    assert_eq!(line.host, b"127.0.0.1");
    assert_eq!(line.time, 971_211_336);
    assert_eq!((line.method, line.path), (&b"GET"[..], &b"/apache_pb.gif"[..]));
    assert_eq!((line.status, line.bytes), (200, 2326));

    let combined = r#"2001:db8::1 - - [10/Oct/2000:13:55:36 +0000] "POST /pages/create?draft=1 HTTP/2.0" 302 - "https://example.com/a b" "Mozilla/5.0 (X11) \"quoted\"""#;
    let line = parse(combined).unwrap();
    assert_eq!(line.host, b"2001:db8::1");
    assert_eq!(line.bytes, 0, "- is no body");
    assert_eq!(line.section(), b"/pages");
    assert_eq!(parse(&format!("{common}\r")).unwrap().bytes, 2326, "CRLF line ends");
}

#[test]
fn odd_but_real_requests_still_count() {
    let no_request = r#"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "-" 408 0"#;
    let line = parse(no_request).unwrap();
    assert_eq!((line.method, line.section(), line.status), (&b""[..], &b"-"[..], 408));
    let escaped = r#"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a\"b HTTP/1.1" 400 12"#;
    assert_eq!(parse(escaped).unwrap().path, br#"/a\"b"#);
    let http09 = r#"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /old" 200 5"#;
    assert_eq!(parse(http09).unwrap().path, b"/old");
    let user_with_space = r#"10.0.0.1 - John Smith [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5"#;
    assert_eq!(parse(user_with_space).unwrap().section(), b"/");
    let extra_fields = r#"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "-" "curl" 0.004"#;
    assert!(parse(extra_fields).is_ok());
}

#[test]
fn broken_lines_say_what_is_wrong() {
    let cases: [(&str, ParseError); 11] = [
        ("", ParseError::Empty),
        ("   ", ParseError::Empty),
        ("garbage", ParseError::NoHost),
        (" - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5", ParseError::NoHost),
        ("10.0.0.1 - - 10/Oct/2000:13:55:36 -0700 \"GET / HTTP/1.1\" 200 5", ParseError::NoTimestamp),
        ("10.0.0.1 - - [10/Oct/2000:13:55:36 -07", ParseError::NoTimestamp),
        ("10.0.0.1 - - [10/Oct/2000:25:55:36 -0700] \"GET / HTTP/1.1\" 200 5", ParseError::Timestamp(TimeError::Hour)),
        ("10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1 200 5", ParseError::NoRequest),
        ("10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GARBAGE\" 200 5", ParseError::Request),
        ("10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 2000 5", ParseError::Status),
        ("10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 12kb", ParseError::Bytes),
    ];
    for (line, error) in cases {
        assert_eq!(parse(line), Err(error), "{line}");
    }
    let too_big = "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 99999999999999999999";
    assert_eq!(parse(too_big), Err(ParseError::Bytes));
}

#[test]
fn the_section_is_the_first_path_segment() {
    let cases: [(&str, &str); 10] = [
        ("/pages/create", "/pages"),
        ("/", "/"),
        ("/pages", "/pages"),
        ("/pages?x=/y", "/pages"),
        ("/?q=1", "/"),
        ("/api/v1/users/7", "/api"),
        ("http://example.com/report/2026", "/report"),
        ("https://example.com", "/"),
        ("*", "*"),
        ("", "-"),
    ];
    for (path, expected) in cases {
        assert_eq!(std::str::from_utf8(section(path.as_bytes())).unwrap(), expected, "{path}");
    }
}

/// A valid line's fields, to format and read back.
#[derive(Debug, Clone)]
struct Fields {
    host: String,
    user: String,
    time: DateTime<FixedOffset>,
    method: &'static str,
    path: String,
    status: u16,
    bytes: Option<u64>,
    combined: Option<(String, String)>,
}

impl Fields {
    fn format(&self) -> String {
        let mut line = format!(
            "{} - {} [{}] \"{} {} HTTP/1.1\" {} {}",
            self.host,
            self.user,
            self.time.format("%d/%b/%Y:%H:%M:%S %z"),
            self.method,
            self.path,
            self.status,
            self.bytes.map_or("-".to_owned(), |b| b.to_string())
        );
        if let Some((referer, agent)) = &self.combined {
            line.push_str(&format!(" \"{referer}\" \"{agent}\""));
        }
        line
    }
}

fn fields() -> impl Strategy<Value = Fields> {
    let host = prop_oneof![
        (any::<[u8; 4]>()).prop_map(|o| format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])),
        "[a-z][a-z0-9-]{0,20}(\\.[a-z]{2,6}){0,2}",
        "2001:db8(:[0-9a-f]{1,4}){1,6}",
    ];
    let time = (-2_208_988_800i64..253_402_200_000, -(14 * 60)..=(14 * 60i32)).prop_map(|(secs, minutes)| {
        let offset = FixedOffset::east_opt(minutes * 60).unwrap();
        offset.timestamp_opt(secs, 0).unwrap()
    });
    let method = prop::sample::select(&["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"][..]);
    let path = "(/[A-Za-z0-9._~%-]{0,12}){1,4}(\\?[A-Za-z0-9=&/%]{0,20})?";
    let combined = prop::option::of(("[ -!#-~]{0,30}", "[ -!#-~]{0,40}"));
    (host, "-|[a-z]{1,8}", time, method, path, 100u16..=599, prop::option::of(any::<u64>()), combined).prop_map(
        |(host, user, time, method, path, status, bytes, combined)| Fields {
            host,
            user,
            time,
            method,
            path,
            status,
            bytes,
            combined,
        },
    )
}

proptest! {
    #[test]
    fn formatted_lines_read_back_to_their_fields(lines in prop::collection::vec(fields(), 1..8)) {
        // One parser for the whole batch, as the watch uses it: the timestamp cache must never
        // give one line's time to another.
        let mut parser = Parser::default();
        for fields in &lines {
            let text = fields.format();
            let line = parser.parse(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{text}: {e:?}")))?;
            prop_assert_eq!(line.host, fields.host.as_bytes());
            prop_assert_eq!(line.time, fields.time.timestamp());
            prop_assert_eq!(line.method, fields.method.as_bytes());
            prop_assert_eq!(line.path, fields.path.as_bytes());
            prop_assert_eq!(line.status, fields.status);
            prop_assert_eq!(line.bytes, fields.bytes.unwrap_or(0));
            let expected = fields.path.split(['?', '#']).next().unwrap();
            let expected = match expected[1..].find('/') { Some(i) => &expected[..i + 1], None => expected };
            prop_assert_eq!(line.section(), expected.as_bytes());
        }
    }

    #[test]
    fn any_bytes_parse_or_fail_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = Parser::default().parse(&bytes);
    }

    #[test]
    fn a_line_cut_short_never_parses_as_a_different_line(fields in fields(), cut in 0usize..60) {
        let text = fields.format();
        let short = &text[..text.len().saturating_sub(cut + 1)];
        if let Ok(line) = Parser::default().parse(short.as_bytes()) {
            // Cutting into the size leaves a valid, smaller size; anything else must fail.
            prop_assert_eq!(line.time, fields.time.timestamp());
            prop_assert_eq!(line.path, fields.path.as_bytes());
        }
    }
}
