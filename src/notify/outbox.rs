//! Queuing: one notification row per alert, and one pending delivery per channel and recipient.

use std::collections::HashSet;

use diesel::QueryResult;

use super::{EMAIL, TWITTER, WEBHOOK};
use crate::db::models::notification::{Delivery, Notification};
use crate::db::models::recipient::Recipient;
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
    for hook in &settings.webhooks {
        deliveries.push(Delivery::pending(notification.id, WEBHOOK, hook.url.as_str(), alert.created_at));
    }
    Delivery::insert_all(conn, &deliveries)?;
    Ok(notification)
}

/// The global `[email] to` list plus everyone subscribed to any site of the alert (by site or
/// by group), each address once, compared without regard to case.
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
    for site in &alert.sites {
        let (Some(site_id), Some(group_id)) = (&site.site_id, &site.group_id) else { continue };
        let (Ok(site_id), Ok(group_id)) = (site_id.parse::<Id>(), group_id.parse::<Id>()) else { continue };
        for address in Recipient::addresses_for_site(conn, site_id, group_id)? {
            add(address);
        }
    }
    if alert.sites.is_empty() {
        for address in Recipient::in_scope(conn, crate::db::models::recipient::Scope::All)? {
            add(address.email);
        }
    }
    Ok(addresses)
}
