//! The dispatcher: delivers what the outbox holds, one round at a time, and owns the retries.
//!
//! Guarantee: each delivery (notification × channel × recipient) is sent **at most once**, and
//! every delivery that surely did not arrive is tried again on later rounds until it is sent or
//! given up (see `retry`). The steps, each committed before the next:
//!
//! 1. claim: the row is marked `claimed_at = now` (one conditional UPDATE, so two dispatchers
//!    sharing a database never both take it);
//! 2. send, bounded by `SEND_CEILING`;
//! 3. record: sent, pending for another round, waiting for a rate limit, or failed.
//!
//! A crash before 1 leaves the row pending: the next round sends it. A crash between 1 and 3
//! leaves a claim that nobody finishes; whether the message left is unknown, so the next round
//! after `retry::stale_claim_age()` marks it failed with that explanation instead of risking a
//! duplicate, and `sitewatch notify list` shows it (`sitewatch notify retry ID` sends it again
//! if a person decides so). The same holds for a send that was handed over but never answered
//! (a timeout after an SMTP DATA or an HTTP request). Nothing is deleted: failed deliveries stay.
//!
//! Circuits run concurrently, so a slow or failing channel never holds up another; within a
//! circuit, the first delivery that finds the channel down spares the rest a wait (they count a
//! failed attempt and wait for the next round). No send starts after the round's budget.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::QueryResult;
use tokio::task::JoinSet;

use super::channel::{Channel, Outgoing, SendError, Unavailable};
use super::email::EmailChannel;
use super::report::{DeliveryReport, DeliveryResult, Outcome};
use super::retry;
use super::twitter::TwitterChannel;
use super::webhook::WebhookChannel;
use super::{EMAIL, TWITTER, WEBHOOK};
use crate::db::models::notification::{Delivery, DeliveryState, Notification};
use crate::db::models::outbox::AttemptResult;
use crate::db::{Db, DbConnection, Id};
use crate::domain::alert::Alert;
use crate::domain::time::now_utc;
use crate::settings::Settings;

/// No single send may take longer (each step also has its channel's own timeout).
pub const SEND_CEILING: Duration = Duration::from_secs(300);

/// No new send starts after this much of a round's delivery phase: cron comes back in a minute.
pub const ROUND_BUDGET: Duration = Duration::from_secs(45);

/// At most this many deliveries are taken per round; the rest wait for the next.
const BATCH: i64 = 1000;

#[derive(Debug, Clone)]
pub struct DeliverOptions {
    /// Deliver only this notification's deliveries (for `notify test`).
    pub notification: Option<Id>,
    /// One try only: what does not go out is marked failed at once (for `notify test`).
    pub final_attempt: bool,
    pub budget: Duration,
}

impl Default for DeliverOptions {
    fn default() -> Self {
        DeliverOptions { notification: None, final_attempt: false, budget: ROUND_BUDGET }
    }
}

/// The check round's delivery phase: sends what is due and reports how it went. Never fails:
/// a problem is in the report, for one warning line on stderr.
pub async fn deliver_pending(db: &Db, settings: &Settings) -> DeliveryReport {
    deliver(db, settings, &DeliverOptions::default()).await
}

#[tracing::instrument(skip_all)]
pub async fn deliver(db: &Db, settings: &Settings, options: &DeliverOptions) -> DeliveryReport {
    let deadline = Instant::now() + options.budget;
    let mut report = DeliveryReport::default();
    if let Err(error) = run(db, settings, options, deadline, &mut report).await {
        tracing::error!(%error, "alert delivery stopped");
        report.error = Some(error);
    }
    report.tally();
    match blocking(db, |c| Delivery::count_in_state(c, DeliveryState::Pending)).await {
        Ok(pending) => report.pending = pending,
        Err(error) => report.error = report.error.take().or(Some(error)),
    }
    report
}

/// Runs diesel work on the blocking pool, with a connection of its own.
async fn blocking<T: Send + 'static>(
    db: &Db,
    work: impl FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
) -> Result<T, String> {
    let db = db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.conn().map_err(|e| e.to_string())?;
        work(&mut conn).map_err(|e| format!("database error: {e}"))
    })
    .await
    .map_err(|e| format!("a delivery worker stopped: {e}"))?
}

/// Stores `result` for `delivery` if the row is still as this attempt left it.
async fn store(
    db: &Db,
    delivery: &Delivery,
    claim: Option<chrono::NaiveDateTime>,
    result: AttemptResult,
) -> Result<Outcome, String> {
    let outcome = Outcome::of(&result);
    let id = delivery.id;
    let written = blocking(db, move |c| Delivery::record_attempt(c, id, claim, &result)).await?;
    if !written {
        tracing::warn!(delivery = %id, "the delivery changed while it was being sent; its result was not recorded");
    }
    Ok(outcome)
}

struct Item {
    delivery: Delivery,
    event: String,
    alert: Alert,
}

impl Item {
    fn result(&self, outcome: Outcome) -> DeliveryResult {
        DeliveryResult {
            delivery: self.delivery.id,
            channel: self.delivery.channel.clone(),
            target: self.delivery.target.clone(),
            event: self.event.clone(),
            outcome,
        }
    }
}

async fn run(
    db: &Db,
    settings: &Settings,
    options: &DeliverOptions,
    deadline: Instant,
    report: &mut DeliveryReport,
) -> Result<(), String> {
    if options.notification.is_none() {
        settle_abandoned(db, report).await?;
    }
    let only = options.notification;
    let due = blocking(db, move |c| Delivery::due(c, now_utc(), only, BATCH)).await?;
    if due.is_empty() {
        return Ok(());
    }

    let mut channels: HashMap<String, Arc<dyn Channel>> = HashMap::new();
    let mut circuits: Vec<(String, Arc<dyn Channel>, Vec<Item>)> = Vec::new();
    for (delivery, notification) in due {
        let Some(alert) = read_alert(db, &delivery, &notification, report).await? else { continue };
        let channel = Arc::clone(
            channels.entry(delivery.channel.clone()).or_insert_with(|| channel_for(&delivery.channel, settings)),
        );
        let key = channel.circuit(&delivery.target);
        let item = Item { delivery, event: notification.event, alert };
        match circuits.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, items)) => items.push(item),
            None => circuits.push((key, channel, vec![item])),
        }
    }

    let mut tasks = JoinSet::new();
    for (_, channel, items) in circuits {
        let db = db.clone();
        let final_attempt = options.final_attempt;
        tasks.spawn(async move { run_circuit(&db, channel.as_ref(), items, final_attempt, deadline).await });
    }
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((results, error)) => {
                report.results.extend(results);
                first_error = first_error.or(error);
            }
            Err(e) => first_error = first_error.or(Some(format!("a delivery worker stopped: {e}"))),
        }
    }
    for channel in channels.values() {
        channel.finish().await;
    }
    first_error.map_or(Ok(()), Err)
}

/// Marks failed what a crashed round left claimed, and what has waited longer than a day.
async fn settle_abandoned(db: &Db, report: &mut DeliveryReport) -> Result<(), String> {
    let now = now_utc();
    let stale = blocking(db, move |c| Delivery::stale_claims(c, now - retry::stale_claim_age())).await?;
    for claimed in stale {
        tracing::info!(delivery = %claimed.delivery.id, "a send began and never finished; its outcome is unknown");
        let item = claimed.delivery.clone();
        let outcome = store(db, &item, claimed.claimed_at, retry::stale(&claimed)).await?;
        report.settled.push(settled_result(&item, outcome));
    }
    let expired = blocking(db, move |c| Delivery::queued_before(c, now - retry::max_age())).await?;
    for delivery in expired {
        let outcome = store(db, &delivery, None, retry::expired(&delivery)).await?;
        report.settled.push(settled_result(&delivery, outcome));
    }
    Ok(())
}

fn settled_result(delivery: &Delivery, outcome: Outcome) -> DeliveryResult {
    DeliveryResult {
        delivery: delivery.id,
        channel: delivery.channel.clone(),
        target: delivery.target.clone(),
        event: String::new(),
        outcome,
    }
}

/// The alert a notification carries; an unreadable one can never be sent, so its delivery is
/// marked failed at once.
async fn read_alert(
    db: &Db,
    delivery: &Delivery,
    notification: &Notification,
    report: &mut DeliveryReport,
) -> Result<Option<Alert>, String> {
    match serde_json::from_str::<Alert>(&notification.payload) {
        Ok(alert) => Ok(Some(alert)),
        Err(error) => {
            let mut result = AttemptResult::from(delivery);
            result.state = DeliveryState::Failed.as_str().to_owned();
            result.last_error = Some(format!("the stored alert cannot be read: {error}"));
            let outcome = store(db, delivery, None, result).await?;
            report.settled.push(settled_result(delivery, outcome));
            Ok(None)
        }
    }
}

/// The channel a stored delivery names, as the settings configure it now.
fn channel_for(name: &str, settings: &Settings) -> Arc<dyn Channel> {
    let unavailable =
        |name: &'static str, reason: String| -> Arc<dyn Channel> { Arc::new(Unavailable { name, reason }) };
    let built = match name {
        EMAIL if settings.email.enabled => EmailChannel::new(settings).map(|c| Arc::new(c) as Arc<dyn Channel>),
        EMAIL => Err("e-mail is disabled in the settings; set [email] enabled = true to deliver".to_owned()),
        TWITTER if settings.twitter.enabled => TwitterChannel::new(settings).map(|c| Arc::new(c) as Arc<dyn Channel>),
        TWITTER => Err("Twitter is disabled in the settings; set [twitter] enabled = true to deliver".to_owned()),
        WEBHOOK => WebhookChannel::new(settings).map(|c| Arc::new(c) as Arc<dyn Channel>),
        other => Err(format!("unknown channel `{other}`")),
    };
    let word = match name {
        EMAIL => EMAIL,
        TWITTER => TWITTER,
        WEBHOOK => WEBHOOK,
        _ => "unknown",
    };
    built.unwrap_or_else(|reason| unavailable(word, reason))
}

/// Sends a circuit's deliveries in order. Returns their results and the first database error.
async fn run_circuit(
    db: &Db,
    channel: &dyn Channel,
    items: Vec<Item>,
    final_attempt: bool,
    deadline: Instant,
) -> (Vec<DeliveryResult>, Option<String>) {
    let mut results = Vec::with_capacity(items.len());
    let mut tripped: Option<SendError> = None;
    for item in items {
        if Instant::now() >= deadline {
            results.push(item.result(Outcome::NotAttempted));
            continue;
        }
        let attempt = match &tripped {
            Some(cause) => skip(db, &item, cause, final_attempt).await,
            None => attempt(db, channel, &item, final_attempt).await,
        };
        match attempt {
            Ok((outcome, error)) => {
                if tripped.is_none() && error.as_ref().is_some_and(|e| !matches!(e, SendError::Refused(_))) {
                    tripped = error;
                }
                if let Some(outcome) = outcome {
                    results.push(item.result(outcome));
                }
            }
            Err(db_error) => return (results, Some(db_error)),
        }
    }
    (results, None)
}

/// Claims, sends and records one delivery. `None` when another dispatcher had it.
async fn attempt(
    db: &Db,
    channel: &dyn Channel,
    item: &Item,
    final_attempt: bool,
) -> Result<(Option<Outcome>, Option<SendError>), String> {
    let id = item.delivery.id;
    let claim = now_utc();
    if !blocking(db, move |c| Delivery::claim(c, id, claim)).await? {
        return Ok((None, None));
    }
    let outgoing = Outgoing { delivery: id, target: &item.delivery.target, alert: &item.alert };
    let sent = match tokio::time::timeout(SEND_CEILING, channel.send(outgoing)).await {
        Ok(result) => result,
        Err(_) => Err(SendError::Unknown(format!("the send was still running after {} s", SEND_CEILING.as_secs()))),
    };
    match &sent {
        Ok(()) => tracing::info!(channel = channel.name(), target = %item.delivery.target, "alert sent"),
        Err(error) => {
            // Info, not warn: the round sums failures up in one warning line.
            tracing::info!(channel = channel.name(), target = %item.delivery.target, %error, "alert not sent")
        }
    }
    let now = now_utc();
    let result = if final_attempt {
        retry::final_attempt(&item.delivery, &sent, now)
    } else {
        retry::after_attempt(&item.delivery, &sent, now)
    };
    let outcome = store(db, &item.delivery, Some(claim), result).await?;
    Ok((Some(outcome), sent.err()))
}

/// Records a delivery not attempted because its circuit is down or rate-limited this round.
async fn skip(
    db: &Db,
    item: &Item,
    cause: &SendError,
    final_attempt: bool,
) -> Result<(Option<Outcome>, Option<SendError>), String> {
    let now = now_utc();
    let result = if final_attempt {
        retry::final_attempt(&item.delivery, &Err(cause.clone()), now)
    } else {
        retry::skipped(&item.delivery, cause, now)
    };
    Ok((Some(store(db, &item.delivery, None, result).await?), None))
}
