//! `GET /metrics`: the OpenMetrics text exposition (a session or an API token), written by
//! `prometheus-client`. The per-site gauges come from the dashboard's cached picture, so a
//! scrape never reads the views table; availability per window is summed by the background
//! refresher after each round (and at least once a minute) and only read here, so it may lag
//! the newest round by a few seconds.

use std::sync::atomic::AtomicU64;

use actix_web::HttpResponse;
use actix_web::web::{self, Bytes};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::dashboard::Summary;
use super::error::WebError;
use super::state::AppState;
use crate::db::DbConnection;
use crate::domain::window::Window;
use crate::history::daily::rolled_until;
use crate::history::stats::counts_by_site;

pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SiteLabels {
    site: String,
    group: String,
}

/// `location` is "" for the site-level series, else the location of a per-location series.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpLabels {
    site: String,
    group: String,
    location: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WindowLabels {
    site: String,
    group: String,
    window: String,
}

type Ratio = Gauge<f64, AtomicU64>;

fn site_labels(site: &str, group: &str) -> SiteLabels {
    SiteLabels { site: site.to_owned(), group: group.to_owned() }
}

fn gauge(registry: &mut Registry, name: &str, help: &str, value: i64) {
    let metric: Gauge = Gauge::default();
    metric.set(value);
    registry.register(name, help, metric);
}

fn encoded(registry: &Registry) -> String {
    let mut out = String::new();
    encode_registry(&mut out, registry).expect("writing to a String cannot fail");
    out
}

/// The gauges drawn from the dashboard's picture.
pub fn site_metrics(summary: &Summary) -> String {
    let up = Family::<UpLabels, Gauge>::default();
    let response = Family::<SiteLabels, Ratio>::default();
    let checked_at = Family::<SiteLabels, Gauge>::default();
    let maintenance = Family::<SiteLabels, Gauge>::default();
    let outage_down: Vec<crate::db::Id> = summary
        .outage
        .as_ref()
        .map(|(_, sites)| sites.iter().filter(|r| r.up_at.is_none()).filter_map(|r| r.site_id).collect())
        .unwrap_or_default();
    for (group, s) in summary.sites().filter(|(_, s)| s.site.last_checked_at.is_some()) {
        let labels = site_labels(&s.site.slug, &group.slug);
        maintenance.get_or_create(&labels).set(i64::from(s.site.last_maintenance));
        if s.site.active {
            let up_labels = |location: &str| UpLabels {
                site: s.site.slug.clone(),
                group: group.slug.clone(),
                location: location.to_owned(),
            };
            // With several locations the site is down when the quorum put it in the outage.
            let site_up =
                if s.locations.len() > 1 { !outage_down.contains(&s.site.id) } else { s.site.last_up == Some(true) };
            up.get_or_create(&up_labels("")).set(i64::from(site_up));
            // Per-location series only when several locations check the site.
            if s.locations.len() > 1 {
                for row in &s.locations {
                    up.get_or_create(&up_labels(&row.location)).set(i64::from(row.up));
                }
            }
        }
        if let Some(ms) = s.site.last_response_ms {
            response.get_or_create(&labels).set(f64::from(ms) / 1000.0);
        }
        if let Some(t) = s.site.last_checked_at {
            checked_at.get_or_create(&labels).set(t.and_utc().timestamp());
        }
    }
    let mut registry = Registry::default();
    registry.register(
        "sitewatch_site_up",
        "Whether the site's newest check was up (1) or down (0); location=\"\" is the site, other values one \
         location's newest check; paused sites are left out",
        up,
    );
    registry.register(
        "sitewatch_site_maintenance",
        "Whether the site's newest check fell in a maintenance window (1) or not (0)",
        maintenance,
    );
    registry.register("sitewatch_site_last_response_seconds", "Response time of the site's newest check", response);
    registry.register(
        "sitewatch_site_last_check_timestamp_seconds",
        "When the site was last checked (Unix time)",
        checked_at,
    );
    gauge(
        &mut registry,
        "sitewatch_outage_open",
        "Whether an outage is open (1) or not (0)",
        i64::from(summary.outage.is_some()),
    );
    let down = summary.outage.as_ref().map_or(0, |(_, sites)| sites.iter().filter(|s| s.up_at.is_none()).count());
    gauge(&mut registry, "sitewatch_outage_sites_down", "Sites of the open outage that are still down", down as i64);
    if let Some(finished) = summary.last_run.as_ref().and_then(|r| r.finished_at) {
        gauge(
            &mut registry,
            "sitewatch_last_round_timestamp_seconds",
            "When the newest check round finished (Unix time)",
            finished.and_utc().timestamp(),
        );
    }
    encoded(&registry)
}

/// Availability per site and window, summed from rollups (and the partial hours at the
/// windows' ends). Run by the background refresher, never on a request.
pub fn window_metrics(conn: &mut DbConnection, summary: &Summary) -> Result<Bytes, WebError> {
    let rolled = rolled_until(conn)?;
    let availability = Family::<WindowLabels, Ratio>::default();
    for window in Window::ALL {
        let counts = counts_by_site(conn, window.span(summary.now), rolled)?;
        for (group, s) in summary.sites() {
            let Some(&(checks, ups)) = counts.get(&s.site.id).filter(|(checks, _)| *checks > 0) else { continue };
            let labels =
                WindowLabels { site: s.site.slug.clone(), group: group.slug.clone(), window: window.key().to_owned() };
            availability.get_or_create(&labels).set(ups as f64 / checks as f64);
        }
    }
    let mut registry = Registry::default();
    registry.register(
        "sitewatch_site_availability_ratio",
        "Share of the site's checks that were up over the window (0 to 1); sites without checks in the window are left out",
        availability,
    );
    Ok(Bytes::from(encoded(&registry)))
}

pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let picture = state.picture().await?;
    let windows = state
        .window_metrics
        .any(picture.key, || {
            let summary = picture.summary.clone();
            state.run(move |conn| window_metrics(conn, &summary))
        })
        .await?;
    let mut body = site_metrics(&picture.summary);
    body.push_str(std::str::from_utf8(&windows).unwrap_or_default());
    encode_eof(&mut body).expect("writing to a String cannot fail");
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(body))
}
