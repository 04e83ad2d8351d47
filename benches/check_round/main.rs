//! Check-round benchmark: real `check` rounds against a farm of loopback listeners, on SQLite
//! and (when `SITEWATCH_BENCH_DATABASE_URL` names a server) PostgreSQL. Prints a table of
//! round wall time, database write time, peak RSS, and the CPU time of the `check` process and
//! of the whole machine (the listeners and the database server included). Figures, not
//! pass/fail.
//!
//!   SITEWATCH_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench check_round
//!
//! A second table covers the check kinds: a mixed round (70 % HTTP, 10 % keyword, 10 % TCP,
//! 10 % ping, each ping site on its own 127.x.y.z address) and a round of ping sites alone.
//!
//! Knobs: SITEWATCH_BENCH_SITES (default "1000,10000"), SITEWATCH_BENCH_ROUNDS (3),
//! SITEWATCH_BENCH_CONCURRENCY (unset: the default, "auto"), SITEWATCH_BENCH_TIMEOUT_SECS (5),
//! SITEWATCH_BENCH_MIXED_SITES (10000), SITEWATCH_BENCH_PING_SITES (1000),
//! SITEWATCH_BENCH_IMPORT_SITES (10000); a count of 0 skips
//! that scenario, as does SITEWATCH_BENCH_KINDS_ONLY=1 for the first table.
//! SITEWATCH_BENCH_LOG is passed to `check` as SITEWATCH_LOG (e.g. "sitewatch=debug" prints
//! each batch's write and the decision).

mod farm;
#[path = "../common/machine_cpu.rs"]
mod machine_cpu;
#[path = "../common/rusage.rs"]
mod rusage;
mod setup;

use std::process::Command;
use std::time::{Duration, Instant};

use farm::Farm;
use rusage::wait_with_rusage;
use setup::BenchDb;

/// Sites that share one listening port; 1,000 ports x 10 sites makes 10,000 distinct targets.
const SITES_PER_PORT: usize = 10;

struct Round {
    wall: Duration,
    db_write_ms: i32,
    max_rss_kb: i64,
    /// CPU time of the `check` process, and of the whole machine while it ran.
    check_cpu: Duration,
    machine_cpu: Duration,
    checked: i32,
    up: i32,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned())
}

fn main() {
    // cargo bench passes `--bench`; there is nothing to filter.
    let sizes: Vec<usize> = env_or("SITEWATCH_BENCH_SITES", "1000,10000")
        .split(',')
        .map(|s| s.trim().parse().expect("a site count"))
        .filter(|n| *n > 0)
        .collect();
    let rounds: usize = env_or("SITEWATCH_BENCH_ROUNDS", "3").parse().expect("a round count");
    // Unset, `check` runs at its default ("auto"); the table says which.
    let concurrency = env_or("SITEWATCH_BENCH_CONCURRENCY", "auto");
    let timeout = env_or("SITEWATCH_BENCH_TIMEOUT_SECS", "5");
    let postgres = std::env::var("SITEWATCH_BENCH_DATABASE_URL").ok().filter(|v| !v.is_empty());
    sitewatch::checker::raise_open_files_limit();

    let mixed: usize = env_or("SITEWATCH_BENCH_MIXED_SITES", "10000").parse().expect("a site count");
    let pings: usize = env_or("SITEWATCH_BENCH_PING_SITES", "1000").parse().expect("a site count");
    let kinds_only = env_or("SITEWATCH_BENCH_KINDS_ONLY", "0") == "1";
    let largest = if kinds_only { 0 } else { sizes.iter().copied().max().unwrap_or(0) }.max(mixed);
    let farm = Farm::start(largest.div_ceil(SITES_PER_PORT), (largest / 10).div_ceil(SITES_PER_PORT));
    eprintln!("farm: {} answering ports, {} hanging ports", farm.answering.len(), farm.hanging.len());

    let mut backends = vec![("SQLite", None)];
    if let Some(url) = &postgres {
        backends.push(("PostgreSQL", Some(url.clone())));
    } else {
        eprintln!("PostgreSQL skipped: set SITEWATCH_BENCH_DATABASE_URL=postgres://user@host/db to include it");
    }
    let imported: usize = env_or("SITEWATCH_BENCH_IMPORT_SITES", "10000").parse().expect("a site count");
    if imported > 0 && !kinds_only {
        import_table(&backends, imported);
    }
    if !kinds_only {
        http_table(&backends, &sizes, rounds, &concurrency, &timeout, &farm);
    }
    kinds_table(&backends, mixed, pings, rounds, &concurrency, &timeout, &farm);
}

fn http_table(
    backends: &[(&str, Option<String>)],
    sizes: &[usize],
    rounds: usize,
    concurrency: &str,
    timeout: &str,
    farm: &Farm,
) {
    println!(
        "| backend | sites | never answering | concurrency | round (median of {rounds}) | slowest round | database write | \
         peak RSS | CPU of check | CPU of the machine ({} cores) |",
        machine_cpu::cores()
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (backend, server) in backends {
        for &sites in sizes {
            for hanging_share in [0, 10] {
                let db = BenchDb::create(server.as_deref());
                let hanging = setup::add_sites(&db, sites, hanging_share, farm, SITES_PER_PORT);
                let results: Vec<Round> = (0..rounds).map(|_| run_check(&db, concurrency, timeout)).collect();
                for r in &results {
                    assert_eq!(r.checked as usize, sites, "every site is checked every round");
                    assert_eq!((r.checked - r.up) as usize, hanging, "exactly the hanging sites are down");
                }
                let (wall, write, rss) = medians(&results);
                let walls: Vec<String> = results.iter().map(|r| format!("{:.2} s", r.wall.as_secs_f64())).collect();
                eprintln!("{backend}, {sites} sites, {hanging} never answering: rounds in turn {}", walls.join(", "));
                let slowest = results.iter().map(|r| r.wall).max().unwrap_or_default().as_secs_f64();
                let check_cpu = median_secs(results.iter().map(|r| r.check_cpu));
                let machine_cpu = median_secs(results.iter().map(|r| r.machine_cpu));
                println!(
                    "| {backend} | {sites} | {hanging} | {concurrency} | {wall:.2} s | {slowest:.2} s | {write} ms | \
                     {rss:.1} MB | {check_cpu:.2} s | {machine_cpu:.2} s |"
                );
            }
        }
    }
}

/// `sitewatch import` of a TOML file of `count` sites of one host, timed as a whole process
/// (read, check every entry, one transaction) into a fresh database.
fn import_table(backends: &[(&str, Option<String>)], count: usize) {
    let dir = std::env::temp_dir().join(format!("sitewatch-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder for the import file");
    let file = dir.join("sites.toml");
    let mut text = String::with_capacity(count * 60);
    for i in 0..count {
        text.push_str(&format!("[[sites]]\nurl = \"https://shop.example.com/item/{i}\"\n"));
    }
    std::fs::write(&file, text).expect("write the import file");
    println!("| backend | import of | one host | wall (median of 3) |");
    println!("|---|---:|---|---:|");
    for (backend, server) in backends {
        let mut walls = Vec::new();
        for _ in 0..3 {
            let db = BenchDb::create(server.as_deref());
            let mut command = Command::new(env!("CARGO_BIN_EXE_sitewatch"));
            for (key, _) in std::env::vars() {
                if key.starts_with("SITEWATCH_") {
                    command.env_remove(key);
                }
            }
            command.args(["import", file.to_str().unwrap()]).env("SITEWATCH_DATABASE_URL", &db.url);
            command.stdout(std::process::Stdio::null());
            let started = Instant::now();
            let status = command.status().expect("run sitewatch import");
            walls.push(started.elapsed());
            assert!(status.success(), "import failed");
            assert_eq!(setup::site_count(&db), count, "every site is imported");
        }
        walls.sort();
        println!("| {backend} | {count} sites | shop.example.com | {:.2} s |", walls[1].as_secs_f64());
    }
    println!();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The mixed round and the ping-only round: every site answers, so every site must be up.
fn kinds_table(
    backends: &[(&str, Option<String>)],
    mixed: usize,
    pings: usize,
    rounds: usize,
    concurrency: &str,
    timeout: &str,
    farm: &Farm,
) {
    println!();
    println!("| backend | round | sites | of which ping | round (median of {rounds}) | database write | peak RSS |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (backend, server) in backends {
        for (scenario, sites) in [("mixed kinds", mixed), ("ping only", pings)] {
            if sites == 0 {
                continue;
            }
            let db = BenchDb::create(server.as_deref());
            let ping_sites = if scenario == "ping only" {
                setup::add_ping_sites(&db, sites);
                sites
            } else {
                setup::add_mixed_sites(&db, sites, farm, SITES_PER_PORT);
                sites / 10
            };
            let results: Vec<Round> = (0..rounds).map(|_| run_check(&db, concurrency, timeout)).collect();
            for r in &results {
                assert_eq!((r.checked as usize, r.up as usize), (sites, sites), "every site is checked and up");
            }
            let (wall, write, rss) = medians(&results);
            println!("| {backend} | {scenario} | {sites} | {ping_sites} | {wall:.2} s | {write} ms | {rss:.1} MB |");
        }
    }
}

/// Median wall time (s), median write (ms) and the largest peak RSS (MB) of some rounds.
fn medians(results: &[Round]) -> (f64, i32, f64) {
    let mut writes: Vec<i32> = results.iter().map(|r| r.db_write_ms).collect();
    writes.sort_unstable();
    let rss = results.iter().map(|r| r.max_rss_kb).max().unwrap_or(0);
    (median_secs(results.iter().map(|r| r.wall)), writes[writes.len() / 2], rss as f64 / 1024.0)
}

/// The median of some durations, in seconds.
fn median_secs(durations: impl Iterator<Item = Duration>) -> f64 {
    let mut all: Vec<Duration> = durations.collect();
    all.sort();
    all[all.len() / 2].as_secs_f64()
}

/// One `check` round in its own process: wall time, the write time it recorded, and peak RSS.
// The child is reaped by wait4, which also reports its peak memory; `Child::wait` cannot.
#[allow(clippy::zombie_processes)]
fn run_check(db: &BenchDb, concurrency: &str, timeout: &str) -> Round {
    let mut command = Command::new(env!("CARGO_BIN_EXE_check"));
    for (key, _) in std::env::vars() {
        if key.starts_with("SITEWATCH_") {
            command.env_remove(key);
        }
    }
    command
        .arg("--quiet")
        .env("SITEWATCH_DATABASE_URL", &db.url)
        .env("SITEWATCH_CHECK_SANDBOX_URLS", "")
        .env("SITEWATCH_CHECK_TIMEOUT_SECS", timeout);
    if let Ok(log) = std::env::var("SITEWATCH_BENCH_LOG") {
        command.env("SITEWATCH_LOG", log);
    }
    if concurrency != "auto" {
        command.env("SITEWATCH_CHECK_CONCURRENCY", concurrency);
    }
    let cpu_before = machine_cpu::busy();
    let started = Instant::now();
    let child = command.spawn().expect("start check");
    let pid = child.id() as libc::pid_t;
    let usage = wait_with_rusage(pid);
    let wall = started.elapsed();
    let machine_cpu = machine_cpu::busy().saturating_sub(cpu_before);
    assert_eq!(usage.status, 0, "check failed");
    let run = setup::latest_run(db);
    Round {
        wall,
        db_write_ms: run.db_write_ms.unwrap_or(-1),
        max_rss_kb: usage.max_rss_kb,
        check_cpu: usage.cpu,
        machine_cpu,
        checked: run.sites_checked,
        up: run.sites_up,
    }
}
