//! The dispatcher: delivers what the outbox holds, one round at a time, and owns the retries.
//!
//! Guarantee: each delivery (notification × channel × recipient) is handed over **at most
//! once**, and every delivery that was surely not handed over is tried again on later rounds
//! until it is sent or given up (see `retry`). A delivery goes through these steps:
//!
//! 1. prepare: the channel does everything that comes before the message itself (SMTP:
//!    connect, TLS, login, MAIL, RCPT, and DATA up to the server's 354; HTTP: connect and TLS);
//! 2. mark: one conditional UPDATE, committed, sets `handed_over_at` on the row if it is still
//!    pending and unmarked (of two dispatchers sharing a database, one gets it; the other drops
//!    its connection without writing anything of the message);
//! 3. hand over: the SMTP payload or the HTTP request is written and the answer awaited,
//!    bounded by `SEND_CEILING`;
//! 4. record: sent, pending for another round, waiting for a rate limit, or failed, written
//!    only if the row still carries this attempt's mark.
//!
//! A crash or kill anywhere before the mark is committed leaves the row as it was: nothing of
//! the message was written to the channel, and the next round simply sends it. Between the
//! committed mark and the recorded result the message may or may not have arrived, so the
//! first round after `retry::stale_claim_age()` marks it failed as "outcome unknown" instead
//! of risking a duplicate; `sitewatch notify list` shows it and `sitewatch notify retry ID`
//! sends it again if a person decides so. The same holds for a message handed over whose
//! answer never came (a timeout after the SMTP payload or the HTTP request). "Outcome unknown"
//! therefore only ever comes from a kill, a crash or a lost answer inside that window. Nothing
//! is deleted: failed deliveries stay.
//!
//! Circuits run concurrently, so a slow or failing channel never holds up another; within a
//! circuit, the first delivery that finds the channel down (or rate-limited, or silent) spares
//! the rest a wait: they cost no attempt and wait for the next round. No send starts after the
//! round's budget. Each circuit's round leaves its health behind (see `health`).

mod circuit;
mod handover;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::QueryResult;
use tokio::task::JoinSet;

use self::circuit::{Rules, run_circuit};
use super::channel::{Channel, Unavailable};
use super::email::EmailChannel;
use super::report::{DeliveryReport, DeliveryResult, Outcome};
use super::retry::{self, Policy};
use super::sms::SmsChannel;
use super::twitter::TwitterChannel;
use super::webhook::WebhookChannel;
use super::{EMAIL, SMS, TWITTER, WEBHOOK};
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

/// Stores `result` for `delivery` if the row is still as this attempt left it (carrying its
/// hand-over mark, or unmarked and unchanged since it was read).
async fn store(
    db: &Db,
    delivery: &Delivery,
    handed_over: Option<chrono::NaiveDateTime>,
    result: AttemptResult,
) -> Result<Outcome, String> {
    let outcome = Outcome::of(&result);
    let (id, seen) = (delivery.id, delivery.last_attempt_at);
    let written = blocking(db, move |c| Delivery::record_attempt(c, id, handed_over, seen, &result)).await?;
    if !written {
        tracing::warn!(delivery = %id, "the delivery changed while it was being sent; its result was not recorded");
    }
    Ok(outcome)
}

pub(super) struct Item {
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
    let policy = Policy::from_settings(&settings.alerts);
    if options.notification.is_none() {
        settle_abandoned(db, policy, report).await?;
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
    let rules = Rules { policy, final_attempt: options.final_attempt, deadline };
    for (circuit, channel, items) in circuits {
        let db = db.clone();
        tasks.spawn(async move { run_circuit(&db, &circuit, channel.as_ref(), items, rules).await });
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

/// Marks failed what a crashed round left handed over without a result, and what has waited
/// longer than `[alerts] give_up_after_hours`.
async fn settle_abandoned(db: &Db, policy: Policy, report: &mut DeliveryReport) -> Result<(), String> {
    let now = now_utc();
    let stale = blocking(db, move |c| Delivery::stale_claims(c, now - retry::stale_claim_age())).await?;
    for claimed in stale {
        tracing::info!(delivery = %claimed.delivery.id, "a message was handed over and never answered; its outcome is unknown");
        let item = claimed.delivery.clone();
        let outcome = store(db, &item, claimed.handed_over_at, retry::stale(&claimed)).await?;
        report.settled.push(settled_result(&item, outcome));
    }
    let expired = blocking(db, move |c| Delivery::queued_before(c, now - policy.give_up_after)).await?;
    for delivery in expired {
        let outcome = store(db, &delivery, None, policy.expired(&delivery)).await?;
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
        SMS if settings.sms.enabled => SmsChannel::new(settings).map(|c| Arc::new(c) as Arc<dyn Channel>),
        SMS => Err("SMS is disabled in the settings; set [sms] enabled = true to deliver".to_owned()),
        other => Err(format!("unknown channel `{other}`")),
    };
    let word = match name {
        EMAIL => EMAIL,
        TWITTER => TWITTER,
        WEBHOOK => WEBHOOK,
        SMS => SMS,
        _ => "unknown",
    };
    built.unwrap_or_else(|reason| unavailable(word, reason))
}
