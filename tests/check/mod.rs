//! The `check` binary: probes of every kind (HTTP, keyword, TCP, ping, certificates) against
//! real peers on loopback, the outage rule over several real rounds, and the round's safety
//! under cron (lock, sandbox, a kill mid-round).

mod certificates;
mod keyword;
mod locations;
mod maintenance;
mod outages;
mod ping;
mod probes;
mod safety;
mod selection;
mod tcp;

use diesel::prelude::*;
use sitewatch::db::models::outage::{Outage, OutageSite};
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::SiteView;
use sitewatch::db::schema::notifications;
use sitewatch::domain::check_options::CheckOptions;

use crate::harness::TestDb;

/// A site's views, oldest first.
pub fn views(db: &TestDb, slug: &str) -> Vec<SiteView> {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let site = Site::by_slug(&mut conn, slug).unwrap();
    let mut views = SiteView::page_for_site(&mut conn, site.id, 0, 10_000).unwrap();
    views.reverse();
    views
}

pub fn site(db: &TestDb, slug: &str) -> Site {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    Site::by_slug(&mut conn, slug).unwrap()
}

/// Every outage, newest first, with its site rows.
pub fn outages(db: &TestDb) -> Vec<(Outage, Vec<OutageSite>)> {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    Outage::page(&mut conn, 0, 100)
        .unwrap()
        .into_iter()
        .map(|o| {
            let rows = OutageSite::of_outage(&mut conn, o.id).unwrap();
            (o, rows)
        })
        .collect()
}

/// The events of every queued notification, oldest first.
pub fn notification_events(db: &TestDb) -> Vec<String> {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    notifications::table.order(notifications::created_at.asc()).select(notifications::event).load(&mut *conn).unwrap()
}

/// Sets a site's probes and keyword rule, as the doors will.
pub fn set_options(db: &TestDb, slug: &str, options: &CheckOptions) {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let site = Site::by_slug(&mut conn, slug).unwrap();
    CheckOptions::fit(options, site.kind().unwrap()).unwrap();
    Site::set_check_options(&mut conn, site.id, options).unwrap();
}
