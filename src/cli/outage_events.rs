//! What changed in the outage tables between two reads: the events `sitewatch outages
//! --follow` prints. Each read holds the open outages, those open at the read before and those
//! resolved lately, with their sites, so memory stays bounded by what is open or just ended.
//! Rows are compared by id, not by time: a site's `down_at` is its first failed check, older
//! than the round that recorded it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::Id;
use crate::db::models::outage::{Outage, OutageSite};

/// One outage as read: when it ended, and each site's row id with its recovery time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    pub resolved_at: Option<NaiveDateTime>,
    pub sites: HashMap<Id, Option<NaiveDateTime>>,
}

/// The outages of one read, by id.
pub type Snapshot = BTreeMap<Id, Seen>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Opened,
    Joined,
    Recovered,
    Resolved,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Opened => "opened",
            Kind::Joined => "joined",
            Kind::Recovered => "recovered",
            Kind::Resolved => "resolved",
        }
    }
}

/// A site as an event names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventSite {
    pub slug: String,
    pub name: String,
}

/// One change, as printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub event: Kind,
    pub outage_id: String,
    /// When it happened (RFC 3339, UTC): the outage's start, the site's down or up time, the
    /// outage's end.
    pub at: String,
    /// The site that went down or came back; `null` for a resolution, and for an opening the
    /// first site that went down.
    pub site: Option<EventSite>,
    /// Why the site went down (the status code or error kind of its failing check).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The snapshot of the rows one read returned.
pub fn snapshot(rows: &[(Outage, Option<OutageSite>)]) -> Snapshot {
    let mut snap = Snapshot::new();
    for (outage, site) in rows {
        let seen = snap.entry(outage.id).or_insert_with(|| Seen { resolved_at: outage.resolved_at, ..Seen::default() });
        if let Some(site) = site {
            seen.sites.insert(site.id, site.up_at);
        }
    }
    snap
}

fn reason(site: &OutageSite) -> Option<String> {
    site.down_status_code.map(|c| format!("HTTP {c}")).or_else(|| site.down_error.clone())
}

fn named(site: &OutageSite) -> Option<EventSite> {
    Some(EventSite { slug: site.site_slug.clone(), name: site.site_name.clone() })
}

/// The events between `before` and the read `rows`, in the order they happened.
pub fn changes(before: &Snapshot, rows: &[(Outage, Option<OutageSite>)]) -> Vec<(NaiveDateTime, Event)> {
    let mut events = Vec::new();
    let rfc = crate::domain::time::rfc3339;
    let mut outages: Vec<&Outage> = Vec::new();
    for (outage, _) in rows {
        if outages.last().is_none_or(|o| o.id != outage.id) {
            outages.push(outage);
        }
    }
    for outage in outages {
        let sites: Vec<&OutageSite> =
            rows.iter().filter(|(o, _)| o.id == outage.id).filter_map(|(_, s)| s.as_ref()).collect();
        let known = before.get(&outage.id);
        let id = outage.id.to_string();
        let event = |kind, at: NaiveDateTime, site: Option<EventSite>, reason| {
            (at, Event { event: kind, outage_id: id.clone(), at: rfc(at), site, reason })
        };
        if known.is_none() {
            let first = sites.first();
            events.push(event(
                Kind::Opened,
                outage.started_at,
                first.and_then(|s| named(s)),
                first.and_then(|s| reason(s)),
            ));
        }
        for (i, site) in sites.iter().enumerate() {
            let seen = known.and_then(|k| k.sites.get(&site.id));
            if seen.is_none() && (known.is_some() || i > 0) {
                events.push(event(Kind::Joined, site.down_at, named(site), reason(site)));
            }
            if let Some(up) = site.up_at
                && seen.is_none_or(|was| was.is_none())
            {
                events.push(event(Kind::Recovered, up, named(site), None));
            }
        }
        if let Some(end) = outage.resolved_at
            && known.is_none_or(|k| k.resolved_at.is_none())
        {
            events.push(event(Kind::Resolved, end, None, None));
        }
    }
    events.sort_by_key(|(at, e)| (*at, e.event as u8));
    events
}

/// The outages to read again next time: those still open. Resolved ones were reported.
pub fn still_open(snap: &Snapshot) -> Vec<Id> {
    snap.iter().filter(|(_, s)| s.resolved_at.is_none()).map(|(id, _)| *id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeDelta};

    fn at(m: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(12, 0, 0).unwrap() + TimeDelta::minutes(m)
    }

    fn site(outage: Id, slug: &str, down: i64, up: Option<i64>) -> OutageSite {
        OutageSite {
            id: Id::new(),
            outage_id: outage,
            site_id: None,
            site_name: slug.to_uppercase(),
            site_slug: slug.into(),
            site_url: format!("https://{slug}.example/"),
            down_at: at(down),
            up_at: up.map(at),
            down_status_code: Some(503),
            down_error: None,
            down_from: String::new(),
            up_from: String::new(),
        }
    }

    fn kinds(events: &[(NaiveDateTime, Event)]) -> Vec<(&'static str, Option<&str>)> {
        events.iter().map(|(_, e)| (e.event.as_str(), e.site.as_ref().map(|s| s.slug.as_str()))).collect()
    }

    #[test]
    fn an_outage_opens_gains_a_site_loses_both_and_ends() {
        let outage = Outage { id: Id::new(), started_at: at(0), resolved_at: None };
        let api = site(outage.id, "api", 0, None);
        let rows = vec![(outage.clone(), Some(api.clone()))];
        let events = changes(&Snapshot::new(), &rows);
        assert_eq!(kinds(&events), [("opened", Some("api"))]);
        assert_eq!(events[0].1.reason.as_deref(), Some("HTTP 503"));
        let first = snapshot(&rows);
        assert!(changes(&first, &rows).is_empty(), "the same read again is no news");

        let shop = site(outage.id, "shop", 3, None);
        let rows = vec![(outage.clone(), Some(api.clone())), (outage.clone(), Some(shop.clone()))];
        assert_eq!(kinds(&changes(&first, &rows)), [("joined", Some("shop"))]);
        let second = snapshot(&rows);

        let resolved = Outage { resolved_at: Some(at(9)), ..outage.clone() };
        let (mut api_up, mut shop_up) = (api.clone(), shop.clone());
        api_up.up_at = Some(at(5));
        shop_up.up_at = Some(at(9));
        let rows = vec![(resolved.clone(), Some(api_up)), (resolved, Some(shop_up))];
        assert_eq!(
            kinds(&changes(&second, &rows)),
            [("recovered", Some("api")), ("recovered", Some("shop")), ("resolved", None)]
        );
        assert!(still_open(&snapshot(&rows)).is_empty(), "a resolved outage is not read again");
        assert_eq!(still_open(&second), vec![outage.id]);
    }

    #[test]
    fn an_outage_opened_and_resolved_between_two_reads_is_reported_whole() {
        let outage = Outage { id: Id::new(), started_at: at(0), resolved_at: Some(at(4)) };
        let rows = vec![
            (outage.clone(), Some(site(outage.id, "api", 0, Some(at(4).signed_duration_since(at(0)).num_minutes())))),
            (outage.clone(), Some(site(outage.id, "db", 1, Some(3)))),
        ];
        assert_eq!(
            kinds(&changes(&Snapshot::new(), &rows)),
            [
                ("opened", Some("api")),
                ("joined", Some("db")),
                ("recovered", Some("db")),
                ("recovered", Some("api")),
                ("resolved", None)
            ]
        );
    }
}
