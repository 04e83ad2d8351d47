//! `sitewatch notify test | list | retry` through the built binary.

use sitewatch::domain::alert::Event;

use super::{BASE, add_site, deliveries, email_section, queue, round, settings};
use crate::both_backends;
use crate::harness::http::closed_port;
use crate::harness::receiver::{Answer, Receiver};
use crate::harness::smtp::SmtpServer;
use crate::harness::sw;
use crate::notify::sms::{queued, twilio};

both_backends! {
    fn notify_test_says_which_channels_worked_and_fails_when_one_did_not(db) {
        let smtp = SmtpServer::plain();
        let hook = Receiver::always(200);
        let api = Receiver::start(|_| Answer::json(401, r#"{"errors":[{"message":"Invalid or expired token","code":89}]}"#));
        sw(db, &["recipient", "add", "everyone@example.com"]).ok();
        let toml = format!(
            "{BASE}{}[twitter]\nenabled = true\nconsumer_key = \"k\"\nconsumer_secret = \"s\"\naccess_token = \"t\"\n\
             access_secret = \"a\"\nendpoint = \"{}\"\n[[webhooks]]\nurl = \"{}\"\n",
            email_section(smtp.addr.port(), "to = [\"ops@example.com\"]\n"),
            api.url("/2/tweets"),
            hook.url("/hook")
        );
        let config = db.write_file("notify.toml", &toml);
        let config = config.to_str().unwrap();

        let out = sw(db, &["--config", config, "notify", "test"]).run();
        assert_eq!(out.code, 1, "one channel failed: {out:?}");
        assert!(out.stdout.contains("✔ email to everyone@example.com: sent"), "{}", out.stdout);
        assert!(out.stdout.contains("✔ email to ops@example.com: sent"), "{}", out.stdout);
        assert!(out.stdout.contains(&format!("✔ webhook {}: sent", hook.url("/hook"))), "{}", out.stdout);
        assert!(out.stdout.contains("✘ twitter: X API refused the request (HTTP 401 Unauthorized: Invalid or expired token)"), "{}", out.stdout);
        assert!(out.stdout.contains("Test alert: 3 of 4 deliveries sent."), "{}", out.stdout);
        assert!(out.stderr.contains("1 test delivery failed"), "{}", out.stderr);
        assert_eq!(smtp.received().len(), 2);
        let mail = &smtp.received()[0];
        assert_eq!(mail.header("Subject"), "[sitewatch] Test alert: sitewatch alerts reach you through this channel");
        assert!(mail.body("text/plain").contains("sent by `sitewatch notify test`"));
        assert_eq!(hook.received()[0].json()["event"], "test");

        let listed = sw(db, &["--config", config, "notify", "list", "--json"]).run().json();
        let items = listed.as_array().unwrap();
        assert_eq!(items.len(), 1, "only the failed test tweet: {listed}");
        assert_eq!(items[0]["state"], "failed");
        assert_eq!(items[0]["channel"], "twitter");
        assert_eq!(items[0]["event"], "test");
        assert!(items[0]["last_error"].as_str().unwrap().contains("Invalid or expired token"));

        api.respond_with(|_| Answer::json(201, r#"{"data":{"id":"1","text":"ok"}}"#));
        let out = sw(db, &["--config", config, "notify", "test"]).run();
        assert_eq!(out.code, 0, "{out:?}");
        assert!(out.stdout.contains("✔ twitter: sent") && out.stdout.contains("Test alert: 4 of 4 deliveries sent."), "{}", out.stdout);
    }

    fn notify_test_covers_sms_and_the_webhook_formats(db) {
        let gateway = twilio(queued);
        let slack = Receiver::always(200);
        let toml = format!(
            "{BASE}{}[[webhooks]]\nurl = \"{}\"\nformat = \"slack\"\n",
            crate::notify::twilio_section(&gateway.url(""), "to = [\"+44 7700 900123\"]"),
            slack.url("/services/T0/B0/x")
        );
        let config = db.write_file("notify.toml", &toml);
        let out = sw(db, &["--config", config.to_str().unwrap(), "notify", "test"]).run();
        assert_eq!(out.code, 0, "{out:?}");
        assert!(out.stdout.contains("✔ sms to +447700900123: sent"), "{}", out.stdout);
        assert!(out.stdout.contains(&format!("✔ webhook {} (slack): sent", slack.url("/services/T0/B0/x"))), "{}", out.stdout);
        assert!(out.stdout.contains("Test alert: 2 of 2 deliveries sent."), "{}", out.stdout);
        assert_eq!(gateway.received()[0].form()["Body"], "sitewatch test alert: SMS alerts reach this number.");
        let text = slack.received()[0].json()["text"].as_str().unwrap().to_owned();
        assert_eq!(text, "ℹ Test alert: sitewatch alerts reach you through this channel");

        let nobody = db.write_file("nobody.toml", &format!("{BASE}{}", crate::notify::twilio_section(&gateway.url(""), "")));
        let out = sw(db, &["--config", nobody.to_str().unwrap(), "notify", "test"]).run();
        assert_eq!(out.code, 1, "{out:?}");
        assert!(out.stdout.contains("✘ sms: nobody to send to; set [sms] to"), "{}", out.stdout);
    }

    fn notify_test_without_a_channel_is_a_usage_error(db) {
        let err = sw(db, &["notify", "test"]).usage_error();
        assert!(err.contains("no alert channel is enabled"), "{err}");
    }

    fn notify_list_shows_pending_and_failed_and_retry_queues_again(db) {
        add_site(db, "api");
        assert!(sw(db, &["notify", "list"]).ok().contains("No alert deliveries are waiting or failed."));
        let settings = settings(db, &format!("{BASE}{}", email_section(closed_port(), "to = [\"ops@example.com\", \"dev@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        round(&handle, &settings);
        let mut conn = handle.conn().unwrap();
        let failed_id = deliveries(&handle)[0].id;
        diesel::RunQueryDsl::execute(
            diesel::update(diesel::QueryDsl::find(sitewatch::db::schema::deliveries::table, failed_id))
                .set(diesel::ExpressionMethods::eq(sitewatch::db::schema::deliveries::state, "failed")),
            &mut *conn,
        )
        .unwrap();
        drop(conn);

        let table = sw(db, &["notify", "list"]).ok();
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("STATE") && lines[0].contains("LAST ERROR"), "{table}");
        assert_eq!(lines.len(), 3, "{table}");
        assert!(table.contains("failed") && table.contains("pending") && table.contains("outage_opened"), "{table}");
        assert!(table.contains("dev@example.com") && table.contains("cannot connect"), "{table}");

        let json = sw(db, &["notify", "list", "--json"]).run().json();
        let items = json.as_array().unwrap();
        assert_eq!(items.len(), 2);
        for item in items {
            assert_eq!(item["attempts"], 0, "a server that cannot be reached costs no attempt");
            assert!(item["last_attempt_at"].as_str().unwrap().ends_with('Z'));
            assert!(item["outage_id"].is_string());
        }

        let pending_id = deliveries(&handle).into_iter().find(|d| d.state == "pending").unwrap().id.to_string();
        let err = sw(db, &["notify", "retry", &pending_id]).usage_error();
        assert!(err.contains("is pending, not failed"), "{err}");
        let err = sw(db, &["notify", "retry", "0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87"]).usage_error();
        assert!(err.contains("no alert delivery 0b5e0c1e"), "{err}");
        let out = sw(db, &["notify", "retry", &failed_id.to_string()]).ok();
        assert!(out.contains("Queued 1 delivery again"), "{out}");
        let requeued = deliveries(&handle).into_iter().find(|d| d.id == failed_id).unwrap();
        assert_eq!((requeued.state.as_str(), requeued.attempts), ("pending", 0));
        assert!(sw(db, &["notify", "retry", "--all-failed"]).ok().contains("No failed deliveries"));
    }

    fn notify_help_has_examples(db) {
        for command in ["test", "list", "retry"] {
            let help = sw(db, &["notify", command, "--help"]).ok();
            assert!(help.contains("Example"), "{command}: {help}");
        }
    }
}
