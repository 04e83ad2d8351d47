//! `GET /metrics`: Prometheus text exposition (a session or an API token). The per-site gauges
//! come from the same cached picture as the dashboard, so a scrape never reads the views table;
//! availability per window is summed by the database at most once a minute.

use std::fmt::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpResponse;
use actix_web::web::{self, Bytes};

use super::dashboard::{DashboardCache, label};
use super::error::WebError;
use super::state::AppState;
use crate::domain::window::Window;
use crate::history::daily::rolled_until;
use crate::history::stats::counts_by_site;

/// Availability over a window moves slowly; older copies are summed again.
const WINDOWS_MAX_AGE: Duration = Duration::from_secs(60);

/// The availability block of the exposition, and when it was summed.
#[derive(Default)]
pub struct WindowMetrics(Mutex<Option<(Instant, Bytes)>>);

impl WindowMetrics {
    fn fresh(&self) -> Option<Bytes> {
        let stored = self.0.lock().unwrap_or_else(|e| e.into_inner());
        stored.as_ref().filter(|(built, _)| built.elapsed() < WINDOWS_MAX_AGE).map(|(_, text)| text.clone())
    }

    fn store(&self, text: Bytes) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), text));
    }
}

pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let rendered = DashboardCache::get(&state).await?;
    let windows = match state.window_metrics.fresh() {
        Some(text) => text,
        None => {
            let summary = rendered.summary.clone();
            let text = state
                .run(move |conn| {
                    let rolled = rolled_until(conn)?;
                    let mut out = String::from(
                        "# HELP sitewatch_site_availability_ratio Share of the site's checks that were up over the \
                         window (0 to 1); sites without checks in the window are left out.\n\
                         # TYPE sitewatch_site_availability_ratio gauge\n",
                    );
                    for window in Window::ALL {
                        let counts = counts_by_site(conn, window.span(summary.now), rolled)?;
                        for (group, s) in summary.sites() {
                            let Some(&(checks, ups)) = counts.get(&s.site.id).filter(|(checks, _)| *checks > 0) else {
                                continue;
                            };
                            let _ = writeln!(
                                out,
                                "sitewatch_site_availability_ratio{{site=\"{}\",group=\"{}\",window=\"{}\"}} {}",
                                label(&s.site.slug),
                                label(&group.slug),
                                window.key(),
                                ups as f64 / checks as f64
                            );
                        }
                    }
                    Ok(Bytes::from(out))
                })
                .await?;
            state.window_metrics.store(text.clone());
            text
        }
    };
    let mut body = rendered.metrics.to_vec();
    body.extend_from_slice(&windows);
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body))
}
