//! History that lasts: rollups against raw views on random histories, windows at their edges,
//! purge and retention keeping every figure, and outages in the stats, on both backends.

mod edges;
mod late;
mod outages;
mod property;
mod purge;
mod retention;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use sitewatch::db::models::rollup::{DailyRollup, HourlyRollup, RollupRecord};
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::{DbConnection, Id, write_transaction};
use sitewatch::domain::histogram::RELATIVE_ERROR;
use sitewatch::domain::name::Name;
use sitewatch::domain::rollup::{Figures, answered};
use sitewatch::domain::site_url::SiteUrl;
use sitewatch::domain::window::Span;
use sitewatch::history::daily::rolled_until;
use sitewatch::history::stats::figures_between;
use sitewatch::manage::site::NewSite;

/// A UTC time at whole seconds.
pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, s).unwrap()
}

pub fn micros(n: i64) -> TimeDelta {
    TimeDelta::microseconds(n)
}

/// `n` new sites in the default group, each with a URL of its own.
pub fn add_sites(conn: &mut DbConnection, n: usize) -> Vec<Site> {
    (0..n)
        .map(|_| {
            let host = Id::new().to_string().replace('-', "");
            let new = NewSite {
                name: Some(Name::parse(&format!("site {}", &host[..8])).unwrap()),
                ..NewSite::at(SiteUrl::parse(&format!("https://{host}.example.com/")).unwrap())
            };
            sitewatch::manage::site::add(conn, &new).unwrap().0
        })
        .collect()
}

/// A check with an outcome picked by `i`: mostly 200, sometimes 503, a timeout or a 301.
pub fn check_at(site: Id, checked_at: NaiveDateTime, i: u32) -> SiteView {
    let (up, status_code, error) = match i % 7 {
        0 => (false, None, Some("timeout".to_owned())),
        1 => (false, Some(503), None),
        2 => (true, Some(301), None),
        _ => (true, Some(200), None),
    };
    let response_ms = (i.wrapping_mul(7_919) % 30_000) as i32;
    SiteView {
        site_id: site,
        checked_at,
        status_code,
        error,
        response_ms,
        up,
        maintenance: false,
        ping: ViewPing::NONE,
    }
}

/// A check of each site every `every`, from `from` (inclusive) to `until` (exclusive).
pub fn regular_checks(sites: &[Id], from: NaiveDateTime, until: NaiveDateTime, every: TimeDelta) -> Vec<SiteView> {
    let mut views = Vec::new();
    let mut t = from;
    let mut i = 0u32;
    while t < until {
        for (n, site) in sites.iter().enumerate() {
            views.push(check_at(*site, t, i.wrapping_add(n as u32 * 3)));
        }
        t += every;
        i = i.wrapping_add(1);
    }
    views
}

/// Stores views the way check rounds do: oldest first, in `rounds` transactions that each
/// insert their views and add them to the hourly rollups.
pub fn write_rounds(conn: &mut DbConnection, views: &[SiteView], rounds: usize) {
    let mut sorted = views.to_vec();
    sorted.sort_by_key(|v| (v.checked_at, v.site_id));
    let size = sorted.len().div_ceil(rounds.max(1)).max(1);
    for round in sorted.chunks(size) {
        write_transaction(conn, |c| {
            SiteView::insert_all(c, round)?;
            HourlyRollup::add_views(c, round)
        })
        .unwrap();
    }
}

/// Stores views without rollups, as an import or an older version of sitewatch would have.
pub fn import_views(conn: &mut DbConnection, views: &[SiteView]) {
    write_transaction(conn, |c| SiteView::insert_all(c, views)).unwrap();
}

/// What the views of `site_ids` in `span` add up to, counted here without the database.
pub fn expected_figures(views: &[SiteView], site_ids: &[Id], span: Span) -> Figures {
    let mut figures = Figures::default();
    for v in views.iter().filter(|v| counted(v, site_ids, span)) {
        v.add_to(&mut figures);
    }
    figures
}

/// True when a view is one of `site_ids`' checked in `span` (`from <= checked_at < until`).
fn counted(view: &SiteView, site_ids: &[Id], span: Span) -> bool {
    site_ids.contains(&view.site_id) && span.from <= view.checked_at && view.checked_at < span.until
}

/// The answered response times of `site_ids` in `span`, sorted.
pub fn answered_times(views: &[SiteView], site_ids: &[Id], span: Span) -> Vec<u32> {
    let mut times: Vec<u32> = views
        .iter()
        .filter(|v| counted(v, site_ids, span) && answered(v.status_code, v.error.as_deref()))
        .map(|v| v.response_ms.max(0) as u32)
        .collect();
    times.sort_unstable();
    times
}

/// The exact nearest-rank percentile (rank `ceil(q * n)`) of sorted values.
pub fn nearest_rank(sorted: &[u32], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(f64::from(sorted[rank - 1]))
}

/// Why p50, p95 or p99 of `figures` is further than `RELATIVE_ERROR` from the exact value.
pub fn percentile_error(figures: &Figures, sorted: &[u32]) -> Option<String> {
    for q in [0.5, 0.95, 0.99] {
        match (figures.histogram.quantile(q), nearest_rank(sorted, q)) {
            (None, None) => {}
            (Some(estimate), Some(exact)) if (estimate - exact).abs() <= exact * RELATIVE_ERROR + 1e-9 => {}
            (estimate, exact) => {
                return Some(format!(
                    "p{}: estimated {estimate:?}, exact {exact:?} of {} times",
                    q * 100.0,
                    sorted.len()
                ));
            }
        }
    }
    None
}

/// The figures of `site_ids` over `span` as the stats read them (raw, hourly and daily pieces).
pub fn stats_figures(conn: &mut DbConnection, site_ids: &[Id], span: Span) -> Figures {
    let rolled = rolled_until(conn).unwrap();
    figures_between(conn, site_ids, span, rolled).unwrap()
}

/// Every hourly row, by site and hour.
pub fn all_hourly(conn: &mut DbConnection) -> Vec<HourlyRollup> {
    let mut rows = HourlyRollup::all_between(conn, at(2000, 1, 1, 0, 0, 0), at(2200, 1, 1, 0, 0, 0)).unwrap();
    rows.sort_by_key(|r| (r.site_id, r.hour_start));
    rows
}

/// Every daily row, by site and day.
pub fn all_daily(conn: &mut DbConnection) -> Vec<DailyRollup> {
    let mut rows = DailyRollup::all_between(conn, at(2000, 1, 1, 0, 0, 0), at(2200, 1, 1, 0, 0, 0)).unwrap();
    rows.sort_by_key(|r| (r.site_id, r.day_start));
    rows
}

/// The figures of one site's rollup row starting at `start`, if there is one.
pub fn row_figures<R: RollupRecord>(rows: &[R], site: Id, start: NaiveDateTime) -> Option<Figures> {
    rows.iter().find(|r| r.site_id() == site && r.start() == start).map(RollupRecord::figures)
}

/// Every view, by site and time.
pub fn all_views(conn: &mut DbConnection) -> Vec<SiteView> {
    let sites = all_site_ids(conn);
    let mut views =
        SiteView::for_sites_between(conn, &sites, at(2000, 1, 1, 0, 0, 0), at(2200, 1, 1, 0, 0, 0)).unwrap();
    views.sort_by_key(|v| (v.site_id, v.checked_at));
    views
}

fn all_site_ids(conn: &mut DbConnection) -> Vec<Id> {
    Site::all_with_groups(conn).unwrap().into_iter().map(|(s, _)| s.id).collect()
}
