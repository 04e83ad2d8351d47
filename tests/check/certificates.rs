use chrono::TimeDelta;
use diesel::prelude::*;
use sitewatch::db::models::notification::{Delivery, Notification};
use sitewatch::db::schema::{deliveries, notifications};
use sitewatch::domain::alert::{Alert, AlertDetail};
use sitewatch::domain::time::now_utc;

use crate::both_backends;
use crate::check::{site, views};
use crate::harness::https::{HttpsServer, TestCa};
use crate::harness::receiver::Receiver;
use crate::harness::{TestDb, check, sw};

/// One queued `tls_expiring` alert: the site, the threshold, the days left, and who gets it.
#[derive(Debug, PartialEq, Eq)]
struct ExpiryAlert {
    slug: String,
    threshold_days: u32,
    days_left: i64,
    emails: Vec<String>,
}

fn expiry_alerts(db: &TestDb) -> Vec<ExpiryAlert> {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let queued: Vec<Notification> = notifications::table
        .filter(notifications::event.eq("tls_expiring"))
        .order(notifications::created_at.asc())
        .select(Notification::as_select())
        .load(&mut *conn)
        .unwrap();
    let mut alerts: Vec<ExpiryAlert> = queued
        .iter()
        .map(|n| {
            let alert: Alert = serde_json::from_str(&n.payload).unwrap();
            let Some(AlertDetail::Certificate { days_left, threshold_days, .. }) = alert.detail else {
                panic!("a certificate alert without its figures: {}", n.payload)
            };
            assert!(alert.outage.is_none() && alert.sites.len() == 1, "{}", n.payload);
            let mut emails: Vec<String> = deliveries::table
                .filter(deliveries::notification_id.eq(n.id).and(deliveries::channel.eq("email")))
                .select(Delivery::as_select())
                .load(&mut *conn)
                .unwrap()
                .into_iter()
                .map(|d| d.target)
                .collect();
            emails.sort();
            ExpiryAlert { slug: alert.sites[0].slug.clone(), threshold_days, days_left, emails }
        })
        .collect();
    alerts.sort_by(|a, b| (&a.slug, a.threshold_days).cmp(&(&b.slug, b.threshold_days)));
    alerts
}

fn expected(slug: &str, threshold_days: u32, days_left: i64) -> ExpiryAlert {
    let mut emails =
        vec!["ops@example.com".to_owned(), format!("{slug}-owner@example.com"), "web-team@example.com".to_owned()];
    emails.sort();
    ExpiryAlert { slug: slug.to_owned(), threshold_days, days_left, emails }
}

both_backends! {
    fn certificates_are_watched_and_each_threshold_alerts_once(db) {
        let ca = TestCa::new();
        db.write_file("private-ca.pem", &ca.pem);
        let hook = Receiver::always(200);
        // E-mail goes nowhere (nothing listens on port 9): the deliveries stay queued, which
        // is enough to see who they are for.
        let config = db.write_file(
            "sitewatch.toml",
            &format!(
                "time_zone = \"Europe/Paris\"\n[check]\ntls_ca_file = \"private-ca.pem\"\ntimeout_secs = 2\n\
                 [email]\nenabled = true\nhost = \"127.0.0.1\"\nport = 9\ntls = \"none\"\nto = [\"ops@example.com\"]\n\
                 [[webhooks]]\nurl = \"{}\"\n",
                hook.url("/hook")
            ),
        );
        let servers = [
            ("far", HttpsServer::start(ca.server_config(TimeDelta::days(30)))),
            ("near", HttpsServer::start(ca.server_config(TimeDelta::days(20)))),
            ("close", HttpsServer::start(ca.server_config(TimeDelta::days(5)))),
            ("expired", HttpsServer::start(ca.server_config(TimeDelta::days(-1)))),
        ];
        sw(db, &["group", "add", "Web"]).ok();
        sw(db, &["recipient", "add", "web-team@example.com", "--group", "web"]).ok();
        for (slug, server) in &servers {
            sw(db, &["site", "add", &server.url(), "--name", slug, "--group", "web"]).ok();
            sw(db, &["recipient", "add", &format!("{slug}-owner@example.com"), "--site", slug]).ok();
        }
        let round = || check(db, &["--config", config.to_str().unwrap()]).run();

        let out = round();
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("checked 4 site(s): 3 up, 1 down"), "{}", out.stdout);
        let expired = &views(db, "expired")[0];
        assert_eq!((expired.up, expired.error.as_deref()), (false, Some("tls")), "an expired certificate fails the check");
        assert_eq!(site(db, "expired").tls_expires_at, None, "a refused certificate leaves no expiry");
        for (slug, days) in [("far", 30), ("near", 20), ("close", 5)] {
            let stored = site(db, slug).tls_expires_at.unwrap_or_else(|| panic!("{slug}: no expiry stored"));
            let off = (stored - (now_utc() + TimeDelta::days(days))).num_seconds().abs();
            assert!(off < 120, "{slug}: stored {stored}, {off} s from {days} days ahead");
        }
        // 19 days left crosses 21; 4 days left crosses 21, 14 and 7 and says so once, for 7.
        assert_eq!(expiry_alerts(db), [expected("close", 7, 4), expected("near", 21, 19)]);

        assert_eq!(round().code, 0);
        assert_eq!(expiry_alerts(db).len(), 2, "a threshold alerts once per certificate");

        // near's certificate now expires sooner (time has passed, as far as the rule sees).
        servers[1].1.replace_certificate(ca.server_config(TimeDelta::days(10)));
        // close's is renewed, but only for 12 days: its thresholds start afresh.
        servers[2].1.replace_certificate(ca.server_config(TimeDelta::days(12)));
        assert_eq!(round().code, 0);
        assert_eq!(round().code, 0);
        assert_eq!(
            expiry_alerts(db),
            [expected("close", 7, 4), expected("close", 14, 11), expected("near", 14, 9), expected("near", 21, 19)]
        );

        let hooks: Vec<serde_json::Value> = hook.received().iter().map(|r| r.json()).collect();
        let certificates: Vec<&serde_json::Value> = hooks.iter().filter(|h| h["event"] == "tls_expiring").collect();
        assert_eq!(certificates.len(), 4, "every alert went out by webhook once: {hooks:?}");
        let close = certificates.iter().find(|h| h["detail"]["threshold_days"] == 7).unwrap();
        assert_eq!(close["detail"]["days_left"], 4);
        assert_eq!(close["sites"][0]["slug"], "close");
        let text = close["text"].as_str().unwrap();
        assert!(text.contains("certificate of close expires in 4 days"), "{text}");
        assert!(text.ends_with("/sites/close"), "{text}");
    }
}
