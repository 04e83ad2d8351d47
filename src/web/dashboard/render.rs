//! The dashboard's three renderings of one [`Summary`]: the HTML page, its JSON, and the
//! Prometheus exposition.

use std::collections::BTreeMap;
use std::fmt::Write;

use askama::Template;
use chrono_tz::Tz;
use serde::Serialize;

use super::summary::{HOURS, Summary, Warning};
use crate::db::models::group::DEFAULT_GROUP_SLUG;
use crate::domain::readable::readable_time;
use crate::domain::status::Status;
use crate::domain::target::CheckKind;
use crate::domain::time::rfc3339;
use crate::json::{GroupRef, GroupSitesJson, OutageJson, SiteJson};
use crate::web::error::WebError;
use crate::web::filters;
use crate::web::format::{self, count};
use crate::web::layout::{Chrome, ago, local, percent};

/// Where the cached page's header takes each user's sign-out form (as written in base.html).
pub const ACCOUNT_SLOT: &str = "<!--account-->";

pub struct SiteRow {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub status: Status,
    /// The check's kind for its badge: "http", "tcp", "ping".
    pub kind: &'static str,
    /// Why the site is down ("HTTP 503", "timed out"); empty unless it is down.
    pub reason: String,
    pub checked: String,
    pub checked_at: String,
    pub response: String,
    pub uptime: String,
    pub spark: Option<String>,
    /// With several locations: "down from 2 of 3 locations".
    pub locations: Option<String>,
}

pub struct GroupBlock {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub rows: Vec<SiteRow>,
    pub down: usize,
    /// "3 sites, 1 down".
    pub counts: String,
}

pub struct OutageBanner {
    pub id: String,
    pub since: String,
    pub duration_secs: i64,
    pub down: Vec<String>,
    /// The newest note: its status and text.
    pub latest_note: Option<(String, String)>,
}

/// A maintenance window in force or to come, in words.
pub struct MaintenanceLine {
    pub now: bool,
    pub over: String,
    pub from: String,
    pub until: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    outage: Option<OutageBanner>,
    maintenance: Vec<MaintenanceLine>,
    warning: Option<String>,
    /// Locations that stopped reporting.
    stale_locations: Vec<String>,
    failed_alerts: i64,
    channels_down: Vec<String>,
    /// "2 minutes ago": when the newest check round finished.
    last_round: Option<String>,
    groups: Vec<GroupBlock>,
    /// "12 sites, 1 down".
    counts: String,
    /// When the newest round finished (RFC 3339): the script reloads the page after a newer one.
    round: String,
    generated: String,
}

/// The rows of one list of sites, as the dashboard and the group page show them.
pub fn site_rows<'a>(
    sites: impl Iterator<Item = &'a super::SiteSummary>,
    stale_locations: &[String],
    now: chrono::NaiveDateTime,
    tz: Tz,
) -> Vec<SiteRow> {
    sites
        .map(|s| {
            let site = &s.site;
            let ping = site.last_ping();
            let status = site.status();
            SiteRow {
                slug: site.slug.clone(),
                name: site.name.clone(),
                url: site.url.clone(),
                status,
                kind: site.kind().map_or("?", CheckKind::as_str),
                reason: match (status, site.last_up) {
                    (Status::Down, _) | (Status::Maintenance, Some(false)) => format::down_reason(
                        site.last_status_code,
                        site.last_error.as_deref(),
                        site.keyword_absent,
                        ping.as_ref(),
                    ),
                    _ => String::new(),
                },
                checked: site.last_checked_at.map_or_else(|| "never".to_owned(), |t| ago(now, t)),
                checked_at: site.last_checked_at.map(|t| local(tz, t)).unwrap_or_default(),
                response: format::response(
                    site.last_status_code,
                    site.last_error.as_deref(),
                    site.last_response_ms,
                    ping.as_ref(),
                ),
                uptime: percent(s.uptime),
                spark: sparkline(&s.hourly_ms),
                locations: s.locations_text(stale_locations),
            }
        })
        .collect()
}

/// Points of a 96×20 polyline, one per hour; hours without answers are left out. `None` (the
/// page then says "not enough data yet") until two hours have answers: one point draws no line.
fn sparkline(hourly: &[Option<f64>; HOURS]) -> Option<String> {
    if hourly.iter().flatten().count() < 2 {
        return None;
    }
    // A flat line at 0 ms (sub-millisecond answers) still draws, along the bottom.
    let max = hourly.iter().flatten().copied().fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let mut points = String::new();
    for (i, value) in hourly.iter().enumerate() {
        if let Some(v) = value {
            let x = i * 4 + 2;
            let y = 19.0 - v / max * 17.0;
            let _ = write!(points, "{x},{y:.1} ");
        }
    }
    Some(points.trim_end().to_owned())
}

pub fn warning_text(summary: &Summary, tz: Tz) -> Option<String> {
    summary.warning().map(|w| match w {
        Warning::NeverRan => "No check round has run yet: schedule `check` with cron (see crontab.example).".to_owned(),
        Warning::Stale(secs) => format!(
            "The last check round finished {} ago: cron may have stopped, so these states may be out of date.",
            readable_time(secs)
        ),
        Warning::Offline(at) => format!(
            "The last check round ({}) found the checker's own network offline; no site was checked.",
            local(tz, at)
        ),
    })
}

pub fn outage_banner(summary: &Summary, tz: Tz) -> Option<OutageBanner> {
    summary.outage.as_ref().map(|(outage, sites)| OutageBanner {
        id: outage.id.to_string(),
        since: local(tz, outage.started_at),
        duration_secs: (summary.now - outage.started_at).num_seconds(),
        down: sites.iter().filter(|s| s.up_at.is_none()).map(|s| s.site_name.clone()).collect(),
        latest_note: summary.outage_notes.first().map(|n| (n.status.clone(), n.message.clone())),
    })
}

/// "the e-mail channel is down" as the start of a banner: "The e-mail channel is down".
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn page(summary: &Summary, tz: Tz) -> Result<String, WebError> {
    let groups: Vec<GroupBlock> = summary
        .groups
        .iter()
        // The automatic default group is an implementation detail once it is empty.
        .filter(|g| !(g.group.slug == DEFAULT_GROUP_SLUG && g.sites.is_empty()))
        .map(|g| {
            let rows = site_rows(g.sites.iter(), &summary.stale_locations, summary.now, tz);
            let down = rows.iter().filter(|r| r.status == Status::Down).count();
            GroupBlock {
                name: g.group.name.clone(),
                slug: g.group.slug.clone(),
                description: g.group.description.clone(),
                counts: count(rows.len() as u64, "site"),
                down,
                rows,
            }
        })
        .collect();
    let page = DashboardPage {
        chrome: Chrome { signed_in: true, account_slot: true, ..Chrome::without_forms(None, tz) },
        outage: outage_banner(summary, tz),
        maintenance: summary
            .maintenance
            .iter()
            .map(|(span, over, note)| MaintenanceLine {
                now: span.from <= summary.now,
                over: over.clone(),
                from: local(tz, span.from),
                until: local(tz, span.until),
                note: note.clone(),
            })
            .collect(),
        warning: warning_text(summary, tz),
        stale_locations: summary.stale_locations.clone(),
        failed_alerts: summary.failed_alerts,
        channels_down: summary.channels_down.iter().map(|c| sentence_case(&c.sentence(|t| local(tz, t)))).collect(),
        last_round: summary.last_run.as_ref().and_then(|r| r.finished_at).map(|at| ago(summary.now, at)),
        counts: format!(
            "{}, {} down",
            count(groups.iter().map(|g| g.rows.len() as u64).sum(), "site"),
            groups.iter().map(|g| g.down).sum::<usize>()
        ),
        round: summary.last_run.as_ref().and_then(|r| r.finished_at).map(rfc3339).unwrap_or_default(),
        groups,
        generated: local(tz, summary.now),
    };
    page.render().map_err(|e| WebError::Internal(format!("rendering the dashboard: {e}")))
}

/// The newest check round.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RoundJson {
    /// RFC 3339, UTC; `null` while it runs.
    finished_at: Option<String>,
    /// `running`, `done`, `offline` or `failed`.
    state: String,
}

/// `/data.json`: the dashboard's data.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DashboardJson {
    /// RFC 3339, UTC.
    generated_at: String,
    /// The open outage, if any.
    outage: Option<OutageJson>,
    last_round: Option<RoundJson>,
    /// Why the figures may not be current (no round yet, cron stopped, the network was down).
    warning: Option<String>,
    /// How the page words each status, so the script never drifts from the server.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    labels: BTreeMap<&'static str, String>,
    /// Every group with its sites (each a site as in `/api/sites`).
    groups: Vec<GroupSitesJson>,
}

pub fn json(summary: &Summary) -> Result<Vec<u8>, WebError> {
    let labels = [Status::Up, Status::Down, Status::Unknown, Status::Paused, Status::Maintenance]
        .into_iter()
        .map(|s| (s.as_str(), format!("{} {}", s.symbol(), s.label())))
        .collect();
    let body = DashboardJson {
        generated_at: rfc3339(summary.now),
        outage: summary.outage.as_ref().map(|(o, sites)| OutageJson::new(o, sites, &summary.outage_notes)),
        last_round: summary
            .last_run
            .as_ref()
            .map(|r| RoundJson { finished_at: r.finished_at.map(rfc3339), state: r.state.clone() }),
        warning: warning_text(summary, chrono_tz::UTC),
        labels,
        groups: summary
            .groups
            .iter()
            .map(|g| GroupSitesJson {
                group: GroupRef { name: g.group.name.clone(), slug: g.group.slug.clone() },
                sites: g.sites.iter().map(|s| SiteJson::with_group_slug(&s.site, &g.group.slug)).collect(),
            })
            .collect(),
    };
    serde_json::to_vec(&body).map_err(|e| WebError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_busiest_hour_and_skips_empty_ones() {
        let mut hours = [None; HOURS];
        assert_eq!(sparkline(&hours), None);
        hours[0] = Some(100.0);
        assert_eq!(sparkline(&hours), None, "one hour draws no line");
        hours[2] = Some(50.0);
        assert_eq!(sparkline(&hours).unwrap(), "2,2.0 10,10.5");
    }
}
