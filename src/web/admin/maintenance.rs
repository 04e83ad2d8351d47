//! `/admin/maintenance`: the windows, a form to add one (once or recurring), and delete.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{ConfirmPage, done, form_errors, html};
use crate::domain::time::now_utc;
use crate::manage::FieldErrors;
use crate::manage::maintenance::{self, NewWindow, WindowFields};
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::layout::{Chrome, local};
use crate::web::state::AppState;

pub struct WindowRow {
    pub id: String,
    pub over: String,
    pub when: String,
    pub next: String,
    pub note: String,
}

/// The form's fields as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WindowInput {
    /// `site:SLUG` or `group:SLUG`.
    scope: String,
    start: String,
    end: String,
    cron: String,
    weekly: String,
    duration: String,
    note: String,
}

impl WindowInput {
    fn fields(&self) -> WindowFields {
        let text = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        let (site, group) = match self.scope.split_once(':') {
            Some(("site", slug)) => (Some(slug.to_owned()), None),
            Some(("group", slug)) => (None, Some(slug.to_owned())),
            _ => (None, None),
        };
        WindowFields {
            site,
            group,
            start: text(&self.start),
            end: text(&self.end),
            note: text(&self.note),
            cron: text(&self.cron),
            weekly: text(&self.weekly),
            duration: text(&self.duration),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/maintenance.html")]
struct ListPage {
    chrome: Chrome,
    zone: String,
    windows: Vec<WindowRow>,
    /// `(value, label)` of every site and group.
    scopes: Vec<(String, String)>,
    input: WindowInput,
    errors: FieldErrors,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/maintenance", web::get().to(list))
        .route("/maintenance", web::post().to(create))
        .route("/maintenance/{id}/delete", web::get().to(confirm_delete))
        .route("/maintenance/{id}/delete", web::post().to(delete));
}

async fn page(state: &AppState, chrome: Chrome, input: WindowInput, errors: FieldErrors) -> Result<ListPage, WebError> {
    let tz = state.time_zone;
    let (windows, scopes) = state
        .run(move |conn| {
            let listed = maintenance::list(conn)?;
            let now = now_utc();
            let windows = listed
                .iter()
                .map(|l| {
                    let w = &l.window;
                    let when = match (&w.cron, w.duration_secs) {
                        (Some(cron), Some(secs)) => format!("every `{cron}` for {} min", secs / 60),
                        _ => format!(
                            "{} to {}",
                            local(tz, w.starts_at),
                            w.ends_at.map(|t| local(tz, t)).unwrap_or_default()
                        ),
                    };
                    let next = w.schedule().and_then(|s| s.upcoming(now, tz, 1).first().copied()).map_or_else(
                        || "over".to_owned(),
                        |span| format!("{} to {}", local(tz, span.from), local(tz, span.until)),
                    );
                    WindowRow {
                        id: w.id.to_string(),
                        over: format!("{} {}", l.scope.0, l.scope.2),
                        when,
                        next,
                        note: w.note.clone(),
                    }
                })
                .collect();
            let mut scopes: Vec<(String, String)> = crate::db::models::group::Group::all(conn)?
                .into_iter()
                .map(|g| (format!("group:{}", g.slug), format!("group {}", g.name)))
                .collect();
            for (site, _) in crate::db::models::site::Site::all_with_groups(conn)? {
                scopes.push((format!("site:{}", site.slug), format!("site {}", site.name)));
            }
            Ok((windows, scopes))
        })
        .await?;
    Ok(ListPage { chrome, zone: tz.name().to_owned(), windows, scopes, input, errors })
}

async fn list(state: web::Data<AppState>, chrome: Chrome) -> Result<HttpResponse, WebError> {
    html(StatusCode::OK, page(&state, chrome, WindowInput::default(), FieldErrors::default()).await?)
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    chrome: Chrome,
    form: CsrfForm<WindowInput>,
) -> Result<HttpResponse, WebError> {
    let CsrfForm(input) = form;
    let fields = input.fields();
    let result = state.manage(move |c| maintenance::add(c, &NewWindow::try_from(fields)?, now_utc())).await?;
    match result {
        Ok(listed) => Ok(done(
            &req,
            &state,
            "/admin/maintenance",
            format!("Added a maintenance window over {} {}.", listed.scope.0, listed.scope.2),
        )),
        Err(refused) => {
            let errors = form_errors(refused, "scope")?.rename(&["site", "group"], "scope");
            html(StatusCode::UNPROCESSABLE_ENTITY, page(&state, chrome, input, errors).await?)
        }
    }
}

async fn confirm_delete(chrome: Chrome, id: web::Path<String>) -> ConfirmPage {
    let id = id.into_inner();
    ConfirmPage {
        chrome,
        title: "Remove the maintenance window?".into(),
        question: format!("Remove the maintenance window {id}?"),
        warning: None,
        action: format!("/admin/maintenance/{id}/delete"),
        back: "/admin/maintenance".into(),
    }
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    state.manage(move |c| maintenance::remove(c, &id)).await??;
    Ok(done(&req, &state, "/admin/maintenance", "Removed the maintenance window.".to_owned()))
}
