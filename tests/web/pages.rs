use chrono::TimeDelta;
use sitewatch::db::models::check_run::RunState;

use super::{add_user, client, fixtures, settings_for, sign_in, spawn, spawn_with, text};
use crate::both_backends;

both_backends! {
    fn the_dashboard_shows_groups_sites_uptime_the_outage_and_a_stale_round(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let now = fixtures::now();
        let web = fixtures::group(&app.db, "Web", "web");
        let empty = fixtures::group(&app.db, "Databases", "db");
        let shop = fixtures::site(&app.db, &web, "Shop", "https://shop.example.com/");
        let blog = fixtures::site(&app.db, &web, "Blog", "https://blog.example.com/");
        fixtures::site(&app.db, &web, "Brand new", "https://new.example.com/");
        fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(2), 100, 4);
        fixtures::checks(&app.db, &blog, now - TimeDelta::minutes(2), 10, 0);
        fixtures::outage(&app.db, &[&shop], now - TimeDelta::minutes(125), None);
        fixtures::round(&app.db, now - TimeDelta::minutes(20), RunState::Done);

        let c = client();
        sign_in(&app, &c, "alice");
        let page = text(c.get(app.url("/")).send().unwrap());
        assert!(page.contains("Outage in progress"), "{page}");
        assert!(page.contains("2 hours, 5 minutes"), "readable duration: {page}");
        assert!(page.contains("cron may have stopped"), "{page}");
        assert!(page.contains("last check round <span id=\"last-round\">20 minutes ago</span>"), "{page}");
        assert!(page.contains("Databases") && !empty.slug.is_empty());
        assert!(page.contains("data-site=\"shop\""));
        assert!(page.contains("2 minutes ago"), "{page}");
        assert!(page.contains("75.00 %"), "shop was up 3 checks in 4: {page}");
        assert!(page.contains("100.00 %"), "blog: {page}");
        assert!(page.contains("Not checked yet"));
        assert!(page.contains("<polyline points="), "sparklines");
        assert!(page.contains("/static/dashboard.js"), "refreshes itself");

        let json: serde_json::Value = c.get(app.url("/data.json")).send().unwrap().json().unwrap();
        assert_eq!(json["outage"]["sites"][0]["slug"], "shop");
        assert_eq!(json["groups"][0]["group"]["slug"], "db");
        assert_eq!(json["groups"][1]["sites"].as_array().unwrap().len(), 3);
        assert_eq!(json["labels"]["down"], "✘ Down");

        // A gzip-capable client gets the copy compressed once per rebuild.
        let r = c.get(app.url("/")).header("accept-encoding", "gzip").send().unwrap();
        assert_eq!(r.headers()["content-encoding"], "gzip");
        assert_eq!(&r.bytes().unwrap()[..2], &[0x1f, 0x8b]);
    }

    fn an_offline_round_and_a_fresh_one_are_told_apart(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let c = client();
        sign_in(&app, &c, "alice");
        assert!(text(c.get(app.url("/")).send().unwrap()).contains("No check round has run yet"));
        fixtures::round(&app.db, fixtures::now(), RunState::Offline);
        crate::harness::wait_until("the dashboard sees the new round", std::time::Duration::from_secs(5), || {
            text(c.get(app.url("/")).send().unwrap()).contains("network offline")
        });
        fixtures::round(&app.db, fixtures::now() + TimeDelta::seconds(1), RunState::Done);
        crate::harness::wait_until("the warning goes", std::time::Duration::from_secs(5), || {
            let page = text(c.get(app.url("/")).send().unwrap());
            !page.contains("network offline") && !page.contains("round-warning")
        });
    }

    fn site_group_and_outage_pages(db) {
        let app = spawn_with(db, settings_for(db, &[("SITEWATCH_TIME_ZONE", "Europe/Paris")]));
        add_user(&app.db, "alice");
        let now = fixtures::now();
        let web = fixtures::group(&app.db, "Web", "web");
        let shop = fixtures::site(&app.db, &web, "Shop", "https://shop.example.com/");
        fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(1), 30, 3);
        let past = fixtures::outage(&app.db, &[&shop], now - TimeDelta::hours(5), Some(now - TimeDelta::hours(5) + TimeDelta::seconds(7_500)));
        let c = client();
        sign_in(&app, &c, "alice");

        let site = text(c.get(app.url("/sites/shop")).send().unwrap());
        assert!(site.contains("<polyline class=\"line\""), "chart: {site}");
        assert!(site.contains("class=\"down\""), "failed checks are marked");
        assert!(site.contains("the 3rd failed check in a row"), "ordinal: {site}");
        assert!(site.contains("CET") || site.contains("CEST"), "times in the configured zone: {site}");
        assert!(site.contains("Page 1 of 3"), "30 views, 10 a page: {site}");
        assert!(site.contains("href=\"/sites/shop?page=2\""));
        let second = text(c.get(app.url("/sites/shop?page=2")).send().unwrap());
        assert!(second.contains("Page 2 of 3"));
        assert_eq!(c.get(app.url("/sites/nope")).send().unwrap().status(), 404);

        let group = text(c.get(app.url("/groups/web")).send().unwrap());
        assert!(group.contains("Shop") && group.contains("/sites/shop"));
        let json: serde_json::Value = c.get(app.url("/groups/web/data.json")).send().unwrap().json().unwrap();
        assert_eq!(json["group"], serde_json::json!({"name": "Web", "slug": "web"}));
        assert_eq!(json["sites"][0]["status"], "down");
        assert_eq!(json["sites"][0]["last_error"], "timeout");
        assert_eq!(c.get(app.url("/groups/nope/data.json")).send().unwrap().status(), 404);

        let list = text(c.get(app.url("/outages")).send().unwrap());
        assert!(list.contains("2 hours, 5 minutes"), "{list}");
        assert!(list.contains(&format!("/outages/{}", past.id)));
        let one = text(c.get(app.url(&format!("/outages/{}", past.id))).send().unwrap());
        assert!(one.contains("Outage opened"), "{one}");
        assert!(one.contains("ops@example.com") && one.contains("delivery-sent") && one.contains("on the 2nd attempt"), "{one}");
        assert!(one.contains("connection refused") && one.contains("delivery-pending"), "{one}");
        assert!(one.contains("timed out"), "why the site was down: {one}");
        assert_eq!(c.get(app.url("/outages/not-an-id")).send().unwrap().status(), 404);

        assert!(text(c.get(app.url("/outage")).send().unwrap()).contains("No current outage"));
        fixtures::outage(&app.db, &[&shop], now - TimeDelta::minutes(3), None);
        let current = text(c.get(app.url("/outage")).send().unwrap());
        assert!(current.contains("ongoing") && current.contains("still down"), "{current}");
    }

    fn a_site_named_like_a_script_is_escaped_on_every_page_and_in_json(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let evil = "<script>alert(1)</script>";
        let group = fixtures::group(&app.db, evil, "evil");
        let site = fixtures::site(&app.db, &group, evil, "https://evil.example.com/?q=<b>");
        let now = fixtures::now();
        fixtures::checks(&app.db, &site, now, 5, 2);
        let outage = fixtures::outage(&app.db, &[&site], now - TimeDelta::minutes(10), None);
        let c = client();
        sign_in(&app, &c, "alice");
        let slug = &site.slug;
        for path in [
            "/".to_owned(),
            "/groups/evil".to_owned(),
            format!("/sites/{slug}"),
            "/outages".to_owned(),
            format!("/outages/{}", outage.id),
            "/outage".to_owned(),
            "/admin/sites".to_owned(),
            "/admin/groups".to_owned(),
            format!("/admin/sites/{slug}/edit"),
            format!("/admin/sites/{slug}/delete"),
            "/admin/recipients/new".to_owned(),
        ] {
            let page = text(c.get(app.url(&path)).send().unwrap());
            assert!(!page.contains("<script>alert"), "{path} shows raw markup");
            assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{path} shows the escaped name: {page}");
        }
        for path in ["/data.json".to_owned(), "/groups/evil/data.json".to_owned(), format!("/api/sites/{slug}"), format!("/api/outages/{}", outage.id)] {
            let r = c.get(app.url(&path)).send().unwrap();
            assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{path}");
            let body = text(r);
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(json.to_string().contains(evil), "{path}: the name is JSON string data, unchanged: {json}");
        }
        let metrics = text(c.get(app.url("/metrics")).send().unwrap());
        assert!(!metrics.contains("<script>"), "metrics label by slug");
    }

    fn health_answers_without_login_and_503_without_a_database(db) {
        let app = spawn(db);
        let r = client().get(app.url("/healthz")).send().unwrap();
        assert_eq!(r.status(), 200);
        let body: serde_json::Value = r.json().unwrap();
        assert_eq!(body["database"], "ok");
        match db.backend {
            crate::harness::Backend::Postgres => db.drop_database(),
            crate::harness::Backend::Sqlite => {
                std::fs::write(db.path().join("sitewatch.db"), vec![b'x'; 8192]).unwrap();
                let _ = std::fs::remove_file(db.path().join("sitewatch.db-wal"));
                let _ = std::fs::remove_file(db.path().join("sitewatch.db-shm"));
            }
        }
        crate::harness::wait_until("healthz reports the database down", std::time::Duration::from_secs(10), || {
            client().get(app.url("/healthz")).send().unwrap().status() == 503
        });
    }
}
