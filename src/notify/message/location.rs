//! The words of a checking location's alerts (`location_stale`, `location_back`): which
//! location, when it last reported, and the silence that made it stale.

use chrono::NaiveDateTime;

use super::MessageContext;
use crate::domain::alert::{Alert, AlertDetail, Event};
use crate::domain::readable::readable_time;

/// A location alert's facts, borrowed from its detail.
#[derive(Debug, Clone, Copy)]
pub struct LocationFacts<'a> {
    pub name: &'a str,
    pub last_round_at: Option<NaiveDateTime>,
    pub stale_secs: i64,
}

impl<'a> LocationFacts<'a> {
    pub fn of(alert: &'a Alert) -> Option<LocationFacts<'a>> {
        // Other kinds of detail are not location alerts.
        let Some(AlertDetail::Location { name, last_round_at, stale_secs }) = &alert.detail else {
            return None;
        };
        Some(LocationFacts { name, last_round_at: *last_round_at, stale_secs: *stale_secs })
    }
}

/// Whether the event is about a checking location.
pub fn is_location(event: Event) -> bool {
    matches!(event, Event::LocationStale | Event::LocationBack)
}

/// The alert in one sentence.
pub fn headline(alert: &Alert) -> String {
    let stale = alert.event == Event::LocationStale;
    match LocationFacts::of(alert) {
        Some(f) if stale => format!(
            "Location {} stopped reporting: no round for {}; its checks no longer vote",
            f.name,
            readable_time(f.stale_secs)
        ),
        Some(f) => format!("Location {} reports again; its checks vote again", f.name),
        None if stale => "A checking location stopped reporting".to_owned(),
        None => "A checking location reports again".to_owned(),
    }
}

/// The label/value lines an e-mail lists under the headline.
pub fn facts(alert: &Alert, context: &MessageContext) -> Vec<(String, String)> {
    let Some(f) = LocationFacts::of(alert) else { return Vec::new() };
    let last = f.last_round_at.map_or_else(|| "never".to_owned(), |at| context.local_time_secs(at));
    vec![
        ("Location".to_owned(), f.name.to_owned()),
        ("Last round".to_owned(), format!("{last} (database clock)")),
        ("Stale after".to_owned(), readable_time(f.stale_secs)),
    ]
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn alert(event: Event) -> Alert {
        let at = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(9, 0, 0).unwrap();
        Alert {
            event,
            outage: None,
            sites: Vec::new(),
            still_down: Vec::new(),
            created_at: at,
            detail: Some(AlertDetail::Location { name: "eu-west".into(), last_round_at: Some(at), stale_secs: 900 }),
        }
    }

    #[test]
    fn the_location_is_named_with_what_it_means() {
        let stale = headline(&alert(Event::LocationStale));
        assert!(stale.contains("eu-west") && stale.contains("15 minutes"), "{stale}");
        assert!(headline(&alert(Event::LocationBack)).contains("eu-west reports again"));
        let json = serde_json::to_value(alert(Event::LocationStale)).unwrap();
        assert_eq!(json["event"], "location_stale");
        assert_eq!(json["detail"]["kind"], "location");
        assert_eq!(json["detail"]["name"], "eu-west");
    }
}
