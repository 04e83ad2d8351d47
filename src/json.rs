//! The JSON shapes of the API (docs/api.md), shared by the API, the `data.json` routes and `--json` listings.

use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::group::Group;
use crate::db::models::location::SiteLocation;
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::domain::ping::PingStats;
use crate::domain::rollup::answered;
use crate::domain::target::CheckKind;
use crate::domain::time::{now_utc, rfc3339};
use crate::domain::tls_expiry::days_left;
use crate::manage::maintenance::Listed;

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
    /// `null` before the first check and when the newest check got no answer (a refused
    /// connection, a timeout, a ping without replies).
    pub last_response_ms: Option<i32>,
    /// `http`, `tcp` or `ping`, from the URL's scheme (keyword sites are `http`).
    #[schema(value_type = String, example = "http")]
    pub kind: &'static str,
    /// Echo requests per check (ping sites); `null` uses `check.ping_probes`.
    pub probes: Option<i32>,
    /// Text the page must contain (or, with `keyword_absent`, must not); `null` for none.
    pub keyword: Option<String>,
    pub keyword_absent: bool,
    /// When the certificate the newest `https://` check saw expires (RFC 3339, UTC); `null`
    /// for other kinds or before the first check.
    pub tls_expires_at: Option<String>,
    /// Whole days until `tls_expires_at` (negative once it has passed).
    pub tls_days_left: Option<i64>,
    /// The newest ping check's figures; `null` for other kinds and before the first ping.
    pub last_ping: Option<PingJson>,
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
    /// `null` when that check got no answer.
    pub last_response_ms: Option<i32>,
}

impl SiteLocationJson {
    pub fn new(row: &SiteLocation) -> SiteLocationJson {
        SiteLocationJson {
            name: row.location.clone(),
            status: if row.up { "up" } else { "down" },
            last_checked_at: rfc3339(row.checked_at),
            last_status_code: row.status_code,
            last_error: row.error.clone(),
            last_response_ms: Some(row.response_ms).filter(|_| answered(row.status_code, row.error.as_deref())),
        }
    }
}

/// A ping check's figures, as iputils' `ping` counts them; times in milliseconds, `null`
/// when no reply came back.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct PingJson {
    pub transmitted: u32,
    /// Requests answered at least once.
    pub received: u32,
    /// Replies beyond the first to the same request.
    pub duplicates: u32,
    pub loss_percent: f64,
    pub rtt_min_ms: Option<f64>,
    pub rtt_avg_ms: Option<f64>,
    pub rtt_max_ms: Option<f64>,
    /// The jitter: the standard deviation of the round-trip times.
    pub rtt_mdev_ms: Option<f64>,
}

impl From<&PingStats> for PingJson {
    fn from(s: &PingStats) -> PingJson {
        PingJson {
            transmitted: s.transmitted,
            received: s.received,
            duplicates: s.duplicates,
            loss_percent: round_to(s.loss_percent, 3),
            rtt_min_ms: s.rtt_min_ms,
            rtt_avg_ms: s.rtt_avg_ms,
            rtt_max_ms: s.rtt_max_ms,
            rtt_mdev_ms: s.rtt_mdev_ms,
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
            last_response_ms: site
                .last_response_ms
                .filter(|_| answered(site.last_status_code, site.last_error.as_deref())),
            kind: site.kind().unwrap_or(CheckKind::Http).as_str(),
            probes: site.probes,
            keyword: site.keyword.clone(),
            keyword_absent: site.keyword_absent,
            tls_expires_at: site.tls_expires_at.map(rfc3339),
            tls_days_left: site.tls_expires_at.map(|t| days_left(t, now_utc())),
            last_ping: site.last_ping().as_ref().map(PingJson::from),
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
    /// A ping check's figures; `null` for other kinds.
    pub ping: Option<PingJson>,
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
            ping: view.ping.stats().as_ref().map(PingJson::from),
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
            loss_percent: w.loss_percent().map(|p| round_to(p, 3)),
            jitter_ms: w.jitter_ms().map(|j| round_to(j, 3)),
        }
    }
}

/// How many occurrences of a recurring maintenance window listings show.
pub const NEXT_OCCURRENCES: usize = 3;

/// One occurrence of a window.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceJson {
    pub starts_at: String,
    pub ends_at: String,
}

/// A maintenance window.
#[derive(Serialize, ToSchema)]
pub struct WindowJson {
    id: String,
    /// The slug of the site it is over, or `null`.
    site: Option<String>,
    /// The slug of the group it is over, or `null`.
    group: Option<String>,
    /// A one-off window's start; a recurring one's first possible occurrence (RFC 3339, UTC).
    starts_at: String,
    /// A one-off window's end; a recurring one's last possible start, or `null`.
    ends_at: Option<String>,
    /// The cron expression of a recurring window.
    cron: Option<String>,
    /// How long each occurrence of a recurring window lasts.
    duration_secs: Option<i32>,
    note: String,
    /// The occurrence in force and the next ones (at most 3 in listings).
    next: Vec<OccurrenceJson>,
}

impl WindowJson {
    pub fn new(listed: &Listed, time_zone: Tz, occurrences: usize) -> WindowJson {
        let w = &listed.window;
        let (kind, slug, _) = &listed.scope;
        let next = w.schedule().map_or_else(Vec::new, |s| s.upcoming(now_utc(), time_zone, occurrences));
        WindowJson {
            id: w.id.to_string(),
            site: (*kind == "site").then(|| slug.clone()),
            group: (*kind == "group").then(|| slug.clone()),
            starts_at: rfc3339(w.starts_at),
            ends_at: w.ends_at.map(rfc3339),
            cron: w.cron.clone(),
            duration_secs: w.duration_secs,
            note: w.note.clone(),
            next: next
                .iter()
                .map(|span| OccurrenceJson { starts_at: rfc3339(span.from), ends_at: rfc3339(span.until) })
                .collect(),
        }
    }
}

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
