//! Fresh databases for each scenario, filled with sites pointing at the farm.

#[path = "../common/bench_db.rs"]
mod bench_db;

use sitewatch::db::models::check_run::CheckRun;
use sitewatch::db::models::group::Group;
use sitewatch::db::models::site::{Site, SiteSpec};
use sitewatch::db::{DbError, write_transaction};
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;

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
    write_transaction(&mut conn, |c| {
        let group = Group::default_group(c)?;
        let mut hanging = 0;
        for i in 0..count {
            let port = if i % hanging_every == hanging_every - 1 {
                hanging += 1;
                farm.hanging[(hanging - 1) / per_port % farm.hanging.len()]
            } else {
                farm.answering[i / per_port % farm.answering.len()]
            };
            let spec = SiteSpec {
                name: Name::parse(&format!("bench {i:05}")).unwrap(),
                url: SiteUrl::parse(&format!("http://127.0.0.1:{port}/site/{i}")).unwrap(),
                group_id: group.id,
                interval_secs: None,
                slug: None,
            };
            Site::create(c, &spec)?;
        }
        Ok::<_, DbError>(hanging)
    })
    .unwrap()
}
