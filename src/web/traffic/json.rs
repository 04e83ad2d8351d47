//! The JSON shapes of `/traffic.json`.

use serde::Serialize;
use utoipa::ToSchema;

/// One minute of a log's chart.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct MinuteJson {
    /// The minute's start (log time, RFC 3339, UTC).
    pub minute: String,
    pub hits: i64,
}

/// One alert or recovery of a log.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct TrafficAlertJson {
    /// `traffic_high` or `traffic_recovered`.
    #[schema(example = "traffic_high")]
    pub event: String,
    /// Mean hits per second over the window when it crossed the threshold.
    pub mean: f64,
    pub threshold: f64,
    pub window_secs: i32,
    /// The log second it crossed at (RFC 3339, UTC).
    pub log_time: String,
}

/// A watched access log as `sitewatch traffic` last recorded it.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct TrafficLogJson {
    pub name: String,
    pub path: String,
    /// Mean hits per second over `window_secs` of log time, as of `as_of`.
    pub hits_per_second: f64,
    pub threshold: f64,
    pub window_secs: i32,
    /// When the current high-traffic alert began (log time); `null` when traffic is normal.
    pub alerting_since: Option<String>,
    /// The log time of the newest line read; `null` before the first.
    pub as_of: Option<String>,
    /// When the watch last wrote this row (wall clock).
    pub updated_at: String,
    /// Minutes with hits in the 24 hours of log time ending at `as_of`, oldest first.
    pub minutes: Vec<MinuteJson>,
    /// The latest alerts and recoveries (at most 50), newest first.
    pub alerts: Vec<TrafficAlertJson>,
}

/// `/traffic.json`: every watched log.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct TrafficJson {
    pub logs: Vec<TrafficLogJson>,
}
