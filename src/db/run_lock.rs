//! The run lock: at most one check round per location and database at a time, on either backend.
//!
//! SQLite: an exclusive `flock` on a file beside the database (SQLite has one location).
//! PostgreSQL: a session-level advisory lock keyed by the location, held on one connection for
//! the whole round, so checkers of one location on several machines exclude each other (a
//! standby takes over when the active one stops) while different locations run at the same
//! time. Both are released by the operating system or the server when the process dies, even
//! by SIGKILL: a killed round never blocks the next one.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use diesel::sql_types::{BigInt, Bool, Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::{Db, DbConnection, DbError, PooledConn};
use crate::domain::database_url::DatabaseUrl;
use crate::domain::quorum::DEFAULT_LOCATION;

/// Arbitrary constant naming the default location's round lock among PostgreSQL advisory
/// locks (per database); it is the key rounds used before there were locations.
const POSTGRES_ROUND_LOCK: i64 = 0x5357_0002;

/// The first half of the two-part advisory lock key of every other location; the second half is
/// `hashtext(location)`. Two names of equal hash would share a lock: they then take turns, which
/// is safe, merely slower.
const POSTGRES_LOCATION_LOCK_CLASS: i32 = 0x5357_0004;

/// Held for the duration of a round; dropping it releases the lock.
pub enum RunLock {
    File { _file: File },
    Postgres { conn: Box<PooledConn>, location: String },
}

#[derive(QueryableByName)]
struct Acquired {
    #[diesel(sql_type = Bool)]
    acquired: bool,
}

impl RunLock {
    /// Takes `location`'s lock without waiting; `Ok(None)` when another round of the same
    /// location holds it.
    pub fn try_acquire(db: &Db, location: &str) -> Result<Option<RunLock>, DbError> {
        match db.url() {
            DatabaseUrl::Sqlite(path) => {
                let lock_path = lock_file_path(path);
                let file =
                    OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path).map_err(|e| {
                        DbError::Open {
                            target: lock_path.display().to_string(),
                            reason: format!("cannot open the lock file: {e}"),
                        }
                    })?;
                match file.try_lock() {
                    Ok(()) => Ok(Some(RunLock::File { _file: file })),
                    Err(TryLockError::WouldBlock) => Ok(None),
                    Err(TryLockError::Error(e)) => Err(DbError::Open {
                        target: lock_path.display().to_string(),
                        reason: format!("cannot lock the lock file: {e}"),
                    }),
                }
            }
            DatabaseUrl::Postgres(_) => {
                let mut conn = db.conn()?;
                let DbConnection::Postgres(pg) = &mut *conn else {
                    unreachable!("a postgres:// URL always opens a PostgreSQL connection")
                };
                let row: Acquired = if location == DEFAULT_LOCATION {
                    diesel::sql_query("SELECT pg_try_advisory_lock($1) AS acquired")
                        .bind::<BigInt, _>(POSTGRES_ROUND_LOCK)
                        .get_result(pg)?
                } else {
                    diesel::sql_query("SELECT pg_try_advisory_lock($1, hashtext($2)) AS acquired")
                        .bind::<Integer, _>(POSTGRES_LOCATION_LOCK_CLASS)
                        .bind::<Text, _>(location)
                        .get_result(pg)?
                };
                Ok(row.acquired.then_some(RunLock::Postgres { conn: Box::new(conn), location: location.to_owned() }))
            }
        }
    }

    /// Where the lock is held, for the "another round is running" message.
    pub fn describe(db: &Db, location: &str) -> String {
        match db.url() {
            DatabaseUrl::Sqlite(path) => format!("lock file {}", lock_file_path(path).display()),
            DatabaseUrl::Postgres(_) if location == DEFAULT_LOCATION => {
                format!("advisory lock {POSTGRES_ROUND_LOCK} on {}", db.url())
            }
            DatabaseUrl::Postgres(_) => format!("location `{location}`'s advisory lock on {}", db.url()),
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        if let RunLock::Postgres { conn, location } = self
            && let DbConnection::Postgres(pg) = &mut ***conn
        {
            // The pooled connection outlives the round, so the session lock must be let go here.
            let _ = if location == DEFAULT_LOCATION {
                diesel::sql_query("SELECT pg_advisory_unlock($1)").bind::<BigInt, _>(POSTGRES_ROUND_LOCK).execute(pg)
            } else {
                diesel::sql_query("SELECT pg_advisory_unlock($1, hashtext($2))")
                    .bind::<Integer, _>(POSTGRES_LOCATION_LOCK_CLASS)
                    .bind::<Text, _>(location.as_str())
                    .execute(pg)
            };
        }
    }
}

fn lock_file_path(database: &std::path::Path) -> PathBuf {
    let mut name = database.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push("-check.lock");
    database.with_file_name(name)
}
