//! What the web app shows of several locations: `GET /api/locations`, a site's `locations`,
//! the per-location `sitewatch_site_up` series and the site page's rows.

use sitewatch::checker::{ProbeResult, SiteCheck, record_round};
use sitewatch::db::models::check_run::CheckRun;
use sitewatch::db::models::site::Site;
use sitewatch::domain::time::now_utc;
use sitewatch::settings::Settings;

use super::{add_user, client, fixtures, sign_in, spawn, text};
use crate::harness::{Backend, TestDb};

/// One round of `site` from `location`, seeing it up or down.
fn round(app_db: &sitewatch::db::Db, location: &str, site: &Site, up: bool) {
    let settings = Settings { location: location.to_owned(), ..Settings::default() };
    let mut conn = app_db.conn().unwrap();
    let run = CheckRun::new(now_utc(), "test");
    run.insert(&mut conn).unwrap();
    drop(conn);
    let result = ProbeResult {
        checked_at: now_utc(),
        status_code: Some(if up { 200 } else { 503 }),
        error: None,
        response_ms: 12,
        up,
        ping: None,
        tls_expires_at: None,
    };
    record_round(app_db, &settings, run.id, &[SiteCheck::new(site.clone(), result)]).unwrap();
}

#[test]
fn locations_are_listed_and_each_site_shows_what_each_location_saw() {
    let Some(db) = TestDb::create(Backend::Postgres) else {
        eprintln!("skipped: several locations need PostgreSQL; set SITEWATCH_TEST_DATABASE_URL");
        return;
    };
    let app = spawn(&db);
    let alice = add_user(&app.db, "alice");
    let issued = sitewatch::domain::api_token::issue_token();
    {
        let mut conn = app.db.conn().unwrap();
        sitewatch::db::models::api_token::ApiToken::create(&mut conn, alice.id, "script", &issued.hash).unwrap();
    }
    let g = fixtures::group(&app.db, "Web", "web");
    let shop = fixtures::site(&app.db, &g, "Shop", "https://shop.example.com/");
    round(&app.db, "eu-west", &shop, false);
    round(&app.db, "us-east", &shop, true);

    let get = |path: &str| client().get(app.url(path)).bearer_auth(&issued.secret).send().unwrap();
    let list: serde_json::Value = get("/api/locations").json().unwrap();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["eu-west", "us-east"]);
    assert!(list.as_array().unwrap().iter().all(|l| l["live"] == true && l["last_round_state"] == "done"));

    let site: serde_json::Value = get(&format!("/api/sites/{}", shop.slug)).json().unwrap();
    let seen: Vec<(&str, &str)> = site["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap(), l["status"].as_str().unwrap()))
        .collect();
    assert_eq!(seen, [("eu-west", "down"), ("us-east", "up")]);

    let metrics = text(get("/metrics"));
    assert!(metrics.contains(r#"location="eu-west""#) && metrics.contains(r#"location="us-east""#), "{metrics}");
    assert!(metrics.contains(r#"location="""#), "the site-level series: {metrics}");

    let browser = client();
    sign_in(&app, &browser, "alice");
    let page = text(browser.get(app.url(&format!("/sites/{}", shop.slug))).send().unwrap());
    assert!(page.contains("<h2>Locations</h2>") && page.contains("eu-west"), "{page}");
}
