//! Failed logins by user name or client address, kept in the database so that several web
//! servers sharing one PostgreSQL agree on who is being slowed down.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::login_failures;
use crate::db::{DbConnection, Id};

/// Records one failed attempt against each subject (e.g. `user:alice` and `addr:10.0.0.7`).
pub fn record(conn: &mut DbConnection, subjects: &[String], at: NaiveDateTime) -> QueryResult<usize> {
    let mut written = 0;
    for subject in subjects {
        written += diesel::insert_into(login_failures::table)
            .values((
                login_failures::id.eq(Id::new()),
                login_failures::subject.eq(subject),
                login_failures::failed_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(written)
}

/// Failures of `subject` at or after `since`, and the oldest of them (when the window ends).
pub fn since(
    conn: &mut DbConnection,
    subject: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    login_failures::table
        .filter(login_failures::subject.eq(subject).and(login_failures::failed_at.ge(since)))
        .select((diesel::dsl::count_star(), diesel::dsl::min(login_failures::failed_at)))
        .first(conn)
}

/// Forgets a subject's failures (after a successful login).
pub fn clear(conn: &mut DbConnection, subject: &str) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::subject.eq(subject))).execute(conn)
}

/// Deletes failures too old to count any more, so the table stays small.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(cutoff))).execute(conn)
}
