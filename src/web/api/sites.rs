//! `/api/sites...`: list, create, read, change and delete sites; add a recipient to a site;
//! read a site's check history.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ErrorJson;
use crate::db::models::group::Group;
use crate::db::models::location::SiteLocation;
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::json::{Page, SiteJson, ViewJson};
use crate::manage::input::Input;
use crate::manage::recipient::{self, NewRecipient, RecipientFields, ScopeRef};
use crate::manage::site::{self, NewSite, SiteChange, SiteFields};
use crate::manage::{FieldErrors, ManageError};
use crate::web::error::WebError;
use crate::web::paging::{PageQuery, Paging, SITES_PER_PAGE, VIEWS_PER_PAGE};
use crate::web::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSiteJson {
    /// Defaults to the URL's host.
    name: Option<String>,
    /// `http(s)://…`, `tcp://HOST:PORT` or `ping://HOST`: the kind of check follows from it.
    url: String,
    /// A group's slug or name; `default` (made on demand) when absent.
    group: Option<String>,
    /// Check at most this often; every round when absent.
    interval_secs: Option<i64>,
    /// Made from the name when absent.
    slug: Option<String>,
    /// Echo requests per check (ping sites only); `check.ping_probes` when absent.
    probes: Option<i64>,
    /// Text the page must contain (http(s) sites only).
    keyword: Option<String>,
    /// Up when the keyword is absent instead.
    keyword_absent: Option<bool>,
}

/// Fields to change; absent fields stay as they are. `interval_secs: null` means every round.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteChangeJson {
    name: Option<String>,
    url: Option<String>,
    /// A group's slug or name.
    group: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    interval_secs: Option<Option<i64>>,
    active: Option<bool>,
    /// `null` goes back to `check.ping_probes`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    probes: Option<Option<i64>>,
    /// `null` (or "") stops looking for a keyword.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    keyword: Option<Option<String>>,
    keyword_absent: Option<bool>,
}

/// Tells `"field": null` (clear it) from a missing field (leave it).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

impl From<NewSiteJson> for SiteFields {
    fn from(body: NewSiteJson) -> SiteFields {
        SiteFields {
            url: Some(body.url),
            name: body.name,
            group: body.group,
            interval_secs: Input::from_option(body.interval_secs),
            slug: body.slug,
            active: None,
            probes: Input::from_option(body.probes),
            keyword: body.keyword,
            keyword_absent: body.keyword_absent,
        }
    }
}

impl From<SiteChangeJson> for SiteFields {
    fn from(body: SiteChangeJson) -> SiteFields {
        SiteFields {
            url: body.url,
            name: body.name,
            group: body.group,
            interval_secs: body.interval_secs.map_or(Input::Absent, Input::from_nullable),
            slug: None,
            active: body.active,
            probes: body.probes.map_or(Input::Absent, Input::from_nullable),
            keyword: body.keyword.map(Option::unwrap_or_default),
            keyword_absent: body.keyword_absent,
        }
    }
}

/// One of `email` or `phone` (international form, e.g. `+447700900123`; alerts go by SMS).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRecipientJson {
    email: Option<String>,
    phone: Option<String>,
}

impl NewRecipientJson {
    /// The address and the field it came in.
    fn address(self) -> Result<(String, &'static str), WebError> {
        match (self.email, self.phone) {
            (Some(address), None) => Ok((address, "email")),
            (None, Some(address)) => Ok((address, "phone")),
            (None, None) => Err(WebError::Fields(FieldErrors::one("email", "give an `email` or a `phone`"))),
            (Some(_), Some(_)) => {
                Err(WebError::Fields(FieldErrors::one("phone", "give an `email` or a `phone`, not both")))
            }
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecipientJson {
    id: String,
    /// `email` or `phone`.
    kind: &'static str,
    /// The e-mail address or phone number.
    address: String,
    /// The slug of the site whose alerts this address receives.
    site: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewsQuery {
    /// Only views at or after this time (RFC 3339).
    since: Option<String>,
    /// Only views before this time (RFC 3339).
    until: Option<String>,
    /// Page number, from 1.
    page: Option<i64>,
    /// Items per page, 1 to 100 (default 10).
    per_page: Option<i64>,
}

/// Every site with its newest check, in display order.
#[utoipa::path(
    get,
    path = "/api/sites",
    tag = "sites",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of sites", body = Page<SiteJson>),
        (status = 400, description = "Bad page or per_page", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<SiteJson>>, WebError> {
    let paging = Paging::parse(&query, SITES_PER_PAGE)?;
    let page = state
        .run(move |conn| {
            let (sites, total) = Site::page_with_group_slugs(conn, paging.offset(), paging.limit())?;
            let ids: Vec<_> = sites.iter().map(|(s, _)| s.id).collect();
            let rows = SiteLocation::of_sites(conn, &ids)?;
            Ok(Page {
                items: sites.iter().map(|(s, g)| SiteJson::with_group_slug(s, g).with_locations(&rows)).collect(),
                page: paging.page,
                per_page: paging.per_page,
                total,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Watches a new site.
#[utoipa::path(
    post,
    path = "/api/sites",
    tag = "sites",
    request_body = NewSiteJson,
    responses(
        (status = 201, description = "The new site", body = SiteJson),
        (status = 400, description = "The body is not JSON", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 409, description = "The URL is already watched, or the slug is taken", body = ErrorJson),
        (status = 422, description = "A field is invalid or the group does not exist", body = ErrorJson),
    )
)]
pub async fn create(state: web::Data<AppState>, body: web::Json<NewSiteJson>) -> Result<HttpResponse, WebError> {
    let fields = SiteFields::from(body.into_inner());
    let (site, group) = state.manage(move |c| site::add(c, &NewSite::try_from(fields)?)).await??;
    state.changed();
    Ok(HttpResponse::Created().json(SiteJson::new(&site, &group)))
}

/// One site with its newest check.
#[utoipa::path(
    get,
    path = "/api/sites/{slug}",
    tag = "sites",
    params(("slug" = String, Path, description = "The site's slug")),
    responses(
        (status = 200, description = "The site", body = SiteJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such site", body = ErrorJson),
    )
)]
pub async fn read(state: web::Data<AppState>, slug: web::Path<String>) -> Result<web::Json<SiteJson>, WebError> {
    let slug = slug.into_inner();
    let json = state
        .run(move |conn| {
            let site = Site::by_slug(conn, &slug)?;
            let group = Group::find(conn, site.group_id)?.ok_or_else(|| WebError::Internal("group vanished".into()))?;
            let rows = SiteLocation::of_site(conn, site.id)?;
            Ok(SiteJson::new(&site, &group).with_locations(&rows))
        })
        .await?;
    Ok(web::Json(json))
}

/// Changes a site's name, URL, group, interval or active flag (pause with `"active": false`).
#[utoipa::path(
    patch,
    path = "/api/sites/{slug}",
    tag = "sites",
    params(("slug" = String, Path, description = "The site's slug")),
    request_body = SiteChangeJson,
    responses(
        (status = 200, description = "The changed site", body = SiteJson),
        (status = 400, description = "The body is not JSON", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such site", body = ErrorJson),
        (status = 409, description = "The new URL is already watched", body = ErrorJson),
        (status = 422, description = "A field is invalid or unknown", body = ErrorJson),
    )
)]
pub async fn change(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Json<SiteChangeJson>,
) -> Result<web::Json<SiteJson>, WebError> {
    let slug = slug.into_inner();
    let fields = SiteFields::from(body.into_inner());
    let (site, group) = state.manage(move |c| site::change(c, &slug, &SiteChange::try_from(fields)?)).await??;
    state.changed();
    Ok(web::Json(SiteJson::new(&site, &group)))
}

/// Stops watching a site and deletes its check history.
#[utoipa::path(
    delete,
    path = "/api/sites/{slug}",
    tag = "sites",
    params(("slug" = String, Path, description = "The site's slug")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such site", body = ErrorJson),
    )
)]
pub async fn delete(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse, WebError> {
    let slug = slug.into_inner();
    state.manage(move |c| site::remove(c, &slug)).await??;
    state.changed();
    Ok(HttpResponse::NoContent().finish())
}

/// Sends this site's alerts to one more e-mail address or (by SMS) phone number.
#[utoipa::path(
    post,
    path = "/api/sites/{slug}/recipients",
    tag = "sites",
    params(("slug" = String, Path, description = "The site's slug")),
    request_body = NewRecipientJson,
    responses(
        (status = 201, description = "The new recipient", body = RecipientJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such site", body = ErrorJson),
        (status = 409, description = "The address already receives this site's alerts", body = ErrorJson),
        (status = 422, description = "Neither an e-mail address nor a phone number", body = ErrorJson),
    )
)]
pub async fn add_recipient(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Json<NewRecipientJson>,
) -> Result<HttpResponse, WebError> {
    let slug = slug.into_inner();
    let (address, field) = body.into_inner().address()?;
    let fields = RecipientFields { address: Some(address), scope: ScopeRef::Site(slug.clone()) };
    let result = state.manage(move |c| recipient::add(c, &NewRecipient::try_from(fields)?)).await?;
    let added = result.map_err(|refused| match refused {
        // The site comes from the path: a missing one is a missing resource, not a bad field.
        ManageError::Invalid(errors) if errors.first_field() == Some("site") => {
            WebError::NotFound(errors.get("site").unwrap_or_default().to_owned())
        }
        ManageError::Invalid(errors) => WebError::Fields(errors.rename(&["address"], field)),
        ManageError::Conflict { message, .. } => WebError::Duplicate { field: Some(field), message },
        other => other.into(),
    })?;
    let json = RecipientJson {
        id: added.recipient.id.to_string(),
        kind: added.recipient.kind().as_str(),
        address: added.recipient.email,
        site: slug,
    };
    Ok(HttpResponse::Created().json(json))
}

fn parse_time(field: &str, raw: Option<&str>) -> Result<Option<NaiveDateTime>, WebError> {
    raw.filter(|r| !r.trim().is_empty())
        .map(|r| {
            DateTime::parse_from_rfc3339(r.trim()).map(|t| t.naive_utc()).map_err(|e| {
                WebError::BadRequest(format!("{field} must be an RFC 3339 time such as 2026-11-21T09:30:00Z ({e})"))
            })
        })
        .transpose()
}

/// A site's check history, newest first.
#[utoipa::path(
    get,
    path = "/api/sites/{slug}/views",
    tag = "sites",
    params(("slug" = String, Path, description = "The site's slug"), ViewsQuery),
    responses(
        (status = 200, description = "A page of views", body = Page<ViewJson>),
        (status = 400, description = "Bad since, until, page or per_page", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such site", body = ErrorJson),
    )
)]
pub async fn views(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ViewsQuery>,
) -> Result<web::Json<Page<ViewJson>>, WebError> {
    let paging = Paging::parse(&PageQuery { page: query.page, per_page: query.per_page }, VIEWS_PER_PAGE)?;
    let since = parse_time("since", query.since.as_deref())?;
    let until = parse_time("until", query.until.as_deref())?;
    let slug = slug.into_inner();
    let page = state
        .run(move |conn| {
            let site = Site::by_slug(conn, &slug)?;
            let views = SiteView::page_for_site_between(conn, site.id, since, until, paging.offset(), paging.limit())?;
            Ok(Page {
                items: views.iter().map(ViewJson::from).collect(),
                page: paging.page,
                per_page: paging.per_page,
                total: match (since, until) {
                    (None, None) => site.view_count,
                    _ => SiteView::count_for_site_between(conn, site.id, since, until)?,
                },
            })
        })
        .await?;
    Ok(web::Json(page))
}
