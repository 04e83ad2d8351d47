//! The dashboard's picture and everything drawn from it (`/`, `/data.json`, `/metrics`), built
//! from `sites.last_*` and the hourly rollups (never the views table) and kept in memory.
//!
//! The picture is rebuilt by the background refresher when a newer check round has finished
//! (the request that notices wakes it, and every request gets the previous copy meanwhile) and
//! every half minute, so "3 minutes ago" stays true and changes made by the CLI or another web
//! server show up. After a change made through the web app the request that notices builds the
//! new picture itself, so whoever made the change sees it on the next page.

mod render;
mod splice;
mod summary;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use tokio::sync::Notify;

use super::blocking::with_conn;
use super::cache::SingleFlight;
use super::error::WebError;
use crate::db::models::check_run::CheckRun;
use crate::db::{Db, Id};

use render::ACCOUNT_SLOT;
pub use render::{DashboardJson, RoundJson, SiteRow, site_rows};
pub use splice::Spliced;
pub use summary::{SiteSummary, Summary};

/// A copy older than this is rebuilt by the background refresher.
pub const MAX_AGE: Duration = Duration::from_secs(30);
/// The newest finished round is looked up at most this often.
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// The newest finished round: its id and when it finished.
type RoundMark = Option<(Id, NaiveDateTime)>;

/// What a copy was built from: the newest finished round and the web app's change counter.
pub type Key = (RoundMark, u64);

/// A body in plain and gzip form, compressed once per build rather than once per request.
pub struct Encoded {
    plain: Bytes,
    gzip: Bytes,
}

impl Encoded {
    pub fn new(plain: Vec<u8>) -> Encoded {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let gzip = encoder.write_all(&plain).and_then(|()| encoder.finish()).unwrap_or_default();
        Encoded { plain: Bytes::from(plain), gzip: Bytes::from(gzip) }
    }

    /// The response, gzipped when the client accepts it; for one user's eyes only.
    pub fn respond(&self, req: &HttpRequest, content_type: &str) -> HttpResponse {
        self.respond_with(req, content_type, "private, no-cache")
    }

    /// The response with the `Cache-Control` given.
    pub fn respond_with(&self, req: &HttpRequest, content_type: &str, cache_control: &str) -> HttpResponse {
        let gzip = !self.gzip.is_empty() && accepts_gzip(req);
        respond(content_type, cache_control, if gzip { Some(self.gzip.clone()) } else { None }, || self.plain.clone())
    }
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")))
}

fn respond(
    content_type: &str,
    cache_control: &str,
    gzip: Option<Bytes>,
    plain: impl FnOnce() -> Bytes,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type)
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header((header::CACHE_CONTROL, cache_control.to_owned()));
    match gzip {
        Some(body) => response.insert_header((header::CONTENT_ENCODING, "gzip")).body(body),
        None => response.body(plain()),
    }
}

impl Spliced {
    /// The page for one user, with `hole` (their header controls) filled in.
    pub fn respond(&self, req: &HttpRequest, hole: &str) -> HttpResponse {
        let gzip = accepts_gzip(req).then(|| Bytes::from(self.gzip(hole)));
        respond("text/html; charset=utf-8", "private, no-cache", gzip, || Bytes::from(self.plain(hole)))
    }
}

pub struct Rendered {
    /// What it was built from.
    pub key: Key,
    /// The page, with a hole for each user's own sign-out form.
    pub html: Spliced,
    pub json: Encoded,
    pub summary: Arc<Summary>,
}

/// The cached picture and the newest round it was checked against.
#[derive(Default)]
pub struct Dashboard {
    picture: SingleFlight<Key, Rendered>,
    probe: Mutex<Probe>,
    /// Wakes the refresher when a request finds a copy a round behind.
    behind: Notify,
}

/// The requests' copy of the newest finished round and when it was last looked up.
#[derive(Debug, Default)]
struct Probe {
    last: Option<(Instant, RoundMark)>,
}

impl Probe {
    /// The mark to use at `now`, or `None` when the caller should look it up. A copy older
    /// than `PROBE_EVERY` is looked up by the first request that notices, and the others keep
    /// using it meanwhile: under load the lookup waits for the database, and every request
    /// queueing its own lookup behind it would make them all wait.
    fn claim(&mut self, now: Instant) -> Option<RoundMark> {
        let (at, mark) = self.last?;
        if now.duration_since(at) >= PROBE_EVERY {
            self.last = Some((now, mark));
            return None;
        }
        Some(mark)
    }

    fn store(&mut self, now: Instant, mark: RoundMark) {
        self.last = Some((now, mark));
    }
}

impl Dashboard {
    /// The newest finished round, looked up at most once a second for requests. The refresher
    /// always looks it up afresh and leaves the requests' copy alone, so data that changes
    /// between its look and a request is never hidden behind it.
    pub async fn newest_round(&self, db: &Db, for_request: bool) -> Result<RoundMark, WebError> {
        if for_request && let Some(mark) = self.probe.lock().unwrap_or_else(|e| e.into_inner()).claim(Instant::now()) {
            return Ok(mark);
        }
        let mark =
            with_conn(db, |conn| Ok(CheckRun::latest_finished(conn)?.and_then(|r| r.finished_at.map(|f| (r.id, f)))))
                .await?;
        if for_request {
            self.probe.lock().unwrap_or_else(|e| e.into_inner()).store(Instant::now(), mark);
        }
        Ok(mark)
    }

    /// The picture for the newest round and `generation`, or the previous round's while the
    /// refresher builds it; built by one task at a time.
    pub async fn get(&self, db: &Db, tz: Tz, generation: u64) -> Result<Arc<Rendered>, WebError> {
        let key = (self.newest_round(db, true).await?, generation);
        self.follow(&self.picture, key, || build(db, tz, key)).await
    }

    /// The copy in `cache` for `key`, for anything cached per picture key. A copy only a round
    /// behind (built for the same change count) is returned at once, having woken the
    /// refresher to build the newer one: a round's results may show a moment late. A change
    /// made through the web app may not, so otherwise the caller builds (one task at a time).
    pub async fn follow<T, F, Fut>(&self, cache: &SingleFlight<Key, T>, key: Key, build: F) -> Result<Arc<T>, WebError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, WebError>>,
    {
        if let Some(previous) = cache.current().filter(|copy| copy.key != key && copy.key.1 == key.1) {
            self.behind.notify_one();
            return Ok(previous.value);
        }
        cache.get(key, build).await
    }

    /// Resolves when a request has found a copy a round behind (see [`follow`](Self::follow)).
    pub async fn fell_behind(&self) {
        self.behind.notified().await;
    }

    /// The picture as last built, if any request has asked for one yet.
    pub fn current(&self) -> Option<Arc<Rendered>> {
        self.picture.current().map(|copy| copy.value)
    }

    /// Rebuilds the picture when it is out of date or older than `MAX_AGE` (the refresher).
    /// Nothing is built before a request has asked for the picture: the first one is built
    /// from what the database holds when someone looks.
    pub async fn refresh(&self, db: &Db, tz: Tz, generation: u64) -> Result<(), WebError> {
        if self.picture.current().is_none() {
            return Ok(());
        }
        let key = (self.newest_round(db, false).await?, generation);
        if self.picture.needs_refresh(&key, MAX_AGE) {
            self.picture.refresh(key, || build(db, tz, key)).await?;
        }
        Ok(())
    }
}

async fn build(db: &Db, tz: Tz, key: Key) -> Result<Rendered, WebError> {
    let started = Instant::now();
    let (rendered, loaded, drawn) = with_conn(db, move |conn| {
        let summary = Summary::load(conn, tz)?;
        let loaded = started.elapsed();
        let html = render::page(&summary, tz)?;
        let json = render::json(&summary)?;
        let drawn = started.elapsed();
        let rendered = Rendered {
            key,
            summary: Arc::new(summary),
            html: Spliced::new(&html, ACCOUNT_SLOT),
            json: Encoded::new(json),
        };
        Ok((rendered, loaded, drawn))
    })
    .await?;
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        load_ms = loaded.as_millis() as u64,
        render_ms = (drawn - loaded).as_millis() as u64,
        compress_ms = (started.elapsed() - drawn).as_millis() as u64,
        "dashboard rebuilt"
    );
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_mark_is_looked_up_by_one_request_while_the_others_keep_it() {
        let start = Instant::now();
        let mut probe = Probe::default();
        assert_eq!(probe.claim(start), None, "nothing known yet: look it up");
        probe.store(start, None);
        assert_eq!(probe.claim(start + Duration::from_millis(500)), Some(None), "fresh");

        let later = start + PROBE_EVERY;
        assert_eq!(probe.claim(later), None, "stale: this request looks it up");
        assert_eq!(probe.claim(later), Some(None), "the others keep the old mark meanwhile");
        assert_eq!(probe.claim(later + PROBE_EVERY / 2), Some(None));

        let round = Some((Id::new(), chrono::NaiveDateTime::default()));
        probe.store(later + Duration::from_millis(10), round);
        assert_eq!(probe.claim(later + Duration::from_millis(20)), Some(round), "the new mark once stored");
    }
}
