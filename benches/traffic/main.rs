//! Traffic benchmark: a replay of a large Combined-format access log (1 GiB by default, written
//! once by the library's log generator and kept under the target folder) through the release
//! `sitewatch traffic --once --from-start`, against a fresh SQLite database. Prints lines per
//! second, bytes per second and peak RSS. Figures, not pass/fail (the aims are at least
//! 1,000,000 lines/s and at most 50 MB of memory whatever the log's size).
//!
//!   cargo bench --bench traffic
//!
//! Knobs: SITEWATCH_BENCH_TRAFFIC_BYTES (default 1G), SITEWATCH_BENCH_TRAFFIC_RUNS (3),
//! SITEWATCH_BENCH_TRAFFIC_LOG (a log to use instead; generated there if missing).

#[path = "../common/rusage.rs"]
mod rusage;

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusage::wait_with_rusage;
use sitewatch::traffic::synth::{Profile, Synth};

/// A busy site: 10 minutes at 300 lines a second, a 5-minute surge at 3,000, 10 minutes at 100.
const PROFILE: &str = "10m@300,5m@3000,10m@100";

/// Alerts in each surge only.
const THRESHOLD: &str = "1000";

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned())
}

fn size(text: &str) -> u64 {
    let text = text.trim();
    let (digits, factor) = match text.chars().last() {
        Some('K' | 'k') => (&text[..text.len() - 1], 1u64 << 10),
        Some('M' | 'm') => (&text[..text.len() - 1], 1 << 20),
        Some('G' | 'g') => (&text[..text.len() - 1], 1 << 30),
        _ => (text, 1),
    };
    digits.parse::<u64>().expect("a size such as 1G or 200M") * factor
}

struct Run {
    wall: Duration,
    lines: u64,
    max_rss_kb: i64,
    alerts: usize,
}

fn main() {
    let bytes = size(&env_or("SITEWATCH_BENCH_TRAFFIC_BYTES", "1G"));
    let runs: usize = env_or("SITEWATCH_BENCH_TRAFFIC_RUNS", "3").parse().expect("a number of runs");
    let log = match std::env::var("SITEWATCH_BENCH_TRAFFIC_LOG") {
        Ok(path) if !path.trim().is_empty() => PathBuf::from(path),
        _ => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("traffic-bench-{bytes}.log")),
    };
    let lines = ensure_log(&log, bytes);
    let file_bytes = std::fs::metadata(&log).expect("the log").len();
    eprintln!("log: {} ({} lines, {:.2} GiB)", log.display(), lines, file_bytes as f64 / f64::from(1u32 << 30));

    println!("| log | lines | run (best of {runs}) | lines/s | MB/s | peak RSS | alerts printed |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let results: Vec<Run> = (0..runs).map(|_| replay(&log)).collect();
    for r in &results {
        assert_eq!(r.lines, lines, "every line was read");
    }
    let best = results.iter().min_by_key(|r| r.wall).expect("at least one run");
    let rss = results.iter().map(|r| r.max_rss_kb).max().unwrap_or(0);
    let secs = best.wall.as_secs_f64();
    println!(
        "| {:.2} GiB, profile {PROFILE} | {} | {:.2} s | {:.0} | {:.0} | {:.1} MB | {} |",
        file_bytes as f64 / f64::from(1u32 << 30),
        lines,
        secs,
        lines as f64 / secs,
        file_bytes as f64 / secs / 1e6,
        rss as f64 / 1024.0,
        best.alerts
    );
}

/// Writes the log unless a file of that size is there already; returns its line count.
fn ensure_log(path: &Path, bytes: u64) -> u64 {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() >= bytes
    {
        return count_lines(path);
    }
    let started = Instant::now();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).expect("create the log"));
    let mut synth = Synth::new(Profile::parse(PROFILE).expect("a valid profile"), 1_796_032_800, 1);
    let (mut written, mut lines) = (0u64, 0u64);
    while written < bytes {
        written += synth.write_next(&mut out).expect("write the log").0 as u64;
        lines += 1;
    }
    out.flush().expect("write the log");
    eprintln!("generated {lines} lines in {:.1} s", started.elapsed().as_secs_f64());
    lines
}

fn count_lines(path: &Path) -> u64 {
    let mut file = File::open(path).expect("open the log");
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0;
    loop {
        let n = file.read(&mut buf).expect("read the log");
        if n == 0 {
            return lines;
        }
        lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
    }
}

/// One replay in its own process, with a database of its own.
// The child is reaped by wait4, which also reports its peak memory; `Child::wait` cannot.
#[allow(clippy::zombie_processes)]
fn replay(log: &Path) -> Run {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitewatch"));
    for (key, _) in std::env::vars() {
        if key.starts_with("SITEWATCH_") {
            command.env_remove(key);
        }
    }
    command
        .args(["traffic", "--once", "--from-start", "--threshold", THRESHOLD])
        .arg(log)
        .current_dir(dir.path())
        .env("SITEWATCH_DATABASE_URL", format!("sqlite://{}", dir.path().join("bench.db").display()))
        .stdout(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("start sitewatch traffic");
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).expect("read the output");
        text
    });
    let usage = wait_with_rusage(child.id() as libc::pid_t);
    let (status, max_rss_kb) = (usage.status, usage.max_rss_kb);
    let wall = started.elapsed();
    assert_eq!(status, 0, "sitewatch traffic failed");
    let output = reader.join().expect("the output");
    let summary = output.lines().last().expect("a summary line");
    let lines = summary
        .strip_prefix("read ")
        .and_then(|s| s.split(' ').next())
        .map(|n| n.replace(',', "").parse().expect("a line count"))
        .unwrap_or_else(|| panic!("no summary: {summary}"));
    let alerts = output.lines().filter(|l| l.starts_with("High traffic")).count();
    Run { wall, lines, max_rss_kb, alerts }
}
