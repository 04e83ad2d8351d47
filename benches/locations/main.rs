//! Several locations on one PostgreSQL database: N real `check` processes, one per location,
//! each leaving from its own loopback address, start their rounds at the same moment against a
//! farm of loopback listeners. Prints per-location round wall time, the database write (as the
//! round records it), the decision step (the vote under the decision lock, and the wait for that
//! lock), the machine's busy CPU time per round (every process: checkers, listeners and the
//! database), rows written per round and the database's bytes per site per year. Figures, not
//! pass/fail.
//!
//!   SITEWATCH_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench locations
//!
//! Knobs: SITEWATCH_BENCH_SITES (10000), SITEWATCH_BENCH_LOCATIONS ("3,5"),
//! SITEWATCH_BENCH_ROUNDS (3), SITEWATCH_BENCH_CONCURRENCY (1500).

#[path = "../common/bench_db.rs"]
mod bench_db;
#[allow(dead_code)] // the check-round benchmark's farm; hanging ports are not used here
#[path = "../check_round/farm.rs"]
mod farm;
#[path = "../common/machine_cpu.rs"]
mod machine_cpu;

use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use bench_db::BenchDb;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use farm::Farm;
use sitewatch::db::DbConnection;
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::manage::import::{self, ImportFile, ImportOptions};
use sitewatch::manage::site::NewSite;

const SITES_PER_PORT: usize = 10;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned())
}

struct Round {
    wall: Duration,
    db_write_ms: i64,
    vote_ms: i64,
    lock_wait_ms: i64,
}

/// The rounds of one moment, one per location, and the machine's CPU time they took together.
struct Moment {
    rounds: Vec<Round>,
    cpu: Duration,
}

fn main() {
    let Some(server) = std::env::var("SITEWATCH_BENCH_DATABASE_URL").ok().filter(|v| !v.is_empty()) else {
        eprintln!(
            "skipped: several locations need PostgreSQL; set SITEWATCH_BENCH_DATABASE_URL=postgres://user@host/db"
        );
        return;
    };
    let sites: usize = env_or("SITEWATCH_BENCH_SITES", "10000").parse().expect("a site count");
    let counts: Vec<usize> = env_or("SITEWATCH_BENCH_LOCATIONS", "3,5")
        .split(',')
        .map(|s| s.trim().parse().expect("a location count"))
        .collect();
    let rounds: usize = env_or("SITEWATCH_BENCH_ROUNDS", "3").parse().expect("a round count");
    let concurrency = env_or("SITEWATCH_BENCH_CONCURRENCY", "1500");
    sitewatch::checker::raise_open_files_limit();
    let farm = Farm::start(sites.div_ceil(SITES_PER_PORT), 0);

    println!(
        "| locations | sites | round wall (median / max of {rounds}) | database write (median) | vote (median) | \
         wait for the decision lock (median / max) | machine CPU per moment (median, {} cores) | \
         rows written per location round | bytes per site per year |",
        machine_cpu::cores()
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &counts {
        let db = BenchDb::create(Some(&server));
        add_sites(&db, sites, &farm);
        let mut all = Vec::new();
        let mut cpu = Vec::new();
        for _ in 0..rounds {
            let moment = concurrent_rounds(&db, n, &concurrency);
            cpu.push(moment.cpu);
            all.extend(moment.rounds);
        }
        cpu.sort();
        let cpu_median = cpu[cpu.len() / 2];
        let median = |mut v: Vec<i64>| {
            v.sort_unstable();
            v[v.len() / 2]
        };
        let mut walls: Vec<Duration> = all.iter().map(|r| r.wall).collect();
        walls.sort();
        let (wall_median, wall_max) = (walls[walls.len() / 2], walls[walls.len() - 1]);
        let write = median(all.iter().map(|r| r.db_write_ms).collect());
        let vote = median(all.iter().map(|r| r.vote_ms).collect());
        let wait = median(all.iter().map(|r| r.lock_wait_ms).collect());
        let wait_max = all.iter().map(|r| r.lock_wait_ms).max().unwrap_or(0);
        let (views, view_bytes) = view_figures(&db);
        assert_eq!(views as usize, sites * n * rounds, "every location checks every site every round");
        // A round a minute from every location, for a year, before retention purges raw views.
        let per_year = view_bytes as f64 / views as f64 * 525_600.0 * n as f64;
        println!(
            "| {n} | {sites} | {:.2} s / {:.2} s | {write} ms | {vote} ms | {wait} ms / {wait_max} ms | {:.2} s | {} | {:.0} MB |",
            wall_median.as_secs_f64(),
            wall_max.as_secs_f64(),
            cpu_median.as_secs_f64(),
            // A view, the location's own row, the site's newest state and its hourly rollup.
            4 * sites,
            per_year / 1e6
        );
    }
}

fn add_sites(db: &BenchDb, count: usize, farm: &Farm) {
    let mut conn = db.db.conn().unwrap();
    let sites: Vec<NewSite> = (0..count)
        .map(|i| {
            let port = farm.answering[i / SITES_PER_PORT % farm.answering.len()];
            NewSite {
                name: Some(Name::parse(&format!("bench {i:05}")).unwrap()),
                ..NewSite::at(SiteUrl::parse(&format!("http://127.0.0.1:{port}/site/{i}")).unwrap())
            }
        })
        .collect();
    import::import(&mut conn, &ImportFile::of_sites(sites), &ImportOptions::default()).unwrap();
}

/// One round from each of `n` locations, started together.
fn concurrent_rounds(db: &BenchDb, n: usize, concurrency: &str) -> Moment {
    let barrier = Arc::new(Barrier::new(n));
    let cpu_before = machine_cpu::busy();
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (url, barrier, concurrency) = (db.url.clone(), Arc::clone(&barrier), concurrency.to_owned());
            thread::spawn(move || {
                let mut command = Command::new(env!("CARGO_BIN_EXE_check"));
                for (key, _) in std::env::vars() {
                    if key.starts_with("SITEWATCH_") {
                        command.env_remove(key);
                    }
                }
                command
                    .args(["--quiet"])
                    .env("SITEWATCH_DATABASE_URL", &url)
                    .env("SITEWATCH_CHECK_SANDBOX_URLS", "")
                    .env("SITEWATCH_CHECK_CONCURRENCY", &concurrency)
                    .env("SITEWATCH_LOCATION", format!("loc-{i}"))
                    .env("SITEWATCH_CHECK_SOURCE_ADDRESS", format!("127.0.0.{}", i + 2))
                    .env("SITEWATCH_LOG", "sitewatch::checker::locations=debug,warn")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped());
                barrier.wait();
                let started = Instant::now();
                let output = command.output().expect("run check");
                let wall = started.elapsed();
                assert!(output.status.success(), "check failed: {}", String::from_utf8_lossy(&output.stderr));
                let log = String::from_utf8_lossy(&output.stderr);
                let field = |name: &str| -> i64 {
                    log.split_whitespace()
                        .find_map(|w| w.strip_prefix(&format!("{name}=")))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(-1)
                };
                (wall, field("vote_ms"), field("lock_wait_ms"))
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let cpu = machine_cpu::busy().saturating_sub(cpu_before);
    let mut conn = db.db.conn().unwrap();
    let writes = newest_write_ms(&mut conn, n);
    let rounds = results
        .into_iter()
        .zip(writes)
        .map(|((wall, vote_ms, lock_wait_ms), db_write_ms)| Round { wall, db_write_ms, vote_ms, lock_wait_ms })
        .collect();
    Moment { rounds, cpu }
}

#[derive(QueryableByName)]
struct Figure {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

/// The write times the newest `n` finished rounds recorded (one per location).
fn newest_write_ms(conn: &mut DbConnection, n: usize) -> Vec<i64> {
    let DbConnection::Postgres(pg) = conn else { unreachable!("the benchmark runs on PostgreSQL") };
    diesel::sql_query(
        "SELECT COALESCE(CAST(db_write_ms AS bigint), -1) AS value FROM check_runs \
         WHERE state = 'done' ORDER BY finished_at DESC LIMIT $1",
    )
    .bind::<BigInt, _>(n as i64)
    .load::<Figure>(pg)
    .unwrap()
    .into_iter()
    .map(|f| f.value)
    .collect()
}

/// Views stored and the bytes the views table takes with its indexes.
fn view_figures(db: &BenchDb) -> (i64, i64) {
    let mut conn = db.db.conn().unwrap();
    let DbConnection::Postgres(pg) = &mut *conn else { unreachable!("the benchmark runs on PostgreSQL") };
    let count = diesel::sql_query("SELECT count(*) AS value FROM site_views").get_result::<Figure>(pg).unwrap().value;
    let bytes = diesel::sql_query("SELECT pg_total_relation_size('site_views') AS value")
        .get_result::<Figure>(pg)
        .unwrap()
        .value;
    (count, bytes)
}
