//! What a traffic run is asked to do: which logs, their limits, and how to read them; and the
//! ways it can fail.

use std::path::PathBuf;
use std::time::Duration;

/// One log to watch, with its limits already checked (`domain::traffic_limits`).
#[derive(Debug, Clone, PartialEq)]
pub struct LogSpec {
    /// Names the log in alerts, in the database and before its lines when several are watched.
    pub name: String,
    pub path: PathBuf,
    pub threshold: f64,
    pub window_secs: u32,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Seconds of log time per report.
    pub every_secs: u32,
    /// Read what the logs already hold first (otherwise only what is written from now on).
    pub from_start: bool,
    /// Read to the end, report, deliver the alerts and stop (replays, tests).
    pub once: bool,
    /// How often a followed log is checked when no file-system event says it changed.
    pub poll: Duration,
}

impl RunOptions {
    pub const DEFAULT_EVERY_SECS: u32 = 10;
    pub const DEFAULT_POLL: Duration = Duration::from_secs(1);
}

#[derive(Debug, thiserror::Error)]
pub enum TrafficError {
    /// Bad arguments or settings: exit 2.
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    /// The database could not record what the watch found (after retries).
    #[error("cannot record the traffic in the database: {0}")]
    Record(String),
    #[error("{0}")]
    Failed(String),
}
