//! `sitewatch traffic`: replays of generated logs through the real binary, a live run across
//! rotation and truncation, the tailer under a concurrent writer, alerts by e-mail and
//! webhook on loopback, and the rows the web app will read, on both backends.

mod alerts;
mod cli;
mod db;
mod follow;
mod live;
mod replay;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use sitewatch::traffic::synth::{Profile, Synth};

/// 2026-11-30T10:00:00Z: where generated logs begin.
pub const START: i64 = 1_796_032_800;

/// The replay profile: 2 minutes at 5/s, 3 at 20/s, 5 at 2/s.
pub const PROFILE: &str = "120s@5,180s@20,300s@2";

/// A generated log as written: the lines' seconds and sections, for the test's own sums.
pub struct Written {
    /// (second, section) of every valid line, in file order.
    pub lines: Vec<(i64, &'static str)>,
    pub malformed: usize,
}

impl Written {
    /// Hits per second, from the first second to the last.
    pub fn per_second(&self) -> BTreeMap<i64, u64> {
        let mut counts = BTreeMap::new();
        for (second, _) in &self.lines {
            *counts.entry(*second).or_default() += 1;
        }
        counts
    }

    /// The `n` busiest sections of `from..to`, busiest first, ties by name, as the report
    /// prints them (`/api 70   /static 66   ...`).
    pub fn top_sections(&self, from: i64, to: i64, n: usize) -> String {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for (second, section) in &self.lines {
            if (from..to).contains(second) {
                *counts.entry(section).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ranked.iter().take(n).map(|(s, c)| format!("{s} {c}")).collect::<Vec<_>>().join("   ")
    }
}

/// Writes `profile` from `START` to `path`, with a malformed line after each line number in
/// `garbage_after`.
pub fn generate(path: &Path, profile: &str, garbage_after: &[usize]) -> Written {
    let profile = Profile::parse(profile).unwrap();
    let total: i64 = profile.stages().iter().map(|(s, r)| i64::from(*s) * i64::from(*r)).sum();
    let mut synth = Synth::new(profile, START, 42);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = Written { lines: Vec::new(), malformed: 0 };
    for n in 1..=total as usize {
        let (_, second, section) = synth.write_next(&mut out).unwrap();
        written.lines.push((second, section));
        if garbage_after.contains(&n) {
            writeln!(out, "this is not an access log line {n}").unwrap();
            written.malformed += 1;
        }
    }
    out.flush().unwrap();
    written
}

/// The seconds at which the mean over `window` first rises above `threshold` and then falls
/// back, computed directly from the per-second counts.
pub fn crossings(per_second: &BTreeMap<i64, u64>, window: i64, threshold: f64) -> Vec<(bool, i64, f64)> {
    let (first, last) = (*per_second.keys().next().unwrap(), *per_second.keys().last().unwrap());
    let mut alerting = false;
    let mut found = Vec::new();
    for s in first..=last {
        let sum: u64 = (s - window + 1..=s).map(|t| per_second.get(&t).copied().unwrap_or(0)).sum();
        let mean = sum as f64 / window as f64;
        if !alerting && mean > threshold {
            alerting = true;
            found.push((true, s, mean));
        } else if alerting && mean <= threshold {
            alerting = false;
            found.push((false, s, mean));
        }
    }
    found
}

/// `2026-11-30T10:02:40Z`.
pub fn rfc3339(second: i64) -> String {
    chrono::DateTime::from_timestamp(second, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The lines of the report block whose header starts with `header` (`2026-11-30 10:03:00 → `).
pub fn block<'a>(stdout: &'a str, header: &str) -> Vec<&'a str> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with(header));
    let mut block: Vec<&str> = lines.next().into_iter().collect();
    block.extend(lines.take_while(|l| l.starts_with("  ")));
    block
}

/// The value of `label` in a report block (`sections` → `/api 70   /static 66`).
pub fn field<'a>(block: &[&'a str], label: &str) -> Option<&'a str> {
    block.iter().find_map(|l| l.trim_start().strip_prefix(label)).map(str::trim)
}
