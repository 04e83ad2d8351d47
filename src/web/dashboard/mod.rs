//! The dashboard and everything drawn from the same picture (`/data.json`, `/metrics`), built
//! from `sites.last_*` and the hourly rollups (never the views table) and cached.
//!
//! The cache is rebuilt when a newer check round has finished or something was changed through
//! the web app, and in the background every half minute so "3 minutes ago" stays true (and
//! changes made by the CLI or another web server show up). Requests during a rebuild get the
//! previous copy, so at most one request in a round waits.

mod render;
mod summary;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

use super::error::WebError;
use super::state::AppState;
use crate::db::Id;
use crate::db::models::check_run::CheckRun;

pub use render::{SiteRow, label, site_rows};
pub use summary::{SiteSummary, Summary};

/// A copy older than this is rebuilt in the background.
const MAX_AGE: Duration = Duration::from_secs(30);
/// The newest finished round is looked up at most this often.
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// The newest finished round: its id and when it finished.
type RoundMark = Option<(Id, NaiveDateTime)>;

/// What the cached copy was built from: the newest finished round and the change counter.
type Key = (RoundMark, u64);

/// A body in plain and gzip form, compressed once per build rather than once per request.
pub struct Encoded {
    plain: Bytes,
    gzip: Bytes,
}

impl Encoded {
    fn new(plain: Vec<u8>) -> Encoded {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let gzip = encoder.write_all(&plain).and_then(|()| encoder.finish()).unwrap_or_default();
        Encoded { plain: Bytes::from(plain), gzip: Bytes::from(gzip) }
    }

    /// The response, gzipped when the client accepts it.
    pub fn respond(&self, req: &HttpRequest, content_type: &str) -> HttpResponse {
        let gzip_ok = !self.gzip.is_empty()
            && req
                .headers()
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
        let mut response = HttpResponse::Ok();
        response
            .content_type(content_type)
            .insert_header((header::VARY, "Accept-Encoding"))
            .insert_header((header::CACHE_CONTROL, "private, no-cache"));
        if gzip_ok {
            response.insert_header((header::CONTENT_ENCODING, "gzip")).body(self.gzip.clone())
        } else {
            response.body(self.plain.clone())
        }
    }
}

pub struct Rendered {
    key: Key,
    built: Instant,
    pub html: Encoded,
    pub json: Encoded,
    pub metrics: Bytes,
    pub summary: Arc<Summary>,
}

#[derive(Default)]
pub struct DashboardCache {
    current: Mutex<Option<Arc<Rendered>>>,
    rebuilding: AtomicBool,
    probe: Mutex<Option<(Instant, RoundMark)>>,
}

/// Held while one request or task rebuilds; clears the flag however the rebuild ends.
struct Rebuilding(web::Data<AppState>);

impl Rebuilding {
    fn try_start(state: &web::Data<AppState>) -> Option<Rebuilding> {
        state
            .dashboard
            .rebuilding
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()
            .map(|_| Rebuilding(state.clone()))
    }
}

impl Drop for Rebuilding {
    fn drop(&mut self) {
        self.0.dashboard.rebuilding.store(false, Ordering::Release);
    }
}

impl DashboardCache {
    fn stored(&self) -> Option<Arc<Rendered>> {
        self.current.lock().expect("dashboard cache lock").clone()
    }

    async fn newest_round(state: &AppState) -> Result<RoundMark, WebError> {
        if let Some((at, mark)) = *state.dashboard.probe.lock().expect("probe lock")
            && at.elapsed() < PROBE_EVERY
        {
            return Ok(mark);
        }
        let mark = state
            .run(|conn| Ok(CheckRun::latest_finished(conn)?.and_then(|r| r.finished_at.map(|f| (r.id, f)))))
            .await?;
        *state.dashboard.probe.lock().expect("probe lock") = Some((Instant::now(), mark));
        Ok(mark)
    }

    /// The current copy, rebuilt first if it is missing or out of date.
    pub async fn get(state: &web::Data<AppState>) -> Result<Arc<Rendered>, WebError> {
        let key = (Self::newest_round(state).await?, state.generation());
        let cache = &state.dashboard;
        match cache.stored() {
            Some(current) if current.key == key => {
                if current.built.elapsed() > MAX_AGE
                    && let Some(flag) = Rebuilding::try_start(state)
                {
                    let state = state.clone();
                    actix_web::rt::spawn(async move {
                        let _flag = flag;
                        if let Err(error) = rebuild(&state, key).await {
                            tracing::warn!(%error, "refreshing the dashboard failed");
                        }
                    });
                }
                Ok(current)
            }
            Some(current) => match Rebuilding::try_start(state) {
                Some(_flag) => rebuild(state, key).await,
                None => Ok(current),
            },
            None => rebuild(state, key).await,
        }
    }
}

async fn rebuild(state: &web::Data<AppState>, key: Key) -> Result<Arc<Rendered>, WebError> {
    let tz = state.time_zone;
    let started = Instant::now();
    let rendered = state
        .run(move |conn| {
            let summary = Summary::load(conn)?;
            let html = render::page(&summary, tz)?;
            let json = render::json(&summary)?;
            let metrics = render::metrics(&summary);
            Ok(Rendered {
                summary: Arc::new(summary),
                key,
                built: Instant::now(),
                html: Encoded::new(html.into_bytes()),
                json: Encoded::new(json),
                metrics: Bytes::from(metrics),
            })
        })
        .await?;
    let rendered = Arc::new(rendered);
    *state.dashboard.current.lock().expect("dashboard cache lock") = Some(rendered.clone());
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "dashboard rebuilt");
    Ok(rendered)
}

/// `GET /`: every group and its sites.
pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let rendered = DashboardCache::get(&state).await?;
    Ok(rendered.html.respond(&req, "text/html; charset=utf-8"))
}

/// `GET /data.json`: the dashboard's data, which its script polls every 30 seconds.
pub async fn data(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let rendered = DashboardCache::get(&state).await?;
    Ok(rendered.json.respond(&req, "application/json"))
}
