//! Admin pages (`/admin/...`): create, edit, pause and delete groups, sites, recipients, users
//! and API tokens. Input goes through the same parsers and model functions as the CLI; errors
//! are shown beside their field; every delete asks for confirmation on a page of its own.

mod alerts;
mod groups;
mod maintenance;
mod recipients;
mod sites;
mod tokens;
mod users;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::error::WebError;
use super::layout::{Chrome, flash};
use super::state::AppState;
use crate::db::models::api_token::ApiToken;
use crate::db::models::group::Group;
use crate::db::models::notification::{Delivery, DeliveryState};
use crate::db::models::recipient::Recipient;
use crate::db::models::site::Site;
use crate::db::models::user::User;
use crate::manage::{FieldErrors, ManageError};

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/index.html")]
struct IndexPage {
    chrome: Chrome,
    groups: i64,
    sites: i64,
    recipients: usize,
    users: usize,
    tokens: usize,
    failed_alerts: usize,
}

/// The confirmation step before a delete: works without JavaScript, a plain form.
#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    title: String,
    question: String,
    warning: Option<String>,
    action: String,
    back: String,
}

/// Renders a page with a status of our choosing (422 for a form sent back with errors).
fn html(status: StatusCode, page: impl Template) -> Result<HttpResponse, WebError> {
    let body = page.render().map_err(|e| WebError::Internal(format!("rendering a page: {e}")))?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body))
}

/// A refused change as errors beside a form's fields; a duplicate whose cause is unknown goes
/// beside `default_field`. Anything else (not found, a database failure) answers as an error.
fn form_errors(error: ManageError, default_field: &'static str) -> Result<FieldErrors, WebError> {
    match error {
        ManageError::Invalid(errors) => Ok(errors),
        ManageError::Conflict { field, message } => Ok(FieldErrors::one(field.unwrap_or(default_field), message)),
        other => Err(other.into()),
    }
}

/// An id from a path, or 404 naming what was looked for ("there is no API token `x`").
fn parse_id(raw: &str, what: &str) -> Result<crate::db::Id, WebError> {
    raw.parse().map_err(|_| WebError::NotFound(format!("there is no {what} `{raw}`")))
}

/// After a change: note it for the next page, mark cached pages stale, go to `to`.
fn done(req: &HttpRequest, state: &AppState, to: &str, message: String) -> HttpResponse {
    state.changed();
    flash(req, message);
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_owned())).finish()
}

async fn index(state: web::Data<AppState>, chrome: Chrome) -> Result<IndexPage, WebError> {
    state
        .run(move |conn| {
            Ok(IndexPage {
                chrome,
                groups: Group::count(conn)?,
                sites: Site::count(conn)?,
                recipients: Recipient::listing(conn)?.len(),
                users: User::all(conn)?.len(),
                tokens: ApiToken::all_with_users(conn)?.len(),
                failed_alerts: Delivery::in_states(conn, &[DeliveryState::Failed])?.len(),
            })
        })
        .await
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(index)).route("/", web::get().to(index));
    groups::configure(cfg);
    maintenance::configure(cfg);
    sites::configure(cfg);
    recipients::configure(cfg);
    users::configure(cfg);
    tokens::configure(cfg);
    alerts::configure(cfg);
}
