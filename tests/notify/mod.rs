//! Alert delivery from the outbox: a real SMTP server, webhook receivers, SMS gateway and X API
//! stand-ins on 127.0.0.1, each round's delivery phase run on both backends.

mod channel_down;
mod cli;
mod dispatch;
mod email;
mod end_to_end;
mod formats;
mod kill;
mod reminders;
mod sms;
mod twitter;
mod webhook;

use chrono::{NaiveDate, NaiveDateTime};
use sitewatch::db::models::notification::{Delivery, DeliveryState, Notification};
use sitewatch::db::models::outage::Outage;
use sitewatch::db::models::site::Site;
use sitewatch::db::{Db, write_transaction};
use sitewatch::domain::alert::{Alert, AlertOutage, AlertSite, Event};
use sitewatch::domain::time::now_utc;
use sitewatch::notify::{DeliveryReport, deliver_pending, outbox};
use sitewatch::settings::Settings;

use crate::harness::{TestDb, sw};

/// 2026-11-21 09:30 UTC: when the test outages began (10:30 in Paris).
pub fn began() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

/// Writes `toml` as the test's settings file and loads it against the test database.
pub fn settings(db: &TestDb, toml: &str) -> Settings {
    let path = db.write_file("sitewatch.toml", toml);
    let vars = [("SITEWATCH_DATABASE_URL".to_owned(), db.url.clone())];
    Settings::from_parts(Some((&path, toml)), &vars).expect("valid test settings")
}

/// Common settings: alert links under a public URL, times in Paris.
pub const BASE: &str = "public_url = \"https://status.example.com/\"\ntime_zone = \"Europe/Paris\"\n";

/// `[email]` for the SMTP test server on `port`, plain, short timeout; `extra` adds keys.
pub fn email_section(port: u16, extra: &str) -> String {
    format!(
        "[email]\nenabled = true\nfrom = \"sitewatch@example.com\"\nhost = \"127.0.0.1\"\nport = {port}\n{}{}{extra}\n",
        if extra.contains("timeout_secs =") { "" } else { "timeout_secs = 2\n" },
        if extra.contains("tls =") { "" } else { "tls = \"none\"\n" }
    )
}

/// `[sms]` for a Twilio stand-in at `base` (its URL up to `/2010-04-01`); `extra` adds keys.
pub fn twilio_section(base: &str, extra: &str) -> String {
    format!(
        "[sms]\nenabled = true\naccount_sid = \"{TWILIO_SID}\"\nauth_token = \"{TWILIO_TOKEN}\"\nfrom = \"+15005550006\"\n\
         url = \"{base}/2010-04-01/Accounts/{{account_sid}}/Messages.json\"\n{extra}\n"
    )
}

pub const TWILIO_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const TWILIO_TOKEN: &str = "twilio-token";

/// Adds the site `name` (in group `web`, made on first use) for alerts to name.
pub fn add_site(db: &TestDb, name: &str) {
    if !sw(db, &["group", "list", "--json"]).run().stdout.contains("\"web\"") {
        sw(db, &["group", "add", "Web"]).ok();
    }
    let url = format!("https://{name}.example.com/");
    sw(db, &["site", "add", &url, "--name", name, "--group", "web"]).ok();
}

/// Queues an alert about the sites `slugs`, as the check round does: in a transaction, through
/// `outbox::queue`, with a new outage begun at `began()`.
pub fn queue(handle: &Db, settings: &Settings, event: Event, slugs: &[&str]) -> Notification {
    let mut conn = handle.conn().unwrap();
    write_transaction(&mut conn, |c| {
        let outage = Outage::open(c, began())?;
        let resolved = event == Event::OutageResolved;
        let sites = slugs
            .iter()
            .map(|slug| {
                let site = Site::by_slug(c, slug).expect("a site the test added");
                AlertSite {
                    site_id: Some(site.id.to_string()),
                    group_id: Some(site.group_id.to_string()),
                    name: site.name.clone(),
                    slug: site.slug.clone(),
                    url: site.url.clone(),
                    status_code: Some(503),
                    error: None,
                    down_at: Some(began()),
                    up_at: resolved.then(|| began() + chrono::TimeDelta::minutes(125)),
                    locations: None,
                }
            })
            .collect();
        let alert = Alert {
            event,
            outage: Some(AlertOutage {
                id: outage.id.to_string(),
                started_at: began(),
                resolved_at: resolved.then(|| began() + chrono::TimeDelta::minutes(125)),
            }),
            sites,
            still_down: Vec::new(),
            created_at: now_utc(),
            detail: None,
        };
        outbox::queue(c, settings, &alert)
    })
    .expect("queue the alert")
}

/// One round's delivery phase, as the check round runs it.
pub fn round(handle: &Db, settings: &Settings) -> DeliveryReport {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(deliver_pending(handle, settings))
}

/// Every delivery in the outbox, oldest first.
pub fn deliveries(handle: &Db) -> Vec<Delivery> {
    let mut conn = handle.conn().unwrap();
    let states = [DeliveryState::Pending, DeliveryState::Sent, DeliveryState::Failed];
    let mut list: Vec<Delivery> =
        Delivery::in_states(&mut conn, &states).unwrap().into_iter().map(|(d, _)| d).collect();
    list.sort_by_key(|d| (d.created_at, d.channel.clone(), d.target.clone()));
    list
}

pub fn states(handle: &Db) -> Vec<String> {
    deliveries(handle).into_iter().map(|d| d.state).collect()
}
