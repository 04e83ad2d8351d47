use crate::both_backends;
use crate::check::views;
use crate::harness::http::HttpServer;
use crate::harness::{check, snapshot, sw};

both_backends! {
    fn site_flags_check_just_those_sites(db) {
        let server = HttpServer::always(200);
        for name in ["a", "b", "c"] {
            sw(db, &["site", "add", &server.url(&format!("/{name}")), "--name", name]).ok();
        }
        let out = check(db, &["--site", "a", "--site", "c"]).ok();
        assert!(out.contains("checked 2 site(s)"), "{out}");
        assert_eq!((views(db, "a").len(), views(db, "b").len(), views(db, "c").len()), (1, 0, 1));
    }

    fn a_bad_site_flag_exits_2_and_checks_nothing(db) {
        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/a"), "--name", "a"]).ok();
        sw(db, &["site", "add", &server.url("/p"), "--name", "p"]).ok();
        sw(db, &["site", "pause", "p"]).ok();
        let before = snapshot(db);
        let err = check(db, &["--site", "nope"]).usage_error();
        assert!(err.contains("no site `nope`"), "{err}");
        let err = check(db, &["--site", "p"]).usage_error();
        assert!(err.contains("paused"), "{err}");
        assert_eq!(snapshot(db), before);
        assert!(server.requests().is_empty());
    }

    fn sites_are_checked_when_their_interval_has_passed_and_paused_ones_never(db) {
        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/hourly"), "--name", "hourly", "--interval", "3600"]).ok();
        sw(db, &["site", "add", &server.url("/every"), "--name", "every"]).ok();
        sw(db, &["site", "add", &server.url("/paused"), "--name", "paused"]).ok();
        sw(db, &["site", "pause", "paused"]).ok();
        check(db, &[]).ok();
        let out = check(db, &[]).ok();
        assert!(out.contains("checked 1 site(s)"), "the hourly site is not due again yet: {out}");
        assert_eq!(views(db, "hourly").len(), 1);
        assert_eq!(views(db, "every").len(), 2);
        assert!(views(db, "paused").is_empty());
        assert_eq!(server.count("HEAD", "/paused"), 0);
    }

    fn quiet_prints_nothing_on_success_and_rounds_are_recorded(db) {
        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/"), "--name", "a"]).ok();
        let out = check(db, &["--quiet"]).run();
        assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (0, "", ""));
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let run = sitewatch::db::models::check_run::CheckRun::latest_finished(&mut conn).unwrap().expect("a recorded run");
        assert_eq!(run.state, "done");
        assert_eq!((run.sites_checked, run.sites_up, run.sites_down), (1, 1, 0));
        assert!(run.finished_at.unwrap() >= run.started_at);
        assert!(run.db_write_ms.is_some());
    }

    fn a_round_that_checks_nothing_says_why_and_what_to_do(db) {
        let out = check(db, &[]).ok();
        assert!(out.contains("checked 0 site(s)"), "{out}");
        assert!(out.contains("none has been added yet") && out.contains("sitewatch site add"), "{out}");

        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/a"), "--name", "a", "--interval", "3600"]).ok();
        sw(db, &["site", "add", &server.url("/b"), "--name", "b"]).ok();
        sw(db, &["site", "pause", "a"]).ok();
        sw(db, &["site", "pause", "b"]).ok();
        let out = check(db, &[]).ok();
        assert!(out.contains("all 2 site(s) are paused") && out.contains("sitewatch site resume"), "{out}");

        sw(db, &["site", "resume", "a"]).ok();
        let out = check(db, &[]).ok();
        assert!(out.contains("checked 1 site(s)") && !out.contains("no site"), "{out}");
        let out = check(db, &[]).ok();
        assert!(out.contains("checked 0 site(s)"), "{out}");
        let checked = crate::check::site(db, "a").last_checked_at.unwrap();
        // Due an hour after its check, less the slack of a tenth of the interval (at most 60 s).
        let due = (checked + chrono::TimeDelta::seconds(3540)).format("%Y-%m-%d %H:%M:%S").to_string();
        assert!(out.contains("no site is due yet: 1 site(s) (1 paused)"), "{out}");
        assert!(out.contains(&format!("next is due at {due} UTC")), "{out}");
        assert!(out.contains("check --site SLUG"), "{out}");
        assert_eq!(check(db, &["--quiet"]).run().stdout, "", "--quiet stays quiet");
        assert_eq!(views(db, "a").len(), 1);
    }
}
