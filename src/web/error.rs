//! The one error type of the web layer, and how it answers.
//!
//! Policy: handlers return `WebError`. Validation failures are `Invalid`/`Fields` (422) or
//! `BadRequest` (400); a use case's refusals map as not found 404, duplicate 409, invalid 422,
//! naming the field; anything else is `Internal` (500), logged with its cause and shown to
//! people only as "something went wrong". Errors answer `{"error": "...", "field": ...}`;
//! `error_page` turns them into an HTML page on browser routes.

use actix_web::body::BoxBody;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use crate::db::DbError;
use crate::manage::{FieldErrors, ManageError};

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
    /// Fields a use case refused: 422 naming the first.
    #[error("{0}")]
    Fields(FieldErrors),
    /// A duplicate, caused by `field` when known: 409.
    #[error("{message}")]
    Duplicate { field: Option<&'static str>, message: String },
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

impl From<ManageError> for WebError {
    fn from(error: ManageError) -> Self {
        match error {
            ManageError::Invalid(errors) => WebError::Fields(errors),
            ManageError::NotFound(message) => WebError::NotFound(message),
            ManageError::Conflict { field, message } => WebError::Duplicate { field, message },
            ManageError::Db(error) => WebError::from(error),
            ManageError::Failed(message) => WebError::Internal(message),
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
    /// The input field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid(_) | WebError::Fields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Duplicate { .. } => StatusCode::CONFLICT,
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
        let field = match self {
            WebError::Fields(errors) => errors.first_field(),
            WebError::Duplicate { field, .. } => *field,
            _ => None,
        };
        response.json(ErrorBody { error: self.public_message(), field })
    }
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
