//! Who is asking: a signed-in browser (encrypted session cookie) or a script with an API token
//! (`Authorization: Bearer`, JSON routes only). Anonymous browsers are sent to the login page;
//! anonymous JSON requests get 401.

pub mod csrf;
pub mod login;
pub mod setup;
mod throttle;

use std::future::{Ready, ready};

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, dev::Payload, web};

use super::error::WebError;
use super::last_use::User as LastUser;
use super::routes::{accepts_token, is_public, wants_json};
use super::state::AppState;
use crate::db::Id;
use crate::db::models::api_token::ApiToken;
use crate::domain::api_token::hash_token;
use crate::manage::session as login_session;

/// Session key holding the secret of the signed-in session (its hash is the row in
/// `login_sessions`).
pub const SESSION_SECRET: &str = "sid";

/// The person (or their script) behind a request; present on every route but the public ones.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Id,
    pub username: String,
}

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = Ready<Result<CurrentUser, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<CurrentUser>()
                .cloned()
                .ok_or_else(|| WebError::Unauthorized("sign in first".into()).into()),
        )
    }
}

/// Middleware: finds the current user and lets the request through, or answers for the
/// anonymous. Its refusals are responses, not errors, so the layers around it (the security
/// headers) see them too.
pub async fn require_login(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned().expect("AppState is registered");
    let path = req.path().to_owned();
    let json = wants_json(&path);
    let user = match identify(&state, &req, json).await {
        Ok(user) => user,
        Err(error) => return Ok(req.error_response(error).map_into_right_body()),
    };
    match user {
        Some(user) => {
            req.extensions_mut().insert(user);
        }
        None if is_public(&path) => {}
        None if json => {
            let error = WebError::Unauthorized(
                "sign in, or send an API token as `Authorization: Bearer TOKEN` (see `sitewatch token add`)".into(),
            );
            return Ok(req.error_response(error).map_into_right_body());
        }
        None => {
            let wanted = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
            let location =
                format!("/login?next={}", url::form_urlencoded::byte_serialize(wanted.as_bytes()).collect::<String>());
            let response = HttpResponse::Found().insert_header((header::LOCATION, location)).finish();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Who the request is from: a token's owner (JSON routes and badges), a session's, or nobody. A JSON write
/// made with a session cookie must also pass the CSRF check.
async fn identify(state: &AppState, req: &ServiceRequest, json: bool) -> Result<Option<CurrentUser>, WebError> {
    if let Some(token) = accepts_token(req.path()).then(|| bearer_token(req)).flatten() {
        return user_by_token(state, token).await.map(Some);
    }
    let user = user_by_session(state, req).await?;
    if user.is_some() && json && !req.method().is_safe() {
        csrf::check_api_write(req)?;
    }
    Ok(user)
}

fn bearer_token(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}

async fn user_by_token(state: &AppState, token: String) -> Result<CurrentUser, WebError> {
    let hash = hash_token(&token);
    let (token, user) = state
        .run(move |conn| {
            ApiToken::find_by_hash(conn, &hash)?
                .ok_or_else(|| WebError::Unauthorized("the API token is not valid (it may have been revoked)".into()))
        })
        .await?;
    state.last_use.note(LastUser::Token(token.id), token.last_used_at);
    Ok(CurrentUser { id: user.id, username: user.username })
}

async fn user_by_session(state: &AppState, req: &ServiceRequest) -> Result<Option<CurrentUser>, WebError> {
    let session = req.get_session();
    let Some(secret) = session.get::<String>(SESSION_SECRET).ok().flatten() else {
        return Ok(None);
    };
    // A session ended elsewhere (signed out, a new password, revoked, idle too long, its user
    // removed) stops this cookie at once, wherever it was copied.
    let idle = state.session_idle;
    let resumed = state.manage(move |conn| login_session::resume(conn, &secret, idle)).await??;
    let Some((found, user)) = resumed else {
        session.purge();
        return Ok(None);
    };
    state.last_use.note(LastUser::Session(found.id), Some(found.last_seen_at));
    Ok(Some(CurrentUser { id: user.id, username: user.username }))
}
