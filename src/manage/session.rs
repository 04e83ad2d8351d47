//! Signed-in sessions: started at sign-in, resumed on every request while used within
//! `[web] session_days`, ended by signing out, by a new password, or by `user sessions
//! --revoke`. The cookie holds only a random secret; the database holds its hash.

use chrono::TimeDelta;

use super::error::ManageError;
use crate::db::models::login_session::LoginSession;
use crate::db::models::user::User;
use crate::db::{DbConnection, write_transaction};
use crate::domain::api_token::{hash_token, random_hex};
use crate::domain::time::now_utc;

/// How much of a browser's description is kept.
const MAX_CLIENT_CHARS: usize = 200;

/// A readable, bounded description of where a session was started.
pub fn describe_client(user_agent: Option<&str>, address: Option<&str>) -> String {
    let agent: String = user_agent.unwrap_or("unknown browser").chars().filter(|c| !c.is_control()).collect();
    let mut text = match address {
        Some(address) => format!("{} from {address}", agent.trim()),
        None => agent.trim().to_owned(),
    };
    if let Some((cut, _)) = text.char_indices().nth(MAX_CLIENT_CHARS) {
        text.truncate(cut);
    }
    text
}

/// Starts a session for `user`; returns the secret its cookie carries (shown nowhere else).
pub fn start(conn: &mut DbConnection, user: &User, client: &str) -> Result<String, ManageError> {
    let secret = random_hex(32);
    let now = now_utc();
    let session = LoginSession {
        id: hash_token(&secret),
        user_id: user.id,
        created_at: now,
        last_seen_at: now,
        client: client.to_owned(),
    };
    session.insert(conn)?;
    Ok(secret)
}

/// The session the cookie's secret names and its user, while it is used within `idle`.
pub fn resume(
    conn: &mut DbConnection,
    secret: &str,
    idle: TimeDelta,
) -> Result<Option<(LoginSession, User)>, ManageError> {
    Ok(LoginSession::resume(conn, &hash_token(secret), now_utc(), idle)?)
}

/// Notes that the session (by its id, as `resume` returned it) was just used.
pub fn touch(conn: &mut DbConnection, session_id: &str) -> Result<(), ManageError> {
    LoginSession::touch(conn, session_id, now_utc())?;
    Ok(())
}

/// Signing out: the session ends here and wherever its cookie was copied.
pub fn end(conn: &mut DbConnection, secret: &str) -> Result<(), ManageError> {
    LoginSession::end(conn, &hash_token(secret))?;
    Ok(())
}

/// A user's sessions, most recently used first.
pub fn of_user(conn: &mut DbConnection, username: &str) -> Result<(User, Vec<LoginSession>), ManageError> {
    let user = User::by_username(conn, username)?;
    let sessions = LoginSession::of_user(conn, user.id)?;
    Ok((user, sessions))
}

/// Ends every session of a user; returns how many there were.
pub fn revoke_all(conn: &mut DbConnection, username: &str) -> Result<usize, ManageError> {
    write_transaction(conn, |c| {
        let user = User::by_username(c, username)?;
        Ok(LoginSession::end_all_of(c, user.id)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_described_briefly_and_without_control_characters() {
        assert_eq!(describe_client(Some("curl/8\n"), Some("127.0.0.1")), "curl/8 from 127.0.0.1");
        assert_eq!(describe_client(None, None), "unknown browser");
        assert_eq!(describe_client(Some(&"x".repeat(500)), None).chars().count(), MAX_CLIENT_CHARS);
    }
}
