//! `sitewatch outages --follow`: the running command prints an outage that a real `check`
//! round opens, then the recovery and resolution, each within a deadline.

use std::io::{BufRead, BufReader};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::both_backends;
use crate::harness::http::{HttpServer, Reply};
use crate::harness::{check, sw};

/// Reads lines until one satisfies `wanted`, failing after `timeout`; returns that line.
fn wait_for_line(lines: &Receiver<String>, what: &str, timeout: Duration, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                let value: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                if wanted(&value) {
                    return value;
                }
                seen.push(line);
            }
            Err(RecvTimeoutError::Timeout) => panic!("timed out after {timeout:?} waiting for {what}; saw {seen:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the follower ended before {what}; saw {seen:?}"),
        }
    }
}

both_backends! {
    fn follow_prints_what_real_rounds_record(db) {
        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/"), "--name", "api"]).ok();
        let round = || check(db, &[]).env("SITEWATCH_CHECK_FAILURES_BEFORE_OUTAGE", "1").ok();
        round();

        let mut follower = sw(db, &["outages", "--follow", "--json"]).spawn();
        let stdout = follower.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let history = wait_for_line(&lines, "the history", Duration::from_secs(20), |v| v.get("items").is_some());
        assert_eq!(history["total"], Value::from(0));

        server.respond_with(|_| Reply::Status(503));
        round();
        let opened = wait_for_line(&lines, "the opening", Duration::from_secs(15), |v| v["event"] == "opened");
        assert_eq!(opened["site"]["slug"], "api");
        assert_eq!(opened["reason"], "HTTP 503");
        let outage_id = opened["outage_id"].as_str().unwrap().to_owned();

        server.respond_with(|_| Reply::Status(200));
        round();
        let recovered = wait_for_line(&lines, "the recovery", Duration::from_secs(15), |v| v["event"] == "recovered");
        assert_eq!((recovered["site"]["slug"].as_str(), recovered["outage_id"].as_str()), (Some("api"), Some(outage_id.as_str())));
        let resolved = wait_for_line(&lines, "the resolution", Duration::from_secs(15), |v| v["event"] == "resolved");
        assert_eq!(resolved["outage_id"].as_str(), Some(outage_id.as_str()));
        assert!(resolved["at"].as_str().unwrap() >= opened["at"].as_str().unwrap());

        assert!(follower.try_wait().unwrap().is_none(), "the follower keeps running");
        follower.kill().unwrap();
        follower.wait().unwrap();
        // Nothing was printed twice: no line after the resolution repeats an event.
        let rest: Vec<String> = lines.try_iter().collect();
        assert!(rest.iter().all(|l| !l.contains("\"opened\"")), "{rest:?}");
    }
}

both_backends! {
    fn status_watch_reprints_until_stopped_and_refuses_a_zero_interval(db) {
        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/"), "--name", "api"]).ok();
        let mut watcher = sw(db, &["status", "--watch", "1", "--json"]).spawn();
        let stdout = watcher.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = wait_for_line(&lines, "the first print", Duration::from_secs(20), |v| v.get("sites").is_some());
        assert_eq!(first["sites"][0]["status"], "unknown");
        check(db, &[]).ok();
        let later = wait_for_line(&lines, "a reprint after the round", Duration::from_secs(15), |v| v["sites"][0]["status"] == "up");
        assert_eq!(later["sites"][0]["windows"][0]["checks"], Value::from(1));
        watcher.kill().unwrap();
        watcher.wait().unwrap();

        let refused = sw(db, &["status", "--watch", "0"]).run();
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(refused.stderr.contains("--watch"), "{}", refused.stderr);
    }
}
