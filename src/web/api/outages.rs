//! `GET /api/outages` and `GET /api/outages/{id}`.

use actix_web::web;

use super::ErrorJson;
use crate::db::Id;
use crate::db::models::outage::{Outage, OutageSite};
use crate::json::{OutageJson, Page};
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
            Ok(Page {
                items: outages.iter().map(|o| OutageJson::new(o, &sites)).collect(),
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
            Ok(OutageJson::new(&outage, &sites))
        })
        .await?;
    Ok(web::Json(body))
}
