//! Shared test harness: a fresh database per test on each backend, and the built binaries.
//!
//! PostgreSQL tests run when `SITEWATCH_TEST_DATABASE_URL` names a server they may create
//! databases on; without it they say so and pass, except under `CI=true`, where they fail.

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

/// Declares each test once and runs it as `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($(#[doc = $doc:literal])* fn $name:ident($db:ident) $body:block)*) => {
        $(
            $(#[doc = $doc])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                fn body($db: &$crate::harness::TestDb) $body

                #[test]
                fn sqlite() {
                    $crate::harness::run_with($crate::harness::Backend::Sqlite, body);
                }

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
