//! Fresh databases for each scenario, filled with sites pointing at the farm.

#[path = "../common/bench_db.rs"]
mod bench_db;

use sitewatch::db::models::check_run::CheckRun;
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::manage::import::{self, ImportFile, ImportOptions};
use sitewatch::manage::site::NewSite;

use crate::farm::Farm;

pub use bench_db::BenchDb;

/// The newest finished round of a scenario's database.
pub fn latest_run(db: &BenchDb) -> CheckRun {
    let mut conn = db.db.conn().unwrap();
    CheckRun::latest_finished(&mut conn).unwrap().expect("a finished round")
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
