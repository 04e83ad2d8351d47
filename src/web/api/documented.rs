//! OpenAPI entries for routes served outside `/api` (by the pages, `/metrics` and the public
//! status page), so the document and `/api/docs` list every route a script may call. The
//! functions only carry the descriptions; the routes are wired in `web::app`.

#![allow(dead_code)]

use super::ErrorJson;
use crate::json::{GroupSitesJson, Page, ViewJson};
use crate::web::dashboard::DashboardJson;
use crate::web::traffic::json::TrafficJson;

/// A site's check history, newest first (the site page's data).
#[utoipa::path(
    get,
    path = "/sites/{slug}/data.json",
    tag = "sites",
    params(("slug" = String, Path, description = "The site's slug"), crate::web::paging::PageQuery),
    responses(
        (status = 200, description = "A page of views, 10 per page by default", body = Page<ViewJson>),
        (status = 400, description = "Bad page or per_page", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such site", body = ErrorJson),
    )
)]
fn site_data() {}

/// A group and the current details of each of its sites.
#[utoipa::path(
    get,
    path = "/groups/{slug}/data.json",
    tag = "groups",
    params(("slug" = String, Path, description = "The group's slug")),
    responses(
        (status = 200, description = "The group and its sites", body = GroupSitesJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such group", body = ErrorJson),
    )
)]
fn group_data() {}

/// Prometheus (OpenMetrics) text. Per site (`site`, `group` labels): `sitewatch_site_up`,
/// `sitewatch_site_maintenance`, `sitewatch_site_last_response_seconds` (absent when the newest
/// check got no answer), `sitewatch_site_last_check_timestamp_seconds`,
/// `sitewatch_site_availability_ratio{window}`; ping sites `sitewatch_ping_rtt_seconds{stat}`
/// (`min`, `avg`, `max`, `mdev`; absent without replies), `sitewatch_ping_loss_ratio`,
/// `sitewatch_ping_duplicates`; https sites `sitewatch_tls_cert_expiry_timestamp_seconds`.
/// Overall: `sitewatch_outage_open`, `sitewatch_outage_sites_down`,
/// `sitewatch_last_round_timestamp_seconds`. Per access log (`log` label):
/// `sitewatch_traffic_hits_per_second`, `sitewatch_traffic_alert_active`,
/// `sitewatch_traffic_log_time_seconds`.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "metrics",
    responses(
        (status = 200, description = "The exposition", content_type = "application/openmetrics-text"),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
fn metrics() {}

/// The public status page (no login): public groups' sites, their states and 90-day uptime,
/// the current outage and those of the last 30 days with their notes, and maintenance.
#[utoipa::path(
    get,
    path = "/status",
    tag = "status page",
    security(()),
    responses((status = 200, description = "The page", content_type = "text/html"))
)]
fn status_page() {}

/// The public status page's figures as JSON (no login).
#[utoipa::path(
    get,
    path = "/status.json",
    tag = "status page",
    security(()),
    responses((status = 200, description = "overall, groups, current_outage, outages, maintenance", content_type = "application/json"))
)]
fn status_json() {}

/// An Atom feed of public outages and their notes (no login).
#[utoipa::path(
    get,
    path = "/status/feed.atom",
    tag = "status page",
    security(()),
    responses((status = 200, description = "The feed", content_type = "application/atom+xml"))
)]
fn status_feed() {}

/// Every watched access log as `sitewatch traffic` last recorded it: the mean hits per second
/// over its window, its alert state, its hits per minute over the 24 hours of log time ending
/// at its newest line, and its latest alerts (the `/traffic` page's data).
#[utoipa::path(
    get,
    path = "/traffic.json",
    tag = "traffic",
    responses(
        (status = 200, description = "Every watched log", body = TrafficJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
fn traffic_data() {}

/// Every group and its sites with their current details (the dashboard's data).
#[utoipa::path(
    get,
    path = "/data.json",
    tag = "sites",
    responses(
        (status = 200, description = "Groups, each with its sites", body = DashboardJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
fn dashboard_data() {}
