//! `/admin/groups`: list, add, edit, delete (an empty group only).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{ConfirmPage, done, form_errors, html};
use crate::db::models::group::Group;
use crate::manage::FieldErrors;
use crate::manage::group::{self, GroupChange, GroupFields, NewGroup};
use crate::manage::input::Input;
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::format::count;
use crate::web::layout::Chrome;
use crate::web::state::AppState;

/// The group form's fields as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct GroupInput {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub display_order: String,
    /// A checkbox: sent only when ticked.
    pub public: Option<String>,
}

impl GroupInput {
    /// The form sends every field; a blank slug means "make one from the name" (or keep it).
    fn fields(&self) -> GroupFields {
        GroupFields {
            name: Some(self.name.clone()),
            slug: Some(self.slug.clone()),
            description: Some(self.description.clone()),
            display_order: Input::from_text(&self.display_order, Input::Absent),
            public: match Input::checkbox(self.public.as_deref()) {
                Input::Value(ticked) => Some(ticked),
                _ => None,
            },
        }
    }
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/groups.html")]
struct ListPage {
    chrome: Chrome,
    groups: Vec<(Group, i64)>,
}

#[derive(Template)]
#[template(path = "admin/group_form.html")]
struct FormPage {
    chrome: Chrome,
    /// `None` when adding.
    editing: Option<String>,
    input: GroupInput,
    errors: FieldErrors,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/groups", web::get().to(list))
        .route("/groups/new", web::get().to(new_form))
        .route("/groups/new", web::post().to(create))
        .route("/groups/{slug}/edit", web::get().to(edit_form))
        .route("/groups/{slug}/edit", web::post().to(update))
        .route("/groups/{slug}/delete", web::get().to(confirm_delete))
        .route("/groups/{slug}/delete", web::post().to(delete));
}

async fn list(state: web::Data<AppState>, chrome: Chrome) -> Result<ListPage, WebError> {
    state
        .run(move |conn| {
            let counts = Group::site_counts(conn)?;
            let groups = Group::all(conn)?.into_iter().map(|g| {
                let n = counts.get(&g.id).copied().unwrap_or(0);
                (g, n)
            });
            Ok(ListPage { chrome, groups: groups.collect() })
        })
        .await
}

async fn new_form(chrome: Chrome) -> Result<HttpResponse, WebError> {
    html(
        StatusCode::OK,
        FormPage { chrome, editing: None, input: GroupInput::default(), errors: FieldErrors::default() },
    )
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    form: CsrfForm<GroupInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form;
    let fields = input.fields();
    let result = state.manage(move |conn| group::add(conn, &NewGroup::try_from(fields)?)).await?;
    match result {
        Ok(group) => {
            Ok(done(&req, &state, "/admin/groups", format!("Added group {} (slug {}).", group.name, group.slug)))
        }
        Err(refused) => {
            let errors = form_errors(refused, "name")?;
            html(StatusCode::UNPROCESSABLE_ENTITY, FormPage { chrome, editing: None, input, errors })
        }
    }
}

async fn edit_form(
    state: web::Data<AppState>,
    chrome: Chrome,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = slug.into_inner();
    let group = state.run(move |conn| Ok(Group::by_slug(conn, &slug)?)).await?;
    let input = GroupInput {
        name: group.name,
        slug: group.slug.clone(),
        description: group.description,
        display_order: group.display_order.to_string(),
        public: group.public.then(|| "on".to_owned()),
    };
    html(StatusCode::OK, FormPage { chrome, editing: Some(group.slug), input, errors: FieldErrors::default() })
}

async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    slug: web::Path<String>,
    form: CsrfForm<GroupInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form;
    let slug = slug.into_inner();
    let editing = Some(slug.clone());
    let fields = input.fields();
    let result = state.manage(move |conn| group::change(conn, &slug, &GroupChange::try_from(fields)?)).await?;
    match result {
        Ok(group) => Ok(done(&req, &state, "/admin/groups", format!("Saved group {}.", group.name))),
        Err(refused) => {
            let errors = form_errors(refused, "name")?;
            html(StatusCode::UNPROCESSABLE_ENTITY, FormPage { chrome, editing, input, errors })
        }
    }
}

async fn confirm_delete(
    state: web::Data<AppState>,
    chrome: Chrome,
    slug: web::Path<String>,
) -> Result<ConfirmPage, WebError> {
    let slug = slug.into_inner();
    let (group, sites) = state
        .run(move |conn| {
            let group = Group::by_slug(conn, &slug)?;
            let sites = Group::site_count(conn, group.id)?;
            Ok((group, sites))
        })
        .await?;
    Ok(ConfirmPage {
        chrome,
        title: format!("Delete group {}?", group.name),
        question: format!("Delete the group {} ({})?", group.name, group.slug),
        warning: (sites > 0).then(|| {
            format!(
                "It still holds {}: move or delete them first, or the delete will be refused.",
                count(sites.max(0) as u64, "site")
            )
        }),
        action: format!("/admin/groups/{}/delete", group.slug),
        back: "/admin/groups".into(),
    })
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let slug = slug.into_inner();
    let group = state.manage(move |c| group::remove(c, &slug)).await??;
    Ok(done(&req, &state, "/admin/groups", format!("Deleted group {}.", group.name)))
}
