//! Maintenance windows in the round. A site checked during one of its windows is still
//! checked and its view stored, marked `maintenance`; but its failures count toward no outage
//! (so they open none and alert nobody), its run of consecutive failures is held at zero (so
//! after the window it needs `failures_before_outage` fresh failures), and the rollups leave
//! the view out. A site already down in the open outage when its window starts stays in it:
//! failed checks during the window change nothing, and an answer still brings it back.

use std::collections::HashSet;

use super::site_check::SiteCheck;
use crate::db::models::maintenance_window::MaintenanceWindow;
use crate::db::models::site::Site;
use crate::db::models::site_state::SiteState;
use crate::db::models::site_view::SiteView;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::outage_rule::Checked;
use crate::settings::Settings;

/// The checked sites whose check fell in one of their maintenance windows.
pub(super) fn covered(c: &mut DbConnection, settings: &Settings, checks: &[SiteCheck]) -> Result<HashSet<Id>, DbError> {
    let times = checks.iter().map(|check| check.result.checked_at);
    let (Some(from), Some(until)) = (times.clone().min(), times.max()) else { return Ok(HashSet::new()) };
    let windows: Vec<_> = MaintenanceWindow::in_force_between(c, from, until)?
        .into_iter()
        .filter_map(|w| w.schedule().map(|s| (w, s)))
        .collect();
    if windows.is_empty() {
        return Ok(HashSet::new());
    }
    let tz = settings.time_zone;
    Ok(checks
        .iter()
        .filter(|check| {
            windows.iter().any(|(window, schedule)| {
                window.applies_to(check.site.id, check.site.group_id)
                    && schedule.covering(check.result.checked_at, tz).is_some()
            })
        })
        .map(|check| check.site.id)
        .collect())
}

/// Marks the views of covered sites.
pub(super) fn mark(views: &mut [SiteView], covered: &HashSet<Id>) {
    for view in views.iter_mut().filter(|v| covered.contains(&v.site_id)) {
        view.maintenance = true;
    }
}

/// What the outage rule sees: a covered site that failed is left out (it neither joins nor
/// leaves), one that answered counts as up with no failures behind it (it may come back).
pub(super) fn outage_input(input: Vec<Checked<Id>>, covered: &HashSet<Id>) -> Vec<Checked<Id>> {
    if covered.is_empty() {
        return input;
    }
    input
        .into_iter()
        .filter(|c| c.up || !covered.contains(&c.site))
        .map(|c| if covered.contains(&c.site) { Checked { failures_before: 0, ..c } } else { c })
        .collect()
}

/// Holds covered sites' failure runs at zero, and keeps their newest failure time as it was.
pub(super) fn hold(states: &mut [SiteState], checks: &[SiteCheck], covered: &HashSet<Id>) {
    for (state, check) in states.iter_mut().zip(checks).filter(|(s, _)| covered.contains(&s.site_id)) {
        state.consecutive_failures = 0;
        state.failing_since = None;
        state.last_failure_at = check.site.last_failure_at;
    }
}

/// Stores which checked sites are in maintenance now.
pub(super) fn record(c: &mut DbConnection, checks: &[SiteCheck], covered: &HashSet<Id>) -> Result<(), DbError> {
    let checked: Vec<Id> = checks.iter().map(|check| check.site.id).collect();
    Site::record_maintenance(c, &checked, covered)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covered_failures_are_left_out_and_covered_answers_start_afresh() {
        let (a, b, c) = (Id::new(), Id::new(), Id::new());
        let covered: HashSet<Id> = [a, b].into_iter().collect();
        let input = vec![
            Checked { site: a, up: false, failures_before: 5 },
            Checked { site: b, up: true, failures_before: 4 },
            Checked { site: c, up: false, failures_before: 2 },
        ];
        let out = outage_input(input, &covered);
        assert_eq!(
            out,
            vec![Checked { site: b, up: true, failures_before: 0 }, Checked { site: c, up: false, failures_before: 2 }]
        );
    }
}
