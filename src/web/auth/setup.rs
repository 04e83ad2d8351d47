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
use crate::manage::user::{self, NewUser, UserFields};
use crate::manage::{FieldErrors, ManageError};
use crate::web::error::WebError;
use crate::web::layout::Chrome;
use crate::web::state::AppState;

/// The setup link when no user exists yet (making its token once), else `None`.
pub fn link(conn: &mut DbConnection, public_url: &url::Url) -> Result<Option<String>, WebError> {
    let base = public_url.as_str().trim_end_matches('/');
    Ok(user::setup_token(conn)?.map(|token| format!("{base}/setup/{token}")))
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
    if !state.manage(move |conn| user::setup_token_is_valid(conn, &probe)).await?? {
        return Err(gone());
    }
    Ok(SetupPage { chrome, token, username: String::new(), errors: FieldErrors::default() })
}

pub async fn setup(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    chrome: Chrome,
    token: web::Path<String>,
    form: CsrfForm<SetupForm>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(form) = form;
    let token = token.into_inner();
    let fields = UserFields {
        username: Some(form.username.clone()),
        password: Some(form.password),
        password_again: Some(form.password_again),
    };
    let spent = token.clone();
    let result = state.manage(move |c| user::add_first(c, &spent, &NewUser::try_from(fields)?)).await?;
    let user = match result {
        Ok(user) => user,
        Err(ManageError::Invalid(errors)) => {
            let page = SetupPage { chrome, token, username: form.username, errors };
            return Ok(HttpResponse::UnprocessableEntity()
                .content_type("text/html; charset=utf-8")
                .body(page.render().map_err(|e| WebError::Internal(e.to_string()))?));
        }
        Err(ManageError::NotFound(_)) => return Err(gone()),
        Err(other) => return Err(other.into()),
    };
    let username = user.username.clone();
    start_session(&state, &req, &session, user).await?;
    state.changed();
    tracing::info!(%username, "first user created through the setup link");
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, "/")).finish())
}
