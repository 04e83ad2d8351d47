//! Daily rollups. Once a UTC day is over, each site's hourly rows of that day are summed into
//! one daily row. A mark in `app_settings` says which days are done; rolling a day again
//! rewrites the same rows, so a crash between days (or two processes at once) is harmless.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::models::app_setting;
use crate::db::models::rollup::{DailyRollup, HourlyRollup, RollupRecord};
use crate::db::{DbConnection, DbError, Id, write_transaction};
use crate::domain::rollup::Figures;

/// The first UTC day (as its midnight) not yet summed into daily rows.
const ROLLED_UNTIL: &str = "rollups.daily_until";

const MARK_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub fn day_start(t: NaiveDateTime) -> NaiveDateTime {
    t.date().and_hms_opt(0, 0, 0).expect("midnight exists")
}

/// The first day whose daily rows are not written yet; days before it are in the daily table.
pub fn rolled_until(conn: &mut DbConnection) -> Result<Option<NaiveDateTime>, DbError> {
    let Some(text) = app_setting::get(conn, ROLLED_UNTIL)? else { return Ok(None) };
    let mark = NaiveDateTime::parse_from_str(&text, MARK_FORMAT)
        .map_err(|e| DbError::Corrupt(format!("app setting `{ROLLED_UNTIL}` = `{text}`: {e}")))?;
    Ok(Some(mark))
}

fn set_rolled_until(conn: &mut DbConnection, day: NaiveDateTime) -> Result<(), DbError> {
    app_setting::set(conn, ROLLED_UNTIL, &day.format(MARK_FORMAT).to_string())?;
    Ok(())
}

/// Sums one day's hourly rows into daily rows (replacing any), in the caller's transaction.
pub fn roll_up_day(conn: &mut DbConnection, day: NaiveDateTime) -> Result<usize, DbError> {
    let day = day_start(day);
    let mut sums: HashMap<Id, Figures> = HashMap::new();
    for hour in HourlyRollup::all_between(conn, day, day + TimeDelta::days(1))? {
        sums.entry(hour.site_id).or_default().merge(&hour.figures());
    }
    let rows: Vec<DailyRollup> =
        sums.iter().map(|(site, figures)| DailyRollup::from_figures(*site, day, figures)).collect();
    Ok(DailyRollup::upsert_all(conn, &rows)?)
}

/// Rolls up every finished day not rolled up yet, one transaction a day, oldest first; returns
/// the number of days. Without a mark it starts at the oldest hourly row.
pub fn roll_up_finished_days(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    let today = day_start(now);
    let mut day = match rolled_until(conn)? {
        Some(mark) => mark,
        None => HourlyRollup::oldest_hour(conn)?.map_or(today, day_start),
    };
    let mut days = 0;
    while day < today {
        let rows = write_transaction(conn, |c| {
            let rows = roll_up_day(c, day)?;
            set_rolled_until(c, day + TimeDelta::days(1))?;
            Ok::<_, DbError>(rows)
        })?;
        tracing::info!(day = %day.date(), sites = rows, "rolled up a day");
        day += TimeDelta::days(1);
        days += 1;
    }
    if rolled_until(conn)?.is_none() {
        set_rolled_until(conn, today)?;
    }
    Ok(days)
}
