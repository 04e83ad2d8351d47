//! Through real `check` runs: a site on 127.0.0.1 fails three times, an outage opens, and the
//! alert arrives; the round warns on stderr when an alert cannot go out, and still exits 0.

use crate::both_backends;
use crate::harness::http::{HttpServer, Reply, closed_port};
use crate::harness::receiver::Receiver;
use crate::harness::smtp::{SmtpOptions, SmtpServer, SmtpTls};
use crate::harness::{Outcome, TestDb, check, sw};

fn run_check(db: &TestDb, smtp_port: u16, hook: Option<&Receiver>) -> Outcome {
    let mut command = check(db, &[])
        .env("SITEWATCH_PUBLIC_URL", "https://status.example.com/")
        .env("SITEWATCH_EMAIL_ENABLED", "true")
        .env("SITEWATCH_EMAIL_HOST", "127.0.0.1")
        .env("SITEWATCH_EMAIL_PORT", &smtp_port.to_string())
        .env("SITEWATCH_EMAIL_TLS", "none")
        .env("SITEWATCH_EMAIL_TIMEOUT_SECS", "2")
        .env("SITEWATCH_CHECK_TIMEOUT_SECS", "2");
    if let Some(hook) = hook {
        command = command.env("SITEWATCH_WEBHOOKS_0_URL", &hook.url("/hook"));
    }
    command.run()
}

both_backends! {
    fn a_site_failing_three_times_alerts_once_by_email_and_webhook(db) {
        let site = HttpServer::always(500);
        let smtp = SmtpServer::plain();
        let hook = Receiver::always(200);
        sw(db, &["site", "add", &site.url("/"), "--name", "api"]).ok();
        sw(db, &["recipient", "add", "ops@example.com"]).ok();

        for _ in 0..2 {
            run_check(db, smtp.addr.port(), Some(&hook)).ok();
        }
        assert!(smtp.received().is_empty() && hook.received().is_empty(), "two failures alert nobody");
        let third = run_check(db, smtp.addr.port(), Some(&hook));
        assert_eq!(third.code, 0, "{third:?}");
        assert!(!third.stderr.contains("check: warning"), "no warning when every alert went out: {}", third.stderr);
        let mails = smtp.received_by("ops@example.com");
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].header("Subject"), "[sitewatch] api is down");
        let text = mails[0].body("text/plain");
        assert!(text.contains(&site.url("/")) && text.contains("answered HTTP 500"), "{text}");
        assert!(text.contains("https://status.example.com/outages/"), "{text}");
        assert_eq!(hook.received().len(), 1);
        assert_eq!(hook.received()[0].json()["event"], "outage_opened");

        run_check(db, smtp.addr.port(), Some(&hook)).ok();
        assert_eq!(smtp.received().len(), 1, "still down: nothing new to say");

        site.respond_with(|_| Reply::Status(200));
        run_check(db, smtp.addr.port(), Some(&hook)).ok();
        let subjects: Vec<String> = smtp.received().iter().map(|m| m.header("Subject")).collect();
        assert_eq!(subjects.len(), 2, "{subjects:?}");
        assert!(subjects[1].starts_with("[sitewatch] All sites are back up; the outage lasted"), "{subjects:?}");
        let events: Vec<String> = hook.received().iter().map(|r| r.json()["event"].as_str().unwrap().to_owned()).collect();
        assert_eq!(events, ["outage_opened", "outage_resolved"]);
    }

    fn a_round_warns_once_on_stderr_when_an_alert_cannot_go_out_and_still_exits_0(db) {
        let site = HttpServer::always(503);
        let port = closed_port();
        sw(db, &["site", "add", &site.url("/"), "--name", "api"]).ok();
        sw(db, &["recipient", "add", "ops@example.com"]).ok();
        run_check(db, port, None).ok();
        run_check(db, port, None).ok();

        let third = run_check(db, port, None);
        assert_eq!(third.code, 0, "a failed alert does not fail the round: {third:?}");
        // Other lines are the round's own log (the outage opening); the alerts get one line.
        let lines: Vec<&str> = third.stderr.lines().filter(|l| l.contains("alert")).collect();
        assert_eq!(lines.len(), 1, "one warning line about alerts: {}", third.stderr);
        assert!(lines[0].starts_with("check: warning: alerts: 0 sent, 1 will be retried next round; email to ops@example.com:"), "{}", lines[0]);
        assert!(third.stdout.contains("outages opened 1"), "{}", third.stdout);

        let smtp = SmtpServer::start_on(port, SmtpOptions { tls: SmtpTls::None, login: None });
        let fourth = run_check(db, port, None);
        assert_eq!(fourth.code, 0);
        assert!(!fourth.stderr.contains("alert"), "{}", fourth.stderr);
        assert_eq!(smtp.received_by("ops@example.com").len(), 1, "the queued alert arrives on the next round");
        run_check(db, port, None).ok();
        assert_eq!(smtp.received().len(), 1, "exactly once");
    }
}
