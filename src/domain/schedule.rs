//! Which sites a round checks: active sites whose own interval has passed since their last check.

use chrono::{NaiveDateTime, TimeDelta};

/// Cron starts rounds on the minute but a site's check lands a little later or earlier each
/// time; without slack a 60 s site would be skipped every other minute. The slack is a tenth
/// of the interval, at least 5 s and at most 60 s.
pub fn slack(interval_secs: u32) -> TimeDelta {
    TimeDelta::seconds(i64::from(interval_secs / 10).clamp(5, 60))
}

/// True when a site with this interval (`None`: every round) and last check is due at `now`.
pub fn is_due(now: NaiveDateTime, last_checked_at: Option<NaiveDateTime>, interval_secs: Option<u32>) -> bool {
    match (last_checked_at, interval_secs) {
        (None, _) | (_, None) => true,
        (Some(last), Some(interval)) => now - last >= TimeDelta::seconds(i64::from(interval)) - slack(interval),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(secs: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 0, 0).unwrap() + TimeDelta::seconds(secs)
    }

    #[test]
    fn never_checked_or_no_interval_means_due() {
        assert!(is_due(at(0), None, Some(3600)));
        assert!(is_due(at(1), Some(at(0)), None));
    }

    #[test]
    fn a_60s_site_under_a_one_minute_cron_is_due_every_minute() {
        assert!(is_due(at(59), Some(at(1)), Some(60)), "58 s after the last check is within the slack");
        assert!(!is_due(at(50), Some(at(1)), Some(60)));
    }

    #[test]
    fn longer_intervals_skip_rounds() {
        assert!(!is_due(at(240), Some(at(0)), Some(300)));
        assert!(is_due(at(299), Some(at(0)), Some(300)));
        assert!(!is_due(at(3000), Some(at(0)), Some(3600)));
        assert!(is_due(at(3545), Some(at(0)), Some(3600)));
    }
}
