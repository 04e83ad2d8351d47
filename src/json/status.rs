//! `sitewatch status --json`: each site with its short windows.

use serde::Serialize;

use super::sites::SiteJson;
use super::stats::round_to;

/// A site's figures over one of the short windows of `sitewatch status`, computed as in
/// `WindowStatsJson`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecentJson {
    /// `10m` or `1h`.
    pub window: &'static str,
    pub checks: u64,
    pub up: u64,
    pub availability_percent: Option<f64>,
    /// Over the checks that got an answer.
    pub mean_response_ms: Option<f64>,
    pub max_response_ms: Option<u32>,
    pub loss_percent: Option<f64>,
    pub jitter_ms: Option<f64>,
}

impl RecentJson {
    pub fn new(window: crate::domain::window::Window, f: &crate::domain::rollup::Figures) -> RecentJson {
        RecentJson {
            window: window.key(),
            checks: f.checks,
            up: f.ups,
            availability_percent: f.availability().map(|a| round_to(a * 100.0, 4)),
            mean_response_ms: f.mean_response_ms().map(|m| round_to(m, 1)),
            max_response_ms: f.response_ms_max,
            loss_percent: f.loss_percent().map(|p| round_to(p, 3)),
            jitter_ms: f.jitter_ms().map(|j| round_to(j, 3)),
        }
    }
}

/// One site in `sitewatch status --json`: the site as in `/api/sites`, and its short windows.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SiteStatusJson {
    #[serde(flatten)]
    pub site: SiteJson,
    pub windows: Vec<RecentJson>,
}

/// `sitewatch status --json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StatusJson {
    pub generated_at: String,
    pub sites: Vec<SiteStatusJson>,
}
