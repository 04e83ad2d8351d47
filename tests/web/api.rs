use chrono::TimeDelta;
use reqwest::blocking::RequestBuilder;
use serde_json::{Value, json};

use super::{PASSWORD, TestApp, add_user, client, fixtures, sign_in, spawn};
use crate::both_backends;

fn call(request: RequestBuilder) -> (u16, Value) {
    let r = request.send().unwrap();
    let status = r.status().as_u16();
    let body = r.text().unwrap();
    (
        status,
        if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
        },
    )
}

fn token(app: &TestApp) -> String {
    let (status, body) =
        call(client().post(app.url("/api/auth/token")).json(&json!({"username": "alice", "password": PASSWORD})));
    assert_eq!(status, 201, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

fn assert_error(status: u16, body: &Value, expected: u16, needle: &str) {
    assert_eq!(status, expected, "{body}");
    assert!(body["error"].as_str().unwrap_or_default().contains(needle), "expected `{needle}` in {body}");
}

both_backends! {
    fn every_api_route_answers_with_its_status_codes_and_shapes(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let anon = client();

        let (s, b) = call(anon.post(app.url("/api/auth/token")).json(&json!({"username": "alice", "password": "nope"})));
        assert_error(s, &b, 401, "wrong user name or password");
        let (s, b) = call(anon.post(app.url("/api/auth/token")).json(&json!({"username": "alice"})));
        assert_error(s, &b, 422, "password");
        let t = token(&app);
        let c = crate::web::plain_client();
        let with = |r: RequestBuilder| r.bearer_auth(&t);

        // Without a token every route answers 401 JSON.
        for (method, path) in [
            ("GET", "/api/groups"), ("POST", "/api/groups"), ("GET", "/api/sites"), ("POST", "/api/sites"),
            ("GET", "/api/sites/x"), ("PATCH", "/api/sites/x"), ("DELETE", "/api/sites/x"),
            ("POST", "/api/sites/x/recipients"), ("GET", "/api/sites/x/views"), ("GET", "/api/outages"),
            ("GET", "/api/outages/x"),
        ] {
            let (s, b) = call(anon.request(method.parse().unwrap(), app.url(path)).json(&json!({})));
            assert_error(s, &b, 401, "token");
        }

        // Groups.
        let (s, b) = call(with(c.post(app.url("/api/groups"))).json(&json!({"name": "Web shop"})));
        assert_eq!(s, 201, "{b}");
        assert_eq!(b["slug"], "web-shop");
        assert!(b["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());
        let (s, b) = call(with(c.post(app.url("/api/groups"))).json(&json!({"name": "web shop"})));
        assert_error(s, &b, 409, "already exists");
        let (s, b) = call(with(c.post(app.url("/api/groups"))).json(&json!({"name": "  "})));
        assert_error(s, &b, 422, "name");
        let (s, b) = call(with(c.post(app.url("/api/groups"))).header("content-type", "application/json").body("{not json"));
        assert_error(s, &b, 400, "body");
        let (s, b) = call(with(c.get(app.url("/api/groups"))));
        assert_eq!(s, 200);
        assert_eq!(b["total"], 1);
        assert_eq!(b["items"][0]["name"], "Web shop");
        assert!(b.get("page").is_some() && b.get("per_page").is_some());

        // Sites.
        let (s, b) = call(with(c.post(app.url("/api/sites"))).json(&json!({"name": "Shop", "url": "https://shop.example.com/", "group": "web-shop", "interval_secs": 120})));
        assert_eq!(s, 201, "{b}");
        let keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
        for key in ["id", "name", "slug", "url", "group", "active", "interval_secs", "status", "last_checked_at", "last_status_code", "last_error", "last_response_ms", "kind", "probes", "keyword", "keyword_absent", "tls_expires_at", "tls_days_left", "last_ping"] {
            assert!(keys.contains(&key), "site JSON has {key}: {b}");
        }
        assert_eq!((b["slug"].as_str(), b["group"].as_str(), b["interval_secs"].as_i64(), b["status"].as_str()), (Some("shop"), Some("web-shop"), Some(120), Some("unknown")));
        let (s, b) = call(with(c.post(app.url("/api/sites"))).json(&json!({"name": "Again", "url": "https://shop.example.com/", "group": "web-shop"})));
        assert_error(s, &b, 409, "already watched");
        assert_eq!(b["field"], "url", "{b}");
        let (s, b) = call(with(c.post(app.url("/api/sites"))).json(&json!({"name": "Bad", "url": "ftp://x.example.com/", "group": "web-shop"})));
        assert_error(s, &b, 422, "url");
        assert_eq!(b["field"], "url", "a refused field is named for scripts: {b}");
        let (s, b) = call(with(c.post(app.url("/api/sites"))).json(&json!({"name": "", "url": "https://empty.example.com/"})));
        assert_error(s, &b, 422, "name");
        assert_eq!(b["field"], "name", "an explicitly empty name is refused, not defaulted: {b}");
        let (s, b) = call(with(c.post(app.url("/api/sites"))).json(&json!({"name": "Lost", "url": "https://lost.example.com/", "group": "nope"})));
        assert_error(s, &b, 422, "there is no group `nope`");
        let (s, b) = call(with(c.post(app.url("/api/sites"))).json(&json!({"url": "https://blog.example.com/"})));
        assert_eq!((s, b["name"].as_str(), b["group"].as_str()), (201, Some("blog.example.com"), Some("default")), "{b}");
        let (s, b) = call(with(c.get(app.url("/api/sites"))));
        assert_eq!((s, b["total"].as_i64()), (200, Some(2)));

        let (s, b) = call(with(c.get(app.url("/api/sites/shop"))));
        assert_eq!((s, b["url"].as_str()), (200, Some("https://shop.example.com/")));
        let (s, b) = call(with(c.get(app.url("/api/sites/nope"))));
        assert_error(s, &b, 404, "no site");

        let (s, b) = call(with(c.patch(app.url("/api/sites/shop"))).json(&json!({"name": "Shop front", "active": false, "interval_secs": null, "group": "default"})));
        assert_eq!(s, 200, "{b}");
        assert_eq!((b["name"].as_str(), b["status"].as_str(), b["active"].as_bool(), b["group"].as_str()), (Some("Shop front"), Some("paused"), Some(false), Some("default")));
        assert!(b["interval_secs"].is_null(), "null clears the interval");
        assert_eq!(b["slug"], "shop", "the slug stays");
        let (s, b) = call(with(c.patch(app.url("/api/sites/shop"))).json(&json!({"interval_secs": 0})));
        assert_error(s, &b, 422, "interval_secs");
        let (s, b) = call(with(c.patch(app.url("/api/sites/shop"))).json(&json!({"slug": "other"})));
        assert_error(s, &b, 422, "unknown field");
        let (s, b) = call(with(c.patch(app.url("/api/sites/shop"))).json(&json!({"url": "https://blog.example.com/"})));
        assert_error(s, &b, 409, "already watched");
        let (s, b) = call(with(c.patch(app.url("/api/sites/nope"))).json(&json!({"active": true})));
        assert_error(s, &b, 404, "no site");

        // Recipients.
        let (s, b) = call(with(c.post(app.url("/api/sites/shop/recipients"))).json(&json!({"email": "ops@example.com"})));
        assert_eq!((s, b["address"].as_str(), b["kind"].as_str(), b["site"].as_str()), (201, Some("ops@example.com"), Some("email"), Some("shop")), "{b}");
        let (s, b) = call(with(c.post(app.url("/api/sites/shop/recipients"))).json(&json!({"phone": "+44 7700 900123"})));
        assert_eq!((s, b["address"].as_str(), b["kind"].as_str()), (201, Some("+447700900123"), Some("phone")), "{b}");
        let (s, b) = call(with(c.post(app.url("/api/sites/shop/recipients"))).json(&json!({"phone": "12"})));
        assert_error(s, &b, 422, "phone number");
        assert_eq!(b["field"], "phone", "{b}");
        let (s, b) = call(with(c.post(app.url("/api/sites/shop/recipients"))).json(&json!({"email": "OPS@example.com"})));
        assert_error(s, &b, 409, "already receives");
        let (s, b) = call(with(c.post(app.url("/api/sites/shop/recipients"))).json(&json!({"email": "not an address"})));
        assert_error(s, &b, 422, "e-mail");

        // Views, with time bounds.
        let shop = sitewatch::db::models::site::Site::by_slug(&mut app.db.conn().unwrap(), "shop").unwrap();
        let now = fixtures::now();
        fixtures::checks(&app.db, &shop, now, 12, 0);
        let (s, b) = call(with(c.get(app.url("/api/sites/shop/views?per_page=5"))));
        assert_eq!((s, b["total"].as_i64(), b["items"].as_array().map(Vec::len)), (200, Some(12), Some(5)));
        let view = b["items"][0].as_object().unwrap();
        let mut keys: Vec<&str> = view.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["checked_at", "error", "maintenance", "ping", "response_ms", "status_code", "up"]);
        assert!(b["items"][0]["checked_at"].as_str().unwrap().ends_with('Z'), "RFC 3339 UTC");
        let since = sitewatch::domain::time::rfc3339(now - TimeDelta::minutes(3));
        let until = sitewatch::domain::time::rfc3339(now);
        let (s, b) = call(with(c.get(app.url("/api/sites/shop/views")).query(&[("since", since.as_str()), ("until", until.as_str())])));
        assert_eq!((s, b["total"].as_i64()), (200, Some(3)), "{b}");
        let (s, b) = call(with(c.get(app.url("/api/sites/shop/views?since=yesterday"))));
        assert_error(s, &b, 400, "RFC 3339");
        let (s, b) = call(with(c.get(app.url("/api/sites/nope/views"))));
        assert_error(s, &b, 404, "no site");

        // Outages.
        let outage = fixtures::outage(&app.db, &[&shop], now - TimeDelta::hours(1), Some(now));
        let (s, b) = call(with(c.get(app.url("/api/outages"))));
        assert_eq!((s, b["total"].as_i64()), (200, Some(1)));
        let (s, b) = call(with(c.get(app.url(&format!("/api/outages/{}", outage.id)))));
        assert_eq!(s, 200);
        assert_eq!(b["id"], outage.id.to_string());
        assert!(b["resolved_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(b["sites"][0]["slug"], "shop");
        assert!(b["sites"][0]["up_at"].is_string() && b["sites"][0]["down_at"].is_string());
        let (s, b) = call(with(c.get(app.url("/api/outages/3f1c2d4e-0000-4000-8000-000000000000"))));
        assert_error(s, &b, 404, "no outage");
        let (s, b) = call(with(c.get(app.url("/api/outages/not-a-uuid"))));
        assert_error(s, &b, 404, "no outage");

        // Delete.
        let (s, _) = call(with(c.delete(app.url("/api/sites/shop"))));
        assert_eq!(s, 204);
        let (s, b) = call(with(c.delete(app.url("/api/sites/shop"))));
        assert_error(s, &b, 404, "no site");

        // A signed-in browser session works on JSON routes too.
        let browser = client();
        sign_in(&app, &browser, "alice");
        let (s, b) = call(browser.get(app.url("/api/sites")));
        assert_eq!((s, b["total"].as_i64()), (200, Some(1)));
    }

    fn the_openapi_document_describes_every_route_and_shape(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let t = token(&app);
        let (s, doc) = call(crate::web::plain_client().get(app.url("/api/openapi.json")).bearer_auth(&t));
        assert_eq!(s, 200);
        assert!(doc["openapi"].as_str().unwrap().starts_with('3'));
        let paths = doc["paths"].as_object().unwrap();
        for (path, methods) in [
            ("/api/auth/token", &["post"][..]),
            ("/api/groups", &["get", "post"]),
            ("/api/sites", &["get", "post"]),
            ("/api/sites/{slug}", &["get", "patch", "delete"]),
            ("/api/sites/{slug}/recipients", &["post"]),
            ("/api/sites/{slug}/views", &["get"]),
            ("/api/outages", &["get"]),
            ("/api/outages/{id}", &["get"]),
        ] {
            for method in methods {
                assert!(paths.get(path).and_then(|p| p.get(*method)).is_some(), "{method} {path} is documented");
            }
        }
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in ["SiteJson", "GroupJson", "ViewJson", "OutageJson", "ErrorJson"] {
            assert!(schemas.contains_key(name), "schema {name}");
        }
        let site_props = schemas["SiteJson"]["properties"].as_object().unwrap();
        assert!(site_props.contains_key("last_response_ms") && site_props.contains_key("status"));
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    }
}
