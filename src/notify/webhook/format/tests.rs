use super::*;
use crate::domain::alert::examples::{self, at};

/// A site whose URL has a query, to see it escaped.
fn site(name: &str) -> AlertSite {
    AlertSite {
        url: format!("https://{}.example.com/?a=1&b=2", name.to_lowercase()),
        ..examples::site(name, at(9, 30))
    }
}

fn alert(event: Event, sites: Vec<AlertSite>) -> Alert {
    examples::alert(event, sites, "o1", at(9, 30), at(9, 31))
}

fn context() -> MessageContext {
    MessageContext { public_url: "https://s.example.com/".parse().unwrap(), time_zone: chrono_tz::Europe::Paris }
}

fn body(rendered: &Rendered) -> serde_json::Value {
    serde_json::from_slice(&rendered.body).unwrap()
}

#[test]
fn slack_gets_text_with_its_escapes_and_link_syntax() {
    let rendered =
        render(WebhookFormat::Slack, &alert(Event::OutageOpened, vec![site("R&D <lab>")]), &context()).unwrap();
    assert_eq!(rendered.content_type, "application/json");
    assert_eq!(
        body(&rendered),
        serde_json::json!({"text": "✘ R&amp;D &lt;lab&gt; is down\n\
            • R&amp;D &lt;lab&gt; answered HTTP 503 since 2026-11-21 10:30 CET (<https://r&amp;d &lt;lab&gt;.example.com/?a=1&amp;b=2>)\n\
            <https://s.example.com/outages/o1|View the outage>"})
    );
}

#[test]
fn discord_gets_content_without_mentions_within_2000_characters() {
    let rendered =
        render(WebhookFormat::Discord, &alert(Event::OutageOpened, vec![site("api_v2")]), &context()).unwrap();
    assert_eq!(
        body(&rendered),
        serde_json::json!({
            "content": "✘ **api\\_v2 is down**\n- api\\_v2 answered HTTP 503 since 2026-11-21 10:30 CET (<https://api_v2.example.com/?a=1&b=2>)\n<https://s.example.com/outages/o1>",
            "allowed_mentions": {"parse": []},
        })
    );
    let many: Vec<AlertSite> = (0..200).map(|i| site(&format!("{}-{i}", "x".repeat(60)))).collect();
    let rendered = render(WebhookFormat::Discord, &alert(Event::OutageOpened, many), &context()).unwrap();
    let content = body(&rendered)["content"].as_str().unwrap().to_owned();
    assert!(content.chars().count() <= DISCORD_LIMIT, "{} characters", content.chars().count());
    assert!(content.contains(" more\n<https://s.example.com/outages/o1>"), "{content}");
}

#[test]
fn ntfy_gets_plain_text_and_its_headers() {
    let rendered = render(WebhookFormat::Ntfy, &alert(Event::OutageOpened, vec![site("api")]), &context()).unwrap();
    assert_eq!(rendered.content_type, "text/plain; charset=utf-8");
    assert_eq!(
        String::from_utf8(rendered.body.clone()).unwrap(),
        "api is down\napi answered HTTP 503 since 2026-11-21 10:30 CET (https://api.example.com/?a=1&b=2)"
    );
    assert_eq!(
        rendered.headers,
        [
            ("Title", "sitewatch: api is down".to_owned()),
            ("Priority", "high".to_owned()),
            ("Tags", "rotating_light".to_owned()),
            ("Click", "https://s.example.com/outages/o1".to_owned()),
        ]
    );
    let header = |rendered: &Rendered, name: &str| {
        rendered.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap()
    };
    let mut back = alert(Event::OutageResolved, vec![site("api")]);
    back.sites[0].up_at = Some(at(9, 45));
    back.outage.as_mut().unwrap().resolved_at = Some(at(9, 45));
    let rendered = render(WebhookFormat::Ntfy, &back, &context()).unwrap();
    assert_eq!(
        (header(&rendered, "Priority").as_str(), header(&rendered, "Tags").as_str()),
        ("default", "white_check_mark")
    );
    assert_eq!(header(&rendered, "Title"), "sitewatch: All sites are back up; the outage lasted 15 minutes");

    let rendered = render(WebhookFormat::Ntfy, &alert(Event::OutageOpened, vec![site("Zürich")]), &context()).unwrap();
    let title = header(&rendered, "Title");
    let encoded = title.strip_prefix("=?UTF-8?B?").and_then(|t| t.strip_suffix("?=")).expect("RFC 2047");
    assert_eq!(String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap(), "sitewatch: Zürich is down");
}

#[test]
fn json_is_the_sitewatch_body() {
    let a = alert(Event::OutageOpened, vec![site("api")]);
    let rendered = render(WebhookFormat::Json, &a, &context()).unwrap();
    assert_eq!(body(&rendered), serde_json::to_value(WebhookBody::new(&a, &context())).unwrap());
    assert!(rendered.headers.is_empty());
}
