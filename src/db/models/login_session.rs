//! Signed-in browsers: one row per session, keyed by the SHA-256 of the secret its cookie
//! carries, so a copied cookie stops working the moment its row is gone.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::models::user::User;
use crate::db::schema::{login_sessions, users};
use crate::db::{DbConnection, Id};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_sessions)]
pub struct LoginSession {
    /// The SHA-256 (hex) of the cookie's secret.
    pub id: String,
    pub user_id: Id,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    /// What the browser said it was, and from where (for `sitewatch user sessions`).
    pub client: String,
}

impl LoginSession {
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(login_sessions::table).values(self).execute(conn)
    }

    /// The session and its user, if the session exists and was used within `idle`; an expired
    /// one is deleted. Its last use is recorded (at most once a minute).
    /// The session with this id and its user while it was used within `idle`; a session idle
    /// for longer is deleted here. Writes nothing else: `last_seen_at` moves by [`touch`](Self::touch).
    pub fn resume(
        conn: &mut DbConnection,
        id: &str,
        now: NaiveDateTime,
        idle: TimeDelta,
    ) -> QueryResult<Option<(LoginSession, User)>> {
        let found: Option<(LoginSession, User)> = login_sessions::table
            .inner_join(users::table)
            .filter(login_sessions::id.eq(id))
            .select((LoginSession::as_select(), User::as_select()))
            .first(conn)
            .optional()?;
        let Some((session, user)) = found else { return Ok(None) };
        if now - session.last_seen_at > idle {
            LoginSession::end(conn, id)?;
            return Ok(None);
        }
        Ok(Some((session, user)))
    }

    pub fn touch(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(login_sessions::table.find(id)).set(login_sessions::last_seen_at.eq(now)).execute(conn)
    }

    pub fn end(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
        diesel::delete(login_sessions::table.find(id)).execute(conn)
    }

    /// Ends every session of a user (a new password, a revocation).
    pub fn end_all_of(conn: &mut DbConnection, user_id: Id) -> QueryResult<usize> {
        diesel::delete(login_sessions::table.filter(login_sessions::user_id.eq(user_id))).execute(conn)
    }

    /// A user's sessions, the most recently used first.
    pub fn of_user(conn: &mut DbConnection, user_id: Id) -> QueryResult<Vec<LoginSession>> {
        login_sessions::table
            .filter(login_sessions::user_id.eq(user_id))
            .order(login_sessions::last_seen_at.desc())
            .select(LoginSession::as_select())
            .load(conn)
    }
}
