//! When reminders of an open outage fall due: reminder n at the outage's start plus n times the
//! interval, counted from the start so cron's timing can neither double nor drift them.

use chrono::{NaiveDateTime, TimeDelta};

/// The number of the latest reminder due at `now` (0 before the first), for an outage that
/// began at `started_at`, with one reminder every `every`. 0 when reminders are off.
pub fn latest_due(started_at: NaiveDateTime, now: NaiveDateTime, every: TimeDelta) -> u32 {
    let every_ms = every.num_milliseconds();
    if every_ms <= 0 || now <= started_at {
        return 0;
    }
    let open_ms = (now - started_at).num_milliseconds();
    u32::try_from(open_ms / every_ms).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32, minute: u32, second: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(hour, minute, second).unwrap()
    }

    #[test]
    fn reminder_n_falls_due_at_start_plus_n_intervals() {
        let every = TimeDelta::minutes(15);
        let start = at(9, 0, 0);
        assert_eq!(latest_due(start, at(9, 14, 59), every), 0);
        assert_eq!(latest_due(start, at(9, 15, 0), every), 1);
        assert_eq!(latest_due(start, at(9, 29, 59), every), 1);
        assert_eq!(latest_due(start, at(9, 45, 1), every), 3);
        assert_eq!(latest_due(start, at(11, 0, 0), every), 8, "after a gap, only the latest is due");
    }

    #[test]
    fn nothing_is_due_when_off_or_before_the_start() {
        assert_eq!(latest_due(at(9, 0, 0), at(12, 0, 0), TimeDelta::zero()), 0);
        assert_eq!(latest_due(at(9, 0, 0), at(8, 0, 0), TimeDelta::minutes(5)), 0, "a clock behind the start");
    }
}
