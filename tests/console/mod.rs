//! What the check kinds and the traffic watch show outside the HTML pages (site JSON,
//! `stats.json`, `/metrics`), the console views `sitewatch status` and `sitewatch outages
//! [--follow]` against the API's figures, and the `/traffic` page: real `check` rounds, a real
//! `sitewatch traffic` replay and a real server, on both backends.

mod browser;
mod follow;
mod kinds;
mod status;
mod traffic;

use reqwest::blocking::Client;
use serde_json::Value;

use crate::web::{TestApp, add_user, plain_client};

/// An API token for a new user `alice` of `app`.
pub fn token(app: &TestApp) -> String {
    let alice = add_user(&app.db, "alice");
    let issued = sitewatch::domain::api_token::issue_token();
    let mut conn = app.db.conn().unwrap();
    sitewatch::db::models::api_token::ApiToken::create(&mut conn, alice.id, "console", &issued.hash).unwrap();
    issued.secret
}

/// GETs `path` with the token; asserts 200 and returns the body.
pub fn get_text(client: &Client, app: &TestApp, token: &str, path: &str) -> String {
    let response = client.get(app.url(path)).bearer_auth(token).send().unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().unwrap()
}

pub fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let body = get_text(&plain_client(), app, token, path);
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path} is not JSON ({e}): {body}"))
}

/// Every sample of a Prometheus exposition.
pub fn scrape(body: &str) -> prometheus_parse::Scrape {
    prometheus_parse::Scrape::parse(body.lines().map(|l| Ok(l.to_owned()))).expect("valid Prometheus text")
}

/// The value of the sample `name` whose labels include all of `labels`, if any.
pub fn sample(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    scrape.samples.iter().find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v))).map(
        |s| match s.value {
            prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Untyped(v) => v,
            ref other => panic!("{name} is not a gauge: {other:?}"),
        },
    )
}
