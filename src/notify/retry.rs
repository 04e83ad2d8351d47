//! The retry policy, as pure functions from a delivery and what happened to the row to store.
//!
//! Cron's rhythm is the back-off: a delivery that is not sent is tried again on every later
//! round. Only attempts that reached the channel and were refused count toward `MAX_ATTEMPTS`;
//! a channel that cannot be reached at all (or a delivery skipped because its circuit was found
//! down this round) costs no attempt, so an alert waits as long as the channel is unreachable,
//! up to `[alerts] give_up_after_hours` from when it was queued. The policy never looks at the
//! time between rounds, only at that age. A 429 waits for the service's reset time; a 4xx
//! naming what is wrong fails at once; a send handed over without an answer is never repeated.
//! Whatever is given up is kept for people to see.

use chrono::{NaiveDateTime, TimeDelta};

use super::channel::SendError;
use crate::db::models::notification::{Delivery, DeliveryState};
use crate::db::models::outbox::{AttemptResult, Claimed};
use crate::settings::AlertsSettings;

/// Refusals by a reachable channel before a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 10;

/// A send handed over this long ago without recording a result was cut short by a crash or a
/// kill: longer than any send may take (see `dispatch::SEND_CEILING`).
pub fn stale_claim_age() -> TimeDelta {
    TimeDelta::minutes(15)
}

/// How long deliveries are tried before they are given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub give_up_after: TimeDelta,
}

impl Policy {
    pub fn from_settings(alerts: &AlertsSettings) -> Policy {
        Policy { give_up_after: TimeDelta::hours(i64::from(alerts.give_up_after_hours)) }
    }

    fn too_old(&self, delivery: &Delivery, now: NaiveDateTime) -> bool {
        now - delivery.created_at >= self.give_up_after
    }

    fn gave_up_after(&self) -> String {
        let hours = self.give_up_after.num_hours();
        format!("gave up after {hours} hour{}", if hours == 1 { "" } else { "s" })
    }

    /// A refusal by a reachable channel: pending again, or failed once the limits are reached.
    fn count_failure(&self, delivery: &Delivery, error: String, now: NaiveDateTime) -> AttemptResult {
        let mut result = AttemptResult::from(delivery);
        result.attempts = delivery.attempts + 1;
        result.last_attempt_at = Some(now);
        result.not_before = None;
        if result.attempts >= MAX_ATTEMPTS {
            let attempts = result.attempts;
            return failed(result, format!("gave up after {attempts} attempts: {error}"));
        }
        if self.too_old(delivery, now) {
            return failed(result, format!("{}: {error}", self.gave_up_after()));
        }
        result.last_error = Some(error);
        result
    }

    /// Not sent and not counted: the channel was not reached. Waits until too old.
    fn wait(&self, delivery: &Delivery, error: String, now: NaiveDateTime) -> AttemptResult {
        let mut result = AttemptResult::from(delivery);
        result.last_attempt_at = Some(now);
        result.not_before = None;
        if self.too_old(delivery, now) {
            return failed(result, format!("{}: {error}", self.gave_up_after()));
        }
        result.last_error = Some(error);
        result
    }

    /// What to store after this dispatcher tried to send `delivery`.
    pub fn after_attempt(
        &self,
        delivery: &Delivery,
        outcome: &Result<(), SendError>,
        now: NaiveDateTime,
    ) -> AttemptResult {
        let mut result = AttemptResult::from(delivery);
        result.last_attempt_at = Some(now);
        match outcome {
            Ok(()) => {
                result.state = DeliveryState::Sent.as_str().to_owned();
                result.attempts = delivery.attempts + 1;
                result.sent_at = Some(now);
                result.not_before = None;
                result.last_error = None;
                result
            }
            Err(SendError::Unreachable(error)) => self.wait(delivery, error.clone(), now),
            Err(SendError::Down(error) | SendError::Refused(error)) => self.count_failure(delivery, error.clone(), now),
            Err(SendError::Rejected(error)) => {
                result.attempts = delivery.attempts + 1;
                failed(result, error.clone())
            }
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

    /// What to store for a delivery not attempted because an earlier one of its circuit found
    /// the channel down, silent or rate-limited this round: no attempt is counted.
    pub fn skipped(&self, delivery: &Delivery, cause: &SendError, now: NaiveDateTime) -> AttemptResult {
        match cause {
            SendError::RateLimited { until, message } => {
                let mut result = AttemptResult::from(delivery);
                result.not_before = Some(*until);
                result.last_error = Some(message.clone());
                result
            }
            SendError::Unknown(error) => {
                self.wait(delivery, format!("not sent this round: an earlier message got no answer ({error})"), now)
            }
            other => self.wait(delivery, format!("not sent this round: {other}"), now),
        }
    }

    /// A test alert is tried once: whatever did not go out is marked failed at once, so a later
    /// round does not send a stale test.
    pub fn final_attempt(
        &self,
        delivery: &Delivery,
        outcome: &Result<(), SendError>,
        now: NaiveDateTime,
    ) -> AttemptResult {
        let result = self.after_attempt(delivery, outcome, now);
        match outcome {
            Ok(()) => result,
            Err(SendError::Unknown(_)) => result,
            Err(error) => failed(result, error.to_string()),
        }
    }

    /// A delivery still pending after `give_up_after` (the channel stayed unreachable, cron
    /// stopped, or a long rate limit).
    pub fn expired(&self, delivery: &Delivery) -> AttemptResult {
        let error = delivery.last_error.as_deref().unwrap_or("never sent");
        failed(AttemptResult::from(delivery), format!("{}: {error}", self.gave_up_after()))
    }
}

/// What a send's error means once it is known whether the message was handed over: before the
/// hand-over nothing can have left, after it nothing can be known for sure without an answer.
pub fn settle(outcome: Result<(), SendError>, handed_over: bool) -> Result<(), SendError> {
    match (outcome, handed_over) {
        (Err(SendError::Unknown(error)), false) => Err(SendError::Unreachable(format!("{error} (never handed over)"))),
        (Err(SendError::Unreachable(error)), true) => Err(SendError::Unknown(error)),
        (outcome, _) => outcome,
    }
}

fn failed(mut result: AttemptResult, error: String) -> AttemptResult {
    result.state = DeliveryState::Failed.as_str().to_owned();
    result.last_error = Some(error);
    result
}

/// A send that was handed over and never recorded its result.
pub fn stale(claimed: &Claimed) -> AttemptResult {
    let mut result = AttemptResult::from(&claimed.delivery);
    result.attempts = claimed.delivery.attempts + 1;
    let began =
        claimed.handed_over_at.map_or_else(String::new, |t| format!(" at {} UTC", t.format("%Y-%m-%d %H:%M:%S")));
    failed(result, unknown_outcome(&format!("the sending process stopped after handing the message over{began}")))
}

fn unknown_outcome(error: &str) -> String {
    format!(
        "outcome unknown ({error}); it may have arrived, so it is not sent again automatically \
         (`sitewatch notify retry ID` sends it again)"
    )
}

#[cfg(test)]
mod tests;
