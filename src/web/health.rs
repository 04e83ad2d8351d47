//! `/healthz`: is the app up and can it reach its database? No login, for load balancers.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::state::AppState;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: String,
}

/// A load balancer waits about this long before it calls an instance dead.
const DEADLINE: Duration = Duration::from_secs(1);

/// Opens a connection of its own (the pool may be busy or hide a lost database) and answers
/// within `DEADLINE` whatever the database does.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let probe = tokio::time::timeout(DEADLINE, web::block(move || db.check_reachable().map_err(|e| e.to_string())));
    let reason = match probe.await {
        Ok(Ok(Ok(()))) => return HttpResponse::Ok().json(Health { status: "ok", database: "ok".into() }),
        Ok(Ok(Err(reason))) => reason,
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("the database did not answer within {} s", DEADLINE.as_secs()),
    };
    tracing::warn!(%reason, "health check: the database is unreachable");
    HttpResponse::ServiceUnavailable().json(Health { status: "unavailable", database: reason })
}
