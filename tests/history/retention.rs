//! Retention (`[retention]`): what the end of a round purges and when, what each limit keeps,
//! the real `check` binary doing it, and the settings that drive it.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::SiteView;
use sitewatch::domain::rollup::hour_start;
use sitewatch::domain::time::now_utc;
use sitewatch::domain::window::{Span, Window};
use sitewatch::history::daily::{day_start, roll_up_finished_days};
use sitewatch::history::retention::{after_round, apply};
use sitewatch::settings::RetentionSettings;

use super::{
    add_sites, all_daily, all_hourly, all_views, at, check_at, expected_figures, regular_checks, row_figures,
    stats_figures, write_rounds,
};
use crate::both_backends;
use crate::harness::http::HttpServer;
use crate::harness::{Backend, TestDb, check, sw};

both_backends! {
    fn the_end_of_a_round_purges_old_views_once_per_utc_day(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 2).iter().map(|s| s.id).collect();
        let settings = RetentionSettings { raw_days: 3, hourly_days: 6, daily_days: 0 };
        let now = at(2026, 6, 20, 10, 30, 0);
        let views = regular_checks(&sites, now - TimeDelta::days(10), now, TimeDelta::minutes(20));
        write_rounds(&mut conn, &views, 10);
        let month = Window::Month.span(now);
        assert_eq!(stats_figures(&mut conn, &sites, month), expected_figures(&views, &sites, month));

        let purged =
            after_round(&mut conn, &settings, now).unwrap().expect("the first round of the day applies retention");
        let raw_cutoff = now - TimeDelta::days(3);
        let old = views.iter().filter(|v| v.checked_at < raw_cutoff).count();
        assert_eq!(purged.views, old);
        let left = all_views(&mut conn);
        assert_eq!(left.len(), views.len() - old);
        assert!(left.iter().all(|v| v.checked_at >= raw_cutoff));

        let hourly_cutoff = hour_start(now - TimeDelta::days(6));
        let hours = |keep: bool| -> BTreeSet<_> {
            views
                .iter()
                .map(|v| (v.site_id, hour_start(v.checked_at)))
                .filter(|(_, h)| (*h >= hourly_cutoff) == keep)
                .collect()
        };
        assert_eq!(purged.hourly, hours(false).len());
        let kept: BTreeSet<_> = all_hourly(&mut conn).iter().map(|r| (r.site_id, r.hour_start)).collect();
        assert_eq!(kept, hours(true), "hourly rows of the last six days stay");
        assert_eq!(purged.daily, 0);
        assert_eq!(all_daily(&mut conn).len(), 2 * 10, "daily rows of every finished day stay");
        assert_eq!(
            stats_figures(&mut conn, &sites, month),
            expected_figures(&views, &sites, month),
            "the month lost nothing"
        );

        // Views arriving later the same UTC day stay until the first round of the next.
        let late: Vec<_> =
            sites.iter().map(|&s| check_at(s, now - TimeDelta::days(5) + TimeDelta::minutes(7), 1)).collect();
        write_rounds(&mut conn, &late, 1);
        assert_eq!(after_round(&mut conn, &settings, now + TimeDelta::hours(13)).unwrap(), None);
        let left = all_views(&mut conn);
        assert!(late.iter().all(|v| left.contains(v)), "retention ran once today already");
        let next_day = at(2026, 6, 21, 0, 5, 0);
        let purged = after_round(&mut conn, &settings, next_day).unwrap().expect("a new UTC day");
        assert_eq!(
            purged.views,
            late.len()
                + views
                    .iter()
                    .filter(|v| v.checked_at >= raw_cutoff && v.checked_at < next_day - TimeDelta::days(3))
                    .count()
        );
        assert!(all_views(&mut conn).iter().all(|v| v.checked_at >= next_day - TimeDelta::days(3)));
    }

    fn hourly_rows_go_only_once_their_day_is_rolled_up(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 1).iter().map(|s| s.id).collect();
        let settings = RetentionSettings { raw_days: 1, hourly_days: 2, daily_days: 0 };
        let now = at(2026, 6, 20, 10, 30, 0);
        let views = regular_checks(&sites, now - TimeDelta::days(10), now, TimeDelta::minutes(30));
        write_rounds(&mut conn, &views, 10);
        let hourly = all_hourly(&mut conn);

        // No day is rolled up yet: views go, every hourly row stays.
        let purged = apply(&mut conn, &settings, now).unwrap();
        assert!(purged.views > 0);
        assert_eq!(purged.hourly, 0);
        assert_eq!(all_hourly(&mut conn), hourly);

        // Days rolled up through 06-12: older hourly rows go, later ones stay though past hourly_days.
        let mark = at(2026, 6, 13, 0, 0, 0);
        roll_up_finished_days(&mut conn, mark + TimeDelta::hours(5)).unwrap();
        let purged = apply(&mut conn, &settings, now).unwrap();
        assert_eq!(purged.hourly, hourly.iter().filter(|r| r.hour_start < mark).count());
        let left = all_hourly(&mut conn);
        assert_eq!(left, hourly.iter().filter(|r| r.hour_start >= mark).cloned().collect::<Vec<_>>());

        roll_up_finished_days(&mut conn, now).unwrap();
        let purged = apply(&mut conn, &settings, now).unwrap();
        let hourly_cutoff = hour_start(now - TimeDelta::days(2));
        assert_eq!(purged.hourly, left.iter().filter(|r| r.hour_start < hourly_cutoff).count());
        assert!(all_hourly(&mut conn).iter().all(|r| r.hour_start >= hourly_cutoff));
        assert_eq!(all_hourly(&mut conn).len(), left.iter().filter(|r| r.hour_start >= hourly_cutoff).count());

        // Finished days still add up from their daily rows, with their views and hours gone.
        let days = Span::new(at(2026, 6, 11, 0, 0, 0), at(2026, 6, 18, 0, 0, 0));
        assert_eq!(stats_figures(&mut conn, &sites, days), expected_figures(&views, &sites, days));
    }

    fn daily_rows_are_kept_forever_unless_daily_days_is_set(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let sites: Vec<_> = add_sites(&mut conn, 1).iter().map(|s| s.id).collect();
        let now = at(2026, 6, 20, 10, 30, 0);
        let views = regular_checks(&sites, now - TimeDelta::days(10), now, TimeDelta::minutes(30));
        write_rounds(&mut conn, &views, 10);
        let later = now + TimeDelta::days(40);
        let forever = RetentionSettings { raw_days: 1, hourly_days: 2, daily_days: 0 };
        let purged = after_round(&mut conn, &forever, later).unwrap().unwrap();
        assert_eq!((purged.views, purged.hourly, purged.daily), (views.len(), all_hourly_count(&views), 0));
        assert!(all_views(&mut conn).is_empty() && all_hourly(&mut conn).is_empty());
        let daily = all_daily(&mut conn);
        assert_eq!(daily.len(), 11, "06-10 to 06-20, rolled up before anything went");
        let day = at(2026, 6, 14, 0, 0, 0);
        let day_span = Span::new(day, day + TimeDelta::days(1));
        assert_eq!(row_figures(&daily, sites[0], day), Some(expected_figures(&views, &sites, day_span)));
        let year_ago = Span::new(now - TimeDelta::days(30), now + TimeDelta::days(1));
        assert_eq!(stats_figures(&mut conn, &sites, year_ago), expected_figures(&views, &sites, year_ago));

        let limited = RetentionSettings { daily_days: 45, ..forever };
        let purged = apply(&mut conn, &limited, later).unwrap();
        assert_eq!(purged.daily, 5);
        let days: Vec<_> = all_daily(&mut conn).iter().map(|r| r.day_start).collect();
        assert_eq!(days.first(), Some(&at(2026, 6, 15, 0, 0, 0)));
        assert_eq!(days.len(), 6);
    }

    fn the_check_binary_applies_retention_at_the_end_of_its_first_round_of_the_day(db) {
        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/"), "--name", "shop"]).ok();
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let site = Site::by_slug(&mut conn, "shop").unwrap().id;
        let now = now_utc();
        let old = [check_at(site, now - TimeDelta::days(100), 0), check_at(site, now - TimeDelta::days(95), 1)];
        let young = check_at(site, now - TimeDelta::days(10), 2);
        write_rounds(&mut conn, &[old[0].clone(), old[1].clone(), young.clone()], 3);

        let today = now_utc().date();
        check(db, &[]).ok();
        let views = all_views(&mut conn);
        assert!(views.iter().all(|v| !old.contains(v)), "views older than 90 days are gone: {views:?}");
        assert!(views.contains(&young), "a view of 10 days ago stays");
        assert_eq!(views.iter().filter(|v| v.checked_at > now).count(), 1, "the round's own view stays");
        let hourly = all_hourly(&mut conn);
        let daily = all_daily(&mut conn);
        for v in &old {
            assert_eq!(
                row_figures(&hourly, site, hour_start(v.checked_at)).map(|f| f.checks),
                Some(1),
                "hourly rows stay for 730 days"
            );
            assert_eq!(
                row_figures(&daily, site, day_start(v.checked_at)).map(|f| f.checks),
                Some(1),
                "its day is rolled up"
            );
        }

        // Old views that turn up later the same UTC day wait for tomorrow's first round.
        let older = check_at(site, now - TimeDelta::days(120), 3);
        write_rounds(&mut conn, std::slice::from_ref(&older), 1);
        check(db, &[]).ok();
        let views = all_views(&mut conn);
        assert_eq!(views.iter().filter(|v| v.checked_at > now).count(), 2, "the second round ran");
        if now_utc().date() == today {
            assert!(views.contains(&older), "retention ran once today already");
        } else {
            eprintln!("skipped the same-day half: the rounds ran across midnight UTC");
        }
    }

    fn an_environment_variable_sets_raw_days(db) {
        let server = HttpServer::always(200);
        sw(db, &["site", "add", &server.url("/"), "--name", "shop"]).ok();
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let site = Site::by_slug(&mut conn, "shop").unwrap().id;
        let now = now_utc();
        let (ten_days, three_days) =
            (check_at(site, now - TimeDelta::days(10), 0), check_at(site, now - TimeDelta::days(3), 1));
        write_rounds(&mut conn, &[ten_days.clone(), three_days.clone()], 1);
        check(db, &[]).env("SITEWATCH_RETENTION_RAW_DAYS", "5").ok();
        let views = all_views(&mut conn);
        assert!(!views.contains(&ten_days), "older than raw_days = 5");
        assert!(views.contains(&three_days));
        assert_eq!(views.len(), 2);
    }
}

/// How many (site, hour) rollup rows these views make.
fn all_hourly_count(views: &[SiteView]) -> usize {
    views.iter().map(|v| (v.site_id, hour_start(v.checked_at))).collect::<BTreeSet<_>>().len()
}

#[test]
fn retention_settings_are_checked_naming_the_key() {
    let db = TestDb::create(Backend::Sqlite).unwrap();
    let refused = |toml: &str, key: &str| {
        db.write_file("sitewatch.toml", toml);
        for err in [sw(&db, &["site", "list"]).usage_error(), check(&db, &[]).usage_error()] {
            assert!(err.contains("sitewatch.toml") && err.contains(key), "{toml}: {err}");
        }
    };
    refused("[retention]\nraw_days = 10\nhourly_days = 30\ndaily_days = 10\n", "retention.daily_days");
    refused("[retention]\nhourly_days = 30\n", "retention.hourly_days");
    refused("[retention]\nraw_days = 0\n", "retention.raw_days");
    refused("[retention]\nhourly_days = 0\n", "retention.hourly_days");
    refused("[retention]\nweekly_days = 7\n", "weekly_days");
    refused("[retention]\nraw_days = \"ninety\"\n", "raw_days");

    db.write_file("sitewatch.toml", "[retention]\nraw_days = 30\nhourly_days = 30\ndaily_days = 30\n");
    sw(&db, &["site", "list"]).ok();
    db.write_file("sitewatch.toml", "[retention]\nraw_days = 7\ndaily_days = 0\n");
    sw(&db, &["site", "list"]).ok();

    let err = sw(&db, &["site", "list"]).env("SITEWATCH_RETENTION_RAW_DAYS", "soon").usage_error();
    assert!(err.contains("SITEWATCH_RETENTION_RAW_DAYS"), "{err}");
    let err = sw(&db, &["site", "list"]).env("SITEWATCH_RETENTION_DAYS", "3").usage_error();
    assert!(err.contains("SITEWATCH_RETENTION_DAYS"), "{err}");
    let err = sw(&db, &["site", "list"]).env("SITEWATCH_RETENTION_DAILY_DAYS", "100").usage_error();
    assert!(err.contains("retention.daily_days"), "an override is checked like the file: {err}");
}
