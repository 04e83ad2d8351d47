//! `POST /api/auth/token`: trade a user name and password for a new API token.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ErrorJson;
use crate::manage::token;
use crate::web::auth::login::{authenticate, client_address};
use crate::web::error::WebError;
use crate::web::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct Credentials {
    username: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    /// Shown only this once; only its hash is stored.
    token: String,
}

/// Sign in for scripts: returns a new API token. The same failure limit as the login form applies.
#[utoipa::path(
    post,
    path = "/api/auth/token",
    tag = "auth",
    request_body = Credentials,
    security(()),
    responses(
        (status = 201, description = "A new token", body = TokenJson),
        (status = 401, description = "Wrong user name or password", body = ErrorJson),
        (status = 422, description = "A field is missing", body = ErrorJson),
        (status = 429, description = "Too many failures; see Retry-After", body = ErrorJson),
    )
)]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Credentials>,
) -> Result<HttpResponse, WebError> {
    let Credentials { username, password } = body.into_inner();
    let user = authenticate(&state, username, password, client_address(&req)).await?;
    let issued = state.manage(move |c| token::issue_for(c, user, "issued by POST /api/auth/token")).await??;
    Ok(HttpResponse::Created().json(TokenJson { token: issued.secret }))
}
