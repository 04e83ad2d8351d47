//! `/admin/recipients`: who receives alerts by e-mail (everything, one group, or one site).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{ConfirmPage, done, form_errors, html, parse_id};
use crate::db::models::group::Group;
use crate::db::models::recipient::{Recipient, RecipientListing};
use crate::db::models::site::Site;
use crate::manage::recipient::{self, NewRecipient, RecipientFields, ScopeRef};
use crate::manage::{FieldErrors, ManageError};
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::layout::Chrome;
use crate::web::state::AppState;

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/recipients.html")]
struct ListPage {
    chrome: Chrome,
    recipients: Vec<RecipientListing>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct RecipientInput {
    /// An e-mail address or a phone number.
    address: String,
    /// `all`, `group:SLUG` or `site:SLUG`.
    scope: String,
}

impl RecipientInput {
    fn fields(&self) -> Result<RecipientFields, ManageError> {
        let scope = match self.scope.split_once(':') {
            None if self.scope == "all" || self.scope.is_empty() => ScopeRef::All,
            Some(("group", slug)) => ScopeRef::Group(slug.to_owned()),
            Some(("site", slug)) => ScopeRef::Site(slug.to_owned()),
            _ => return Err(ManageError::invalid("scope", "choose every site, a group or a site")),
        };
        Ok(RecipientFields { address: Some(self.address.clone()), scope })
    }
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
    let input = RecipientInput { address: String::new(), scope: "all".into() };
    form(&state, StatusCode::OK, chrome, input, FieldErrors::default()).await
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    form_input: CsrfForm<RecipientInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form_input;
    let fields = input.fields();
    let result = state.manage(move |conn| recipient::add(conn, &NewRecipient::try_from(fields?)?)).await?;
    match result {
        Ok(added) => {
            Ok(done(&req, &state, "/admin/recipients", format!("{} will receive alerts.", added.recipient.email)))
        }
        Err(refused) => {
            let errors = form_errors(refused, "address")?.rename(&["group", "site"], "scope");
            form(&state, StatusCode::UNPROCESSABLE_ENTITY, chrome, input, errors).await
        }
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
    state.manage(move |c| recipient::remove(c, id)).await??;
    Ok(done(&req, &state, "/admin/recipients", "Removed the recipient.".into()))
}
