//! The one error type of the web layer, and how it answers.
//!
//! Policy: handlers return `WebError`. Validation failures are `Invalid` (422) or `BadRequest`
//! (400); `DbError::NotFound`/`Conflict` become 404/409; anything else is `Internal` (500),
//! logged with its cause and shown to people only as "something went wrong". Errors answer
//! `{"error": "..."}`; [`render_html_errors`] turns them into an HTML page on browser routes.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use askama::Template;

use super::auth::CurrentUser;
use super::routes::wants_json;
use super::state::AppState;
use super::view::Chrome;
use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: i64 },
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    /// What a person or script is told; internal causes stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            WebError::Internal(_) => "something went wrong on the server; the log says what".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<DbError> for WebError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound(message) => WebError::NotFound(message),
            DbError::Conflict(message) => WebError::Conflict(message),
            DbError::Pool(message) => WebError::Unavailable(format!("the database is busy or unreachable: {message}")),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for WebError {
    fn from(error: diesel::result::Error) -> Self {
        WebError::from(DbError::Query(error))
    }
}

#[derive(serde::Serialize)]
struct ErrorBody {
    error: String,
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        if let WebError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let WebError::TooManyRequests { retry_after_secs, .. } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.max(&1).to_string()));
        }
        if let WebError::Unauthorized(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(ErrorBody { error: self.public_message() })
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    reason: String,
    message: String,
}

/// Error handler for every route: JSON routes keep their `{"error": ...}` body; browser routes
/// get the same message on an HTML page with the site's layout.
pub fn render_html_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // JSON routes keep their body; so do pages a handler rendered itself with an error status
    // (a form sent back with 422, the login form with 429): only errors get the error page.
    if wants_json(res.request().path()) || res.response().error().is_none() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let message = match res.response().error() {
        Some(error) => match error.as_error::<WebError>() {
            Some(web_error) => web_error.public_message(),
            None => error.to_string(),
        },
        None => status.canonical_reason().unwrap_or("error").to_owned(),
    };
    let signed_in = res.request().extensions().get::<CurrentUser>().map(|u| u.username.clone());
    let page = ErrorPage {
        chrome: Chrome::without_forms(
            signed_in,
            res.request().app_data::<actix_web::web::Data<AppState>>().map_or(chrono_tz::UTC, |s| s.time_zone),
        ),
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("Error").to_owned(),
        message,
    };
    let html = page.render().map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let mut builder = HttpResponse::build(status);
    builder.content_type("text/html; charset=utf-8");
    if let Some(retry) = res.headers().get(header::RETRY_AFTER) {
        builder.insert_header((header::RETRY_AFTER, retry.clone()));
    }
    let response = builder.body(html);
    let (req, _) = res.into_parts();
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response).map_into_right_body()))
}

/// Turns extractor errors (bad query strings, unreadable JSON) into `WebError`s.
pub fn query_error(error: actix_web::error::QueryPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    WebError::BadRequest(format!("bad query string: {error}")).into()
}

pub fn path_error(error: actix_web::error::PathError, _: &actix_web::HttpRequest) -> actix_web::Error {
    WebError::NotFound(format!("no such page: {error}")).into()
}

pub fn json_error(error: actix_web::error::JsonPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    match error {
        JsonPayloadError::Deserialize(e) if e.is_data() => WebError::Invalid(format!("bad request body: {e}")).into(),
        JsonPayloadError::ContentType => {
            WebError::BadRequest("send the request body as JSON with Content-Type: application/json".into()).into()
        }
        other => WebError::BadRequest(format!("bad request body: {other}")).into(),
    }
}

pub fn form_error(error: actix_web::error::UrlencodedError, _: &actix_web::HttpRequest) -> actix_web::Error {
    WebError::BadRequest(format!("the form could not be read: {error}")).into()
}
