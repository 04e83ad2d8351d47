//! Check kinds outside the pages: one real round over a ping, two TCP, an https and a keyword
//! site, then what the API, `data.json`, `stats.json` and `/metrics` say of them.

use std::net::TcpListener;

use chrono::TimeDelta;
use serde_json::Value;
use sitewatch::checker::NOT_PERMITTED_HELP;

use super::{get_json, get_text, sample, scrape, token};
use crate::both_backends;
use crate::check::site;
use crate::harness::http::{HttpServer, Reply, closed_port};
use crate::harness::https::{HttpsServer, TestCa};
use crate::harness::{check, lacking, sw};
use crate::web::{plain_client, spawn};

fn by_slug<'a>(list: &'a Value, slug: &str) -> &'a Value {
    list["items"].as_array().unwrap().iter().find(|s| s["slug"] == slug).unwrap_or_else(|| panic!("no {slug}: {list}"))
}

both_backends! {
    fn every_kind_shows_its_figures_in_json_stats_and_metrics(db) {
        let ca = TestCa::new();
        db.write_file("private-ca.pem", &ca.pem);
        let https = HttpsServer::start(ca.server_config(TimeDelta::days(20)));
        let page = HttpServer::start(|_| Reply::Page { status: 200, before: 10, text: "all is well".into(), after: 10 });
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let open = listener.local_addr().unwrap().port();
        sw(db, &["site", "add", "ping://127.0.0.1", "--name", "pinged", "--probes", "3"]).ok();
        sw(db, &["site", "add", &format!("tcp://127.0.0.1:{open}"), "--name", "open-port"]).ok();
        sw(db, &["site", "add", &format!("tcp://127.0.0.1:{}", closed_port()), "--name", "refused"]).ok();
        sw(db, &["site", "add", &https.url(), "--name", "secure"]).ok();
        sw(db, &["site", "add", &page.url("/"), "--name", "words", "--keyword", "all is well"]).ok();
        let config = db.write_file(
            "sitewatch.toml",
            "[check]\ntls_ca_file = \"private-ca.pem\"\nping_gap_ms = 20\ntimeout_secs = 2\n",
        );
        let out = check(db, &["--config", config.to_str().unwrap()]).run();
        if out.stderr.contains(NOT_PERMITTED_HELP) {
            lacking("ICMP sockets for this user");
            return;
        }
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("checked 5 site(s): 4 up, 1 down"), "{}", out.stdout);

        let app = spawn(db);
        let token = token(&app);
        let list = get_json(&app, &token, "/api/sites");
        let kinds: Vec<(&str, &str)> = ["pinged", "open-port", "refused", "secure", "words"]
            .iter()
            .map(|slug| (*slug, by_slug(&list, slug)["kind"].as_str().unwrap()))
            .collect();
        assert_eq!(kinds, [("pinged", "ping"), ("open-port", "tcp"), ("refused", "tcp"), ("secure", "http"), ("words", "http")]);

        // Ping: the stored figures, the same in the list, the site's JSON and its view.
        let stored = site(db, "pinged").last_ping().expect("ping figures stored");
        let pinged = get_json(&app, &token, "/api/sites/pinged");
        assert_eq!(&pinged, by_slug(&list, "pinged"), "one shape everywhere");
        let ping = &pinged["last_ping"];
        assert_eq!((ping["transmitted"].as_u64(), ping["received"].as_u64(), ping["duplicates"].as_u64()), (Some(3), Some(3), Some(0)));
        assert_eq!(ping["loss_percent"].as_f64(), Some(0.0));
        assert_eq!(ping["rtt_avg_ms"].as_f64(), stored.rtt_avg_ms);
        assert_eq!(ping["rtt_mdev_ms"].as_f64(), stored.rtt_mdev_ms);
        assert_eq!(pinged["probes"].as_i64(), Some(3));
        let views = get_json(&app, &token, "/sites/pinged/data.json");
        assert_eq!(views["items"][0]["ping"], *ping, "a ping view carries the same figures");
        let data = get_json(&app, &token, "/sites/words/data.json");
        assert_eq!(data["items"][0]["ping"], Value::Null, "other kinds' views have none");

        // Keyword, certificate, and a check without an answer.
        let words = by_slug(&list, "words");
        assert_eq!((words["keyword"].as_str(), words["keyword_absent"].as_bool()), (Some("all is well"), Some(false)));
        assert_eq!(words["last_ping"], Value::Null);
        let secure = by_slug(&list, "secure");
        let expires = site(db, "secure").tls_expires_at.expect("an expiry");
        assert_eq!(secure["tls_expires_at"].as_str(), Some(expires.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string().as_str()));
        let days = secure["tls_days_left"].as_i64().unwrap();
        assert!((19..=20).contains(&days), "{days}");
        assert_eq!(by_slug(&list, "open-port")["tls_expires_at"], Value::Null);
        let refused = by_slug(&list, "refused");
        assert_eq!((refused["status"].as_str(), refused["last_error"].as_str()), (Some("down"), Some("connect")));
        assert_eq!(refused["last_response_ms"], Value::Null, "no answer, no response time");
        assert!(by_slug(&list, "open-port")["last_response_ms"].is_i64());

        // stats.json: loss and jitter for the ping site, null for the others.
        let stats = get_json(&app, &token, "/sites/pinged/stats.json");
        let ten = &stats["windows"][0];
        assert_eq!((ten["window"].as_str(), ten["loss_percent"].as_f64()), (Some("10m"), Some(0.0)));
        let jitter = ten["jitter_ms"].as_f64().unwrap();
        assert!((jitter - stored.rtt_mdev_ms.unwrap()).abs() < 0.001, "{jitter} vs {:?}", stored.rtt_mdev_ms);
        let words_stats = get_json(&app, &token, "/sites/words/stats.json");
        assert_eq!((&words_stats["windows"][0]["loss_percent"], &words_stats["windows"][0]["jitter_ms"]), (&Value::Null, &Value::Null));

        // /metrics: the ping and certificate series, and no response time without an answer.
        let body = get_text(&plain_client(), &app, &token, "/metrics");
        let s = scrape(&body);
        let avg = sample(&s, "sitewatch_ping_rtt_seconds", &[("site", "pinged"), ("stat", "avg")]).expect("avg rtt");
        assert!((avg - stored.rtt_avg_ms.unwrap() / 1000.0).abs() < 1e-9, "{avg}");
        for stat in ["min", "max", "mdev"] {
            assert!(sample(&s, "sitewatch_ping_rtt_seconds", &[("site", "pinged"), ("stat", stat)]).is_some(), "{stat}: {body}");
        }
        assert_eq!(sample(&s, "sitewatch_ping_loss_ratio", &[("site", "pinged"), ("group", "default")]), Some(0.0));
        assert_eq!(sample(&s, "sitewatch_ping_duplicates", &[("site", "pinged")]), Some(0.0));
        assert_eq!(sample(&s, "sitewatch_ping_loss_ratio", &[("site", "words")]), None, "only ping sites");
        assert_eq!(
            sample(&s, "sitewatch_tls_cert_expiry_timestamp_seconds", &[("site", "secure")]),
            Some(expires.and_utc().timestamp() as f64)
        );
        assert_eq!(sample(&s, "sitewatch_site_last_response_seconds", &[("site", "refused")]), None, "{body}");
        assert_eq!(sample(&s, "sitewatch_site_up", &[("site", "refused")]), Some(0.0));
        assert!(sample(&s, "sitewatch_site_last_response_seconds", &[("site", "open-port")]).is_some());

        // The OpenAPI document lists the new fields and the routes outside /api.
        let doc = get_json(&app, &token, "/api/openapi.json");
        let site_props = &doc["components"]["schemas"]["SiteJson"]["properties"];
        for field in ["kind", "last_ping", "probes", "keyword", "keyword_absent", "tls_expires_at", "tls_days_left"] {
            assert!(site_props.get(field).is_some(), "SiteJson lacks {field}");
        }
        assert!(doc["components"]["schemas"]["WindowStatsJson"]["properties"].get("jitter_ms").is_some());
        for path in ["/data.json", "/metrics", "/traffic.json", "/sites/{slug}/stats.json", "/sites/{slug}/data.json"] {
            assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
        }
        drop(listener);
    }
}
