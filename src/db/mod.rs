//! The database: one connection type and pool for SQLite and PostgreSQL, migrations, models.
//!
//! Code outside this module never asks which backend it runs on; the few statements that differ
//! (locks, upserts, migration folders) are matched on the connection variant here.

mod bulk;
pub mod connection;
pub mod counts;
pub mod day_counts;
mod error;
mod id;
mod migrations;
pub mod models;
pub mod run_lock;
pub mod schema;
mod slugs;
mod unnest;

use std::time::Duration;

use diesel::r2d2::{ManageConnection, Pool, PooledConnection};

pub use connection::{DbConnection, Manager, MultiBackend, init_postgres_client, write_transaction};
pub use error::DbError;
pub use id::Id;

use crate::domain::database_url::DatabaseUrl;

pub type PooledConn = PooledConnection<Manager>;

/// A pool of connections to one database.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    url: DatabaseUrl,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("url", &self.url.to_string()).finish()
    }
}

/// How a pool hands out connections.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_connections: u32,
    /// How long a caller waits for a free connection before giving up.
    pub wait: Duration,
    /// On PostgreSQL, statements running longer are cancelled (`statement_timeout`).
    pub statement_timeout: Option<Duration>,
}

impl PoolOptions {
    pub fn sized(max_connections: u32) -> PoolOptions {
        PoolOptions { max_connections, wait: Duration::from_secs(30), statement_timeout: None }
    }
}

impl Db {
    /// Opens a pool of at most `max_connections`; the first connection is made at once so a
    /// wrong URL or an unreachable server is reported with its real cause.
    pub fn open(url: &DatabaseUrl, max_connections: u32) -> Result<Db, DbError> {
        Db::open_with(url, PoolOptions::sized(max_connections))
    }

    pub fn open_with(url: &DatabaseUrl, options: PoolOptions) -> Result<Db, DbError> {
        let manager = Manager::new(url.clone()).with_statement_timeout(options.statement_timeout);
        let first = manager.connect().map_err(|e| DbError::Open { target: url.to_string(), reason: e.to_string() })?;
        drop(first);
        let pool = Pool::builder()
            .max_size(options.max_connections.max(1))
            .min_idle(Some(0))
            .connection_timeout(options.wait)
            .build_unchecked(manager);
        Ok(Db { pool, url: url.clone() })
    }

    /// Opens the database and brings its schema up to date.
    pub fn open_and_migrate(url: &DatabaseUrl, max_connections: u32) -> Result<Db, DbError> {
        let db = Db::open(url, max_connections)?;
        db.migrate()?;
        Ok(db)
    }

    pub fn conn(&self) -> Result<PooledConn, DbError> {
        self.pool.get().map_err(|e| DbError::Pool(e.to_string()))
    }

    /// Opens a fresh connection (not a pooled one, which may hide a lost database) and reads
    /// a table through it: what a health check needs to know.
    pub fn check_reachable(&self) -> Result<(), DbError> {
        let mut conn = Manager::new(self.url.clone())
            .connect()
            .map_err(|e| DbError::Open { target: self.url.to_string(), reason: e.to_string() })?;
        models::user::User::count(&mut conn)?;
        Ok(())
    }

    /// Applies pending migrations; returns the versions applied (empty when up to date).
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.conn()?;
        migrations::run_pending(&mut conn)
            .map_err(|reason| DbError::Migrate { target: self.url.to_string(), reason: reason.to_string() })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }
}
