//! Synthetic Combined-format access logs at a rate profile (`120s@5,180s@20,300s@2`: 120 s at
//! 5 lines a second, then...), with varied hosts, sections, statuses and sizes from a seeded
//! generator: the `loggen` example writes them, the benchmark and the tests read them.

use std::io::{self, Write};

use chrono::DateTime;

/// Stretches of (seconds, lines per second).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile(Vec<(u32, u32)>);

impl Profile {
    /// `120s@5,180s@20` (the `s` is optional; also `2m@5`, `1h@3`).
    pub fn parse(text: &str) -> Result<Profile, String> {
        let mut stages = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (span, rate) =
                part.split_once('@').ok_or_else(|| format!("`{part}` is not DURATION@RATE, e.g. 120s@5"))?;
            let (digits, unit) = match span.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
                Some((i, _)) => (&span[..i], &span[i..]),
                None => (span, "s"),
            };
            let factor = match unit {
                "s" => 1,
                "m" => 60,
                "h" => 3_600,
                _ => return Err(format!("`{span}`: the unit is s, m or h")),
            };
            let seconds: u32 = digits.parse().map_err(|_| format!("`{span}` is not a duration"))?;
            let rate: u32 = rate.parse().map_err(|_| format!("`{rate}` is not a whole number of lines a second"))?;
            if seconds == 0 {
                return Err(format!("`{part}`: the duration must be above 0"));
            }
            stages.push((seconds.saturating_mul(factor), rate));
        }
        if stages.is_empty() {
            return Err("the profile is empty; e.g. 120s@5,180s@20".into());
        }
        Ok(Profile(stages))
    }

    pub fn stages(&self) -> &[(u32, u32)] {
        &self.0
    }

    /// Seconds the whole profile lasts.
    pub fn seconds(&self) -> i64 {
        self.0.iter().map(|(s, _)| i64::from(*s)).sum()
    }

    /// Lines in second `offset` from the start (the profile repeats).
    pub fn rate_at(&self, offset: i64) -> u32 {
        let mut at = offset.rem_euclid(self.seconds());
        for (seconds, rate) in &self.0 {
            if at < i64::from(*seconds) {
                return *rate;
            }
            at -= i64::from(*seconds);
        }
        0
    }
}

/// One generated request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Unix seconds.
    pub time: i64,
    pub host: &'a str,
    pub method: &'static str,
    pub path: &'static str,
    /// The path's first segment, as the watch should count it.
    pub section: &'static str,
    pub status: u16,
    /// `None` is logged as `-`.
    pub bytes: Option<u32>,
    pub agent: &'static str,
}

/// (path, section, weight): a few sections get most hits, as on real sites.
const PATHS: [(&str, &str, u32); 14] = [
    ("/", "/", 6),
    ("/pages/create", "/pages", 5),
    ("/pages/42?ref=home", "/pages", 6),
    ("/api/v1/users", "/api", 9),
    ("/api/v1/orders/17", "/api", 7),
    ("/static/app.css", "/static", 8),
    ("/static/img/logo.png", "/static", 6),
    ("/login", "/login", 3),
    ("/search?q=shoes", "/search", 4),
    ("/cart", "/cart", 2),
    ("/admin/users", "/admin", 1),
    ("/blog/2026/11/traffic", "/blog", 2),
    ("/report", "/report", 1),
    ("/favicon.ico", "/favicon.ico", 2),
];

const METHODS: [&str; 4] = ["GET", "GET", "POST", "HEAD"];
const STATUSES: [(u16, u32); 8] = [(200, 80), (201, 3), (301, 3), (304, 5), (404, 5), (403, 1), (500, 2), (503, 1)];
const AGENTS: [&str; 3] = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
];

pub struct Synth {
    profile: Profile,
    start: i64,
    hosts: Vec<String>,
    rng: u64,
    /// The second being written and how many of its lines are left.
    second: i64,
    left: u32,
    /// The formatted timestamp of `second`.
    stamp: (i64, String),
    /// The line being written, kept for its room.
    line: Vec<u8>,
}

impl Synth {
    /// Lines from Unix second `start` on, following `profile` (repeated for as long as asked).
    pub fn new(profile: Profile, start: i64, seed: u64) -> Synth {
        let mut rng = seed ^ 0x9E37_79B9_7F4A_7C15;
        let hosts = (0..1_000u32)
            .map(|i| {
                let r = next(&mut rng);
                match i % 10 {
                    0 => format!("2001:db8::{:x}", r & 0xffff),
                    1 => format!("crawler-{}.example.net", r % 50),
                    _ => format!("{}.{}.{}.{}", 10 + (r % 200), (r >> 8) % 256, (r >> 16) % 256, 1 + (r >> 24) % 254),
                }
            })
            .collect();
        let left = profile.rate_at(0);
        Synth { profile, start, hosts, rng, second: start, left, stamp: (i64::MIN, String::new()), line: Vec::new() }
    }

    /// The next request; seconds without lines in the profile are skipped.
    pub fn next_entry(&mut self) -> Entry<'_> {
        let (host, entry) = self.roll();
        Entry { host: &self.hosts[host], ..entry }
    }

    /// Draws the next request: its host (an index into the pool) and the rest.
    fn roll(&mut self) -> (usize, Entry<'static>) {
        self.upcoming();
        self.left -= 1;
        let r = next(&mut self.rng);
        let (path, section) = pick_weighted(&PATHS, r % 1000);
        let status = pick(&STATUSES, (r >> 10) % 1000);
        // Hot hosts: the first quarter of the pool gets half the hits.
        let host = if (r >> 20) & 1 == 0 { (r >> 21) % 250 } else { (r >> 21) % 1000 } as usize;
        let entry = Entry {
            time: self.second,
            host: "",
            method: if path.starts_with("/api") { METHODS[((r >> 40) % 4) as usize] } else { "GET" },
            path,
            section,
            status,
            bytes: (status != 304 && status != 301).then_some(((r >> 44) % 60_000) as u32),
            agent: AGENTS[((r >> 60) % 3) as usize],
        };
        (host, entry)
    }

    /// Writes the next line (with its `\n`); returns its length, second and section.
    pub fn write_next(&mut self, out: &mut impl Write) -> io::Result<(usize, i64, &'static str)> {
        let (host, e) = self.roll();
        if self.stamp.0 != e.time {
            let at = DateTime::from_timestamp(e.time, 0).unwrap_or_default();
            self.stamp = (e.time, at.format("%d/%b/%Y:%H:%M:%S +0000").to_string());
        }
        let line = &mut self.line;
        line.clear();
        write!(line, "{} - - [{}] \"{} {} HTTP/1.1\" {} ", self.hosts[host], self.stamp.1, e.method, e.path, e.status)?;
        match e.bytes {
            Some(n) => write!(line, "{n}")?,
            None => line.push(b'-'),
        }
        writeln!(line, " \"https://www.example.com/\" \"{}\"", e.agent)?;
        out.write_all(line)?;
        Ok((line.len(), e.time, e.section))
    }

    /// The second the next line will carry.
    pub fn upcoming(&mut self) -> i64 {
        while self.left == 0 {
            self.second += 1;
            self.left = self.profile.rate_at(self.second - self.start);
        }
        self.second
    }
}

fn next(state: &mut u64) -> u64 {
    // xorshift64*: fast, and plenty for test data.
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn pick_weighted(paths: &[(&'static str, &'static str, u32)], roll: u64) -> (&'static str, &'static str) {
    let total: u64 = paths.iter().map(|p| u64::from(p.2)).sum();
    let mut at = roll * total / 1000;
    for (path, section, weight) in paths {
        if at < u64::from(*weight) {
            return (path, section);
        }
        at -= u64::from(*weight);
    }
    (paths[0].0, paths[0].1)
}

fn pick(statuses: &[(u16, u32)], roll: u64) -> u16 {
    let total: u64 = statuses.iter().map(|s| u64::from(s.1)).sum();
    let mut at = roll * total / 1000;
    for (status, weight) in statuses {
        if at < u64::from(*weight) {
            return *status;
        }
        at -= u64::from(*weight);
    }
    statuses[0].0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::line::Parser;

    #[test]
    fn profiles_parse_and_repeat() {
        let profile = Profile::parse("120s@5, 3m@20,300@2").unwrap();
        assert_eq!(profile.stages(), [(120, 5), (180, 20), (300, 2)]);
        assert_eq!(profile.seconds(), 600);
        assert_eq!(
            (profile.rate_at(0), profile.rate_at(119), profile.rate_at(120), profile.rate_at(600)),
            (5, 5, 20, 5)
        );
        for bad in ["", "120s", "0s@5", "10x@2", "10s@-1"] {
            assert!(Profile::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn generated_lines_parse_back_with_their_second_and_section() {
        let mut synth = Synth::new(Profile::parse("2s@3,1s@0,1s@4").unwrap(), 1_796_032_800, 7);
        let mut parser = Parser::default();
        let mut seconds = Vec::new();
        for _ in 0..10 {
            let mut out = Vec::new();
            let (len, time, section) = synth.write_next(&mut out).unwrap();
            assert_eq!(len, out.len());
            let line = parser.parse(&out[..out.len() - 1]).unwrap();
            assert_eq!((line.time, line.section()), (time, section.as_bytes()));
            seconds.push(time - 1_796_032_800);
        }
        assert_eq!(seconds, [0, 0, 0, 1, 1, 1, 3, 3, 3, 3], "second 2 has no lines");
    }
}
