//! `GET /api/maintenance`, `POST /api/maintenance` and `DELETE /api/maintenance/{id}`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ErrorJson;
use crate::domain::time::now_utc;
use crate::json::{NEXT_OCCURRENCES as NEXT, WindowJson};
use crate::manage::maintenance::{self, NewWindow, WindowFields};
use crate::web::error::WebError;
use crate::web::state::AppState;

/// A maintenance window to add: over one `site` or one `group`; once (`start` and `end`) or
/// recurring (`cron` or `weekly`, with a `duration`; `start` and `end` then bound when it
/// recurs). Times are RFC 3339, `now`, or a span from now such as `+2h`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NewWindowJson {
    /// A site's slug.
    site: Option<String>,
    /// A group's slug.
    group: Option<String>,
    #[schema(example = "2026-11-21T22:00:00Z")]
    start: Option<String>,
    #[schema(example = "+2h")]
    end: Option<String>,
    /// A cron expression in the configured time zone: `0 2 * * sun`.
    cron: Option<String>,
    /// A weekly day and time in the configured time zone: `sun 02:00`.
    weekly: Option<String>,
    /// How long each occurrence lasts: `2h`, `90m`.
    duration: Option<String>,
    #[schema(example = "Database upgrade")]
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WindowListJson {
    items: Vec<WindowJson>,
}

/// Every maintenance window, oldest start first.
#[utoipa::path(
    get,
    path = "/api/maintenance",
    tag = "maintenance",
    responses(
        (status = 200, description = "Every window", body = WindowListJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
pub async fn list(state: web::Data<AppState>) -> Result<web::Json<WindowListJson>, WebError> {
    let listed = state.manage(maintenance::list).await??;
    Ok(web::Json(WindowListJson { items: listed.iter().map(|l| WindowJson::new(l, state.time_zone, NEXT)).collect() }))
}

/// Adds a maintenance window.
#[utoipa::path(
    post,
    path = "/api/maintenance",
    tag = "maintenance",
    request_body = NewWindowJson,
    responses(
        (status = 201, description = "The new window", body = WindowJson),
        (status = 400, description = "The body is not JSON", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 422, description = "A field is invalid, or the site or group does not exist", body = ErrorJson),
    )
)]
pub async fn create(state: web::Data<AppState>, body: web::Json<NewWindowJson>) -> Result<HttpResponse, WebError> {
    let b = body.into_inner();
    let fields = WindowFields {
        site: b.site,
        group: b.group,
        start: b.start,
        end: b.end,
        note: b.note,
        cron: b.cron,
        weekly: b.weekly,
        duration: b.duration,
    };
    let listed = state.manage(move |c| maintenance::add(c, &NewWindow::try_from(fields)?, now_utc())).await??;
    state.changed();
    Ok(HttpResponse::Created().json(WindowJson::new(&listed, state.time_zone, NEXT)))
}

/// Removes a maintenance window.
#[utoipa::path(
    delete,
    path = "/api/maintenance/{id}",
    tag = "maintenance",
    params(("id" = String, Path, description = "The window's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such window", body = ErrorJson),
    )
)]
pub async fn delete(state: web::Data<AppState>, id: web::Path<String>) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    state.manage(move |c| maintenance::remove(c, &id)).await??;
    state.changed();
    Ok(HttpResponse::NoContent().finish())
}
