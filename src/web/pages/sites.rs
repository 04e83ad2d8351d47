//! `/sites/{slug}`: one site with its 24-hour chart, figures and check history; and its views
//! as JSON, newest first, read along the (site_id, checked_at) primary key.

use actix_web::web;
use askama::Template;

use super::chart;
use super::history::{self, CHART_RANGES, ChartQuery, History};
use crate::db::models::group::Group;
use crate::db::models::location::SiteLocation;
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::domain::status::{Status, result_text};
use crate::domain::time::now_utc;
use crate::json::{Page, ViewJson};
use crate::web::error::WebError;
use crate::web::filters;
use crate::web::layout::{Chrome, ago, local, millis};
use crate::web::paging::{PageQuery, Pager, Paging, VIEWS_PER_PAGE};
use crate::web::state::AppState;

/// One location's newest check of the site (shown when more than one location checks it).
pub struct LocationRow {
    pub name: String,
    pub up: bool,
    pub checked: String,
    pub result: String,
    pub failures: i32,
}

pub struct ViewRow {
    pub at: String,
    pub up: bool,
    pub result: String,
    pub response: String,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "site.html")]
pub struct SitePage {
    chrome: Chrome,
    name: String,
    slug: String,
    url: String,
    group_name: String,
    group_slug: String,
    status: Status,
    interval: String,
    checked: String,
    last_result: String,
    failures: i32,
    history: History,
    ranges: [&'static str; 4],
    /// Keeps the check-history page when the chart's range changes ("&page=3").
    page_suffix: String,
    chart_width: f64,
    chart_height: f64,
    views: Vec<ViewRow>,
    pager: Pager,
    locations: Vec<LocationRow>,
}

pub async fn page(
    state: web::Data<AppState>,
    chrome: Chrome,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
    chart_query: web::Query<ChartQuery>,
) -> Result<SitePage, WebError> {
    let paging = Paging::parse(&query, VIEWS_PER_PAGE)?;
    let chart_query = chart_query.into_inner();
    let slug = slug.into_inner();
    let tz = state.time_zone;
    state
        .run(move |conn| {
            let site = Site::by_slug(conn, &slug)?;
            let group = Group::find(conn, site.group_id)?
                .ok_or_else(|| WebError::NotFound("the site's group no longer exists".into()))?;
            let now = now_utc();
            let history = history::load(conn, std::slice::from_ref(&site), now, Some(&chart_query))?;
            // Paging through the checks keeps a chosen chart range.
            let pager_base = match (&chart_query.range, &history.chart) {
                (Some(_), Some(view)) => format!("/sites/{}?range={}", site.slug, view.range),
                _ => format!("/sites/{}", site.slug),
            };
            let views = SiteView::page_for_site(conn, site.id, paging.offset(), paging.limit())?;
            let total = site.view_count;
            let locations = SiteLocation::of_site(conn, site.id)?;
            Ok(SitePage {
                locations: if locations.len() > 1 {
                    locations
                        .iter()
                        .map(|l| LocationRow {
                            name: l.location.clone(),
                            up: l.up,
                            checked: format!("{} ({})", ago(now, l.checked_at), local(tz, l.checked_at)),
                            result: format!(
                                "{}, {}",
                                result_text(l.status_code, l.error.as_deref()),
                                millis(Some(l.response_ms))
                            ),
                            failures: l.consecutive_failures,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                chrome,
                status: site.status(),
                interval: site.interval_secs.map_or_else(|| "every round".to_owned(), |s| format!("every {s} s")),
                checked: site
                    .last_checked_at
                    .map_or_else(|| "never".to_owned(), |t| format!("{} ({})", ago(now, t), local(tz, t))),
                last_result: match site.last_checked_at {
                    Some(_) => format!(
                        "{}, {}",
                        result_text(site.last_status_code, site.last_error.as_deref()),
                        millis(site.last_response_ms)
                    ),
                    None => "–".to_owned(),
                },
                failures: site.consecutive_failures,
                history,
                ranges: CHART_RANGES,
                page_suffix: if paging.page > 1 { format!("&page={}", paging.page) } else { String::new() },
                chart_width: chart::WIDTH,
                chart_height: chart::HEIGHT,
                views: views
                    .iter()
                    .map(|v| ViewRow {
                        at: local(tz, v.checked_at),
                        up: v.up,
                        result: result_text(v.status_code, v.error.as_deref()),
                        response: format!("{} ms", v.response_ms),
                    })
                    .collect(),
                pager: Pager::new(&pager_base, paging, VIEWS_PER_PAGE, total),
                name: site.name,
                slug: site.slug,
                url: site.url,
                group_name: group.name,
                group_slug: group.slug,
            })
        })
        .await
}

/// `GET /sites/{slug}/data.json?page=&per_page=`: the site's views, newest first.
pub async fn data(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<ViewJson>>, WebError> {
    let paging = Paging::parse(&query, VIEWS_PER_PAGE)?;
    let slug = slug.into_inner();
    let page = state
        .run(move |conn| {
            let site = Site::by_slug(conn, &slug)?;
            let views = SiteView::page_for_site(conn, site.id, paging.offset(), paging.limit())?;
            let total = site.view_count;
            Ok(Page {
                items: views.iter().map(ViewJson::from).collect(),
                page: paging.page,
                per_page: paging.per_page,
                total,
            })
        })
        .await?;
    Ok(web::Json(page))
}
