//! Odd input everywhere: NUL bytes, very long text, impossible numbers, in every body, path and
//! query string. Each is answered 4xx (never 5xx) on both backends, and nothing is stored.

use reqwest::blocking::RequestBuilder;
use serde_json::{Value, json};

use super::{PASSWORD, add_user, client, csrf, fixtures, sign_in, spawn, text};
use crate::both_backends;
use crate::harness::snapshot;

fn status(request: RequestBuilder) -> (u16, String) {
    let response = request.send().unwrap();
    let status = response.status().as_u16();
    (status, text(response))
}

fn odd_texts() -> Vec<String> {
    vec!["ad\u{0}min".to_owned(), "x".repeat(20_000), "\u{7f}\u{1b}".to_owned()]
}

/// A line break: refused in one-line fields (names, URLs), allowed in descriptions and keywords.
const LINE_BREAK: &str = "line\nbreak";

fn odd_numbers() -> Vec<Value> {
    vec![json!(-5), json!(0), json!(i64::MAX), json!(1e300), json!(2.5), json!("ten")]
}

both_backends! {
    fn the_api_answers_odd_input_with_4xx_and_stores_nothing(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let web = fixtures::group(&app.db, "Web", "web");
        fixtures::site(&app.db, &web, "Shop", "https://shop.example.com/");
        let token = {
            let (s, body) = status(client().post(app.url("/api/auth/token")).json(&json!({"username": "alice", "password": PASSWORD})));
            assert_eq!(s, 201, "{body}");
            serde_json::from_str::<Value>(&body).unwrap()["token"].as_str().unwrap().to_owned()
        };
        let c = crate::web::plain_client_without_redirects();
        let authed = |r: RequestBuilder| r.bearer_auth(&token);
        // The token's first use is recorded; later ones within a minute write nothing.
        assert_eq!(status(authed(c.get(app.url("/api/sites")))).0, 200);
        let before = snapshot(db);
        let mut cases: Vec<(String, RequestBuilder)> = Vec::new();
        for t in odd_texts() {
            cases.push(("token username".into(), client().post(app.url("/api/auth/token")).json(&json!({"username": t, "password": t}))));
            cases.push(("group name".into(), authed(c.post(app.url("/api/groups"))).json(&json!({"name": t}))));
            cases.push(("group description".into(), authed(c.post(app.url("/api/groups"))).json(&json!({"name": "G", "description": t}))));
            for field in ["name", "url", "group", "slug", "keyword"] {
                let mut body = json!({"url": "https://new.example.com/"});
                body[field] = json!(t);
                cases.push((format!("site {field}"), authed(c.post(app.url("/api/sites"))).json(&body)));
                cases.push((format!("change {field}"), authed(c.patch(app.url("/api/sites/shop"))).json(&json!({field: t}))));
            }
            cases.push(("recipient".into(), authed(c.post(app.url("/api/sites/shop/recipients"))).json(&json!({"email": t}))));
            cases.push(("views since".into(), authed(c.get(app.url("/api/sites/shop/views"))).query(&[("since", t.as_str())])));
        }
        for field in ["name", "url", "group", "slug"] {
            let mut body = json!({"url": "https://new.example.com/"});
            body[field] = json!(LINE_BREAK);
            cases.push((format!("site {field} with a line break"), authed(c.post(app.url("/api/sites"))).json(&body)));
        }
        for n in odd_numbers() {
            cases.push(("interval".into(), authed(c.post(app.url("/api/sites"))).json(&json!({"url": "https://n.example.com/", "interval_secs": n}))));
            cases.push(("probes".into(), authed(c.post(app.url("/api/sites"))).json(&json!({"url": "ping://n.example.com", "probes": n}))));
            if n != json!(-5) && n != json!(0) {
                cases.push(("order".into(), authed(c.post(app.url("/api/groups"))).json(&json!({"name": "N", "display_order": n}))));
            }
            cases.push(("page".into(), authed(c.get(app.url("/api/sites"))).query(&[("page", n.to_string())])));
            cases.push(("per_page".into(), authed(c.get(app.url("/api/outages"))).query(&[("per_page", n.to_string())])));
        }
        for path in ["/api/sites/%00", "/api/sites/a%00b/views", "/sites/%00", "/groups/%0a", "/api/outages/%00", "/api/outages/not-an-id"] {
            cases.push((format!("path {path}"), authed(c.get(app.url(path)))));
        }
        let long_slug = "s".repeat(5_000);
        cases.push(("long path".into(), authed(c.get(app.url(&format!("/api/sites/{long_slug}"))))));
        cases.push(("huge body".into(), authed(c.post(app.url("/api/sites"))).header("content-type", "application/json").body(format!("{{\"url\": \"{}\"}}", "u".repeat(5_000_000)))));

        for (what, request) in cases {
            let (s, body) = status(request);
            assert!((400..500).contains(&s), "{what}: {s} {body}");
        }
        assert_eq!(snapshot(db), before, "nothing odd was stored");
    }

    fn the_forms_answer_odd_input_with_4xx_and_store_nothing(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let c = client();
        for t in odd_texts() {
            let page = text(c.get(app.url("/login")).send().unwrap());
            let (s, _) = status(c.post(app.url("/login")).form(&[("csrf_token", csrf(&page).as_str()), ("username", t.as_str()), ("password", t.as_str()), ("next", "/")]));
            assert!(s < 500 && s != 303, "login with {:?}: {s}", &t[..t.len().min(8)]);
        }
        sign_in(&app, &c, "alice");
        let before = snapshot(db);
        for t in odd_texts() {
            for (path, fields) in [
                ("/admin/groups/new", vec![("name", t.as_str())]),
                ("/admin/groups/new", vec![("name", "G"), ("description", t.as_str())]),
                ("/admin/sites/new", vec![("url", t.as_str())]),
                ("/admin/sites/new", vec![("url", "https://n.example.com/"), ("name", t.as_str())]),
                ("/admin/sites/new", vec![("url", "https://n.example.com/"), ("keyword", t.as_str())]),
                ("/admin/sites/new", vec![("url", "https://n.example.com/"), ("interval_secs", t.as_str())]),
                ("/admin/recipients/new", vec![("address", t.as_str()), ("scope", "all")]),
                ("/admin/recipients/new", vec![("address", "ops@example.com"), ("scope", t.as_str())]),
                ("/admin/users/new", vec![("username", t.as_str()), ("password", PASSWORD), ("password_again", PASSWORD)]),
                ("/admin/tokens/new", vec![("user", t.as_str()), ("label", "x")]),
                ("/admin/tokens/new", vec![("user", "alice"), ("label", t.as_str())]),
            ] {
                let token = csrf(&text(c.get(app.url(path)).send().unwrap()));
                let mut form = fields.clone();
                form.push(("csrf_token", token.as_str()));
                let (s, body) = status(c.post(app.url(path)).form(&form));
                assert!((400..500).contains(&s), "{path} {:?}: {s} {}", fields.iter().map(|(k, _)| *k).collect::<Vec<_>>(), &body[..body.len().min(300)]);
            }
        }
        assert_eq!(snapshot(db), before, "nothing odd was stored");
    }
}
