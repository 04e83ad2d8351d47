//! What an alert says: the event and the sites it concerns, frozen when the alert is queued so
//! a later delivery tells what was true then (even if a site was renamed or removed since).
//! Events that are not about an outage carry their own figures in `detail`.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// What happened to an outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first site(s) reached the failure threshold: a new outage began.
    OutageOpened,
    /// Another site went down while the outage was open.
    SiteJoined,
    /// A site of the open outage is up again; others are still down.
    SiteRecovered,
    /// The last site is back: the outage is over.
    OutageResolved,
    /// A site's TLS certificate expires within one of `check.tls_expiry_days`.
    TlsExpiring,
    /// `sitewatch notify test`.
    Test,
}

impl Event {
    pub const ALL: [Event; 6] = [
        Event::OutageOpened,
        Event::SiteJoined,
        Event::SiteRecovered,
        Event::OutageResolved,
        Event::TlsExpiring,
        Event::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::OutageOpened => "outage_opened",
            Event::SiteJoined => "site_joined",
            Event::SiteRecovered => "site_recovered",
            Event::OutageResolved => "outage_resolved",
            Event::TlsExpiring => "tls_expiring",
            Event::Test => "test",
        }
    }

    pub fn parse(word: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == word)
    }
}

/// The outage an alert belongs to, as it stood when the alert was queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertOutage {
    pub id: String,
    pub started_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
}

/// A site as an alert shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertSite {
    /// `None` once the site has been removed.
    pub site_id: Option<String>,
    pub group_id: Option<String>,
    pub name: String,
    pub slug: String,
    pub url: String,
    /// What the failing check saw: an HTTP status, or an error kind (`timeout`, `dns`, ...).
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub down_at: Option<NaiveDateTime>,
    pub up_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub event: Event,
    pub outage: Option<AlertOutage>,
    /// The sites this event is about: those that went down, came back, or (when an outage
    /// resolves) every site of the outage.
    pub sites: Vec<AlertSite>,
    /// Sites of the outage still down after this event, for context.
    pub still_down: Vec<AlertSite>,
    pub created_at: NaiveDateTime,
    /// What an event other than an outage change is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<AlertDetail>,
}

/// The figures of an event that is not an outage change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertDetail {
    /// The site's certificate expires at `expires_at` (UTC), `days_left` whole days from when
    /// the alert was queued; `threshold_days` is the value of `check.tls_expiry_days` crossed.
    Certificate { expires_at: NaiveDateTime, days_left: i64, threshold_days: u32 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_their_words_and_json() {
        for event in Event::ALL {
            assert_eq!(Event::parse(event.as_str()), Some(event));
            assert_eq!(serde_json::to_string(&event).unwrap(), format!("\"{}\"", event.as_str()));
        }
    }

    #[test]
    fn details_are_tagged_and_absent_details_are_left_out() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(8, 0, 0).unwrap();
        let mut alert = Alert {
            event: Event::Test,
            outage: None,
            sites: Vec::new(),
            still_down: Vec::new(),
            created_at: at,
            detail: None,
        };
        let plain = serde_json::to_string(&alert).unwrap();
        assert!(!plain.contains("detail"), "{plain}");
        alert.detail = Some(AlertDetail::Certificate { expires_at: at, days_left: 6, threshold_days: 7 });
        let json = serde_json::to_value(&alert).unwrap();
        assert_eq!(json["detail"]["kind"], "certificate");
        assert_eq!(json["detail"]["days_left"], 6);
        let back: Alert = serde_json::from_value(json).unwrap();
        assert_eq!(back, alert);
        let older: Alert = serde_json::from_str(&plain).unwrap();
        assert_eq!(older.detail, None, "alerts queued before details existed still read");
    }
}
