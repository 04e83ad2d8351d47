//! The public face: `/status` (HTML), `/status.json`, `/status/feed.atom` and the badges, open
//! to anyone. All of them are served from one cached snapshot, built by one task at a time
//! (see `snapshot`) when a check round has finished or something was changed, and at least every
//! half minute by the background refresher; so a crowd of anonymous visitors costs one
//! database pass per change, never one per request. Only what `load` reads can be shown, and
//! it reads public groups' sites only (badges of other sites need a signed-in user).

pub mod badge;
mod feed;
mod load;
mod page;
pub mod snapshot;
mod svg;

use actix_web::{HttpRequest, HttpResponse, web};

use super::error::WebError;
use super::state::AppState;

pub use badge::{state_badge, uptime_badge};

/// Browsers and proxies may keep the public pages this long.
const CACHE_CONTROL: &str = "public, max-age=30";

/// `GET /status`.
pub async fn status_page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let snapshot = state.public_snapshot().await?;
    Ok(snapshot.html.respond_with(&req, "text/html; charset=utf-8", CACHE_CONTROL))
}

/// `GET /status.json`.
pub async fn status_json(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let snapshot = state.public_snapshot().await?;
    Ok(snapshot.json.respond_with(&req, "application/json", CACHE_CONTROL))
}

/// `GET /status/feed.atom`.
pub async fn status_feed(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let snapshot = state.public_snapshot().await?;
    Ok(snapshot.atom.respond_with(&req, "application/atom+xml; charset=utf-8", CACHE_CONTROL))
}
