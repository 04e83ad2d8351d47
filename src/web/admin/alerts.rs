//! `/admin/alerts`: alert channels that are down, alert deliveries still waiting or given up,
//! and sending a failed one again (the same as `sitewatch notify retry ID`).

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{ConfirmPage, done, parse_id};
use crate::db::models::notification::{Delivery, DeliveryState};
use crate::manage::delivery::{self, Requeue};
use crate::notify::health::channels_down;
use crate::web::auth::csrf::CsrfForm;
use crate::web::auth::login::Empty;
use crate::web::error::WebError;
use crate::web::layout::{Chrome, local};
use crate::web::state::AppState;

pub struct DeliveryRow {
    pub id: String,
    pub queued: String,
    pub event: String,
    pub outage_id: Option<String>,
    pub channel: String,
    pub target: String,
    pub state: String,
    pub attempts: i32,
    pub last_error: String,
    pub next_try: Option<String>,
}

/// A channel its latest attempt found down, with the alerts waiting for it.
pub struct DownRow {
    pub sentence: String,
    pub waiting: usize,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "admin/alerts.html")]
struct ListPage {
    chrome: Chrome,
    down: Vec<DownRow>,
    failed: Vec<DeliveryRow>,
    pending: Vec<DeliveryRow>,
}

/// The channel as the page names it.
fn channel_word(channel: &str) -> String {
    match channel {
        crate::notify::SMS => "SMS".to_owned(),
        crate::notify::EMAIL => "e-mail".to_owned(),
        other => other.to_owned(),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/alerts", web::get().to(list))
        .route("/alerts/{id}/retry", web::get().to(confirm_retry))
        .route("/alerts/{id}/retry", web::post().to(retry));
}

async fn list(state: web::Data<AppState>, chrome: Chrome) -> Result<ListPage, WebError> {
    let tz = state.time_zone;
    state
        .run(move |conn| {
            let down = channels_down(conn)?
                .into_iter()
                .map(|c| DownRow { sentence: c.sentence(|t| local(tz, t)), waiting: c.waiting })
                .collect();
            let rows = Delivery::in_states(conn, &[DeliveryState::Failed, DeliveryState::Pending])?;
            let (failed, pending): (Vec<DeliveryRow>, Vec<DeliveryRow>) = rows
                .into_iter()
                .map(|(d, n)| DeliveryRow {
                    id: d.id.to_string(),
                    queued: local(tz, d.created_at),
                    event: n.event.replace('_', " "),
                    outage_id: n.outage_id.map(|id| id.to_string()),
                    channel: channel_word(&d.channel),
                    target: d.target,
                    state: d.state,
                    attempts: d.attempts,
                    last_error: d.last_error.unwrap_or_default(),
                    next_try: d.not_before.map(|at| local(tz, at)),
                })
                .partition(|row| row.state == DeliveryState::Failed.as_str());
            Ok(ListPage { chrome, down, failed, pending })
        })
        .await
}

async fn confirm_retry(
    state: web::Data<AppState>,
    chrome: Chrome,
    id: web::Path<String>,
) -> Result<ConfirmPage, WebError> {
    let id = parse_id(&id, "alert delivery")?;
    let delivery = state
        .run(move |conn| {
            Delivery::find(conn, id)?.ok_or_else(|| WebError::NotFound(format!("there is no alert delivery {id}")))
        })
        .await?;
    let unknown = delivery.last_error.as_deref().is_some_and(|e| e.contains("outcome unknown"));
    Ok(ConfirmPage {
        chrome,
        title: "Send this alert again?".into(),
        question: format!(
            "Queue the {} alert to {} again? The next check round sends it.",
            delivery.channel, delivery.target
        ),
        warning: unknown.then(|| "Its last attempt may have arrived: the recipient could get it twice.".to_owned()),
        action: format!("/admin/alerts/{id}/retry"),
        back: "/admin/alerts".into(),
    })
}

async fn retry(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id, "alert delivery")?;
    state.manage(move |c| delivery::requeue(c, &Requeue::These(vec![id]))).await??;
    Ok(done(&req, &state, "/admin/alerts", "Queued the alert again; the next check round sends it.".into()))
}
