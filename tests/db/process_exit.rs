//! A process may end while another of its threads is still opening a PostgreSQL connection
//! (the pool opens connections on a thread of its own). The TLS library under libpq must not
//! be torn down under that thread: the end of `sitewatch notify test` once crashed that way.

use std::process::Command;
use std::time::Duration;

use diesel::r2d2::ManageConnection;
use sitewatch::db::Manager;
use sitewatch::domain::database_url::DatabaseUrl;

use crate::harness::{Backend, run_with};

/// Set in the child processes this test starts: the database they connect to.
const CHILD_URL: &str = "SITEWATCH_TEST_EXIT_CHILD_URL";
/// How long the child's main thread lives before it exits, in microseconds.
const CHILD_LIFETIME: &str = "SITEWATCH_TEST_EXIT_CHILD_MICROS";
const CHILDREN: u64 = 40;

#[cfg_attr(lacks_postgres, ignore = "needs PostgreSQL: set SITEWATCH_TEST_DATABASE_URL")]
#[test]
fn exiting_while_connections_are_being_opened_does_not_crash() {
    if let Ok(url) = std::env::var(CHILD_URL) {
        connect_until_exit(&url);
    }
    run_with(Backend::Postgres, |db| {
        let test = format!("{}::exiting_while_connections_are_being_opened_does_not_crash", test_module());
        for child in 0..CHILDREN {
            // Spread the exits over a connection's set-up, TLS handshake included.
            let lifetime = 2_000 + child * 37_000 % 40_000;
            let out = Command::new(std::env::current_exe().unwrap())
                .args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
                .env(CHILD_URL, &db.url)
                .env(CHILD_LIFETIME, lifetime.to_string())
                .output()
                .expect("start the test binary again");
            assert_eq!(
                out.status.code(),
                Some(0),
                "child {child} (exit after {lifetime} µs) ended with {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    });
}

/// Opens and closes connections on three threads and exits the process from this one.
fn connect_until_exit(url: &str) -> ! {
    let dir = std::env::temp_dir();
    let url = DatabaseUrl::parse(url, &dir).expect("the parent's database URL");
    for _ in 0..3 {
        let manager = Manager::new(url.clone());
        std::thread::spawn(move || {
            loop {
                drop(manager.connect());
            }
        });
    }
    let micros = std::env::var(CHILD_LIFETIME).ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    std::thread::sleep(Duration::from_micros(micros));
    std::process::exit(0);
}

/// This module's path as the test binary names tests (without the crate's name).
fn test_module() -> &'static str {
    let path = module_path!();
    path.split_once("::").map_or(path, |(_, rest)| rest)
}
