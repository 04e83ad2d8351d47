//! Reminders of an open outage (`[alerts] remind_every_mins`): after the round's write, in a
//! transaction of their own, the latest reminder due is claimed on the outage and queued.
//!
//! Reminder n is due at the outage's start plus n intervals. The outage keeps the number of the
//! latest one claimed; raising it is one conditional UPDATE in the transaction that queues the
//! alert, so two checkers never both send reminder n, a round after a long gap sends one
//! reminder (the latest), and a resolved outage is never reminded of.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::models::outage::{Outage, OutageSite};
use crate::db::{Db, DbConnection, DbError, write_transaction};
use crate::domain::alert::{Alert, AlertDetail, AlertOutage, Event};
use crate::domain::reminder::latest_due;
use crate::notify::outage_sites::{alert_site, groups_of};
use crate::notify::outbox;
use crate::settings::Settings;

fn interval(settings: &Settings) -> Option<TimeDelta> {
    match settings.alerts.remind_every_mins {
        0 => None,
        minutes => Some(TimeDelta::minutes(i64::from(minutes))),
    }
}

/// Queues the reminder due at `now` for the open outage, if any. Returns how many were queued
/// (0 or 1).
pub fn queue_due(db: &Db, settings: &Settings, now: NaiveDateTime) -> Result<usize, DbError> {
    let Some(every) = interval(settings) else { return Ok(0) };
    let mut conn = db.conn()?;
    write_transaction(&mut conn, |c| {
        let Some(outage) = Outage::current(c)? else { return Ok(0) };
        let due = latest_due(outage.started_at, now, every);
        let number = i32::try_from(due).unwrap_or(i32::MAX);
        if due == 0 || !Outage::claim_reminder(c, outage.id, number)? {
            return Ok(0);
        }
        let alert = reminder(c, &outage, due, every, now)?;
        tracing::info!(outage = %outage.id, number = due, "reminder queued");
        outbox::queue(c, settings, &alert)?;
        Ok(1)
    })
}

/// Marks the reminders already due when an outage opens (its start is when its first site
/// began failing, often an interval or more earlier) as covered by the opening alert.
pub(super) fn cover_passed(
    c: &mut DbConnection,
    settings: &Settings,
    outage: &Outage,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let Some(every) = interval(settings) else { return Ok(()) };
    let passed = latest_due(outage.started_at, now, every);
    if passed > 0 {
        Outage::claim_reminder(c, outage.id, i32::try_from(passed).unwrap_or(i32::MAX))?;
    }
    Ok(())
}

/// Reminder `number`: the sites still down, and how long the outage had been open when it fell
/// due (a whole number of intervals).
fn reminder(
    c: &mut DbConnection,
    outage: &Outage,
    number: u32,
    every: TimeDelta,
    now: NaiveDateTime,
) -> Result<Alert, DbError> {
    let rows = OutageSite::still_down(c, outage.id)?;
    let groups: HashMap<_, _> = groups_of(c, &rows)?;
    let mut sites: Vec<_> = rows.iter().map(|row| alert_site(row, &groups)).collect();
    sites.sort_by(|a, b| (a.down_at, &a.name).cmp(&(b.down_at, &b.name)));
    Ok(Alert {
        event: Event::Reminder,
        outage: Some(AlertOutage { id: outage.id.to_string(), started_at: outage.started_at, resolved_at: None }),
        sites,
        still_down: Vec::new(),
        created_at: now,
        detail: Some(AlertDetail::Reminder { number, open_secs: every.num_seconds() * i64::from(number) }),
    })
}
