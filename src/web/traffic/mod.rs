//! `/traffic` and `/traffic.json`: what `sitewatch traffic` records of each watched access log,
//! its current rate and alert state, its hits per minute over the 24 hours of log time ending
//! at its newest line, and its alert history.

pub mod chart;
pub mod json;

use self::chart::TrafficChart;
use self::json::{MinuteJson, TrafficAlertJson, TrafficJson, TrafficLogJson};
use crate::db::models::traffic::{TrafficAlert, TrafficLog, TrafficMinute};
use crate::db::{DbConnection, DbError};
use crate::domain::time::{now_utc, rfc3339};
use crate::web::error::WebError;
use crate::web::layout::{Chrome, ago, local};
use crate::web::state::AppState;
use actix_web::web;
use askama::Template;
use chrono::{NaiveDateTime, TimeDelta};

/// Alerts listed per log.
const ALERTS_SHOWN: i64 = 50;

/// A log whose row has not been written for this long is shown as no longer watched.
const QUIET_AFTER: TimeDelta = TimeDelta::minutes(5);

/// One log as read from the database.
struct Loaded {
    log: TrafficLog,
    minutes: Vec<TrafficMinute>,
    alerts: Vec<TrafficAlert>,
}

fn load(conn: &mut DbConnection) -> Result<Vec<Loaded>, DbError> {
    let mut loaded = Vec::new();
    for log in TrafficLog::all(conn)? {
        let minutes = match log.as_of {
            Some(as_of) => TrafficMinute::between(conn, &log.name, chart_end(as_of) - chart::SPAN, chart_end(as_of))?,
            None => Vec::new(),
        };
        let alerts = TrafficAlert::recent(conn, &log.name, ALERTS_SHOWN)?;
        loaded.push(Loaded { log, minutes, alerts });
    }
    Ok(loaded)
}

/// The chart ends after the minute of the log's newest line, so that minute is drawn.
fn chart_end(as_of: NaiveDateTime) -> NaiveDateTime {
    let minute = as_of.and_utc().timestamp().div_euclid(60) * 60 + 60;
    chrono::DateTime::from_timestamp(minute, 0).map_or(as_of, |t| t.naive_utc())
}

fn event_words(event: &str) -> &'static str {
    match event {
        "traffic_high" => "High traffic",
        "traffic_recovered" => "Recovered",
        _ => "Other",
    }
}

/// A row of a log's alert history.
pub struct AlertRow {
    pub at: String,
    pub event: &'static str,
    pub high: bool,
    pub mean: String,
    pub threshold: String,
}

/// One log's section of the page.
pub struct LogSection {
    pub name: String,
    pub path: String,
    pub rate: String,
    pub threshold: String,
    pub window_secs: i32,
    /// "Alert since …" or "Normal".
    pub state: String,
    pub alerting: bool,
    pub as_of: String,
    /// When the watch last wrote, and whether that is long ago.
    pub written: String,
    pub quiet: bool,
    pub chart: Option<TrafficChart>,
    pub alerts: Vec<AlertRow>,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "traffic.html")]
pub struct TrafficPage {
    chrome: Chrome,
    logs: Vec<LogSection>,
    chart_width: f64,
    chart_height: f64,
}

fn section(loaded: &Loaded, now: NaiveDateTime, tz: chrono_tz::Tz) -> LogSection {
    let log = &loaded.log;
    let alert_times: Vec<NaiveDateTime> =
        loaded.alerts.iter().filter(|a| a.event == "traffic_high").map(|a| a.log_time).collect();
    LogSection {
        name: log.name.clone(),
        path: log.path.clone(),
        rate: format!("{:.1}", log.mean),
        threshold: format!("{:.1}", log.threshold),
        window_secs: log.window_secs,
        state: log
            .alerting_since
            .map_or_else(|| "Normal".to_owned(), |t| format!("High traffic since {}", local(tz, t))),
        alerting: log.alerting_since.is_some(),
        as_of: log.as_of.map_or_else(|| "no line read yet".to_owned(), |t| local(tz, t)),
        written: ago(now, log.updated_at),
        quiet: now - log.updated_at > QUIET_AFTER,
        chart: log.as_of.map(|as_of| chart::draw(&loaded.minutes, &alert_times, chart_end(as_of), log.threshold)),
        alerts: loaded
            .alerts
            .iter()
            .map(|a| AlertRow {
                at: local(tz, a.log_time),
                event: event_words(&a.event),
                high: a.event == "traffic_high",
                mean: format!("{:.1}", a.mean),
                threshold: format!("{:.1}", a.threshold),
            })
            .collect(),
    }
}

pub async fn page(state: web::Data<AppState>, chrome: Chrome) -> Result<TrafficPage, WebError> {
    let loaded = state.run(|conn| Ok(load(conn)?)).await?;
    let now = now_utc();
    Ok(TrafficPage {
        chrome,
        logs: loaded.iter().map(|l| section(l, now, state.time_zone)).collect(),
        chart_width: chart::WIDTH,
        chart_height: chart::HEIGHT,
    })
}

fn log_json(loaded: Loaded) -> TrafficLogJson {
    let log = loaded.log;
    TrafficLogJson {
        hits_per_second: log.mean,
        threshold: log.threshold,
        window_secs: log.window_secs,
        alerting_since: log.alerting_since.map(rfc3339),
        as_of: log.as_of.map(rfc3339),
        updated_at: rfc3339(log.updated_at),
        minutes: loaded.minutes.into_iter().map(|m| MinuteJson { minute: rfc3339(m.minute), hits: m.hits }).collect(),
        alerts: loaded
            .alerts
            .into_iter()
            .map(|a| TrafficAlertJson {
                event: a.event,
                mean: a.mean,
                threshold: a.threshold,
                window_secs: a.window_secs,
                log_time: rfc3339(a.log_time),
            })
            .collect(),
        name: log.name,
        path: log.path,
    }
}

/// `GET /traffic.json` (described in the OpenAPI document by `api::documented`).
pub async fn data(state: web::Data<AppState>) -> Result<web::Json<TrafficJson>, WebError> {
    let loaded = state.run(|conn| Ok(load(conn)?)).await?;
    Ok(web::Json(TrafficJson { logs: loaded.into_iter().map(log_json).collect() }))
}
