//! Error pages: browser routes get a refused request's message on an HTML page with the
//! site's layout; JSON routes keep their `{"error": ...}` body.

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpMessage, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::auth::csrf::CSRF;
use super::error::WebError;
use super::layout::Chrome;
use super::routes::wants_json;
use super::state::AppState;

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
    let mut chrome = Chrome::without_forms(
        signed_in,
        res.request().app_data::<actix_web::web::Data<AppState>>().map_or(chrono_tz::UTC, |s| s.time_zone),
    );
    // The session's form token, if it has one, so the header's sign-out button works here too.
    chrome.csrf = res.request().get_session().get::<String>(CSRF).ok().flatten();
    let page = ErrorPage {
        chrome,
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
