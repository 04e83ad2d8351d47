//! `/healthz`: is the app up and can it reach its database? No login, for load balancers.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::state::AppState;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: String,
}

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let probe = web::block(move || db.check_reachable().map_err(|e| e.to_string())).await;
    match probe {
        Ok(Ok(())) => HttpResponse::Ok().json(Health { status: "ok", database: "ok".into() }),
        Ok(Err(reason)) => {
            tracing::warn!(%reason, "health check: the database is unreachable");
            HttpResponse::ServiceUnavailable().json(Health { status: "unavailable", database: reason })
        }
        Err(e) => HttpResponse::ServiceUnavailable().json(Health { status: "unavailable", database: e.to_string() }),
    }
}
