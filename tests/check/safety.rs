use std::time::Duration;

use sitewatch::db::models::check_run::CheckRun;

use crate::both_backends;
use crate::check::{notification_events, outages, site, views};
use crate::harness::command::outcome_of;
use crate::harness::http::{HttpServer, Reply, closed_port};
use crate::harness::{TestDb, check, snapshot, sw, wait_until};

/// Every round recorded, newest first.
fn runs(db: &TestDb) -> Vec<CheckRun> {
    use diesel::prelude::*;
    use sitewatch::db::schema::check_runs;
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    check_runs::table.order(check_runs::started_at.desc()).select(CheckRun::as_select()).load(&mut *conn).unwrap()
}

both_backends! {
    fn when_every_sandbox_url_fails_nothing_is_recorded_and_check_exits_3(db) {
        let server = HttpServer::always(500);
        sw(db, &["site", "add", &server.url("/"), "--name", "a"]).ok();
        let sandbox = format!("http://127.0.0.1:{}/,http://127.0.0.1:{}/", closed_port(), closed_port());
        let before = snapshot(db);
        for _ in 0..3 {
            let out = check(db, &["--quiet"]).env("SITEWATCH_CHECK_SANDBOX_URLS", &sandbox).run();
            assert_eq!(out.code, 3, "{}", out.stderr);
            assert!(out.stderr.contains("sandbox"), "{}", out.stderr);
        }
        assert_eq!(snapshot(db), before, "no view, no site change");
        assert!(server.requests().is_empty(), "no site was probed");
        let site = site(db, "a");
        assert_eq!((site.last_checked_at, site.consecutive_failures), (None, 0));
        let runs = runs(db);
        assert_eq!(runs.len(), 3);
        assert!(runs.iter().all(|r| r.state == "offline" && r.sites_checked == 0), "{runs:?}");
    }

    fn one_answering_sandbox_url_is_enough(db) {
        let server = HttpServer::always(200);
        let sandbox_server = HttpServer::always(503);
        sw(db, &["site", "add", &server.url("/"), "--name", "a"]).ok();
        let sandbox = format!("http://127.0.0.1:{}/,{}", closed_port(), sandbox_server.url("/"));
        check(db, &[]).env("SITEWATCH_CHECK_SANDBOX_URLS", &sandbox).ok();
        assert_eq!(views(db, "a").len(), 1);
    }

    fn overlapping_rounds_never_check_twice(db) {
        let slow = HttpServer::start(|_| Reply::Hang);
        let fast = HttpServer::always(200);
        sw(db, &["site", "add", &slow.url("/"), "--name", "slow"]).ok();
        sw(db, &["site", "add", &fast.url("/"), "--name", "fast"]).ok();

        let first = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "3").spawn();
        wait_until("the first round is probing", Duration::from_secs(20), || !slow.requests().is_empty());
        let second = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "3").run();
        assert_eq!(second.code, 4, "{}", second.stderr);
        let lines: Vec<&str> = second.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line: {}", second.stderr);
        assert!(lines[0].contains("another round is running"), "{}", lines[0]);

        let first = outcome_of(first);
        assert_eq!(first.code, 0, "{}", first.stderr);
        assert_eq!(views(db, "slow").len(), 1);
        assert_eq!(views(db, "fast").len(), 1);
        assert_eq!(slow.requests().len(), 1);
    }

    fn a_round_killed_mid_way_keeps_what_it_stored_consistent_and_the_next_round_decides(db) {
        // Checks are stored in batches while slower probes run; the outage decision and its
        // alerts come once, at the end. A kill in between leaves the stored checks whole (view
        // and site state together) and no outage change; the next round decides, once.
        let slow = HttpServer::start(|_| Reply::Hang);
        let fast = HttpServer::always(200);
        let failing = HttpServer::always(503);
        sw(db, &["site", "add", &slow.url("/"), "--name", "slow"]).ok();
        sw(db, &["site", "add", &fast.url("/"), "--name", "fast"]).ok();
        sw(db, &["site", "add", &failing.url("/"), "--name", "down"]).ok();
        let round = |timeout: &str| {
            check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", timeout).env("SITEWATCH_CHECK_FAILURES_BEFORE_OUTAGE", "1")
        };

        let mut child = round("30").spawn();
        wait_until("the answered checks are stored while the slow probe runs", Duration::from_secs(20), || {
            views(db, "fast").len() == 1 && views(db, "down").len() == 1
        });
        assert_eq!(slow.requests().len(), 1, "the slow probe is still waiting for its answer");
        child.kill().expect("SIGKILL the round");
        child.wait().unwrap();

        let interrupted = runs(db);
        assert_eq!((interrupted.len(), interrupted[0].state.as_str()), (1, "running"));
        for (slug, up) in [("fast", true), ("down", false)] {
            let (site, view) = (site(db, slug), views(db, slug).remove(0));
            assert_eq!(site.last_checked_at, Some(view.checked_at), "{slug}: its state goes with its view");
            assert_eq!((view.up, site.consecutive_failures), (up, i32::from(!up)), "{slug}");
        }
        let down = site(db, "down");
        assert_eq!(down.failing_since, down.last_checked_at);
        assert!(views(db, "slow").is_empty() && site(db, "slow").last_checked_at.is_none());
        assert!(outages(db).is_empty(), "no outage is decided before every check is in");
        assert!(notification_events(db).is_empty(), "and no alert is queued");

        slow.respond_with(|_| Reply::Status(200));
        let out = round("5").ok();
        assert!(out.contains("checked 3 site(s): 2 up, 1 down; outages opened 1"), "{out}");
        let outages = outages(db);
        assert_eq!(outages.len(), 1);
        let (outage, rows) = &outages[0];
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].site_slug, "down");
        assert_eq!(outage.started_at, down.failing_since.unwrap(), "down since the killed round's check");
        assert_eq!(notification_events(db), ["outage_opened"]);
        assert_eq!((views(db, "slow").len(), views(db, "fast").len(), views(db, "down").len()), (1, 2, 2));
        let runs_now = runs(db);
        assert_eq!((runs_now[0].state.as_str(), runs_now[1].state.as_str()), ("done", "failed"));
        assert!(runs_now[1].message.as_deref().unwrap_or_default().contains("interrupted"));

        let out = round("5").ok();
        assert!(out.contains("outages opened 0"), "{out}");
        assert_eq!(notification_events(db), ["outage_opened"], "nothing is decided or sent twice");
        assert_eq!(site(db, "down").consecutive_failures, 3);
    }
}
