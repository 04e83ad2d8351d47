use std::time::Duration;

use sitewatch::db::models::check_run::CheckRun;

use crate::both_backends;
use crate::check::{site, views};
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

    fn a_round_killed_mid_way_stores_nothing_and_blocks_nothing(db) {
        let server = HttpServer::start(|_| Reply::Hang);
        let fast = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/"), "--name", "slow"]).ok();
        sw(db, &["site", "add", &fast.url("/"), "--name", "fast"]).ok();
        let before = snapshot(db);

        let mut child = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "30").spawn();
        wait_until("the round is probing", Duration::from_secs(20), || !server.requests().is_empty());
        wait_until("the fast site was probed too", Duration::from_secs(20), || !fast.requests().is_empty());
        child.kill().expect("SIGKILL the round");
        child.wait().unwrap();

        assert_eq!(snapshot(db), before, "no partial round is stored");
        let interrupted = runs(db);
        assert_eq!(interrupted.len(), 1);
        assert_eq!(interrupted[0].state, "running");

        server.respond_with(|_| Reply::Status(200));
        let out = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "5").ok();
        assert!(out.contains("checked 2 site(s): 2 up"), "the lock died with the process: {out}");
        assert_eq!(views(db, "slow").len(), 1);
        assert_eq!(views(db, "fast").len(), 1);
        let runs = runs(db);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].state, "done");
        assert_eq!(runs[1].state, "failed", "the killed round is marked as interrupted");
        assert!(runs[1].message.as_deref().unwrap_or_default().contains("interrupted"));
    }
}
