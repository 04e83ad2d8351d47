//! SMS texts: one message of at most 160 GSM-7 septets whatever the alert, folding a long list
//! of sites ("DOWN: api, shop +12 more since 14:02") and replacing what GSM-7 lacks.

use chrono::{NaiveDateTime, TimeZone};

use super::location::LocationFacts;
use super::traffic::TrafficFacts;
use super::{MessageContext, certificate, headline, in_days, note, open_for, outage_duration};
use crate::domain::alert::{Alert, AlertSite, Event};
use crate::domain::gsm7;
use crate::domain::readable::readable_time;

/// One SMS: 160 septets of GSM-7.
pub const SMS_LIMIT: usize = 160;

/// No single site name takes more than this, so one always fits beside the rest of the text.
const NAME_LIMIT: usize = 40;

/// The text of `alert` as an SMS, in `context`'s time zone.
pub fn sms_text(alert: &Alert, context: &MessageContext) -> String {
    let names = |sites: &[AlertSite]| -> Vec<String> { sites.iter().map(|s| short_name(&s.name)).collect() };
    let (sites, others) = (names(&alert.sites), names(&alert.still_down));
    let clock = |t: NaiveDateTime| clock(context, t, alert.created_at);
    let started = alert.outage.as_ref().map(|o| o.started_at);
    let since = |t: Option<NaiveDateTime>| t.map(|t| format!(" since {}", clock(t))).unwrap_or_default();
    let render = |shown: usize| -> String {
        let list = fold(&sites, shown);
        match alert.event {
            Event::OutageOpened => format!("DOWN: {list}{}", since(started)),
            Event::SiteJoined => {
                let first_down = alert.sites.iter().filter_map(|s| s.down_at).min().or(started);
                format!("DOWN TOO: {list}{}", since(first_down))
            }
            Event::SiteRecovered => {
                let back = alert.sites.iter().filter_map(|s| s.up_at).max().unwrap_or(alert.created_at);
                let rest =
                    if others.is_empty() { String::new() } else { format!("; still down: {}", fold(&others, shown)) };
                format!("UP: {list} at {}{rest}", clock(back))
            }
            Event::OutageResolved => {
                let end = alert.outage.as_ref().and_then(|o| o.resolved_at).unwrap_or(alert.created_at);
                let lasted = outage_duration(alert).map(|s| format!(" after {}", readable_time(s))).unwrap_or_default();
                format!("ALL UP at {}{lasted}: {list}", clock(end))
            }
            Event::TlsExpiring => match certificate(alert) {
                Some((at, days_left)) => format!("CERT of {list} expires {} ({})", in_days(days_left), clock(at)),
                None => format!("CERT of {list} expires soon"),
            },
            Event::Test => "sitewatch test alert: SMS alerts reach this number.".to_owned(),
            Event::TrafficHigh | Event::TrafficRecovered => match TrafficFacts::of(alert) {
                Some(f) if alert.event == Event::TrafficHigh => {
                    format!(
                        "HIGH TRAFFIC {}: {:.1}/s > {}/s at {}",
                        short_name(f.log),
                        f.mean,
                        f.threshold,
                        clock(f.at)
                    )
                }
                Some(f) => format!("TRAFFIC OK {}: {:.1}/s at {}", short_name(f.log), f.mean, clock(f.at)),
                None => headline(alert, 1),
            },
            Event::Reminder => {
                format!("STILL DOWN after {}: {list}{}", readable_time(open_for(alert).unwrap_or(0)), since(started))
            }
            Event::LocationStale | Event::LocationBack => match LocationFacts::of(alert) {
                Some(f) if alert.event == Event::LocationStale => {
                    let last = f.last_round_at.map_or_else(|| "never".to_owned(), clock);
                    format!("LOCATION STALE {}: last round {last}; its votes are ignored", short_name(f.name))
                }
                Some(f) => format!("LOCATION BACK {}: it reports and votes again", short_name(f.name)),
                None => headline(alert, 1),
            },
            Event::Note => match note(alert) {
                Some((status, message, _)) => format!("UPDATE ({status}): {message}"),
                None => "UPDATE on the outage".to_owned(),
            },
        }
    };
    let most = sites.len().max(others.len()).max(1);
    let full = gsm7::sanitize(&render(most));
    if let Some(link) = context.link(alert) {
        let with_link = format!("{full} {}", gsm7::sanitize(&link));
        if gsm7::septets(&with_link) <= SMS_LIMIT {
            return with_link;
        }
    }
    for shown in (1..=most).rev() {
        let text = gsm7::sanitize(&render(shown));
        if gsm7::septets(&text) <= SMS_LIMIT {
            return text;
        }
    }
    gsm7::truncate(&gsm7::sanitize(&render(1)), SMS_LIMIT).to_owned()
}

/// "api, shop" or, past `shown` names, "api, shop +12 more".
fn fold(names: &[String], shown: usize) -> String {
    if names.is_empty() {
        return "no site".to_owned();
    }
    let shown = shown.clamp(1, names.len());
    let list = names[..shown].join(", ");
    match names.len() - shown {
        0 => list,
        more => format!("{list} +{more} more"),
    }
}

/// A site's name in GSM-7, cut to `NAME_LIMIT` septets.
fn short_name(name: &str) -> String {
    let clean = gsm7::sanitize(name);
    if gsm7::septets(&clean) <= NAME_LIMIT {
        return clean;
    }
    format!("{}...", gsm7::truncate(&clean, NAME_LIMIT - 3))
}

/// `14:02` in the configured zone, or `20 Nov 14:02` when not on the alert's own day.
fn clock(context: &MessageContext, t: NaiveDateTime, reference: NaiveDateTime) -> String {
    let local = context.time_zone.from_utc_datetime(&t);
    let today = context.time_zone.from_utc_datetime(&reference).date_naive();
    if local.date_naive() == today {
        local.format("%H:%M").to_string()
    } else {
        local.format("%-d %b %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::domain::alert::AlertDetail;
    use crate::domain::alert::examples::{self, at};

    fn site(name: &str) -> AlertSite {
        examples::site(name, at(13, 2))
    }

    fn alert(event: Event, sites: Vec<AlertSite>) -> Alert {
        examples::alert(event, sites, "o1", at(13, 2), at(13, 5))
    }

    /// Paris: 13:02 UTC shows as 14:02. No public URL path, so links are short enough to
    /// test both with and without them.
    fn context(public_url: &str) -> MessageContext {
        MessageContext { public_url: public_url.parse().unwrap(), time_zone: chrono_tz::Europe::Paris }
    }

    fn long_url() -> MessageContext {
        context(&format!("https://{}.example.com/", "status".repeat(20)))
    }

    #[test]
    fn a_long_list_is_folded_to_fit_one_message() {
        let many: Vec<AlertSite> = ["api", "shop"]
            .iter()
            .map(|n| site(n))
            .chain((0..12).map(|i| site(&format!("service-number-{i:02}"))))
            .collect();
        let text = sms_text(&alert(Event::OutageOpened, many), &long_url());
        assert!(gsm7::septets(&text) <= SMS_LIMIT, "{text}");
        assert!(text.starts_with("DOWN: api, shop, service-number-00"), "{text}");
        assert!(text.contains(" more since 14:02"), "{text}");
        let two = sms_text(&alert(Event::OutageOpened, vec![site("api"), site("shop")]), &long_url());
        assert_eq!(two, "DOWN: api, shop since 14:02");
        let folded = fold(&["api".into(), "shop".into(), "db".into()], 2);
        assert_eq!(folded, "api, shop +1 more");
    }

    #[test]
    fn the_outage_link_comes_along_when_it_fits() {
        let text = sms_text(&alert(Event::OutageOpened, vec![site("api")]), &context("https://s.example.com/"));
        assert_eq!(text, "DOWN: api since 14:02 https://s.example.com/outages/o1");
    }

    #[test]
    fn every_event_has_a_text_within_the_limit() {
        let mut texts = Vec::new();
        for event in Event::ALL {
            let mut a = alert(event, vec![site("api"), site("shop")]);
            match event {
                Event::SiteRecovered => {
                    a.sites[0].up_at = Some(at(13, 20));
                    a.still_down = vec![site("db")];
                }
                Event::OutageResolved => a.outage.as_mut().unwrap().resolved_at = Some(at(13, 30)),
                Event::Reminder => a.detail = Some(AlertDetail::Reminder { number: 3, open_secs: 2700 }),
                Event::TrafficHigh | Event::TrafficRecovered => {
                    (a.outage, a.sites) = (None, Vec::new());
                    let mean = if event == Event::TrafficHigh { 12.34 } else { 4.0 };
                    let (threshold, window_secs, at) = (10.0, 120, at(13, 5));
                    a.detail = Some(AlertDetail::Traffic {
                        log: "web".into(),
                        mean_hits_per_sec: mean,
                        threshold,
                        window_secs,
                        at,
                    });
                }
                Event::Note => {
                    a.detail = Some(AlertDetail::Note {
                        status: "identified".into(),
                        message: "The database ran out of disk".into(),
                        author: "alice".into(),
                    })
                }
                Event::TlsExpiring => {
                    let expires_at = at(13, 30) + chrono::TimeDelta::days(6);
                    (a.outage, a.sites) = (None, vec![site("shop")]);
                    a.detail = Some(AlertDetail::Certificate { expires_at, days_left: 6, threshold_days: 7 });
                }
                Event::Test => (a.outage, a.sites) = (None, Vec::new()),
                Event::LocationStale | Event::LocationBack => {
                    (a.outage, a.sites) = (None, Vec::new());
                    a.detail = Some(AlertDetail::Location {
                        name: "eu-west".into(),
                        last_round_at: Some(at(13, 10)),
                        stale_secs: 900,
                    });
                }
                _ => {}
            }
            let text = sms_text(&a, &long_url());
            assert!(gsm7::septets(&text) <= SMS_LIMIT && text.chars().all(|c| gsm7::septets_of(c).is_some()), "{text}");
            texts.push(text);
        }
        assert_eq!(
            texts,
            [
                "DOWN: api, shop since 14:02",
                "DOWN TOO: api, shop since 14:02",
                "UP: api, shop at 14:20; still down: db",
                "ALL UP at 14:30 after 28 minutes: api, shop",
                "CERT of shop expires in 6 days (27 Nov 14:30)",
                "sitewatch test alert: SMS alerts reach this number.",
                "STILL DOWN after 45 minutes: api, shop since 14:02",
                "HIGH TRAFFIC web: 12.3/s > 10/s at 14:05",
                "TRAFFIC OK web: 4.0/s at 14:05",
                "UPDATE (identified): The database ran out of disk",
                "LOCATION STALE eu-west: last round 14:10; its votes are ignored",
                "LOCATION BACK eu-west: it reports and votes again",
            ]
        );
    }

    #[test]
    fn characters_outside_gsm7_are_replaced_and_extension_ones_count_double() {
        let text = sms_text(&alert(Event::OutageOpened, vec![site("Café ✘ “São”")]), &long_url());
        assert_eq!(text, "DOWN: Café ? \"Sao\" since 14:02");
        let brackets: Vec<AlertSite> = (0..30).map(|i| site(&format!("[edge-{i:02}]"))).collect();
        let text = sms_text(&alert(Event::OutageOpened, brackets), &long_url());
        let septets = gsm7::septets(&text);
        assert!(septets <= SMS_LIMIT && septets > text.chars().count(), "{septets}: {text}");
        assert!(text.ends_with("more since 14:02"), "{text}");
    }

    #[test]
    fn a_huge_name_is_cut_and_an_earlier_day_is_named() {
        let text = sms_text(&alert(Event::OutageOpened, vec![site(&"x".repeat(500))]), &long_url());
        assert!(gsm7::septets(&text) <= SMS_LIMIT && text.contains("... since 14:02"), "{text}");
        let mut a = alert(Event::Reminder, vec![site("api")]);
        a.created_at = at(13, 2) + TimeDelta::days(1);
        a.detail = Some(AlertDetail::Reminder { number: 24, open_secs: 86_400 });
        assert_eq!(sms_text(&a, &long_url()), "STILL DOWN after 1 day: api since 21 Nov 14:02");
    }
}
