//! What every handler shares: the pool, the settings pages need, the dashboard cache and the
//! counter that admin writes bump so cached pages are rebuilt.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::web;
use chrono_tz::Tz;

use super::dashboard::DashboardCache;
use super::error::WebError;
use super::metrics::WindowMetrics;
use crate::db::{Db, DbConnection, write_transaction};
use crate::manage::ManageError;

pub struct AppState {
    pub db: Db,
    pub time_zone: Tz,
    pub dashboard: DashboardCache,
    pub window_metrics: WindowMetrics,
    /// Bumped by every change made through the web app; part of the dashboard cache key.
    generation: AtomicU64,
    /// An argon2 hash checked when a login names no user, so both cases take as long.
    pub dummy_hash: String,
}

impl AppState {
    pub fn new(db: Db, time_zone: Tz, dummy_hash: String) -> AppState {
        AppState {
            db,
            time_zone,
            dashboard: DashboardCache::default(),
            window_metrics: WindowMetrics::default(),
            generation: AtomicU64::new(0),
            dummy_hash,
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Marks cached pages out of date after a change.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE` on SQLite) on the blocking pool.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        E: From<diesel::result::Error> + Into<WebError>,
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    {
        self.run(move |conn| write_transaction(conn, f).map_err(Into::into)).await
    }

    /// Runs a use case on the blocking pool. The outer error is the request's (no connection);
    /// the inner one is the use case's refusal, for the handler to show in its own way.
    pub async fn manage<T, F>(&self, f: F) -> Result<Result<T, ManageError>, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ManageError> + Send + 'static,
    {
        self.run(move |conn| Ok(f(conn))).await
    }

    /// Runs `f` with a pooled connection on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, WebError> + Send + 'static,
    {
        let db = self.db.clone();
        web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| WebError::Internal(format!("a database task failed: {e}")))?
    }
}
