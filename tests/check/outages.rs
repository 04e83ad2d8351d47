use crate::both_backends;
use crate::check::{notification_events, outages, site, views};
use crate::harness::http::{HttpServer, Reply};
use crate::harness::{check, sw};

fn round(db: &crate::harness::TestDb) -> String {
    check(db, &[]).ok()
}

both_backends! {
    fn three_failures_open_one_outage_that_groups_later_failures_and_ends_when_all_are_back(db) {
        let a = HttpServer::always(500);
        let b = HttpServer::always(200);
        sw(db, &["site", "add", &a.url("/"), "--name", "api"]).ok();
        sw(db, &["site", "add", &b.url("/"), "--name", "shop"]).ok();

        round(db);
        let second = round(db);
        assert!(second.contains("outages opened 0"), "{second}");
        assert!(outages(db).is_empty(), "two failures open nothing");
        assert!(notification_events(db).is_empty());
        assert_eq!(site(db, "api").consecutive_failures, 2);

        let third = round(db);
        assert!(third.contains("outages opened 1"), "{third}");
        let list = outages(db);
        assert_eq!(list.len(), 1);
        let (outage, rows) = &list[0];
        assert!(outage.resolved_at.is_none());
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].site_slug, "api");
        assert_eq!(rows[0].down_status_code, Some(500));
        assert_eq!(rows[0].down_at, views(db, "api")[0].checked_at, "the outage dates from the first failure");
        assert_eq!(outage.started_at, rows[0].down_at);
        assert_eq!(notification_events(db), ["outage_opened"]);

        b.respond_with(|_| Reply::Status(503));
        round(db);
        round(db);
        assert_eq!(outages(db)[0].1.len(), 1, "shop has failed only twice");
        round(db);
        let list = outages(db);
        assert_eq!(list.len(), 1, "the second failing site joins the same outage");
        let slugs: Vec<&str> = list[0].1.iter().map(|r| r.site_slug.as_str()).collect();
        assert_eq!(slugs, ["api", "shop"]);
        assert_eq!(notification_events(db), ["outage_opened", "site_joined"]);

        a.respond_with(|_| Reply::Status(200));
        let out = round(db);
        assert!(out.contains("resolved 0"), "{out}");
        let (outage, rows) = &outages(db)[0];
        assert!(outage.resolved_at.is_none(), "shop is still down");
        let api = rows.iter().find(|r| r.site_slug == "api").unwrap();
        assert_eq!(api.up_at, Some(views(db, "api").last().unwrap().checked_at));
        assert_eq!(notification_events(db), ["outage_opened", "site_joined", "site_recovered"]);

        b.respond_with(|_| Reply::Status(200));
        let out = round(db);
        assert!(out.contains("resolved 1"), "{out}");
        let (outage, rows) = &outages(db)[0];
        assert!(rows.iter().all(|r| r.up_at.is_some()));
        assert_eq!(outage.resolved_at, rows.iter().filter_map(|r| r.up_at).max());
        assert_eq!(notification_events(db), ["outage_opened", "site_joined", "site_recovered", "outage_resolved"]);
        assert_eq!(site(db, "shop").consecutive_failures, 0);
        assert!(site(db, "shop").failing_since.is_none());
    }

    fn a_site_that_fails_again_while_the_outage_is_open_rejoins_it(db) {
        let a = HttpServer::always(500);
        let b = HttpServer::always(500);
        sw(db, &["site", "add", &a.url("/"), "--name", "a"]).ok();
        sw(db, &["site", "add", &b.url("/"), "--name", "b"]).ok();
        for _ in 0..3 {
            round(db);
        }
        a.respond_with(|_| Reply::Status(200));
        round(db);
        a.respond_with(|_| Reply::Status(500));
        for _ in 0..3 {
            round(db);
        }
        let list = outages(db);
        assert_eq!(list.len(), 1, "still the same outage");
        let a_rows: Vec<_> = list[0].1.iter().filter(|r| r.site_slug == "a").collect();
        assert_eq!(a_rows.len(), 2, "a second stretch for site a");
        assert!(a_rows[0].up_at.is_some() && a_rows[1].up_at.is_none());
    }

    fn a_site_paused_while_down_leaves_the_outage_so_it_can_end(db) {
        let a = HttpServer::always(500);
        sw(db, &["site", "add", &a.url("/"), "--name", "a"]).ok();
        for _ in 0..3 {
            round(db);
        }
        assert!(outages(db)[0].0.resolved_at.is_none());
        sw(db, &["site", "pause", "a"]).ok();
        let out = round(db);
        assert!(out.contains("checked 0 site(s)") && out.contains("resolved 1"), "{out}");
        let (outage, rows) = &outages(db)[0];
        assert!(outage.resolved_at.is_some() && rows[0].up_at.is_some());
        assert_eq!(notification_events(db), ["outage_opened", "outage_resolved"]);
    }

    fn a_site_removed_while_down_leaves_the_outage_with_its_name_kept(db) {
        let a = HttpServer::always(500);
        let b = HttpServer::always(500);
        sw(db, &["site", "add", &a.url("/"), "--name", "a"]).ok();
        sw(db, &["site", "add", &b.url("/"), "--name", "b"]).ok();
        for _ in 0..3 {
            round(db);
        }
        sw(db, &["site", "remove", "a"]).ok();
        round(db);
        let (outage, rows) = &outages(db)[0];
        assert!(outage.resolved_at.is_none(), "b is still down");
        let a_row = rows.iter().find(|r| r.site_slug == "a").expect("the outage remembers a");
        assert!(a_row.site_id.is_none() && a_row.up_at.is_some());
        sw(db, &["site", "remove", "b"]).ok();
        round(db);
        assert!(outages(db)[0].0.resolved_at.is_some(), "no outage stays open forever");
    }

    fn a_failure_threshold_of_one_opens_on_the_first_failure(db) {
        let a = HttpServer::always(500);
        sw(db, &["site", "add", &a.url("/"), "--name", "a"]).ok();
        check(db, &[]).env("SITEWATCH_CHECK_FAILURES_BEFORE_OUTAGE", "1").ok();
        assert_eq!(outages(db).len(), 1);
    }
}
