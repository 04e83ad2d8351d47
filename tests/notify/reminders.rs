//! Reminders of an open outage, through real `check` runs: time is driven by moving the
//! outage's start back in the database, never by waiting.

use std::sync::{Arc, Barrier};

use chrono::TimeDelta;
use diesel::prelude::*;
use sitewatch::checker::reminders::queue_due;
use sitewatch::db::models::notification::Notification;
use sitewatch::db::schema::{notifications, outages};
use sitewatch::domain::time::now_utc;

use super::settings;
use crate::both_backends;
use crate::harness::http::{HttpServer, Reply};
use crate::harness::receiver::Receiver;
use crate::harness::{Outcome, TestDb, check, sw};

fn run_check(db: &TestDb, hook: &Receiver, args: &[&str]) -> Outcome {
    let out = check(db, args)
        .env("SITEWATCH_PUBLIC_URL", "https://status.example.com/")
        .env("SITEWATCH_CHECK_FAILURES_BEFORE_OUTAGE", "1")
        .env("SITEWATCH_CHECK_TIMEOUT_SECS", "2")
        .env("SITEWATCH_ALERTS_REMIND_EVERY_MINS", "15")
        .env("SITEWATCH_WEBHOOKS_0_URL", &hook.url("/hook"))
        .run();
    assert_eq!(out.code, 0, "{out:?}");
    out
}

/// The open outage began `minutes` (and a second) ago, as far as the database knows.
fn open_for(db: &TestDb, minutes: i64) {
    let handle = db.open();
    diesel::update(outages::table)
        .set(outages::started_at.eq(now_utc() - TimeDelta::minutes(minutes) - TimeDelta::seconds(1)))
        .execute(&mut *handle.conn().unwrap())
        .unwrap();
}

fn events(hook: &Receiver) -> Vec<String> {
    hook.received().iter().map(|r| r.json()["event"].as_str().unwrap().to_owned()).collect()
}

both_backends! {
    fn an_outage_open_for_three_intervals_gets_three_reminders_and_none_once_resolved(db) {
        let site = HttpServer::always(500);
        let hook = Receiver::always(200);
        sw(db, &["site", "add", &site.url("/"), "--name", "api"]).ok();
        run_check(db, &hook, &["--site", "api"]);
        assert_eq!(events(&hook), ["outage_opened"]);
        run_check(db, &hook, &[]);
        assert_eq!(events(&hook), ["outage_opened"], "no reminder before the first interval");

        for n in 1..=3 {
            open_for(db, 15 * n);
            run_check(db, &hook, &[]);
            run_check(db, &hook, &[]);
            let reminders: Vec<_> = hook.received().into_iter().filter(|r| r.json()["event"] == "reminder").collect();
            assert_eq!(reminders.len(), n as usize, "one per interval, whatever the rounds: {:?}", events(&hook));
            let body = reminders.last().unwrap().json();
            assert_eq!(body["detail"], serde_json::json!({"kind": "reminder", "number": n, "open_secs": n * 900}));
            assert_eq!(body["sites"][0]["name"], "api");
            let minutes = if n == 3 { "45 minutes".to_owned() } else { format!("{} minutes", 15 * n) };
            assert!(body["text"].as_str().unwrap().contains(&format!("Still down after {minutes}: api")), "{body}");
        }

        // Cron stopped for hours: one reminder, the latest, not a burst.
        open_for(db, 121);
        run_check(db, &hook, &[]);
        let last = hook.received().last().unwrap().json();
        assert_eq!(events(&hook).iter().filter(|e| *e == "reminder").count(), 4);
        assert_eq!(last["detail"]["number"], 8);
        assert!(last["text"].as_str().unwrap().contains("Still down after 2 hours: api"), "{last}");

        site.respond_with(|_| Reply::Status(200));
        run_check(db, &hook, &["--site", "api"]);
        open_for(db, 300);
        run_check(db, &hook, &[]);
        assert_eq!(
            events(&hook),
            ["outage_opened", "reminder", "reminder", "reminder", "reminder", "outage_resolved"],
            "no reminder after the outage is resolved"
        );
    }

    fn two_checkers_never_both_send_one_reminder(db) {
        let site = HttpServer::always(500);
        let hook = Receiver::always(200);
        sw(db, &["site", "add", &site.url("/"), "--name", "api"]).ok();
        run_check(db, &hook, &["--site", "api"]);
        let settings = Arc::new(settings(db, "[alerts]\nremind_every_mins = 15\n"));
        let handle = db.open();
        for n in 1..=5 {
            open_for(db, 15 * n);
            let now = now_utc();
            let start = Arc::new(Barrier::new(2));
            let checkers: Vec<_> = (0..2)
                .map(|_| {
                    let (handle, settings, start) = (handle.clone(), Arc::clone(&settings), Arc::clone(&start));
                    std::thread::spawn(move || {
                        start.wait();
                        queue_due(&handle, &settings, now).unwrap()
                    })
                })
                .collect();
            let queued: usize = checkers.into_iter().map(|c| c.join().unwrap()).sum();
            assert_eq!(queued, 1, "round {n}: exactly one of the two queued reminder {n}");
        }
        let stored: Vec<Notification> = notifications::table
            .filter(notifications::event.eq("reminder"))
            .select(Notification::as_select())
            .load(&mut *handle.conn().unwrap())
            .unwrap();
        assert_eq!(stored.len(), 5);
        assert_eq!(queue_due(&handle, &settings, now_utc()).unwrap(), 0, "nothing new is due");
    }
}
