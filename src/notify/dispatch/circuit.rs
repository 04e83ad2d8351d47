//! One circuit's deliveries, sent in order: each attempt with its hand-over mark and its
//! recorded result, the rest skipped once the channel is found down, and the circuit's health.

use std::sync::Arc;
use std::time::Instant;

use super::handover::{DbHandOver, Mark};
use super::{Item, SEND_CEILING, blocking, store};
use crate::db::Db;
use crate::domain::time::now_utc;
use crate::notify::channel::{Channel, HandOver, Outgoing, SendError};
use crate::notify::health::{self, Seen};
use crate::notify::report::{DeliveryResult, Outcome};
use crate::notify::retry::{self, Policy};

/// How the circuit's sends are judged.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    pub policy: Policy,
    /// One try only (for `notify test`).
    pub final_attempt: bool,
    pub deadline: Instant,
}

/// Sends a circuit's deliveries in order. Returns their results and the first database error.
pub(super) async fn run_circuit(
    db: &Db,
    circuit: &str,
    channel: &dyn Channel,
    items: Vec<Item>,
    rules: Rules,
) -> (Vec<DeliveryResult>, Option<String>) {
    let mut results = Vec::with_capacity(items.len());
    let mut tripped: Option<SendError> = None;
    let mut seen = Seen::Nothing;
    let target = items.first().map(|i| i.delivery.target.clone());
    for item in items {
        if Instant::now() >= rules.deadline {
            results.push(item.result(Outcome::NotAttempted));
            continue;
        }
        let attempt = match &tripped {
            Some(cause) => skip(db, &item, cause, rules).await,
            None => attempt(db, channel, &item, rules).await,
        };
        match attempt {
            Ok((outcome, error)) => {
                match &error {
                    Some(e) if e.channel_down() => seen = Seen::Down(e.to_string()),
                    Some(SendError::Unknown(_)) => {}
                    _ if outcome.is_some() && tripped.is_none() => seen = Seen::Working,
                    _ => {}
                }
                if tripped.is_none() && error.as_ref().is_some_and(SendError::trips_circuit) {
                    tripped = error;
                }
                if let Some(outcome) = outcome {
                    results.push(item.result(outcome));
                }
            }
            Err(db_error) => return (results, Some(db_error)),
        }
    }
    // A webhook's circuit serves one URL; the other channels' serve every target.
    let target = if circuit == channel.name() { None } else { target };
    let (db, circuit, name) = (db.clone(), circuit.to_owned(), channel.name());
    let recorded = blocking(&db, move |c| health::record(c, &circuit, name, target.as_deref(), &seen, now_utc())).await;
    (results, recorded.err())
}

/// Sends and records one delivery. `None` when another dispatcher had it.
async fn attempt(
    db: &Db,
    channel: &dyn Channel,
    item: &Item,
    rules: Rules,
) -> Result<(Option<Outcome>, Option<SendError>), String> {
    let handover = Arc::new(DbHandOver::new(db, item.delivery.id));
    let outgoing = Outgoing {
        delivery: item.delivery.id,
        target: &item.delivery.target,
        alert: &item.alert,
        handover: Arc::clone(&handover) as Arc<dyn HandOver>,
    };
    let sent = match tokio::time::timeout(SEND_CEILING, channel.send(outgoing)).await {
        Ok(result) => result,
        Err(_) => Err(SendError::Unknown(format!("the send was still running after {} s", SEND_CEILING.as_secs()))),
    };
    let handed_over = match handover.mark() {
        Mark::Taken => return Ok((None, None)),
        Mark::Made(at) | Mark::Writing(at) => Some(at),
        Mark::NotAsked | Mark::Failed(_) => None,
    };
    let sent = retry::settle(sent, handed_over.is_some());
    match &sent {
        Ok(()) => tracing::info!(channel = channel.name(), target = %item.delivery.target, "alert sent"),
        Err(error) => {
            // Info, not warn: the round sums failures up in one warning line.
            tracing::info!(channel = channel.name(), target = %item.delivery.target, %error, "alert not sent")
        }
    }
    let now = now_utc();
    let result = if rules.final_attempt {
        rules.policy.final_attempt(&item.delivery, &sent, now)
    } else {
        rules.policy.after_attempt(&item.delivery, &sent, now)
    };
    let outcome = store(db, &item.delivery, handed_over, result).await?;
    Ok((Some(outcome), sent.err()))
}

/// Records a delivery not attempted because its circuit is down or rate-limited this round.
async fn skip(
    db: &Db,
    item: &Item,
    cause: &SendError,
    rules: Rules,
) -> Result<(Option<Outcome>, Option<SendError>), String> {
    let now = now_utc();
    let result = if rules.final_attempt {
        rules.policy.final_attempt(&item.delivery, &Err(cause.clone()), now)
    } else {
        rules.policy.skipped(&item.delivery, cause, now)
    };
    Ok((Some(store(db, &item.delivery, None, result).await?), None))
}
