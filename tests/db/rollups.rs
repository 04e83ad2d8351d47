use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use sitewatch::db::models::rollup::{HourlyRollup, RollupRecord};
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::write_transaction;
use sitewatch::domain::rollup::Figures;

use crate::both_backends;
use crate::harness::sw;

fn view(site: &Site, at: NaiveDateTime, i: u32) -> SiteView {
    let (up, status_code, error) = match i % 5 {
        0 => (false, None, Some("timeout".to_owned())),
        1 => (false, Some(503), None),
        _ => (true, Some(200), None),
    };
    SiteView {
        site_id: site.id,
        checked_at: at,
        status_code,
        error,
        response_ms: (i * 37 % 900) as i32,
        up,
        maintenance: false,
        ping: ViewPing::NONE,
    }
}

both_backends! {
    fn rounds_add_up_to_the_same_rollups_as_all_views_at_once(db) {
        sw(db, &["site", "add", "https://a.example.com/", "--name", "A"]).ok();
        sw(db, &["site", "add", "https://b.example.com/", "--name", "B"]).ok();
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let a = Site::by_slug(&mut conn, "a").unwrap();
        let b = Site::by_slug(&mut conn, "b").unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(9, 40, 0).unwrap();

        // 45 rounds one minute apart span two hours (09:40-10:24); each round is its own write.
        let mut expected_a_hour_9 = Figures::default();
        for i in 0..45u32 {
            let at = start + TimeDelta::minutes(i64::from(i));
            let views = vec![view(&a, at, i), view(&b, at, i + 1)];
            if i < 20 {
                let v = &views[0];
                expected_a_hour_9.add_check(v.up, v.status_code, v.error.as_deref(), v.response_ms as u32);
            }
            write_transaction(&mut conn, |c| HourlyRollup::add_views(c, &views)).unwrap();
        }

        let rows = HourlyRollup::for_sites(&mut conn, &[a.id, b.id], start - TimeDelta::hours(1), start + TimeDelta::hours(2)).unwrap();
        assert_eq!(rows.len(), 4, "two sites x two hours");
        let a_nine = rows.iter().find(|r| r.site_id == a.id && r.hour_start == start - TimeDelta::minutes(40)).unwrap();
        assert_eq!(a_nine.figures(), expected_a_hour_9);
        assert_eq!(a_nine.checks, 20);
        let total_checks: i32 = rows.iter().map(|r| r.checks).sum();
        assert_eq!(total_checks, 90);

        let b_rows = HourlyRollup::for_sites(&mut conn, &[b.id], start - TimeDelta::hours(1), start + TimeDelta::hours(2)).unwrap();
        assert_eq!(b_rows.len(), 2);
        assert!(b_rows[0].hour_start < b_rows[1].hour_start, "oldest first");
    }
}
