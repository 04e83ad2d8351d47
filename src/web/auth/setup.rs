//! The first admin: when no user exists, `serve` prints a one-time link whose page lets them
//! choose a user name and password in the browser. The token lives in `app_settings`, so any
//! web server sharing the database accepts it, and it is deleted once used.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::login::start_session;
use crate::db::DbConnection;
use crate::db::models::{app_setting, user::User};
use crate::domain::api_token::random_hex;
use crate::domain::name::Username;
use crate::domain::password::hash_password;
use crate::web::error::WebError;
use crate::web::forms::FieldErrors;
use crate::web::state::AppState;
use crate::web::view::Chrome;

pub const SETUP_TOKEN: &str = "setup_token";

/// The setup link when no user exists yet (making its token once), else `None`.
pub fn link(conn: &mut DbConnection, public_url: &url::Url) -> Result<Option<String>, WebError> {
    if User::count(conn)? > 0 {
        return Ok(None);
    }
    let token = app_setting::get_or_init(conn, SETUP_TOKEN, || random_hex(24))?;
    let base = public_url.as_str().trim_end_matches('/');
    Ok(Some(format!("{base}/setup/{token}")))
}

fn token_is_valid(conn: &mut DbConnection, token: &str) -> Result<bool, WebError> {
    Ok(User::count(conn)? == 0 && app_setting::get(conn, SETUP_TOKEN)?.is_some_and(|t| t == token))
}

fn gone() -> WebError {
    WebError::NotFound(
        "this setup link has been used or is not valid; sign in, or add a user with `sitewatch user add`".into(),
    )
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "setup.html")]
pub struct SetupPage {
    chrome: Chrome,
    token: String,
    username: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    username: String,
    password: String,
    password_again: String,
}

pub async fn setup_page(
    state: web::Data<AppState>,
    chrome: Chrome,
    token: web::Path<String>,
) -> Result<SetupPage, WebError> {
    let token = token.into_inner();
    let probe = token.clone();
    if !state.run(move |conn| token_is_valid(conn, &probe)).await? {
        return Err(gone());
    }
    Ok(SetupPage { chrome, token, username: String::new(), errors: FieldErrors::default() })
}

pub async fn setup(
    state: web::Data<AppState>,
    session: Session,
    chrome: Chrome,
    token: web::Path<String>,
    form: CsrfForm<SetupForm>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(form) = form;
    let token = token.into_inner();
    let mut errors = FieldErrors::default();
    let username = errors.check("username", Username::parse(&form.username));
    if form.password != form.password_again {
        errors.add("password_again", "the two passwords differ");
    }
    let hash = errors.check("password", hash_password(&form.password));
    let (Some(username), Some(hash), true) = (username, hash, errors.is_empty()) else {
        let page = SetupPage { chrome, token, username: form.username, errors };
        return Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/html; charset=utf-8")
            .body(page.render().map_err(|e| WebError::Internal(e.to_string()))?));
    };
    let user = state
        .write(move |c| {
            if !token_is_valid(c, &token)? {
                return Err(gone());
            }
            let user = User::create(c, &username, &hash)?;
            app_setting::delete(c, SETUP_TOKEN)?;
            Ok(user)
        })
        .await?;
    start_session(&session, &user)?;
    state.changed();
    tracing::info!(username = %user.username, "first user created through the setup link");
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, "/")).finish())
}
