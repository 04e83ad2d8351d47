//! Queuing: one notification row per alert, and one pending delivery per channel and recipient.

use std::collections::HashSet;

use diesel::QueryResult;

use super::{EMAIL, TWITTER, WEBHOOK};
use crate::db::models::notification::{Delivery, Notification};
use crate::db::models::recipient::{Recipient, Scope};
use crate::db::{DbConnection, Id};
use crate::domain::alert::Alert;
use crate::settings::Settings;

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
    if settings.email.enabled {
        for address in email_recipients(conn, settings, alert)? {
            deliveries.push(Delivery::pending(notification.id, EMAIL, &address, alert.created_at));
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

/// The global `[email] to` list, the recipients of every alert, and everyone subscribed to a
/// site of the alert or its group; each address once, compared without regard to case. A site
/// removed since keeps no subscribers of its own, but the global lists still hear about it.
fn email_recipients(conn: &mut DbConnection, settings: &Settings, alert: &Alert) -> QueryResult<Vec<String>> {
    let mut seen = HashSet::new();
    let mut addresses = Vec::new();
    let mut add = |address: String| {
        if seen.insert(address.to_lowercase()) {
            addresses.push(address);
        }
    };
    for address in &settings.email.to {
        add(address.clone());
    }
    for recipient in Recipient::in_scope(conn, Scope::All)? {
        add(recipient.email);
    }
    for site in alert.sites.iter() {
        let site_id = site.site_id.as_deref().and_then(|id| id.parse::<Id>().ok());
        let group_id = site.group_id.as_deref().and_then(|id| id.parse::<Id>().ok());
        let scopes = site_id.map(Scope::Site).into_iter().chain(group_id.map(Scope::Group));
        for scope in scopes {
            for recipient in Recipient::in_scope(conn, scope)? {
                add(recipient.email);
            }
        }
    }
    Ok(addresses)
}
