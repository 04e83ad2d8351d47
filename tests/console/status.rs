//! `sitewatch status --json` and `sitewatch outages --json` against the API's figures, both
//! read from the same database after real `check` rounds.

use serde_json::Value;

use super::{get_json, token};
use crate::both_backends;
use crate::harness::http::{HttpServer, Reply};
use crate::harness::{check, sw};
use crate::web::spawn;

both_backends! {
    fn status_json_has_the_apis_sites_and_window_figures(db) {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let flaky = HttpServer::start(move |_| {
            // Every third check fails, so availability is neither 0 nor 100.
            let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if n % 3 == 2 { Reply::Status(503) } else { Reply::Status(200) }
        });
        let steady = HttpServer::always(200);
        sw(db, &["site", "add", &flaky.url("/"), "--name", "flaky"]).ok();
        sw(db, &["site", "add", &steady.url("/"), "--name", "steady"]).ok();
        sw(db, &["site", "add", "https://paused.example.com/", "--name", "paused"]).ok();
        sw(db, &["site", "pause", "paused"]).ok();
        for _ in 0..6 {
            check(db, &[]).ok();
        }

        let app = spawn(db);
        let token = token(&app);
        let status = sw(db, &["status", "--json"]).run();
        assert_eq!(status.code, 0, "{}", status.stderr);
        let status = status.json();
        let api = get_json(&app, &token, "/api/sites");
        let sites = status["sites"].as_array().unwrap();
        assert_eq!(sites.len(), 3);
        for site in sites {
            let slug = site["slug"].as_str().unwrap();
            let mut plain = site.clone();
            plain.as_object_mut().unwrap().remove("windows");
            let from_api = api["items"].as_array().unwrap().iter().find(|s| s["slug"] == slug).unwrap();
            assert_eq!(&plain, from_api, "{slug}: the site as the API shows it");
            let stats = get_json(&app, &token, &format!("/sites/{slug}/stats.json"));
            for (i, window) in ["10m", "1h"].iter().enumerate() {
                let mine = &site["windows"][i];
                let theirs = &stats["windows"][i];
                assert_eq!((mine["window"].as_str(), theirs["window"].as_str()), (Some(*window), Some(*window)));
                for (field, api_field) in [("checks", "checks"), ("up", "up"), ("availability_percent", "availability_percent")] {
                    assert_eq!(mine[field], theirs[api_field], "{slug} {window} {field}");
                }
                assert_eq!(mine["mean_response_ms"], theirs["response_ms"]["mean"], "{slug} {window} mean");
                assert_eq!(mine["max_response_ms"], theirs["response_ms"]["max"], "{slug} {window} max");
            }
        }
        let flaky = sites.iter().find(|s| s["slug"] == "flaky").unwrap();
        assert_eq!((flaky["windows"][0]["checks"].as_u64(), flaky["windows"][0]["up"].as_u64()), (Some(6), Some(4)));
        assert_eq!(flaky["windows"][0]["availability_percent"].as_f64(), Some(66.6667));
        let paused = sites.iter().find(|s| s["slug"] == "paused").unwrap();
        assert_eq!((paused["status"].as_str(), paused["windows"][1]["checks"].as_u64()), (Some("paused"), Some(0)));

        // The table: a line per site, each within 100 columns, no colour when piped.
        let table = sw(db, &["status"]).env("TERM", "xterm-256color").ok();
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("SITE") && lines.len() == 5, "{table}");
        assert!(lines.iter().all(|l| l.chars().count() <= 100), "{table}");
        assert!(!table.contains('\x1b'), "piped output has no colour codes: {table:?}");
        let flaky_line = lines.iter().find(|l| l.starts_with("flaky")).unwrap();
        assert!(flaky_line.contains("66.7%"), "{flaky_line}");
        assert!(lines.last().unwrap().starts_with("3 sites, 1 down"), "the sixth check of flaky failed: {table}");
    }

    fn outages_json_lists_what_the_api_lists(db) {
        let server = HttpServer::always(500);
        sw(db, &["site", "add", &server.url("/"), "--name", "api"]).ok();
        let quick = [("SITEWATCH_CHECK_FAILURES_BEFORE_OUTAGE", "1")];
        let round = || check(db, &[]).env(quick[0].0, quick[0].1).ok();
        round();
        server.respond_with(|_| Reply::Status(200));
        round();
        server.respond_with(|_| Reply::Status(500));
        round();

        let app = spawn(db);
        let token = token(&app);
        let api = get_json(&app, &token, "/api/outages");
        let cli = sw(db, &["outages", "--json"]).run();
        assert_eq!(cli.code, 0, "{}", cli.stderr);
        let cli = cli.json();
        assert_eq!(cli["items"], api["items"], "the same outages, newest first, with the same fields");
        assert_eq!(cli["total"], Value::from(2));
        let items = cli["items"].as_array().unwrap();
        assert!(items[0]["resolved_at"].is_null() && items[1]["resolved_at"].is_string(), "{cli}");

        let table = sw(db, &["outages"]).ok();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "header, two outages, a count: {table}");
        assert!(lines[1].contains("ongoing") && lines[1].contains("api (1)"), "{table}");
        assert!(lines[0].starts_with("ID") && lines.iter().all(|l| l.chars().count() <= 100), "{table}");
        let id = items[1]["id"].as_str().unwrap();
        assert!(lines[2].starts_with(&id[..8]), "{table}");
    }
}
