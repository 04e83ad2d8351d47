//! The public status page in HTML (no script: it works as plain HTML on any phone) and the
//! same figures as JSON.

use askama::Template;
use chrono::{NaiveDateTime, TimeDelta};
use chrono_tz::Tz;
use serde::Serialize;

use super::load::{BAR_DAYS, PublicOutage, PublicView};
use crate::domain::note::NoteStatus;
use crate::domain::time::rfc3339;
use crate::web::error::WebError;
use crate::web::filters;
use crate::web::layout::{Chrome, local, percent};
use crate::web::pages::history::availability_class;

/// A stretch of days of the same colour in an uptime bar.
pub struct BarRun {
    pub x: i64,
    pub width: i64,
    pub class: &'static str,
    pub text: String,
}

pub struct SiteRow {
    pub name: String,
    pub state: &'static str,
    pub label: &'static str,
    pub uptime: String,
    pub runs: Vec<BarRun>,
}

pub struct GroupRow {
    pub name: String,
    pub description: String,
    pub sites: Vec<SiteRow>,
}

pub struct NoteRow {
    pub status: &'static str,
    pub message: String,
    pub at: String,
}

pub struct OutageRow {
    pub started: String,
    pub resolved: Option<String>,
    pub duration_secs: i64,
    pub sites: String,
    pub notes: Vec<NoteRow>,
}

pub struct WindowRow {
    pub from: String,
    pub until: String,
    pub over: String,
    pub note: String,
    pub now: bool,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    chrome: Chrome,
    overall_class: &'static str,
    overall: &'static str,
    generated: String,
    current: Option<OutageRow>,
    maintenance: Vec<WindowRow>,
    groups: Vec<GroupRow>,
    recent: Vec<OutageRow>,
    bar_days: i64,
}

fn share(checks: i64, ups: i64) -> Option<f64> {
    (checks > 0).then(|| ups as f64 / checks as f64)
}

/// Runs of days of one colour, so a bar is a handful of rectangles rather than ninety.
fn runs(view: &PublicView, days: &[(i64, i64)]) -> Vec<BarRun> {
    let mut runs: Vec<(usize, usize, &'static str, i64, i64)> = Vec::new();
    for (i, &(checks, ups)) in days.iter().enumerate() {
        let class = availability_class(share(checks, ups));
        match runs.last_mut() {
            Some(run) if run.2 == class => {
                run.1 = i;
                run.3 += checks;
                run.4 += ups;
            }
            _ => runs.push((i, i, class, checks, ups)),
        }
    }
    let date = |i: usize| (view.first_day + TimeDelta::days(i as i64)).format("%Y-%m-%d").to_string();
    runs.into_iter()
        .map(|(first, last, class, checks, ups)| {
            let days = if first == last { date(first) } else { format!("{} to {}", date(first), date(last)) };
            let text = match share(checks, ups) {
                Some(s) => format!("{days}: {} up", percent(Some(s))),
                None => format!("{days}: no checks"),
            };
            BarRun { x: first as i64, width: (last - first + 1) as i64, class, text }
        })
        .collect()
}

fn outage_row(o: &PublicOutage, now: NaiveDateTime, tz: Tz) -> OutageRow {
    OutageRow {
        started: local(tz, o.started_at),
        resolved: o.resolved_at.map(|t| local(tz, t)),
        duration_secs: (o.resolved_at.unwrap_or(now) - o.started_at).num_seconds(),
        sites: o.sites.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", "),
        notes: o
            .notes
            .iter()
            .map(|n| NoteRow {
                status: NoteStatus::parse(&n.status).map_or("Update", NoteStatus::label),
                message: n.message.clone(),
                at: local(tz, n.created_at),
            })
            .collect(),
    }
}

fn total(days: &[(i64, i64)]) -> Option<f64> {
    let (checks, ups) = days.iter().fold((0, 0), |(c, u), &(dc, du)| (c + dc, u + du));
    share(checks, ups)
}

pub fn html(view: &PublicView, tz: Tz) -> Result<String, WebError> {
    let page = StatusPage {
        chrome: Chrome { signed_in: false, ..Chrome::without_forms(None, tz) },
        overall_class: view.overall.as_str(),
        overall: view.overall.text(),
        generated: local(tz, view.now),
        current: view.current.as_ref().map(|o| outage_row(o, view.now, tz)),
        maintenance: view
            .maintenance
            .iter()
            .map(|w| WindowRow {
                from: local(tz, w.span.from),
                until: local(tz, w.span.until),
                over: w.over.clone(),
                note: w.note.clone(),
                now: w.span.from <= view.now,
            })
            .collect(),
        groups: view
            .groups
            .iter()
            .map(|g| GroupRow {
                name: g.name.clone(),
                description: g.description.clone(),
                sites: g
                    .sites
                    .iter()
                    .map(|s| SiteRow {
                        name: s.name.clone(),
                        state: s.state.as_str(),
                        label: s.state.label(),
                        uptime: total(&s.days)
                            .map_or_else(|| "no checks yet".to_owned(), |a| format!("{} up", percent(Some(a)))),
                        runs: runs(view, &s.days),
                    })
                    .collect(),
            })
            .collect(),
        recent: view.recent.iter().filter(|o| o.resolved_at.is_some()).map(|o| outage_row(o, view.now, tz)).collect(),
        bar_days: BAR_DAYS,
    };
    page.render().map_err(|e| WebError::Internal(format!("rendering the status page: {e}")))
}

#[derive(Serialize)]
struct OverallJson {
    state: &'static str,
    text: &'static str,
}

#[derive(Serialize)]
struct UptimeJson {
    /// The first day of `days` (UTC).
    from: String,
    /// Availability in percent per UTC day, oldest first; `null` for a day without checks.
    days: Vec<Option<f64>>,
    /// Over all the days together.
    percent: Option<f64>,
}

#[derive(Serialize)]
struct SiteJson {
    name: String,
    slug: String,
    state: &'static str,
    uptime: UptimeJson,
}

#[derive(Serialize)]
struct GroupJson {
    name: String,
    slug: String,
    description: String,
    sites: Vec<SiteJson>,
}

#[derive(Serialize)]
struct NoteJson {
    status: String,
    message: String,
    created_at: String,
}

#[derive(Serialize)]
struct OutageSiteJson {
    name: String,
    down_at: String,
    up_at: Option<String>,
}

#[derive(Serialize)]
struct OutageJson {
    id: String,
    started_at: String,
    resolved_at: Option<String>,
    sites: Vec<OutageSiteJson>,
    notes: Vec<NoteJson>,
}

#[derive(Serialize)]
struct WindowJson {
    starts_at: String,
    ends_at: String,
    over: String,
    note: String,
    in_progress: bool,
}

#[derive(Serialize)]
struct StatusJson {
    generated_at: String,
    time_zone: String,
    overall: OverallJson,
    groups: Vec<GroupJson>,
    current_outage: Option<OutageJson>,
    outages: Vec<OutageJson>,
    maintenance: Vec<WindowJson>,
}

fn round2(value: f64) -> f64 {
    (value * 10_000.0).round() / 100.0
}

fn outage_json(o: &PublicOutage) -> OutageJson {
    OutageJson {
        id: o.id.to_string(),
        started_at: rfc3339(o.started_at),
        resolved_at: o.resolved_at.map(rfc3339),
        sites: o
            .sites
            .iter()
            .map(|s| OutageSiteJson { name: s.name.clone(), down_at: rfc3339(s.down_at), up_at: s.up_at.map(rfc3339) })
            .collect(),
        notes: o
            .notes
            .iter()
            .map(|n| NoteJson {
                status: n.status.clone(),
                message: n.message.clone(),
                created_at: rfc3339(n.created_at),
            })
            .collect(),
    }
}

pub fn json(view: &PublicView, tz: Tz) -> Result<Vec<u8>, WebError> {
    let body = StatusJson {
        generated_at: rfc3339(view.now),
        time_zone: tz.name().to_owned(),
        overall: OverallJson { state: view.overall.as_str(), text: view.overall.text() },
        groups: view
            .groups
            .iter()
            .map(|g| GroupJson {
                name: g.name.clone(),
                slug: g.slug.clone(),
                description: g.description.clone(),
                sites: g
                    .sites
                    .iter()
                    .map(|s| SiteJson {
                        name: s.name.clone(),
                        slug: s.slug.clone(),
                        state: s.state.as_str(),
                        uptime: UptimeJson {
                            from: view.first_day.to_string(),
                            days: s.days.iter().map(|&(c, u)| share(c, u).map(round2)).collect(),
                            percent: total(&s.days).map(round2),
                        },
                    })
                    .collect(),
            })
            .collect(),
        current_outage: view.current.as_ref().map(outage_json),
        outages: view.recent.iter().map(outage_json).collect(),
        maintenance: view
            .maintenance
            .iter()
            .map(|w| WindowJson {
                starts_at: rfc3339(w.span.from),
                ends_at: rfc3339(w.span.until),
                over: w.over.clone(),
                note: w.note.clone(),
                in_progress: w.span.from <= view.now,
            })
            .collect(),
    };
    serde_json::to_vec(&body).map_err(|e| WebError::Internal(e.to_string()))
}
