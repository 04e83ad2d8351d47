//! `sitewatch notify ...`: test the alert channels, list deliveries that did not go out, and
//! queue failed ones again.

use serde::Serialize;

use super::args::{ListArgs, NotifyCommand};
use super::output::{Table, print_json, when};
use super::{CliError, bad_input};
use crate::db::models::notification::{Delivery, DeliveryState, Notification};
use crate::db::{Db, DbError, Id, write_transaction};
use crate::domain::alert::{Alert, Event};
use crate::domain::time::{now_utc, rfc3339};
use crate::notify::{self, DeliverOptions, DeliveryResult, Outcome, outbox};
use crate::settings::Settings;

pub(super) fn run(db: &Db, settings: &Settings, command: NotifyCommand) -> Result<(), CliError> {
    match command {
        NotifyCommand::Test => test(db, settings),
        NotifyCommand::List(args) => list(db, &args),
        NotifyCommand::Retry { ids, all_failed } => retry(db, &ids, all_failed),
    }
}

fn test(db: &Db, settings: &Settings) -> Result<(), CliError> {
    if !settings.email.enabled && !settings.twitter.enabled && settings.webhooks.is_empty() {
        return Err(CliError::Input(
            "no alert channel is enabled: set [email] enabled = true or [twitter] enabled = true, or add a \
             [[webhooks]] entry (see the Configuration section of the README)"
                .into(),
        ));
    }
    let alert = Alert {
        event: Event::Test,
        outage: None,
        sites: Vec::new(),
        still_down: Vec::new(),
        created_at: now_utc(),
        detail: None,
    };
    let notification = {
        let mut conn = db.conn()?;
        write_transaction(&mut conn, |c| outbox::queue(c, settings, &alert))?
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let options =
        DeliverOptions { notification: Some(notification.id), final_attempt: true, budget: notify::SEND_CEILING };
    let report = runtime.block_on(notify::deliver(db, settings, &options));

    let mut results: Vec<&DeliveryResult> = report.results.iter().collect();
    results.sort_by(|a, b| (&a.channel, &a.target).cmp(&(&b.channel, &b.target)));
    let mut failures = 0;
    if settings.email.enabled && !results.iter().any(|r| r.channel == notify::EMAIL) {
        failures += 1;
        println!(
            "✘ email: nobody to send to; set [email] to, or add a recipient of every alert with `sitewatch recipient add EMAIL`"
        );
    }
    for result in &results {
        match &result.outcome {
            Outcome::Sent => println!("✔ {}: sent", result.recipient()),
            other => {
                failures += 1;
                println!("✘ {}: {}", result.recipient(), other.error().unwrap_or("not attempted"));
            }
        }
    }
    if let Some(error) = report.error {
        return Err(CliError::Failed(format!("the test stopped: {error}")));
    }
    let total = results.len();
    println!("Test alert: {} of {total} deliveries sent.", report.sent);
    if failures > 0 {
        return Err(CliError::Failed(format!(
            "{failures} test deliver{} failed; fix the settings named above and run `sitewatch notify test` again",
            if failures == 1 { "y" } else { "ies" }
        )));
    }
    Ok(())
}

#[derive(Serialize)]
struct DeliveryJson {
    id: String,
    state: String,
    channel: String,
    target: String,
    event: String,
    outage_id: Option<String>,
    attempts: i32,
    last_error: Option<String>,
    last_attempt_at: Option<String>,
    not_before: Option<String>,
    queued_at: String,
}

impl DeliveryJson {
    fn new(delivery: &Delivery, notification: &Notification) -> DeliveryJson {
        DeliveryJson {
            id: delivery.id.to_string(),
            state: delivery.state.clone(),
            channel: delivery.channel.clone(),
            target: delivery.target.clone(),
            event: notification.event.clone(),
            outage_id: notification.outage_id.map(|id| id.to_string()),
            attempts: delivery.attempts,
            last_error: delivery.last_error.clone(),
            last_attempt_at: delivery.last_attempt_at.map(rfc3339),
            not_before: delivery.not_before.map(rfc3339),
            queued_at: rfc3339(delivery.created_at),
        }
    }
}

fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max { text } else { format!("{}…", text.chars().take(max - 1).collect::<String>()) }
}

fn list(db: &Db, args: &ListArgs) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    let rows = Delivery::in_states(&mut conn, &[DeliveryState::Pending, DeliveryState::Failed])?;
    if args.json {
        let items: Vec<DeliveryJson> = rows.iter().map(|(d, n)| DeliveryJson::new(d, n)).collect();
        return print_json(&items);
    }
    let mut table = Table::new(&["STATE", "CHANNEL", "TO", "EVENT", "ATTEMPTS", "QUEUED", "LAST ERROR", "ID"]);
    for (delivery, notification) in &rows {
        let state = match delivery.not_before {
            Some(t) if delivery.state() == DeliveryState::Pending => format!("waiting until {}", when(Some(t))),
            _ => delivery.state.clone(),
        };
        table.row(vec![
            state,
            delivery.channel.clone(),
            delivery.target.clone(),
            notification.event.clone(),
            delivery.attempts.to_string(),
            when(Some(delivery.created_at)),
            shorten(delivery.last_error.as_deref().unwrap_or("-"), 70),
            delivery.id.to_string(),
        ]);
    }
    table.print_or("No alert deliveries are waiting or failed.");
    Ok(())
}

fn retry(db: &Db, ids: &[String], all_failed: bool) -> Result<(), CliError> {
    let ids: Vec<Id> = ids.iter().map(|id| id.parse().map_err(bad_input("delivery id"))).collect::<Result<_, _>>()?;
    let mut conn = db.conn()?;
    let now = now_utc();
    let queued = write_transaction(&mut conn, |c| {
        let ids = if all_failed {
            Delivery::in_states(c, &[DeliveryState::Failed])?.into_iter().map(|(d, _)| d.id).collect()
        } else {
            ids
        };
        for &id in &ids {
            let delivery = Delivery::find(c, id)?
                .ok_or_else(|| DbError::NotFound(format!("there is no delivery with id {id}")))?;
            if !Delivery::requeue(c, id, now)? {
                return Err(DbError::Conflict(format!(
                    "delivery {id} is {}, not failed; only failed deliveries can be queued again",
                    delivery.state
                )));
            }
        }
        Ok::<_, DbError>(ids.len())
    })?;
    match queued {
        0 => println!("No failed deliveries to queue again."),
        n => println!(
            "Queued {n} deliver{} again; the next check round sends {}.",
            if n == 1 { "y" } else { "ies" },
            if n == 1 { "it" } else { "them" }
        ),
    }
    Ok(())
}
