//! Sites, groups, their views and pages of them.

use serde::Serialize;
use utoipa::ToSchema;

use super::stats::round_to;
use crate::db::models::group::Group;
use crate::db::models::location::SiteLocation;
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::domain::ping::PingStats;
use crate::domain::rollup::answered;
use crate::domain::target::CheckKind;
use crate::domain::time::{now_utc, rfc3339};
use crate::domain::tls_expiry::days_left;

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
