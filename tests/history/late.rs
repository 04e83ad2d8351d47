//! Checks that arrive for a day already summed, retention's marks, and the once-a-day claim.

use chrono::TimeDelta;
use sitewatch::checker::{ProbeResult, SiteCheck, record_round};
use sitewatch::db::models::app_setting;
use sitewatch::db::models::check_run::CheckRun;
use sitewatch::db::models::rollup::{DailyRollup, MonthlyRollup, RollupRecord};
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::domain::window::Span;
use sitewatch::history::daily::roll_up_finished_days;
use sitewatch::history::retention::{apply, purge_views};
use sitewatch::settings::{RetentionSettings, Settings};

use super::{add_sites, all_daily, at, expected_figures, import_views, regular_checks, row_figures, write_rounds};
use crate::both_backends;

both_backends! {
    fn a_check_for_a_day_already_summed_sums_that_day_and_month_again(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites = add_sites(&mut conn, 1);
        let site = sites[0].id;
        let mut views = regular_checks(&[site], at(2026, 4, 28, 0, 0, 0), at(2026, 5, 1, 0, 0, 0), TimeDelta::minutes(30));
        write_rounds(&mut conn, &views, 3);
        roll_up_finished_days(&mut conn, at(2026, 5, 1, 0, 0, 30)).unwrap();
        let april = Span::new(at(2026, 4, 1, 0, 0, 0), at(2026, 5, 1, 0, 0, 0));
        let monthly = MonthlyRollup::for_sites(&mut conn, &[site], april.from, april.until).unwrap();
        assert_eq!(monthly[0].figures(), expected_figures(&views, &[site], april));

        // A checker whose clock is behind records a check stamped 23:59:50 on April 30.
        let run = CheckRun::new(at(2026, 5, 1, 0, 0, 40), "late");
        run.insert(&mut conn).unwrap();
        let late = at(2026, 4, 30, 23, 59, 50);
        let result = ProbeResult {
            checked_at: late,
            status_code: Some(503),
            error: None,
            response_ms: 812,
            up: false,
            ping: None,
            tls_expires_at: None,
        };
        let check = SiteCheck::new(sites[0].clone(), result);
        record_round(&handle, &Settings::default(), run.id, &[check]).unwrap();
        views.push(SiteView {
            site_id: site,
            checked_at: late,
            status_code: Some(503),
            error: None,
            response_ms: 812,
            up: false,
            maintenance: false,
            ping: ViewPing::NONE,
        });

        let last_day = Span::new(at(2026, 4, 30, 0, 0, 0), at(2026, 5, 1, 0, 0, 0));
        let daily = all_daily(&mut conn);
        assert_eq!(row_figures(&daily, site, last_day.from), Some(expected_figures(&views, &[site], last_day)));
        let monthly = MonthlyRollup::for_sites(&mut conn, &[site], april.from, april.until).unwrap();
        assert_eq!(monthly[0].figures(), expected_figures(&views, &[site], april), "the month counts the late check");
    }

    fn views_of_hours_retention_purged_do_not_overwrite_their_days(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let site = add_sites(&mut conn, 1)[0].id;
        let now = at(2026, 6, 20, 10, 0, 0);
        let views = regular_checks(&[site], now - TimeDelta::days(8), now, TimeDelta::minutes(30));
        write_rounds(&mut conn, &views, 4);
        roll_up_finished_days(&mut conn, now).unwrap();
        apply(&mut conn, &RetentionSettings { raw_days: 5, hourly_days: 5, daily_days: 0 }, now).unwrap();
        let daily_before = all_daily(&mut conn);

        // Views of a purged hour turn up again without a rollup (restored from a backup, say).
        let old_day = at(2026, 6, 13, 0, 0, 0);
        let stray: Vec<SiteView> = views
            .iter()
            .filter(|v| v.checked_at >= old_day + TimeDelta::hours(3) && v.checked_at < old_day + TimeDelta::hours(4))
            .cloned()
            .collect();
        assert!(!stray.is_empty());
        import_views(&mut conn, &stray);
        let purged = purge_views(&mut conn, now - TimeDelta::days(5)).unwrap();
        assert_eq!((purged.views, purged.hours_rolled_up), (stray.len(), 0));
        assert_eq!(all_daily(&mut conn), daily_before, "the day stays as it was summed");
        assert!(DailyRollup::count(&mut conn).unwrap() >= 8);
    }

    fn only_one_caller_claims_a_value(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        assert!(app_setting::set_if_different(&mut conn, "test.claim", "2026-11-21").unwrap());
        assert!(!app_setting::set_if_different(&mut conn, "test.claim", "2026-11-21").unwrap());
        assert!(app_setting::set_if_different(&mut conn, "test.claim", "2026-11-22").unwrap());
        assert_eq!(app_setting::get(&mut conn, "test.claim").unwrap().as_deref(), Some("2026-11-22"));
    }
}
