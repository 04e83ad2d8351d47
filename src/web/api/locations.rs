//! `GET /api/locations`: where checkers run, their last rounds and which of them vote.

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use super::ErrorJson;
use crate::db::models::location::Location;
use crate::domain::time::rfc3339;
use crate::web::error::WebError;
use crate::web::state::AppState;

/// One location checkers run from.
#[derive(Serialize, ToSchema)]
pub struct LocationJson {
    pub name: String,
    /// End of its last round that checked sites or found itself offline (database clock), RFC 3339.
    pub last_round_at: Option<String>,
    /// `done`, `offline` or `failed`; empty before its first round ends.
    pub last_round_state: String,
    /// It votes now: its last round ended within `check.location_stale_secs` and was not offline.
    pub live: bool,
    /// It stopped reporting and was alerted as stale.
    pub stale: bool,
}

/// Every location, by name.
#[utoipa::path(
    get,
    path = "/api/locations",
    tag = "locations",
    responses(
        (status = 200, description = "Every location", body = Vec<LocationJson>),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
pub async fn list(state: web::Data<AppState>) -> Result<web::Json<Vec<LocationJson>>, WebError> {
    let stale_secs = state.settings.check.location_stale_secs;
    let list = state.run(move |conn| Ok(Location::statuses(conn, stale_secs)?)).await?;
    Ok(web::Json(
        list.into_iter()
            .map(|s| LocationJson {
                name: s.location.name,
                last_round_at: s.location.last_round_at.map(rfc3339),
                last_round_state: s.location.last_round_state,
                live: s.live,
                stale: s.location.stale,
            })
            .collect(),
    ))
}
