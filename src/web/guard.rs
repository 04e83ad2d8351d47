//! What every request and response passes through before the handlers: request lines with
//! control characters or absurd lengths are refused (400) before they reach a handler or a
//! query, and every response carries the security headers browsers act on.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use percent_encoding::percent_decode_str;

use super::error::WebError;
use crate::domain::text::{MAX_KEY_CHARS, check_line};

/// The longest query string served (a page's filters are a few dozen characters).
const MAX_QUERY_CHARS: usize = 8_192;

/// Pages load only what the app serves itself; no page may be framed (clickjacking).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn check_part(what: &str, raw: &str, max_chars: usize) -> Result<(), WebError> {
    let decoded = percent_decode_str(raw).decode_utf8_lossy();
    check_line(&decoded, max_chars)
        .map_err(|e| WebError::BadRequest(format!("the request's {what} {e}; nothing here has such a name")))
}

pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let refused = check_part("path", req.path(), MAX_KEY_CHARS)
        .and_then(|()| check_part("query string", req.query_string(), MAX_QUERY_CHARS));
    let mut response = match refused {
        Ok(()) => next.call(req).await?.map_into_left_body(),
        Err(error) => req.error_response(error).map_into_right_body(),
    };
    let headers = response.headers_mut();
    let set = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in set {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    Ok(response)
}
