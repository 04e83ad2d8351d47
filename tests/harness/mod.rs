//! Shared test harness: a fresh database per test on each backend, and the built binaries.
//!
//! PostgreSQL tests run when `SITEWATCH_TEST_DATABASE_URL` names a server they may create
//! databases on; without it they are ignored (reported as skipped, with the reason), except
//! under `CI=true`, where they run and fail. Tests needing ICMP sockets, netfilter or a browser
//! are marked the same way from what `build.rs` found on this machine.

#![allow(dead_code)]

pub mod command;
pub mod database;
pub mod http;
pub mod https;
pub mod netfilter;
pub mod receiver;
pub mod smtp;
pub mod snapshot;
pub mod tls;

pub use command::{Outcome, check, sw};
pub use database::{Backend, TestDb};
pub use snapshot::snapshot;

/// Runs `body` against a fresh database of `backend`, or explains why it cannot.
pub fn run_with(backend: Backend, body: fn(&TestDb)) {
    match TestDb::create(backend) {
        Some(db) => body(&db),
        None => eprintln!("skipped: {}", database::POSTGRES_NOT_CONFIGURED),
    }
}

/// Declares each test once and runs it as `<name>::sqlite` and `<name>::postgres`. Attributes
/// (docs, `cfg_attr(lacks_…, ignore = …)`) apply to both. Without `SITEWATCH_TEST_DATABASE_URL`
/// the PostgreSQL half is ignored, so the run reports it as skipped (see `build.rs`).
#[macro_export]
macro_rules! both_backends {
    ($($(#[$meta:meta])* fn $name:ident($db:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                fn body($db: &$crate::harness::TestDb) $body

                $(#[$meta])*
                #[test]
                fn sqlite() {
                    $crate::harness::run_with($crate::harness::Backend::Sqlite, body);
                }

                $(#[$meta])*
                // A second `ignore` (the test's own need and PostgreSQL both missing) is harmless.
                #[allow(unused_attributes)]
                #[cfg_attr(lacks_postgres, ignore = "needs PostgreSQL: set SITEWATCH_TEST_DATABASE_URL")]
                #[test]
                fn postgres() {
                    $crate::harness::run_with($crate::harness::Backend::Postgres, body);
                }
            }
        )*
    };
}

/// Waits for `condition` to hold, polling, and fails with `what` after `timeout`.
pub fn wait_until(what: &str, timeout: std::time::Duration, mut condition: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + timeout;
    while !condition() {
        assert!(std::time::Instant::now() < deadline, "timed out after {timeout:?} waiting until {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A test that needs something this machine lacks: says what and returns, so the caller can
/// stop there; under `CI=true` (where the setup must provide it) it fails instead.
pub fn lacking(what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("CI=true but this machine lacks {what}");
    }
    eprintln!("skipped: this machine lacks {what}");
}
