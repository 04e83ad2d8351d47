//! `/admin/users`: people who can sign in. Passwords are hashed with argon2 as in the CLI.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{ConfirmPage, done, form_errors, html};
use crate::db::Id;
use crate::db::models::user::User;
use crate::manage::FieldErrors;
use crate::manage::user::{self, NewUser, UserFields};
use crate::web::auth::CurrentUser;
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::layout::{Chrome, local};
use crate::web::state::AppState;

pub struct UserRow {
    pub id: String,
    pub username: String,
    pub created: String,
    pub last_login: String,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/users.html")]
struct ListPage {
    chrome: Chrome,
    users: Vec<UserRow>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct UserInput {
    username: String,
    password: String,
    password_again: String,
}

impl UserInput {
    fn fields(&self) -> UserFields {
        UserFields {
            username: Some(self.username.clone()),
            password: Some(self.password.clone()),
            password_again: Some(self.password_again.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct FormPage {
    chrome: Chrome,
    /// The user whose password is changed, or `None` when adding.
    editing: Option<(String, String)>,
    username: String,
    errors: FieldErrors,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(list))
        .route("/users/new", web::get().to(new_form))
        .route("/users/new", web::post().to(create))
        .route("/users/{id}/password", web::get().to(password_form))
        .route("/users/{id}/password", web::post().to(set_password))
        .route("/users/{id}/delete", web::get().to(confirm_delete))
        .route("/users/{id}/delete", web::post().to(delete));
}

async fn list(state: web::Data<AppState>, chrome: Chrome) -> Result<ListPage, WebError> {
    let tz = state.time_zone;
    state
        .run(move |conn| {
            let users = User::all(conn)?
                .into_iter()
                .map(|u| UserRow {
                    id: u.id.to_string(),
                    created: local(tz, u.created_at),
                    last_login: u.last_login_at.map_or_else(|| "never".to_owned(), |t| local(tz, t)),
                    username: u.username,
                })
                .collect();
            Ok(ListPage { chrome, users })
        })
        .await
}

async fn new_form(chrome: Chrome) -> Result<HttpResponse, WebError> {
    html(StatusCode::OK, FormPage { chrome, editing: None, username: String::new(), errors: FieldErrors::default() })
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    form: CsrfForm<UserInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form;
    let fields = input.fields();
    let result = state.manage(move |conn| user::add(conn, &NewUser::try_from(fields)?)).await?;
    match result {
        Ok(user) => Ok(done(&req, &state, "/admin/users", format!("Added user {}.", user.username))),
        Err(refused) => {
            let errors = form_errors(refused, "username")?;
            html(StatusCode::UNPROCESSABLE_ENTITY, FormPage { chrome, editing: None, username: input.username, errors })
        }
    }
}

async fn find(state: &AppState, raw: String) -> Result<User, WebError> {
    let missing = format!("there is no user `{raw}`");
    let id: Id = raw.parse().map_err(|_| WebError::NotFound(missing.clone()))?;
    state.run(move |conn| User::find(conn, id)?.ok_or(WebError::NotFound(missing))).await
}

async fn password_form(
    state: web::Data<AppState>,
    chrome: Chrome,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let user = find(&state, id.into_inner()).await?;
    let editing = Some((user.id.to_string(), user.username.clone()));
    html(StatusCode::OK, FormPage { chrome, editing, username: user.username, errors: FieldErrors::default() })
}

async fn set_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    id: web::Path<String>,
    form: CsrfForm<UserInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form;
    let user = find(&state, id.into_inner()).await?;
    let fields = input.fields();
    let name = user.username.clone();
    let result = state.manage(move |conn| user::set_password(conn, &name, &user::new_password(&fields)?)).await?;
    match result {
        Ok(changed) => Ok(done(&req, &state, "/admin/users", format!("Changed the password of {}.", changed.username))),
        Err(refused) => {
            let errors = form_errors(refused, "password")?;
            let editing = Some((user.id.to_string(), user.username.clone()));
            html(StatusCode::UNPROCESSABLE_ENTITY, FormPage { chrome, editing, username: user.username, errors })
        }
    }
}

async fn confirm_delete(
    state: web::Data<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<ConfirmPage, WebError> {
    let user = find(&state, id.into_inner()).await?;
    Ok(ConfirmPage {
        chrome,
        title: format!("Delete user {}?", user.username),
        question: format!("Delete the user {} and their API tokens?", user.username),
        warning: (user.id == me.id).then(|| "This is you: you will be signed out.".to_owned()),
        action: format!("/admin/users/{}/delete", user.id),
        back: "/admin/users".into(),
    })
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let user = find(&state, id.into_inner()).await?;
    let removed = state.manage(move |c| user::remove(c, &user.username)).await??;
    Ok(done(&req, &state, "/admin/users", format!("Deleted user {}.", removed.username)))
}
