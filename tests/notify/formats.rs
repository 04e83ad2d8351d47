//! Webhook formats through real deliveries: the bodies and headers Slack's incoming webhooks,
//! Discord's webhooks and ntfy document, each signed like the JSON format.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sitewatch::domain::alert::Event;

use super::{BASE, add_site, queue, round, settings};
use crate::both_backends;
use crate::harness::receiver::{Answer, Received, Receiver};

fn signed_with(secret: &str, request: &Received) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&request.body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    request.header("x-sitewatch-signature") == Some(expected.as_str())
}

both_backends! {
    fn slack_discord_and_ntfy_get_the_bodies_they_document_signed(db) {
        let slack = Receiver::start(|_| Answer::status(200));
        let discord = Receiver::always(204);
        let ntfy = Receiver::start(|_| Answer::json(200, r#"{"id":"abc","event":"message"}"#));
        add_site(db, "api");
        add_site(db, "shop");
        let toml = format!(
            "{BASE}[[webhooks]]\nurl = \"{}\"\nformat = \"slack\"\nsecret = \"s1\"\n\
             [[webhooks]]\nurl = \"{}\"\nformat = \"discord\"\nsecret = \"s2\"\n\
             [[webhooks]]\nurl = \"{}\"\nformat = \"ntfy\"\nsecret = \"s3\"\n",
            slack.url("/services/T000/B000/XXXX"),
            discord.url("/api/webhooks/1/token"),
            ntfy.url("/sitewatch-alerts")
        );
        let settings = settings(db, &toml);
        let handle = db.open();
        let notification = queue(&handle, &settings, Event::OutageOpened, &["api", "shop"]);
        let link = format!("https://status.example.com/outages/{}", notification.outage_id.unwrap());

        let report = round(&handle, &settings);
        assert_eq!(report.sent, 3, "{report:?}");

        let request = &slack.received()[0];
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert!(signed_with("s1", request));
        assert_eq!(request.header("x-sitewatch-event"), Some("outage_opened"));
        assert_eq!(
            request.json(),
            serde_json::json!({"text": format!(
                "✘ api and shop are down\n\
                 • api answered HTTP 503 since 2026-11-21 10:30 CET (<https://api.example.com/>)\n\
                 • shop answered HTTP 503 since 2026-11-21 10:30 CET (<https://shop.example.com/>)\n\
                 <{link}|View the outage>"
            )})
        );

        let request = &discord.received()[0];
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert!(signed_with("s2", request));
        assert_eq!(
            request.json(),
            serde_json::json!({
                "content": format!(
                    "✘ **api and shop are down**\n\
                     - api answered HTTP 503 since 2026-11-21 10:30 CET (<https://api.example.com/>)\n\
                     - shop answered HTTP 503 since 2026-11-21 10:30 CET (<https://shop.example.com/>)\n\
                     <{link}>"
                ),
                "allowed_mentions": {"parse": []}
            })
        );

        let request = &ntfy.received()[0];
        assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/sitewatch-alerts"));
        assert_eq!(request.header("content-type"), Some("text/plain; charset=utf-8"));
        assert!(signed_with("s3", request));
        assert_eq!(
            request.text(),
            "api and shop are down\n\
             api answered HTTP 503 since 2026-11-21 10:30 CET (https://api.example.com/)\n\
             shop answered HTTP 503 since 2026-11-21 10:30 CET (https://shop.example.com/)"
        );
        assert_eq!(request.header("title"), Some("sitewatch: api and shop are down"));
        assert_eq!(request.header("priority"), Some("high"));
        assert_eq!(request.header("tags"), Some("rotating_light"));
        assert_eq!(request.header("click"), Some(link.as_str()));

        queue(&handle, &settings, Event::OutageResolved, &["api", "shop"]);
        assert_eq!(round(&handle, &settings).sent, 3);
        let resolved = &ntfy.received()[1];
        assert_eq!((resolved.header("priority"), resolved.header("tags")), (Some("default"), Some("white_check_mark")));
        assert!(resolved.text().starts_with("All sites are back up; the outage lasted 2 hours, 5 minutes\napi back up at"));
        assert!(slack.received()[1].json()["text"].as_str().unwrap().starts_with("✔ All sites are back up"));
    }
}
