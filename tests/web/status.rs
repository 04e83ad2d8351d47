//! The public status page, its JSON, its Atom feed (read back by `feed-rs`) and the badges, as
//! an anonymous visitor, a signed-in user and a script with a token see them: only public
//! groups' sites, never a URL, and names escaped.

use chrono::TimeDelta;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use sitewatch::db::models::check_run::RunState;
use sitewatch::db::models::outage::Outage;
use sitewatch::db::models::site::Site;
use sitewatch::manage::group;

use super::{PASSWORD, TestApp, add_user, client, fixtures, plain_client, sign_in, spawn, text};
use crate::both_backends;

const PRIVATE_NAME: &str = "<script>alert(1)</script>Payroll";
const PUBLIC_URL: &str = "https://public-site-url.example.com/";
const PRIVATE_URL: &str = "https://private-site-url.example.com/";

/// A public group with a site, a private group with a site whose name is a script, both in an
/// open outage with a note, and a finished round.
fn arrange(app: &TestApp) -> (Site, Site, Outage) {
    add_user(&app.db, "alice");
    let now = fixtures::now();
    let web = fixtures::group(&app.db, "Public web", "web");
    let internal = fixtures::group(&app.db, "Internal", "internal");
    group::set_public(&mut app.db.conn().unwrap(), "web", true).unwrap();
    let shop = fixtures::site(&app.db, &web, "Shop front", PUBLIC_URL);
    let payroll = fixtures::site(&app.db, &internal, PRIVATE_NAME, PRIVATE_URL);
    fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(1), 120, 0);
    fixtures::checks(&app.db, &payroll, now - TimeDelta::minutes(1), 120, 2);
    let outage = fixtures::outage(&app.db, &[&shop, &payroll], now - TimeDelta::minutes(30), None);
    fixtures::round(&app.db, now, RunState::Done);
    (shop, payroll, outage)
}

fn token(app: &TestApp) -> String {
    let r = plain_client()
        .post(app.url("/api/auth/token"))
        .json(&json!({"username": "alice", "password": PASSWORD}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().unwrap()["token"].as_str().unwrap().to_owned()
}

fn note(app: &TestApp, token: &str, outage: &Outage, status: &str, message: &str) -> Value {
    let r = plain_client()
        .post(app.url(&format!("/api/outages/{}/notes", outage.id)))
        .bearer_auth(token)
        .json(&json!({"status": status, "message": message}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().unwrap()
}

fn assert_nothing_private(what: &str, body: &str, payroll: &Site) {
    for secret in [PRIVATE_NAME, "Payroll", "<script>", PRIVATE_URL, PUBLIC_URL, "Internal", &payroll.slug, "timeout"] {
        assert!(!body.contains(secret), "{what} shows `{secret}`:\n{body}");
    }
}

fn get(client: &Client, app: &TestApp, path: &str) -> reqwest::blocking::Response {
    client.get(app.url(path)).send().unwrap()
}

both_backends! {
    fn anonymous_visitors_see_only_public_sites_everywhere(db) {
        let app = spawn(db);
        let (shop, payroll, outage) = arrange(&app);
        let token = token(&app);
        note(&app, &token, &outage, "investigating", "Looking into the <b>shop</b>");
        let anon = plain_client();

        let page = get(&anon, &app, "/status");
        assert_eq!(page.status(), 200);
        assert!(page.headers()["cache-control"].to_str().unwrap().contains("max-age"));
        let html = text(page);
        assert!(html.contains("Shop front") && html.contains("Major outage"), "{html}");
        assert!(html.contains("Looking into the &#60;b&#62;shop") && !html.contains("<b>shop"), "notes are shown, escaped: {html}");
        assert!(html.contains("times in UTC"), "times are labelled with the zone");
        assert!(!html.contains("<script"), "no script on the page");
        assert_nothing_private("/status", &html, &payroll);

        let body = text(get(&anon, &app, "/status.json"));
        assert_nothing_private("/status.json", &body, &payroll);
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["overall"]["state"], "major_outage");
        let groups = json["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0]["sites"][0]["name"], "Shop front");
        assert_eq!(groups[0]["sites"][0]["state"], "down");
        assert_eq!(groups[0]["sites"][0]["uptime"]["days"].as_array().unwrap().len(), 90);
        let current = &json["current_outage"];
        assert_eq!(current["sites"].as_array().unwrap().len(), 1, "only the public site of the outage");
        assert_eq!(current["notes"][0]["status"], "investigating");
        assert!(current["notes"][0].get("author").is_none(), "authors stay private");

        let feed = get(&anon, &app, "/status/feed.atom");
        assert!(feed.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
        let xml = text(feed);
        assert_nothing_private("the feed", &xml, &payroll);
        let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("a valid feed");
        assert_eq!(parsed.feed_type, feed_rs::model::FeedType::Atom);
        let titles: Vec<String> = parsed.entries.iter().filter_map(|e| e.title.as_ref().map(|t| t.content.clone())).collect();
        assert!(titles.iter().any(|t| t == "Outage: Shop front"), "{titles:?}");
        assert!(titles.iter().any(|t| t == "Investigating: Shop front"), "{titles:?}");
        assert!(parsed.entries.iter().all(|e| e.updated.is_some() && !e.id.is_empty()));

        let badge = get(&anon, &app, &format!("/badge/{}.svg", shop.slug));
        assert_eq!(badge.status(), 200);
        assert_eq!(badge.headers()["content-type"], "image/svg+xml; charset=utf-8");
        assert!(badge.headers()["cache-control"].to_str().unwrap().contains("max-age=60"));
        let svg = text(badge);
        assert!(svg.contains(">Shop front<") && svg.contains(">down<"), "{svg}");
        let uptime = text(get(&anon, &app, &format!("/badge/{}/uptime.svg?window=24h", shop.slug)));
        assert!(uptime.contains(">100.00%<") && uptime.contains("uptime 24h"), "{uptime}");
        assert_eq!(get(&anon, &app, &format!("/badge/{}/uptime.svg?window=2d", shop.slug)).status(), 400);

        for path in [format!("/badge/{}.svg", payroll.slug), format!("/badge/{}/uptime.svg", payroll.slug), "/badge/nope.svg".into()] {
            let r = get(&anon, &app, &path);
            assert_eq!(r.status(), 404, "{path}");
            // The page names the slug asked for, as it does for one that does not exist.
            assert_nothing_private(&path, &text(r).replace(&payroll.slug, ""), &payroll);
        }
        let signed_in = client();
        sign_in(&app, &signed_in, "alice");
        let private = get(&signed_in, &app, &format!("/badge/{}.svg", payroll.slug));
        assert_eq!(private.status(), 200);
        assert!(private.headers()["cache-control"].to_str().unwrap().starts_with("private"));
        assert!(text(private).contains("&lt;script&gt;"), "the name is escaped in the badge");
        let scripted = plain_client().get(app.url(&format!("/badge/{}.svg", payroll.slug))).bearer_auth(&token).send().unwrap();
        assert_eq!(scripted.status(), 200);
        assert_eq!(get(&signed_in, &app, "/badge/nope.svg").status(), 404);
        assert_eq!(get(&signed_in, &app, "/badge/nope/uptime.svg").status(), 404);
    }

    fn notes_show_newest_first_everywhere_and_notify_queues_one_alert_per_channel(db) {
        let extra = "[email]\nenabled = true\nto = [\"ops@example.com\"]\n\n[[webhooks]]\nurl = \"http://127.0.0.1:9/hook\"\n";
        let file = db.write_file("sitewatch.toml", extra);
        let vars: Vec<(String, String)> = vec![
            ("SITEWATCH_DATABASE_URL".into(), db.url.clone()),
            ("SITEWATCH_BIND".into(), "127.0.0.1:0".into()),
            ("SITEWATCH_CHECK_SANDBOX_URLS".into(), String::new()),
        ];
        let settings = sitewatch::settings::Settings::from_parts(Some((&file, extra)), &vars).expect("test settings");
        let app = crate::web::spawn_with(db, settings);
        let (_, payroll, outage) = arrange(&app);
        let token = token(&app);
        note(&app, &token, &outage, "investigating", "first note");
        note(&app, &token, &outage, "identified", "second note");

        let r = plain_client().get(app.url(&format!("/api/outages/{}", outage.id))).bearer_auth(&token).send().unwrap();
        let json: Value = r.json().unwrap();
        let notes = json["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!((notes[0]["message"].as_str(), notes[0]["author"].as_str()), (Some("second note"), Some("alice")));
        assert_eq!(notes[1]["status"], "investigating");
        assert!(notes[0]["created_at"].as_str().unwrap().ends_with('Z'));

        let html = text(get(&plain_client(), &app, "/status"));
        assert!(html.find("second note").unwrap() < html.find("first note").unwrap(), "newest first on /status");
        let signed_in = client();
        sign_in(&app, &signed_in, "alice");
        let page = text(get(&signed_in, &app, &format!("/outages/{}", outage.id)));
        assert!(page.find("second note").unwrap() < page.find("first note").unwrap(), "newest first on the outage page");

        let bad = plain_client()
            .post(app.url(&format!("/api/outages/{}/notes", outage.id)))
            .bearer_auth(&token)
            .json(&json!({"status": "fixed", "message": "x"}))
            .send()
            .unwrap();
        assert_eq!(bad.status(), 422);
        assert_eq!(bad.json::<Value>().unwrap()["field"], "status");
        let missing = plain_client()
            .post(app.url("/api/outages/0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87/notes"))
            .bearer_auth(&token)
            .json(&json!({"status": "resolved", "message": "x"}))
            .send()
            .unwrap();
        assert_eq!(missing.status(), 404);

        let sent = plain_client()
            .post(app.url(&format!("/api/outages/{}/notes", outage.id)))
            .bearer_auth(&token)
            .json(&json!({"status": "monitoring", "message": "a fix is out", "notify": true}))
            .send()
            .unwrap();
        assert_eq!(sent.status(), 201);
        let mut conn = app.db.conn().unwrap();
        let notifications = sitewatch::db::models::notification::Notification::of_outage(&mut conn, outage.id).unwrap();
        let queued: Vec<_> = notifications.iter().filter(|(n, _)| n.event == "note").collect();
        assert_eq!(queued.len(), 1, "one alert for the note that asked for it");
        let mut channels: Vec<&str> = queued[0].1.iter().map(|d| d.channel.as_str()).collect();
        channels.sort_unstable();
        assert_eq!(channels, ["email", "webhook"], "one delivery per channel");
        assert!(queued[0].0.payload.contains("a fix is out") && queued[0].0.payload.contains("\"author\":\"alice\""));
        let html = text(get(&plain_client(), &app, "/status"));
        assert_nothing_private("/status with notes", &html, &payroll);

        // The form on the outage page adds a note too.
        let page = text(get(&signed_in, &app, &format!("/outages/{}", outage.id)));
        let form = signed_in
            .post(app.url(&format!("/outages/{}/notes", outage.id)))
            .form(&[("csrf_token", crate::web::csrf(&page).as_str()), ("status", "resolved"), ("message", "all good again")])
            .send()
            .unwrap();
        assert_eq!(form.status(), 303);
        let page = text(get(&signed_in, &app, &format!("/outages/{}", outage.id)));
        assert!(page.contains("all good again") && page.contains("Note added."), "{page}");
    }

    fn groups_become_public_through_the_api_and_the_page_follows(db) {
        let app = spawn(db);
        let (_, payroll, _) = arrange(&app);
        let token = token(&app);
        let patch = |slug: &str, body: Value| {
            plain_client().patch(app.url(&format!("/api/groups/{slug}"))).bearer_auth(&token).json(&body).send().unwrap()
        };
        let r = patch("internal", json!({"public": true}));
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().unwrap()["public"], true);
        let html = text(get(&plain_client(), &app, "/status"));
        assert!(html.contains("Payroll") && html.contains("&#60;script&#62;") && !html.contains(PRIVATE_NAME), "escaped once public");
        assert!(!html.contains(PRIVATE_URL), "never a URL");
        assert_eq!(get(&plain_client(), &app, &format!("/badge/{}.svg", payroll.slug)).status(), 200);
        assert_eq!(patch("internal", json!({"public": "yes"})).status(), 422);
        assert_eq!(patch("internal", json!({"colour": "red"})).status(), 422);
        assert_eq!(patch("nope", json!({"public": true})).status(), 404);
        let r = patch("internal", json!({"public": false}));
        assert_eq!(r.json::<Value>().unwrap()["public"], false);
        assert_eq!(get(&plain_client(), &app, &format!("/badge/{}.svg", payroll.slug)).status(), 404);
        let created = plain_client()
            .post(app.url("/api/groups"))
            .bearer_auth(&token)
            .json(&json!({"name": "Open", "public": true}))
            .send()
            .unwrap();
        assert_eq!(created.json::<Value>().unwrap()["public"], true);
    }

    fn the_api_docs_list_every_route_for_people_without_scripts(db) {
        let app = spawn(db);
        add_user(&app.db, "alice");
        assert_eq!(get(&plain_client(), &app, "/api/docs").status(), 401);
        let signed_in = client();
        sign_in(&app, &signed_in, "alice");
        let page = get(&signed_in, &app, "/api/docs");
        assert_eq!(page.status(), 200);
        let html = text(page);
        for route in ["POST /api/sites", "PATCH /api/groups/{slug}", "POST /api/outages/{id}/notes", "GET /api/maintenance",
                      "DELETE /api/maintenance/{id}", "GET /sites/{slug}/data.json", "GET /groups/{slug}/data.json",
                      "GET /metrics", "GET /status.json", "GET /badge/{slug}.svg"] {
            assert!(html.contains(route), "{route} is missing");
        }
        assert!(html.contains("&#34;interval_secs&#34;: 0"), "an example body for POST /api/sites");
        assert!(!html.contains("<script"), "no script on the page");
    }
}
