//! When a session or an API token was last used: written at most once a minute, and never on
//! the request's path.
//!
//! A request that finds the mark due hands the write to the blocking pool and goes on. Were it
//! to wait, it would stall while another writer holds the database (on SQLite a round of
//! `check` holds the write lock for the length of each batch), and every request arriving in
//! that moment would find the mark due too and queue behind it. At most one write per session
//! or token is under way at a time.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::models::api_token::ApiToken;
use crate::db::{Db, Id};
use crate::domain::time::now_utc;
use crate::manage::ManageError;
use crate::manage::session as login_session;

/// A mark is written again only when it is older than this.
const WRITE_EVERY: TimeDelta = TimeDelta::minutes(1);

/// Whose last use is noted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum User {
    /// A signed-in session, by its id (the hash of the cookie's secret).
    Session(String),
    Token(Id),
}

impl User {
    fn kind(&self) -> &'static str {
        match self {
            User::Session(_) => "session",
            User::Token(_) => "API token",
        }
    }
}

/// Where the marks go, and those being written now.
pub struct LastUse {
    db: Db,
    writing: Arc<Mutex<HashSet<User>>>,
}

impl LastUse {
    pub fn new(db: Db) -> LastUse {
        LastUse { db, writing: Arc::default() }
    }

    /// Notes a use, now, of what was last marked at `last`: in the background, when due.
    pub fn note(&self, user: User, last: Option<NaiveDateTime>) {
        if last.is_some_and(|at| now_utc() - at <= WRITE_EVERY) {
            return;
        }
        if !self.writing.lock().unwrap_or_else(|e| e.into_inner()).insert(user.clone()) {
            return;
        }
        let writing = Arc::clone(&self.writing);
        let db = self.db.clone();
        actix_web::rt::task::spawn_blocking(move || {
            if let Err(error) = write(&db, &user) {
                tracing::warn!(of = user.kind(), %error, "could not note a last use; a later request tries again");
            }
            writing.lock().unwrap_or_else(|e| e.into_inner()).remove(&user);
        });
    }
}

fn write(db: &Db, user: &User) -> Result<(), ManageError> {
    let mut conn = db.conn()?;
    match user {
        User::Session(id) => login_session::touch(&mut conn, id),
        User::Token(id) => Ok(ApiToken::touch(&mut conn, *id).map(drop)?),
    }
}
