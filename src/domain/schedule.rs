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

/// When a site with this interval and last check becomes due (`None`: it is due now).
pub fn due_at(last_checked_at: Option<NaiveDateTime>, interval_secs: Option<u32>) -> Option<NaiveDateTime> {
    let (last, interval) = (last_checked_at?, interval_secs?);
    Some(last + TimeDelta::seconds(i64::from(interval)) - slack(interval))
}

/// Why a round found no site to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Idle {
    /// No site has been added.
    NoSites,
    /// Every site is paused.
    AllPaused { paused: usize },
    /// Active sites wait for their interval; the first becomes due at `next_due_at`.
    NoneDue { waiting: usize, paused: usize, next_due_at: NaiveDateTime },
}

/// Why nothing is due at `now`, from the number of sites and the active ones' last check and
/// interval; `None` when some site is due.
pub fn idle(now: NaiveDateTime, total: usize, active: &[(Option<NaiveDateTime>, Option<u32>)]) -> Option<Idle> {
    if total == 0 {
        return Some(Idle::NoSites);
    }
    if active.is_empty() {
        return Some(Idle::AllPaused { paused: total });
    }
    if active.iter().any(|(last, interval)| is_due(now, *last, *interval)) {
        return None;
    }
    let next_due_at = active.iter().filter_map(|(last, interval)| due_at(*last, *interval)).min()?;
    Some(Idle::NoneDue { waiting: active.len(), paused: total - active.len(), next_due_at })
}

/// The order to start probes in: sites that timed out last round first, then sites never
/// checked, then the rest slowest first. A round lasts at least as long as its last hanging
/// probe, which starts only when a slot frees up; starting the likely-slow ones first lets them
/// wait out their timeout while the fast ones flow through the other slots (longest job first).
/// Returns a sort key: smaller starts earlier.
pub fn probe_priority(last_error: Option<&str>, last_response_ms: Option<i32>, checked_before: bool) -> (u8, i64) {
    let slowness = -i64::from(last_response_ms.unwrap_or(0));
    match (last_error, checked_before) {
        (Some("timeout"), _) => (0, slowness),
        (_, false) => (1, 0),
        _ => (2, slowness),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn likely_slow_sites_start_first() {
        let mut sites = [
            ("fast", probe_priority(None, Some(20), true)),
            ("new", probe_priority(None, None, false)),
            ("hung", probe_priority(Some("timeout"), Some(5000), true)),
            ("slow", probe_priority(None, Some(900), true)),
            ("refused", probe_priority(Some("connect"), Some(1), true)),
        ];
        sites.sort_by_key(|(_, key)| *key);
        let order: Vec<&str> = sites.iter().map(|(name, _)| *name).collect();
        assert_eq!(order, ["hung", "new", "slow", "fast", "refused"]);
    }

    fn at(secs: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 0, 0).unwrap() + TimeDelta::seconds(secs)
    }

    #[test]
    fn an_idle_round_knows_why() {
        assert_eq!(idle(at(0), 0, &[]), Some(Idle::NoSites));
        assert_eq!(idle(at(0), 3, &[]), Some(Idle::AllPaused { paused: 3 }));
        let waiting = [(Some(at(0)), Some(3600)), (Some(at(-100)), Some(600))];
        assert_eq!(
            idle(at(10), 3, &waiting),
            Some(Idle::NoneDue { waiting: 2, paused: 1, next_due_at: at(-100 + 600 - 60) }),
            "the soonest, less its slack"
        );
        assert_eq!(idle(at(10), 2, &[(Some(at(0)), Some(3600)), (None, Some(3600))]), None, "one never checked");
        assert_eq!(idle(at(440), 1, &[(Some(at(-100)), Some(600))]), None, "due within the slack");
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
