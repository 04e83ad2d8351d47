//! Maintenance windows and public groups through the admin pages and the JSON API, and the
//! windows as the dashboard and the status page show them.

use serde_json::{Value, json};

use super::{PASSWORD, add_user, client, form_token, plain_client, sign_in, spawn, text};
use crate::both_backends;

both_backends! {
    fn windows_are_added_listed_and_removed_from_the_admin_pages_and_the_api(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let c = client();
        sign_in(&app, &c, "alice");
        let post = |path: &str, fields: &[(&str, &str)]| {
            let token = form_token(&app, &c, path);
            let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
            form.extend_from_slice(fields);
            c.post(app.url(path)).form(&form).send().unwrap()
        };
        assert_eq!(post("/admin/groups/new", &[("name", "Web"), ("public", "on")]).status(), 303);
        assert!(text(c.get(app.url("/admin/groups/web/edit")).send().unwrap()).contains("name=\"public\" value=\"on\" checked"));
        assert_eq!(post("/admin/sites/new", &[("url", "https://shop.example.com/"), ("name", "Shop"), ("group", "web")]).status(), 303);

        let r = post("/admin/maintenance", &[("scope", "site:shop"), ("start", "now"), ("end", "soon")]);
        assert_eq!(r.status(), 422);
        assert!(text(r).contains("is not a time"), "the error is shown beside the field");
        let r = post("/admin/maintenance", &[("scope", "site:shop"), ("start", "+1h"), ("end", "+3h"), ("note", "Disk swap")]);
        assert_eq!(r.status(), 303);
        let page = text(c.get(app.url("/admin/maintenance")).send().unwrap());
        assert!(page.contains("site Shop") && page.contains("Disk swap"), "{page}");
        let dashboard = text(c.get(app.url("/")).send().unwrap());
        assert!(dashboard.contains("Maintenance scheduled") && dashboard.contains("Disk swap"), "{dashboard}");
        let status = text(plain_client().get(app.url("/status")).send().unwrap());
        assert!(status.contains("Scheduled") && status.contains("Disk swap"), "upcoming windows are public: {status}");

        let token: Value = plain_client()
            .post(app.url("/api/auth/token"))
            .json(&json!({"username": "alice", "password": PASSWORD}))
            .send()
            .unwrap()
            .json()
            .unwrap();
        let token = token["token"].as_str().unwrap().to_owned();
        let api = |method: reqwest::Method, path: &str| plain_client().request(method, app.url(path)).bearer_auth(&token);
        let created = api(reqwest::Method::POST, "/api/maintenance")
            .json(&json!({"group": "web", "weekly": "sun 02:00", "duration": "2h", "note": "Weekly"}))
            .send()
            .unwrap();
        assert_eq!(created.status(), 201);
        let created: Value = created.json().unwrap();
        assert_eq!((created["cron"].as_str(), created["duration_secs"].as_i64()), (Some("0 2 * * SUN"), Some(7200)));
        assert_eq!(created["next"].as_array().unwrap().len(), 3);
        let bad = api(reqwest::Method::POST, "/api/maintenance").json(&json!({"group": "web", "cron": "0 2 * * *"})).send().unwrap();
        assert_eq!(bad.status(), 422);
        assert_eq!(bad.json::<Value>().unwrap()["field"], "duration");
        let list: Value = api(reqwest::Method::GET, "/api/maintenance").send().unwrap().json().unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 2);
        let id = created["id"].as_str().unwrap();
        assert_eq!(api(reqwest::Method::DELETE, &format!("/api/maintenance/{id}")).send().unwrap().status(), 204);
        assert_eq!(api(reqwest::Method::DELETE, &format!("/api/maintenance/{id}")).send().unwrap().status(), 404);
        assert_eq!(plain_client().get(app.url("/api/maintenance")).send().unwrap().status(), 401);
    }
}
