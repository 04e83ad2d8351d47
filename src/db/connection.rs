//! The one connection type for both backends, and the pool manager that opens the right one.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::ManageConnection;
use diesel::{Connection, PgConnection, SqliteConnection};

use crate::domain::database_url::DatabaseUrl;

/// SQLite waits this long for a competing writer (the checker or another web worker).
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs the same diesel code on the inner connection, for the few statements the combined
/// backend cannot express (multi-row INSERT, upserts). Use only inside `db/`.
macro_rules! on_each_backend {
    ($conn:expr, |$inner:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($inner) => $body,
            $crate::db::DbConnection::Postgres($inner) => $body,
        }
    };
}
pub(crate) use on_each_backend;

/// Prepares the process for libpq; idempotent, and called before every PostgreSQL connection.
///
/// The pool opens connections on a thread of its own, so one may still be in progress when the
/// process exits. Left to itself, libpq's first use of OpenSSL registers OpenSSL's exit-time
/// clean-up, which then frees the library's state under that thread and crashes the process
/// at its very end (after its work and output are done). Initialising OpenSSL first, without
/// that clean-up, leaves the freeing to the end of the process.
pub fn init_postgres_client() {
    openssl_sys::init();
}

/// Opens connections of the backend the URL names; never "tries each" (SQLite takes any string).
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
    statement_timeout: Option<Duration>,
}

impl Manager {
    pub fn new(url: DatabaseUrl) -> Manager {
        Manager { url, statement_timeout: None }
    }

    /// PostgreSQL cancels any statement of these connections that runs longer.
    pub fn with_statement_timeout(mut self, timeout: Option<Duration>) -> Manager {
        self.statement_timeout = timeout;
        self
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                init_postgres_client();
                let mut conn = PgConnection::establish(url).map_err(diesel::r2d2::Error::ConnectionError)?;
                if let Some(timeout) = self.statement_timeout {
                    conn.batch_execute(&format!("SET statement_timeout = {}", timeout.as_millis()))
                        .map_err(diesel::r2d2::Error::QueryError)?;
                }
                Ok(DbConnection::Postgres(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_str().ok_or_else(|| {
                    diesel::r2d2::Error::ConnectionError(diesel::ConnectionError::InvalidConnectionUrl(
                        "the SQLite path is not valid UTF-8".into(),
                    ))
                })?;
                let mut conn = SqliteConnection::establish(path).map_err(diesel::r2d2::Error::ConnectionError)?;
                // WAL lets the web app read while `check` writes; FULL sync keeps a committed
                // round on disk through a power cut; foreign keys are off by default in SQLite.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                    SQLITE_BUSY_TIMEOUT.as_millis()
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Runs `f` in a transaction that holds the write lock from its first statement.
///
/// On SQLite a plain `BEGIN` that reads and then writes can fail at once with "database is
/// locked" when another writer got there first; `BEGIN IMMEDIATE` waits for the busy timeout
/// instead. PostgreSQL's row locks make the ordinary transaction right there.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?,
        DbConnection::Postgres(_) => <DbConnection as Connection>::TransactionManager::begin_transaction(conn)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}
