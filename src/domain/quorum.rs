//! The site-level decision when several locations check the same sites.
//!
//! Each location counts its own consecutive failures of a site and **sees it down** at
//! `failures_before_outage`. A location is **live** while its last finished round was not
//! offline and ended within `check.location_stale_secs` (by the database's clock). A site is
//! **down** when at least `quorum` live locations see it down: `check.quorum` capped at the
//! number of live locations, or else a majority of them (⌊n/2⌋ + 1). The outage rule then runs
//! on that site-level state, unchanged; with one location this is exactly the outage rule alone.

use chrono::{NaiveDateTime, TimeDelta};

/// The name a checker has when `location` is not set.
pub const DEFAULT_LOCATION: &str = "default";

/// One location's view of one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vote {
    /// The location is live (reported recently, last round not offline).
    pub live: bool,
    /// It has at least `failures_before_outage` consecutive failures of the site.
    pub sees_down: bool,
}

/// How a location's latest round ended, as far as liveness cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocationClock {
    /// The end of its last round that checked sites or found itself offline (failed rounds
    /// leave it as it was).
    pub last_round_at: Option<NaiveDateTime>,
    /// Its latest round found its own network down.
    pub offline: bool,
}

/// Whether a location votes now: its last useful round ended within `stale_secs` of `now`
/// (the database's clock) and it has not gone offline since.
pub fn is_live(clock: LocationClock, now: NaiveDateTime, stale_secs: u64) -> bool {
    let window = TimeDelta::seconds(i64::try_from(stale_secs).unwrap_or(i64::MAX / 1000));
    !clock.offline && clock.last_round_at.is_some_and(|at| now.signed_duration_since(at) <= window)
}

/// Whether a location's run of failures makes it see the site down.
pub fn sees_down(consecutive_failures: u32, failures_before_outage: u32) -> bool {
    consecutive_failures >= failures_before_outage.max(1)
}

/// How many live locations must see a site down: `setting` (0 = not set) capped at `live`, or
/// a majority of `live`. Never below 1, so zero live locations never make a site down.
pub fn quorum(setting: u32, live: usize) -> usize {
    let majority = live / 2 + 1;
    match setting {
        0 => majority,
        set => (set as usize).min(live).max(1),
    }
}

/// The site-level state: down when at least the quorum of live locations see it down.
/// Votes of locations that are not live are ignored.
pub fn site_down(quorum_setting: u32, votes: &[Vote]) -> bool {
    let live = votes.iter().filter(|v| v.live).count();
    if live == 0 {
        return false;
    }
    let down = votes.iter().filter(|v| v.live && v.sees_down).count();
    down >= quorum(quorum_setting, live)
}

/// A change of a location's stale flag, to record and alert once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaleChange {
    /// It stopped reporting: one `location_stale` alert.
    WentStale(String),
    /// It reports again after being stale: one `location_back` alert.
    CameBack(String),
}

/// What a round finishing at `now` changes in the locations' stale flags. `me` has just finished
/// a round, so it is never stale; every other location turns stale once its last report is older
/// than `stale_secs`. Offline rounds still report, so an offline location is not stale (it
/// does not vote either). A location that has not finished its first round yet is not stale.
pub fn stale_changes(
    me: &str,
    locations: &[(String, Option<NaiveDateTime>, bool)],
    now: NaiveDateTime,
    stale_secs: u64,
) -> Vec<StaleChange> {
    let mut changes = Vec::new();
    for (name, last_report, stale) in locations {
        if name == me {
            if *stale {
                changes.push(StaleChange::CameBack(name.clone()));
            }
            continue;
        }
        let Some(last_report) = last_report else { continue };
        let reporting = is_live(LocationClock { last_round_at: Some(*last_report), offline: false }, now, stale_secs);
        if !reporting && !stale {
            changes.push(StaleChange::WentStale(name.clone()));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(secs: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(12, 0, 0).unwrap() + TimeDelta::seconds(secs)
    }

    fn votes(live_down: usize, live_up: usize, stale_down: usize) -> Vec<Vote> {
        let mut v = vec![Vote { live: true, sees_down: true }; live_down];
        v.extend(vec![Vote { live: true, sees_down: false }; live_up]);
        v.extend(vec![Vote { live: false, sees_down: true }; stale_down]);
        v
    }

    /// The rule written out the slow way, to compare against.
    fn expected(setting: u32, live_down: usize, live_up: usize) -> bool {
        let live = live_down + live_up;
        if live == 0 {
            return false;
        }
        let needed = if setting == 0 { live / 2 + 1 } else { (setting as usize).min(live) };
        live_down >= needed
    }

    #[test]
    fn one_location_is_the_outage_rule_alone() {
        assert!(site_down(0, &votes(1, 0, 0)));
        assert!(!site_down(0, &votes(0, 1, 0)));
        for setting in 0..=5 {
            assert!(site_down(setting, &votes(1, 0, 0)), "quorum {setting} is capped at the one live location");
            assert!(!site_down(setting, &votes(0, 1, 0)));
        }
    }

    #[test]
    fn majority_of_live_locations_for_one_to_five() {
        assert_eq!((1..=5).map(|n| quorum(0, n)).collect::<Vec<_>>(), vec![1, 2, 2, 3, 3]);
        assert!(!site_down(0, &votes(1, 2, 0)), "one of three is not a majority");
        assert!(site_down(0, &votes(2, 1, 0)), "two of three is");
        assert!(!site_down(0, &votes(1, 1, 0)), "one of two is not");
        assert!(site_down(0, &votes(2, 0, 0)));
        assert!(!site_down(0, &votes(2, 2, 0)));
        assert!(site_down(0, &votes(3, 2, 0)));
    }

    #[test]
    fn every_combination_of_one_to_five_locations_follows_the_rule() {
        for total in 1..=5usize {
            for live_down in 0..=total {
                for live_up in 0..=(total - live_down) {
                    let stale_down = total - live_down - live_up;
                    for setting in 0..=6 {
                        let got = site_down(setting, &votes(live_down, live_up, stale_down));
                        assert_eq!(
                            got,
                            expected(setting, live_down, live_up),
                            "{live_down} live down, {live_up} live up, {stale_down} stale, quorum {setting}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn stale_and_offline_votes_are_ignored() {
        assert!(!site_down(0, &votes(0, 1, 4)), "four stale locations seeing it down do not count");
        assert!(!site_down(0, &votes(0, 0, 3)), "no live location: the site is not down");
        assert!(site_down(0, &votes(1, 0, 2)), "the one live location decides alone");
    }

    #[test]
    fn a_set_quorum_is_capped_at_the_live_count() {
        assert_eq!(quorum(2, 5), 2);
        assert_eq!(quorum(4, 3), 3);
        assert_eq!(quorum(1, 0), 1);
        assert!(site_down(1, &votes(1, 4, 0)), "quorum 1: any live location seeing it down");
        assert!(site_down(5, &votes(2, 0, 3)), "quorum 5 with two live locations needs both");
        assert!(!site_down(5, &votes(1, 1, 3)));
    }

    #[test]
    fn liveness_follows_the_last_round_on_the_database_clock() {
        let clock = |last: Option<i64>, offline| LocationClock { last_round_at: last.map(at), offline };
        assert!(is_live(clock(Some(0), false), at(900), 900));
        assert!(!is_live(clock(Some(0), false), at(901), 900));
        assert!(!is_live(clock(None, false), at(0), 900), "a location that never finished a round");
        assert!(!is_live(clock(Some(0), true), at(1), 900), "its latest round was offline");
        assert!(is_live(clock(Some(10), false), at(0), 900), "another machine's clock ahead counts as recent");
    }

    #[test]
    fn failures_reach_the_threshold() {
        assert!(!sees_down(2, 3));
        assert!(sees_down(3, 3));
        assert!(sees_down(1, 0), "a threshold of 0 is treated as 1");
    }

    #[test]
    fn a_location_goes_stale_once_and_comes_back_once() {
        let rows = |b_last: i64, b_stale: bool, me_stale: bool| {
            vec![("a".to_owned(), Some(at(1000)), me_stale), ("b".to_owned(), Some(at(b_last)), b_stale)]
        };
        assert!(stale_changes("a", &rows(500, false, false), at(1000), 900).is_empty());
        assert_eq!(stale_changes("a", &rows(0, false, false), at(1000), 900), vec![StaleChange::WentStale("b".into())]);
        assert!(stale_changes("a", &rows(0, true, false), at(1000), 900).is_empty(), "already stale: no second alert");
        assert_eq!(stale_changes("a", &rows(900, false, true), at(1000), 900), vec![StaleChange::CameBack("a".into())]);
        let never = vec![("c".to_owned(), None, false)];
        assert!(stale_changes("a", &never, at(5000), 900).is_empty(), "registered, first round still running");
    }
}
