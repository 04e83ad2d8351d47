//! Checks and ups per site and UTC day, from the daily rollups where a day is summed and from
//! the hourly ones after: what a 90-day uptime bar needs, without histograms.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{site_rollups_daily, site_rollups_hourly};
use super::{DbConnection, Id};

/// `(checks, ups)` by site and day.
pub type DayCounts = HashMap<Id, HashMap<NaiveDate, (i64, i64)>>;

/// Site ids per lookup, well below both backends' bind limits.
const CHUNK: usize = 5_000;

/// The counts of `site_ids` for days from `from` (a midnight) up to `until`; days before
/// `days_until` come from daily rows, the rest from hourly rows.
pub fn day_counts(
    conn: &mut DbConnection,
    site_ids: &[Id],
    from: NaiveDateTime,
    until: NaiveDateTime,
    days_until: Option<NaiveDateTime>,
) -> QueryResult<DayCounts> {
    let split = days_until.map_or(from, |d| d.clamp(from, until));
    let mut counts: DayCounts = HashMap::new();
    let mut add = |site: Id, at: NaiveDateTime, checks: i32, ups: i32| {
        let day = counts.entry(site).or_default().entry(at.date()).or_default();
        day.0 += i64::from(checks.max(0));
        day.1 += i64::from(ups.max(0));
    };
    for chunk in site_ids.chunks(CHUNK) {
        if split > from {
            use site_rollups_daily as d;
            let rows: Vec<(Id, NaiveDateTime, i32, i32)> = d::table
                .filter(d::site_id.eq_any(chunk))
                .filter(d::day_start.ge(from).and(d::day_start.lt(split)))
                .select((d::site_id, d::day_start, d::checks, d::ups))
                .load(conn)?;
            rows.into_iter().for_each(|(s, t, c, u)| add(s, t, c, u));
        }
        use site_rollups_hourly as h;
        let rows: Vec<(Id, NaiveDateTime, i32, i32)> = h::table
            .filter(h::site_id.eq_any(chunk))
            .filter(h::hour_start.ge(split).and(h::hour_start.lt(until)))
            .select((h::site_id, h::hour_start, h::checks, h::ups))
            .load(conn)?;
        rows.into_iter().for_each(|(s, t, c, u)| add(s, t, c, u));
    }
    Ok(counts)
}
