//! The JSON API for scripts, described by the OpenAPI document at
//! `/api/openapi.json`, which utoipa generates from these handlers and the `json` shapes.

mod docs;
mod documented;
mod groups;
mod locations;
mod maintenance;
mod outages;
mod sites;
pub mod stats;
mod token;

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::json::{
    GroupJson, GroupRef, GroupSitesJson, NoteJson, OutageJson, OutageSiteJson, PingJson, ResponseTimesJson, SiteJson,
    StatsJson, ViewJson, WindowStatsJson,
};
use crate::web::public::badge as badges;

/// Every error answers `{"error": "..."}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    pub error: String,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "sitewatch API",
        description = "Sites, groups, check history and outages of a sitewatch installation. \
                       Send an API token as `Authorization: Bearer TOKEN` (from `sitewatch token add USER` \
                       or `POST /api/auth/token`); a signed-in browser session works too. Times are RFC 3339 in UTC. \
                       Lists take `page` (from 1) and `per_page` (1 to 100); other values answer 400. \
                       The status page, its JSON and feed, and public groups' badges need no login."
    ),
    paths(
        token::create,
        groups::list,
        groups::create,
        groups::change,
        documented::group_data,
        sites::list,
        sites::create,
        sites::read,
        sites::change,
        sites::delete,
        sites::add_recipient,
        sites::views,
        documented::site_data,
        locations::list,
        outages::list,
        outages::read,
        outages::add_note,
        maintenance::list,
        maintenance::create,
        maintenance::delete,
        stats::site_stats,
        stats::group_stats,
        documented::metrics,
        documented::traffic_data,
        documented::dashboard_data,
        documented::status_page,
        documented::status_json,
        documented::status_feed,
        badges::state_badge,
        badges::uptime_badge,
    ),
    components(schemas(
        ErrorJson,
        GroupJson,
        SiteJson,
        PingJson,
        ViewJson,
        OutageJson,
        OutageSiteJson,
        NoteJson,
        GroupRef,
        GroupSitesJson,
        StatsJson,
        WindowStatsJson,
        ResponseTimesJson,
        token::Credentials,
        token::TokenJson,
        groups::NewGroupJson,
        groups::GroupChangeJson,
        outages::NewNoteJson,
        maintenance::NewWindowJson,
        crate::json::WindowJson,
        maintenance::WindowListJson,
        crate::json::OccurrenceJson,
        sites::NewSiteJson,
        sites::SiteChangeJson,
        sites::NewRecipientJson,
        sites::RecipientJson,
        crate::web::dashboard::DashboardJson,
        crate::web::dashboard::RoundJson,
        crate::web::traffic::json::TrafficJson,
        crate::web::traffic::json::TrafficLogJson,
        crate::web::traffic::json::MinuteJson,
        crate::web::traffic::json::TrafficAlertJson,
        crate::json::SiteLocationJson,
        locations::LocationJson,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

async fn openapi() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(openapi))
        .route("/docs", web::get().to(docs::page))
        .route("/auth/token", web::post().to(token::create))
        .route("/groups", web::get().to(groups::list))
        .route("/groups", web::post().to(groups::create))
        .route("/groups/{slug}", web::patch().to(groups::change))
        .route("/sites", web::get().to(sites::list))
        .route("/sites", web::post().to(sites::create))
        .route("/sites/{slug}", web::get().to(sites::read))
        .route("/sites/{slug}", web::patch().to(sites::change))
        .route("/sites/{slug}", web::delete().to(sites::delete))
        .route("/sites/{slug}/recipients", web::post().to(sites::add_recipient))
        .route("/sites/{slug}/views", web::get().to(sites::views))
        .route("/locations", web::get().to(locations::list))
        .route("/outages", web::get().to(outages::list))
        .route("/outages/{id}", web::get().to(outages::read))
        .route("/outages/{id}/notes", web::post().to(outages::add_note))
        .route("/maintenance", web::get().to(maintenance::list))
        .route("/maintenance", web::post().to(maintenance::create))
        .route("/maintenance/{id}", web::delete().to(maintenance::delete));
}
