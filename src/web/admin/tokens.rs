//! `/admin/tokens`: API tokens for scripts. A new token is shown once; only its hash is kept.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{ConfirmPage, done, form_errors, html, parse_id};
use crate::db::models::api_token::ApiToken;
use crate::db::models::user::User;
use crate::manage::FieldErrors;
use crate::manage::token::{self, NewToken, TokenFields};
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::layout::{Chrome, local};
use crate::web::state::AppState;

pub struct TokenRow {
    pub id: String,
    pub user: String,
    pub label: String,
    pub created: String,
    pub last_used: String,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/tokens.html")]
struct ListPage {
    chrome: Chrome,
    tokens: Vec<TokenRow>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct TokenInput {
    user: String,
    label: String,
}

#[derive(Template)]
#[template(path = "admin/token_form.html")]
struct FormPage {
    chrome: Chrome,
    input: TokenInput,
    users: Vec<User>,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "admin/token_created.html")]
struct CreatedPage {
    chrome: Chrome,
    user: String,
    secret: String,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tokens", web::get().to(list))
        .route("/tokens/new", web::get().to(new_form))
        .route("/tokens/new", web::post().to(create))
        .route("/tokens/{id}/delete", web::get().to(confirm_delete))
        .route("/tokens/{id}/delete", web::post().to(delete));
}

async fn list(state: web::Data<AppState>, chrome: Chrome) -> Result<ListPage, WebError> {
    let tz = state.time_zone;
    state
        .run(move |conn| {
            let tokens = ApiToken::all_with_users(conn)?
                .into_iter()
                .map(|(t, user)| TokenRow {
                    id: t.id.to_string(),
                    user,
                    label: t.label,
                    created: local(tz, t.created_at),
                    last_used: t.last_used_at.map_or_else(|| "never".to_owned(), |at| local(tz, at)),
                })
                .collect();
            Ok(ListPage { chrome, tokens })
        })
        .await
}

async fn form(
    state: &AppState,
    status: StatusCode,
    chrome: Chrome,
    input: TokenInput,
    errors: FieldErrors,
) -> Result<HttpResponse, WebError> {
    let users = state.run(|conn| Ok(User::all(conn)?)).await?;
    html(status, FormPage { chrome, input, users, errors })
}

async fn new_form(state: web::Data<AppState>, chrome: Chrome) -> Result<HttpResponse, WebError> {
    form(&state, StatusCode::OK, chrome, TokenInput::default(), FieldErrors::default()).await
}

async fn create(
    state: web::Data<AppState>,
    chrome: Chrome,
    input: CsrfForm<TokenInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = input;
    let fields = TokenFields { user: Some(input.user.clone()), label: Some(input.label.clone()) };
    let result = state.manage(move |conn| token::add(conn, &NewToken::try_from(fields)?)).await?;
    match result {
        Ok(issued) => {
            state.changed();
            html(StatusCode::CREATED, CreatedPage { chrome, user: issued.owner.username, secret: issued.secret })
        }
        Err(refused) => {
            let errors = form_errors(refused, "user")?;
            form(&state, StatusCode::UNPROCESSABLE_ENTITY, chrome, input, errors).await
        }
    }
}

async fn confirm_delete(
    state: web::Data<AppState>,
    chrome: Chrome,
    id: web::Path<String>,
) -> Result<ConfirmPage, WebError> {
    let id = parse_id(&id, "API token")?;
    let (token, user) = state
        .run(move |conn| {
            ApiToken::all_with_users(conn)?
                .into_iter()
                .find(|(t, _)| t.id == id)
                .ok_or_else(|| WebError::NotFound(format!("there is no API token {id}")))
        })
        .await?;
    Ok(ConfirmPage {
        chrome,
        title: "Revoke this API token?".into(),
        question: format!("Revoke {}'s token “{}”? Scripts using it will get 401 at once.", user, token.label),
        warning: None,
        action: format!("/admin/tokens/{id}/delete"),
        back: "/admin/tokens".into(),
    })
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id, "API token")?;
    state.manage(move |c| token::revoke(c, id)).await??;
    Ok(done(&req, &state, "/admin/tokens", "Revoked the API token.".into()))
}
