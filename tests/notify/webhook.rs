use hmac::{Hmac, Mac};
use sha2::Sha256;
use sitewatch::domain::alert::Event;

use super::{BASE, add_site, deliveries, email_section, queue, round, settings};
use crate::both_backends;
use crate::harness::receiver::Receiver;
use crate::harness::smtp::SmtpServer;

fn hex_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

both_backends! {
    fn every_webhook_gets_a_json_post_signed_when_it_has_a_secret(db) {
        let signed = Receiver::always(200);
        let unsigned = Receiver::always(204);
        add_site(db, "api");
        add_site(db, "shop");
        let toml = format!(
            "{BASE}[[webhooks]]\nurl = \"{}\"\nsecret = \"hook-secret\"\n[[webhooks]]\nurl = \"{}\"\n",
            signed.url("/hooks/a"),
            unsigned.url("/hooks/b")
        );
        let settings = settings(db, &toml);
        let handle = db.open();
        let notification = queue(&handle, &settings, Event::OutageOpened, &["api", "shop"]);

        let report = round(&handle, &settings);
        assert_eq!(report.sent, 2, "{report:?}");
        let request = &signed.received()[0];
        assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/hooks/a"));
        assert_eq!(request.header("content-type"), Some("application/json"));
        let expected = format!("sha256={}", hex_hmac("hook-secret", &request.body));
        assert_eq!(request.header("x-sitewatch-signature"), Some(expected.as_str()));
        assert_eq!(request.header("x-sitewatch-event"), Some("outage_opened"));
        let delivery_id = deliveries(&handle).into_iter().find(|d| d.target == signed.url("/hooks/a")).unwrap().id;
        assert_eq!(request.header("x-sitewatch-delivery"), Some(delivery_id.to_string().as_str()));

        let body = request.json();
        let outage_id = notification.outage_id.unwrap().to_string();
        assert_eq!(body["event"], "outage_opened");
        assert_eq!(body["outage"]["id"], outage_id.as_str());
        assert_eq!(body["outage"]["started_at"], "2026-11-21T09:30:00Z");
        assert_eq!(body["outage"]["resolved_at"], serde_json::Value::Null);
        assert_eq!(body["outage"]["url"], format!("https://status.example.com/outages/{outage_id}").as_str());
        let slugs: Vec<&str> = body["sites"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["api", "shop"]);
        assert_eq!(body["sites"][0]["url"], "https://api.example.com/");
        assert_eq!(body["sites"][0]["status_code"], 503);
        assert_eq!(body["text"], format!("✘ api and shop are down https://status.example.com/outages/{outage_id}").as_str());

        let plain = &unsigned.received()[0];
        assert_eq!(plain.header("x-sitewatch-signature"), None, "no secret, no signature");
        assert_eq!(plain.body, request.body, "every receiver gets the same body");
    }

    fn a_failing_webhook_holds_up_no_other_channel(db) {
        let broken = Receiver::always(500);
        let working = Receiver::always(200);
        let smtp = SmtpServer::plain();
        add_site(db, "api");
        let toml = format!(
            "{BASE}{}[[webhooks]]\nurl = \"{}\"\n[[webhooks]]\nurl = \"{}\"\n",
            email_section(smtp.addr.port(), "to = [\"ops@example.com\"]\n"),
            broken.url("/"),
            working.url("/")
        );
        let settings = settings(db, &toml);
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        queue(&handle, &settings, Event::SiteJoined, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.retrying), (4, 2), "{report:?}");
        assert_eq!(smtp.received().len(), 2);
        assert_eq!(working.received().len(), 2);
        assert_eq!(broken.received().len(), 1, "the second POST to a failing receiver waits for the next round");
        let warning = report.warning().unwrap();
        assert!(warning.contains(&format!("webhook {} answered HTTP 500", broken.url("/"))), "{warning}");

        broken.respond_with(|_| crate::harness::receiver::Answer::status(200));
        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.retrying), (2, 0), "{report:?}");
        let events: Vec<String> = broken.received().iter().map(|r| r.json()["event"].as_str().unwrap().to_owned()).collect();
        assert_eq!(events, ["outage_opened", "outage_opened", "site_joined"]);
    }
}
