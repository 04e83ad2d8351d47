//! Queuing: one notification row per alert, and one pending delivery per channel and recipient.

use std::collections::HashSet;

use diesel::QueryResult;

use super::{EMAIL, SMS, TWITTER, WEBHOOK};
use crate::db::models::notification::{Delivery, Notification};
use crate::db::models::recipient::{Recipient, Scope};
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::alert::{Alert, Event};
use crate::domain::phone::PhoneNumber;
use crate::domain::recipient_address::RecipientKind;
use crate::domain::time::now_utc;
use crate::settings::Settings;

/// Queues one test alert for every enabled channel (`sitewatch notify test`), in a transaction
/// of its own.
pub fn queue_test(conn: &mut DbConnection, settings: &Settings) -> QueryResult<Notification> {
    let alert = Alert {
        event: Event::Test,
        outage: None,
        sites: Vec::new(),
        still_down: Vec::new(),
        created_at: now_utc(),
        detail: None,
    };
    write_transaction(conn, |c| queue(c, settings, &alert))
}

/// Stores `alert` and its deliveries. Call inside the transaction that changes the outage, so
/// the change and its alerts are committed together or not at all.
pub fn queue(conn: &mut DbConnection, settings: &Settings, alert: &Alert) -> QueryResult<Notification> {
    let payload = serde_json::to_string(alert).expect("an alert always serializes");
    let notification = Notification {
        id: Id::new(),
        event: alert.event.as_str().to_owned(),
        outage_id: alert.outage.as_ref().and_then(|o| o.id.parse().ok()),
        payload,
        created_at: alert.created_at,
    };
    notification.insert(conn)?;

    let mut deliveries = Vec::new();
    if settings.email.enabled || settings.sms.enabled {
        let subscribed = subscribers(conn, alert)?;
        if settings.email.enabled {
            for address in email_recipients(settings, &subscribed) {
                deliveries.push(Delivery::pending(notification.id, EMAIL, &address, alert.created_at));
            }
        }
        if settings.sms.enabled {
            for number in phone_recipients(settings, &subscribed) {
                deliveries.push(Delivery::pending(notification.id, SMS, number.as_str(), alert.created_at));
            }
        }
    }
    if settings.twitter.enabled {
        deliveries.push(Delivery::pending(notification.id, TWITTER, TWITTER, alert.created_at));
    }
    // The same URL listed twice still gets each alert once.
    let mut hooks = HashSet::new();
    for hook in settings.webhooks.iter().filter(|h| hooks.insert(h.url.as_str())) {
        deliveries.push(Delivery::pending(notification.id, WEBHOOK, hook.url.as_str(), alert.created_at));
    }
    Delivery::insert_all(conn, &deliveries)?;
    Ok(notification)
}

/// The recipients of every alert, then everyone subscribed to a site of the alert or its group,
/// in that order, of both kinds. A site removed since keeps no subscribers of its own, but the
/// global lists still hear about it.
fn subscribers(conn: &mut DbConnection, alert: &Alert) -> QueryResult<Vec<Recipient>> {
    let mut found = Recipient::in_scope(conn, Scope::All)?;
    for site in alert.sites.iter() {
        let site_id = site.site_id.as_deref().and_then(|id| id.parse::<Id>().ok());
        let group_id = site.group_id.as_deref().and_then(|id| id.parse::<Id>().ok());
        let scopes = site_id.map(Scope::Site).into_iter().chain(group_id.map(Scope::Group));
        for scope in scopes {
            found.extend(Recipient::in_scope(conn, scope)?);
        }
    }
    Ok(found)
}

/// The global `[email] to` list and the e-mail subscribers; each address once, compared
/// without regard to case.
fn email_recipients(settings: &Settings, subscribed: &[Recipient]) -> Vec<String> {
    let mut seen = HashSet::new();
    let subscribed = subscribed.iter().filter(|r| r.kind() == RecipientKind::Email).map(|r| &r.email);
    settings.email.to.iter().chain(subscribed).filter(|a| seen.insert(a.to_lowercase())).cloned().collect()
}

/// The global `[sms] to` list and the phone subscribers; each number once.
fn phone_recipients(settings: &Settings, subscribed: &[Recipient]) -> Vec<PhoneNumber> {
    let mut seen = HashSet::new();
    let subscribed = subscribed
        .iter()
        .filter(|r| r.kind() == RecipientKind::Phone)
        .filter_map(|r| PhoneNumber::parse(&r.email).ok());
    settings.sms.numbers().into_iter().chain(subscribed).filter(|n| seen.insert(n.clone())).collect()
}
