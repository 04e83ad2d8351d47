//! `/admin/sites`: list, add, edit, pause or resume, delete.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{ConfirmPage, done, html};
use crate::db::models::group::Group;
use crate::db::models::site::Site;
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::forms::{FieldErrors, Refused, SiteInput, attempt};
use crate::web::state::AppState;
use crate::web::view::Chrome;

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/sites.html")]
struct ListPage {
    chrome: Chrome,
    sites: Vec<(Site, Group)>,
}

#[derive(Template)]
#[template(path = "admin/site_form.html")]
struct FormPage {
    chrome: Chrome,
    editing: Option<String>,
    input: SiteInput,
    errors: FieldErrors,
    groups: Vec<Group>,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/sites", web::get().to(list))
        .route("/sites/new", web::get().to(new_form))
        .route("/sites/new", web::post().to(create))
        .route("/sites/{slug}/edit", web::get().to(edit_form))
        .route("/sites/{slug}/edit", web::post().to(update))
        .route("/sites/{slug}/pause", web::post().to(pause))
        .route("/sites/{slug}/resume", web::post().to(resume))
        .route("/sites/{slug}/delete", web::get().to(confirm_delete))
        .route("/sites/{slug}/delete", web::post().to(delete));
}

async fn list(state: web::Data<AppState>, chrome: Chrome) -> Result<ListPage, WebError> {
    state.run(move |conn| Ok(ListPage { chrome, sites: Site::all_with_groups(conn)? })).await
}

async fn form(
    state: &AppState,
    status: StatusCode,
    chrome: Chrome,
    editing: Option<String>,
    input: SiteInput,
    errors: FieldErrors,
) -> Result<HttpResponse, WebError> {
    let groups = state.run(|conn| Ok(Group::all(conn)?)).await?;
    html(status, FormPage { chrome, editing, input, errors, groups })
}

async fn new_form(state: web::Data<AppState>, chrome: Chrome) -> Result<HttpResponse, WebError> {
    form(&state, StatusCode::OK, chrome, None, SiteInput::default(), FieldErrors::default()).await
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    input: CsrfForm<SiteInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = input;
    let submitted = input.clone();
    let result = state
        .run(move |conn| {
            attempt(conn, |c| {
                let spec = submitted.parse_new(c)?.map_err(Refused::Fields)?;
                Site::create(c, &spec).map_err(|e| Refused::conflict(e, "url"))
            })
        })
        .await?;
    match result {
        Ok(site) => Ok(done(&req, &state, "/admin/sites", format!("Watching {} as {}.", site.url, site.slug))),
        Err(errors) => form(&state, StatusCode::UNPROCESSABLE_ENTITY, chrome, None, input, errors).await,
    }
}

async fn edit_form(
    state: web::Data<AppState>,
    chrome: Chrome,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = slug.into_inner();
    let (site, group) = state
        .run(move |conn| {
            let site = Site::by_slug(conn, &slug)?;
            let group = Group::find(conn, site.group_id)?.ok_or_else(|| WebError::Internal("group vanished".into()))?;
            Ok((site, group))
        })
        .await?;
    let input = SiteInput {
        name: site.name,
        url: site.url,
        group: group.slug,
        interval_secs: site.interval_secs.map(|s| s.to_string()).unwrap_or_default(),
        slug: site.slug.clone(),
    };
    form(&state, StatusCode::OK, chrome, Some(site.slug), input, FieldErrors::default()).await
}

async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    slug: web::Path<String>,
    input: CsrfForm<SiteInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = input;
    let slug = slug.into_inner();
    let submitted = input.clone();
    let target = slug.clone();
    let result = state
        .run(move |conn| {
            attempt(conn, |c| {
                let site = Site::by_slug(c, &target)?;
                let change = submitted.parse_change(c)?.map_err(Refused::Fields)?;
                Site::update(c, site.id, &change).map_err(|e| Refused::conflict(e, "url"))
            })
        })
        .await?;
    match result {
        Ok(site) => Ok(done(&req, &state, "/admin/sites", format!("Saved {}.", site.name))),
        Err(errors) => form(&state, StatusCode::UNPROCESSABLE_ENTITY, chrome, Some(slug), input, errors).await,
    }
}

async fn set_active(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    active: bool,
) -> Result<HttpResponse, WebError> {
    let site = state.write(move |c| Site::set_active(c, &slug, active)).await?;
    let message = if active {
        format!("Resumed {}; the next round checks it.", site.name)
    } else {
        format!("Paused {}; it will not be checked until resumed.", site.name)
    };
    Ok(done(&req, &state, "/admin/sites", message))
}

async fn pause(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    set_active(req, state, slug.into_inner(), false).await
}

async fn resume(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    set_active(req, state, slug.into_inner(), true).await
}

async fn confirm_delete(
    state: web::Data<AppState>,
    chrome: Chrome,
    slug: web::Path<String>,
) -> Result<ConfirmPage, WebError> {
    let slug = slug.into_inner();
    let site = state.run(move |conn| Ok(Site::by_slug(conn, &slug)?)).await?;
    Ok(ConfirmPage {
        chrome,
        title: format!("Delete {}?", site.name),
        question: format!("Stop watching {} ({}) and delete its check history?", site.name, site.url),
        warning: Some("Its check history is deleted too; past outages keep its name.".into()),
        action: format!("/admin/sites/{}/delete", site.slug),
        back: "/admin/sites".into(),
    })
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let slug = slug.into_inner();
    let site = state
        .write(move |c| {
            let site = Site::by_slug(c, &slug)?;
            Site::delete(c, site.id)?;
            Ok::<_, WebError>(site)
        })
        .await?;
    Ok(done(&req, &state, "/admin/sites", format!("Deleted {} and its check history.", site.name)))
}
