use diesel::prelude::*;
use sitewatch::db::models::notification::Delivery;
use sitewatch::db::schema::deliveries;
use sitewatch::notify::health::{self, Seen};

use super::fixtures::{group, now, outage, site};
use super::{add_user, client, csrf, sign_in, spawn, text};
use crate::both_backends;

both_backends! {
    fn the_alerts_page_says_which_channel_is_down_and_since_when(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let web = group(&app.db, "Web", "web");
        let shop = site(&app.db, &web, "Shop", "https://shop.example.com/");
        outage(&app.db, &[&shop], now(), None);
        let c = client();
        sign_in(&app, &c, "alice");
        let page = text(c.get(app.url("/admin/alerts")).send().unwrap());
        assert!(page.contains("id=\"no-channels-down\""), "{page}");

        let since = now() - chrono::TimeDelta::minutes(42);
        {
            let mut conn = app.db.conn().unwrap();
            let hook = "https://hooks.example.com/x";
            let down = Seen::Down("webhook https://hooks.example.com/x: cannot connect: connection refused".into());
            health::record(&mut conn, &format!("webhook {hook}"), "webhook", Some(hook), &down, since).unwrap();
            health::record(&mut conn, &format!("webhook {hook}"), "webhook", Some(hook), &down, now()).unwrap();
            // Down too, but nothing waits for it: old news, not shown.
            health::record(&mut conn, "email", "email", None, &Seen::Down("cannot connect".into()), since).unwrap();
        }
        let page = text(c.get(app.url("/admin/alerts")).send().unwrap());
        let local = since.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        assert!(page.contains("id=\"channels-down\""), "{page}");
        assert!(
            page.contains(&format!("the webhook https://hooks.example.com/x is down since {local}: webhook https://hooks.example.com/x: cannot connect: connection refused (1 alert delivery waiting)")),
            "{page}"
        );
        assert!(!page.contains("the e-mail channel is down"), "{page}");

        health::record(&mut app.db.conn().unwrap(), "webhook https://hooks.example.com/x", "webhook", Some("https://hooks.example.com/x"), &Seen::Working, now()).unwrap();
        let page = text(c.get(app.url("/admin/alerts")).send().unwrap());
        assert!(page.contains("id=\"no-channels-down\""), "back up: {page}");
    }

    fn failed_alerts_show_on_the_dashboard_and_can_be_sent_again(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let web = group(&app.db, "Web", "web");
        let shop = site(&app.db, &web, "Shop", "https://shop.example.com/");
        outage(&app.db, &[&shop], now(), None);
        let c = client();
        sign_in(&app, &c, "alice");

        let dashboard = text(c.get(app.url("/")).send().unwrap());
        assert!(!dashboard.contains("id=\"alert-warning\""), "nothing has failed yet");
        let alerts = text(c.get(app.url("/admin/alerts")).send().unwrap());
        assert!(alerts.contains("id=\"no-failed\""), "{alerts}");
        assert!(alerts.contains("id=\"pending-deliveries\"") && alerts.contains("connection refused"), "{alerts}");

        let failing = {
            let mut conn = app.db.conn().unwrap();
            let id: sitewatch::db::Id = deliveries::table
                .filter(deliveries::channel.eq("webhook"))
                .select(deliveries::id)
                .first(&mut *conn)
                .unwrap();
            diesel::update(deliveries::table.find(id)).set(deliveries::state.eq("failed")).execute(&mut *conn).unwrap();
            id
        };
        // The cached dashboard is rebuilt after a change made through the app; a retry is one.
        let alerts = text(c.get(app.url("/admin/alerts")).send().unwrap());
        assert!(alerts.contains("id=\"failed-deliveries\"") && alerts.contains(&format!("/admin/alerts/{failing}/retry")), "{alerts}");
        let index = text(c.get(app.url("/admin")).send().unwrap());
        assert!(index.contains("1 given up"), "{index}");

        let confirm = text(c.get(app.url(&format!("/admin/alerts/{failing}/retry"))).send().unwrap());
        assert!(confirm.contains("Send this alert again?"), "{confirm}");
        let refused = c.post(app.url(&format!("/admin/alerts/{failing}/retry"))).form(&[("x", "y")]).send().unwrap();
        assert_eq!(refused.status(), 403, "a retry needs its CSRF token");
        let r = c
            .post(app.url(&format!("/admin/alerts/{failing}/retry")))
            .form(&[("csrf_token", csrf(&confirm).as_str())])
            .send()
            .unwrap();
        assert_eq!(r.status(), 303);
        let mut conn = app.db.conn().unwrap();
        let requeued: Delivery = deliveries::table.find(failing).select(Delivery::as_select()).first(&mut *conn).unwrap();
        assert_eq!((requeued.state.as_str(), requeued.attempts), ("pending", 0));
        let again = c
            .post(app.url(&format!("/admin/alerts/{failing}/retry")))
            .form(&[("csrf_token", csrf(&confirm).as_str())])
            .send()
            .unwrap();
        assert_eq!(again.status(), 409, "only a failed delivery can be sent again");
    }

    fn the_dashboard_points_out_alerts_that_were_given_up(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let web = group(&app.db, "Web", "web");
        let shop = site(&app.db, &web, "Shop", "https://shop.example.com/");
        outage(&app.db, &[&shop], now(), None);
        {
            let mut conn = app.db.conn().unwrap();
            diesel::update(deliveries::table.filter(deliveries::channel.eq("webhook")))
                .set(deliveries::state.eq("failed"))
                .execute(&mut *conn)
                .unwrap();
        }
        let c = client();
        sign_in(&app, &c, "alice");
        let dashboard = text(c.get(app.url("/")).send().unwrap());
        assert!(dashboard.contains("id=\"alert-warning\"") && dashboard.contains("1 alert delivery failed"), "{dashboard}");
        assert!(dashboard.contains("href=\"/admin/alerts\""));
    }
}
