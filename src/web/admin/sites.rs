//! `/admin/sites`: list, add, edit, pause or resume, delete.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{ConfirmPage, done, form_errors, html};
use crate::db::models::group::Group;
use crate::db::models::site::Site;
use crate::manage::FieldErrors;
use crate::manage::input::Input;
use crate::manage::site::{self, NewSite, SiteChange, SiteFields};
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::layout::Chrome;
use crate::web::state::AppState;

/// The site form's fields as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SiteInput {
    pub name: String,
    pub url: String,
    pub group: String,
    pub interval_secs: String,
    pub slug: String,
    pub probes: String,
    pub keyword: String,
    /// A checkbox: sent (as "on") only when ticked.
    pub keyword_absent: Option<String>,
}

impl SiteInput {
    /// A blank field means "not given": the name defaults to the host, the group to `default`.
    fn for_new(&self) -> SiteFields {
        let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        SiteFields {
            url: Some(self.url.clone()),
            name: given(&self.name),
            group: given(&self.group),
            interval_secs: Input::from_text(&self.interval_secs, Input::Absent),
            slug: given(&self.slug),
            active: None,
            probes: Input::from_text(&self.probes, Input::Absent),
            keyword: given(&self.keyword),
            keyword_absent: Some(self.absent()),
        }
    }

    fn absent(&self) -> bool {
        Input::checkbox(self.keyword_absent.as_deref()) == Input::Value(true)
    }

    /// An edit sends every field: a blank name is refused, a blank interval means every round.
    fn for_edit(&self) -> SiteFields {
        SiteFields {
            url: Some(self.url.clone()),
            name: Some(self.name.clone()),
            group: Some(self.group.clone()),
            interval_secs: Input::from_text(&self.interval_secs, Input::Null),
            slug: None,
            active: None,
            probes: Input::from_text(&self.probes, Input::Null),
            keyword: Some(self.keyword.trim().to_owned()),
            keyword_absent: Some(self.absent() && !self.keyword.trim().is_empty()),
        }
    }
}

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
    let fields = input.for_new();
    let result = state
        .manage(move |conn| {
            let new = NewSite::try_from(fields)?;
            site::add(conn, &new)
        })
        .await?;
    match result {
        Ok((site, _)) => Ok(done(&req, &state, "/admin/sites", format!("Watching {} as {}.", site.url, site.slug))),
        Err(refused) => {
            let errors = form_errors(refused, "url")?;
            form(&state, StatusCode::UNPROCESSABLE_ENTITY, chrome, None, input, errors).await
        }
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
        probes: site.probes.map(|p| p.to_string()).unwrap_or_default(),
        keyword: site.keyword.clone().unwrap_or_default(),
        keyword_absent: site.keyword_absent.then(|| "on".to_owned()),
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
    let fields = input.for_edit();
    let target = slug.clone();
    let result = state
        .manage(move |conn| {
            let change = SiteChange::try_from(fields)?;
            site::change(conn, &target, &change)
        })
        .await?;
    match result {
        Ok((site, _)) => Ok(done(&req, &state, "/admin/sites", format!("Saved {}.", site.name))),
        Err(refused) => {
            let errors = form_errors(refused, "url")?;
            form(&state, StatusCode::UNPROCESSABLE_ENTITY, chrome, Some(slug), input, errors).await
        }
    }
}

async fn set_active(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    active: bool,
) -> Result<HttpResponse, WebError> {
    let site = state.manage(move |c| site::set_active(c, &slug, active)).await??;
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
    let site = state.manage(move |c| site::remove(c, &slug)).await??;
    Ok(done(&req, &state, "/admin/sites", format!("Deleted {} and its check history.", site.name)))
}
