//! `/outages` (newest first, 25 a page), `/outages/{id}` (its sites, times and the alerts sent)
//! and `/outage` (the open one, or "no current outage").

use actix_web::web;
use askama::Template;

use crate::db::models::notification::{Delivery, DeliveryState, Notification};
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::db::{DbConnection, Id};
use crate::domain::alert::Event;
use crate::domain::note::NoteStatus;
use crate::domain::status::result_text;
use crate::domain::time::now_utc;
use crate::web::error::WebError;
use crate::web::filters;
use crate::web::format::count;
use crate::web::layout::{Chrome, local};
use crate::web::paging::{OUTAGES_PER_PAGE, PageQuery, Pager, Paging};
use crate::web::state::AppState;

pub struct OutageRow {
    pub id: String,
    pub started: String,
    pub resolved: Option<String>,
    pub duration_secs: i64,
    pub sites: Vec<String>,
}

pub struct AffectedSite {
    pub name: String,
    pub slug: String,
    /// Whether the site still exists (a removed site keeps its name here, without a link).
    pub exists: bool,
    pub down: String,
    pub up: Option<String>,
    pub down_secs: i64,
    pub reason: String,
}

pub struct DeliveryRow {
    pub channel: String,
    pub target: String,
    pub state: String,
    pub attempts: i32,
    /// "3 attempts".
    pub attempts_text: String,
    pub last_error: Option<String>,
    pub when: Option<String>,
}

pub struct NoteRow {
    pub status: &'static str,
    pub message: String,
    pub author: String,
    pub at: String,
}

pub struct NotificationRow {
    pub event: String,
    pub queued: String,
    pub deliveries: Vec<DeliveryRow>,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "outages.html")]
pub struct OutagesPage {
    chrome: Chrome,
    rows: Vec<OutageRow>,
    pager: Pager,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "outage.html")]
pub struct OutagePage {
    chrome: Chrome,
    id: String,
    started: String,
    resolved: Option<String>,
    duration_secs: i64,
    sites: Vec<AffectedSite>,
    notifications: Vec<NotificationRow>,
    /// Newest first.
    notes: Vec<NoteRow>,
    statuses: [NoteStatus; 4],
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "no_outage.html")]
pub struct NoOutagePage {
    chrome: Chrome,
}

fn describe_event(event: &str) -> String {
    match Event::parse(event) {
        Some(Event::OutageOpened) => "Outage opened".into(),
        Some(Event::SiteJoined) => "Another site went down".into(),
        Some(Event::SiteRecovered) => "A site came back".into(),
        Some(Event::OutageResolved) => "Outage resolved".into(),
        Some(Event::TlsExpiring) => "Certificate expiring".into(),
        Some(Event::Test) => "Test alert".into(),
        Some(Event::Reminder) => "Reminder: still down".into(),
        Some(Event::TrafficHigh) => "High traffic".into(),
        Some(Event::TrafficRecovered) => "Traffic back to normal".into(),
        Some(Event::Note) => "Note sent".into(),
        Some(Event::LocationStale) => "A location stopped reporting".into(),
        Some(Event::LocationBack) => "A location reports again".into(),
        None => event.to_owned(),
    }
}

fn delivery_row(d: &Delivery, tz: chrono_tz::Tz) -> DeliveryRow {
    DeliveryRow {
        channel: d.channel.clone(),
        target: d.target.clone(),
        state: d.state().as_str().to_owned(),
        attempts: d.attempts,
        attempts_text: count(d.attempts.max(0) as u64, "attempt"),
        last_error: d.last_error.clone(),
        when: match d.state() {
            DeliveryState::Sent => d.sent_at.map(|t| local(tz, t)),
            _ => d.last_attempt_at.map(|t| local(tz, t)),
        },
    }
}

pub async fn list(
    state: web::Data<AppState>,
    chrome: Chrome,
    query: web::Query<PageQuery>,
) -> Result<OutagesPage, WebError> {
    let paging = Paging::parse(&query, OUTAGES_PER_PAGE)?;
    let tz = state.time_zone;
    state
        .run(move |conn| {
            let outages = Outage::page(conn, paging.offset(), paging.limit())?;
            let total = Outage::count(conn)?;
            let ids: Vec<Id> = outages.iter().map(|o| o.id).collect();
            let sites = OutageSite::of_outages(conn, &ids)?;
            let now = now_utc();
            let rows = outages
                .iter()
                .map(|o| OutageRow {
                    id: o.id.to_string(),
                    started: local(tz, o.started_at),
                    resolved: o.resolved_at.map(|t| local(tz, t)),
                    duration_secs: (o.resolved_at.unwrap_or(now) - o.started_at).num_seconds(),
                    sites: sites.iter().filter(|s| s.outage_id == o.id).map(|s| s.site_name.clone()).collect(),
                })
                .collect();
            Ok(OutagesPage { chrome, rows, pager: Pager::new("/outages", paging, OUTAGES_PER_PAGE, total) })
        })
        .await
}

fn outage_page(
    conn: &mut DbConnection,
    outage: Outage,
    chrome: Chrome,
    tz: chrono_tz::Tz,
) -> Result<OutagePage, WebError> {
    let now = now_utc();
    let rows = OutageSite::of_outage(conn, outage.id)?;
    let notifications = Notification::of_outage(conn, outage.id)?;
    let notes = OutageNote::of_outage(conn, outage.id)?;
    Ok(OutagePage {
        notes: notes
            .iter()
            .map(|n| NoteRow {
                status: NoteStatus::parse(&n.status).map_or("Update", NoteStatus::label),
                message: n.message.clone(),
                author: n.author.clone(),
                at: local(tz, n.created_at),
            })
            .collect(),
        statuses: NoteStatus::ALL,
        chrome,
        id: outage.id.to_string(),
        started: local(tz, outage.started_at),
        resolved: outage.resolved_at.map(|t| local(tz, t)),
        duration_secs: (outage.resolved_at.unwrap_or(now) - outage.started_at).num_seconds(),
        sites: rows
            .iter()
            .map(|s| AffectedSite {
                name: s.site_name.clone(),
                slug: s.site_slug.clone(),
                exists: s.site_id.is_some(),
                down: local(tz, s.down_at),
                up: s.up_at.map(|t| local(tz, t)),
                down_secs: (s.up_at.unwrap_or(now) - s.down_at).num_seconds(),
                reason: match (s.down_locations().as_slice(), s.up_locations().as_slice()) {
                    ([], _) => result_text(s.down_status_code, s.down_error.as_deref()),
                    (down, []) => {
                        format!(
                            "{}; down from {}",
                            result_text(s.down_status_code, s.down_error.as_deref()),
                            down.join(", ")
                        )
                    }
                    (down, up) => format!(
                        "{}; down from {}; up from {}",
                        result_text(s.down_status_code, s.down_error.as_deref()),
                        down.join(", "),
                        up.join(", ")
                    ),
                },
            })
            .collect(),
        notifications: notifications
            .iter()
            .map(|(n, deliveries)| NotificationRow {
                event: describe_event(&n.event),
                queued: local(tz, n.created_at),
                deliveries: deliveries.iter().map(|d| delivery_row(d, tz)).collect(),
            })
            .collect(),
    })
}

pub async fn one(state: web::Data<AppState>, chrome: Chrome, id: web::Path<String>) -> Result<OutagePage, WebError> {
    let missing = || WebError::NotFound(format!("there is no outage `{id}`"));
    let outage_id: Id = id.parse().map_err(|_| missing())?;
    let tz = state.time_zone;
    let message = missing().to_string();
    state
        .run(move |conn| {
            let outage = Outage::find(conn, outage_id)?.ok_or(WebError::NotFound(message))?;
            outage_page(conn, outage, chrome, tz)
        })
        .await
}

pub enum CurrentPage {
    Open(OutagePage),
    None(NoOutagePage),
}

impl actix_web::Responder for CurrentPage {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, req: &actix_web::HttpRequest) -> actix_web::HttpResponse {
        match self {
            CurrentPage::Open(page) => page.respond_to(req).map_into_boxed_body(),
            CurrentPage::None(page) => page.respond_to(req).map_into_boxed_body(),
        }
    }
}

pub async fn current(state: web::Data<AppState>, chrome: Chrome) -> Result<CurrentPage, WebError> {
    let tz = state.time_zone;
    state
        .run(move |conn| match Outage::current(conn)? {
            Some(outage) => Ok(CurrentPage::Open(outage_page(conn, outage, chrome, tz)?)),
            None => Ok(CurrentPage::None(NoOutagePage { chrome })),
        })
        .await
}
