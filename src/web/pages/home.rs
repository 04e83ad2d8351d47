//! `GET /` (every group and its sites) and `GET /data.json` (the same, for the page's script),
//! both served from the dashboard's cached picture.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::web::error::WebError;
use crate::web::layout::{AccountControls, Chrome};
use crate::web::state::AppState;

/// The cached page with this user's own sign-out form (and CSRF token) in its header.
pub async fn page(req: HttpRequest, state: web::Data<AppState>, chrome: Chrome) -> Result<HttpResponse, WebError> {
    let account =
        AccountControls { chrome }.render().map_err(|e| WebError::Internal(format!("rendering the header: {e}")))?;
    Ok(state.picture().await?.html.respond(&req, &account))
}

/// The dashboard's data, which its script polls every 30 seconds.
pub async fn data(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    Ok(state.picture().await?.json.respond(&req, "application/json"))
}
