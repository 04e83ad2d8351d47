//! What an alert says: the event and the sites it concerns, frozen when the alert is queued so
//! a later delivery tells what was true then (even if a site was renamed or removed since).
//! Events that are not about an outage carry their own figures in `detail`.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// What happened: to an outage, or to something else watched (an access log's traffic).
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
    /// The outage is still open after another `[alerts] remind_every_mins`.
    Reminder,
    /// An access log's mean hits per second rose above its threshold.
    TrafficHigh,
    /// An access log's mean hits per second fell back to its threshold or below.
    TrafficRecovered,
    /// Someone added a note to an outage and asked for it to be sent.
    Note,
    /// A location stopped reporting for `check.location_stale_secs`: its votes are ignored.
    LocationStale,
    /// A stale location reports again.
    LocationBack,
}

impl Event {
    pub const ALL: [Event; 12] = [
        Event::OutageOpened,
        Event::SiteJoined,
        Event::SiteRecovered,
        Event::OutageResolved,
        Event::TlsExpiring,
        Event::Test,
        Event::Reminder,
        Event::TrafficHigh,
        Event::TrafficRecovered,
        Event::Note,
        Event::LocationStale,
        Event::LocationBack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::OutageOpened => "outage_opened",
            Event::SiteJoined => "site_joined",
            Event::SiteRecovered => "site_recovered",
            Event::OutageResolved => "outage_resolved",
            Event::TlsExpiring => "tls_expiring",
            Event::Test => "test",
            Event::Reminder => "reminder",
            Event::TrafficHigh => "traffic_high",
            Event::TrafficRecovered => "traffic_recovered",
            Event::Note => "note",
            Event::LocationStale => "location_stale",
            Event::LocationBack => "location_back",
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
    /// With several locations: which saw the site down when it went down, and which saw it up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<SeenFrom>,
}

/// The locations that saw a site down and those that saw it up, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenFrom {
    pub down: Vec<String>,
    pub up: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub event: Event,
    pub outage: Option<AlertOutage>,
    /// The sites this event is about: those that went down, came back, or (when an outage
    /// resolves) every site of the outage.
    pub sites: Vec<AlertSite>,
    /// Sites of the outage still down after this event, for context.
    pub still_down: Vec<AlertSite>,
    pub created_at: NaiveDateTime,
    /// What only some kinds of alert carry. Payloads stored before it existed load as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<AlertDetail>,
}

/// The facts particular to one kind of alert, beyond the outage and its sites. Tagged by
/// `kind` in the stored payload; readers that care about one kind match with a fallback arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertDetail {
    /// Reminder `number` of an open outage, sent when it had been open `open_secs` (a whole
    /// number of reminder intervals).
    Reminder { number: u32, open_secs: i64 },
    /// An incident note: its status word (`identified`), its text and who wrote it.
    Note { status: String, message: String, author: String },
    /// The site's certificate expires at `expires_at` (UTC), `days_left` whole days from when
    /// the alert was queued; `threshold_days` is the value of `check.tls_expiry_days` crossed.
    Certificate { expires_at: NaiveDateTime, days_left: i64, threshold_days: u32 },
    /// An access log's traffic (`sitewatch traffic`): the mean over the window at `at`, the log
    /// time (UTC) of the second at which it crossed the threshold.
    Traffic { log: String, mean_hits_per_sec: f64, threshold: f64, window_secs: u32, at: NaiveDateTime },
    /// A checking location (`location_stale`, `location_back`): its name, the end of its last
    /// round (UTC, the database's clock) and the `check.location_stale_secs` it went past.
    Location { name: String, last_round_at: Option<NaiveDateTime>, stale_secs: i64 },
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
    fn payloads_without_a_detail_still_load_and_details_are_tagged() {
        let stored =
            r#"{"event":"outage_opened","outage":null,"sites":[],"still_down":[],"created_at":"2026-11-21T09:30:00"}"#;
        let alert: Alert = serde_json::from_str(stored).unwrap();
        assert_eq!(alert.detail, None);
        assert!(!serde_json::to_string(&alert).unwrap().contains("detail"), "no detail, no key");

        let reminder = Alert {
            event: Event::Reminder,
            detail: Some(AlertDetail::Reminder { number: 3, open_secs: 2700 }),
            ..alert
        };
        let json = serde_json::to_value(&reminder).unwrap();
        assert_eq!(json["detail"], serde_json::json!({"kind": "reminder", "number": 3, "open_secs": 2700}));
        assert_eq!(serde_json::from_value::<Alert>(json).unwrap(), reminder);
    }

    #[test]
    fn a_traffic_detail_carries_the_log_and_its_figures() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(10, 2, 40).unwrap();
        let alert = Alert {
            event: Event::TrafficHigh,
            outage: None,
            sites: Vec::new(),
            still_down: Vec::new(),
            created_at: at,
            detail: Some(AlertDetail::Traffic {
                log: "web".into(),
                mean_hits_per_sec: 10.125,
                threshold: 10.0,
                window_secs: 120,
                at,
            }),
        };
        let json = serde_json::to_value(&alert).unwrap();
        assert_eq!(json["event"], "traffic_high");
        assert_eq!(json["detail"]["kind"], "traffic");
        assert_eq!(json["detail"]["log"], "web");
        assert_eq!(json["detail"]["window_secs"], 120);
        assert_eq!(serde_json::from_value::<Alert>(json).unwrap(), alert);

        let older = r#"{"event":"test","outage":null,"sites":[],"still_down":[],"created_at":"2026-11-30T10:02:40"}"#;
        let read: Alert = serde_json::from_str(older).unwrap();
        assert_eq!(read.detail, None);
        assert!(!serde_json::to_string(&read).unwrap().contains("detail"), "no detail, no key");
    }
}

/// Alerts for tests that put them into words: sites of example.com that went down on
/// 2026-11-21, in an outage that began then.
#[cfg(test)]
pub(crate) mod examples {
    use chrono::{NaiveDate, NaiveDateTime};

    use super::{Alert, AlertOutage, AlertSite, Event};

    /// 2026-11-21 at `hour`:`minute` UTC.
    pub fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(hour, minute, 0).unwrap()
    }

    /// Site `name` at `https://{name}.example.com/`, answering 503 since `down_at`.
    pub fn site(name: &str, down_at: NaiveDateTime) -> AlertSite {
        AlertSite {
            site_id: None,
            group_id: None,
            name: name.to_owned(),
            slug: name.to_lowercase(),
            url: format!("https://{}.example.com/", name.to_lowercase()),
            status_code: Some(503),
            error: None,
            down_at: Some(down_at),
            up_at: None,
            locations: None,
        }
    }

    /// `event` about `sites` of the open outage `outage_id`, which began at `started_at`;
    /// queued at `created_at`.
    pub fn alert(
        event: Event,
        sites: Vec<AlertSite>,
        outage_id: &str,
        started_at: NaiveDateTime,
        created_at: NaiveDateTime,
    ) -> Alert {
        Alert {
            event,
            outage: Some(AlertOutage { id: outage_id.to_owned(), started_at, resolved_at: None }),
            sites,
            still_down: Vec::new(),
            created_at,
            detail: None,
        }
    }
}
