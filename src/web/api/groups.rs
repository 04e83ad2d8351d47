//! `GET /api/groups` and `POST /api/groups`.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::ErrorJson;
use crate::db::models::group::Group;
use crate::json::{GroupJson, Page};
use crate::web::error::WebError;
use crate::web::forms::GroupInput;
use crate::web::paging::{PageQuery, Paging};
use crate::web::state::AppState;

const PER_PAGE: u32 = 100;

#[derive(Deserialize, ToSchema)]
pub struct NewGroup {
    name: String,
    /// Made from the name when absent.
    slug: Option<String>,
    description: Option<String>,
    display_order: Option<i32>,
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
    let paging = Paging::parse(&query, PER_PAGE)?;
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
    request_body = NewGroup,
    responses(
        (status = 201, description = "The new group", body = GroupJson),
        (status = 400, description = "The body is not JSON", body = ErrorJson),
        (status = 401, description = "No valid token or session", body = ErrorJson),
        (status = 409, description = "A group of that name or slug exists", body = ErrorJson),
        (status = 422, description = "A field is invalid", body = ErrorJson),
    )
)]
pub async fn create(state: web::Data<AppState>, body: web::Json<NewGroup>) -> Result<HttpResponse, WebError> {
    let body = body.into_inner();
    let input = GroupInput {
        name: body.name,
        slug: body.slug.unwrap_or_default(),
        description: body.description.unwrap_or_default(),
        display_order: body.display_order.map(|n| n.to_string()).unwrap_or_default(),
    };
    let spec = input.parse().map_err(|e| e.into_invalid())?;
    let group = state.write(move |c| Group::create(c, &spec)).await?;
    state.changed();
    Ok(HttpResponse::Created().json(GroupJson::from(&group)))
}
