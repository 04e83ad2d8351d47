//! `GET /api/groups`, `POST /api/groups` and `PATCH /api/groups/{slug}`.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::ErrorJson;
use crate::db::models::group::Group;
use crate::json::{GroupJson, Page};
use crate::manage::group::{self, GroupChange, GroupFields, NewGroup};
use crate::manage::input::Input;
use crate::web::error::WebError;
use crate::web::paging::{GROUPS_PER_PAGE, PageQuery, Paging};
use crate::web::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct NewGroupJson {
    name: String,
    /// Made from the name when absent.
    slug: Option<String>,
    description: Option<String>,
    display_order: Option<i64>,
    /// Show the group's sites on the public status page (default false).
    public: Option<bool>,
}

impl From<NewGroupJson> for GroupFields {
    fn from(body: NewGroupJson) -> GroupFields {
        GroupFields {
            name: Some(body.name),
            slug: body.slug,
            description: body.description,
            display_order: Input::from_option(body.display_order),
            public: body.public,
        }
    }
}

/// Fields to change; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupChangeJson {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    display_order: Option<i64>,
    /// Show the group's sites on the public status page, or hide them.
    public: Option<bool>,
}

impl From<GroupChangeJson> for GroupFields {
    fn from(body: GroupChangeJson) -> GroupFields {
        GroupFields {
            name: body.name,
            slug: body.slug,
            description: body.description,
            display_order: Input::from_option(body.display_order),
            public: body.public,
        }
    }
}

/// Every group, in display order.
#[utoipa::path(
    get,
    path = "/api/groups",
    tag = "groups",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of groups", body = Page<GroupJson>),
        (status = 400, description = "Bad page or per_page", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<GroupJson>>, WebError> {
    let paging = Paging::parse(&query, GROUPS_PER_PAGE)?;
    let page = state
        .run(move |conn| {
            let groups = Group::page(conn, paging.offset(), paging.limit())?;
            Ok(Page {
                items: groups.iter().map(GroupJson::from).collect(),
                page: paging.page,
                per_page: paging.per_page,
                total: Group::count(conn)?,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Adds a group.
#[utoipa::path(
    post,
    path = "/api/groups",
    tag = "groups",
    request_body = NewGroupJson,
    responses(
        (status = 201, description = "The new group", body = GroupJson),
        (status = 400, description = "The body is not JSON", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 409, description = "A group of that name or slug exists", body = ErrorJson),
        (status = 422, description = "A field is invalid", body = ErrorJson),
    )
)]
pub async fn create(state: web::Data<AppState>, body: web::Json<NewGroupJson>) -> Result<HttpResponse, WebError> {
    let fields = GroupFields::from(body.into_inner());
    let group = state.manage(move |c| group::add(c, &NewGroup::try_from(fields)?)).await??;
    state.changed();
    Ok(HttpResponse::Created().json(GroupJson::from(&group)))
}

/// Changes a group's name, slug, description, order or public flag.
#[utoipa::path(
    patch,
    path = "/api/groups/{slug}",
    tag = "groups",
    params(("slug" = String, Path, description = "The group's slug")),
    request_body = GroupChangeJson,
    responses(
        (status = 200, description = "The changed group", body = GroupJson),
        (status = 400, description = "The body is not JSON", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 404, description = "No such group", body = ErrorJson),
        (status = 409, description = "Another group has that name or slug", body = ErrorJson),
        (status = 422, description = "A field is invalid or unknown", body = ErrorJson),
    )
)]
pub async fn change(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Json<GroupChangeJson>,
) -> Result<web::Json<GroupJson>, WebError> {
    let slug = slug.into_inner();
    let fields = GroupFields::from(body.into_inner());
    let group = state.manage(move |c| group::change(c, &slug, &GroupChange::try_from(fields)?)).await??;
    state.changed();
    Ok(web::Json(GroupJson::from(&group)))
}
