//! Stats benchmark: 1,000 sites with a year of one-a-minute history as hourly, daily and
//! monthly rollups plus the last 90 days as raw views, on SQLite and (when
//! `SITEWATCH_BENCH_DATABASE_URL` names a server) PostgreSQL. Prints how long each window's stats take for one site and for a group
//! of 100, and what the history costs on disk. Figures, not pass/fail.
//!
//!   SITEWATCH_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench stats
//!
//! Knobs: SITEWATCH_BENCH_SITES (1000), SITEWATCH_BENCH_GROUP_SIZE (100), SITEWATCH_BENCH_DAYS
//! (365), SITEWATCH_BENCH_RAW_DAYS (90), SITEWATCH_BENCH_SAMPLES (25), SITEWATCH_BENCH_DIR (where
//! the SQLite file goes; it needs about 21 GB at the defaults, and filling it takes about an hour).

#[path = "../common/bench_db.rs"]
mod bench_db;
mod history;

use std::time::{Duration, Instant};

use bench_db::BenchDb;
use sitewatch::db::models::site::Site;
use sitewatch::domain::window::Window;
use sitewatch::history::daily::rolled_until;
use sitewatch::history::stats::{self, window_stats};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).map_or(default, |v| v.parse().expect("a number"))
}

fn median_and_max(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(samples[samples.len() / 2]), ms(*samples.last().expect("samples")))
}

fn main() {
    let sites = env_usize("SITEWATCH_BENCH_SITES", 1_000);
    let group_size = env_usize("SITEWATCH_BENCH_GROUP_SIZE", 100).min(sites);
    let days = env_usize("SITEWATCH_BENCH_DAYS", 365);
    let raw_days = env_usize("SITEWATCH_BENCH_RAW_DAYS", 90).min(days);
    let samples = env_usize("SITEWATCH_BENCH_SAMPLES", 25);
    let postgres = std::env::var("SITEWATCH_BENCH_DATABASE_URL").ok().filter(|v| !v.is_empty());
    let mut backends = vec![("SQLite", None)];
    match postgres {
        Some(url) => backends.push(("PostgreSQL", Some(url))),
        None => eprintln!("PostgreSQL skipped: set SITEWATCH_BENCH_DATABASE_URL=postgres://user@host/db to include it"),
    }
    let mut timing_rows = Vec::new();
    let mut size_rows = Vec::new();
    for (backend, server) in &backends {
        let db = BenchDb::create(server.as_deref());
        let built = history::fill(&db, sites, group_size, days, raw_days);
        eprintln!("{backend}: {built:?}");
        let mut conn = db.db.conn().unwrap();
        let all_sites = Site::all_with_groups(&mut conn).unwrap();
        let now = built.now;
        let rolled = rolled_until(&mut conn).unwrap();
        let group_of = |i: usize| {
            let group = &all_sites[i * group_size % all_sites.len()].1;
            all_sites.iter().filter(|(_, g)| g.id == group.id).map(|(s, _)| s.id).collect::<Vec<_>>()
        };
        for window in Window::ALL {
            let mut site_times = Vec::with_capacity(samples);
            let mut group_times = Vec::with_capacity(samples);
            for i in 0..samples {
                let site = all_sites[(i * 7919) % all_sites.len()].0.id;
                let started = Instant::now();
                let stats = window_stats(&mut conn, &[site], window, now, rolled).unwrap();
                site_times.push(started.elapsed());
                assert!(stats.figures.checks > 0, "the {} window of a site has checks", window.key());
                let group = group_of(i);
                let started = Instant::now();
                let stats = window_stats(&mut conn, &group, window, now, rolled).unwrap();
                group_times.push(started.elapsed());
                assert!(stats.figures.checks > 0);
            }
            let (site_median, site_max) = median_and_max(site_times);
            let (group_median, group_max) = median_and_max(group_times);
            timing_rows.push(format!(
                "| {backend} | {} | {site_median:.1} ms | {site_max:.1} ms | {group_median:.1} ms | {group_max:.1} ms |",
                window.key()
            ));
        }
        let mut page_times = Vec::with_capacity(samples);
        for i in 0..samples {
            let site = &all_sites[(i * 7919) % all_sites.len()].0;
            let started = Instant::now();
            stats::for_sites(&mut conn, std::slice::from_ref(site), now).unwrap();
            page_times.push(started.elapsed());
        }
        let (page_median, page_max) = median_and_max(page_times);
        timing_rows.push(format!("| {backend} | all six (a site page) | {page_median:.1} ms | {page_max:.1} ms | | |"));
        let per_site = |bytes: u64| bytes as f64 / sites as f64 / 1e6;
        size_rows.push(format!(
            "| {backend} | {:.2} GB | {:.1} MB | {:.2} MB | {:.3} MB | {:.1} MB | {:.1} s |",
            built.total_bytes as f64 / 1e9,
            per_site(built.raw_bytes),
            per_site(built.hourly_bytes),
            per_site(built.daily_bytes),
            per_site(built.total_bytes),
            built.daily_rollup.as_secs_f64(),
        ));
    }
    println!(
        "\n{sites} sites, groups of {group_size}, {days} days of rollups, {raw_days} days of raw views (one check a minute); \
         {samples} samples each\n"
    );
    println!(
        "| backend | window | site (median) | site (slowest) | group of {group_size} (median) | group (slowest) |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    timing_rows.iter().for_each(|row| println!("{row}"));
    println!(
        "\n| backend | database on disk | raw views per site ({raw_days} d) | hourly per site ({days} d) | daily and monthly per site ({days} d) | per site in all | rolling up {days} days |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    size_rows.iter().for_each(|row| println!("{row}"));
}
