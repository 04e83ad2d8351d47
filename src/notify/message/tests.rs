use super::*;
use crate::domain::alert::AlertDetail;
use crate::domain::alert::examples::{self, at};

fn site(name: &str) -> AlertSite {
    examples::site(name, at(9, 30))
}

fn alert(event: Event, sites: Vec<AlertSite>) -> Alert {
    examples::alert(event, sites, "0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87", at(9, 30), at(9, 31))
}

/// A `tls_expiring` alert about `shop`, whose certificate expires on 2026-11-27 at 09:30 UTC.
fn expiring(days_left: i64) -> Alert {
    let mut shop = site("shop");
    (shop.status_code, shop.down_at) = (None, None);
    Alert {
        event: Event::TlsExpiring,
        outage: None,
        sites: vec![shop],
        still_down: Vec::new(),
        created_at: at(9, 31),
        detail: Some(AlertDetail::Certificate {
            expires_at: at(9, 30) + chrono::TimeDelta::days(6),
            days_left,
            threshold_days: 7,
        }),
    }
}

fn context(public_url: &str) -> MessageContext {
    MessageContext { public_url: url::Url::parse(public_url).unwrap(), time_zone: chrono_tz::Europe::Paris }
}

#[test]
fn names_shorten_long_lists() {
    let list: Vec<AlertSite> = ["api", "shop", "db", "cdn"].iter().map(|n| site(n)).collect();
    assert_eq!(names(&list[..1], 3), "api");
    assert_eq!(names(&list[..2], 3), "api and shop");
    assert_eq!(names(&list[..3], 3), "api, shop and db");
    assert_eq!(names(&list, 2), "api, shop and 2 more");
}

#[test]
fn headlines_say_what_happened() {
    assert_eq!(headline(&alert(Event::OutageOpened, vec![site("api")]), 3), "api is down");
    assert_eq!(headline(&alert(Event::OutageOpened, vec![site("api"), site("shop")]), 3), "api and shop are down");
    assert_eq!(headline(&alert(Event::SiteJoined, vec![site("db")]), 3), "db is down too");
    let mut recovered = alert(Event::SiteRecovered, vec![site("api")]);
    recovered.still_down = vec![site("shop")];
    assert_eq!(headline(&recovered, 3), "api is back up; shop is still down");
    let mut resolved = alert(Event::OutageResolved, vec![site("api")]);
    resolved.outage.as_mut().unwrap().resolved_at = Some(at(11, 35));
    assert_eq!(headline(&resolved, 3), "All sites are back up; the outage lasted 2 hours, 5 minutes");
    let mut reminder = alert(Event::Reminder, vec![site("api"), site("shop")]);
    reminder.detail = Some(AlertDetail::Reminder { number: 3, open_secs: 2700 });
    assert_eq!(headline(&reminder, 3), "Still down after 45 minutes: api, shop");
    let many: Vec<AlertSite> = ["api", "shop", "db", "cdn"].iter().map(|n| site(n)).collect();
    assert_eq!(headline(&alert(Event::Reminder, many), 2), "Still down after 1 minute: api, shop and 2 more");
}

#[test]
fn times_show_in_the_configured_zone_and_links_keep_the_base_path() {
    let ctx = context("https://status.example.com/watch");
    assert_eq!(ctx.local_time(at(9, 30)), "2026-11-21 10:30 CET");
    let link = ctx.outage_link(&alert(Event::OutageOpened, vec![site("api")])).unwrap();
    assert_eq!(link, "https://status.example.com/watch/outages/0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87");
}

#[test]
fn what_was_seen_prefers_the_status_then_the_error_kind() {
    let mut s = site("api");
    assert_eq!(what_was_seen(&s), "answered HTTP 503");
    s.status_code = None;
    s.error = Some("timeout".into());
    assert_eq!(what_was_seen(&s), "timed out");
}

#[test]
fn a_tweet_fits_280_characters_however_many_sites() {
    let many: Vec<AlertSite> = (0..60).map(|i| site(&format!("service-number-{i}"))).collect();
    let text = tweet(&alert(Event::OutageOpened, many), &context("https://status.example.com/"));
    assert!(text.chars().count() <= TWEET_LIMIT, "{} chars: {text}", text.chars().count());
    assert!(text.contains("more are down"), "{text}");
    assert!(text.ends_with("/outages/0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87"), "{text}");

    let long_name = site(&"x".repeat(400));
    let text = tweet(&alert(Event::OutageOpened, vec![long_name]), &context("https://status.example.com/"));
    assert!(text.chars().count() <= TWEET_LIMIT, "{text}");
    assert!(text.contains('…') && text.contains("/outages/"), "{text}");

    let few = tweet(&alert(Event::OutageOpened, vec![site("api"), site("shop")]), &context("https://s.example.com/"));
    assert!(
        few.starts_with("✘ api and shop are down (since 2026-11-21 10:30 CET) https://s.example.com/outages/"),
        "{few}"
    );
}

#[test]
fn the_webhook_body_has_event_outage_sites_and_text() {
    let body = WebhookBody::new(&alert(Event::OutageOpened, vec![site("api")]), &context("https://s.example.com/"));
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json["event"], "outage_opened");
    assert_eq!(json["outage"]["started_at"], "2026-11-21T09:30:00Z");
    assert_eq!(json["outage"]["resolved_at"], serde_json::Value::Null);
    assert_eq!(json["sites"][0]["slug"], "api");
    assert_eq!(json["sites"][0]["status_code"], 503);
    assert!(json["text"].as_str().unwrap().starts_with("✘ api is down https://s.example.com/outages/"));
}

#[test]
fn a_keyword_failure_says_the_page_answered_but_the_text_was_wrong() {
    let mut s = site("shop");
    (s.status_code, s.error) = (Some(200), Some("keyword".into()));
    assert_eq!(what_was_seen(&s), "answered HTTP 200 but failed its keyword check");
    (s.status_code, s.error) = (None, Some("unreachable".into()));
    assert_eq!(what_was_seen(&s), "did not answer any ping");
}

#[test]
fn a_certificate_alert_names_the_site_the_date_and_the_days_left() {
    let ctx = context("https://status.example.com/");
    let alert = expiring(6);
    assert_eq!(headline(&alert, 3), "The TLS certificate of shop expires in 6 days");
    assert_eq!(headline(&expiring(1), 3), "The TLS certificate of shop expires tomorrow");
    assert_eq!(subject(&alert), "[sitewatch] The TLS certificate of shop expires in 6 days");

    let text = tweet(&alert, &ctx);
    assert_eq!(
        text,
        "⚠ The TLS certificate of shop expires in 6 days (on 2026-11-27 10:30 CET) https://status.example.com/sites/shop"
    );

    let view = EmailView::new(&alert, &ctx);
    assert_eq!(view.sites[0].seen, "its TLS certificate expires on 2026-11-27 10:30 CET (6 days left)");
    assert_eq!(view.link.as_deref(), Some("https://status.example.com/sites/shop"));
    assert_eq!(view.link_label, "See the site");
    assert_eq!(view.started_at, None);

    let json = serde_json::to_value(WebhookBody::new(&alert, &ctx)).unwrap();
    assert_eq!(json["event"], "tls_expiring");
    assert_eq!(json["outage"], serde_json::Value::Null);
    assert_eq!(json["detail"]["kind"], "certificate");
    assert_eq!(json["detail"]["expires_at"], "2026-11-27T09:30:00Z");
    assert_eq!(json["detail"]["days_left"], 6);
    assert_eq!(json["detail"]["threshold_days"], 7);
    assert!(json["text"].as_str().unwrap().starts_with("⚠ The TLS certificate of shop expires in 6 days"));
}

#[test]
fn outage_webhooks_carry_no_detail() {
    let json = serde_json::to_value(WebhookBody::new(
        &alert(Event::OutageOpened, vec![site("api")]),
        &context("https://s.example.com/"),
    ))
    .unwrap();
    assert!(json.get("detail").is_none(), "{json}");
}

#[test]
fn a_site_seen_from_several_locations_says_where_from() {
    let mut shop = site("Shop");
    assert_eq!(what_was_seen(&shop), "answered HTTP 503", "one location: as before");
    shop.locations = Some(crate::domain::alert::SeenFrom {
        down: vec!["eu-west".into(), "us-east".into()],
        up: vec!["ap-south".into()],
    });
    assert_eq!(what_was_seen(&shop), "answered HTTP 503 (down from eu-west and us-east; up from ap-south)");
    let view = EmailView::new(&alert(Event::OutageOpened, vec![shop]), &context("https://status.example.com/"));
    assert!(view.sites[0].seen.contains("up from ap-south"));
}
