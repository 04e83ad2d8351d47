//! The run lock: at most one check round per database at a time, on either backend.
//!
//! SQLite: an exclusive `flock` on a file beside the database. PostgreSQL: a session-level
//! advisory lock held on one connection for the whole round, so checkers on several machines
//! sharing the database exclude each other. Both are released by the operating system or the
//! server when the process dies, even by SIGKILL: a killed round never blocks the next one.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use diesel::sql_types::{BigInt, Bool};
use diesel::{QueryableByName, RunQueryDsl};

use super::{Db, DbConnection, DbError, PooledConn};
use crate::domain::database_url::DatabaseUrl;

/// Arbitrary constant naming the round lock among PostgreSQL advisory locks (per database).
const POSTGRES_ROUND_LOCK: i64 = 0x5357_0002;

/// Held for the duration of a round; dropping it releases the lock.
pub enum RunLock {
    File { _file: File },
    Postgres { conn: PooledConn },
}

#[derive(QueryableByName)]
struct Acquired {
    #[diesel(sql_type = Bool)]
    acquired: bool,
}

impl RunLock {
    /// Takes the lock without waiting; `Ok(None)` when another round holds it.
    pub fn try_acquire(db: &Db) -> Result<Option<RunLock>, DbError> {
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
                let row: Acquired = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS acquired")
                    .bind::<BigInt, _>(POSTGRES_ROUND_LOCK)
                    .get_result(pg)?;
                Ok(row.acquired.then_some(RunLock::Postgres { conn }))
            }
        }
    }

    /// Where the lock is held, for the "another round is running" message.
    pub fn describe(db: &Db) -> String {
        match db.url() {
            DatabaseUrl::Sqlite(path) => format!("lock file {}", lock_file_path(path).display()),
            DatabaseUrl::Postgres(_) => format!("advisory lock {POSTGRES_ROUND_LOCK} on {}", db.url()),
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        if let RunLock::Postgres { conn } = self
            && let DbConnection::Postgres(pg) = &mut **conn
        {
            // The pooled connection outlives the round, so the session lock must be let go here.
            let _ =
                diesel::sql_query("SELECT pg_advisory_unlock($1)").bind::<BigInt, _>(POSTGRES_ROUND_LOCK).execute(pg);
        }
    }
}

fn lock_file_path(database: &std::path::Path) -> PathBuf {
    let mut name = database.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push("-check.lock");
    database.with_file_name(name)
}
