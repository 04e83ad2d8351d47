//! The JSON shapes of the API (docs/api.md), shared by the API, the `data.json` routes and `--json` listings.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::group::Group;
use crate::db::models::location::SiteLocation;
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::domain::time::rfc3339;

/// A watched site and its newest check.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct SiteJson {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub url: String,
    pub group: String,
    pub active: bool,
    /// Seconds between checks; `null` means every round.
    pub interval_secs: Option<i32>,
    /// `up`, `down`, `unknown` (not checked yet), `paused` or `maintenance` (the newest check
    /// fell in a maintenance window).
    #[schema(value_type = String, example = "up")]
    pub status: &'static str,
    /// RFC 3339, UTC.
    pub last_checked_at: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_response_ms: Option<i32>,
    /// Each location's newest check of the site (one entry with a single location).
    pub locations: Vec<SiteLocationJson>,
}

/// One location's newest check of a site.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct SiteLocationJson {
    pub name: String,
    /// `up` or `down`: what the location's newest check saw.
    #[schema(value_type = String, example = "up")]
    pub status: &'static str,
    /// RFC 3339, UTC.
    pub last_checked_at: String,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_response_ms: i32,
}

impl SiteLocationJson {
    pub fn new(row: &SiteLocation) -> SiteLocationJson {
        SiteLocationJson {
            name: row.location.clone(),
            status: if row.up { "up" } else { "down" },
            last_checked_at: rfc3339(row.checked_at),
            last_status_code: row.status_code,
            last_error: row.error.clone(),
            last_response_ms: row.response_ms,
        }
    }
}

impl SiteJson {
    /// Adds the site's per-location rows (those of other sites are skipped).
    pub fn with_locations(mut self, rows: &[SiteLocation]) -> SiteJson {
        self.locations = rows.iter().filter(|r| r.site_id.to_string() == self.id).map(SiteLocationJson::new).collect();
        self
    }

    pub fn new(site: &Site, group: &Group) -> SiteJson {
        SiteJson::with_group_slug(site, &group.slug)
    }

    pub fn with_group_slug(site: &Site, group_slug: &str) -> SiteJson {
        SiteJson {
            id: site.id.to_string(),
            name: site.name.clone(),
            slug: site.slug.clone(),
            url: site.url.clone(),
            group: group_slug.to_owned(),
            active: site.active,
            interval_secs: site.interval_secs,
            status: site.status().as_str(),
            last_checked_at: site.last_checked_at.map(rfc3339),
            last_status_code: site.last_status_code,
            last_error: site.last_error.clone(),
            last_response_ms: site.last_response_ms,
            locations: Vec::new(),
        }
    }
}

/// A group of sites.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct GroupJson {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub display_order: i32,
    /// Shown without login on the public status page.
    pub public: bool,
}

impl From<&Group> for GroupJson {
    fn from(group: &Group) -> GroupJson {
        GroupJson {
            id: group.id.to_string(),
            name: group.name.clone(),
            slug: group.slug.clone(),
            description: group.description.clone(),
            display_order: group.display_order,
            public: group.public,
        }
    }
}

/// One check of a site.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct ViewJson {
    /// RFC 3339, UTC.
    pub checked_at: String,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_ms: i32,
    pub up: bool,
    /// Checked during a maintenance window: left out of availability and of outages.
    pub maintenance: bool,
}

impl From<&SiteView> for ViewJson {
    fn from(view: &SiteView) -> ViewJson {
        ViewJson {
            checked_at: rfc3339(view.checked_at),
            status_code: view.status_code,
            error: view.error.clone(),
            response_ms: view.response_ms,
            up: view.up,
            maintenance: view.maintenance,
        }
    }
}

/// A page of a longer list: `{"items": [...], "page", "per_page", "total"}`.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// A group as named inside another answer: `{name, slug}`.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct GroupRef {
    pub name: String,
    pub slug: String,
}

/// `/groups/{slug}/data.json`: a group and the current details of each of its sites.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct GroupSitesJson {
    pub group: GroupRef,
    pub sites: Vec<SiteJson>,
}

/// A site's part in an outage.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct OutageSiteJson {
    pub slug: String,
    pub name: String,
    /// RFC 3339, UTC.
    pub down_at: String,
    /// RFC 3339, UTC; `null` while the site is still down.
    pub up_at: Option<String>,
}

impl From<&OutageSite> for OutageSiteJson {
    fn from(row: &OutageSite) -> OutageSiteJson {
        OutageSiteJson {
            slug: row.site_slug.clone(),
            name: row.site_name.clone(),
            down_at: rfc3339(row.down_at),
            up_at: row.up_at.map(rfc3339),
        }
    }
}

/// An incident note on an outage.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct NoteJson {
    pub id: String,
    /// `investigating`, `identified`, `monitoring` or `resolved`.
    #[schema(example = "identified")]
    pub status: String,
    pub message: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The user who wrote it.
    pub author: String,
}

impl From<&OutageNote> for NoteJson {
    fn from(note: &OutageNote) -> NoteJson {
        NoteJson {
            id: note.id.to_string(),
            status: note.status.clone(),
            message: note.message.clone(),
            created_at: rfc3339(note.created_at),
            author: note.author.clone(),
        }
    }
}

/// An outage: when it started, when it ended (`null` while open), the sites it took down and
/// its notes, newest first.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct OutageJson {
    pub id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC; `null` while the outage is open.
    pub resolved_at: Option<String>,
    pub sites: Vec<OutageSiteJson>,
    pub notes: Vec<NoteJson>,
}

impl OutageJson {
    /// The outage with those of `sites` and `notes` that belong to it (notes newest first).
    pub fn new(outage: &Outage, sites: &[OutageSite], notes: &[OutageNote]) -> OutageJson {
        let mut mine: Vec<&OutageNote> = notes.iter().filter(|n| n.outage_id == outage.id).collect();
        mine.sort_by_key(|n| std::cmp::Reverse(n.created_at));
        OutageJson {
            id: outage.id.to_string(),
            started_at: rfc3339(outage.started_at),
            resolved_at: outage.resolved_at.map(rfc3339),
            sites: sites.iter().filter(|s| s.outage_id == outage.id).map(OutageSiteJson::from).collect(),
            notes: mine.into_iter().map(NoteJson::from).collect(),
        }
    }
}

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

fn round_to(value: f64, places: i32) -> f64 {
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
        }
    }
}
