use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use sitewatch::db::models::check_run::RunState;
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::SiteView;

use super::{TestApp, add_user, client, fixtures, sign_in, spawn, text};
use crate::both_backends;
use crate::harness::TestDb;

/// A group "Web" with "Shop" (120 checks a minute apart ending a minute ago, every 4th timed
/// out) and "Blog" (60 checks, all up), and a user "alice".
struct ShopAndBlog {
    app: TestApp,
    now: NaiveDateTime,
    shop: Site,
    shop_checks: Vec<SiteView>,
}

fn shop_and_blog(db: &TestDb) -> ShopAndBlog {
    let app = spawn(db);
    add_user(&app.db, "alice");
    let now = fixtures::now();
    let web = fixtures::group(&app.db, "Web", "web");
    let shop = fixtures::site(&app.db, &web, "Shop", "https://shop.example.com/");
    let blog = fixtures::site(&app.db, &web, "Blog", "https://blog.example.com/");
    let shop_checks = fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(1), 120, 4);
    fixtures::checks(&app.db, &blog, now - TimeDelta::minutes(1), 60, 0);
    ShopAndBlog { app, now, shop, shop_checks }
}

/// The uptime bar's words for each UTC day `checks` fall on: two days when they cross midnight.
fn day_cells(checks: &[SiteView]) -> Vec<String> {
    let mut days: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
    for check in checks {
        let (all, up) = days.entry(check.checked_at.date()).or_default();
        *all += 1;
        *up += u32::from(check.up);
    }
    days.into_iter()
        .map(|(day, (all, up))| {
            let checks = if all == 1 { "1 check".to_owned() } else { format!("{all} checks") };
            format!("{day}: {:.2} % up, {checks}", f64::from(up) / f64::from(all) * 100.0)
        })
        .collect()
}

both_backends! {
    fn site_and_group_pages_show_windows_the_uptime_bar_and_the_percentile_chart(db) {
        let ShopAndBlog { app, now, shop_checks, .. } = shop_and_blog(db);
        fixtures::round(&app.db, now, RunState::Done);
        let c = client();
        sign_in(&app, &c, "alice");

        let site = text(c.get(app.url("/sites/shop")).send().unwrap());
        for label in ["10 minutes", "1 hour", "24 hours", "7 days", "30 days", "1 year"] {
            assert!(site.contains(&format!("<th scope=\"row\">{label}</th>")), "window {label}: {site}");
        }
        assert!(site.contains("75.00 %"), "90 of 120 checks up over a day: {site}");
        assert!(site.contains("timed out ×30"), "failures by kind: {site}");
        assert_eq!(site.matches("<li class=").count(), 90, "one cell per day for 90 days");
        assert!(site.contains("75.00 % up over 90 days"), "{site}");
        for cell in day_cells(&shop_checks) {
            assert!(site.contains(&cell), "the day's cell says `{cell}`: {site}");
        }
        assert!(site.contains("<polygon class=\"band\""), "percentile band: {site}");
        assert!(site.contains("<polyline class=\"p95\""), "p95 line");
        let week = text(c.get(app.url("/sites/shop?range=7d")).send().unwrap());
        assert!(week.contains("Response time, last 7d") && week.contains("<strong>7d</strong>"), "{week}");
        assert!(week.contains("href=\"/sites/shop?range=7d&#38;page=2\""), "paging keeps the range: {week}");
        let third = text(c.get(app.url("/sites/shop?range=7d&page=3")).send().unwrap());
        assert!(third.contains("href=\"/sites/shop?range=30d&#38;page=3\""), "ranges keep the page: {third}");
        assert!(third.contains("Page 3 of 12"), "{third}");
        let month = c.get(app.url("/sites/shop?range=30d")).send().unwrap();
        assert_eq!(month.status(), 200);
        assert!(text(month).contains("Per day"));
        let bad = c.get(app.url("/sites/shop?range=2y")).send().unwrap();
        assert_eq!(bad.status(), 400);
        assert!(text(bad).contains("range `2y`"));

        let group = text(c.get(app.url("/groups/web")).send().unwrap());
        assert!(group.contains("<th scope=\"row\">1 year</th>"), "{group}");
        assert!(group.contains("83.33 %"), "150 of 180 checks of both sites: {group}");
        assert_eq!(group.matches("<li class=").count(), 90);
    }

    fn stats_json_for_a_site_and_a_group(db) {
        let ShopAndBlog { app, now, shop, .. } = shop_and_blog(db);
        fixtures::outage(&app.db, &[&shop], now - TimeDelta::minutes(30), Some(now - TimeDelta::minutes(20)));
        let c = client();
        assert_eq!(c.get(app.url("/sites/shop/stats.json")).send().unwrap().status(), 401);
        sign_in(&app, &c, "alice");

        let site: serde_json::Value = c.get(app.url("/sites/shop/stats.json")).send().unwrap().json().unwrap();
        assert_eq!((site["kind"].as_str(), site["slug"].as_str(), site["sites"].as_u64()), (Some("site"), Some("shop"), Some(1)));
        let keys: Vec<&str> = site["windows"].as_array().unwrap().iter().map(|w| w["window"].as_str().unwrap()).collect();
        assert_eq!(keys, ["10m", "1h", "24h", "7d", "30d", "1y"]);
        let day = &site["windows"][2];
        assert_eq!((day["checks"].as_u64(), day["up"].as_u64()), (Some(120), Some(90)));
        assert_eq!(day["availability_percent"].as_f64(), Some(75.0));
        assert_eq!(day["outcomes"], serde_json::json!({"200": 90, "timeout": 30}));
        assert_eq!((day["response_ms"]["min"].as_u64(), day["response_ms"]["max"].as_u64()), (Some(100), Some(140)));
        let p50 = day["response_ms"]["p50"].as_f64().unwrap();
        assert!((p50 - 120.0).abs() <= 1.2, "the median of 100..140 ms within 1 %: {p50}");
        assert_eq!((day["outages"].as_u64(), day["downtime_seconds"].as_i64()), (Some(1), Some(600)));
        let ten = &site["windows"][0];
        let ten_checks = ten["checks"].as_u64().unwrap();
        assert!(ten_checks == 10 || ten_checks == 9, "one check a minute in the last 10 minutes: {ten_checks}");
        assert!(site["last_failure_at"].is_null() || site["seconds_since_last_failure"].as_i64().is_some());

        let group: serde_json::Value = c.get(app.url("/groups/web/stats.json")).send().unwrap().json().unwrap();
        assert_eq!((group["kind"].as_str(), group["sites"].as_u64()), (Some("group"), Some(2)));
        assert_eq!(group["windows"][5]["checks"].as_u64(), Some(180));
        assert_eq!(group["windows"][5]["up"].as_u64(), Some(150));
        assert_eq!(c.get(app.url("/groups/nope/stats.json")).send().unwrap().status(), 404);
        assert_eq!(c.get(app.url("/sites/nope/stats.json")).send().unwrap().status(), 404);

        let doc: serde_json::Value = c.get(app.url("/api/openapi.json")).send().unwrap().json().unwrap();
        assert!(doc["paths"]["/sites/{slug}/stats.json"]["get"].is_object(), "described in OpenAPI");
        assert!(doc["components"]["schemas"]["WindowStatsJson"].is_object());
    }

    fn metrics_give_availability_per_window(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let now = fixtures::now();
        let web = fixtures::group(&app.db, "Web", "web");
        let shop = fixtures::site(&app.db, &web, "Shop", "https://shop.example.com/");
        fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(1), 120, 4);
        fixtures::round(&app.db, now, RunState::Done);
        let c = client();
        sign_in(&app, &c, "alice");
        // Availability is summed in the background after each round: wait for this round's.
        let mut body = String::new();
        crate::harness::wait_until("the availability of the new round is published", std::time::Duration::from_secs(15), || {
            body = text(c.get(app.url("/metrics")).send().unwrap());
            body.contains("sitewatch_site_availability_ratio{")
        });
        let scrape = prometheus_parse::Scrape::parse(body.lines().map(|l| Ok(l.to_owned()))).expect("valid text format");
        let ratio = |window: &str| {
            scrape
                .samples
                .iter()
                .find(|s| s.metric == "sitewatch_site_availability_ratio" && s.labels.get("window") == Some(window))
                .map(|s| match s.value {
                    prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Untyped(v) => v,
                    ref other => panic!("{other:?}"),
                })
                .unwrap_or_else(|| panic!("no ratio for {window} in\n{body}"))
        };
        assert!((ratio("24h") - 0.75).abs() < 1e-9);
        assert!((ratio("1y") - 0.75).abs() < 1e-9);
        let ten = ratio("10m");
        assert!((ten - 0.7).abs() < 1e-9 || (ten - 6.0 / 9.0).abs() < 1e-9, "7 of the last 10 checks were up: {ten}");
    }
}
