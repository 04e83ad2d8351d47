//! `/groups/{slug}`: one group's sites, and its JSON with each site's current details.

use actix_web::web;
use askama::Template;

use super::history::{self, History};
use crate::db::models::group::Group;
use crate::db::models::site::Site;
use crate::json::{GroupRef, GroupSitesJson, SiteJson};
use crate::web::dashboard::{SiteRow, site_rows};
use crate::web::error::WebError;
use crate::web::layout::Chrome;
use crate::web::state::AppState;

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "group.html")]
pub struct GroupPage {
    chrome: Chrome,
    name: String,
    slug: String,
    description: String,
    rows: Vec<SiteRow>,
    history: History,
}

pub async fn page(state: web::Data<AppState>, chrome: Chrome, slug: web::Path<String>) -> Result<GroupPage, WebError> {
    let rendered = state.picture().await?;
    let summary = &rendered.summary;
    let group = summary
        .groups
        .iter()
        .find(|g| g.group.slug == slug.as_str())
        .ok_or_else(|| WebError::NotFound(format!("there is no group `{slug}`")))?;
    // The cached picture already holds the group's sites, as the table above shows them.
    let (sites, now): (Vec<Site>, _) = (group.sites.iter().map(|s| s.site.clone()).collect(), summary.now);
    let history = state.run(move |conn| history::load(conn, &sites, now, None)).await?;
    Ok(GroupPage {
        chrome,
        history,
        name: group.group.name.clone(),
        slug: group.group.slug.clone(),
        description: group.group.description.clone(),
        rows: site_rows(group.sites.iter(), &summary.stale_locations, summary.now, state.time_zone),
    })
}

pub async fn data(state: web::Data<AppState>, slug: web::Path<String>) -> Result<web::Json<GroupSitesJson>, WebError> {
    let slug = slug.into_inner();
    let body = state
        .run(move |conn| {
            let group = Group::find_by_slug(conn, &slug)?
                .ok_or_else(|| WebError::NotFound(format!("there is no group `{slug}`")))?;
            let sites = Site::in_group(conn, group.id)?;
            Ok(GroupSitesJson {
                sites: sites.iter().map(|s| SiteJson::with_group_slug(s, &group.slug)).collect(),
                group: GroupRef { name: group.name, slug: group.slug },
            })
        })
        .await?;
    Ok(web::Json(body))
}
