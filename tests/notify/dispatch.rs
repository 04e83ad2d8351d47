use std::sync::{Arc, Barrier};
use std::time::Duration;

use chrono::TimeDelta;
use diesel::prelude::*;
use sitewatch::db::models::notification::Delivery;
use sitewatch::db::schema::deliveries;
use sitewatch::domain::alert::Event;
use sitewatch::domain::time::now_utc;

use super::{BASE, add_site, deliveries, email_section, queue, round, settings, states};
use crate::both_backends;
use crate::harness::receiver::{Answer, Receiver};
use crate::harness::smtp::SmtpServer;

both_backends! {
    fn a_message_handed_over_by_a_crashed_round_is_settled_never_repeated(db) {
        let hook = Receiver::always(200);
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}[[webhooks]]\nurl = \"{}\"\n", hook.url("/")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let id = deliveries(&handle)[0].id;
        // A round handed it over 20 minutes ago and died before recording the result.
        let mut conn = handle.conn().unwrap();
        assert!(Delivery::hand_over(&mut conn, id, now_utc() - TimeDelta::minutes(20)).unwrap());
        assert!(!Delivery::hand_over(&mut conn, id, now_utc()).unwrap(), "a message is handed over once");
        drop(conn);

        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.failed), (0, 1), "{report:?}");
        assert!(hook.received().is_empty(), "not sent again: it may have arrived");
        let delivery = &deliveries(&handle)[0];
        assert_eq!(delivery.state, "failed");
        assert!(delivery.last_error.as_deref().unwrap().contains("outcome unknown"));
    }

    fn the_hand_over_is_committed_before_the_request_or_the_mail_body_is_written(db) {
        add_site(db, "api");
        let handle = db.open();
        let marked = |handle: &sitewatch::db::Db| -> Vec<bool> {
            deliveries::table
                .select(deliveries::handed_over_at)
                .load::<Option<chrono::NaiveDateTime>>(&mut *handle.conn().unwrap())
                .unwrap()
                .into_iter()
                .map(|m| m.is_some())
                .collect()
        };
        let seen: Arc<std::sync::Mutex<Vec<Vec<bool>>>> = Arc::default();
        let (peer, log) = (handle.clone(), Arc::clone(&seen));
        // The receiver looks at the outbox the moment the request arrives.
        let hook = Receiver::start(move |_| {
            log.lock().unwrap().push(marked(&peer));
            Answer::status(200)
        });
        let settings = settings(db, &format!("{BASE}[[webhooks]]\nurl = \"{}\"\n", hook.url("/")));
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        assert_eq!(marked(&handle), [false], "nothing is marked while it waits");
        assert_eq!(round(&handle, &settings).sent, 1);
        assert_eq!(*seen.lock().unwrap(), [vec![true]], "marked and committed before the request was written");
        assert_eq!(marked(&handle), [false], "the mark goes once the result is recorded");
    }

    fn a_fresh_hand_over_is_left_to_the_dispatcher_holding_it(db) {
        let hook = Receiver::always(200);
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}[[webhooks]]\nurl = \"{}\"\n", hook.url("/")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let id = deliveries(&handle)[0].id;
        assert!(Delivery::hand_over(&mut handle.conn().unwrap(), id, now_utc()).unwrap());
        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.failed, report.pending), (0, 0, 1), "another dispatcher is sending it");
        assert!(hook.received().is_empty());
    }

    fn two_dispatchers_at_once_hand_each_message_over_once(db) {
        // Slow answers keep both dispatchers busy on the same deliveries at the same time.
        let hook = Receiver::start(|_| Answer::status(200).after(Duration::from_millis(50)));
        let smtp = SmtpServer::plain();
        smtp.slow_down(Duration::from_millis(30), Duration::ZERO);
        for name in ["api", "shop", "db"] {
            add_site(db, name);
        }
        let toml = format!(
            "{BASE}{}[[webhooks]]\nurl = \"{}\"\n",
            email_section(smtp.addr.port(), "to = [\"a@example.com\", \"b@example.com\"]\n"),
            hook.url("/")
        );
        let settings = Arc::new(settings(db, &toml));
        let handle = db.open();
        for name in ["api", "shop", "db"] {
            queue(&handle, &settings, Event::OutageOpened, &[name]);
        }
        let start = Arc::new(Barrier::new(2));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (handle, settings, start) = (handle.clone(), Arc::clone(&settings), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    round(&handle, &settings)
                })
            })
            .collect();
        let reports: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        assert_eq!(reports.iter().map(|r| r.sent).sum::<usize>(), 9, "{reports:?}");
        assert!(states(&handle).iter().all(|s| s == "sent"), "{:?}", states(&handle));
        let mut ids: Vec<String> =
            hook.received().iter().map(|r| r.header("x-sitewatch-delivery").unwrap().to_owned()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!((hook.received().len(), ids.len()), (3, 3), "each webhook delivery arrived once");
        let mut mails: Vec<String> = smtp.received().iter().map(|m| m.header("Message-ID")).collect();
        mails.sort();
        mails.dedup();
        assert_eq!((smtp.received().len(), mails.len()), (6, 6), "each e-mail arrived once");
    }

    fn ten_refusals_give_up_and_keep_the_delivery(db) {
        let hook = Receiver::always(500);
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}[[webhooks]]\nurl = \"{}\"\n", hook.url("/")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        for _ in 0..9 {
            assert_eq!(round(&handle, &settings).retrying, 1);
        }
        let report = round(&handle, &settings);
        assert_eq!((report.retrying, report.failed), (0, 1), "{report:?}");
        assert!(report.warning().unwrap().contains("1 failed for good"));
        let delivery = &deliveries(&handle)[0];
        assert_eq!((delivery.state.as_str(), delivery.attempts), ("failed", 10));
        assert!(delivery.last_error.as_deref().unwrap().starts_with("gave up after 10 attempts: "));
        assert_eq!(hook.received().len(), 10);
        assert_eq!(round(&handle, &settings).failed, 0, "a failed delivery is kept, not tried again");
    }

    fn a_4xx_fails_at_once_with_the_receivers_words(db) {
        let hook = Receiver::start(|_| Answer::json(422, r#"{"error": "unknown channel #ops"}"#));
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}[[webhooks]]\nurl = \"{}\"\n", hook.url("/")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let report = round(&handle, &settings);
        assert_eq!(report.failed, 1, "{report:?}");
        let delivery = &deliveries(&handle)[0];
        assert_eq!((delivery.state.as_str(), delivery.attempts), ("failed", 1));
        let error = delivery.last_error.as_deref().unwrap();
        assert!(error.contains("HTTP 422") && error.contains("unknown channel #ops"), "{error}");
    }

    fn a_delivery_pending_past_the_limit_is_given_up(db) {
        let smtp = SmtpServer::plain();
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "to = [\"ops@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let mut conn = handle.conn().unwrap();
        diesel::update(deliveries::table)
            .set(deliveries::created_at.eq(now_utc() - TimeDelta::hours(71)))
            .execute(&mut *conn)
            .unwrap();
        let day = super::settings(db, &format!("{BASE}[alerts]\ngive_up_after_hours = 24\n{}", email_section(smtp.addr.port(), "to = [\"ops@example.com\"]\n")));
        let report = round(&handle, &day);
        assert_eq!((report.sent, report.failed), (0, 1), "{report:?}");
        assert!(smtp.received().is_empty(), "an alert older than the limit is not sent late");
        assert!(deliveries(&handle)[0].last_error.as_deref().unwrap().starts_with("gave up after 24 hours"));

        queue(&handle, &settings, Event::SiteJoined, &["api"]);
        diesel::update(deliveries::table.filter(deliveries::state.eq("pending")))
            .set(deliveries::created_at.eq(now_utc() - TimeDelta::hours(71)))
            .execute(&mut *conn)
            .unwrap();
        drop(conn);
        assert_eq!(round(&handle, &settings).sent, 1, "71 hours is within the default 72");
    }

    fn a_channel_disabled_after_queuing_keeps_its_deliveries_pending_with_the_reason(db) {
        let smtp = SmtpServer::plain();
        add_site(db, "api");
        let enabled = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "to = [\"ops@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &enabled, Event::OutageOpened, &["api"]);
        let disabled = settings(db, BASE);
        let report = round(&handle, &disabled);
        assert_eq!(report.retrying, 1);
        let waiting = &deliveries(&handle)[0];
        assert!(waiting.last_error.as_deref().unwrap().contains("[email] enabled = true"));
        assert_eq!(waiting.attempts, 0, "a channel that is off costs no attempt");
        assert_eq!(round(&handle, &enabled).sent, 1, "delivered once e-mail is on again");
        assert_eq!(states(&handle), ["sent"]);
    }
}
