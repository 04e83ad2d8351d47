//! The background refresher: keeps the dashboard's picture, the public status snapshot and the
//! figures of `/metrics` fresh while the app runs, so requests only read what it built.

use std::time::Duration;

use actix_web::web;

use super::metrics::{encode_sites, window_metrics};
use super::state::AppState;

/// How often the refresher looks whether the picture is out of date, besides when a request
/// finds it a round behind.
const TICK: Duration = Duration::from_secs(5);
/// Availability over a window moves slowly: summed after each round, and at least this often.
const WINDOWS_MAX_AGE: Duration = Duration::from_secs(60);

/// Runs until the server stops (its task is aborted then).
pub async fn keep_fresh(state: web::Data<AppState>) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = state.dashboard.fell_behind() => {}
        }
        if let Err(error) = state.dashboard.refresh(&state.db, state.time_zone, state.generation()).await {
            tracing::warn!(%error, "refreshing the dashboard failed; the next tick tries again");
        }
        if let Err(error) = state.refresh_public().await {
            tracing::warn!(%error, "refreshing the public status page failed; the next tick tries again");
        }
        let Some(picture) = state.dashboard.current() else { continue };
        // The per-site block of `/metrics` follows each new picture, once something scrapes it.
        if state.site_metrics.current().is_some_and(|copy| copy.key != picture.key)
            && let Err(error) = state.site_metrics.refresh(picture.key, || encode_sites(&picture)).await
        {
            tracing::warn!(%error, "encoding /metrics failed; the next tick tries again");
        }
        if !state.window_metrics.needs_refresh(&picture.key, WINDOWS_MAX_AGE) {
            continue;
        }
        let summary = picture.summary.clone();
        let state_ref = &state;
        let summed =
            state.window_metrics.refresh(picture.key, || state_ref.run(move |conn| window_metrics(conn, &summary)));
        if let Err(error) = summed.await {
            tracing::warn!(%error, "summing availability for /metrics failed; the next tick tries again");
        }
    }
}
