use chrono::TimeDelta;
use sitewatch::db::models::check_run::RunState;

use super::{add_user, client, fixtures, spawn, text};
use crate::both_backends;

both_backends! {
    fn metrics_parse_as_prometheus_text_with_a_token(db) {
        let app = spawn(db);
        let alice = add_user(&app.db, "alice");
        let issued = sitewatch::domain::api_token::issue_token();
        {
            let mut conn = app.db.conn().unwrap();
            sitewatch::db::models::api_token::ApiToken::create(&mut conn, alice.id, "prometheus", &issued.hash).unwrap();
        }
        let now = fixtures::now();
        let g = fixtures::group(&app.db, "Web", "web");
        let up = fixtures::site(&app.db, &g, "Up site", "https://up.example.com/");
        let down = fixtures::site(&app.db, &g, "Down site", "https://down.example.com/");
        fixtures::site(&app.db, &g, "Never", "https://never.example.com/");
        fixtures::checks(&app.db, &up, now - TimeDelta::seconds(30), 3, 0);
        fixtures::checks(&app.db, &down, now - TimeDelta::seconds(30), 3, 1);
        fixtures::outage(&app.db, &[&down], now - TimeDelta::minutes(3), None);
        fixtures::round(&app.db, now, RunState::Done);

        assert_eq!(client().get(app.url("/metrics")).send().unwrap().status(), 401);
        let r = client().get(app.url("/metrics")).bearer_auth(&issued.secret).send().unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text; version=1.0.0"));
        let body = text(r);
        assert!(body.ends_with("# EOF\n"), "an OpenMetrics exposition ends with its EOF marker: {body}");
        let lines = body.lines().map(|l| Ok(l.to_owned()));
        let scrape = prometheus_parse::Scrape::parse(lines).expect("valid Prometheus text format");
        let value = |name: &str, site: Option<&str>| -> f64 {
            let sample = scrape
                .samples
                .iter()
                .find(|s| s.metric == name && site.is_none_or(|slug| s.labels.get("site") == Some(slug)))
                .unwrap_or_else(|| panic!("no sample {name} {site:?} in\n{body}"));
            match sample.value {
                prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Untyped(v) => v,
                ref other => panic!("{name} is not a gauge: {other:?}"),
            }
        };
        assert_eq!(value("sitewatch_site_up", Some("up-site")), 1.0);
        assert_eq!(value("sitewatch_site_up", Some("down-site")), 0.0);
        assert!(!scrape.samples.iter().any(|s| s.labels.get("site") == Some("never")), "unchecked sites are left out");
        let last_ms = f64::from(up.last_response_ms.unwrap_or(0));
        let seconds = value("sitewatch_site_last_response_seconds", Some("up-site"));
        assert!(seconds > 0.0 && seconds < 1.0 && last_ms == 0.0, "{seconds}");
        let checked = value("sitewatch_site_last_check_timestamp_seconds", Some("up-site"));
        assert!((checked - (now - TimeDelta::seconds(30)).and_utc().timestamp() as f64).abs() < 2.0);
        assert_eq!(value("sitewatch_outage_open", None), 1.0);
        assert_eq!(value("sitewatch_outage_sites_down", None), 1.0);
        assert_eq!(scrape.docs.get("sitewatch_site_up").map(String::is_empty), Some(false), "HELP lines");
    }
}

both_backends! {
    /// Sixteen scrapers arriving at a cold cache cost one computation: with a pool of two
    /// connections and a one-second deadline, computing once each would answer 503s.
    fn a_crowd_of_cold_scrapes_shares_one_computation_and_health_answers_meanwhile(db) {
        let settings = crate::web::settings_for(db, &[("SITEWATCH_WEB_POOL_SIZE", "2"), ("SITEWATCH_WEB_DB_DEADLINE_SECS", "1")]);
        let app = crate::web::spawn_with(db, settings);
        let alice = add_user(&app.db, "alice");
        let issued = sitewatch::domain::api_token::issue_token();
        {
            let mut conn = app.db.conn().unwrap();
            sitewatch::db::models::api_token::ApiToken::create(&mut conn, alice.id, "prometheus", &issued.hash).unwrap();
        }
        let g = fixtures::group(&app.db, "Web", "web");
        for i in 0..40 {
            let site = fixtures::site(&app.db, &g, &format!("Site {i}"), &format!("https://s{i}.example.com/"));
            fixtures::checks(&app.db, &site, fixtures::now(), 30, 3);
        }
        fixtures::round(&app.db, fixtures::now(), RunState::Done);

        let scrapes: Vec<_> = (0..16)
            .map(|_| {
                let (url, secret) = (app.url("/metrics"), issued.secret.clone());
                std::thread::spawn(move || client().get(url).bearer_auth(secret).send().map(|r| r.status().as_u16()))
            })
            .collect();
        let health = client().get(app.url("/healthz")).send().unwrap();
        assert_eq!(health.status(), 200, "the health check has its own connection");
        for scrape in scrapes {
            assert_eq!(scrape.join().unwrap().unwrap(), 200, "no scrape is turned away for want of a connection");
        }
    }
}
