//! Retention (`[retention]`): raw views go after `raw_days`, hourly rollups after
//! `hourly_days`, daily rollups after `daily_days` (never, by default); monthly rollups stay.
//! The traffic watch's history goes with the raw views: alerts recorded and minutes of log
//! time older than `raw_days` (the watch itself keeps only 48 hours of a log's minutes).
//! Nothing is purged before it is summed: a view whose hour has no rollup row (stored by an
//! older version, or imported) gets one first, hourly rows go only once their day is in the
//! daily table, and daily rows only once their month is in the monthly table.
//! Deletes run in small transactions, so rounds and the web app never wait long.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDateTime, TimeDelta};

use super::daily::{self, day_start, roll_up_again, roll_up_finished_days};
use crate::db::models::app_setting;
use crate::db::models::rollup::{DailyRollup, HourlyRollup, RollupRecord};
use crate::db::models::site_view::SiteView;
use crate::db::models::traffic::{TrafficAlert, TrafficMinute};
use crate::db::{DbConnection, DbError, Id, write_transaction};
use crate::domain::rollup::{Figures, hour_start};
use crate::settings::RetentionSettings;

/// Views deleted per transaction.
pub const BATCH: i64 = 5_000;

/// The UTC day (`YYYY-MM-DD`) whose first round last applied retention.
const LAST_RUN: &str = "retention.last_run_day";

/// Hourly rows before this were deleted by retention (their days live on in daily rows).
const HOURLY_PURGED_UNTIL: &str = "retention.hourly_purged_until";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub views: usize,
    /// Hours that had views but no rollup row, summed before their views went.
    pub hours_rolled_up: usize,
    pub hourly: usize,
    pub daily: usize,
    /// Traffic minutes and alerts.
    pub traffic: usize,
}

/// The end-of-round upkeep: rolls up finished days, and on the first round of a UTC day applies
/// retention. Returns what was purged, or `None` when retention already ran today.
pub fn after_round(
    conn: &mut DbConnection,
    retention: &RetentionSettings,
    now: NaiveDateTime,
) -> Result<Option<Purged>, DbError> {
    roll_up_finished_days(conn, now)?;
    let today = now.date().to_string();
    // One process a day wins the claim, even when two rounds end together.
    if app_setting::get(conn, LAST_RUN)?.as_deref() == Some(today.as_str())
        || !write_transaction(conn, |c| app_setting::set_if_different(c, LAST_RUN, &today))?
    {
        return Ok(None);
    }
    let applied = apply(conn, retention, now);
    if applied.is_err() {
        // Let the next round try again today; what was deleted so far stays deleted.
        let _ = app_setting::delete(conn, LAST_RUN);
    }
    applied.map(Some)
}

/// Applies every limit of `[retention]` now.
pub fn apply(conn: &mut DbConnection, retention: &RetentionSettings, now: NaiveDateTime) -> Result<Purged, DbError> {
    let days = |n: u32| TimeDelta::days(i64::from(n));
    let mut purged = purge_views(conn, now - days(retention.raw_days))?;
    purged.traffic = write_transaction(conn, |c| {
        let cutoff = now - days(retention.raw_days);
        Ok::<_, DbError>(
            TrafficMinute::delete_all_before(c, cutoff)? + TrafficAlert::delete_recorded_before(c, cutoff)?,
        )
    })?;
    purged.hourly = purge_hourly(conn, now - days(retention.hourly_days))?;
    if retention.daily_days > 0
        && let Some(months_until) = daily::rolled_until(conn)?.months_until
    {
        let cutoff = day_start(now - days(retention.daily_days)).min(months_until);
        purged.daily = write_transaction(conn, |c| DailyRollup::delete_before(c, cutoff))?;
    }
    tracing::info!(
        views = purged.views,
        hours_rolled_up = purged.hours_rolled_up,
        hourly = purged.hourly,
        daily = purged.daily,
        traffic = purged.traffic,
        "applied retention"
    );
    Ok(purged)
}

/// Deletes views checked before `cutoff`, oldest first, a batch per transaction; each batch's
/// hours get their rollup rows first if they lack them. Returns views deleted and hours summed.
pub fn purge_views(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<Purged, DbError> {
    let mut purged = Purged::default();
    loop {
        let (deleted, rolled) = write_transaction(conn, |c| {
            let until = match SiteView::batch_boundary(c, cutoff, BATCH)? {
                Some(last) => (last + TimeDelta::microseconds(1)).min(cutoff),
                None => cutoff,
            };
            let rolled = roll_up_unsummed_hours(c, until)?;
            Ok::<_, DbError>((SiteView::delete_before(c, until)?, rolled))
        })?;
        purged.views += deleted;
        purged.hours_rolled_up += rolled;
        if deleted == 0 {
            return Ok(purged);
        }
        tracing::debug!(deleted, total = purged.views, "purged a batch of views");
    }
}

/// Writes hourly rows for the hours of views before `until` that have none, from all of that
/// hour's views, and re-sums their days if those were rolled up already.
fn roll_up_unsummed_hours(conn: &mut DbConnection, until: NaiveDateTime) -> Result<usize, DbError> {
    // Hours before this were purged from the hourly table on purpose; their days are summed.
    let purged_until = daily::mark(conn, HOURLY_PURGED_UNTIL)?;
    let keys: HashSet<(Id, NaiveDateTime)> = SiteView::keys_before(conn, until)?
        .into_iter()
        .map(|(site, at)| (site, hour_start(at)))
        .filter(|(_, hour)| purged_until.is_none_or(|p| *hour >= p))
        .collect();
    let Some(first) = keys.iter().map(|(_, h)| *h).min() else { return Ok(0) };
    let last = keys.iter().map(|(_, h)| *h).max().unwrap_or(first) + TimeDelta::hours(1);
    let mut sites: Vec<Id> = keys.iter().map(|(s, _)| *s).collect();
    sites.sort_unstable();
    sites.dedup();
    let existing: HashSet<(Id, NaiveDateTime)> =
        HourlyRollup::existing_keys(conn, &sites, first, last)?.into_iter().collect();
    let missing: HashSet<&(Id, NaiveDateTime)> = keys.difference(&existing).collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let missing_sites: Vec<Id> = {
        let mut ids: Vec<Id> = missing.iter().map(|(s, _)| *s).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut sums: HashMap<(Id, NaiveDateTime), Figures> = HashMap::new();
    for view in SiteView::for_sites_between(conn, &missing_sites, first, last)? {
        let key = (view.site_id, hour_start(view.checked_at));
        if missing.contains(&key) {
            view.add_to(sums.entry(key).or_default());
        }
    }
    let rows: Vec<HourlyRollup> =
        sums.iter().map(|((site, hour), figures)| HourlyRollup::from_figures(*site, *hour, figures)).collect();
    HourlyRollup::upsert_all(conn, &rows)?;
    let rolled = daily::rolled_until(conn)?;
    let mut days: Vec<NaiveDateTime> = sums.keys().map(|(_, hour)| day_start(*hour)).collect();
    days.sort_unstable();
    days.dedup();
    for day in days {
        roll_up_again(conn, day, rolled)?;
    }
    tracing::info!(hours = rows.len(), "summed hours that had views but no rollup before purging them");
    Ok(rows.len())
}

/// Deletes hourly rows before `cutoff`, a day per transaction, but only days already summed
/// into the daily table.
fn purge_hourly(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<usize, DbError> {
    let Some(rolled_until) = daily::rolled_until(conn)?.days_until else { return Ok(0) };
    let limit = hour_start(cutoff).min(rolled_until);
    if daily::mark(conn, HOURLY_PURGED_UNTIL)?.is_none_or(|p| p < limit) {
        daily::set_mark(conn, HOURLY_PURGED_UNTIL, limit)?;
    }
    let Some(oldest) = HourlyRollup::oldest_start(conn)? else { return Ok(0) };
    let mut deleted = 0;
    let mut through = day_start(oldest) + TimeDelta::days(1);
    loop {
        let until = through.min(limit);
        if until <= oldest {
            return Ok(deleted);
        }
        deleted += write_transaction(conn, |c| HourlyRollup::delete_before(c, until))?;
        if until == limit {
            return Ok(deleted);
        }
        through += TimeDelta::days(1);
    }
}
