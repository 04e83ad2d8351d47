//! The JSON body of a webhook alert: a sentence for chat tools and the alert's fields for
//! programs.

use serde::Serialize;

use super::{MessageContext, headline, symbol, traffic};
use crate::domain::alert::{Alert, AlertDetail, AlertSite, SeenFrom};
use crate::domain::time::rfc3339;

/// The JSON body every webhook receives. `text` is what Slack- and Mattermost-style incoming
/// webhooks display; the other fields are for programs.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookBody {
    pub event: &'static str,
    pub text: String,
    pub outage: Option<WebhookOutage>,
    pub sites: Vec<WebhookSite>,
    pub still_down: Vec<WebhookSite>,
    pub created_at: String,
    /// What only some kinds of alert carry (a reminder's number, a certificate's expiry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<WebhookDetail>,
    /// A traffic alert's figures (absent for other events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic: Option<traffic::WebhookTraffic>,
}

/// `Alert::detail` with its times in RFC 3339 (traffic has a key of its own: `traffic`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WebhookDetail {
    Reminder { number: u32, open_secs: i64 },
    Certificate { expires_at: String, days_left: i64, threshold_days: u32 },
    Note { status: String, message: String, author: String },
    Location { name: String, last_round_at: Option<String>, stale_secs: i64 },
}

impl WebhookDetail {
    fn new(detail: &AlertDetail) -> Option<WebhookDetail> {
        match detail {
            AlertDetail::Reminder { number, open_secs } => {
                Some(WebhookDetail::Reminder { number: *number, open_secs: *open_secs })
            }
            AlertDetail::Certificate { expires_at, days_left, threshold_days } => Some(WebhookDetail::Certificate {
                expires_at: rfc3339(*expires_at),
                days_left: *days_left,
                threshold_days: *threshold_days,
            }),
            AlertDetail::Traffic { .. } => None,
            AlertDetail::Location { name, last_round_at, stale_secs } => Some(WebhookDetail::Location {
                name: name.clone(),
                last_round_at: last_round_at.map(rfc3339),
                stale_secs: *stale_secs,
            }),
            AlertDetail::Note { status, message, author } => {
                Some(WebhookDetail::Note { status: status.clone(), message: message.clone(), author: author.clone() })
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WebhookOutage {
    pub id: String,
    pub started_at: String,
    pub resolved_at: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WebhookSite {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub down_at: Option<String>,
    pub up_at: Option<String>,
    /// With several locations: which saw the site down and which saw it up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locations: Option<SeenFrom>,
}

impl WebhookBody {
    pub fn new(alert: &Alert, context: &MessageContext) -> WebhookBody {
        let site = |s: &AlertSite| WebhookSite {
            name: s.name.clone(),
            slug: s.slug.clone(),
            url: s.url.clone(),
            status_code: s.status_code,
            error: s.error.clone(),
            down_at: s.down_at.map(rfc3339),
            up_at: s.up_at.map(rfc3339),
            locations: s.locations.clone(),
        };
        let link = context.link(alert);
        let sentence = format!("{} {}{}", symbol(alert.event), headline(alert, 10), traffic::when(alert, context));
        // A bare URL: Slack and Mattermost both turn it into a link.
        let text = match &link {
            Some(link) => format!("{sentence} {link}"),
            None => sentence,
        };
        WebhookBody {
            event: alert.event.as_str(),
            text,
            outage: alert.outage.as_ref().map(|o| WebhookOutage {
                id: o.id.clone(),
                started_at: rfc3339(o.started_at),
                resolved_at: o.resolved_at.map(rfc3339),
                url: context.outage_link(alert),
            }),
            sites: alert.sites.iter().map(site).collect(),
            still_down: alert.still_down.iter().map(site).collect(),
            created_at: rfc3339(alert.created_at),
            detail: alert.detail.as_ref().and_then(WebhookDetail::new),
            traffic: traffic::WebhookTraffic::of(alert),
        }
    }
}
