//! Windows at their edges: a view exactly at `from` is in, one exactly at `until` is out, views
//! on hour and day boundaries land in the rollup they start, and windows on whole hours or days
//! are answered from rollups alone.

use chrono::TimeDelta;
use sitewatch::db::models::rollup::{DailyRollup, HourlyRollup, MonthlyRollup};
use sitewatch::db::models::site_view::SiteView;
use sitewatch::domain::window::{Span, Window, plan};
use sitewatch::history::daily::{roll_up_finished_days, rolled_until};
use sitewatch::history::stats::{figures_between, raw_figures_between};

use super::{
    add_sites, all_daily, all_hourly, at, check_at, expected_figures, micros, regular_checks, row_figures, write_rounds,
};
use crate::both_backends;

both_backends! {
    fn a_view_exactly_at_from_counts_and_one_exactly_at_until_does_not(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let site = add_sites(&mut conn, 1)[0].id;
        let now = at(2026, 3, 10, 10, 27, 0);
        let ten = Window::TenMinutes.span(now);
        let day = Window::Day.span(now);
        let week = Window::Week.span(now);
        // Week from 03-03 10:27, day from 03-09 10:27, ten minutes from 10:17.
        let times = [
            week.from - micros(1),
            week.from,
            at(2026, 3, 5, 0, 0, 0),
            day.from - micros(1),
            day.from,
            at(2026, 3, 9, 23, 0, 0),
            ten.from - micros(1),
            ten.from,
            at(2026, 3, 10, 10, 20, 0),
            now - micros(1),
            now,
            now + micros(1),
        ];
        let views: Vec<SiteView> = times.iter().enumerate().map(|(i, &t)| check_at(site, t, i as u32)).collect();
        write_rounds(&mut conn, &views, 3);
        roll_up_finished_days(&mut conn, now).unwrap();
        let rolled = rolled_until(&mut conn).unwrap();
        assert_eq!(rolled.days_until, Some(at(2026, 3, 10, 0, 0, 0)));

        for (span, checks) in [(ten, 3), (day, 6), (week, 9)] {
            let composite = figures_between(&mut conn, &[site], span, rolled).unwrap();
            assert_eq!(composite.checks, checks, "{span:?}");
            assert_eq!(composite, expected_figures(&views, &[site], span), "{span:?}");
            assert_eq!(composite, raw_figures_between(&mut conn, &[site], span).unwrap(), "{span:?}");
        }
        // The week reads its first partial hour from views, whole days from daily rows.
        let week_plan = plan(week, rolled);
        assert_eq!(week_plan.raw[0], Span::new(week.from, at(2026, 3, 3, 11, 0, 0)));
        assert_eq!(week_plan.daily, vec![Span::new(at(2026, 3, 4, 0, 0, 0), at(2026, 3, 10, 0, 0, 0))]);

        // The same edges on whole hours and whole days, read from hourly and daily rows.
        for (span, checks) in [
            (Span::new(at(2026, 3, 9, 23, 0, 0), at(2026, 3, 10, 10, 0, 0)), 1),
            (Span::new(at(2026, 3, 5, 0, 0, 0), at(2026, 3, 9, 23, 0, 0)), 3),
            (Span::new(at(2026, 3, 5, 0, 0, 0), at(2026, 3, 10, 0, 0, 0)), 4),
        ] {
            assert!(plan(span, rolled).raw.is_empty(), "{span:?} is whole hours");
            let composite = figures_between(&mut conn, &[site], span, rolled).unwrap();
            assert_eq!(composite.checks, checks, "{span:?}");
            assert_eq!(composite, expected_figures(&views, &[site], span), "{span:?}");
        }
    }

    fn views_on_hour_and_day_boundaries_land_in_the_rollup_they_start(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let site = add_sites(&mut conn, 1)[0].id;
        let nine = at(2026, 3, 10, 9, 0, 0);
        let ten = at(2026, 3, 10, 10, 0, 0);
        let eleven_pm = at(2026, 3, 10, 23, 0, 0);
        let next_day = at(2026, 3, 11, 0, 0, 0);
        let views = vec![
            check_at(site, ten - micros(1), 3),
            check_at(site, ten, 4),
            check_at(site, ten + TimeDelta::hours(1) - micros(1), 5),
            check_at(site, next_day - micros(1), 6),
            check_at(site, next_day, 7),
        ];
        write_rounds(&mut conn, &views, 5);

        let hourly = all_hourly(&mut conn);
        let hours: Vec<_> = hourly.iter().map(|r| (r.hour_start, r.checks)).collect();
        assert_eq!(hours, [(nine, 1), (ten, 2), (eleven_pm, 1), (next_day, 1)]);
        for (hour, expected) in
            [(nine, &views[..1]), (ten, &views[1..3]), (eleven_pm, &views[3..4]), (next_day, &views[4..])]
        {
            let span = Span::new(hour, hour + TimeDelta::hours(1));
            assert_eq!(row_figures(&hourly, site, hour), Some(expected_figures(expected, &[site], span)), "{hour}");
        }

        assert_eq!(roll_up_finished_days(&mut conn, at(2026, 3, 12, 1, 0, 0)).unwrap(), 2);
        let daily = all_daily(&mut conn);
        let days: Vec<_> = daily.iter().map(|r| (r.day_start, r.checks)).collect();
        assert_eq!(days, [(at(2026, 3, 10, 0, 0, 0), 4), (next_day, 1)]);
        let day_span = Span::new(at(2026, 3, 10, 0, 0, 0), next_day);
        assert_eq!(row_figures(&daily, site, day_span.from), Some(expected_figures(&views, &[site], day_span)));
    }

    fn a_window_on_the_hour_reads_no_raw_views_and_still_matches(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 2).iter().map(|s| s.id).collect();
        let on_the_hour = at(2026, 3, 10, 12, 0, 0);
        let midnight = at(2026, 3, 10, 0, 0, 0);
        let views = regular_checks(&sites, at(2026, 3, 1, 0, 3, 0), at(2026, 3, 10, 14, 0, 0), TimeDelta::minutes(7));
        write_rounds(&mut conn, &views, 12);
        roll_up_finished_days(&mut conn, on_the_hour).unwrap();
        let rolled = rolled_until(&mut conn).unwrap();

        let hour_windows = [Window::Hour, Window::Day, Window::Week].map(|w| w.span(on_the_hour));
        let day_windows = [Window::Day, Window::Week].map(|w| w.span(midnight));
        let off_the_hour = Window::Day.span(on_the_hour + TimeDelta::minutes(5));
        for span in hour_windows.iter().chain(&day_windows) {
            assert!(plan(*span, rolled).raw.is_empty(), "{span:?} needs no views");
        }
        for span in &day_windows {
            assert!(plan(*span, rolled).hourly.is_empty(), "{span:?} is whole rolled-up days");
        }
        assert!(!plan(off_the_hour, rolled).raw.is_empty());
        let before: Vec<_> = hour_windows
            .iter()
            .chain(&day_windows)
            .chain([&off_the_hour])
            .map(|span| {
                let composite = figures_between(&mut conn, &sites, *span, rolled).unwrap();
                assert!(composite.checks > 0);
                assert_eq!(composite, raw_figures_between(&mut conn, &sites, *span).unwrap(), "{span:?}");
                assert_eq!(composite, expected_figures(&views, &sites, *span), "{span:?}");
                composite
            })
            .collect();

        // With every view gone, windows on the hour give the same figures; one off the hour
        // loses the checks of its partial hours, which only views answer for.
        SiteView::delete_before(&mut conn, at(2027, 1, 1, 0, 0, 0)).unwrap();
        for (span, figures) in hour_windows.iter().chain(&day_windows).zip(&before) {
            assert_eq!(raw_figures_between(&mut conn, &sites, *span).unwrap().checks, 0);
            assert_eq!(&figures_between(&mut conn, &sites, *span, rolled).unwrap(), figures, "{span:?}");
        }
        let partial = figures_between(&mut conn, &sites, off_the_hour, rolled).unwrap();
        assert!(partial.checks < before[5].checks, "{} of {}", partial.checks, before[5].checks);

        // With the hourly rows of finished days gone too, whole days come from daily rows alone.
        HourlyRollup::delete_before(&mut conn, midnight).unwrap();
        assert!(DailyRollup::count(&mut conn).unwrap() > 0);
        for (span, figures) in day_windows.iter().zip(&before[3..5]) {
            assert_eq!(&figures_between(&mut conn, &sites, *span, rolled).unwrap(), figures, "{span:?}");
        }
    }

    fn whole_months_come_from_monthly_rows_and_match_the_views(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 2).iter().map(|s| s.id).collect();
        let views = regular_checks(&sites, at(2026, 1, 20, 0, 3, 0), at(2026, 4, 10, 9, 30, 0), TimeDelta::minutes(47));
        write_rounds(&mut conn, &views, 6);
        let now = at(2026, 4, 10, 9, 30, 0);
        roll_up_finished_days(&mut conn, now).unwrap();
        let rolled = rolled_until(&mut conn).unwrap();
        assert_eq!((rolled.days_until, rolled.months_until), (Some(at(2026, 4, 10, 0, 0, 0)), Some(at(2026, 4, 1, 0, 0, 0))));
        assert_eq!(MonthlyRollup::count(&mut conn).unwrap(), 2 * 3, "January to March for two sites");

        let year = Window::Year.span(now);
        let p = plan(year, rolled);
        assert_eq!(p.monthly, Some(Span::new(at(2025, 5, 1, 0, 0, 0), at(2026, 4, 1, 0, 0, 0))));
        for span in [year, Window::Month.span(now), Span::new(at(2026, 1, 25, 13, 17, 5), at(2026, 3, 31, 23, 59, 59))] {
            let composite = figures_between(&mut conn, &sites, span, rolled).unwrap();
            assert!(composite.checks > 0);
            assert_eq!(composite, expected_figures(&views, &sites, span), "{span:?}");
            assert_eq!(composite, raw_figures_between(&mut conn, &sites, span).unwrap(), "{span:?}");
        }
        // With the daily rows of whole months gone, the year still adds up from monthly rows.
        DailyRollup::delete_before(&mut conn, at(2026, 4, 1, 0, 0, 0)).unwrap();
        let composite = figures_between(&mut conn, &sites, year, rolled).unwrap();
        let expected = expected_figures(&views, &sites, Span::new(at(2026, 1, 1, 0, 0, 0), now));
        assert_eq!(composite, expected);
    }
}
