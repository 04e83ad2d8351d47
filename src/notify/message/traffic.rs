//! The words of an access log's traffic alerts (`traffic_high`, `traffic_recovered`): which
//! log, the mean over the window, the threshold and the log time at which it crossed.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::MessageContext;
use crate::domain::alert::{Alert, AlertDetail, Event};
use crate::domain::readable::readable_time;
use crate::domain::time::rfc3339;

/// A traffic alert's figures, borrowed from its detail.
#[derive(Debug, Clone, Copy)]
pub struct TrafficFacts<'a> {
    pub log: &'a str,
    pub mean: f64,
    pub threshold: f64,
    pub window_secs: u32,
    pub at: NaiveDateTime,
}

impl<'a> TrafficFacts<'a> {
    pub fn of(alert: &'a Alert) -> Option<TrafficFacts<'a>> {
        // Other kinds of detail are not traffic alerts.
        let Some(AlertDetail::Traffic { log, mean_hits_per_sec, threshold, window_secs, at }) = &alert.detail else {
            return None;
        };
        Some(TrafficFacts { log, mean: *mean_hits_per_sec, threshold: *threshold, window_secs: *window_secs, at: *at })
    }

    /// "12.3 hits/s over the last 2 minutes".
    pub fn rate(&self) -> String {
        format!("{:.1} hits/s over the last {}", self.mean, readable_time(i64::from(self.window_secs)))
    }

    /// "10 hits/s", "2.5 hits/s": the threshold as it was configured.
    pub fn limit(&self) -> String {
        format!("{} hits/s", self.threshold)
    }
}

/// Whether the event is one of the traffic watch's.
pub fn is_traffic(event: Event) -> bool {
    matches!(event, Event::TrafficHigh | Event::TrafficRecovered)
}

/// The traffic alert in one sentence (no time: the subject line has no room for it).
pub fn headline(alert: &Alert) -> String {
    let high = alert.event == Event::TrafficHigh;
    match TrafficFacts::of(alert) {
        Some(f) if high => {
            format!("High traffic on {}: {}, above the threshold of {}", f.log, f.rate(), f.limit())
        }
        Some(f) => {
            format!("Traffic on {} is back to normal: {}, at or below the threshold of {}", f.log, f.rate(), f.limit())
        }
        // A payload written without its detail still says what kind of alert it was.
        None if high => "High traffic on an access log".to_owned(),
        None => "Traffic on an access log is back to normal".to_owned(),
    }
}

/// " (at 2026-11-30 11:02:40 CET, log time)": the crossing, to the second, in the configured zone.
pub fn when(alert: &Alert, context: &MessageContext) -> String {
    TrafficFacts::of(alert).map(|f| format!(" (at {}, log time)", context.local_time_secs(f.at))).unwrap_or_default()
}

/// The label/value lines an e-mail lists under the headline.
pub fn facts(alert: &Alert, context: &MessageContext) -> Vec<(String, String)> {
    let Some(f) = TrafficFacts::of(alert) else { return Vec::new() };
    let crossed = if alert.event == Event::TrafficHigh { "Rose above it at" } else { "Fell back at" };
    vec![
        ("Log".to_owned(), f.log.to_owned()),
        ("Mean".to_owned(), f.rate()),
        ("Threshold".to_owned(), f.limit()),
        (crossed.to_owned(), format!("{} (log time)", context.local_time_secs(f.at))),
    ]
}

/// The traffic figures of a webhook body, for programs.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookTraffic {
    pub log: String,
    pub mean_hits_per_sec: f64,
    pub threshold: f64,
    pub window_secs: u32,
    /// RFC 3339, UTC: the log time at which the mean crossed the threshold.
    pub at: String,
}

impl WebhookTraffic {
    pub fn of(alert: &Alert) -> Option<WebhookTraffic> {
        TrafficFacts::of(alert).map(|f| WebhookTraffic {
            log: f.log.to_owned(),
            mean_hits_per_sec: f.mean,
            threshold: f.threshold,
            window_secs: f.window_secs,
            at: rfc3339(f.at),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::notify::message::{EmailView, WebhookBody, subject, tweet};

    fn alert(event: Event, mean: f64) -> Alert {
        let at = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(10, 2, 40).unwrap();
        Alert {
            event,
            outage: None,
            sites: Vec::new(),
            still_down: Vec::new(),
            created_at: at,
            detail: Some(AlertDetail::Traffic {
                log: "shop-nginx".into(),
                mean_hits_per_sec: mean,
                threshold: 10.0,
                window_secs: 120,
                at,
            }),
        }
    }

    fn context() -> MessageContext {
        MessageContext {
            public_url: url::Url::parse("https://s.example.com/").unwrap(),
            time_zone: chrono_tz::Europe::Paris,
        }
    }

    #[test]
    fn every_channel_names_the_log_the_mean_the_threshold_and_the_time() {
        let high = alert(Event::TrafficHigh, 10.125);
        assert_eq!(
            subject(&high),
            "[sitewatch] High traffic on shop-nginx: 10.1 hits/s over the last 2 minutes, above the threshold of 10 hits/s"
        );
        let text = tweet(&high, &context());
        assert_eq!(
            text,
            "⚠ High traffic on shop-nginx: 10.1 hits/s over the last 2 minutes, above the threshold of 10 hits/s \
             (at 2026-11-30 11:02:40 CET, log time) https://s.example.com/traffic"
        );
        let view = EmailView::new(&high, &context());
        let facts: Vec<String> = view.facts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!(
            facts,
            [
                "Log: shop-nginx",
                "Mean: 10.1 hits/s over the last 2 minutes",
                "Threshold: 10 hits/s",
                "Rose above it at: 2026-11-30 11:02:40 CET (log time)"
            ]
        );
        assert_eq!(view.link.as_deref(), Some("https://s.example.com/traffic"));
        let json = serde_json::to_value(WebhookBody::new(&high, &context())).unwrap();
        assert_eq!(json["event"], "traffic_high");
        assert_eq!(json["traffic"]["log"], "shop-nginx");
        assert_eq!(json["traffic"]["mean_hits_per_sec"], 10.125);
        assert_eq!(json["traffic"]["threshold"], 10.0);
        assert_eq!(json["traffic"]["at"], "2026-11-30T10:02:40Z");
        let words = json["text"].as_str().unwrap();
        assert!(
            words.contains("shop-nginx") && words.contains("10.1 hits/s") && words.contains("10 hits/s"),
            "{words}"
        );
        assert!(words.contains("2026-11-30 11:02:40 CET"), "{words}");
    }

    #[test]
    fn recovery_reads_as_such_and_a_long_log_name_still_fits_a_tweet() {
        let back = alert(Event::TrafficRecovered, 9.95);
        assert!(subject(&back).starts_with("[sitewatch] Traffic on shop-nginx is back to normal: 9.9 hits/s"));
        assert!(subject(&back).ends_with("at or below the threshold of 10 hits/s"));
        let mut long = alert(Event::TrafficHigh, 50.0);
        if let Some(AlertDetail::Traffic { log, .. }) = &mut long.detail {
            *log = format!("/var/log/{}/access.log", "x".repeat(400));
        }
        let text = tweet(&long, &context());
        assert!(text.chars().count() <= super::super::TWEET_LIMIT, "{text}");
        assert!(text.ends_with("https://s.example.com/traffic"), "{text}");
    }

    #[test]
    fn a_payload_without_its_detail_still_says_what_happened() {
        let mut bare = alert(Event::TrafficHigh, 12.0);
        bare.detail = None;
        assert_eq!(headline(&bare), "High traffic on an access log");
        assert!(facts(&bare, &context()).is_empty());
    }
}
