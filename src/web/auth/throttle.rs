//! Slowing down password guessing: after 5 failures for one user name or one client address
//! within 15 minutes, further attempts answer 429 until the oldest failure leaves the window.

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::models::login_failure;
use crate::domain::api_token::hash_token;
use crate::domain::name::MAX_USERNAME_CHARS;
use crate::domain::text::could_be_stored;
use crate::web::error::WebError;

pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
pub const ALLOWED_FAILURES: i64 = 5;

/// What failures are counted against: the user name (case-folded) and the client's address.
/// A name no user could have (too long, control characters) is counted by its hash, so any
/// text typed into the form can be stored.
pub fn subjects(username: &str, address: Option<&str>) -> Vec<String> {
    let name = username.trim().to_lowercase();
    let name = if could_be_stored(&name, MAX_USERNAME_CHARS) { name } else { format!("#{}", hash_token(&name)) };
    let mut subjects = vec![format!("user:{name}")];
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
