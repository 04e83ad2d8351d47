//! `/admin/recipients`: who receives alerts by e-mail (everything, one group, or one site).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{ConfirmPage, done, html, parse_id};
use crate::db::models::group::Group;
use crate::db::models::recipient::{Recipient, RecipientListing, Scope};
use crate::db::models::site::Site;
use crate::domain::email::EmailAddress;
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::forms::{FieldErrors, Refused, attempt};
use crate::web::state::AppState;
use crate::web::view::Chrome;

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/recipients.html")]
struct ListPage {
    chrome: Chrome,
    recipients: Vec<RecipientListing>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct RecipientInput {
    email: String,
    /// `all`, `group:SLUG` or `site:SLUG`.
    scope: String,
}

#[derive(Template)]
#[template(path = "admin/recipient_form.html")]
struct FormPage {
    chrome: Chrome,
    input: RecipientInput,
    errors: FieldErrors,
    groups: Vec<Group>,
    sites: Vec<(Site, Group)>,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/recipients", web::get().to(list))
        .route("/recipients/new", web::get().to(new_form))
        .route("/recipients/new", web::post().to(create))
        .route("/recipients/{id}/delete", web::get().to(confirm_delete))
        .route("/recipients/{id}/delete", web::post().to(delete));
}

async fn list(state: web::Data<AppState>, chrome: Chrome) -> Result<ListPage, WebError> {
    state.run(move |conn| Ok(ListPage { chrome, recipients: Recipient::listing(conn)? })).await
}

async fn form(
    state: &AppState,
    status: StatusCode,
    chrome: Chrome,
    input: RecipientInput,
    errors: FieldErrors,
) -> Result<HttpResponse, WebError> {
    let (groups, sites) = state.run(|conn| Ok((Group::all(conn)?, Site::all_with_groups(conn)?))).await?;
    html(status, FormPage { chrome, input, errors, groups, sites })
}

async fn new_form(state: web::Data<AppState>, chrome: Chrome) -> Result<HttpResponse, WebError> {
    let input = RecipientInput { email: String::new(), scope: "all".into() };
    form(&state, StatusCode::OK, chrome, input, FieldErrors::default()).await
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    form_input: CsrfForm<RecipientInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form_input;
    let submitted = input.clone();
    let result = state
        .run(move |conn| {
            attempt(conn, |c| {
                let mut errors = FieldErrors::default();
                let email = errors.check("email", EmailAddress::parse(&submitted.email));
                let scope = match submitted.scope.split_once(':') {
                    None if submitted.scope == "all" || submitted.scope.is_empty() => Some(Scope::All),
                    Some(("group", slug)) => match Group::find_by_slug(c, slug)? {
                        Some(g) => Some(Scope::Group(g.id)),
                        None => {
                            errors.add("scope", format!("there is no group `{slug}`"));
                            None
                        }
                    },
                    Some(("site", slug)) => match Site::find_by_slug(c, slug)? {
                        Some(s) => Some(Scope::Site(s.id)),
                        None => {
                            errors.add("scope", format!("there is no site `{slug}`"));
                            None
                        }
                    },
                    _ => {
                        errors.add("scope", "choose every site, a group or a site");
                        None
                    }
                };
                let (Some(email), Some(scope), true) = (email, scope, errors.is_empty()) else {
                    return Err(Refused::Fields(errors));
                };
                Recipient::add(c, &email, scope).map_err(|e| Refused::conflict(e, "email"))
            })
        })
        .await?;
    match result {
        Ok(r) => Ok(done(&req, &state, "/admin/recipients", format!("{} will receive alerts.", r.email))),
        Err(errors) => form(&state, StatusCode::UNPROCESSABLE_ENTITY, chrome, input, errors).await,
    }
}

async fn confirm_delete(
    state: web::Data<AppState>,
    chrome: Chrome,
    id: web::Path<String>,
) -> Result<ConfirmPage, WebError> {
    let id = parse_id(&id, "recipient")?;
    let listing = state
        .run(move |conn| {
            Recipient::listing(conn)?
                .into_iter()
                .find(|l| l.recipient.id == id)
                .ok_or_else(|| WebError::NotFound(format!("there is no recipient {id}")))
        })
        .await?;
    Ok(ConfirmPage {
        chrome,
        title: format!("Stop alerting {}?", listing.recipient.email),
        question: format!("Stop sending alerts to {}?", listing.recipient.email),
        warning: None,
        action: format!("/admin/recipients/{id}/delete"),
        back: "/admin/recipients".into(),
    })
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id, "recipient")?;
    state.write(move |c| Recipient::delete(c, id)).await?;
    Ok(done(&req, &state, "/admin/recipients", "Removed the recipient.".into()))
}
