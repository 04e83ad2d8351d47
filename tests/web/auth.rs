use diesel::prelude::*;
use sitewatch::db::schema::login_failures;

use super::{PASSWORD, add_user, client, csrf, fixtures, form_token, sign_in, spawn, text};
use crate::both_backends;

both_backends! {
    fn anonymous_browsers_go_to_login_and_scripts_get_401(db) {
        let app = spawn(db);
        let c = client();
        let r = c.get(app.url("/")).send().unwrap();
        assert_eq!(r.status(), 302);
        assert_eq!(r.headers()["location"], "/login?next=%2F");
        let r = c.get(app.url("/sites/shop?page=2")).send().unwrap();
        assert_eq!(r.headers()["location"], "/login?next=%2Fsites%2Fshop%3Fpage%3D2");
        for path in ["/api/sites", "/sites/shop/data.json", "/metrics", "/api/openapi.json"] {
            let r = c.get(app.url(path)).send().unwrap();
            assert_eq!(r.status(), 401, "{path}");
            let body: serde_json::Value = r.json().unwrap();
            assert!(body["error"].as_str().unwrap().contains("Bearer"), "{path}: {body}");
        }
        let r = c.get(app.url("/api/sites")).bearer_auth("swt_not-a-token").send().unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(c.get(app.url("/healthz")).send().unwrap().status(), 200);
        let css = c.get(app.url("/static/style.css")).send().unwrap();
        assert_eq!(css.status(), 200);
        assert!(text(css).contains("prefers-color-scheme"));
        assert_eq!(c.get(app.url("/login")).send().unwrap().status(), 200);
    }

    fn wrong_password_shows_the_form_again_and_the_right_one_opens_the_dashboard(db) {
        add_user(&db.open(), "alice");
        let app = spawn(db);
        let g = fixtures::group(&app.db, "Web shop", "shop");
        fixtures::site(&app.db, &g, "Shop front", "https://shop.example.com/");
        let c = client();
        let token = form_token(&app, &c, "/login?next=/outages");
        let r = c
            .post(app.url("/login"))
            .form(&[("csrf_token", token.as_str()), ("username", "alice"), ("password", "wrong password"), ("next", "/outages")])
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        let page = text(r);
        assert!(page.contains("wrong user name or password"), "{page}");
        assert!(page.contains("name=\"password\""), "the form is shown again");
        assert!(page.contains("value=\"alice\""), "the user name is kept");

        let r = c
            .post(app.url("/login"))
            .form(&[("csrf_token", csrf(&page).as_str()), ("username", "alice"), ("password", PASSWORD), ("next", "/outages")])
            .send()
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/outages");
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http public_url: no Secure flag: {cookie}");

        let dashboard = text(c.get(app.url("/")).send().unwrap());
        assert!(dashboard.contains("Shop front") && dashboard.contains("Web shop"), "{dashboard}");

        // `next` never leads off the site.
        let c2 = client();
        let token = form_token(&app, &c2, "/login");
        let r = c2
            .post(app.url("/login"))
            .form(&[("csrf_token", token.as_str()), ("username", "alice"), ("password", PASSWORD), ("next", "//evil.example/")])
            .send()
            .unwrap();
        assert_eq!(r.headers()["location"], "/");
    }

    fn a_post_without_its_csrf_token_is_refused(db) {
        add_user(&db.open(), "alice");
        let app = spawn(db);
        let c = client();
        c.get(app.url("/login")).send().unwrap();
        let r = c.post(app.url("/login")).form(&[("username", "alice"), ("password", PASSWORD)]).send().unwrap();
        assert_eq!(r.status(), 403);
        let r = c
            .post(app.url("/login"))
            .form(&[("csrf_token", "forged"), ("username", "alice"), ("password", PASSWORD)])
            .send()
            .unwrap();
        assert_eq!(r.status(), 403);

        sign_in(&app, &c, "alice");
        let r = c.post(app.url("/admin/groups/new")).form(&[("name", "Sneaky")]).send().unwrap();
        assert_eq!(r.status(), 403);
        assert!(text(r).contains("security token"));
        let r = c.post(app.url("/logout")).send().unwrap();
        assert_eq!(r.status(), 403, "logout needs the token too");
        let groups: serde_json::Value = c.get(app.url("/api/groups")).send().unwrap().json().unwrap();
        assert_eq!(groups["total"], 0, "nothing was created");
    }

    fn the_sixth_failed_login_within_the_window_answers_429(db) {
        add_user(&db.open(), "alice");
        let app = spawn(db);
        let c = client();
        let try_login = |user: &str, password: &str| {
            let token = form_token(&app, &c, "/login");
            c.post(app.url("/login"))
                .form(&[("csrf_token", token.as_str()), ("username", user), ("password", password), ("next", "/")])
                .send()
                .unwrap()
        };
        for attempt in 1..=5 {
            assert_eq!(try_login("alice", "guess").status(), 200, "failure {attempt} shows the form");
        }
        let r = try_login("alice", PASSWORD);
        assert_eq!(r.status(), 429, "the right password does not help once locked");
        let retry: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry), "{retry}");
        assert!(text(r).contains("too many failed sign-ins"));
        // The address is locked too, whichever name it tries.
        assert_eq!(try_login("bob", "guess").status(), 429);
        // And the API shares the limit.
        let r = c.post(app.url("/api/auth/token")).json(&serde_json::json!({"username": "alice", "password": PASSWORD})).send().unwrap();
        assert_eq!(r.status(), 429);

        // Failures live in the database, so a second server sharing it agrees.
        let other = spawn(db);
        let token = form_token(&other, &c, "/login");
        let r = c
            .post(other.url("/login"))
            .form(&[("csrf_token", token.as_str()), ("username", "alice"), ("password", PASSWORD), ("next", "/")])
            .send()
            .unwrap();
        assert_eq!(r.status(), 429);

        // Once the failures are older than the window, signing in works again.
        let mut conn = app.db.conn().unwrap();
        let old = fixtures::now() - chrono::TimeDelta::minutes(16);
        diesel::update(login_failures::table).set(login_failures::failed_at.eq(old)).execute(&mut conn).unwrap();
        assert_eq!(try_login("alice", PASSWORD).status(), 303);
    }

    fn logout_is_a_post_and_ends_the_session(db) {
        add_user(&db.open(), "alice");
        let app = spawn(db);
        let c = client();
        sign_in(&app, &c, "alice");
        let page = c.get(app.url("/logout")).send().unwrap();
        assert_eq!(page.status(), 200, "GET only asks");
        assert_eq!(c.get(app.url("/outages")).send().unwrap().status(), 200, "still signed in");
        let token = csrf(&text(page));
        let r = c.post(app.url("/logout")).form(&[("csrf_token", token.as_str())]).send().unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(c.get(app.url("/outages")).send().unwrap().status(), 302);
    }

    fn the_setup_link_lets_the_first_admin_choose_a_password_once(db) {
        let app = spawn(db);
        let link = app.setup_link.clone().expect("a setup link when no user exists");
        let path = link.split_once("/setup/").map(|(_, t)| format!("/setup/{t}")).unwrap();
        let c = client();
        let login = text(c.get(app.url("/login")).send().unwrap());
        assert!(login.contains("one-time setup link") && login.contains("sitewatch user add"), "a fresh install says where the first user comes from: {login}");
        let token = form_token(&app, &c, &path);
        assert_eq!(c.get(app.url("/setup/wrong-token")).send().unwrap().status(), 404);
        let r = c
            .post(app.url(&path))
            .form(&[("csrf_token", token.as_str()), ("username", "root"), ("password", "longenough1"), ("password_again", "different1")])
            .send()
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(text(r).contains("the two passwords differ"));
        let r = c
            .post(app.url(&path))
            .form(&[("csrf_token", token.as_str()), ("username", "root"), ("password", "longenough1"), ("password_again", "longenough1")])
            .send()
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(c.get(app.url("/")).send().unwrap().status(), 200, "signed in as the new admin");
        assert_eq!(client().get(app.url(&path)).send().unwrap().status(), 404, "the link works once");
        assert!(!text(client().get(app.url("/login")).send().unwrap()).contains("one-time setup link"), "no hint once a user exists");
        // A restart with a user prints no link.
        drop(app);
        assert!(spawn(db).setup_link.is_none());
    }
}
