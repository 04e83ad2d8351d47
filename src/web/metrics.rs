//! `GET /metrics`: Prometheus text exposition (a session or an API token), drawn from the same
//! cached picture as the dashboard, so a scrape never reads the views table.

use actix_web::{HttpResponse, web};

use super::dashboard::DashboardCache;
use super::error::WebError;
use super::state::AppState;

pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let rendered = DashboardCache::get(&state).await?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(rendered.metrics.clone()))
}
