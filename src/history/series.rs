//! Figures per hour or per day over a stretch of time, for charts and the uptime bar; read from
//! rollups only, so 90 days of a group of sites cost one row per site and day.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};

use super::daily::day_start;
use super::stats::FiguresSum;
use crate::db::models::rollup::{DailyRollup, HourlyRollup, RollupRecord};
use crate::db::{DbConnection, DbError, Id};
use crate::domain::rollup::{Figures, hour_start};
use crate::domain::window::Rolled;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Hour,
    Day,
}

impl Step {
    pub fn length(self) -> TimeDelta {
        match self {
            Step::Hour => TimeDelta::hours(1),
            Step::Day => TimeDelta::days(1),
        }
    }

    pub fn start_of(self, t: NaiveDateTime) -> NaiveDateTime {
        match self {
            Step::Hour => hour_start(t),
            Step::Day => day_start(t),
        }
    }
}

/// One period's start and figures; periods without checks are left out.
pub type Point = (NaiveDateTime, Figures);

/// The figures of `site_ids` per period for the periods starting in `from..until` (both
/// rounded down to the step), oldest first. Days before `rolled.days_until` come from daily rows,
/// later ones are summed from their hours.
pub fn series(
    conn: &mut DbConnection,
    site_ids: &[Id],
    from: NaiveDateTime,
    until: NaiveDateTime,
    step: Step,
    rolled: Rolled,
) -> Result<Vec<Point>, DbError> {
    let (from, until) = (step.start_of(from), step.start_of(until) + step.length());
    let mut sums: BTreeMap<NaiveDateTime, FiguresSum> = BTreeMap::new();
    let hourly_from = match step {
        Step::Hour => from,
        Step::Day => rolled.days_until.map_or(from, |r| r.clamp(from, until)),
    };
    if hourly_from > from {
        for row in DailyRollup::for_sites(conn, site_ids, from, hourly_from)? {
            sums.entry(row.start()).or_default().add_record(&row);
        }
    }
    for row in HourlyRollup::for_sites(conn, site_ids, hourly_from, until)? {
        sums.entry(step.start_of(row.start())).or_default().add_record(&row);
    }
    Ok(sums.into_iter().map(|(start, sum)| (start, sum.finish())).collect())
}
