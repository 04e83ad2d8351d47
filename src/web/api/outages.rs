//! `GET /api/outages`, `GET /api/outages/{id}` and `POST /api/outages/{id}/notes`.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::ErrorJson;
use crate::db::Id;
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::json::{NoteJson, OutageJson, Page};
use crate::manage::note::{self, NewNote, NoteFields};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::paging::{OUTAGES_PER_PAGE, PageQuery, Paging};
use crate::web::state::AppState;

/// Outage history, newest first.
#[utoipa::path(
    get,
    path = "/api/outages",
    tag = "outages",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of outages", body = Page<OutageJson>),
        (status = 400, description = "Bad page or per_page", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<OutageJson>>, WebError> {
    let paging = Paging::parse(&query, OUTAGES_PER_PAGE)?;
    let page = state
        .run(move |conn| {
            let outages = Outage::page(conn, paging.offset(), paging.limit())?;
            let ids: Vec<Id> = outages.iter().map(|o| o.id).collect();
            let sites = OutageSite::of_outages(conn, &ids)?;
            let notes = OutageNote::of_outages(conn, &ids)?;
            Ok(Page {
                items: outages.iter().map(|o| OutageJson::new(o, &sites, &notes)).collect(),
                page: paging.page,
                per_page: paging.per_page,
                total: Outage::count(conn)?,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// One outage with its sites.
#[utoipa::path(
    get,
    path = "/api/outages/{id}",
    tag = "outages",
    params(("id" = String, Path, description = "The outage's id (a UUID)")),
    responses(
        (status = 200, description = "The outage", body = OutageJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such outage", body = ErrorJson),
    )
)]
pub async fn read(state: web::Data<AppState>, id: web::Path<String>) -> Result<web::Json<OutageJson>, WebError> {
    let message = format!("there is no outage `{id}`");
    let Ok(outage_id) = id.parse::<Id>() else { return Err(WebError::NotFound(message)) };
    let body = state
        .run(move |conn| {
            let outage = Outage::find(conn, outage_id)?.ok_or(WebError::NotFound(message))?;
            let sites = OutageSite::of_outage(conn, outage.id)?;
            let notes = OutageNote::of_outage(conn, outage.id)?;
            Ok(OutageJson::new(&outage, &sites, &notes))
        })
        .await?;
    Ok(web::Json(body))
}

/// A note to add to an outage.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNoteJson {
    /// `investigating`, `identified`, `monitoring` or `resolved`.
    #[schema(example = "identified")]
    status: String,
    #[schema(example = "The database ran out of disk; we are freeing space.")]
    message: String,
    /// Also send the note as an alert through every channel (default false).
    notify: Option<bool>,
}

/// Adds an incident note to an outage, written by the caller; with `notify` it is also sent as
/// an alert through every channel.
#[utoipa::path(
    post,
    path = "/api/outages/{id}/notes",
    tag = "outages",
    params(("id" = String, Path, description = "The outage's id (a UUID)")),
    request_body = NewNoteJson,
    responses(
        (status = 201, description = "The new note", body = NoteJson),
        (status = 400, description = "The body is not JSON", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such outage", body = ErrorJson),
        (status = 422, description = "A field is invalid", body = ErrorJson),
    )
)]
pub async fn add_note(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: web::Json<NewNoteJson>,
) -> Result<HttpResponse, WebError> {
    let body = body.into_inner();
    let fields =
        NoteFields { status: Some(body.status), message: Some(body.message), notify: body.notify.unwrap_or(false) };
    let (id, settings) = (id.into_inner(), state.settings.clone());
    let note =
        state.manage(move |c| note::add(c, &settings, &id, &user.username, &NewNote::try_from(fields)?)).await??;
    state.changed();
    Ok(HttpResponse::Created().json(NoteJson::from(&note)))
}
