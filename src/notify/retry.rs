//! The retry policy, as pure functions from a delivery and what happened to the row to store.
//!
//! Cron's rhythm is the back-off: a delivery that fails is tried again on every later round,
//! until it is sent, has failed `MAX_ATTEMPTS` times, or is older than `MAX_AGE`; then it is
//! marked failed and kept for people to see. A 429 waits for the service's reset time and does
//! not count as a failed attempt.

use chrono::{NaiveDateTime, TimeDelta};

use super::channel::SendError;
use crate::db::models::notification::{Delivery, DeliveryState};
use crate::db::models::outbox::{AttemptResult, Claimed};

pub const MAX_ATTEMPTS: i32 = 10;

pub fn max_age() -> TimeDelta {
    TimeDelta::hours(24)
}

/// A send that began this long ago without recording a result was cut short by a crash or a
/// kill: longer than any send may take (see `dispatch::SEND_CEILING`).
pub fn stale_claim_age() -> TimeDelta {
    TimeDelta::minutes(15)
}

fn failed(mut result: AttemptResult, error: String) -> AttemptResult {
    result.state = DeliveryState::Failed.as_str().to_owned();
    result.last_error = Some(error);
    result
}

/// A failed attempt (or one not made because its circuit was down this round): pending again,
/// or failed for good once the limits are reached.
fn count_failure(delivery: &Delivery, error: String, now: NaiveDateTime) -> AttemptResult {
    let mut result = AttemptResult::from(delivery);
    result.attempts = delivery.attempts + 1;
    result.last_attempt_at = Some(now);
    result.not_before = None;
    if result.attempts >= MAX_ATTEMPTS {
        let attempts = result.attempts;
        return failed(result, format!("gave up after {attempts} attempts: {error}"));
    }
    if now - delivery.created_at >= max_age() {
        return failed(result, format!("gave up after 24 hours: {error}"));
    }
    result.last_error = Some(error);
    result
}

/// What to store after this dispatcher tried to send `delivery`.
pub fn after_attempt(delivery: &Delivery, outcome: &Result<(), SendError>, now: NaiveDateTime) -> AttemptResult {
    let mut result = AttemptResult::from(delivery);
    result.last_attempt_at = Some(now);
    match outcome {
        Ok(()) => {
            result.state = DeliveryState::Sent.as_str().to_owned();
            result.attempts = delivery.attempts + 1;
            result.sent_at = Some(now);
            result.not_before = None;
            result
        }
        Err(SendError::Down(error) | SendError::Refused(error)) => count_failure(delivery, error.clone(), now),
        Err(SendError::RateLimited { until, message }) => {
            result.not_before = Some(*until);
            result.last_error = Some(message.clone());
            result
        }
        Err(SendError::Unknown(error)) => {
            result.attempts = delivery.attempts + 1;
            failed(result, unknown_outcome(error))
        }
    }
}

/// What to store for a delivery not attempted because an earlier one of its circuit found the
/// channel down (counts as a failed attempt) or rate-limited (waits as long as that one).
pub fn skipped(delivery: &Delivery, cause: &SendError, now: NaiveDateTime) -> AttemptResult {
    match cause {
        SendError::RateLimited { until, message } => {
            let mut result = AttemptResult::from(delivery);
            result.not_before = Some(*until);
            result.last_error = Some(message.clone());
            result
        }
        other => count_failure(delivery, format!("not sent this round: {other}"), now),
    }
}

/// A test alert is tried once: whatever did not go out is marked failed at once, so a later
/// round does not send a stale test.
pub fn final_attempt(delivery: &Delivery, outcome: &Result<(), SendError>, now: NaiveDateTime) -> AttemptResult {
    let result = after_attempt(delivery, outcome, now);
    match outcome {
        Ok(()) => result,
        Err(error) => failed(result, error.to_string()),
    }
}

/// A send that began and never recorded its result.
pub fn stale(claimed: &Claimed) -> AttemptResult {
    let mut result = AttemptResult::from(&claimed.delivery);
    result.attempts = claimed.delivery.attempts + 1;
    let began = claimed.claimed_at.map_or_else(String::new, |t| format!(" at {} UTC", t.format("%Y-%m-%d %H:%M:%S")));
    failed(result, unknown_outcome(&format!("the sending process stopped after the send began{began}")))
}

/// A delivery still pending after `MAX_AGE` (cron stopped, or a long rate limit).
pub fn expired(delivery: &Delivery) -> AttemptResult {
    let error = delivery.last_error.as_deref().unwrap_or("never sent");
    failed(AttemptResult::from(delivery), format!("gave up after 24 hours: {error}"))
}

fn unknown_outcome(error: &str) -> String {
    format!(
        "outcome unknown ({error}); it may have arrived, so it is not sent again automatically \
         (`sitewatch notify retry ID` sends it again)"
    )
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn success_marks_sent_and_counts_the_attempt() {
        let r = after_attempt(&delivery(2), &Ok(()), at(9, 3));
        assert_eq!((r.state.as_str(), r.attempts, r.sent_at), ("sent", 3, Some(at(9, 3))));
        assert_eq!(r.claimed_at, None);
    }

    #[test]
    fn failures_stay_pending_until_the_tenth() {
        let down = Err(SendError::Down("connection refused".into()));
        let r = after_attempt(&delivery(0), &down, at(9, 1));
        assert_eq!((r.state.as_str(), r.attempts), ("pending", 1));
        assert_eq!(r.last_error.as_deref(), Some("connection refused"));
        let r = after_attempt(&delivery(8), &down, at(9, 9));
        assert_eq!((r.state.as_str(), r.attempts), ("pending", 9));
        let r = after_attempt(&delivery(9), &down, at(9, 10));
        assert_eq!((r.state.as_str(), r.attempts), ("failed", 10));
        assert!(r.last_error.unwrap().starts_with("gave up after 10 attempts: connection refused"));
    }

    #[test]
    fn a_day_old_delivery_fails_on_its_next_failure() {
        let mut d = delivery(1);
        d.created_at = at(9, 0) - max_age();
        let r = after_attempt(&d, &Err(SendError::Refused("550 no such user".into())), at(9, 0));
        assert_eq!(r.state, "failed");
        assert!(r.last_error.unwrap().contains("24 hours"));
    }

    #[test]
    fn a_rate_limit_waits_without_counting() {
        let limited = Err(SendError::RateLimited { until: at(9, 15), message: "429".into() });
        let r = after_attempt(&delivery(3), &limited, at(9, 1));
        assert_eq!((r.state.as_str(), r.attempts, r.not_before), ("pending", 3, Some(at(9, 15))));
        let r = skipped(&delivery(0), limited.as_ref().unwrap_err(), at(9, 1));
        assert_eq!((r.state.as_str(), r.attempts, r.not_before), ("pending", 0, Some(at(9, 15))));
    }

    #[test]
    fn an_unknown_outcome_is_never_retried() {
        let r = after_attempt(&delivery(0), &Err(SendError::Unknown("no answer".into())), at(9, 1));
        assert_eq!((r.state.as_str(), r.attempts), ("failed", 1));
        assert!(r.last_error.unwrap().contains("may have arrived"));
        let r = stale(&Claimed { delivery: delivery(0), claimed_at: Some(at(8, 0)) });
        assert_eq!(r.state, "failed");
        assert!(r.last_error.unwrap().contains("08:00:00"));
    }

    #[test]
    fn skipped_deliveries_count_a_failed_round() {
        let r = skipped(&delivery(0), &SendError::Down("connection refused".into()), at(9, 1));
        assert_eq!((r.state.as_str(), r.attempts), ("pending", 1));
        assert_eq!(r.last_error.as_deref(), Some("not sent this round: connection refused"));
    }

    #[test]
    fn a_test_alert_gets_one_try() {
        let r = final_attempt(&delivery(0), &Err(SendError::Down("refused".into())), at(9, 1));
        assert_eq!(r.state, "failed");
        assert_eq!(final_attempt(&delivery(0), &Ok(()), at(9, 1)).state, "sent");
    }
}
