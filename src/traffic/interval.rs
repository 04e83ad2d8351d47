//! One report interval's figures: hits, sections, status classes, bytes, distinct client hosts,
//! and the lines that did not count (malformed, late). Memory per interval is capped however
//! many distinct sections or hosts a burst brings.

use std::collections::{HashMap, HashSet};

use super::line::LogLine;

/// Distinct sections kept per interval; hits of further ones count only in the totals.
pub const MAX_SECTIONS: usize = 5_000;

/// Distinct client hosts counted exactly per interval; past this the report says "at least".
pub const MAX_HOSTS: usize = 50_000;

/// Characters of a malformed line kept as its sample.
const SAMPLE_CHARS: usize = 120;

/// Status classes in report order.
pub const STATUS_CLASSES: [&str; 5] = ["2xx", "3xx", "4xx", "5xx", "other"];

/// The first line of an interval that did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// 1-based line number in the file being read.
    pub line_number: u64,
    pub problem: &'static str,
    /// The start of the line, lossily decoded.
    pub text: String,
}

impl Sample {
    pub fn new(line_number: u64, problem: &'static str, line: &[u8]) -> Sample {
        let text = String::from_utf8_lossy(&line[..line.len().min(SAMPLE_CHARS * 4)]);
        let mut text: String = text.chars().filter(|c| !c.is_control()).take(SAMPLE_CHARS + 1).collect();
        if text.chars().count() > SAMPLE_CHARS {
            text = text.chars().take(SAMPLE_CHARS).chain(['…']).collect();
        }
        Sample { line_number, problem, text }
    }
}

/// What went into one interval `start..end` (Unix seconds of log time).
#[derive(Debug, Clone, Default)]
pub struct Interval {
    pub start: i64,
    pub end: i64,
    pub hits: u64,
    pub bytes: u64,
    /// Hits per class of `STATUS_CLASSES`.
    pub status: [u64; 5],
    sections: HashMap<Box<[u8]>, u64>,
    hosts: HashSet<Box<[u8]>>,
    hosts_capped: bool,
    pub malformed: u64,
    pub malformed_sample: Option<Sample>,
    /// Lines that arrived more than the allowed lateness behind the newest, in this interval's
    /// stretch of reading; they are not in the other figures.
    pub late: u64,
}

impl Interval {
    /// Empties the interval for reuse as `start..end`, keeping its tables' room.
    pub fn reset(&mut self, start: i64, end: i64) {
        self.start = start;
        self.end = end;
        self.hits = 0;
        self.bytes = 0;
        self.status = [0; 5];
        self.sections.clear();
        self.hosts.clear();
        self.hosts_capped = false;
        self.malformed = 0;
        self.malformed_sample = None;
        self.late = 0;
    }

    pub fn add(&mut self, line: &LogLine<'_>) {
        self.hits += 1;
        self.bytes = self.bytes.saturating_add(line.bytes);
        self.status[status_class(line.status)] += 1;
        let section = line.section();
        if let Some(hits) = self.sections.get_mut(section) {
            *hits += 1;
        } else if self.sections.len() < MAX_SECTIONS {
            self.sections.insert(section.into(), 1);
        }
        if !self.hosts.contains(line.host) {
            if self.hosts.len() < MAX_HOSTS {
                self.hosts.insert(line.host.into());
            } else {
                self.hosts_capped = true;
            }
        }
    }

    pub fn add_malformed(&mut self, sample: impl FnOnce() -> Sample) {
        self.malformed += 1;
        if self.malformed_sample.is_none() {
            self.malformed_sample = Some(sample());
        }
    }

    /// Adds lines that did not count and were read before this interval existed.
    pub fn absorb_uncounted(&mut self, malformed: u64, sample: Option<Sample>, late: u64) {
        self.malformed += malformed;
        self.late += late;
        if self.malformed_sample.is_none() {
            self.malformed_sample = sample;
        }
    }

    /// The `n` sections with the most hits, most first; ties in byte order of their names.
    pub fn top_sections(&self, n: usize) -> Vec<(&[u8], u64)> {
        let mut all: Vec<(&[u8], u64)> = self.sections.iter().map(|(name, hits)| (&name[..], *hits)).collect();
        let by_rank = |a: &(&[u8], u64), b: &(&[u8], u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        if all.len() > n {
            all.select_nth_unstable_by(n, by_rank);
            all.truncate(n);
        }
        all.sort_unstable_by(by_rank);
        all
    }

    /// Distinct client hosts, and whether the count stopped at `MAX_HOSTS`.
    pub fn hosts(&self) -> (usize, bool) {
        (self.hosts.len(), self.hosts_capped)
    }

    pub fn seconds(&self) -> i64 {
        self.end - self.start
    }
}

/// The index into `STATUS_CLASSES` of an HTTP status.
pub fn status_class(status: u16) -> usize {
    match status {
        200..=299 => 0,
        300..=399 => 1,
        400..=499 => 2,
        500..=599 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::line::Parser;

    fn line(host: &str, path: &str, status: u16, bytes: u64) -> String {
        format!("{host} - - [30/Nov/2026:10:00:00 +0000] \"GET {path} HTTP/1.1\" {status} {bytes}")
    }

    #[test]
    fn figures_add_up_and_the_top_sections_rank_by_hits_then_name() {
        let mut interval = Interval::default();
        interval.reset(0, 10);
        let mut parser = Parser::default();
        let lines = [
            line("a", "/pages/1", 200, 100),
            line("b", "/pages/2", 201, 50),
            line("a", "/api/x", 404, 0),
            line("c", "/api/y", 500, 7),
            line("c", "/", 302, 1),
            line("d", "/zz", 101, 1),
            line("d", "/aa", 200, 1),
        ];
        for text in &lines {
            interval.add(&parser.parse(text.as_bytes()).unwrap());
        }
        assert_eq!((interval.hits, interval.bytes), (7, 160));
        assert_eq!(interval.status, [3, 1, 1, 1, 1]);
        assert_eq!(interval.hosts(), (4, false));
        let top: Vec<(String, u64)> =
            interval.top_sections(3).into_iter().map(|(s, n)| (String::from_utf8_lossy(s).into_owned(), n)).collect();
        assert_eq!(top, [("/api".to_owned(), 2), ("/pages".to_owned(), 2), ("/".to_owned(), 1)]);
        assert_eq!(interval.top_sections(10).len(), 5);

        interval.reset(10, 20);
        assert_eq!((interval.hits, interval.hosts().0, interval.top_sections(5).len()), (0, 0, 0));
    }

    #[test]
    fn distinct_hosts_and_sections_stop_growing_at_their_caps() {
        let mut interval = Interval::default();
        let mut parser = Parser::default();
        for i in 0..(MAX_HOSTS + 10) {
            let text = line(&format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255), &format!("/s{i}"), 200, 1);
            interval.add(&parser.parse(text.as_bytes()).unwrap());
        }
        assert_eq!(interval.hosts(), (MAX_HOSTS, true));
        assert_eq!(interval.sections.len(), MAX_SECTIONS);
        assert_eq!(interval.hits, (MAX_HOSTS + 10) as u64, "every hit still counts");
    }

    #[test]
    fn a_malformed_sample_is_the_first_one_shortened() {
        let mut interval = Interval::default();
        let long = "x".repeat(500);
        interval.add_malformed(|| Sample::new(7, "no client host", long.as_bytes()));
        interval.add_malformed(|| Sample::new(8, "empty line", b""));
        let sample = interval.malformed_sample.clone().unwrap();
        assert_eq!((interval.malformed, sample.line_number, sample.problem), (2, 7, "no client host"));
        assert_eq!(sample.text.chars().count(), SAMPLE_CHARS + 1);
        assert!(sample.text.ends_with('…'));
    }
}
