//! `GET /metrics`: the OpenMetrics text exposition (a session or an API token), written by
//! `prometheus-client`. The per-site gauges come from the dashboard's cached picture, so a
//! scrape never reads the views table; availability per window is summed by the background
//! refresher after each round (and at least once a minute) and only read here, so it may lag
//! the newest round by a few seconds. The traffic gauges read the small `traffic_logs` table
//! (one row per watched access log) on each scrape.

use std::sync::atomic::AtomicU64;

use actix_web::HttpResponse;
use actix_web::web::{self, Bytes};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::dashboard::{Rendered, Summary};
use super::error::WebError;
use super::state::AppState;
use crate::db::DbConnection;
use crate::db::models::traffic::TrafficLog;
use crate::domain::rollup::answered;
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
struct StatLabels {
    site: String,
    group: String,
    stat: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LogLabels {
    log: String,
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

/// The ping and certificate series: present only where there is a figure (a ping without
/// replies has no round-trip times, a TCP site no certificate).
fn kind_metrics(summary: &Summary, registry: &mut Registry) {
    let rtt = Family::<StatLabels, Ratio>::default();
    let loss = Family::<SiteLabels, Ratio>::default();
    let duplicates = Family::<SiteLabels, Gauge>::default();
    let expiry = Family::<SiteLabels, Gauge>::default();
    for (group, s) in summary.sites() {
        if let Some(t) = s.site.tls_expires_at {
            expiry.get_or_create(&site_labels(&s.site.slug, &group.slug)).set(t.and_utc().timestamp());
        }
        let Some(ping) = s.site.last_ping() else { continue };
        let labels = site_labels(&s.site.slug, &group.slug);
        loss.get_or_create(&labels).set(ping.loss_percent / 100.0);
        duplicates.get_or_create(&labels).set(i64::from(ping.duplicates));
        let stats =
            [("min", ping.rtt_min_ms), ("avg", ping.rtt_avg_ms), ("max", ping.rtt_max_ms), ("mdev", ping.rtt_mdev_ms)];
        for (stat, ms) in stats {
            if let Some(ms) = ms {
                let labels = StatLabels { site: labels.site.clone(), group: labels.group.clone(), stat };
                rtt.get_or_create(&labels).set(ms / 1000.0);
            }
        }
    }
    registry.register(
        "sitewatch_ping_rtt_seconds",
        "Round-trip times of the ping site's newest check: min, avg, max and mdev (the jitter); absent without replies",
        rtt,
    );
    registry.register(
        "sitewatch_ping_loss_ratio",
        "Share of the echo requests of the ping site's newest check that got no reply (0 to 1)",
        loss,
    );
    registry.register(
        "sitewatch_ping_duplicates",
        "Duplicate echo replies in the ping site's newest check",
        duplicates,
    );
    registry.register(
        "sitewatch_tls_cert_expiry_timestamp_seconds",
        "When the certificate the https site's newest check saw expires (Unix time)",
        expiry,
    );
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
        // A check that got no answer (refused, timed out, no echo reply) has no response time.
        let answer = answered(s.site.last_status_code, s.site.last_error.as_deref());
        if let Some(ms) = s.site.last_response_ms.filter(|_| answer) {
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
    kind_metrics(summary, &mut registry);
    encoded(&registry)
}

/// The traffic watch's gauges, one series per watched access log.
pub fn traffic_metrics(logs: &[TrafficLog]) -> String {
    let rate = Family::<LogLabels, Ratio>::default();
    let active = Family::<LogLabels, Gauge>::default();
    let as_of = Family::<LogLabels, Gauge>::default();
    for log in logs {
        let labels = LogLabels { log: log.name.clone() };
        active.get_or_create(&labels).set(i64::from(log.alerting_since.is_some()));
        if let Some(t) = log.as_of {
            rate.get_or_create(&labels).set(log.mean);
            as_of.get_or_create(&labels).set(t.and_utc().timestamp());
        }
    }
    let mut registry = Registry::default();
    registry.register(
        "sitewatch_traffic_hits_per_second",
        "Mean hits per second of the access log over its window, as of its newest line; absent before the first line",
        rate,
    );
    registry.register(
        "sitewatch_traffic_alert_active",
        "Whether the access log's high-traffic alert is on (1) or not (0)",
        active,
    );
    registry.register(
        "sitewatch_traffic_log_time_seconds",
        "The log time (Unix time) the access log's figures are as of",
        as_of,
    );
    encoded(&registry)
}

/// Availability per site and window, summed from rollups (and the partial hours at the
/// windows' ends). Run by the background refresher, never on a request.
pub fn window_metrics(conn: &mut DbConnection, summary: &Summary) -> Result<Bytes, WebError> {
    let rolled = rolled_until(conn)?;
    let availability = Family::<WindowLabels, Ratio>::default();
    let mut by_window = counts_by_site(conn, &Window::ALL, summary.now, rolled)?;
    for window in Window::ALL {
        let counts = by_window.remove(&window).unwrap_or_default();
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

/// The per-site block for `picture`, encoded once per picture (10,000 sites make some 100,000
/// lines, too many to write again for every scrape) on the blocking pool: it takes a while, and
/// would hold up the requests sharing a worker with it.
pub async fn encode_sites(picture: &Rendered) -> Result<Bytes, WebError> {
    let summary = picture.summary.clone();
    web::block(move || Bytes::from(site_metrics(&summary)))
        .await
        .map_err(|e| WebError::Internal(format!("encoding the per-site metrics failed: {e}")))
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
    let sites = state.dashboard.follow(&state.site_metrics, picture.key, || encode_sites(&picture)).await?;
    let logs = state.run(|conn| Ok(TrafficLog::all(conn)?)).await?;
    let mut body = String::from(std::str::from_utf8(&sites).unwrap_or_default());
    body.push_str(std::str::from_utf8(&windows).unwrap_or_default());
    body.push_str(&traffic_metrics(&logs));
    encode_eof(&mut body).expect("writing to a String cannot fail");
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(body))
}
