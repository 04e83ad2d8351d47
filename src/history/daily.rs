//! Daily and monthly rollups. Once a UTC day is over, each site's hourly rows of that day are
//! summed into one daily row; once a month is over, its daily rows into one monthly row. Marks
//! in `app_settings` say which days and months are done; summing one again rewrites the same
//! rows, so a crash between two (or two processes at once) is harmless.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::models::app_setting;
use crate::db::models::rollup::{DailyRollup, HourlyRollup, MonthlyRollup, RollupRecord};
use crate::db::{DbConnection, DbError, Id, write_transaction};
use crate::domain::rollup::Figures;
use crate::domain::window::{Rolled, month_start, next_month};

/// The first UTC day (as its midnight) not yet summed into daily rows.
const DAYS_UNTIL: &str = "rollups.daily_until";
/// The first month (as midnight on its first) not yet summed into monthly rows.
const MONTHS_UNTIL: &str = "rollups.monthly_until";

const MARK_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub fn day_start(t: NaiveDateTime) -> NaiveDateTime {
    t.date().and_hms_opt(0, 0, 0).expect("midnight exists")
}

pub(super) fn mark(conn: &mut DbConnection, key: &str) -> Result<Option<NaiveDateTime>, DbError> {
    let Some(text) = app_setting::get(conn, key)? else { return Ok(None) };
    let mark = NaiveDateTime::parse_from_str(&text, MARK_FORMAT).map_err(|e| {
        DbError::Corrupt(format!(
            "app setting `{key}` = `{text}`: {e}; delete that row of app_settings and the next round sums \
                 every day and month again from the oldest rollups"
        ))
    })?;
    Ok(Some(mark))
}

pub(super) fn set_mark(conn: &mut DbConnection, key: &str, at: NaiveDateTime) -> Result<(), DbError> {
    app_setting::set(conn, key, &at.format(MARK_FORMAT).to_string())?;
    Ok(())
}

/// How far the daily and monthly rollups reach.
pub fn rolled_until(conn: &mut DbConnection) -> Result<Rolled, DbError> {
    Ok(Rolled { days_until: mark(conn, DAYS_UNTIL)?, months_until: mark(conn, MONTHS_UNTIL)? })
}

/// Sums one period's finer rows per site, in site order (so two processes summing the same
/// period write rows in the same order and cannot deadlock).
fn sum_into<F: RollupRecord, C: RollupRecord>(finer: Vec<F>, start: NaiveDateTime) -> Vec<C> {
    let mut sums: BTreeMap<Id, Figures> = BTreeMap::new();
    for row in finer {
        sums.entry(row.site_id()).or_default().merge(&row.figures());
    }
    sums.iter().map(|(site, figures)| C::from_figures(*site, start, figures)).collect()
}

/// Sums one day's hourly rows into daily rows, in the caller's transaction.
pub fn roll_up_day(conn: &mut DbConnection, day: NaiveDateTime) -> Result<usize, DbError> {
    let day = day_start(day);
    let hours = HourlyRollup::all_between(conn, day, day + TimeDelta::days(1))?;
    Ok(DailyRollup::upsert_all(conn, &sum_into::<_, DailyRollup>(hours, day))?)
}

/// Sums one month's daily rows into monthly rows, in the caller's transaction.
pub fn roll_up_month(conn: &mut DbConnection, month: NaiveDateTime) -> Result<usize, DbError> {
    let month = month_start(month);
    let days = DailyRollup::all_between(conn, month, next_month(month))?;
    Ok(MonthlyRollup::upsert_all(conn, &sum_into::<_, MonthlyRollup>(days, month))?)
}

/// Re-sums `day` (and its month) if they were summed already: for hours written late.
pub fn roll_up_again(conn: &mut DbConnection, day: NaiveDateTime, rolled: Rolled) -> Result<(), DbError> {
    if rolled.days_until.is_some_and(|until| day < until) {
        roll_up_day(conn, day)?;
        if rolled.months_until.is_some_and(|until| day < until) {
            roll_up_month(conn, day)?;
        }
    }
    Ok(())
}

/// Rolls up every finished day, then every finished month, not rolled up yet; one transaction
/// each, oldest first. Returns the number of days. Without marks it starts at the oldest row.
pub fn roll_up_finished_days(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    let today = day_start(now);
    let mut day = match mark(conn, DAYS_UNTIL)? {
        Some(until) => until,
        None => HourlyRollup::oldest_start(conn)?.map_or(today, day_start),
    };
    let mut days = 0;
    while day < today {
        let rows = write_transaction(conn, |c| {
            let rows = roll_up_day(c, day)?;
            set_mark(c, DAYS_UNTIL, day + TimeDelta::days(1))?;
            Ok::<_, DbError>(rows)
        })?;
        tracing::info!(day = %day.date(), sites = rows, "rolled up a day");
        day += TimeDelta::days(1);
        days += 1;
    }
    if mark(conn, DAYS_UNTIL)?.is_none() {
        set_mark(conn, DAYS_UNTIL, today)?;
    }
    roll_up_finished_months(conn, day)?;
    Ok(days)
}

/// Rolls up the months that end on or before `days_until`.
fn roll_up_finished_months(conn: &mut DbConnection, days_until: NaiveDateTime) -> Result<(), DbError> {
    let mut month = match mark(conn, MONTHS_UNTIL)? {
        Some(until) => until,
        None => DailyRollup::oldest_start(conn)?.map_or(month_start(days_until), month_start),
    };
    while next_month(month) <= days_until {
        let rows = write_transaction(conn, |c| {
            let rows = roll_up_month(c, month)?;
            set_mark(c, MONTHS_UNTIL, next_month(month))?;
            Ok::<_, DbError>(rows)
        })?;
        tracing::info!(month = %month.format("%Y-%m"), sites = rows, "rolled up a month");
        month = next_month(month);
    }
    if mark(conn, MONTHS_UNTIL)?.is_none() {
        set_mark(conn, MONTHS_UNTIL, month)?;
    }
    Ok(())
}
