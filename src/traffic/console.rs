//! What the traffic watch prints: a block per interval, one line per silence, the alert and
//! recovery lines (their wording is fixed: scripts match it), notes and the replay's summary.
//! Every line starts with `prefix` (the log's name when several logs are watched).

use std::fmt::Write;

use chrono::{DateTime, NaiveDateTime};

use super::alert_state::{Change, Crossing, LATE_SECS};
use super::interval::{Interval, STATUS_CLASSES, Sample};
use super::monitor::Totals;
use crate::domain::time::rfc3339;

/// Sections shown per interval.
pub const TOP_SECTIONS: usize = 5;

/// Width of the labels in a report block.
const LABEL: usize = 10;

/// A Unix second as UTC.
pub fn utc(second: i64) -> NaiveDateTime {
    DateTime::from_timestamp(second, 0).unwrap_or_default().naive_utc()
}

/// `High traffic generated an alert - hits = 12.3/s, triggered at 2026-11-30T10:02:40Z`, or
/// the recovery line.
pub fn alert_line(change: &Change) -> String {
    let at = rfc3339(utc(change.at));
    match change.crossing {
        Crossing::High => format!("High traffic generated an alert - hits = {:.1}/s, triggered at {at}", change.mean),
        Crossing::Recovered => {
            format!("High traffic alert recovered - hits = {:.1}/s, recovered at {at}", change.mean)
        }
    }
}

/// Appends one interval's block.
pub fn report(out: &mut String, prefix: &str, interval: &Interval) {
    let per_second = interval.hits as f64 / interval.seconds().max(1) as f64;
    let _ = writeln!(out, "{prefix}{}", span(interval.start, interval.end));
    row(out, prefix, "hits", &format!("{}  ({per_second:.1}/s)", group(interval.hits)));
    let top = interval.top_sections(TOP_SECTIONS);
    let sections: Vec<String> =
        top.iter().map(|(name, hits)| format!("{} {}", printable(name), group(*hits))).collect();
    row(out, prefix, "sections", &if sections.is_empty() { "-".to_owned() } else { sections.join("   ") });
    let classes: Vec<String> =
        STATUS_CLASSES.iter().zip(interval.status).map(|(class, hits)| format!("{class} {}", group(hits))).collect();
    row(out, prefix, "status", &classes.join("   "));
    row(out, prefix, "bytes", &size(interval.bytes));
    let (hosts, capped) = interval.hosts();
    row(out, prefix, "hosts", &format!("{}{}", if capped { "at least " } else { "" }, group(hosts as u64)));
    if interval.malformed > 0 {
        let first = interval.malformed_sample.as_ref().map(|s| format!("  (first: {})", sample(s))).unwrap_or_default();
        row(out, prefix, "malformed", &format!("{}{first}", group(interval.malformed)));
    }
    if interval.late > 0 {
        row(
            out,
            prefix,
            "late",
            &format!("{}  (more than {LATE_SECS} s behind the newest line; not counted above)", group(interval.late)),
        );
    }
}

/// Appends the line for a stretch without any line.
pub fn quiet(out: &mut String, prefix: &str, from: i64, to: i64) {
    let _ = writeln!(out, "{prefix}{}  no hits", span(from, to));
}

/// Appends a line of its own (an alert, a note).
pub fn line(out: &mut String, prefix: &str, text: &str) {
    let _ = writeln!(out, "{prefix}{text}");
}

/// `read 1,234 lines: 1,200 counted, 30 malformed, 4 late`, for the end of a replay.
pub fn summary(totals: &Totals, first_malformed: Option<&Sample>) -> String {
    let mut text = format!(
        "read {} line{}: {} counted, {} malformed, {} late",
        group(totals.lines),
        if totals.lines == 1 { "" } else { "s" },
        group(totals.counted),
        group(totals.malformed),
        group(totals.late)
    );
    if let Some(first) = first_malformed {
        let _ = write!(text, " (first malformed: {})", sample(first));
    }
    text
}

fn row(out: &mut String, prefix: &str, label: &str, value: &str) {
    let _ = writeln!(out, "{prefix}  {label:<LABEL$} {value}");
}

/// `2026-11-30 10:00:00 → 10:00:10 UTC` (the end's date only when it differs).
fn span(from: i64, to: i64) -> String {
    let (from, to) = (utc(from), utc(to));
    let end = if to.date() == from.date() { to.format("%H:%M:%S") } else { to.format("%Y-%m-%d %H:%M:%S") };
    format!("{} → {end} UTC", from.format("%Y-%m-%d %H:%M:%S"))
}

/// `line 12, no client host: "garbage"`.
fn sample(sample: &Sample) -> String {
    format!("line {}, {}: \"{}\"", sample.line_number, sample.problem, sample.text)
}

/// A section as text: invalid UTF-8 and control characters would garble the terminal.
fn printable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `512 B`, `2.4 KiB`, `5.6 MiB`, `1.2 GiB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::line::Parser;

    #[test]
    fn alert_lines_read_exactly_as_documented() {
        let at = 1_796_032_960; // 2026-11-30T10:02:40Z
        let high = Change { crossing: Crossing::High, mean: 10.125, at };
        assert_eq!(
            alert_line(&high),
            "High traffic generated an alert - hits = 10.1/s, triggered at 2026-11-30T10:02:40Z"
        );
        let back = Change { crossing: Crossing::Recovered, mean: 9.95, at };
        assert_eq!(alert_line(&back), "High traffic alert recovered - hits = 9.9/s, recovered at 2026-11-30T10:02:40Z");
    }

    #[test]
    fn a_report_block_is_aligned_and_complete() {
        let mut interval = Interval::default();
        interval.reset(1_796_032_800, 1_796_032_810);
        let mut parser = Parser::default();
        for (host, path, status, bytes) in
            [("a", "/pages/x", 200, 3_000_000), ("b", "/pages/y", 404, 0), ("a", "/api", 503, 1)]
        {
            let text = format!("{host} - - [30/Nov/2026:10:00:01 +0000] \"GET {path} HTTP/1.1\" {status} {bytes}");
            interval.add(&parser.parse(text.as_bytes()).unwrap());
        }
        interval.add_malformed(|| Sample::new(9, "no client host", b"junk"));
        interval.late = 2;
        let mut out = String::new();
        report(&mut out, "[web] ", &interval);
        assert_eq!(
            out,
            "[web] 2026-11-30 10:00:00 → 10:00:10 UTC\n\
             [web]   hits       3  (0.3/s)\n\
             [web]   sections   /pages 2   /api 1\n\
             [web]   status     2xx 1   3xx 0   4xx 1   5xx 1   other 0\n\
             [web]   bytes      2.9 MiB\n\
             [web]   hosts      2\n\
             [web]   malformed  1  (first: line 9, no client host: \"junk\")\n\
             [web]   late       2  (more than 10 s behind the newest line; not counted above)\n"
        );
        let mut out = String::new();
        quiet(&mut out, "", 1_796_032_810, 1_796_032_810 + 86_400);
        assert_eq!(out, "2026-11-30 10:00:10 → 2026-12-01 10:00:10 UTC  no hits\n");
    }

    #[test]
    fn numbers_and_sizes_read_easily() {
        assert_eq!(
            (group(0), group(999), group(1_000), group(1_234_567)),
            ("0".into(), "999".into(), "1,000".into(), "1,234,567".into())
        );
        assert_eq!((size(512), size(2_500), size(5 << 30)), ("512 B".into(), "2.4 KiB".into(), "5.0 GiB".into()));
        let totals = Totals { lines: 1, counted: 0, malformed: 1, late: 0 };
        assert_eq!(summary(&totals, None), "read 1 line: 0 counted, 1 malformed, 0 late");
    }
}
