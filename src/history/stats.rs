//! Statistics of a site or a group over the windows of `domain::window`: availability,
//! response-time mean, percentiles and extremes, outcomes by status and error, outages and
//! downtime. Each window is split by `plan`: raw views for the partial hours at its ends,
//! hourly and daily rollups between, so a year costs a few hundred rows a site, and the figures
//! equal those summed from the raw views (percentiles within `histogram::RELATIVE_ERROR`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{NaiveDateTime, TimeDelta};

use super::daily;
use crate::db::counts::{CountSource, SiteCounts, site_counts};
use crate::db::models::outage::OutageSite;
use crate::db::models::rollup::{DailyRollup, HourlyRollup, MonthlyRollup, RollupRecord};
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::histogram::HistogramSum;
use crate::domain::rollup::Figures;
use crate::domain::window::{Rolled, Span, Window, plan};

/// One window's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowStats {
    pub window: Window,
    pub span: Span,
    pub figures: Figures,
    /// Outages any of the sites was part of during the window.
    pub outages: usize,
    /// Time in the window when at least one of the sites was down in an outage.
    pub downtime: TimeDelta,
}

impl WindowStats {
    /// Share of ping requests lost in the window, in percent; `None` without ping checks.
    pub fn loss_percent(&self) -> Option<f64> {
        self.figures.loss_percent()
    }

    /// Mean jitter (mdev) of the window's ping checks, in milliseconds; `None` without replies.
    pub fn jitter_ms(&self) -> Option<f64> {
        self.figures.jitter_ms()
    }
}

/// Every window's figures for a site or a group, and its state now.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub now: NaiveDateTime,
    pub windows: Vec<WindowStats>,
    /// The newest failed check of any of the sites.
    pub last_failure_at: Option<NaiveDateTime>,
    /// When the current run of failures began (the earliest, for a group); `None` when every
    /// site's newest check was up.
    pub down_since: Option<NaiveDateTime>,
}

impl Stats {
    pub fn window(&self, window: Window) -> Option<&WindowStats> {
        self.windows.iter().find(|w| w.window == window)
    }
}

/// The stats of `sites` (one, or a group's) for every window ending at `now`.
pub fn for_sites(conn: &mut DbConnection, sites: &[Site], now: NaiveDateTime) -> Result<Stats, DbError> {
    let ids: Vec<Id> = sites.iter().map(|s| s.id).collect();
    let rolled = daily::rolled_until(conn)?;
    let mut windows = Vec::with_capacity(Window::ALL.len());
    for window in Window::ALL {
        windows.push(window_stats(conn, &ids, window, now, rolled)?);
    }
    Ok(Stats {
        now,
        windows,
        last_failure_at: sites.iter().filter_map(last_failure).max(),
        down_since: sites
            .iter()
            .filter(|s| s.active && s.consecutive_failures > 0)
            .filter_map(|s| s.failing_since.or_else(|| last_failure(s)))
            .min(),
    })
}

/// A site's newest failed check; a site whose newest check failed counts even if it was stored
/// before `last_failure_at` was kept.
fn last_failure(site: &Site) -> Option<NaiveDateTime> {
    let newest_failed = (site.consecutive_failures > 0).then_some(site.last_checked_at).flatten();
    site.last_failure_at.max(newest_failed)
}

/// One window's stats for `site_ids`, ending at `now`.
pub fn window_stats(
    conn: &mut DbConnection,
    site_ids: &[Id],
    window: Window,
    now: NaiveDateTime,
    rolled: Rolled,
) -> Result<WindowStats, DbError> {
    let span = window.span(now);
    let figures = figures_between(conn, site_ids, span, rolled)?;
    let (outages, downtime) = outages_between(conn, site_ids, span, now)?;
    Ok(WindowStats { window, span, figures, outages, downtime })
}

/// The figures of the checks of `site_ids` in `span`, from the cheapest store for each piece.
pub fn figures_between(
    conn: &mut DbConnection,
    site_ids: &[Id],
    span: Span,
    rolled: Rolled,
) -> Result<Figures, DbError> {
    let plan = plan(span, rolled);
    let mut sum = FiguresSum::default();
    for piece in &plan.raw {
        for view in SiteView::for_sites_between(conn, site_ids, piece.from, piece.until)? {
            sum.add_view(&view);
        }
    }
    for piece in &plan.hourly {
        for row in HourlyRollup::for_sites(conn, site_ids, piece.from, piece.until)? {
            sum.add_record(&row);
        }
    }
    for piece in &plan.daily {
        for row in DailyRollup::for_sites(conn, site_ids, piece.from, piece.until)? {
            sum.add_record(&row);
        }
    }
    if let Some(piece) = plan.monthly {
        for row in MonthlyRollup::for_sites(conn, site_ids, piece.from, piece.until)? {
            sum.add_record(&row);
        }
    }
    Ok(sum.finish())
}

/// The same figures from raw views alone: the reference the rollups must agree with.
pub fn raw_figures_between(conn: &mut DbConnection, site_ids: &[Id], span: Span) -> Result<Figures, DbError> {
    let mut sum = FiguresSum::default();
    for view in SiteView::for_sites_between(conn, site_ids, span.from, span.until)? {
        sum.add_view(&view);
    }
    Ok(sum.finish())
}

/// `(checks, ups)` of each site.
pub type CountsBySite = HashMap<Id, (i64, i64)>;

/// `(checks, ups)` of every site over each of `windows` ending at `now`, summed by the database
/// (`/metrics` and the public page want every site at once, and need no histograms). A piece
/// that several windows share, such as the partial hour that ends all but the shortest, is
/// summed once: on raw views it is the costly part.
pub fn counts_by_site(
    conn: &mut DbConnection,
    windows: &[Window],
    now: NaiveDateTime,
    rolled: Rolled,
) -> Result<HashMap<Window, CountsBySite>, DbError> {
    let mut summed: HashMap<(CountSource, Span), Vec<SiteCounts>> = HashMap::new();
    let mut by_window = HashMap::new();
    for &window in windows {
        let plan = plan(window.span(now), rolled);
        let pieces = (plan.raw.iter().map(|p| (CountSource::Views, *p)))
            .chain(plan.hourly.iter().map(|p| (CountSource::Hourly, *p)))
            .chain(plan.daily.iter().map(|p| (CountSource::Daily, *p)))
            .chain(plan.monthly.iter().map(|p| (CountSource::Monthly, *p)));
        let mut totals = CountsBySite::new();
        for (source, piece) in pieces {
            let rows = match summed.entry((source, piece)) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(new) => new.insert(site_counts(conn, source, piece.from, piece.until)?),
            };
            for row in rows.iter() {
                let total = totals.entry(row.site_id).or_default();
                total.0 += row.checks;
                total.1 += row.ups;
            }
        }
        by_window.insert(window, totals);
    }
    Ok(by_window)
}

/// The windows `sitewatch status` shows for every site.
pub const RECENT: [Window; 2] = [Window::TenMinutes, Window::Hour];

/// Each site's figures over the `RECENT` windows ending at `now`, from one pass over the last
/// hour's raw views (every site at once). They equal `window_stats` for each site, which sums
/// the same views (and, for whole hours, rollups of them).
pub fn recent_figures_by_site(
    conn: &mut DbConnection,
    site_ids: &[Id],
    now: NaiveDateTime,
) -> Result<HashMap<Id, [Figures; 2]>, DbError> {
    let spans = RECENT.map(|w| w.span(now));
    let widest = Span::new(spans.iter().map(|s| s.from).min().unwrap_or(now), now);
    let mut sums: HashMap<Id, [FiguresSum; 2]> = HashMap::new();
    for view in SiteView::for_sites_between(conn, site_ids, widest.from, widest.until)? {
        let entry = sums.entry(view.site_id).or_default();
        for (sum, span) in entry.iter_mut().zip(&spans) {
            if span.from <= view.checked_at && view.checked_at < span.until {
                sum.add_view(&view);
            }
        }
    }
    Ok(sums.into_iter().map(|(id, [a, b])| (id, [a.finish(), b.finish()])).collect())
}

/// Adds up figures; rollup histograms go into a flat array straight from their bytes.
#[derive(Default)]
pub(crate) struct FiguresSum {
    figures: Figures,
    histogram: HistogramSum,
}

impl FiguresSum {
    pub(crate) fn add_view(&mut self, view: &SiteView) {
        view.add_to(&mut self.figures);
    }

    pub(crate) fn add_record<R: RollupRecord>(&mut self, row: &R) {
        let c = row.columns();
        let f = &mut self.figures;
        f.checks += c.checks.max(0) as u64;
        f.ups += c.ups.max(0) as u64;
        f.responses += c.responses.max(0) as u64;
        f.response_ms_sum += c.response_ms_sum.max(0) as u64;
        let (min, max) = (c.response_ms_min.map(|v| v.max(0) as u32), c.response_ms_max.map(|v| v.max(0) as u32));
        f.response_ms_min = f.response_ms_min.into_iter().chain(min).min();
        f.response_ms_max = f.response_ms_max.into_iter().chain(max).max();
        f.ping.merge(&c.ping());
        if let Err(error) = f.outcomes.add_encoded(c.outcomes) {
            tracing::warn!(site = %row.site_id(), start = %row.start(), %error, "skipped unreadable outcome counts");
        }
        if let Err(error) = self.histogram.add_encoded(c.histogram) {
            tracing::warn!(site = %row.site_id(), start = %row.start(), %error, "skipped an unreadable histogram");
        }
    }

    pub(crate) fn finish(mut self) -> Figures {
        self.histogram.add(&self.figures.histogram);
        self.figures.histogram = self.histogram.finish();
        self.figures
    }
}

/// How many outages touched `site_ids` in `span`, and for how long at least one of them was down.
fn outages_between(
    conn: &mut DbConnection,
    site_ids: &[Id],
    span: Span,
    now: NaiveDateTime,
) -> Result<(usize, TimeDelta), DbError> {
    let rows = OutageSite::overlapping(conn, site_ids, span.from, span.until)?;
    let mut outages: Vec<Id> = rows.iter().map(|(id, _, _)| *id).collect();
    outages.sort_unstable();
    outages.dedup();
    let intervals = rows.iter().map(|&(_, down, up)| Span::new(down.max(span.from), up.unwrap_or(now).min(span.until)));
    Ok((outages.len(), union_length(intervals)))
}

/// The total length covered by `spans`, counting overlaps once.
pub fn union_length(spans: impl Iterator<Item = Span>) -> TimeDelta {
    let mut spans: Vec<Span> = spans.filter(|s| !s.is_empty()).collect();
    spans.sort_by_key(|s| s.from);
    let mut total = TimeDelta::zero();
    let mut current: Option<Span> = None;
    for span in spans {
        current = match current {
            Some(c) if span.from <= c.until => Some(Span::new(c.from, c.until.max(span.until))),
            Some(c) => {
                total += c.length();
                Some(span)
            }
            None => Some(span),
        };
    }
    total + current.map_or(TimeDelta::zero(), |c| c.length())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn overlapping_downtime_counts_once() {
        let spans = [Span::new(at(1, 0), at(2, 0)), Span::new(at(1, 30), at(3, 0)), Span::new(at(5, 0), at(5, 10))];
        assert_eq!(union_length(spans.into_iter()), TimeDelta::minutes(130));
        assert_eq!(union_length(std::iter::empty()), TimeDelta::zero());
        assert_eq!(union_length([Span::new(at(2, 0), at(1, 0))].into_iter()), TimeDelta::zero());
    }
}
