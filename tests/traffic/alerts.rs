//! Traffic alerts through the outbox to a real SMTP server and a webhook receiver on 127.0.0.1,
//! from a `[[traffic]]` entry: each channel hears of the alert and the recovery exactly once,
//! naming the log, the mean, the threshold and the log time, and only the global recipients.

use sitewatch::db::models::notification::{Delivery, DeliveryState};

use super::{PROFILE, generate};
use crate::both_backends;
use crate::harness::receiver::Receiver;
use crate::harness::smtp::SmtpServer;
use crate::harness::{TestDb, sw};

fn settings(db: &TestDb, smtp_port: u16, hook: &str) {
    db.write_file(
        "sitewatch.toml",
        &format!(
            "public_url = \"https://status.example.com/\"\ntime_zone = \"Europe/Paris\"\n\
             [email]\nenabled = true\nfrom = \"sitewatch@example.com\"\nto = [\"ops@example.com\"]\n\
             host = \"127.0.0.1\"\nport = {smtp_port}\ntls = \"none\"\ntimeout_secs = 2\n\
             [[webhooks]]\nurl = \"{hook}\"\n\
             [[traffic]]\nname = \"shop\"\npath = \"logs/access.log\"\nthreshold = 10\nwindow_secs = 120\n"
        ),
    );
}

both_backends! {
    fn alerts_reach_email_and_webhooks_exactly_once(db) {
        let smtp = SmtpServer::plain();
        let hook = Receiver::always(200);
        settings(db, smtp.addr.port(), &hook.url("/hook"));
        sw(db, &["recipient", "add", "everyone@example.com"]).ok();
        sw(db, &["group", "add", "Web"]).ok();
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "api", "--group", "web"]).ok();
        sw(db, &["recipient", "add", "site-team@example.com", "--site", "api"]).ok();
        std::fs::create_dir(db.path().join("logs")).unwrap();
        generate(&db.path().join("logs/access.log"), PROFILE, &[]);

        let run = sw(db, &["--config", "sitewatch.toml", "traffic", "--once", "--from-start"]).run();
        assert_eq!(run.code, 0, "{run:?}");
        assert!(!run.stderr.contains("warning"), "every alert went out: {}", run.stderr);
        assert!(run.stdout.contains("High traffic generated an alert - hits = 10.1/s, triggered at 2026-11-30T10:02:40Z"), "{}", run.stdout);

        let mut recipients: Vec<String> = smtp.received().iter().flat_map(|m| m.to.clone()).collect();
        recipients.sort();
        assert_eq!(
            recipients,
            ["everyone@example.com", "everyone@example.com", "ops@example.com", "ops@example.com"],
            "global recipients only, two alerts each; the site's own recipient hears nothing"
        );
        let mails = smtp.received_by("ops@example.com");
        assert_eq!(
            mails[0].header("Subject"),
            "[sitewatch] High traffic on shop: 10.1 hits/s over the last 2 minutes, above the threshold of 10 hits/s"
        );
        assert_eq!(
            mails[1].header("Subject"),
            "[sitewatch] Traffic on shop is back to normal: 9.9 hits/s over the last 2 minutes, at or below the threshold of 10 hits/s"
        );
        let text = mails[0].body("text/plain");
        for expected in ["Log: shop", "Mean: 10.1 hits/s", "Threshold: 10 hits/s", "2026-11-30 11:02:40 CET (log time)", "https://status.example.com/traffic"] {
            assert!(text.contains(expected), "the e-mail lacks `{expected}`:\n{text}");
        }
        assert!(mails[0].body("text/html").contains("See the traffic"));

        let posts = hook.received();
        assert_eq!(posts.len(), 2);
        let body = posts[0].json();
        assert_eq!(body["event"], "traffic_high");
        assert_eq!(body["traffic"]["log"], "shop");
        assert_eq!(body["traffic"]["threshold"], 10.0);
        assert_eq!(body["traffic"]["at"], "2026-11-30T10:02:40Z");
        assert_eq!(posts[1].json()["event"], "traffic_recovered");

        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        assert_eq!(Delivery::count_in_state(&mut conn, DeliveryState::Sent).unwrap(), 6);
        assert_eq!(Delivery::count_in_state(&mut conn, DeliveryState::Pending).unwrap(), 0);

        // The same log again: nothing new is recorded, nothing is sent twice.
        sw(db, &["--config", "sitewatch.toml", "traffic", "--once", "--from-start"]).ok();
        assert_eq!(smtp.received().len(), 4);
        assert_eq!(hook.received().len(), 2);
    }
}
