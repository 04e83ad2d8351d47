use chrono::NaiveDate;

use super::*;
use crate::db::Id;

fn at(hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(hour, minute, 0).unwrap()
}

fn delivery(attempts: i32) -> Delivery {
    let mut d = Delivery::pending(Id::new(), "email", "ops@example.com", at(9, 0));
    d.attempts = attempts;
    d
}

fn policy() -> Policy {
    Policy::from_settings(&AlertsSettings::default())
}

#[test]
fn success_marks_sent_and_counts_the_attempt() {
    let r = policy().after_attempt(&delivery(2), &Ok(()), at(9, 3));
    assert_eq!((r.state.as_str(), r.attempts, r.sent_at), ("sent", 3, Some(at(9, 3))));
    assert_eq!(r.handed_over_at, None);
}

#[test]
fn refusals_by_a_reachable_channel_stay_pending_until_the_tenth() {
    let down = Err(SendError::Down("HTTP 500".into()));
    let r = policy().after_attempt(&delivery(0), &down, at(9, 1));
    assert_eq!((r.state.as_str(), r.attempts), ("pending", 1));
    assert_eq!(r.last_error.as_deref(), Some("HTTP 500"));
    let r = policy().after_attempt(&delivery(8), &down, at(9, 9));
    assert_eq!((r.state.as_str(), r.attempts), ("pending", 9));
    let r = policy().after_attempt(&delivery(9), &down, at(9, 10));
    assert_eq!((r.state.as_str(), r.attempts), ("failed", 10));
    assert!(r.last_error.unwrap().starts_with("gave up after 10 attempts: HTTP 500"));
}

#[test]
fn an_unreachable_channel_costs_no_attempt_however_many_rounds() {
    let unreachable = Err(SendError::Unreachable("cannot connect: connection refused".into()));
    let mut d = delivery(0);
    for minute in 1..=59 {
        let r = policy().after_attempt(&d, &unreachable, at(9, minute));
        assert_eq!((r.state.as_str(), r.attempts, r.last_attempt_at), ("pending", 0, Some(at(9, minute))));
        d.last_attempt_at = r.last_attempt_at;
    }
    let skipped = policy().skipped(&delivery(3), unreachable.as_ref().unwrap_err(), at(9, 1));
    assert_eq!((skipped.state.as_str(), skipped.attempts), ("pending", 3));
    assert_eq!(skipped.last_error.as_deref(), Some("not sent this round: cannot connect: connection refused"));
}

#[test]
fn deliveries_are_given_up_only_once_older_than_the_setting() {
    let mut d = delivery(1);
    let unreachable = Err(SendError::Unreachable("cannot connect".into()));
    d.created_at = at(9, 0) - TimeDelta::hours(71);
    assert_eq!(policy().after_attempt(&d, &unreachable, at(9, 0)).state, "pending");
    d.created_at = at(9, 0) - TimeDelta::hours(72);
    let r = policy().after_attempt(&d, &unreachable, at(9, 0));
    assert_eq!(r.state, "failed");
    assert_eq!(r.last_error.as_deref(), Some("gave up after 72 hours: cannot connect"));
    let day = Policy::from_settings(&AlertsSettings { give_up_after_hours: 1, ..AlertsSettings::default() });
    let r = day.after_attempt(&d, &Err(SendError::Refused("550 no such user".into())), at(9, 0));
    assert_eq!(r.last_error.as_deref(), Some("gave up after 1 hour: 550 no such user"));
    d.last_error = Some("cannot connect".into());
    assert_eq!(policy().expired(&d).last_error.as_deref(), Some("gave up after 72 hours: cannot connect"));
}

#[test]
fn a_rejection_fails_at_once() {
    let r = policy().after_attempt(&delivery(0), &Err(SendError::Rejected("HTTP 400: bad number".into())), at(9, 1));
    assert_eq!((r.state.as_str(), r.attempts), ("failed", 1));
    assert_eq!(r.last_error.as_deref(), Some("HTTP 400: bad number"));
}

#[test]
fn a_rate_limit_waits_without_counting() {
    let limited = Err(SendError::RateLimited { until: at(9, 15), message: "429".into() });
    let r = policy().after_attempt(&delivery(3), &limited, at(9, 1));
    assert_eq!((r.state.as_str(), r.attempts, r.not_before), ("pending", 3, Some(at(9, 15))));
    let r = policy().skipped(&delivery(0), limited.as_ref().unwrap_err(), at(9, 1));
    assert_eq!((r.state.as_str(), r.attempts, r.not_before), ("pending", 0, Some(at(9, 15))));
}

#[test]
fn an_unknown_outcome_is_never_retried() {
    let r = policy().after_attempt(&delivery(0), &Err(SendError::Unknown("no answer".into())), at(9, 1));
    assert_eq!((r.state.as_str(), r.attempts), ("failed", 1));
    assert!(r.last_error.unwrap().contains("may have arrived"));
    let r = stale(&Claimed { delivery: delivery(0), handed_over_at: Some(at(8, 0)) });
    assert_eq!(r.state, "failed");
    assert!(r.last_error.unwrap().contains("08:00:00"));
}

#[test]
fn the_hand_over_decides_between_unreachable_and_unknown() {
    let unknown = Err(SendError::Unknown("no answer within 10 s".into()));
    assert!(matches!(settle(unknown.clone(), true), Err(SendError::Unknown(_))));
    assert!(matches!(settle(unknown, false), Err(SendError::Unreachable(e)) if e.contains("never handed over")));
    let unreachable = Err(SendError::Unreachable("connection reset".into()));
    assert!(matches!(settle(unreachable, true), Err(SendError::Unknown(_))));
    assert_eq!(settle(Ok(()), true), Ok(()));
}

#[test]
fn a_test_alert_gets_one_try() {
    let r = policy().final_attempt(&delivery(0), &Err(SendError::Unreachable("refused".into())), at(9, 1));
    assert_eq!(r.state, "failed");
    assert_eq!(policy().final_attempt(&delivery(0), &Ok(()), at(9, 1)).state, "sent");
}
