//! `GET /sites/{slug}/stats.json` and `GET /groups/{slug}/stats.json`: a site's or a group's
//! figures over every window, as the windows table on their pages shows them.

use actix_web::web;

use super::ErrorJson;
use crate::db::models::group::Group;
use crate::db::models::site::Site;
use crate::domain::time::now_utc;
use crate::history::stats;
use crate::json::StatsJson;
use crate::web::error::WebError;
use crate::web::state::AppState;

/// `GET /sites/{slug}/stats.json`.
#[utoipa::path(
    get,
    path = "/sites/{slug}/stats.json",
    params(("slug" = String, Path, description = "The site's slug")),
    responses(
        (status = 200, description = "The site's figures over every window", body = StatsJson),
        (status = 404, description = "No such site", body = ErrorJson),
    )
)]
pub async fn site_stats(state: web::Data<AppState>, slug: web::Path<String>) -> Result<web::Json<StatsJson>, WebError> {
    let slug = slug.into_inner();
    let body = state
        .run(move |conn| {
            let site = Site::by_slug(conn, &slug)?;
            let stats = stats::for_sites(conn, std::slice::from_ref(&site), now_utc())?;
            Ok(StatsJson::new("site", &site.name, &site.slug, 1, &stats))
        })
        .await?;
    Ok(web::Json(body))
}

/// `GET /groups/{slug}/stats.json`.
#[utoipa::path(
    get,
    path = "/groups/{slug}/stats.json",
    params(("slug" = String, Path, description = "The group's slug")),
    responses(
        (status = 200, description = "The figures of all the group's sites together over every window", body = StatsJson),
        (status = 404, description = "No such group", body = ErrorJson),
    )
)]
pub async fn group_stats(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<web::Json<StatsJson>, WebError> {
    let slug = slug.into_inner();
    let body = state
        .run(move |conn| {
            let group = Group::by_slug(conn, &slug)?;
            let sites = Site::in_group(conn, group.id)?;
            let stats = stats::for_sites(conn, &sites, now_utc())?;
            Ok(StatsJson::new("group", &group.name, &group.slug, sites.len(), &stats))
        })
        .await?;
    Ok(web::Json(body))
}
