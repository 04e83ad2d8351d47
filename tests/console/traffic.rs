//! The `/traffic` page, `/traffic.json` and the traffic gauges of `/metrics`, after a real
//! `sitewatch traffic` replay of a generated log.

use sitewatch::db::models::traffic::TrafficLog;

use super::{get_json, get_text, sample, scrape, token};
use crate::both_backends;
use crate::traffic::{PROFILE, START, crossings, generate};
use crate::web::{client, plain_client, sign_in, spawn};

/// A browser session of `alice` (whom `token` made): pages take sessions, not tokens.
fn browser(app: &crate::web::TestApp) -> reqwest::blocking::Client {
    let browser = client();
    sign_in(app, &browser, "alice");
    browser
}

both_backends! {
    fn the_traffic_page_shows_the_rate_chart_and_alerts_of_a_replay(db) {
        let app = spawn(db);
        let token = token(&app);
        let session = browser(&app);
        let empty = get_text(&session, &app, &token, "/traffic");
        assert!(empty.contains("No access log is watched yet"), "{empty}");

        let log = db.path().join("access.log");
        let written = generate(&log, PROFILE, &[]);
        let expected = crossings(&written.per_second(), 120, 10.0);
        sw_traffic(db);

        let handle = db.open();
        let state = TrafficLog::all(&mut handle.conn().unwrap()).unwrap().remove(0);

        let json = get_json(&app, &token, "/traffic.json");
        let logs = json["logs"].as_array().unwrap();
        assert_eq!(logs.len(), 1);
        let entry = &logs[0];
        assert_eq!(entry["name"].as_str(), Some(state.name.as_str()));
        assert_eq!((entry["hits_per_second"].as_f64(), entry["threshold"].as_f64()), (Some(2.0), Some(10.0)));
        let hits: i64 = entry["minutes"].as_array().unwrap().iter().map(|m| m["hits"].as_i64().unwrap()).sum();
        assert_eq!(hits as usize, written.lines.len(), "every line is in the chart's minutes");
        let events: Vec<(&str, &str)> = entry["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["event"].as_str().unwrap(), a["log_time"].as_str().unwrap()))
            .collect();
        let (high, back) = (crate::traffic::rfc3339(expected[0].1), crate::traffic::rfc3339(expected[1].1));
        assert_eq!(events, [("traffic_recovered", back.as_str()), ("traffic_high", high.as_str())]);
        assert_eq!(entry["alerting_since"], serde_json::Value::Null);
        assert_eq!(entry["as_of"].as_str(), Some(crate::traffic::rfc3339(START + 599).as_str()));

        // The page: signed-in only, the rate, a server-drawn chart, the alert rows, the nav link.
        let anonymous = client().get(app.url("/traffic")).send().unwrap();
        assert_eq!(anonymous.status(), 302, "anonymous visitors sign in first");
        assert_eq!(anonymous.headers()["location"], "/login?next=%2Ftraffic");
        let page = get_text(&session, &app, &token, "/traffic");
        assert!(page.contains("2.0 hits/s"), "{page}");
        assert!(page.contains("<polygon class=\"band\""), "the chart is drawn on the server: {page}");
        assert!(page.contains("10000 hits/min") || page.contains("2000 hits/min"), "a tidy scale: {page}");
        assert_eq!(page.matches("<tr><td data-label=\"Log time\">").count(), 2, "two alert rows");
        assert!(page.contains("High traffic") && page.contains("Recovered"), "{page}");
        assert!(page.contains("href=\"/traffic\""), "linked from the header");
        assert!(!page.contains("<script"), "works without JavaScript");

        // /metrics: the rate and the alert state per log.
        let body = get_text(&plain_client(), &app, &token, "/metrics");
        let s = scrape(&body);
        assert_eq!(sample(&s, "sitewatch_traffic_hits_per_second", &[("log", &state.name)]), Some(2.0), "{body}");
        assert_eq!(sample(&s, "sitewatch_traffic_alert_active", &[("log", &state.name)]), Some(0.0));
        assert_eq!(
            sample(&s, "sitewatch_traffic_log_time_seconds", &[("log", &state.name)]),
            Some((START + 599) as f64)
        );
    }

    fn an_alert_in_force_shows_on_the_page_and_in_metrics(db) {
        let log = db.path().join("access.log");
        // Ends in the busy stretch: the alert is still on when the replay stops.
        generate(&log, "60s@2,180s@30", &[]);
        sw_traffic(db);
        let app = spawn(db);
        let token = token(&app);
        let handle = db.open();
        let state = TrafficLog::all(&mut handle.conn().unwrap()).unwrap().remove(0);
        assert!(state.alerting_since.is_some());
        let body = get_text(&plain_client(), &app, &token, "/metrics");
        assert_eq!(sample(&scrape(&body), "sitewatch_traffic_alert_active", &[("log", &state.name)]), Some(1.0));
        let page = get_text(&browser(&app), &app, &token, "/traffic");
        assert!(page.contains("High traffic since"), "{page}");
        assert_eq!(page.matches("<tr><td data-label=\"Log time\">").count(), 1);
    }
}

fn sw_traffic(db: &crate::harness::TestDb) {
    crate::harness::sw(
        db,
        &["traffic", "access.log", "--once", "--from-start", "--threshold", "10", "--window", "120"],
    )
    .ok();
}

both_backends! {
    fn traffic_history_goes_with_the_raw_views(db) {
        use chrono::TimeDelta;
        use sitewatch::db::Id;
        use sitewatch::db::models::traffic::{TrafficAlert, TrafficMinute};
        use sitewatch::settings::RetentionSettings;

        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let now = sitewatch::domain::time::now_utc();
        let minute = |days: i64| {
            use chrono::Timelike;
            (now - TimeDelta::days(days)).with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap()
        };
        TrafficMinute::upsert_all(&mut conn, "old", &[(minute(100), 5), (minute(1), 7)]).unwrap();
        let alert = |days: i64| TrafficAlert {
            id: Id::new(),
            log: "old".into(),
            event: "traffic_high".into(),
            mean: 12.0,
            threshold: 10.0,
            window_secs: 120,
            log_time: minute(days),
            created_at: minute(days),
        };
        assert!(alert(95).insert_new(&mut conn).unwrap());
        assert!(alert(2).insert_new(&mut conn).unwrap());

        let retention = RetentionSettings { raw_days: 90, hourly_days: 730, daily_days: 0 };
        let purged = sitewatch::history::retention::apply(&mut conn, &retention, now).unwrap();
        assert_eq!(purged.traffic, 2, "one minute and one alert older than 90 days");
        let minutes = TrafficMinute::between(&mut conn, "old", minute(200), now).unwrap();
        assert_eq!(minutes.iter().map(|m| m.hits).collect::<Vec<_>>(), [7]);
        let alerts = TrafficAlert::recent(&mut conn, "old", 10).unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].log_time, minute(2));
    }
}
