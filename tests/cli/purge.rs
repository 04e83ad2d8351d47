use chrono::{NaiveDateTime, TimeDelta};
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::{Id, write_transaction};
use sitewatch::domain::time::now_utc;

use crate::both_backends;
use crate::harness::{TestDb, sw};

fn add_views(db: &TestDb, site_slug: &str, times: &[NaiveDateTime]) {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let site = Site::by_slug(&mut conn, site_slug).unwrap();
    let views: Vec<SiteView> = times
        .iter()
        .map(|&checked_at| SiteView {
            site_id: site.id,
            checked_at,
            status_code: Some(200),
            error: None,
            response_ms: 12,
            up: true,
            maintenance: false,
            ping: ViewPing::NONE,
        })
        .collect();
    write_transaction(&mut conn, |c| SiteView::insert_all(c, &views)).unwrap();
}

fn remaining(db: &TestDb, site_slug: &str) -> Vec<NaiveDateTime> {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let id: Id = Site::by_slug(&mut conn, site_slug).unwrap().id;
    let mut times: Vec<NaiveDateTime> =
        SiteView::page_for_site(&mut conn, id, 0, 1_000_000).unwrap().into_iter().map(|v| v.checked_at).collect();
    times.sort();
    times
}

both_backends! {
    fn purge_removes_exactly_the_views_older_than_the_cutoff(db) {
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "Shop"]).ok();
        let now = now_utc();
        let old = [now - TimeDelta::days(3), now - TimeDelta::days(2), now - TimeDelta::hours(25)];
        let young = [now - TimeDelta::hours(23), now - TimeDelta::hours(1)];
        add_views(db, "shop", &[&old[..], &young[..]].concat());

        let out = sw(db, &["purge", "--older-than", "1d", "--dry-run"]).ok();
        assert!(out.contains("Would delete 3 view(s)"), "{out}");
        assert_eq!(remaining(db, "shop").len(), 5, "a dry run deletes nothing");

        let out = sw(db, &["purge", "--older-than", "1d"]).ok();
        assert!(out.contains("Deleted 3 view(s)"), "{out}");
        assert_eq!(remaining(db, "shop"), young.to_vec());
    }

    fn purge_works_through_many_batches(db) {
        sw(db, &["site", "add", "https://a.example.com/", "--name", "A"]).ok();
        sw(db, &["site", "add", "https://b.example.com/", "--name", "B"]).ok();
        let now = now_utc();
        let start = now - TimeDelta::days(30);
        let old: Vec<NaiveDateTime> = (0..6_000).map(|i| start + TimeDelta::seconds(i * 60)).collect();
        add_views(db, "a", &old);
        add_views(db, "b", &old);
        add_views(db, "a", &[now - TimeDelta::minutes(5)]);

        let out = sw(db, &["purge", "--older-than", "7d"]).ok();
        assert!(out.contains("Deleted 12000 view(s)"), "{out}");
        assert_eq!(remaining(db, "a"), vec![now - TimeDelta::minutes(5)]);
        assert!(remaining(db, "b").is_empty());
    }

    fn a_bad_duration_is_refused(db) {
        let err = sw(db, &["purge", "--older-than", "ninety days"]).usage_error();
        assert!(err.contains("--older-than") && err.contains("90d"), "{err}");
    }
}
