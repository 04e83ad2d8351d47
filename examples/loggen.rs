//! Writes a synthetic Combined-format access log at a rate profile, for replays, demos and the
//! traffic benchmark: as fast as possible with timestamps that follow the profile, or paced in
//! real time as a live server would write it.
//!
//!   cargo run --release --example loggen -- --profile 120s@5,180s@20,300s@2 --out access.log
//!   cargo run --release --example loggen -- --profile 1h@200 --bytes 1G --out big.log
//!   cargo run --release --example loggen -- --profile 60s@2,60s@30 --realtime --out /tmp/live.log

use std::fs::OpenOptions;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use clap::Parser;
use sitewatch::traffic::synth::{Profile, Synth};

#[derive(Debug, Parser)]
#[command(
    about = "Write a synthetic Combined-format access log at a rate profile",
    after_help = "The profile is DURATION@RATE stages, e.g. 120s@5,180s@20,300s@2 (units s, m, h; rates in lines a\n\
                  second). Without --bytes or --realtime, the profile is written once. With --bytes it repeats\n\
                  until that size. With --realtime each second's lines are written when that second comes, with\n\
                  the time of writing (the profile repeats until interrupted unless --once)."
)]
struct Args {
    /// Stages of DURATION@LINES_PER_SECOND
    #[arg(long, default_value = "120s@5,180s@20,300s@2")]
    profile: String,
    /// The first line's time (RFC 3339); default: now, or 2026-11-30T10:00:00Z without --realtime
    #[arg(long)]
    start: Option<String>,
    /// Keep repeating the profile until the file holds this much: 1G, 500M, 64K or bytes
    #[arg(long)]
    bytes: Option<String>,
    /// Pace the lines in real time (for demos of a live watch)
    #[arg(long)]
    realtime: bool,
    /// With --realtime: write the profile once, then stop
    #[arg(long)]
    once: bool,
    /// Seed of the generator: the same seed and profile give the same file
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Append to this file (created if needed) instead of writing to stdout
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() {
    if let Err(message) = run(Args::parse()) {
        eprintln!("loggen: {message}");
        std::process::exit(2);
    }
}

fn run(args: Args) -> Result<(), String> {
    let profile = Profile::parse(&args.profile)?;
    let start = match &args.start {
        Some(text) => DateTime::parse_from_rfc3339(text).map_err(|e| format!("--start `{text}`: {e}"))?.timestamp(),
        None if args.realtime => Utc::now().timestamp(),
        None => 1_796_032_800, // 2026-11-30T10:00:00Z
    };
    let limit = args.bytes.as_deref().map(parse_size).transpose()?;
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut synth = Synth::new(profile.clone(), start, args.seed);
    let end = start + profile.seconds();
    let (mut written, mut lines) = (0u64, 0u64);
    let began = Instant::now();
    let write_error = |e: io::Error| format!("cannot write: {e}");
    loop {
        let second = synth.upcoming();
        let done = match limit {
            Some(limit) => written >= limit,
            None => second >= end && (!args.realtime || args.once),
        };
        if done {
            break;
        }
        if args.realtime {
            // Each second's lines are written when that second comes.
            out.flush().map_err(write_error)?;
            let due = began + Duration::from_secs((second - start).max(0) as u64);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        while synth.upcoming() == second && limit.is_none_or(|limit| written < limit) {
            let (length, _, _) = synth.write_next(&mut out).map_err(write_error)?;
            written += length as u64;
            lines += 1;
        }
    }
    out.flush().map_err(write_error)?;
    eprintln!("loggen: wrote {lines} lines, {written} bytes");
    Ok(())
}

/// `1G`, `500M`, `64K`, or a number of bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, factor) = match text.char_indices().last() {
        Some((i, 'K' | 'k')) => (&text[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&text[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .map(|n| n * factor)
        .map_err(|_| format!("--bytes `{text}`: expected e.g. 1G, 500M, 64K"))
}
