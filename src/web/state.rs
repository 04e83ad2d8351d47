//! What every handler shares: the pool, the settings pages need, the cached figures and the
//! counter that admin writes bump so cached pages are rebuilt.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::web::Bytes;
use chrono_tz::Tz;

use super::blocking::with_conn;
use super::cache::SingleFlight;
use super::dashboard::{Dashboard, Key as DashboardKey, Rendered};
use super::error::WebError;
use super::last_use::LastUse;
use super::public::snapshot::{PublicCache, Snapshot, Source};
use crate::db::{Db, DbConnection};
use crate::manage::ManageError;
use crate::settings::Settings;

pub struct AppState {
    pub db: Db,
    pub time_zone: Tz,
    /// What alerts queued by the web app (an incident note sent out) and links need.
    pub settings: Arc<Settings>,
    pub dashboard: Dashboard,
    /// The public status page, its JSON, its feed and the badges.
    pub public: PublicCache,
    /// The availability block of `/metrics`, summed by the background refresher for the
    /// dashboard's picture of the same key.
    pub window_metrics: SingleFlight<DashboardKey, Bytes>,
    /// The per-site part of `/metrics`, encoded once per dashboard picture.
    pub site_metrics: SingleFlight<DashboardKey, Bytes>,
    /// Bumped by every change made through the web app; part of the dashboard cache key.
    generation: AtomicU64,
    /// An argon2 hash checked when a login names no user, so both cases take as long.
    pub dummy_hash: String,
    /// A session unused for this long ends.
    pub session_idle: chrono::TimeDelta,
    /// When sessions and API tokens were last used, written in the background.
    pub last_use: LastUse,
}

impl AppState {
    pub fn new(db: Db, settings: Arc<Settings>, dummy_hash: String, session_idle: chrono::TimeDelta) -> AppState {
        let last_use = LastUse::new(db.clone());
        AppState {
            db,
            time_zone: settings.time_zone,
            settings,
            dashboard: Dashboard::default(),
            public: PublicCache::default(),
            window_metrics: SingleFlight::default(),
            site_metrics: SingleFlight::default(),
            generation: AtomicU64::new(0),
            dummy_hash,
            session_idle,
            last_use,
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The dashboard's picture, current as of the newest round and the latest change.
    pub async fn picture(&self) -> Result<Arc<Rendered>, WebError> {
        self.dashboard.get(&self.db, self.time_zone, self.generation()).await
    }

    /// The public status page's snapshot, current as of the newest round and the latest change.
    pub async fn public_snapshot(&self) -> Result<Arc<Snapshot>, WebError> {
        self.public.get(self.public_source()).await
    }

    /// Rebuilds the public snapshot if it is out of date (the background refresher).
    pub async fn refresh_public(&self) -> Result<(), WebError> {
        self.public.refresh(self.public_source()).await
    }

    fn public_source(&self) -> Source<'_> {
        Source {
            db: &self.db,
            dashboard: &self.dashboard,
            generation: self.generation(),
            time_zone: self.time_zone,
            public_url: &self.settings.public_url,
        }
    }

    /// Marks cached pages out of date after a change.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
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
        with_conn(&self.db, f).await
    }
}
