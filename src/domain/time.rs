//! Time values as stored: UTC, microsecond precision (what PostgreSQL keeps), so both backends agree.

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};

/// Drops sub-microsecond digits so a value reads back exactly as it was written on either backend.
pub fn truncate_to_micros(t: NaiveDateTime) -> NaiveDateTime {
    let nanos = t.nanosecond();
    t.with_nanosecond(nanos - nanos % 1_000).unwrap_or(t)
}

/// The current time, ready to be stored.
pub fn now_utc() -> NaiveDateTime {
    truncate_to_micros(Utc::now().naive_utc())
}

/// RFC 3339 in UTC with a `Z`, as the JSON API shows times.
pub fn rfc3339(t: NaiveDateTime) -> String {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn nanoseconds_are_cut_to_micros() {
        let t = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap().and_hms_nano_opt(3, 4, 5, 123_456_789).unwrap();
        assert_eq!(truncate_to_micros(t).nanosecond(), 123_456_000);
    }

    #[test]
    fn rfc3339_is_utc_with_z() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 30, 0).unwrap();
        assert_eq!(rfc3339(t), "2026-11-21T09:30:00Z");
    }
}
