//! Maintenance windows through real `check` runs against a failing server on loopback: checks
//! go on and are kept, marked; failures open no outage, queue no alert and count in no
//! availability; after the window the failure count starts from zero.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sitewatch::db::models::rollup::HourlyRollup;
use sitewatch::db::schema::maintenance_windows;
use sitewatch::domain::status::Status;
use sitewatch::domain::time::{now_utc, rfc3339};
use sitewatch::domain::window::Window;
use sitewatch::history::stats;

use crate::both_backends;
use crate::check::{notification_events, outages, site, views};
use crate::harness::http::HttpServer;
use crate::harness::{TestDb, check, sw};

fn round(db: &TestDb) -> String {
    check(db, &[]).ok()
}

/// Checks and ups of `slug` over the last day, as the windows table and stats.json sum them.
fn day_figures(db: &TestDb, slug: &str) -> (u64, u64) {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let s = site(db, slug);
    let figures = stats::for_sites(&mut conn, std::slice::from_ref(&s), now_utc()).unwrap();
    let day = figures.window(Window::Day).unwrap();
    (day.figures.checks, day.figures.ups)
}

fn rollup_checks(db: &TestDb) -> i64 {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let rows =
        HourlyRollup::all_between(&mut conn, now_utc() - TimeDelta::days(1), now_utc() + TimeDelta::hours(1)).unwrap();
    rows.iter().map(|r| i64::from(r.checks)).sum()
}

/// Ends every window now, as the clock would at its end.
fn end_windows(db: &TestDb, at: NaiveDateTime) {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    diesel::update(maintenance_windows::table)
        .set(maintenance_windows::ends_at.eq(Some(at)))
        .execute(&mut *conn)
        .unwrap();
}

both_backends! {
    fn failures_during_a_window_open_nothing_and_after_it_three_fresh_ones_are_needed(db) {
        let server = HttpServer::always(500);
        sw(db, &["group", "add", "Web", "--public"]).ok();
        sw(db, &["site", "add", &server.url("/"), "--name", "shop", "--group", "web"]).ok();
        let added = sw(db, &["maintenance", "add", "--site", "shop", "--start", "now", "--end", "+1h", "--note", "Upgrade"]).ok();
        assert!(added.starts_with("Added maintenance window"), "{added}");

        for _ in 0..5 {
            let out = round(db);
            assert!(out.contains("outages opened 0"), "{out}");
        }
        assert!(outages(db).is_empty(), "five failures in a window open no outage");
        assert!(notification_events(db).is_empty(), "and queue no alert");
        let shop = site(db, "shop");
        assert_eq!(shop.status(), Status::Maintenance);
        assert_eq!(shop.consecutive_failures, 0);
        let kept = views(db, "shop");
        assert_eq!(kept.len(), 5, "the site is still checked");
        assert!(kept.iter().all(|v| v.maintenance && !v.up), "each view is marked");
        assert_eq!(day_figures(db, "shop"), (0, 0), "availability leaves those views out");
        assert_eq!(rollup_checks(db), 0, "the rollups do not count them");
        let listed = sw(db, &["site", "list", "--json"]).run().json();
        assert_eq!(listed[0]["status"], "maintenance");
        let windows = sw(db, &["maintenance", "list", "--json"]).run().json();
        assert_eq!(windows[0]["site"], "shop");
        assert_eq!(windows[0]["note"], "Upgrade");

        end_windows(db, now_utc());
        round(db);
        round(db);
        assert!(outages(db).is_empty(), "two failures after the window are not enough");
        assert_eq!(site(db, "shop").status(), Status::Down);
        let out = round(db);
        assert!(out.contains("outages opened 1"), "{out}");
        assert_eq!(notification_events(db), ["outage_opened"]);
        let (outage, rows) = &outages(db)[0];
        let after: Vec<_> = views(db, "shop").into_iter().filter(|v| !v.maintenance).collect();
        assert_eq!(after.len(), 3);
        assert_eq!(rows[0].down_at, after[0].checked_at, "the outage dates from the first failure after the window");
        assert_eq!(outage.started_at, after[0].checked_at);
        assert_eq!(day_figures(db, "shop"), (3, 0), "only the checks after the window count");
        assert_eq!(rollup_checks(db), 3);
    }

    fn a_recurring_window_covers_each_occurrence(db) {
        let server = HttpServer::always(503);
        sw(db, &["site", "add", &server.url("/"), "--name", "api"]).ok();
        // Every minute, each occurrence lasting an hour: in force at any time after its start.
        let start = rfc3339(now_utc() - TimeDelta::hours(2));
        sw(db, &["maintenance", "add", "--group", "default", "--cron", "* * * * *", "--duration", "1h", "--start", &start]).ok();
        for _ in 0..4 {
            round(db);
        }
        assert!(outages(db).is_empty());
        assert!(views(db, "api").iter().all(|v| v.maintenance));
        let listed = sw(db, &["maintenance", "list"]).ok();
        assert!(listed.contains("`* * * * *` for 60 min"), "{listed}");
        let id = sw(db, &["maintenance", "list", "--json"]).run().json()[0]["id"].as_str().unwrap().to_owned();
        assert_eq!(sw(db, &["maintenance", "list", "--json"]).run().json()[0]["next"].as_array().unwrap().len(), 3);
        sw(db, &["maintenance", "remove", &id]).ok();
        for _ in 0..3 {
            round(db);
        }
        assert_eq!(outages(db).len(), 1, "without the window, three failures open an outage");
    }

    fn bad_windows_are_refused_naming_the_flag(db) {
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "shop"]).ok();
        let cases: [(&[&str], &str); 6] = [
            (&["--site", "shop", "--start", "now"], "--end"),
            (&["--site", "nope", "--start", "now", "--end", "+1h"], "--site: there is no site `nope`"),
            (&["--site", "shop", "--start", "soon", "--end", "+1h"], "--start"),
            (&["--site", "shop", "--start", "+2h", "--end", "+1h"], "--end: the end must come after the start"),
            (&["--site", "shop", "--weekly", "sunday", "--duration", "1h"], "--weekly"),
            (&["--site", "shop", "--cron", "0 2 * * *"], "--duration"),
        ];
        for (args, expected) in cases {
            let mut all = vec!["maintenance", "add"];
            all.extend_from_slice(args);
            let line = sw(db, &all).usage_error();
            assert!(line.contains(expected), "{args:?}: {line}");
        }
        assert!(sw(db, &["maintenance", "list", "--json"]).run().json().as_array().unwrap().is_empty(), "nothing was added");
        let line = sw(db, &["maintenance", "remove", "0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87"]).usage_error();
        assert!(line.contains("there is no maintenance window"), "{line}");
    }

    fn a_site_already_down_in_an_outage_stays_in_it_until_it_answers(db) {
        let server = HttpServer::always(500);
        sw(db, &["site", "add", &server.url("/"), "--name", "shop"]).ok();
        for _ in 0..3 {
            round(db);
        }
        assert_eq!(outages(db).len(), 1);
        sw(db, &["maintenance", "add", "--site", "shop", "--start", "now", "--end", "+1h"]).ok();
        round(db);
        round(db);
        let (outage, rows) = &outages(db)[0];
        assert!(outage.resolved_at.is_none() && rows[0].up_at.is_none(), "failures in the window change nothing");
        assert_eq!(notification_events(db), ["outage_opened"]);
        server.respond_with(|_| crate::harness::http::Reply::Status(200));
        round(db);
        let (outage, _) = &outages(db)[0];
        assert!(outage.resolved_at.is_some(), "an answer during the window brings it back");
        assert_eq!(notification_events(db), ["outage_opened", "outage_resolved"]);
    }
}
