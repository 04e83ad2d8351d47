//! A channel that cannot be reached holds its alerts, however many rounds pass, until it is
//! back or they are older than `[alerts] give_up_after_hours`; meanwhile `health` says since
//! when it is down.

use chrono::TimeDelta;
use diesel::prelude::*;
use sitewatch::db::schema::deliveries;
use sitewatch::domain::alert::Event;
use sitewatch::domain::time::now_utc;
use sitewatch::notify::health::channels_down;

use super::{BASE, add_site, deliveries, email_section, queue, round, settings};
use crate::both_backends;
use crate::harness::http::closed_port;
use crate::harness::receiver::Receiver;
use crate::harness::smtp::{SmtpOptions, SmtpServer, SmtpTls};

both_backends! {
    fn an_smtp_server_down_for_15_rounds_then_up_delivers_every_alert_exactly_once(db) {
        let port = closed_port();
        let hook = Receiver::always(200);
        add_site(db, "api");
        let toml = format!(
            "{BASE}{}[[webhooks]]\nurl = \"{}\"\n",
            email_section(port, "to = [\"ops@example.com\", \"dev@example.com\"]\n"),
            hook.url("/")
        );
        let settings = settings(db, &toml);
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        queue(&handle, &settings, Event::SiteJoined, &["api"]);
        let before = now_utc();

        // Rounds as fast as the machine runs them: only the alerts' age could give them up.
        for n in 1..=15 {
            let report = round(&handle, &settings);
            assert_eq!((report.sent, report.retrying, report.failed), (if n == 1 { 2 } else { 0 }, 4, 0), "round {n}: {report:?}");
            for delivery in deliveries(&handle).iter().filter(|d| d.channel == "email") {
                assert_eq!((delivery.state.as_str(), delivery.attempts), ("pending", 0), "round {n}");
            }
            let down = channels_down(&mut handle.conn().unwrap()).unwrap();
            assert_eq!(down.len(), 1, "round {n}: {down:?}");
            assert_eq!((down[0].channel.as_str(), down[0].waiting), ("email", 4));
            assert!(down[0].since >= before && down[0].since <= now_utc());
            let sentence = down[0].sentence(|t| t.format("%H:%M:%S").to_string());
            assert!(sentence.starts_with("the e-mail channel is down since ") && sentence.contains("cannot connect"), "{sentence}");
        }
        let first_seen = channels_down(&mut handle.conn().unwrap()).unwrap()[0].since;
        assert!(first_seen < deliveries(&handle)[0].last_attempt_at.unwrap(), "down since the first round, not the last");

        let smtp = SmtpServer::start_on(port, SmtpOptions { tls: SmtpTls::None, login: None });
        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.retrying, report.failed, report.pending), (4, 0, 0, 0), "{report:?}");
        round(&handle, &settings);
        for address in ["ops@example.com", "dev@example.com"] {
            let subjects: Vec<String> = smtp.received_by(address).iter().map(|m| m.header("Subject")).collect();
            assert_eq!(subjects, ["[sitewatch] api is down", "[sitewatch] api is down too"], "{address}");
        }
        assert!(deliveries(&handle).iter().all(|d| d.state == "sent" && d.attempts == 1));
        assert_eq!(hook.received().len(), 2, "the webhooks went out in the first round, once");
        assert!(channels_down(&mut handle.conn().unwrap()).unwrap().is_empty(), "back up");
    }

    fn alerts_waiting_for_a_channel_are_given_up_after_the_configured_hours(db) {
        let port = closed_port();
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(port, "to = [\"ops@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        assert_eq!(round(&handle, &settings).retrying, 1);
        // Three days pass for the alert, not for the test.
        diesel::update(deliveries::table)
            .set(deliveries::created_at.eq(now_utc() - TimeDelta::hours(72)))
            .execute(&mut *handle.conn().unwrap())
            .unwrap();
        let report = round(&handle, &settings);
        assert_eq!((report.retrying, report.failed), (0, 1), "{report:?}");
        let delivery = &deliveries(&handle)[0];
        assert_eq!((delivery.state.as_str(), delivery.attempts), ("failed", 0));
        let error = delivery.last_error.as_deref().unwrap();
        assert!(error.starts_with("gave up after 72 hours: SMTP server 127.0.0.1:") && error.contains("cannot connect"), "{error}");
        assert!(channels_down(&mut handle.conn().unwrap()).unwrap().is_empty(), "nothing waits for it any more");
    }
}
