//! The JSON shapes of SPEC §6, shared by the API, the `data.json` routes and `--json` listings.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::group::Group;
use crate::db::models::outage::{Outage, OutageSite};
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
    /// `up`, `down`, `unknown` (not checked yet) or `paused`.
    #[schema(value_type = String, example = "up")]
    pub status: &'static str,
    /// RFC 3339, UTC.
    pub last_checked_at: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_response_ms: Option<i32>,
}

impl SiteJson {
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
}

impl From<&Group> for GroupJson {
    fn from(group: &Group) -> GroupJson {
        GroupJson {
            id: group.id.to_string(),
            name: group.name.clone(),
            slug: group.slug.clone(),
            description: group.description.clone(),
            display_order: group.display_order,
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
}

impl From<&SiteView> for ViewJson {
    fn from(view: &SiteView) -> ViewJson {
        ViewJson {
            checked_at: rfc3339(view.checked_at),
            status_code: view.status_code,
            error: view.error.clone(),
            response_ms: view.response_ms,
            up: view.up,
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

/// An outage: when it started, when it ended (`null` while open), and the sites it took down.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct OutageJson {
    pub id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC; `null` while the outage is open.
    pub resolved_at: Option<String>,
    pub sites: Vec<OutageSiteJson>,
}

impl OutageJson {
    /// The outage with those of `sites` that belong to it.
    pub fn new(outage: &Outage, sites: &[OutageSite]) -> OutageJson {
        OutageJson {
            id: outage.id.to_string(),
            started_at: rfc3339(outage.started_at),
            resolved_at: outage.resolved_at.map(rfc3339),
            sites: sites.iter().filter(|s| s.outage_id == outage.id).map(OutageSiteJson::from).collect(),
        }
    }
}
