use sitewatch::domain::alert::Event;

use super::{BASE, add_site, deliveries, email_section, queue, round, settings, states};
use crate::both_backends;
use crate::harness::http::closed_port;
use crate::harness::smtp::{SmtpOptions, SmtpServer, SmtpTls};
use crate::harness::sw;
use crate::harness::tls::TestCert;

both_backends! {
    fn each_recipient_gets_their_own_message_with_subject_and_both_bodies(db) {
        let smtp = SmtpServer::plain();
        add_site(db, "api");
        add_site(db, "shop");
        sw(db, &["recipient", "add", "site-team@example.com", "--site", "api"]).ok();
        sw(db, &["recipient", "add", "web@example.com", "--group", "web"]).ok();
        sw(db, &["recipient", "add", "everyone@example.com"]).ok();
        sw(db, &["recipient", "add", "shop-only@example.com", "--site", "shop"]).ok();
        let extra = "to = [\"ops@example.com\", \"WEB@example.com\"]\n";
        let settings = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), extra)));
        let handle = db.open();
        let notification = queue(&handle, &settings, Event::OutageOpened, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.retrying, report.failed), (4, 0, 0), "{report:?}");
        assert_eq!(report.warning(), None);

        let mut recipients: Vec<String> = smtp.received().iter().flat_map(|m| m.to.clone()).map(|a| a.to_lowercase()).collect();
        recipients.sort();
        assert_eq!(
            recipients,
            ["everyone@example.com", "ops@example.com", "site-team@example.com", "web@example.com"],
            "global, all-alerts, group and site recipients, each once; the shop's recipient hears nothing"
        );
        for message in smtp.received() {
            assert_eq!(message.to.len(), 1, "one envelope recipient per message");
            assert_eq!(message.header("To"), message.to[0], "nobody sees the others");
            assert_eq!(message.from, "sitewatch@example.com");
        }
        let mail = &smtp.received_by("ops@example.com")[0];
        assert_eq!(mail.header("Subject"), "[sitewatch] api is down");
        let id = notification.outage_id.unwrap();
        let link = format!("https://status.example.com/outages/{id}");
        let text = mail.body("text/plain");
        for expected in ["api is down.", "https://api.example.com/", "answered HTTP 503", "2026-11-21 10:30 CET", &link] {
            assert!(text.contains(expected), "plain text lacks `{expected}`:\n{text}");
        }
        let html = mail.body("text/html");
        for expected in ["<h1", "api is down", "href=\"https://api.example.com/\"", "2026-11-21 10:30 CET", &format!("href=\"{link}\"")] {
            assert!(html.contains(expected), "HTML lacks `{expected}`:\n{html}");
        }
        assert!(mail.header("Message-ID").contains('@'));

        let again = round(&handle, &settings);
        assert_eq!(again.sent, 0, "a sent delivery is never sent again");
        assert_eq!(smtp.received().len(), 4);
        assert!(states(&handle).iter().all(|s| s == "sent"));
    }

    fn a_resolved_outage_says_how_long_it_lasted(db) {
        let smtp = SmtpServer::plain();
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "to = [\"ops@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageResolved, &["api"]);
        assert_eq!(round(&handle, &settings).sent, 1);
        let mail = &smtp.received()[0];
        assert_eq!(mail.header("Subject"), "[sitewatch] All sites are back up; the outage lasted 2 hours, 5 minutes");
        let text = mail.body("text/plain");
        assert!(text.contains("back up at 2026-11-21 12:35 CET after 2 hours, 5 minutes"), "{text}");
        assert!(text.contains("ended at 2026-11-21 12:35 CET, after 2 hours, 5 minutes"), "{text}");
    }

    fn starttls_with_a_self_signed_certificate_and_a_login(db) {
        let cert = TestCert::new();
        let login = Some(("alerts".to_owned(), "s3cret pass".to_owned()));
        let smtp = SmtpServer::start(SmtpOptions { tls: SmtpTls::Starttls(cert.clone()), login });
        db.write_file("smtp-ca.pem", &cert.pem);
        let extra = "tls = \"starttls\"\nca_file = \"smtp-ca.pem\"\nusername = \"alerts\"\npassword = \"s3cret pass\"\nto = [\"ops@example.com\"]\n";
        let settings = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), extra)));
        add_site(db, "api");
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!(report.sent, 1, "{report:?}");
        let mail = &smtp.received()[0];
        assert!(mail.encrypted, "the message went over TLS");
        assert_eq!(mail.login.as_deref(), Some("alerts"));
    }

    fn implicit_tls_and_an_untrusted_certificate(db) {
        let cert = TestCert::new();
        let smtp = SmtpServer::start(SmtpOptions { tls: SmtpTls::Implicit(cert.clone()), login: None });
        add_site(db, "api");
        let handle = db.open();

        let untrusted = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "tls = \"tls\"\nto = [\"ops@example.com\"]\n")));
        queue(&handle, &untrusted, Event::OutageOpened, &["api"]);
        let report = round(&handle, &untrusted);
        assert_eq!((report.sent, report.retrying), (0, 1), "a certificate nobody vouches for is refused");
        let error = deliveries(&handle)[0].last_error.clone().unwrap();
        assert!(error.contains("127.0.0.1") && error.to_lowercase().contains("certificate"), "{error}");

        db.write_file("smtp-ca.pem", &cert.pem);
        let trusted = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "tls = \"tls\"\nca_file = \"smtp-ca.pem\"\nto = [\"ops@example.com\"]\n")));
        assert_eq!(round(&handle, &trusted).sent, 1);
        assert!(smtp.received()[0].encrypted);
    }

    fn smtp_down_for_three_rounds_then_up_delivers_each_alert_exactly_once(db) {
        let port = closed_port();
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(port, "to = [\"ops@example.com\", \"dev@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        queue(&handle, &settings, Event::OutageResolved, &["api"]);

        for n in 1..=3 {
            let report = round(&handle, &settings);
            assert_eq!((report.sent, report.retrying, report.failed), (0, 4, 0), "round {n}: {report:?}");
            let warning = report.warning().expect("a warning line");
            assert!(warning.contains("4 will be retried") && warning.contains("cannot connect"), "{warning}");
            for delivery in deliveries(&handle) {
                assert_eq!((delivery.state.as_str(), delivery.attempts), ("pending", 0), "an unreachable server costs no attempt");
            }
        }

        let smtp = SmtpServer::start_on(port, SmtpOptions { tls: SmtpTls::None, login: None });
        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.retrying, report.pending), (4, 0, 0), "{report:?}");
        round(&handle, &settings);
        for address in ["ops@example.com", "dev@example.com"] {
            let subjects: Vec<String> = smtp.received_by(address).iter().map(|m| m.header("Subject")).collect();
            assert_eq!(subjects.len(), 2, "{address}: {subjects:?}");
            assert_eq!(subjects[0], "[sitewatch] api is down", "in the order they happened");
            assert!(subjects[1].contains("back up"));
        }
        assert!(deliveries(&handle).iter().all(|d| d.state == "sent" && d.attempts == 1));
    }

    fn a_refused_recipient_holds_up_nobody_else(db) {
        let smtp = SmtpServer::plain();
        smtp.refuse("gone@example.com");
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "to = [\"gone@example.com\", \"ops@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.retrying), (1, 1), "{report:?}");
        assert_eq!(smtp.received_by("ops@example.com").len(), 1);
        let gone = deliveries(&handle).into_iter().find(|d| d.target == "gone@example.com").unwrap();
        assert!(gone.last_error.unwrap().contains("550"));
    }

    fn an_answer_lost_after_the_message_was_handed_over_is_not_sent_again(db) {
        let smtp = SmtpServer::plain();
        smtp.go_silent_after_data();
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "timeout_secs = 1\nto = [\"ops@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);

        let report = round(&handle, &settings);
        assert_eq!(report.failed, 1, "{report:?}");
        let delivery = &deliveries(&handle)[0];
        assert_eq!(delivery.state, "failed");
        assert!(delivery.last_error.as_deref().unwrap().contains("outcome unknown"), "{:?}", delivery.last_error);
        round(&handle, &settings);
        assert_eq!(smtp.data_commands(), 1, "at most once: never handed over a second time");
    }
}
