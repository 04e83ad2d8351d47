//! Slowing down password guessing: after 5 failures for one user name or one client address
//! within 15 minutes, further attempts answer 429 until the oldest failure leaves the window.

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::models::login_failure;
use crate::web::error::WebError;

pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
pub const ALLOWED_FAILURES: i64 = 5;

/// What failures are counted against: the user name (case-folded) and the client's address.
pub fn subjects(username: &str, address: Option<&str>) -> Vec<String> {
    let mut subjects = vec![format!("user:{}", username.trim().to_lowercase())];
    if let Some(address) = address {
        subjects.push(format!("addr:{address}"));
    }
    subjects
}

/// Refuses with 429 when any subject has used up its failures.
pub fn check(conn: &mut DbConnection, subjects: &[String], now: NaiveDateTime) -> Result<(), WebError> {
    for subject in subjects {
        let (failures, oldest) = login_failure::since(conn, subject, now - WINDOW)?;
        if failures >= ALLOWED_FAILURES {
            let retry_after_secs = oldest.map_or(WINDOW.num_seconds(), |t| (t + WINDOW - now).num_seconds().max(1));
            return Err(WebError::TooManyRequests {
                message: format!(
                    "too many failed sign-ins; try again in {}",
                    crate::domain::readable::readable_time(retry_after_secs)
                ),
                retry_after_secs,
            });
        }
    }
    Ok(())
}

pub fn record_failure(conn: &mut DbConnection, subjects: &[String], now: NaiveDateTime) -> Result<(), WebError> {
    login_failure::purge_before(conn, now - WINDOW)?;
    login_failure::record(conn, subjects, now)?;
    Ok(())
}

/// A good password clears the user name's failures (not the address's: one person succeeding
/// says nothing about the other names tried from there).
pub fn record_success(conn: &mut DbConnection, subjects: &[String]) -> Result<(), WebError> {
    if let Some(user) = subjects.first() {
        login_failure::clear(conn, user)?;
    }
    Ok(())
}
