use chrono::TimeDelta;
use diesel::prelude::*;
use sitewatch::db::models::notification::Delivery;
use sitewatch::db::schema::deliveries;
use sitewatch::domain::alert::Event;
use sitewatch::domain::time::now_utc;

use super::{BASE, add_site, deliveries, email_section, queue, round, settings, states};
use crate::both_backends;
use crate::harness::http::closed_port;
use crate::harness::receiver::Receiver;
use crate::harness::smtp::SmtpServer;

both_backends! {
    fn a_send_cut_short_by_a_crash_is_settled_never_repeated(db) {
        let hook = Receiver::always(200);
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}[[webhooks]]\nurl = \"{}\"\n", hook.url("/")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let id = deliveries(&handle)[0].id;
        // A round claimed it 20 minutes ago and died before recording the result.
        let mut conn = handle.conn().unwrap();
        assert!(Delivery::claim(&mut conn, id, now_utc() - TimeDelta::minutes(20)).unwrap());
        assert!(!Delivery::claim(&mut conn, id, now_utc()).unwrap(), "a claimed delivery cannot be claimed twice");
        drop(conn);

        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.failed), (0, 1), "{report:?}");
        assert!(hook.received().is_empty(), "not sent again: it may have arrived");
        let delivery = &deliveries(&handle)[0];
        assert_eq!(delivery.state, "failed");
        assert!(delivery.last_error.as_deref().unwrap().contains("outcome unknown"));
    }

    fn a_fresh_claim_is_left_to_the_dispatcher_holding_it(db) {
        let hook = Receiver::always(200);
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}[[webhooks]]\nurl = \"{}\"\n", hook.url("/")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let id = deliveries(&handle)[0].id;
        assert!(Delivery::claim(&mut handle.conn().unwrap(), id, now_utc()).unwrap());
        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.failed, report.pending), (0, 0, 1), "another dispatcher is sending it");
        assert!(hook.received().is_empty());
    }

    fn ten_failed_attempts_give_up_and_keep_the_delivery(db) {
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(closed_port(), "to = [\"ops@example.com\"]\n")));
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
        assert_eq!(round(&handle, &settings).failed, 0, "a failed delivery is kept, not tried again");
    }

    fn a_delivery_pending_for_a_day_is_given_up(db) {
        let smtp = SmtpServer::plain();
        add_site(db, "api");
        let settings = settings(db, &format!("{BASE}{}", email_section(smtp.addr.port(), "to = [\"ops@example.com\"]\n")));
        let handle = db.open();
        queue(&handle, &settings, Event::OutageOpened, &["api"]);
        let mut conn = handle.conn().unwrap();
        diesel::update(deliveries::table)
            .set(deliveries::created_at.eq(now_utc() - TimeDelta::hours(25)))
            .execute(&mut *conn)
            .unwrap();
        drop(conn);
        let report = round(&handle, &settings);
        assert_eq!((report.sent, report.failed), (0, 1), "{report:?}");
        assert!(smtp.received().is_empty(), "a day-old alert is not sent late");
        assert!(deliveries(&handle)[0].last_error.as_deref().unwrap().starts_with("gave up after 24 hours"));
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
        assert!(deliveries(&handle)[0].last_error.as_deref().unwrap().contains("[email] enabled = true"));
        assert_eq!(round(&handle, &enabled).sent, 1, "delivered once e-mail is on again");
        assert_eq!(states(&handle), ["sent"]);
    }
}
