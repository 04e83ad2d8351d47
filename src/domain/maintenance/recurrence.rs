//! A recurring window: a cron expression (parsed by `croner`) and how long each occurrence
//! lasts; and the weekly shorthand (`sun 02:00`) that becomes one.

use std::str::FromStr;

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use croner::Cron;

/// No occurrence lasts longer than this.
pub const MAX_DURATION: TimeDelta = TimeDelta::days(31);

#[derive(Debug, Clone)]
pub struct Recurrence {
    cron: Cron,
    text: String,
    pub duration: TimeDelta,
}

impl PartialEq for Recurrence {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.duration == other.duration
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RecurrenceError {
    #[error("`{0}` is not a cron expression ({1}); e.g. `0 2 * * sun` for Sundays at 02:00")]
    Cron(String, String),
    #[error("`{0}` never matches a time")]
    Never(String),
    #[error("a recurring window lasts between one minute and {} days", MAX_DURATION.num_days())]
    Duration,
    #[error("`{0}` is not a weekly time; write days and a 24-hour time, e.g. `sun 02:00` or `mon,thu 22:30`")]
    Weekly(String),
}

impl Recurrence {
    pub fn parse(cron: &str, duration: TimeDelta) -> Result<Recurrence, RecurrenceError> {
        let text = cron.split_whitespace().collect::<Vec<_>>().join(" ");
        let parsed = Cron::from_str(&text).map_err(|e| RecurrenceError::Cron(text.clone(), e.to_string()))?;
        if duration < TimeDelta::minutes(1) || duration > MAX_DURATION {
            return Err(RecurrenceError::Duration);
        }
        let recurrence = Recurrence { cron: parsed, text, duration };
        let probe = NaiveDateTime::default();
        if recurrence.next(probe, true, Tz::UTC).is_none() {
            return Err(RecurrenceError::Never(recurrence.text));
        }
        Ok(recurrence)
    }

    /// The cron expression as stored.
    pub fn cron(&self) -> &str {
        &self.text
    }

    /// The first occurrence at (`inclusive`) or after `t` (UTC), evaluated in `tz`.
    pub fn next(&self, t: NaiveDateTime, inclusive: bool, tz: Tz) -> Option<NaiveDateTime> {
        let local = tz.from_utc_datetime(&t);
        self.cron.find_next_occurrence(&local, inclusive).ok().map(|d| d.naive_utc())
    }
}

/// `sun 02:00`, `mon,thu 22:30` or `saturday 6:00` as a cron expression (`0 2 * * SUN`).
pub fn weekly_cron(raw: &str) -> Result<String, RecurrenceError> {
    let err = || RecurrenceError::Weekly(raw.to_owned());
    let mut parts = raw.split_whitespace();
    let (days, time) = (parts.next().ok_or_else(err)?, parts.next().ok_or_else(err)?);
    if parts.next().is_some() {
        return Err(err());
    }
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let mut names = Vec::new();
    for day in days.split(',') {
        let day = day.trim().to_lowercase();
        let found = DAYS.iter().find(|d| day.len() >= 3 && (**d == day || day.starts_with(**d))).ok_or_else(err)?;
        names.push(found.to_uppercase());
    }
    let (hour, minute) = time.split_once(':').ok_or_else(err)?;
    let hour: u32 = hour.parse().ok().filter(|h| *h < 24).ok_or_else(err)?;
    let minute: u32 = minute.parse().ok().filter(|m| *m < 60).ok_or_else(err)?;
    Ok(format!("{minute} {hour} * * {}", names.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_times_become_cron_expressions() {
        assert_eq!(weekly_cron("sun 02:00").unwrap(), "0 2 * * SUN");
        assert_eq!(weekly_cron("Monday,thu 22:30").unwrap(), "30 22 * * MON,THU");
        for bad in ["sun", "xyz 02:00", "sun 25:00", "sun 2", "su 02:00", "sun 02:00 extra"] {
            assert!(weekly_cron(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_expressions_and_durations_are_refused() {
        assert!(matches!(Recurrence::parse("every sunday", TimeDelta::hours(1)), Err(RecurrenceError::Cron(..))));
        assert_eq!(Recurrence::parse("0 2 * * *", TimeDelta::zero()).unwrap_err(), RecurrenceError::Duration);
        assert_eq!(Recurrence::parse("0 2 * * *", TimeDelta::days(40)).unwrap_err(), RecurrenceError::Duration);
        assert_eq!(Recurrence::parse(" 0  2 * * sun ", TimeDelta::hours(2)).unwrap().cron(), "0 2 * * sun");
    }
}
