//! Sessions end for good: a cookie copied before sign-out, a new password, a revocation or a
//! long idle stretch no longer opens anything.

use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::blocking::Client;
use sitewatch::db::schema::{api_tokens, login_sessions};

use super::{TestApp, add_user, client, csrf, sign_in, spawn, text};
use crate::both_backends;
use crate::harness::{Backend, sw, wait_until};

/// Signs in and returns the session cookie exactly as the browser received it.
fn signed_in_cookie(app: &TestApp, name: &str) -> (Client, String) {
    let c = client();
    let page = text(c.get(app.url("/login")).send().unwrap());
    let response = c
        .post(app.url("/login"))
        .form(&[("csrf_token", csrf(&page).as_str()), ("username", name), ("password", super::PASSWORD), ("next", "/")])
        .send()
        .unwrap();
    assert_eq!(response.status(), 303);
    let set = response.headers()["set-cookie"].to_str().unwrap();
    (c, set.split(';').next().unwrap().to_owned())
}

/// What a copy of the cookie gets: the dashboard's status and the API's.
fn with_copy(app: &TestApp, cookie: &str) -> (u16, u16) {
    let plain = crate::web::plain_client_without_redirects();
    let page = plain.get(app.url("/")).header("cookie", cookie).send().unwrap().status().as_u16();
    let api = plain.get(app.url("/api/sites")).header("cookie", cookie).send().unwrap().status().as_u16();
    (page, api)
}

both_backends! {
    fn signing_out_ends_the_session_wherever_its_cookie_was_copied(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let (browser, cookie) = signed_in_cookie(&app, "alice");
        assert_eq!(with_copy(&app, &cookie), (200, 200), "the copy works while the session lasts");
        let token = csrf(&text(browser.get(app.url("/logout")).send().unwrap()));
        assert_eq!(browser.post(app.url("/logout")).form(&[("csrf_token", token.as_str())]).send().unwrap().status(), 303);
        assert_eq!(with_copy(&app, &cookie), (302, 401));
    }

    fn a_new_password_or_a_revocation_ends_every_session_of_the_user(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        add_user(&app.db, "bob");
        let (_, first) = signed_in_cookie(&app, "alice");
        let (_, bobs) = signed_in_cookie(&app, "bob");
        sw(db, &["user", "passwd", "alice", "--password-stdin"]).stdin("a brand new one\n").ok();
        assert_eq!(with_copy(&app, &first), (302, 401), "a cookie from before the new password");
        assert_eq!(with_copy(&app, &bobs), (200, 200), "other users stay signed in");

        let listed = sw(db, &["user", "sessions", "bob", "--json"]).run().json();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
        assert!(listed[0]["client"].as_str().unwrap().contains("from 127.0.0.1"), "{listed}");
        let out = sw(db, &["user", "sessions", "bob", "--revoke"]).ok();
        assert!(out.contains("Ended 1 session"), "{out}");
        assert_eq!(with_copy(&app, &bobs), (302, 401));
        let none = sw(db, &["user", "sessions", "bob"]).ok();
        assert!(none.contains("no session"), "{none}");
    }

    fn a_session_unused_for_session_days_ends(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let (_, cookie) = signed_in_cookie(&app, "alice");
        let mut conn = app.db.conn().unwrap();
        let recent = sitewatch::domain::time::now_utc() - TimeDelta::days(13);
        diesel::update(login_sessions::table).set(login_sessions::last_seen_at.eq(recent)).execute(&mut *conn).unwrap();
        assert_eq!(with_copy(&app, &cookie), (200, 200), "13 idle days are within the default 14");
        // The use just made is written in the background; wait for it before ageing the session.
        wait_until("the use is noted", Duration::from_secs(20), || {
            let seen: NaiveDateTime =
                login_sessions::table.select(login_sessions::last_seen_at).first(&mut *conn).unwrap();
            seen > recent
        });
        let stale = sitewatch::domain::time::now_utc() - TimeDelta::days(15);
        diesel::update(login_sessions::table).set(login_sessions::last_seen_at.eq(stale)).execute(&mut *conn).unwrap();
        assert_eq!(with_copy(&app, &cookie), (302, 401));
        let left: i64 = login_sessions::table.count().get_result(&mut *conn).unwrap();
        assert_eq!(left, 0, "an expired session is deleted when it is next presented");
    }
}

both_backends! {
    /// While another writer holds the database (on SQLite a round of `check` holds the write
    /// lock for each batch), signed-in requests and API calls answer at once; the sessions's
    /// and the token's last use are written once the database is free.
    fn last_use_is_written_in_the_background_never_on_the_request_path(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let (_, cookie) = signed_in_cookie(&app, "alice");
        let token = sw(db, &["token", "add", "alice", "--label", "deploy"]).ok().trim().to_owned();
        let mut conn = app.db.conn().unwrap();
        let long_ago = sitewatch::domain::time::now_utc() - TimeDelta::minutes(5);
        diesel::update(login_sessions::table).set(login_sessions::last_seen_at.eq(long_ago)).execute(&mut *conn).unwrap();

        let mut holder = app.db.conn().unwrap();
        let hold = match db.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN; SELECT 1 FROM login_sessions FOR UPDATE; SELECT 1 FROM api_tokens FOR UPDATE",
        };
        holder.batch_execute(hold).unwrap();
        // Waiting for the lock would take SQLite's busy timeout (10 s) or, on PostgreSQL, for ever.
        let impatient = reqwest::blocking::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
        let page = impatient.get(app.url("/api/sites")).header("cookie", &cookie).send().unwrap();
        assert_eq!(page.status(), 200, "a signed-in request while the database is held");
        let api = impatient.get(app.url("/api/sites")).bearer_auth(&token).send().unwrap();
        assert_eq!(api.status(), 200, "an API call while the database is held");
        let marks = |conn: &mut sitewatch::db::DbConnection| {
            let seen: NaiveDateTime = login_sessions::table.select(login_sessions::last_seen_at).first(conn).unwrap();
            let used: Option<NaiveDateTime> = api_tokens::table.select(api_tokens::last_used_at).first(conn).unwrap();
            (seen, used)
        };
        assert_eq!(marks(&mut conn), (long_ago, None), "nothing is written while the database is held");

        holder.batch_execute("COMMIT").unwrap();
        wait_until("the last uses are written", Duration::from_secs(20), || {
            let (seen, used) = marks(&mut conn);
            seen > long_ago && used.is_some()
        });
    }
}

#[test]
fn signing_in_twice_gives_two_sessions_and_the_old_login_keeps_working() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    let app = spawn(&db);
    add_user(&app.db, "alice");
    let phone = client();
    sign_in(&app, &phone, "alice");
    let (_, laptop) = signed_in_cookie(&app, "alice");
    assert_eq!(phone.get(app.url("/api/sites")).send().unwrap().status(), 200);
    assert_eq!(with_copy(&app, &laptop), (200, 200));
}

both_backends! {
    /// A page on another site can make a browser send its cookie, but not a CSRF token or a
    /// same-origin `Sec-Fetch-Site`: such a write is refused.
    fn a_json_write_with_only_a_session_cookie_is_refused(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        let web = crate::web::fixtures::group(&app.db, "Web", "web");
        for slug in ["a", "b", "c", "d"] {
            crate::web::fixtures::site(&app.db, &web, slug, &format!("https://{slug}.example.com/"));
        }
        let (browser, cookie) = signed_in_cookie(&app, "alice");
        let plain = crate::web::plain_client_without_redirects();
        let delete = |slug: &str| plain.delete(app.url(&format!("/api/sites/{slug}"))).header("cookie", &cookie);

        let r = delete("a").send().unwrap();
        assert_eq!(r.status(), 403, "a cookie alone");
        assert!(text(r).contains("X-CSRF-Token"));
        assert_eq!(delete("a").header("origin", "https://evil.example").send().unwrap().status(), 403);
        assert_eq!(delete("a").header("sec-fetch-site", "cross-site").send().unwrap().status(), 403);

        assert_eq!(delete("a").header("sec-fetch-site", "same-origin").send().unwrap().status(), 204);
        let token = csrf(&text(browser.get(app.url("/logout")).send().unwrap()));
        assert_eq!(delete("b").header("x-csrf-token", &token).send().unwrap().status(), 204);
        assert_eq!(delete("c").header("x-csrf-token", "0123").send().unwrap().status(), 403, "a wrong token");
        assert_eq!(delete("c").header("origin", app.base.as_str()).send().unwrap().status(), 204, "our own origin");
        assert_eq!(plain.get(app.url("/api/sites/d")).header("cookie", &cookie).send().unwrap().status(), 200, "reads need no proof");
    }
}

#[test]
fn every_page_says_it_may_not_be_framed_and_loads_only_its_own_resources() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    let app = spawn(&db);
    for path in ["/login", "/healthz", "/", "/api/sites", "/static/style.css", "/nowhere"] {
        let r = crate::web::plain_client_without_redirects().get(app.url(path)).send().unwrap();
        let h = r.headers();
        let csp = h.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{path}: {csp}");
        assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{path}");
        assert_eq!(h.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"), "{path}");
        assert!(h.get("referrer-policy").is_some(), "{path}");
    }
}
