//! The one cached snapshot every public route is served from, and how it is built.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono_tz::Tz;

use super::load::{BadgeFacts, PublicView};
use crate::db::Db;
use crate::domain::time::now_utc;
use crate::web::blocking::with_conn;
use crate::web::cache::SingleFlight;
use crate::web::dashboard::{Dashboard, Encoded, Key, MAX_AGE};
use crate::web::error::WebError;

/// What a snapshot is built from: the database, the round it reflects and the latest change.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub db: &'a Db,
    pub dashboard: &'a Dashboard,
    pub generation: u64,
    pub time_zone: Tz,
    pub public_url: &'a url::Url,
}

pub struct Snapshot {
    pub(super) html: Encoded,
    pub(super) json: Encoded,
    pub(super) atom: Encoded,
    pub(super) badges: HashMap<String, BadgeFacts>,
}

#[derive(Default)]
pub struct PublicCache {
    snapshot: SingleFlight<Key, Snapshot>,
}

impl PublicCache {
    /// The snapshot for the newest round and the latest change, or the previous round's while
    /// the refresher builds it (see `Dashboard::follow`).
    pub async fn get(&self, source: Source<'_>) -> Result<Arc<Snapshot>, WebError> {
        let key = (source.dashboard.newest_round(source.db, true).await?, source.generation);
        source.dashboard.follow(&self.snapshot, key, || build(source)).await
    }

    /// Rebuilds the snapshot when it is out of date or older than `MAX_AGE` (the refresher),
    /// once someone has asked for it.
    pub async fn refresh(&self, source: Source<'_>) -> Result<(), WebError> {
        if self.snapshot.current().is_none() {
            return Ok(());
        }
        let key = (source.dashboard.newest_round(source.db, false).await?, source.generation);
        if self.snapshot.needs_refresh(&key, MAX_AGE) {
            self.snapshot.refresh(key, || build(source)).await?;
        }
        Ok(())
    }
}

async fn build(source: Source<'_>) -> Result<Snapshot, WebError> {
    let started = Instant::now();
    let (tz, public_url) = (source.time_zone, source.public_url.clone());
    let snapshot = with_conn(source.db, move |conn| {
        let view = PublicView::load(conn, tz, now_utc())?;
        Ok(Snapshot {
            html: Encoded::new(super::page::html(&view, tz)?.into_bytes()),
            json: Encoded::new(super::page::json(&view, tz)?),
            atom: Encoded::new(super::feed::atom(&view, &public_url, tz)?),
            badges: view.badges,
        })
    })
    .await?;
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "public status rebuilt");
    Ok(snapshot)
}
