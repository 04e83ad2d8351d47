//! Purging views keeps every rollup and every figure: rows written by rounds stay as they were,
//! views stored without rollups are summed into hourly rows before they go, and a day already
//! rolled up is summed again when it gains hours that way.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};
use sitewatch::db::Id;
use sitewatch::db::models::site_view::SiteView;
use sitewatch::domain::rollup::{Figures, hour_start};
use sitewatch::domain::time::now_utc;
use sitewatch::domain::window::{Span, Window};
use sitewatch::history::daily::{day_start, roll_up_finished_days};
use sitewatch::history::retention::{BATCH, purge_views};
use sitewatch::history::stats::raw_figures_between;

use super::{
    add_sites, all_daily, all_hourly, all_views, at, expected_figures, import_views, regular_checks, row_figures,
    stats_figures, write_rounds,
};
use crate::both_backends;
use crate::harness::sw;

/// Sums views per (site, period start).
fn sums_by(views: &[SiteView], start_of: fn(NaiveDateTime) -> NaiveDateTime) -> BTreeMap<(Id, NaiveDateTime), Figures> {
    let mut sums: BTreeMap<(Id, NaiveDateTime), Figures> = BTreeMap::new();
    for v in views {
        v.add_to(sums.entry((v.site_id, start_of(v.checked_at))).or_default());
    }
    sums
}

both_backends! {
    fn purging_views_keeps_rollups_and_the_figures_of_long_windows(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 2).iter().map(|s| s.id).collect();
        let now = at(2026, 5, 20, 10, 30, 0);
        let views = regular_checks(&sites, now - TimeDelta::days(12), now, TimeDelta::minutes(10));
        write_rounds(&mut conn, &views, 20);
        roll_up_finished_days(&mut conn, now).unwrap();
        let (hourly, daily) = (all_hourly(&mut conn), all_daily(&mut conn));
        assert_eq!(daily.len(), 2 * 12, "two sites, twelve finished days");
        let whole_hours = Span::new(at(2026, 5, 10, 7, 0, 0), at(2026, 5, 15, 10, 0, 0));
        let spans = [Window::Month.span(now), Window::Year.span(now), whole_hours];
        let before: Vec<Figures> = spans.iter().map(|s| stats_figures(&mut conn, &sites, *s)).collect();
        for (span, figures) in spans.iter().zip(&before) {
            assert_eq!(figures, &expected_figures(&views, &sites, *span), "{span:?}");
        }

        let cutoff = now - TimeDelta::days(5);
        let old = views.iter().filter(|v| v.checked_at < cutoff).count();
        let purged = purge_views(&mut conn, cutoff).unwrap();
        assert_eq!(purged.views, old);
        assert_eq!(purged.hours_rolled_up, 0, "every hour had its rollup already");

        let left = all_views(&mut conn);
        assert!(left.iter().all(|v| v.checked_at >= cutoff));
        assert_eq!(left.len(), views.len() - old, "younger views stay");
        assert_eq!(all_hourly(&mut conn), hourly);
        assert_eq!(all_daily(&mut conn), daily);
        for (span, figures) in spans.iter().zip(&before) {
            assert_eq!(&stats_figures(&mut conn, &sites, *span), figures, "{span:?}");
        }
        assert!(raw_figures_between(&mut conn, &sites, whole_hours).unwrap().checks == 0, "its views are gone");
    }

    fn views_without_rollups_get_hourly_rows_before_they_go_through_many_batches(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 2).iter().map(|s| s.id).collect();
        let now = at(2026, 5, 20, 10, 30, 0);
        let rounds = regular_checks(&sites, now - TimeDelta::days(3), now, TimeDelta::minutes(15));
        write_rounds(&mut conn, &rounds, 8);
        // More views than a purge batch, so an hour straddles two batches.
        let imported =
            regular_checks(&sites, at(2026, 5, 12, 0, 0, 0), at(2026, 5, 13, 12, 0, 0), TimeDelta::seconds(40));
        assert!(imported.len() > BATCH as usize && imported.len() < 2 * BATCH as usize);
        import_views(&mut conn, &imported);
        roll_up_finished_days(&mut conn, now).unwrap();
        let (hourly, daily) = (all_hourly(&mut conn), all_daily(&mut conn));
        assert_eq!(daily.len(), 2 * 3, "days of rounds only: imported views have no hourly rows to sum");

        let purged = purge_views(&mut conn, now - TimeDelta::days(5)).unwrap();
        assert_eq!(purged.views, imported.len());
        let hours = sums_by(&imported, hour_start);
        assert_eq!(purged.hours_rolled_up, hours.len());
        assert_eq!(all_views(&mut conn).len(), rounds.len());

        let after = all_hourly(&mut conn);
        assert_eq!(after.len(), hourly.len() + hours.len());
        assert!(hourly.iter().all(|row| after.contains(row)), "rows of rounds are untouched");
        for ((site, hour), figures) in &hours {
            assert_eq!(row_figures(&after, *site, *hour).as_ref(), Some(figures), "{site} {hour}");
        }
        // Those days were before the daily mark, so they were rolled up as their hours appeared.
        let after_daily = all_daily(&mut conn);
        let days = sums_by(&imported, day_start);
        assert_eq!(after_daily.len(), daily.len() + days.len());
        for ((site, day), figures) in &days {
            assert_eq!(row_figures(&after_daily, *site, *day).as_ref(), Some(figures), "{site} {day}");
        }
        let all: Vec<SiteView> = rounds.iter().chain(&imported).cloned().collect();
        let month = Window::Month.span(now);
        assert_eq!(stats_figures(&mut conn, &sites, month), expected_figures(&all, &sites, month));
    }

    fn a_rolled_up_day_is_summed_again_when_its_unsummed_views_are_purged(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 1).iter().map(|s| s.id).collect();
        let day = at(2026, 5, 15, 0, 0, 0);
        let noon = at(2026, 5, 15, 12, 0, 0);
        let now = at(2026, 5, 20, 10, 30, 0);
        let rounds = regular_checks(&sites, noon, now, TimeDelta::minutes(20));
        write_rounds(&mut conn, &rounds, 6);
        let imported = regular_checks(&sites, day, noon, TimeDelta::minutes(20));
        import_views(&mut conn, &imported);
        roll_up_finished_days(&mut conn, now).unwrap();
        let day_span = Span::new(day, day + TimeDelta::days(1));
        let rolled_before = row_figures(&all_daily(&mut conn), sites[0], day).expect("the day is rolled up");
        assert_eq!(rolled_before, expected_figures(&rounds, &sites, day_span), "only the afternoon had hourly rows");

        let purged = purge_views(&mut conn, noon).unwrap();
        assert_eq!((purged.views, purged.hours_rolled_up), (imported.len(), 12));
        let all: Vec<SiteView> = rounds.iter().chain(&imported).cloned().collect();
        assert_eq!(row_figures(&all_daily(&mut conn), sites[0], day), Some(expected_figures(&all, &sites, day_span)));
        assert_eq!(
            stats_figures(&mut conn, &sites, Window::Week.span(now)),
            expected_figures(&all, &sites, Window::Week.span(now))
        );
    }

    fn the_purge_command_keeps_rollups_and_sums_what_has_none(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 2).iter().map(|s| s.id).collect();
        let now = now_utc();
        let early = regular_checks(&sites, now - TimeDelta::days(10), now - TimeDelta::days(7), TimeDelta::minutes(30));
        let late = regular_checks(&sites, now - TimeDelta::days(2), now, TimeDelta::minutes(30));
        write_rounds(&mut conn, &early, 6);
        write_rounds(&mut conn, &late, 6);
        let imported_day = day_start(now - TimeDelta::days(5));
        let imported = regular_checks(
            &sites,
            imported_day + TimeDelta::hours(3),
            imported_day + TimeDelta::hours(6),
            TimeDelta::minutes(20),
        );
        import_views(&mut conn, &imported);
        roll_up_finished_days(&mut conn, now).unwrap();
        let (hourly, daily) = (all_hourly(&mut conn), all_daily(&mut conn));
        let all: Vec<SiteView> = early.iter().chain(&late).chain(&imported).cloned().collect();

        let out = sw(db, &["purge", "--older-than", "3d"]).ok();
        let purged = early.len() + imported.len();
        assert!(out.contains(&format!("Deleted {purged} view(s)")), "{out}");
        assert!(out.contains("Summed 6 hour(s)"), "two sites x three hours had no rollup: {out}");

        assert_eq!(all_views(&mut conn).len(), late.len());
        let after = all_hourly(&mut conn);
        assert!(hourly.iter().all(|row| after.contains(row)), "hourly rows of rounds are untouched");
        assert_eq!(after.len(), hourly.len() + 6);
        let after_daily = all_daily(&mut conn);
        assert!(daily.iter().all(|row| after_daily.contains(row)), "daily rows are untouched");
        assert_eq!(after_daily.len(), daily.len() + 2, "the imported day is rolled up for both sites");
        for window in [Window::Month, Window::Year] {
            let span = window.span(now);
            assert_eq!(stats_figures(&mut conn, &sites, span), expected_figures(&all, &sites, span), "{window:?}");
        }
    }
}
