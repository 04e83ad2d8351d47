//! The JSON shapes of SPEC §6, shared by the API, the `data.json` routes and `--json` listings.

use serde::Serialize;

use crate::db::models::group::Group;
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::domain::time::rfc3339;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SiteJson {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub url: String,
    pub group: String,
    pub active: bool,
    pub interval_secs: Option<i32>,
    pub status: &'static str,
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

#[derive(Debug, Clone, Serialize, PartialEq)]
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

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ViewJson {
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
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}
