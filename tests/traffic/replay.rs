//! A replay of a generated log through the real binary: the alert and the recovery at the
//! seconds the profile implies, in the documented words; the reports' figures; malformed lines
//! counted; and the rows a page will read.

use std::path::Path;

use chrono::TimeDelta;
use sitewatch::db::models::traffic::{TrafficAlert, TrafficLog, TrafficMinute};

use super::{PROFILE, START, block, crossings, field, generate, rfc3339};
use crate::both_backends;
use crate::harness::sw;

both_backends! {
    fn a_replay_alerts_and_recovers_once_at_the_seconds_the_profile_implies(db) {
        let log = db.path().join("access.log");
        let written = generate(&log, PROFILE, &[100, 2_500, 4_700]);
        let expected = crossings(&written.per_second(), 120, 10.0);
        assert_eq!(expected.len(), 2, "the profile rises above 10/s and falls back once: {expected:?}");

        let stdout = sw(db, &["traffic", "access.log", "--once", "--from-start", "--threshold", "10", "--window", "120"]).ok();

        let alerts: Vec<&str> = stdout.lines().filter(|l| l.starts_with("High traffic")).collect();
        let (high, back) = (expected[0], expected[1]);
        assert_eq!(
            alerts,
            [
                format!("High traffic generated an alert - hits = {:.1}/s, triggered at {}", high.2, rfc3339(high.1)),
                format!("High traffic alert recovered - hits = {:.1}/s, recovered at {}", back.2, rfc3339(back.1)),
            ],
            "{stdout}"
        );
        assert_eq!(high.1, START + 160, "5/s for 120 s then 20/s: 15s - 1185 > 1200 first at s = 160");

        // The busiest sections of one 10 s interval in the 20/s stretch (10:03:00-10:03:10).
        let report = block(&stdout, "2026-11-30 10:03:00 → 10:03:10 UTC");
        assert!(!report.is_empty(), "no report for 10:03:00: {stdout}");
        assert_eq!(field(&report, "hits"), Some("200  (20.0/s)"));
        assert_eq!(field(&report, "sections"), Some(written.top_sections(START + 180, START + 190, 5).as_str()));
        let statuses = field(&report, "status").unwrap();
        let sum: u64 = statuses.split("   ").map(|s| s.rsplit_once(' ').unwrap().1.parse::<u64>().unwrap()).sum();
        assert_eq!(sum, 200, "{statuses}");

        let total = written.lines.len();
        assert_eq!(total, 4_800);
        assert!(
            stdout.contains("  malformed  1  (first: line 101, no [timestamp]: \"this is not an access log line 100\")"),
            "a malformed line is counted and shown: {stdout}"
        );
        assert_eq!(stdout.lines().last(), Some("read 4,803 lines: 4,800 counted, 3 malformed, 0 late"));
        let reported: u64 = stdout.lines().filter_map(|l| l.strip_prefix("  hits")).map(|l| l.trim().split(' ').next().unwrap().replace(',', "").parse::<u64>().unwrap()).sum();
        assert_eq!(reported as usize, total, "every line is in exactly one report");
        let malformed: u64 = stdout.lines().filter_map(|l| l.strip_prefix("  malformed")).map(|l| l.trim().split(' ').next().unwrap().parse::<u64>().unwrap()).sum();
        assert_eq!(malformed, 3);

        // What a page will read.
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let logs = TrafficLog::all(&mut conn).unwrap();
        assert_eq!(logs.len(), 1);
        let state = logs[0].clone();
        let name = state.name.clone();
        assert!(name.ends_with("/access.log") && Path::new(&name).is_absolute(), "named by its absolute path: {name}");
        assert_eq!(state.path, name);
        assert_eq!((state.threshold, state.window_secs, state.alerting_since), (10.0, 120, None));
        assert_eq!(state.mean, 2.0, "the last two minutes were at 2/s");
        assert_eq!(state.as_of.unwrap().and_utc().timestamp(), START + 599);
        let history = TrafficAlert::recent(&mut conn, &name, 10).unwrap();
        let events: Vec<(&str, i64)> = history.iter().map(|a| (a.event.as_str(), a.log_time.and_utc().timestamp())).collect();
        assert_eq!(events, [("traffic_recovered", back.1), ("traffic_high", high.1)]);
        let start = state.as_of.unwrap() - TimeDelta::hours(24);
        let minutes = TrafficMinute::between(&mut conn, &name, start, state.as_of.unwrap() + TimeDelta::minutes(1)).unwrap();
        let hits: Vec<i64> = minutes.iter().map(|m| m.hits).collect();
        assert_eq!(hits, [300, 300, 1200, 1200, 1200, 120, 120, 120, 120, 120]);

        let again = sw(db, &["traffic", "access.log", "--once", "--from-start", "--threshold", "10", "--window", "120"]).ok();
        assert_eq!(again.lines().filter(|l| l.starts_with("High traffic")).count(), 2, "a replay prints what it printed");
        assert_eq!(TrafficAlert::recent(&mut conn, &name, 10).unwrap().len(), 2, "and records nothing twice");
    }
}
