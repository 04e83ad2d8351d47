use chrono::TimeDelta;

use super::{add_user, client, fixtures, sign_in, spawn, text};
use crate::both_backends;

both_backends! {
    /// page starts at 1 and per_page is 1..=100: anything else is a 400 that says why; a page
    /// past the end is an empty page with the true total.
    fn pagination_edges_answer_clearly(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let g = fixtures::group(&app.db, "Web", "web");
        let shop = fixtures::site(&app.db, &g, "Shop", "https://shop.example.com/");
        let views = fixtures::checks(&app.db, &shop, fixtures::now(), 25, 0);
        for i in 0..30 {
            let start = fixtures::now() - TimeDelta::days(40 - i);
            fixtures::outage(&app.db, &[&shop], start, Some(start + TimeDelta::minutes(5)));
        }
        let c = client();
        sign_in(&app, &c, "alice");
        let get = |path: &str| c.get(app.url(path)).send().unwrap();

        let first: serde_json::Value = get("/sites/shop/data.json").json().unwrap();
        assert_eq!(first["page"], 1);
        assert_eq!(first["per_page"], 10, "10 per page by default");
        assert_eq!(first["total"], 25);
        assert_eq!(first["items"].as_array().unwrap().len(), 10);
        let newest = sitewatch::domain::time::rfc3339(views.last().unwrap().checked_at);
        assert_eq!(first["items"][0]["checked_at"], newest.as_str(), "newest first");
        let last: serde_json::Value = get("/sites/shop/data.json?page=3").json().unwrap();
        assert_eq!(last["items"].as_array().unwrap().len(), 5);
        let past: serde_json::Value = get("/sites/shop/data.json?page=4").json().unwrap();
        assert_eq!(past["items"].as_array().unwrap().len(), 0, "past the end is empty");
        assert_eq!(past["total"], 25);
        let all: serde_json::Value = get("/sites/shop/data.json?per_page=100").json().unwrap();
        assert_eq!(all["items"].as_array().unwrap().len(), 25);

        for (path, needle) in [
            ("/sites/shop/data.json?page=0", "page"),
            ("/sites/shop/data.json?page=-1", "page"),
            ("/sites/shop/data.json?per_page=101", "per_page"),
            ("/sites/shop/data.json?per_page=0", "per_page"),
            ("/sites/shop/data.json?page=abc", "query"),
            ("/api/outages?page=0", "page"),
            ("/api/sites?per_page=1000", "per_page"),
        ] {
            let r = get(path);
            assert_eq!(r.status(), 400, "{path}");
            let body: serde_json::Value = r.json().unwrap();
            assert!(body["error"].as_str().unwrap().contains(needle), "{path}: {body}");
        }

        let outages = text(get("/outages"));
        assert!(outages.contains("Page 1 of 2 · 30 in all"), "{outages}");
        assert_eq!(outages.matches("href=\"/outages/").count(), 25, "25 a page");
        let second = text(get("/outages?page=2"));
        assert_eq!(second.matches("href=\"/outages/").count(), 5);
        let beyond = get("/outages?page=9");
        assert_eq!(beyond.status(), 200);
        let beyond = text(beyond);
        assert!(beyond.contains("No outages on this page") && beyond.contains("href=\"/outages?page=2\""), "{beyond}");
        let zero = get("/outages?page=0");
        assert_eq!(zero.status(), 400);
        let zero = text(zero);
        assert!(zero.contains("<html") && zero.contains("page must be a whole number from 1"), "an HTML error page: {zero}");

        let api: serde_json::Value = get("/api/outages?page=2").json().unwrap();
        assert_eq!(api["items"].as_array().unwrap().len(), 5);
        assert_eq!(api["total"], 30);
    }
}
