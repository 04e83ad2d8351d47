//! Maintenance windows as pure rules: once (a start and an end) or recurring (a cron
//! expression in the configured time zone, each occurrence lasting a duration), and which
//! stretch of time covers a moment or comes next.

mod recurrence;
mod time_arg;

pub use recurrence::{MAX_DURATION, Recurrence, RecurrenceError, weekly_cron};
pub use time_arg::{TimeArg, TimeArgError};

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use super::window::Span;

/// When a window applies. Times are UTC.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// A one-off window's start; a recurring one's first possible occurrence.
    pub starts_at: NaiveDateTime,
    /// A one-off window's end; for a recurring one, no occurrence starts at or after it
    /// (`None`: for ever).
    pub ends_at: Option<NaiveDateTime>,
    pub recurrence: Option<Recurrence>,
}

impl Schedule {
    /// The occurrence in force at `t` (`start <= t < end`), if any.
    pub fn covering(&self, t: NaiveDateTime, tz: Tz) -> Option<Span> {
        match &self.recurrence {
            None => {
                let end = self.ends_at?;
                (self.starts_at <= t && t < end).then(|| Span::new(self.starts_at, end))
            }
            Some(r) => {
                let lower = t - r.duration;
                let start =
                    if lower < self.starts_at { r.next(self.starts_at, true, tz)? } else { r.next(lower, false, tz)? };
                let in_range = start <= t && self.ends_at.is_none_or(|end| start < end);
                in_range.then(|| Span::new(start, start + r.duration))
            }
        }
    }

    /// The occurrences that have not ended at `from`, oldest first, at most `limit`.
    pub fn upcoming(&self, from: NaiveDateTime, tz: Tz, limit: usize) -> Vec<Span> {
        let Some(r) = &self.recurrence else {
            return match self.ends_at {
                Some(end) if end > from && limit > 0 => vec![Span::new(self.starts_at, end)],
                _ => Vec::new(),
            };
        };
        let mut spans: Vec<Span> = self.covering(from, tz).into_iter().collect();
        let mut cursor = from.max(self.starts_at);
        let mut inclusive = from < self.starts_at;
        while spans.len() < limit {
            let Some(start) = r.next(cursor, inclusive, tz) else { break };
            if self.ends_at.is_some_and(|end| start >= end) {
                break;
            }
            if spans.last().is_none_or(|last| last.from != start) {
                spans.push(Span::new(start, start + r.duration));
            }
            (cursor, inclusive) = (start, false);
        }
        spans
    }

    /// True once no occurrence can be in force at or after `t`.
    pub fn is_over(&self, t: NaiveDateTime, tz: Tz) -> bool {
        self.upcoming(t, tz, 1).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeDelta};

    use super::*;

    fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_one_off_window_covers_its_start_but_not_its_end() {
        let s = Schedule { starts_at: at(21, 9, 0), ends_at: Some(at(21, 11, 0)), recurrence: None };
        assert_eq!(s.covering(at(21, 9, 0), Tz::UTC), Some(Span::new(at(21, 9, 0), at(21, 11, 0))));
        assert_eq!(s.covering(at(21, 11, 0), Tz::UTC), None);
        assert_eq!(s.covering(at(21, 8, 59), Tz::UTC), None);
        assert_eq!(s.upcoming(at(21, 10, 0), Tz::UTC, 3).len(), 1);
        assert!(s.is_over(at(21, 11, 0), Tz::UTC));
    }

    #[test]
    fn a_recurring_window_follows_its_cron_in_the_configured_zone() {
        // Every day at 02:00 Paris time (01:00 UTC in November) for 90 minutes.
        let r = Recurrence::parse("0 2 * * *", TimeDelta::minutes(90)).unwrap();
        let s = Schedule { starts_at: at(20, 0, 0), ends_at: Some(at(23, 0, 0)), recurrence: Some(r) };
        let paris = chrono_tz::Europe::Paris;
        assert_eq!(s.covering(at(21, 1, 0), paris), Some(Span::new(at(21, 1, 0), at(21, 2, 30))));
        assert_eq!(s.covering(at(21, 2, 29), paris).map(|w| w.from), Some(at(21, 1, 0)));
        assert_eq!(s.covering(at(21, 2, 30), paris), None);
        assert_eq!(s.covering(at(21, 0, 59), paris), None);
        let next: Vec<NaiveDateTime> = s.upcoming(at(21, 2, 0), paris, 5).iter().map(|w| w.from).collect();
        assert_eq!(next, [at(21, 1, 0), at(22, 1, 0)], "none starts at or after ends_at");
        assert!(s.is_over(at(22, 2, 30), paris));
    }

    #[test]
    fn occurrences_before_the_start_do_not_count() {
        let r = Recurrence::parse("0 * * * *", TimeDelta::minutes(30)).unwrap();
        let s = Schedule { starts_at: at(21, 9, 10), ends_at: None, recurrence: Some(r) };
        assert_eq!(s.covering(at(21, 9, 15), Tz::UTC), None, "the 09:00 occurrence is before the start");
        assert_eq!(s.covering(at(21, 10, 5), Tz::UTC).map(|w| w.from), Some(at(21, 10, 0)));
        assert_eq!(s.upcoming(at(21, 8, 0), Tz::UTC, 2).first().map(|w| w.from), Some(at(21, 10, 0)));
    }
}
