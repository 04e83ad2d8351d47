//! A time as people type it for a window: RFC 3339, `now`, or a span from now (`+2h`).

use chrono::{DateTime, NaiveDateTime, TimeDelta};

use crate::domain::retention::parse_duration;
use crate::domain::time::truncate_to_micros;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeArg {
    Now,
    FromNow(TimeDelta),
    At(NaiveDateTime),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "`{0}` is not a time; write an RFC 3339 time (2026-11-21T22:00:00Z), `now`, or a span from now (+2h, +30m, +1d)"
)]
pub struct TimeArgError(pub String);

impl TimeArg {
    pub fn parse(raw: &str) -> Result<TimeArg, TimeArgError> {
        let text = raw.trim();
        if text.eq_ignore_ascii_case("now") {
            return Ok(TimeArg::Now);
        }
        if let Some(span) = text.strip_prefix('+') {
            return parse_duration(span).map(TimeArg::FromNow).map_err(|_| TimeArgError(raw.to_owned()));
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| TimeArg::At(truncate_to_micros(t.naive_utc())))
            .map_err(|_| TimeArgError(raw.to_owned()))
    }

    /// The UTC time meant, counting from `now`.
    pub fn resolve(self, now: NaiveDateTime) -> NaiveDateTime {
        match self {
            TimeArg::Now => now,
            TimeArg::FromNow(span) => now + span,
            TimeArg::At(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn times_are_read_in_three_forms() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(TimeArg::parse("now").unwrap().resolve(now), now);
        assert_eq!(TimeArg::parse("+2h").unwrap().resolve(now), now + TimeDelta::hours(2));
        let at = TimeArg::parse("2026-11-21T11:30:00+01:00").unwrap().resolve(now);
        assert_eq!(at, now + TimeDelta::minutes(90));
        for bad in ["tomorrow", "+", "+2x", "2026-11-21 10:00", ""] {
            assert!(TimeArg::parse(bad).is_err(), "{bad}");
        }
    }
}
