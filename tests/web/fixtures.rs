//! Arranging what a check round would have stored, through the models.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sitewatch::db::models::check_run::{CheckRun, RunCounts, RunState};
use sitewatch::db::models::group::Group;
use sitewatch::db::models::notification::{Delivery, Notification};
use sitewatch::db::models::outage::{Outage, OutageSite};
use sitewatch::db::models::rollup::HourlyRollup;
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::schema::{deliveries, sites};
use sitewatch::db::{Db, DbConnection, Id, write_transaction};
use sitewatch::domain::name::Name;
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::domain::slug::Slug;
use sitewatch::domain::time::now_utc;
use sitewatch::manage::group::{self as groups, NewGroup};
use sitewatch::manage::site::{self as sites_use_case, NewSite};

pub fn group(db: &Db, name: &str, slug: &str) -> Group {
    let mut conn = db.conn().unwrap();
    let new = NewGroup { slug: Some(Slug::parse(slug).unwrap()), ..NewGroup::named(Name::parse(name).unwrap()) };
    groups::add(&mut conn, &new).unwrap()
}

pub fn site(db: &Db, group: &Group, name: &str, url: &str) -> Site {
    let mut conn = db.conn().unwrap();
    let new = NewSite {
        name: Some(Name::parse(name).unwrap()),
        group: Some(group.slug.clone()),
        ..NewSite::at(SiteUrl::parse(url).unwrap())
    };
    sites_use_case::add(&mut conn, &new).unwrap().0
}

/// `count` checks one minute apart ending at `last`, every `down_every`-th one down (0: never),
/// with the site's `last_*` columns and the hourly rollups, as a round stores them.
pub fn checks(db: &Db, site: &Site, last: NaiveDateTime, count: usize, down_every: usize) -> Vec<SiteView> {
    let mut conn = db.conn().unwrap();
    let views: Vec<SiteView> = (0..count)
        .map(|i| {
            let up = down_every == 0 || (i + 1) % down_every != 0;
            SiteView {
                site_id: site.id,
                checked_at: last - TimeDelta::minutes((count - 1 - i) as i64),
                status_code: if up { Some(200) } else { None },
                error: if up { None } else { Some("timeout".into()) },
                response_ms: 100 + (i as i32 % 5) * 10,
                up,
                maintenance: false,
                ping: ViewPing::NONE,
            }
        })
        .collect();
    store_views(&mut conn, &views);
    let newest = views.last().unwrap();
    diesel::update(sites::table.find(site.id))
        .set((
            sites::last_checked_at.eq(newest.checked_at),
            sites::last_status_code.eq(newest.status_code),
            sites::last_error.eq(newest.error.clone()),
            sites::last_response_ms.eq(newest.response_ms),
            sites::last_up.eq(newest.up),
            sites::consecutive_failures.eq(if newest.up { 0 } else { 3 }),
        ))
        .execute(&mut conn)
        .unwrap();
    views
}

/// Stores `views`, counted, and their hourly rollups in one transaction, as a round does.
fn store_views(conn: &mut DbConnection, views: &[SiteView]) {
    write_transaction(conn, |c| {
        SiteView::insert_all(c, views)?;
        HourlyRollup::add_views(c, views)
    })
    .unwrap();
}

pub fn round(db: &Db, finished: NaiveDateTime, state: RunState) -> CheckRun {
    let mut conn = db.conn().unwrap();
    let run = CheckRun::new(finished - TimeDelta::seconds(3), "test");
    run.insert(&mut conn).unwrap();
    CheckRun::finish(&mut conn, run.id, finished, state, &RunCounts::default(), None).unwrap();
    run
}

/// An outage of `down` sites starting at `start`, resolved at `end` if given, with one
/// notification and an e-mail delivery in each state.
pub fn outage(db: &Db, down: &[&Site], start: NaiveDateTime, end: Option<NaiveDateTime>) -> Outage {
    let mut conn = db.conn().unwrap();
    let outage = Outage::open(&mut conn, start).unwrap();
    for site in down {
        let row = OutageSite::joining(outage.id, site, start, None, Some("timeout"));
        OutageSite::insert_all(&mut conn, std::slice::from_ref(&row)).unwrap();
        if let Some(end) = end {
            OutageSite::close(&mut conn, row.id, end).unwrap();
        }
    }
    if let Some(end) = end {
        Outage::resolve(&mut conn, outage.id, end).unwrap();
    }
    let notification = Notification {
        id: Id::new(),
        event: "outage_opened".into(),
        outage_id: Some(outage.id),
        payload: "{}".into(),
        created_at: start,
    };
    notification.insert(&mut conn).unwrap();
    let sent = Delivery::pending(notification.id, "email", "ops@example.com", start);
    let failing = Delivery::pending(notification.id, "webhook", "https://hooks.example.com/x", start);
    Delivery::insert_all(&mut conn, &[sent.clone(), failing.clone()]).unwrap();
    diesel::update(deliveries::table.find(sent.id))
        .set((deliveries::state.eq("sent"), deliveries::attempts.eq(2), deliveries::sent_at.eq(Some(start))))
        .execute(&mut conn)
        .unwrap();
    diesel::update(deliveries::table.find(failing.id))
        .set((deliveries::attempts.eq(3), deliveries::last_error.eq(Some("connection refused"))))
        .execute(&mut conn)
        .unwrap();
    outage
}

pub fn now() -> NaiveDateTime {
    now_utc()
}

/// Stores `views` as a round would (views, rollups, the site's `last_*` columns, its ping
/// figures) and returns them.
pub fn record(db: &Db, site: &Site, views: Vec<SiteView>) -> Vec<SiteView> {
    let mut conn = db.conn().unwrap();
    store_views(&mut conn, &views);
    let newest = views.last().unwrap();
    let failures = views.iter().rev().take_while(|v| !v.up).count() as i32;
    diesel::update(sites::table.find(site.id))
        .set((
            sites::last_checked_at.eq(newest.checked_at),
            sites::last_status_code.eq(newest.status_code),
            sites::last_error.eq(newest.error.clone()),
            sites::last_response_ms.eq(newest.response_ms),
            sites::last_up.eq(newest.up),
            sites::consecutive_failures.eq(failures),
            sites::last_ping_transmitted.eq(newest.ping.ping_transmitted),
            sites::last_ping_received.eq(newest.ping.ping_received),
            sites::last_ping_duplicates.eq(newest.ping.ping_duplicates),
            sites::last_ping_rtt_min_ms.eq(newest.ping.ping_rtt_min_ms),
            sites::last_ping_rtt_avg_ms.eq(newest.ping.ping_rtt_avg_ms),
            sites::last_ping_rtt_max_ms.eq(newest.ping.ping_rtt_max_ms),
            sites::last_ping_rtt_mdev_ms.eq(newest.ping.ping_rtt_mdev_ms),
        ))
        .execute(&mut conn)
        .unwrap();
    views
}

/// `count` ping checks of 4 echo requests a minute apart up to `last`; every `lossy`-th one
/// loses one request (0: none), and the newest `dead` lose every request.
pub fn ping_checks(
    db: &Db,
    site: &Site,
    last: NaiveDateTime,
    count: usize,
    lossy: usize,
    dead: usize,
) -> Vec<SiteView> {
    let views = (0..count)
        .map(|i| {
            let received = if i + dead >= count {
                0
            } else if lossy > 0 && (i + 1) % lossy == 0 {
                3
            } else {
                4
            };
            let avg = 18.0 + (i % 7) as f64 * 1.5;
            let answered = received > 0;
            SiteView {
                site_id: site.id,
                checked_at: last - TimeDelta::minutes((count - 1 - i) as i64),
                status_code: None,
                error: if answered { None } else { Some("unreachable".into()) },
                response_ms: if answered { avg.round() as i32 } else { 0 },
                up: answered,
                maintenance: false,
                ping: ViewPing {
                    ping_transmitted: Some(4),
                    ping_received: Some(received),
                    ping_duplicates: Some(0),
                    ping_rtt_min_ms: answered.then_some(avg - 3.2),
                    ping_rtt_avg_ms: answered.then_some(avg),
                    ping_rtt_max_ms: answered.then_some(avg + 6.8),
                    ping_rtt_mdev_ms: answered.then_some(2.41),
                },
            }
        })
        .collect();
    record(db, site, views)
}

/// `count` TCP checks a minute apart up to `last`; the newest `refused` ones were refused.
pub fn tcp_checks(db: &Db, site: &Site, last: NaiveDateTime, count: usize, refused: usize) -> Vec<SiteView> {
    let views = (0..count)
        .map(|i| {
            let up = i + refused < count;
            SiteView {
                site_id: site.id,
                checked_at: last - TimeDelta::minutes((count - 1 - i) as i64),
                status_code: None,
                error: if up { None } else { Some("connect".into()) },
                response_ms: if up { 3 + (i % 3) as i32 } else { 0 },
                up,
                maintenance: false,
                ping: ViewPing::NONE,
            }
        })
        .collect();
    record(db, site, views)
}

/// Sets when the site's certificate expires, as an https check would have seen it.
pub fn certificate_expires(db: &Db, site: &Site, at: NaiveDateTime) {
    let mut conn = db.conn().unwrap();
    diesel::update(sites::table.find(site.id)).set(sites::tls_expires_at.eq(Some(at))).execute(&mut conn).unwrap();
}
