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
use crate::domain::ping::PingStats;
use crate::domain::status::Status;
use crate::domain::time::now_utc;
use crate::json::{Page, ViewJson};
use crate::web::error::WebError;
use crate::web::filters;
use crate::web::format;
use crate::web::layout::{Chrome, ago, local};
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
    /// What kind of check it gets, in words.
    kind: &'static str,
    interval: String,
    checked: String,
    last_result: String,
    /// Why it is down ("HTTP 503"), when it is.
    reason: Option<String>,
    /// The keyword rule and how the newest check fared with it.
    keyword: Option<String>,
    /// When the certificate expires and how many days that leaves.
    certificate: Option<String>,
    /// The newest ping check's figures, as (name, value) pairs.
    ping: Vec<(&'static str, String)>,
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
            let ping = site.last_ping();
            let kind = site.kind();
            let answered = format::response(
                site.last_status_code,
                site.last_error.as_deref(),
                site.last_response_ms,
                ping.as_ref(),
            );
            let last_result = match site.last_checked_at {
                Some(_) => {
                    let words = format::check_result(
                        kind,
                        site.last_status_code,
                        site.last_error.as_deref(),
                        site.keyword_absent,
                        ping.as_ref(),
                    );
                    if answered == format::NONE { words } else { format!("{words}, {answered}") }
                }
                None => format::NONE.to_owned(),
            };
            let locations = SiteLocation::of_site(conn, site.id)?;
            Ok(SitePage {
                locations: if locations.len() > 1 {
                    locations
                        .iter()
                        .map(|l| LocationRow {
                            name: l.location.clone(),
                            up: l.up,
                            checked: format!("{} ({})", ago(now, l.checked_at), local(tz, l.checked_at)),
                            result: {
                                let words = format::check_result(
                                    kind,
                                    l.status_code,
                                    l.error.as_deref(),
                                    site.keyword_absent,
                                    None,
                                );
                                match format::response(l.status_code, l.error.as_deref(), Some(l.response_ms), None) {
                                    answered if answered == format::NONE => words,
                                    answered => format!("{words}, {answered}"),
                                }
                            },
                            failures: l.consecutive_failures,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                chrome,
                status: site.status(),
                kind: format::kind_text(kind),
                reason: (site.last_checked_at.is_some() && site.last_up == Some(false)).then(|| {
                    format::down_reason(
                        site.last_status_code,
                        site.last_error.as_deref(),
                        site.keyword_absent,
                        ping.as_ref(),
                    )
                }),
                keyword: site.keyword.as_deref().map(|word| {
                    let rule = if site.keyword_absent { "must not contain" } else { "must contain" };
                    let held = match (site.last_checked_at, site.last_error.as_deref()) {
                        (None, _) => "not checked yet",
                        (Some(_), Some("keyword")) => "not met on the newest check",
                        (Some(_), _) if site.last_status_code.is_some() => "met on the newest check",
                        (Some(_), _) => "not reached on the newest check",
                    };
                    format!("the page {rule} “{word}”: {held}")
                }),
                certificate: site
                    .tls_expires_at
                    .map(|at| format!("expires {} ({})", local(tz, at), format::days_left((at - now).num_days()))),
                ping: ping.as_ref().map(ping_figures).unwrap_or_default(),
                interval: site.interval_secs.map_or_else(|| "every round".to_owned(), |s| format!("every {s} s")),
                checked: site
                    .last_checked_at
                    .map_or_else(|| "never".to_owned(), |t| format!("{} ({})", ago(now, t), local(tz, t))),
                last_result,
                failures: site.consecutive_failures,
                history,
                ranges: CHART_RANGES,
                page_suffix: if paging.page > 1 { format!("&page={}", paging.page) } else { String::new() },
                chart_width: chart::WIDTH,
                chart_height: chart::HEIGHT,
                views: views
                    .iter()
                    .map(|v| {
                        let stats = v.ping.stats();
                        ViewRow {
                            at: local(tz, v.checked_at),
                            up: v.up,
                            result: format::check_result(
                                kind,
                                v.status_code,
                                v.error.as_deref(),
                                site.keyword_absent,
                                stats.as_ref(),
                            ),
                            response: format::response(
                                v.status_code,
                                v.error.as_deref(),
                                Some(v.response_ms),
                                stats.as_ref(),
                            ),
                        }
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

/// The newest ping check's figures, named as iputils' `ping` prints them.
fn ping_figures(p: &PingStats) -> Vec<(&'static str, String)> {
    let rtt = |v: Option<f64>| v.map_or_else(|| format::NONE.to_owned(), format::ms_f64);
    vec![
        ("transmitted", p.transmitted.to_string()),
        ("received", p.received.to_string()),
        ("duplicates", p.duplicates.to_string()),
        ("loss", format::loss(p.loss_percent)),
        ("min", rtt(p.rtt_min_ms)),
        ("avg", rtt(p.rtt_avg_ms)),
        ("max", rtt(p.rtt_max_ms)),
        ("mdev", rtt(p.rtt_mdev_ms)),
    ]
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
