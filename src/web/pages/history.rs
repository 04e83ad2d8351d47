//! What the site and group pages show of their history: the windows table, the 90-day uptime
//! bar and the chart's range.

use chrono::{NaiveDateTime, TimeDelta};
use serde::Deserialize;

use super::chart::{self, Chart};
use crate::db::models::site::Site;
use crate::db::{DbConnection, Id};
use crate::domain::outcomes;
use crate::domain::readable::readable_time;
use crate::domain::rollup::Figures;
use crate::domain::status::result_text;
use crate::domain::target::CheckKind;
use crate::domain::window::Rolled;
use crate::history::daily::{day_start, rolled_until};
use crate::history::series::{Step, series};
use crate::history::stats::{self, Stats};
use crate::web::error::WebError;
use crate::web::format::{NONE, count};
use crate::web::layout::{ago, percent};

/// Days in the uptime bar.
pub const BAR_DAYS: i64 = 90;

pub struct WindowRow {
    pub label: &'static str,
    pub availability: String,
    pub class: &'static str,
    pub checks: u64,
    pub mean: String,
    pub p50: String,
    pub p95: String,
    pub p99: String,
    pub max: String,
    pub outages: usize,
    pub downtime: String,
    pub results: String,
}

/// The colour class of an availability: green at 99.9 % and above, then amber, orange, red.
pub fn availability_class(share: Option<f64>) -> &'static str {
    match share {
        None => "none",
        Some(s) if s >= 0.999 => "good",
        Some(s) if s >= 0.99 => "fair",
        Some(s) if s >= 0.95 => "poor",
        Some(_) => "bad",
    }
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_owned(), |v| format!("{v:.0} ms"))
}

/// Outcomes other than a plain success, most frequent first: "HTTP 503 ×12, timed out ×3".
pub fn failures_text(figures: &Figures) -> String {
    // Successes: a 2xx/3xx answer, or a TCP connection or ping without an error (`ok`).
    let success = |key: &str| key.starts_with('2') || key.starts_with('3') || key == outcomes::OK;
    let mut counts: Vec<(&str, u64)> = figures.outcomes.iter().filter(|(key, _)| !success(key)).collect();
    if counts.is_empty() {
        return match figures.checks {
            0 => NONE.to_owned(),
            _ if figures.outcomes.iter().all(|(key, _)| key == outcomes::OK) => "none".to_owned(),
            _ => "all answered 2xx/3xx".to_owned(),
        };
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
        .iter()
        .map(|(key, n)| {
            let text = match key.parse::<i32>() {
                Ok(code) => result_text(Some(code), None),
                Err(_) => result_text(None, Some(key)),
            };
            format!("{text} ×{n}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn window_rows(stats: &Stats) -> Vec<WindowRow> {
    stats
        .windows
        .iter()
        .map(|w| {
            let f = &w.figures;
            WindowRow {
                label: w.window.label(),
                availability: percent(f.availability()),
                class: availability_class(f.availability()),
                checks: f.checks,
                mean: ms(f.mean_response_ms()),
                p50: ms(f.histogram.quantile(0.50)),
                p95: ms(f.histogram.quantile(0.95)),
                p99: ms(f.histogram.quantile(0.99)),
                max: ms(f.response_ms_max.map(f64::from)),
                outages: w.outages,
                downtime: if w.downtime.is_zero() { NONE.to_owned() } else { readable_time(w.downtime.num_seconds()) },
                results: failures_text(f),
            }
        })
        .collect()
}

/// "Last failure 3 hours ago · down for 12 minutes".
pub fn state_line(stats: &Stats) -> String {
    let mut parts = vec![match stats.last_failure_at {
        Some(t) => format!("last failed check {}", ago(stats.now, t)),
        None => "no failed check on record".to_owned(),
    }];
    if let Some(since) = stats.down_since {
        parts.push(format!("failing for {}", readable_time((stats.now - since).num_seconds().max(1))));
    }
    parts.join(" · ")
}

pub struct DayCell {
    pub date: String,
    pub class: &'static str,
    /// The day's figure in words, shown on hover and read by screen readers.
    pub text: String,
}

pub struct UptimeBar {
    pub cells: Vec<DayCell>,
    pub summary: String,
}

/// One cell per UTC day for the last `BAR_DAYS` days, oldest first.
fn uptime_bar(conn: &mut DbConnection, ids: &[Id], now: NaiveDateTime, rolled: Rolled) -> Result<UptimeBar, WebError> {
    let first = day_start(now) - TimeDelta::days(BAR_DAYS - 1);
    let points = series(conn, ids, first, now, Step::Day, rolled)?;
    let mut total = Figures::default();
    let mut cells = Vec::with_capacity(BAR_DAYS as usize);
    let mut below = 0;
    for offset in 0..BAR_DAYS {
        let day = first + TimeDelta::days(offset);
        let date = day.format("%Y-%m-%d").to_string();
        let figures = points.iter().find(|(start, _)| *start == day).map(|(_, f)| f);
        let (class, text) = match figures {
            Some(f) => {
                total.checks += f.checks;
                total.ups += f.ups;
                below += usize::from(f.availability().is_some_and(|a| a < 0.999));
                (
                    availability_class(f.availability()),
                    format!("{date}: {} up, {}", percent(f.availability()), count(f.checks, "check")),
                )
            }
            None => ("none", format!("{date}: no checks")),
        };
        cells.push(DayCell { date, class, text });
    }
    let summary = match total.availability() {
        Some(a) => format!("{} up over {BAR_DAYS} days; {} below 99.9 %", percent(Some(a)), count(below as u64, "day")),
        None => format!("No checks in the last {BAR_DAYS} days."),
    };
    Ok(UptimeBar { cells, summary })
}

/// The chart's range, from `?range=`: `24h` and `7d` per hour, `30d` and `90d` per day.
#[derive(Debug, Default, Deserialize)]
pub struct ChartQuery {
    pub range: Option<String>,
}

pub const CHART_RANGES: [&str; 4] = ["24h", "7d", "30d", "90d"];

fn chart_range(query: &ChartQuery) -> Result<(&'static str, TimeDelta, Step), WebError> {
    match query.range.as_deref().unwrap_or("24h") {
        "24h" => Ok(("24h", TimeDelta::hours(24), Step::Hour)),
        "7d" => Ok(("7d", TimeDelta::days(7), Step::Hour)),
        "30d" => Ok(("30d", TimeDelta::days(30), Step::Day)),
        "90d" => Ok(("90d", TimeDelta::days(90), Step::Day)),
        other => Err(WebError::BadRequest(format!("range `{other}` is not one of 24h, 7d, 30d, 90d"))),
    }
}

/// Everything the history part of a site or group page shows.
pub struct History {
    pub rows: Vec<WindowRow>,
    pub state: String,
    pub bar: UptimeBar,
    pub chart: Option<ChartView>,
}

pub struct ChartView {
    pub chart: Chart,
    pub range: &'static str,
    pub step: &'static str,
    /// A round-trip chart of a ping site rather than a response-time chart.
    pub ping: bool,
    /// What the chart shows, in words, with its counts.
    pub caption: String,
}

/// The chart's caption: what its marks mean, and "6 checks in 1 hour".
fn caption(chart: &Chart, step: &'static str, ping: bool) -> String {
    let marks = if ping {
        format!(
            "Per {step}: the line is the mean round trip, the band spans the fastest to the slowest check; bars \
             hanging from the top show the share of echo requests lost."
        )
    } else {
        format!(
            "Per {step}: the line is the median, the dashed line the 95th percentile, the band reaches the 99th; \
             red marks are {step}s with failed checks."
        )
    };
    format!("{marks} {} in {}.", count(chart.checks, "check"), count(chart.periods as u64, step))
}

/// Loads the history of `sites`; with a chart query, the response-time chart too.
pub fn load(
    conn: &mut DbConnection,
    sites: &[Site],
    now: NaiveDateTime,
    chart: Option<&ChartQuery>,
) -> Result<History, WebError> {
    let ids: Vec<Id> = sites.iter().map(|s| s.id).collect();
    let rolled = rolled_until(conn)?;
    let stats = stats::for_sites(conn, sites, now)?;
    let bar = uptime_bar(conn, &ids, now, rolled)?;
    let chart = match chart {
        Some(query) => {
            let (range, length, step) = chart_range(query)?;
            let from = now - length;
            let points = series(conn, &ids, from, now, step, rolled)?;
            let step_name = if step == Step::Hour { "hour" } else { "day" };
            let ping = !sites.is_empty() && sites.iter().all(|s| s.kind() == Some(CheckKind::Ping));
            let draw = if ping { chart::draw_ping } else { chart::draw };
            let chart = draw(&points, step.start_of(from), now, step);
            Some(ChartView { caption: caption(&chart, step_name, ping), chart, range, step: step_name, ping })
        }
        None => None,
    };
    Ok(History { rows: window_rows(&stats), state: state_line(&stats), bar, chart })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_leave_out_successes_of_every_kind() {
        let mut f = Figures::default();
        assert_eq!(failures_text(&f), "—");
        f.add_check(true, None, None, 3);
        assert_eq!(failures_text(&f), "none", "a TCP or ping success is no failure");
        f.add_check(true, Some(200), None, 30);
        assert_eq!(failures_text(&f), "all answered 2xx/3xx");
        f.add_check(false, None, Some("timeout"), 0);
        f.add_check(false, Some(503), None, 40);
        f.add_check(false, Some(503), None, 40);
        assert_eq!(failures_text(&f), "HTTP 503 ×2, timed out ×1");
    }
}
