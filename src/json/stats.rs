//! Statistics over a window: availability, response times, ping figures.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::time::rfc3339;

/// Response times of the checks that got an HTTP answer, in milliseconds. Percentiles come from
/// a log-bucket histogram and are within 1 % of the exact value.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct ResponseTimesJson {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

/// One window's figures.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct WindowStatsJson {
    /// `10m`, `1h`, `24h`, `7d`, `30d` or `1y`.
    #[schema(example = "24h")]
    pub window: String,
    /// The window holds checks with `from <= checked_at < until` (RFC 3339, UTC).
    pub from: String,
    pub until: String,
    pub checks: u64,
    pub up: u64,
    /// Share of checks that were up, in percent; `null` without checks.
    pub availability_percent: Option<f64>,
    pub response_ms: ResponseTimesJson,
    /// Checks by HTTP status code (`"200"`) or, without an answer, by error kind (`"timeout"`).
    pub outcomes: std::collections::BTreeMap<String, u64>,
    /// Outages any of the sites was part of during the window.
    pub outages: usize,
    /// Seconds of the window during which at least one of the sites was down in an outage.
    pub downtime_seconds: i64,
    /// Ping sites: share of echo requests lost in the window, in percent; `null` without
    /// ping checks.
    pub loss_percent: Option<f64>,
    /// Ping sites: mean jitter (mdev) of the window's ping checks, in milliseconds; `null`
    /// when no ping check got a reply.
    pub jitter_ms: Option<f64>,
}

/// Availability and response-time statistics of a site or a group over every window.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct StatsJson {
    /// `site` or `group`.
    #[schema(example = "site")]
    pub kind: String,
    pub name: String,
    pub slug: String,
    /// The sites the figures cover.
    pub sites: usize,
    pub generated_at: String,
    /// The newest failed check of any of the sites.
    pub last_failure_at: Option<String>,
    pub seconds_since_last_failure: Option<i64>,
    /// When the current run of failed checks began; `null` when the newest checks were up.
    pub down_since: Option<String>,
    pub current_downtime_seconds: Option<i64>,
    pub windows: Vec<WindowStatsJson>,
}

pub(super) fn round_to(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

impl StatsJson {
    pub fn new(kind: &str, name: &str, slug: &str, sites: usize, stats: &crate::history::stats::Stats) -> StatsJson {
        let seconds = |t: chrono::NaiveDateTime| (stats.now - t).num_seconds().max(0);
        StatsJson {
            kind: kind.to_owned(),
            name: name.to_owned(),
            slug: slug.to_owned(),
            sites,
            generated_at: rfc3339(stats.now),
            last_failure_at: stats.last_failure_at.map(rfc3339),
            seconds_since_last_failure: stats.last_failure_at.map(seconds),
            down_since: stats.down_since.map(rfc3339),
            current_downtime_seconds: stats.down_since.map(seconds),
            windows: stats.windows.iter().map(WindowStatsJson::from).collect(),
        }
    }
}

impl From<&crate::history::stats::WindowStats> for WindowStatsJson {
    fn from(w: &crate::history::stats::WindowStats) -> Self {
        let f = &w.figures;
        let quantile = |q: f64| f.histogram.quantile(q).map(|v| round_to(v, 1));
        WindowStatsJson {
            window: w.window.key().to_owned(),
            from: rfc3339(w.span.from),
            until: rfc3339(w.span.until),
            checks: f.checks,
            up: f.ups,
            availability_percent: f.availability().map(|a| round_to(a * 100.0, 4)),
            response_ms: ResponseTimesJson {
                mean: f.mean_response_ms().map(|m| round_to(m, 1)),
                p50: quantile(0.50),
                p95: quantile(0.95),
                p99: quantile(0.99),
                min: f.response_ms_min,
                max: f.response_ms_max,
            },
            outcomes: f.outcomes.iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            outages: w.outages,
            downtime_seconds: w.downtime.num_seconds(),
            loss_percent: w.loss_percent().map(|p| round_to(p, 3)),
            jitter_ms: w.jitter_ms().map(|j| round_to(j, 3)),
        }
    }
}
