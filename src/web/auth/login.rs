//! Signing in and out. The login form posts `username`, `password` and `next` with its CSRF
//! field; `next` may only name a path on this site, never another host.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::csrf::{CSRF, CsrfForm};
use super::throttle;
use super::{CurrentUser, SESSION_SECRET};
use crate::db::models::user::User;
use crate::db::write_transaction;
use crate::domain::api_token::random_hex;
use crate::domain::password::verify_password;
use crate::domain::time::now_utc;
use crate::manage::session as login_session;
use crate::web::error::WebError;
use crate::web::layout::Chrome;
use crate::web::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    username: String,
    next: String,
    error: Option<String>,
    /// Nobody can sign in yet: the page says where the first user comes from.
    no_users: bool,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "logout.html")]
pub struct LogoutPage {
    chrome: Chrome,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: String,
}

/// `next` if it is a path on this site, else `/`: no `//host`, no scheme, no backslashes.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && !next.starts_with("/login");
    if local { next.to_owned() } else { "/".to_owned() }
}

/// The client's address as the socket sees it (a forwarded-for header is anyone's to forge).
pub fn client_address(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

/// Checks a user name and password under the failure limit; shared by the form and the API.
pub async fn authenticate(
    state: &AppState,
    username: String,
    password: String,
    address: Option<String>,
) -> Result<User, WebError> {
    let dummy = state.dummy_hash.clone();
    state
        .run(move |conn| {
            let subjects = throttle::subjects(&username, address.as_deref());
            let now = now_utc();
            throttle::check(conn, &subjects, now)?;
            let user = User::find_by_username(conn, username.trim())?;
            // Without a user, check the dummy hash anyway so the answer takes as long.
            let stored = user.as_ref().map_or(dummy.as_str(), |u| u.password_hash.as_str());
            let matches = verify_password(&password, stored);
            match user {
                Some(user) if matches => {
                    write_transaction(conn, |c| {
                        throttle::record_success(c, &subjects)?;
                        User::record_login(c, user.id)?;
                        Ok::<_, WebError>(())
                    })?;
                    Ok(user)
                }
                _ => {
                    write_transaction(conn, |c| throttle::record_failure(c, &subjects, now))?;
                    Err(WebError::Unauthorized("wrong user name or password".into()))
                }
            }
        })
        .await
}

/// Starts a fresh session for `user`: a row in `login_sessions`, a new cookie carrying its
/// secret and a new CSRF token, so nothing from before the login (a planted session) carries
/// over.
pub async fn start_session(state: &AppState, req: &HttpRequest, session: &Session, user: User) -> Result<(), WebError> {
    let agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let client = login_session::describe_client(agent.as_deref(), client_address(req).as_deref());
    let secret = state.manage(move |c| login_session::start(c, &user, &client)).await??;
    session.renew();
    session
        .insert(SESSION_SECRET, secret)
        .and_then(|()| session.insert(CSRF, random_hex(32)))
        .map_err(|e| WebError::Internal(format!("cannot store the session: {e}")))
}

pub async fn login_page(
    state: web::Data<AppState>,
    chrome: Chrome,
    query: web::Query<NextQuery>,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, WebError> {
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    if user.is_some() {
        return Ok(HttpResponse::Found().insert_header((header::LOCATION, next)).finish());
    }
    let no_users = state.run(|conn| Ok(User::count(conn)? == 0)).await?;
    let page = LoginPage { chrome, username: String::new(), next, error: None, no_users };
    render(page, actix_web::http::StatusCode::OK)
}

fn page(
    chrome: Chrome,
    username: String,
    next: String,
    error: Option<String>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, WebError> {
    render(LoginPage { chrome, username, next, error, no_users: false }, status)
}

fn render(page: LoginPage, status: actix_web::http::StatusCode) -> Result<HttpResponse, WebError> {
    let html = page.render().map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
}

#[tracing::instrument(skip_all, fields(username = %form.0.username))]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    chrome: Chrome,
    form: CsrfForm<LoginForm>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(form) = form;
    let next = safe_next(&form.next);
    match authenticate(&state, form.username.clone(), form.password, client_address(&req)).await {
        Ok(user) => {
            start_session(&state, &req, &session, user).await?;
            tracing::info!("signed in");
            Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, next)).finish())
        }
        Err(WebError::Unauthorized(message)) => {
            tracing::info!("wrong password");
            page(chrome, form.username, next, Some(message), actix_web::http::StatusCode::OK)
        }
        Err(error @ WebError::TooManyRequests { .. }) => {
            let retry = match &error {
                WebError::TooManyRequests { retry_after_secs, .. } => *retry_after_secs,
                _ => 1,
            };
            let mut response = page(
                chrome,
                form.username,
                next,
                Some(error.public_message()),
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            )?;
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(retry));
            Ok(response)
        }
        Err(other) => Err(other),
    }
}

pub async fn logout_page(chrome: Chrome) -> Result<LogoutPage, WebError> {
    Ok(LogoutPage { chrome })
}

/// Signing out ends the session for good: a copy of its cookie is refused afterwards too.
pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    if let Some(secret) = session.get::<String>(SESSION_SECRET).ok().flatten() {
        state.manage(move |c| login_session::end(c, &secret)).await??;
    }
    session.purge();
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).finish())
}

#[derive(Deserialize, Default)]
pub struct Empty {}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/sites/shop?page=2"), "/sites/shop?page=2");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
        assert_eq!(safe_next("/login?next=/x"), "/");
    }
}
