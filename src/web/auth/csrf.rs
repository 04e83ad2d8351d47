//! CSRF protection: a random token per session, carried by every form that changes something.
//! A POST whose token is missing or wrong answers 403 and changes nothing.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::ServiceRequest;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::domain::api_token::random_hex;
use crate::web::error::WebError;

pub const CSRF: &str = "csrf";

/// The session's token, made on first use.
pub fn token(session: &Session) -> Result<String, actix_web::Error> {
    if let Some(token) = session.get::<String>(CSRF).ok().flatten() {
        return Ok(token);
    }
    let token = random_hex(32);
    session.insert(CSRF, &token).map_err(|e| WebError::Internal(format!("cannot store the CSRF token: {e}")))?;
    Ok(token)
}

/// The header a script signed in with a session cookie sends its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A JSON write made with a session cookie (not a token) must prove it comes from this site's
/// own pages: the session's CSRF token in `X-CSRF-Token`, or the browser's word that the
/// request is same-origin (`Sec-Fetch-Site`, else an `Origin` naming this host). A page on
/// another site cannot produce either, so a cookie alone writes nothing (403).
pub fn check_api_write(req: &ServiceRequest) -> Result<(), WebError> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let session = req.get_session();
    if let (Some(sent), Some(expected)) = (header(CSRF_HEADER), session.get::<String>(CSRF).ok().flatten())
        && !sent.is_empty()
        && same(sent, &expected)
    {
        return Ok(());
    }
    let same_origin = match (header("sec-fetch-site"), header("origin")) {
        (Some(site), _) => site == "same-origin",
        (None, Some(origin)) => {
            let host = req.connection_info().host().to_owned();
            url::Url::parse(origin).ok().is_some_and(|o| {
                o.host_str().is_some_and(|h| match o.port() {
                    Some(port) => host == format!("{h}:{port}"),
                    None => host == h,
                })
            })
        }
        (None, None) => false,
    };
    if same_origin {
        return Ok(());
    }
    Err(WebError::Forbidden(
        "a change made with a session cookie needs this session's CSRF token in X-CSRF-Token (or send an API \
         token as `Authorization: Bearer TOKEN`)"
            .into(),
    ))
}

/// Compares in constant time, so timing tells nothing about how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[derive(Deserialize)]
struct WithToken<T> {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    fields: T,
}

/// A submitted form whose CSRF token matched the session's. Form structs give every field a
/// default, so a form missing its token is refused for that (403), not for a missing field.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let form = web::Form::<WithToken<T>>::from_request(req, payload);
        Box::pin(async move {
            // A body that cannot be read as a form has no token either.
            let form = form
                .await
                .map_err(|e| {
                    WebError::Forbidden(format!("this form could not be read or lacks its security token: {e}"))
                })?
                .into_inner();
            let expected = session.get::<String>(CSRF).ok().flatten();
            match expected {
                Some(expected) if !form.csrf_token.is_empty() && same(&expected, &form.csrf_token) => {
                    Ok(CsrfForm(form.fields))
                }
                _ => Err(WebError::Forbidden(
                    "this form's security token is missing or out of date; reload the page and send it again".into(),
                )
                .into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_compare_whole() {
        assert!(super::same("abc", "abc"));
        assert!(!super::same("abc", "abd"));
        assert!(!super::same("abc", "ab"));
    }
}
