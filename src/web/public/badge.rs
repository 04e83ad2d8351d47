//! `GET /badge/{slug}.svg` (the site's state) and `GET /badge/{slug}/uptime.svg?window=30d`
//! (its availability). A public group's sites have public badges; any other site's badge is
//! 404 unless a signed-in user or an API token asks, so a badge tells nobody a private site
//! exists.

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::svg;
use crate::domain::public_state::PublicState;
use crate::domain::status::Status;
use crate::domain::window::Window;
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::layout::percent;
use crate::web::state::AppState;

/// Badges may be kept this long by browsers and image proxies.
const MAX_AGE_SECS: u32 = 60;
/// Longest label taken from `?label=`.
const MAX_LABEL: usize = 64;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BadgeQuery {
    /// The text on the grey side; the site's name (or `uptime 30d`) by default.
    label: Option<String>,
    /// For the uptime badge: `24h`, `7d`, `30d` (default) or `1y` (also `10m`, `1h`).
    window: Option<String>,
}

fn state_words(status: Status, state: PublicState) -> (&'static str, &'static str) {
    match (status, state) {
        (Status::Paused, _) => ("paused", "#9f9f9f"),
        (_, PublicState::Down) => ("down", "#e05d44"),
        (_, PublicState::Maintenance) => ("maintenance", "#007ec6"),
        (_, PublicState::Operational) => ("operational", "#4c1"),
    }
}

fn uptime_color(share: f64) -> &'static str {
    match share {
        s if s >= 0.999 => "#4c1",
        s if s >= 0.99 => "#97ca00",
        s if s >= 0.95 => "#dfb317",
        _ => "#e05d44",
    }
}

fn label(query: &BadgeQuery, default: String) -> String {
    match query.label.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        Some(given) => given.chars().take(MAX_LABEL).collect(),
        None => default,
    }
}

fn svg_response(body: String, public: bool) -> HttpResponse {
    let scope = if public { "public" } else { "private" };
    HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, format!("{scope}, max-age={MAX_AGE_SECS}")))
        .body(body)
}

/// The badge facts of `slug`, if this request may see them.
async fn facts<T>(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    read: impl FnOnce(&super::load::BadgeFacts) -> T,
) -> Result<(T, bool), WebError> {
    let snapshot = state.public_snapshot().await?;
    let signed_in = req.extensions().get::<CurrentUser>().is_some();
    match snapshot.badges.get(slug) {
        Some(facts) if facts.public || signed_in => Ok((read(facts), facts.public)),
        _ => Err(WebError::NotFound(format!("there is no badge for `{slug}`"))),
    }
}

/// `GET /badge/{slug}.svg`.
#[utoipa::path(
    get,
    path = "/badge/{slug}.svg",
    tag = "status page",
    params(("slug" = String, Path, description = "The site's slug"), BadgeQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "An SVG badge of the site's state", content_type = "image/svg+xml"),
        (status = 404, description = "No such site, or not public and not signed in"),
    )
)]
pub async fn state_badge(
    req: HttpRequest,
    state: web::Data<AppState>,
    file: web::Path<String>,
    query: web::Query<BadgeQuery>,
) -> Result<HttpResponse, WebError> {
    let file = file.into_inner();
    let Some(slug) = file.strip_suffix(".svg") else {
        return Err(WebError::NotFound(format!("there is no badge `{file}`; badges end in .svg")));
    };
    let ((name, words), public) =
        facts(&req, &state, slug, |f| (f.name.clone(), state_words(f.status, f.state))).await?;
    let (message, color) = words;
    Ok(svg_response(svg::badge(&label(&query, name), message, color), public))
}

/// `GET /badge/{slug}/uptime.svg`.
#[utoipa::path(
    get,
    path = "/badge/{slug}/uptime.svg",
    tag = "status page",
    params(("slug" = String, Path, description = "The site's slug"), BadgeQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "An SVG badge of the site's availability over the window", content_type = "image/svg+xml"),
        (status = 400, description = "Unknown window"),
        (status = 404, description = "No such site, or not public and not signed in"),
    )
)]
pub async fn uptime_badge(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<BadgeQuery>,
) -> Result<HttpResponse, WebError> {
    let key = query.window.as_deref().unwrap_or("30d");
    let window = Window::parse(key)
        .ok_or_else(|| WebError::BadRequest(format!("window `{key}` is not one of 10m, 1h, 24h, 7d, 30d, 1y")))?;
    let (counts, public) = facts(&req, &state, &slug, |f| f.windows.get(&window).copied()).await?;
    let (message, color) = match counts.filter(|(checks, _)| *checks > 0) {
        Some((checks, ups)) => {
            let share = ups as f64 / checks as f64;
            (percent(Some(share)).replace(' ', ""), uptime_color(share))
        }
        None => ("no data".to_owned(), "#9f9f9f"),
    };
    let text = label(&query, format!("uptime {}", window.key()));
    Ok(svg_response(svg::badge(&text, &message, color), public))
}
