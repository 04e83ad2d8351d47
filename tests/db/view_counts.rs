use chrono::TimeDelta;
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::write_transaction;
use sitewatch::domain::time::now_utc;

use crate::both_backends;
use crate::harness::{TestDb, sw};

fn counted(db: &TestDb, slug: &str) -> (i64, i64) {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    let site = Site::by_slug(&mut conn, slug).unwrap();
    let stored = SiteView::count_for_site_between(&mut conn, site.id, None, None).unwrap();
    (site.view_count, stored)
}

both_backends! {
    fn each_site_keeps_an_exact_count_of_its_views_through_inserts_and_purges(db) {
        sw(db, &["site", "add", "https://a.example.com/", "--name", "a"]).ok();
        sw(db, &["site", "add", "https://b.example.com/", "--name", "b"]).ok();
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let a = Site::by_slug(&mut conn, "a").unwrap();
        let b = Site::by_slug(&mut conn, "b").unwrap();
        let now = now_utc();
        let mut views = Vec::new();
        for i in 0..2_500i64 {
            let site = if i % 5 == 0 { &b } else { &a };
            views.push(SiteView {
                site_id: site.id,
                checked_at: now - TimeDelta::minutes(i),
                status_code: Some(200),
                error: None,
                response_ms: 5,
                up: true,
                maintenance: false,
                ping: ViewPing::NONE,
            });
        }
        write_transaction(&mut conn, |c| SiteView::insert_all(c, &views)).unwrap();
        assert_eq!(counted(db, "a"), (2_000, 2_000));
        assert_eq!(counted(db, "b"), (500, 500));

        sw(db, &["purge", "--older-than", "1d"]).ok();
        let (a_count, a_rows) = counted(db, "a");
        assert_eq!(a_count, a_rows);
        assert!(a_rows < 2_000 && a_rows > 1_000, "about a day of minutes is left: {a_rows}");
        let (b_count, b_rows) = counted(db, "b");
        assert_eq!(b_count, b_rows);
    }
}
