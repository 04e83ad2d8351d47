//! Fills a database with a large, realistic installation for the web benchmark (`benches/web.sh`):
//! groups, sites with their `last_*` state, views at one-minute spacing ending now, the
//! matching hourly rollups, some outages and a finished check round. Uses the library's own
//! writes, in large transactions.
//!
//! `cargo run --release --example bench_data -- DATABASE_URL [SITES] [GROUPS] [VIEWS_PER_SITE]`

use std::time::Instant;

use chrono::TimeDelta;
use diesel::prelude::*;
use sitewatch::db::models::check_run::{CheckRun, RunCounts, RunState};
use sitewatch::db::models::outage::{Outage, OutageSite};
use sitewatch::db::models::rollup::HourlyRollup;
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::schema::sites;
use sitewatch::db::{Db, write_transaction};
use sitewatch::domain::database_url::DatabaseUrl;
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::domain::time::now_utc;
use sitewatch::manage::group::NewGroup;
use sitewatch::manage::import::formats::GroupEntry;
use sitewatch::manage::import::{self, ImportFile, ImportOptions};
use sitewatch::manage::site::NewSite;

/// Sites written per transaction.
const BATCH: usize = 100;

fn arg(n: usize, default: usize) -> usize {
    std::env::args().nth(n).map_or(default, |v| v.parse().expect("a whole number"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: bench_data DATABASE_URL [SITES] [GROUPS] [VIEWS_PER_SITE]")?;
    let (site_count, group_count, per_site) = (arg(2, 10_000), arg(3, 50), arg(4, 1_000));
    let db = Db::open_and_migrate(&DatabaseUrl::parse(&url, std::path::Path::new("."))?, 2)?;
    let mut conn = db.conn()?;
    let started = Instant::now();
    let now = now_utc();

    let mut file = ImportFile::of_sites((0..site_count).map(|i| NewSite {
        name: Some(Name::parse(&format!("Site {i:05}")).expect("a valid name")),
        group: Some(format!("Group {:02}", i % group_count)),
        ..NewSite::at(SiteUrl::parse(&format!("https://site{i:05}.example.com/")).expect("a valid URL"))
    }));
    for g in 0..group_count {
        let group = NewGroup { display_order: g as i32, ..NewGroup::named(Name::parse(&format!("Group {g:02}"))?) };
        file.groups.push(GroupEntry { position: format!("group {g}"), group });
    }
    import::import(&mut conn, &file, &ImportOptions::default())?;
    let sites: Vec<Site> = Site::all_with_groups(&mut conn)?.into_iter().map(|(site, _)| site).collect();

    let mut views_written = 0usize;
    for (batch, chunk) in sites.chunks(BATCH).enumerate() {
        write_transaction(&mut conn, |c| {
            let mut views = Vec::with_capacity(BATCH * per_site);
            for (j, site) in chunk.iter().enumerate() {
                let i = batch * BATCH + j;
                let mut last = None;
                for k in 0..per_site {
                    let checked_at = now - TimeDelta::minutes((per_site - k) as i64);
                    // Mostly up, a failure now and then, one site in fifty down at the end.
                    let up = !((i * 7 + k).is_multiple_of(97) || (i.is_multiple_of(50) && k + 3 >= per_site));
                    let view = SiteView {
                        site_id: site.id,
                        checked_at,
                        status_code: Some(if up { 200 } else { 503 }),
                        error: None,
                        response_ms: (40 + (i * 13 + k * 7) % 400) as i32,
                        up,
                        maintenance: false,
                        ping: ViewPing::NONE,
                    };
                    last = Some(view.clone());
                    views.push(view);
                }
                if let Some(v) = last {
                    diesel::update(sites::table.find(site.id))
                        .set((
                            sites::last_checked_at.eq(v.checked_at),
                            sites::last_status_code.eq(v.status_code),
                            sites::last_response_ms.eq(v.response_ms),
                            sites::last_up.eq(v.up),
                            sites::consecutive_failures.eq(if v.up { 0 } else { 3 }),
                        ))
                        .execute(c)?;
                }
            }
            SiteView::insert_all(c, &views)?;
            HourlyRollup::add_views(c, &views)?;
            views_written += views.len();
            Ok::<_, Box<dyn std::error::Error>>(())
        })?;
        if batch % 10 == 0 {
            eprintln!("{} sites, {views_written} views, {:.0?}", (batch + 1) * BATCH, started.elapsed());
        }
    }

    // Outage history: 300 resolved outages of two sites each, newest last.
    write_transaction(&mut conn, |c| {
        let some_sites: Vec<Site> = Site::all_with_groups(c)?.into_iter().take(600).map(|(s, _)| s).collect();
        for o in 0..300usize {
            let at = now - TimeDelta::hours(300 - o as i64);
            let outage = Outage::open(c, at)?;
            // Two sites each, cycling through them when there are fewer than 600.
            for site in (0..2).filter_map(|k| some_sites.get((o * 2 + k) % some_sites.len().max(1))) {
                let row = OutageSite::joining(outage.id, site, at, Some(503), None);
                OutageSite::insert_all(c, std::slice::from_ref(&row))?;
                OutageSite::close(c, row.id, at + TimeDelta::minutes(7))?;
            }
            Outage::resolve(c, outage.id, at + TimeDelta::minutes(7))?;
        }
        let run = CheckRun::new(now - TimeDelta::seconds(20), "bench");
        run.insert(c)?;
        let counts = RunCounts { sites_checked: site_count as i32, ..RunCounts::default() };
        CheckRun::finish(c, run.id, now, RunState::Done, &counts, None)?;
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    eprintln!("done: {site_count} sites in {group_count} groups, {views_written} views, {:.0?}", started.elapsed());
    Ok(())
}
