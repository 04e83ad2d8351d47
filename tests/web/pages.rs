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
        // Checks in two hours at least, so the chart has a line to draw.
        fixtures::checks(&app.db, &shop, now - TimeDelta::hours(3), 10, 0);
        fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(1), 30, 3);
        let past = fixtures::outage(&app.db, &[&shop], now - TimeDelta::hours(5), Some(now - TimeDelta::hours(5) + TimeDelta::seconds(7_500)));
        let c = client();
        sign_in(&app, &c, "alice");

        let site = text(c.get(app.url("/sites/shop")).send().unwrap());
        assert!(site.contains("<polyline class=\"line\""), "chart: {site}");
        assert!(site.contains("class=\"down\""), "failed checks are marked");
        assert!(site.contains("the 3rd failed check in a row"), "ordinal: {site}");
        assert!(site.contains("CET") || site.contains("CEST"), "times in the configured zone: {site}");
        assert!(site.contains("Page 1 of 4"), "40 views, 10 a page: {site}");
        assert!(site.contains("href=\"/sites/shop?page=2\""));
        let second = text(c.get(app.url("/sites/shop?page=2")).send().unwrap());
        assert!(second.contains("Page 2 of 4"));
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

both_backends! {
    fn pages_say_why_a_site_is_down_show_dashes_for_no_answer_and_get_plurals_right(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let now = fixtures::now();
        let web = fixtures::group(&app.db, "Web", "web");
        let api = fixtures::site(&app.db, &web, "API", "https://api.example.com/");
        let database = fixtures::site(&app.db, &web, "Database", "tcp://db.example.com:5432");
        let router = fixtures::site(&app.db, &web, "Router", "ping://192.0.2.1");
        fixtures::site(&app.db, &web, "Brand new", "tcp://new.example.com:6379");
        // Six checks inside the current hour: one hour of data.
        let checked = now - TimeDelta::minutes(i64::from(chrono::Timelike::minute(&now).min(6)));
        fixtures::checks(&app.db, &api, checked, 6, 1);
        fixtures::tcp_checks(&app.db, &database, now - TimeDelta::minutes(1), 5, 2);
        fixtures::ping_checks(&app.db, &router, now - TimeDelta::minutes(1), 5, 5, 0);
        fixtures::certificate_expires(&app.db, &api, now + TimeDelta::days(34) + TimeDelta::hours(1));
        fixtures::round(&app.db, now, RunState::Done);

        let c = client();
        sign_in(&app, &c, "alice");
        let page = text(c.get(app.url("/")).send().unwrap());
        let row = |slug: &str| {
            let start = page.find(&format!("data-site=\"{slug}\"")).unwrap_or_else(|| panic!("no row {slug}: {page}"));
            page[start..].split("</tr>").next().unwrap().to_owned()
        };
        let (api_row, db_row, ping_row, new_row) = (row("api"), row("database"), row("router"), row("brand-new"));
        assert!(api_row.contains("timed out") && api_row.contains(">—<"), "why, and no response time: {api_row}");
        assert!(db_row.contains("could not connect") && db_row.contains(">—<") && !db_row.contains(">0 ms<"), "{db_row}");
        assert!(db_row.contains("kind-tcp"), "{db_row}");
        assert!(ping_row.contains("kind-ping") && ping_row.contains("ms, 25 % loss"), "mean RTT and loss: {ping_row}");
        assert!(!ping_row.contains("text-down"), "the ping site is up: {ping_row}");
        assert!(new_row.contains("not enough data yet"), "{new_row}");
        assert!(page.contains("4 sites, 2 down"), "{page}");
        // The header's sign-out control is a POST form with this session's token, on the
        // cached dashboard as on every other page.
        let token = crate::web::csrf(&text(c.get(app.url("/admin")).send().unwrap()));
        let signout = format!("<form method=\"post\" action=\"/logout\" class=\"signout\"><input type=\"hidden\" name=\"csrf_token\" value=\"{token}\">");
        assert!(page.contains(&signout), "{page}");
        let gzip = c.get(app.url("/")).header("accept-encoding", "gzip").send().unwrap();
        assert_eq!(gzip.headers()["content-encoding"], "gzip");
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip.bytes().unwrap()[..]), &mut plain).unwrap();
        assert!(plain.contains(&signout), "the gzipped copy carries the token too");

        let site = text(c.get(app.url("/sites/api")).send().unwrap());
        assert!(site.contains("6 checks in 1 hour.") || site.contains("6 checks in 2 hours."), "{site}");
        assert!(!site.contains("1 hours"), "{site}");
        assert!(site.contains("days left)") && site.contains("(34 days left)"), "{site}");
        assert!(site.contains("timed out") && !site.contains(">0 ms<"), "{site}");
        let ping = text(c.get(app.url("/sites/router")).send().unwrap());
        assert!(ping.contains("id=\"ping-figures\"") && ping.contains("<dt>mdev</dt><dd>2.41 ms</dd>"), "{ping}");
        assert!(ping.contains("<dt>transmitted</dt><dd>4</dd>") && ping.contains("<dt>loss</dt><dd>25 %</dd>"), "{ping}");
        assert!(ping.contains("Round trip, last 24h"), "{ping}");
        let tcp = text(c.get(app.url("/sites/database")).send().unwrap());
        assert!(tcp.contains("TCP connection") && tcp.contains("could not connect") && tcp.contains("connection accepted"), "{tcp}");
        let new = text(c.get(app.url("/sites/brand-new")).send().unwrap());
        assert!(new.contains("Not enough data yet"), "{new}");
        assert!(new.contains("<dt>Last result</dt><dd>—</dd>"), "{new}");
    }

    fn the_outage_page_has_a_plain_title_and_its_json_link(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let now = fixtures::now();
        let web = fixtures::group(&app.db, "Web", "web");
        let shop = fixtures::site(&app.db, &web, "Shop", "https://shop.example.com/");
        let outage = fixtures::outage(&app.db, &[&shop], now - TimeDelta::minutes(5), None);
        let c = client();
        sign_in(&app, &c, "alice");
        for path in [format!("/outages/{}", outage.id), "/outage".to_owned()] {
            let page = text(c.get(app.url(&path)).send().unwrap());
            let title = page.split("<title>").nth(1).unwrap().split("</title>").next().unwrap();
            assert!(title.starts_with("Outage of ") && !title.contains('<'), "{path}: {title}");
            assert!(page.contains(&format!("<a href=\"/api/outages/{}\">", outage.id)), "{path}: {page}");
        }
    }

    fn an_empty_default_group_is_left_off_the_dashboard(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let default = fixtures::group(&app.db, "Default", "default");
        fixtures::group(&app.db, "Databases", "db");
        let c = client();
        sign_in(&app, &c, "alice");
        let page = text(c.get(app.url("/")).send().unwrap());
        assert!(!page.contains("id=\"group-default\"") && page.contains("id=\"group-db\""), "{page}");
        fixtures::site(&app.db, &default, "Shop", "https://shop.example.com/");
        fixtures::round(&app.db, fixtures::now(), RunState::Done);
        crate::harness::wait_until("the dashboard shows the default group", std::time::Duration::from_secs(5), || {
            text(c.get(app.url("/")).send().unwrap()).contains("id=\"group-default\"")
        });
    }
}
