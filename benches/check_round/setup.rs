//! Fresh databases for each scenario, filled with sites pointing at the farm.

#[path = "../common/bench_db.rs"]
mod bench_db;

use sitewatch::db::models::check_run::CheckRun;
use sitewatch::domain::check_options::CheckOptions;
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::domain::target::CheckKind;
use sitewatch::manage::import::{self, ImportFile, ImportOptions};
use sitewatch::manage::site::NewSite;

use crate::farm::{Farm, KEYWORD};

pub use bench_db::BenchDb;

/// The newest finished round of a scenario's database.
pub fn latest_run(db: &BenchDb) -> CheckRun {
    let mut conn = db.db.conn().unwrap();
    CheckRun::latest_finished(&mut conn).unwrap().expect("a finished round")
}

/// How many sites a scenario's database holds.
pub fn site_count(db: &BenchDb) -> usize {
    let mut conn = db.db.conn().unwrap();
    sitewatch::db::models::site::Site::count(&mut conn).unwrap() as usize
}

/// Adds `count` sites, `hanging_percent` of them on never-answering ports; returns how many hang.
pub fn add_sites(db: &BenchDb, count: usize, hanging_percent: usize, farm: &Farm, per_port: usize) -> usize {
    let mut conn = db.db.conn().unwrap();
    let hanging_every = 100usize.checked_div(hanging_percent).unwrap_or(usize::MAX);
    let mut hanging = 0;
    let sites: Vec<NewSite> = (0..count)
        .map(|i| {
            let port = if i % hanging_every == hanging_every - 1 {
                hanging += 1;
                farm.hanging[(hanging - 1) / per_port % farm.hanging.len()]
            } else {
                farm.answering[i / per_port % farm.answering.len()]
            };
            NewSite {
                name: Some(Name::parse(&format!("bench {i:05}")).unwrap()),
                ..NewSite::at(SiteUrl::parse(&format!("http://127.0.0.1:{port}/site/{i}")).unwrap())
            }
        })
        .collect();
    import::import(&mut conn, &ImportFile::of_sites(sites), &ImportOptions::default()).unwrap();
    hanging
}

/// The kinds of a mixed round, in tenths of its sites: 7 HTTP, 1 keyword, 1 TCP, 1 ping.
fn mixed_url(i: usize, farm: &Farm, per_port: usize) -> (String, bool) {
    let port = farm.answering[i / per_port % farm.answering.len()];
    match i % 10 {
        7 => (format!("http://127.0.0.1:{port}/page/{i}"), true),
        // A port of its own per TCP site: a TCP URL is only a host and a port.
        8 => (format!("tcp://127.0.0.1:{}", farm.answering[i / 10 % farm.answering.len()]), false),
        9 => (ping_url(i / 10), false),
        _ => (format!("http://127.0.0.1:{port}/site/{i}"), false),
    }
}

/// A ping target of its own for each `n`: 127.10.x.y.
fn ping_url(n: usize) -> String {
    format!("ping://127.10.{}.{}", n / 250 % 250, n % 250 + 1)
}

/// Adds `count` sites of every kind (see `mixed_url`); all of them answer.
pub fn add_mixed_sites(db: &BenchDb, count: usize, farm: &Farm, per_port: usize) {
    add_each(db, count, |i| mixed_url(i, farm, per_port));
}

/// Adds `count` ping sites, each with an address of its own.
pub fn add_ping_sites(db: &BenchDb, count: usize) {
    add_each(db, count, |i| (ping_url(i), false));
}

fn add_each(db: &BenchDb, count: usize, url_of: impl Fn(usize) -> (String, bool)) {
    let mut conn = db.db.conn().unwrap();
    let keyword = CheckOptions::parse(CheckKind::Http, None, Some(KEYWORD), false).unwrap();
    let sites = (0..count).map(|i| {
        let (url, with_keyword) = url_of(i);
        let url = SiteUrl::parse(&url).unwrap();
        let check = if with_keyword { keyword.clone() } else { CheckOptions::default() };
        NewSite { name: Some(Name::parse(&format!("bench {i:05}")).unwrap()), check, ..NewSite::at(url) }
    });
    import::import(&mut conn, &ImportFile::of_sites(sites), &ImportOptions::default()).unwrap();
}
