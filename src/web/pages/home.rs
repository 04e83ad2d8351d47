//! `GET /` (every group and its sites) and `GET /data.json` (the same, for the page's script),
//! both served from the dashboard's cached picture.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::web::error::WebError;
use crate::web::state::AppState;

pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    Ok(state.picture().await?.html.respond(&req, "text/html; charset=utf-8"))
}

/// The dashboard's data, which its script polls every 30 seconds.
pub async fn data(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    Ok(state.picture().await?.json.respond(&req, "application/json"))
}
