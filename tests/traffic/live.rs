//! A live run of the real binary: lines appended as a server writes them, a rotation and a
//! truncation in the middle, each line in exactly one report, and Ctrl-C ending it cleanly with
//! its state recorded.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sitewatch::db::models::traffic::TrafficLog;

use super::START;
use crate::both_backends;
use crate::harness::{TestDb, sw, wait_until};

const DEADLINE: Duration = Duration::from_secs(30);

/// `count` lines for each second of `seconds` (after `START`).
fn lines(seconds: std::ops::Range<i64>, count: usize, written: &mut Vec<i64>) -> String {
    let mut text = String::new();
    for second in seconds {
        let stamp = chrono::DateTime::from_timestamp(START + second, 0).unwrap().format("%d/%b/%Y:%H:%M:%S +0000");
        for n in 0..count {
            text.push_str(&format!("10.0.0.{n} - - [{stamp}] \"GET /p/{second} HTTP/1.1\" 200 10 \"-\" \"test\"\n"));
            written.push(second);
        }
    }
    text
}

/// Collects the child's stdout as it comes.
fn capture(child: &mut Child) -> Arc<Mutex<String>> {
    let out = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().unwrap();
    let shared = Arc::clone(&out);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut chunk) {
            if n == 0 {
                break;
            }
            shared.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    out
}

/// The running binary; killed if the test fails before stopping it.
struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn stop(running: &mut Running) -> i32 {
    let mut child = running.0.take().expect("still running");
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) }, 0);
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the live run did not end within {DEADLINE:?} of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `(interval start, hits)` of every report block printed so far.
fn reports(stdout: &str) -> Vec<(String, u64)> {
    let mut found = Vec::new();
    let mut header = None;
    for line in stdout.lines() {
        if line.starts_with("2026-") && line.ends_with(" UTC") {
            header = Some(line[11..19].to_owned());
        } else if let (Some(start), Some(hits)) = (&header, line.strip_prefix("  hits")) {
            found.push((start.clone(), hits.trim().split(' ').next().unwrap().replace(',', "").parse().unwrap()));
        }
    }
    found
}

fn running_log(db: &TestDb) -> Option<TrafficLog> {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    TrafficLog::all(&mut conn).unwrap().into_iter().next()
}

both_backends! {
    fn a_live_run_follows_rotation_and_truncation_and_stops_cleanly_on_ctrl_c(db) {
        let path = db.path().join("live.log");
        std::fs::write(&path, lines(0..1, 1, &mut Vec::new())).unwrap();
        let mut child = sw(db, &["traffic", "live.log", "--threshold", "1000"]).spawn();
        let stdout = capture(&mut child);
        let mut running = Running(Some(child));
        let text = || stdout.lock().unwrap().clone();
        wait_until("the watch has started", DEADLINE, || running_log(db).is_some());

        let mut written = Vec::new();
        let mut log = OpenOptions::new().append(true).open(&path).unwrap();
        log.write_all(lines(0..40, 2, &mut written).as_bytes()).unwrap();
        log.write_all(lines(50..51, 1, &mut written).as_bytes()).unwrap();
        wait_until("10:00:30 is reported", DEADLINE, || text().contains("10:00:30 → 10:00:40"));

        std::fs::rename(&path, db.path().join("live.log.1")).unwrap();
        log.write_all(lines(45..55, 2, &mut written).as_bytes()).unwrap();
        drop(log);
        let mut log = OpenOptions::new().create(true).append(true).open(&path).unwrap();
        log.write_all(lines(55..70, 2, &mut written).as_bytes()).unwrap();
        log.write_all(lines(80..81, 1, &mut written).as_bytes()).unwrap();
        wait_until("10:01:00 is reported", DEADLINE, || text().contains("10:01:00 → 10:01:10"));
        assert!(text().contains("live.log was rotated; reading the new file from its start"), "{}", text());

        log.set_len(0).unwrap();
        wait_until("the truncation is noticed", DEADLINE, || text().contains("live.log was truncated"));
        log.write_all(lines(80..100, 2, &mut written).as_bytes()).unwrap();
        log.write_all(lines(115..116, 1, &mut written).as_bytes()).unwrap();
        wait_until("10:01:30 is reported", DEADLINE, || text().contains("10:01:30 → 10:01:40"));

        assert_eq!(stop(&mut running), 0, "Ctrl-C ends a live run cleanly");
        let out = text();
        assert!(out.contains("10:01:10 → 10:01:20 UTC  no hits"), "{out}");
        let mut per_interval: std::collections::BTreeMap<i64, u64> = Default::default();
        for second in written.iter().filter(|s| **s < 110) {
            *per_interval.entry(second - second % 10).or_default() += 1;
        }
        let expected: Vec<(String, u64)> = per_interval
            .into_iter()
            .map(|(start, hits)| {
                (chrono::DateTime::from_timestamp(START + start, 0).unwrap().format("%H:%M:%S").to_string(), hits)
            })
            .collect();
        assert_eq!(reports(&out), expected, "each line in exactly one report: {out}");
        assert_eq!(expected.iter().map(|(_, h)| h).sum::<u64>(), 172);

        let state = running_log(db).unwrap();
        assert_eq!(state.as_of.unwrap().and_utc().timestamp(), START + 104, "the state as the run stopped");
    }
}
