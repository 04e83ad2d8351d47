use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sitewatch::db::Id;
use sitewatch::db::models::site::Site;
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::schema::site_views;
use sitewatch::db::write_transaction;
use sitewatch::domain::time::now_utc;

use crate::both_backends;
use crate::harness::http::{HttpServer, Reply};
use crate::harness::{TestDb, check, sw};

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

    fn check_rounds_count_the_views_they_store(db) {
        let server = HttpServer::always(200);
        for slug in ["up", "down"] {
            let status = if slug == "up" { "/" } else { "/missing" };
            sw(db, &["site", "add", &server.url(&format!("{status}?{slug}")), "--name", slug]).ok();
        }
        server.respond_with(|r| if r.path.starts_with("/missing") { Reply::Status(404) } else { Reply::Status(200) });
        for round in 1..=3i64 {
            check(db, &[]).ok();
            assert_eq!(counted(db, "up"), (round, round), "after round {round}");
            assert_eq!(counted(db, "down"), (round, round), "after round {round}");
        }
        // Age the stored views by two days, so a purge of the last day's history takes them all.
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let keys: Vec<(Id, NaiveDateTime)> =
            site_views::table.select((site_views::site_id, site_views::checked_at)).load(&mut conn).unwrap();
        for (site, at) in keys {
            diesel::update(site_views::table.filter(site_views::site_id.eq(site)).filter(site_views::checked_at.eq(at)))
                .set(site_views::checked_at.eq(at - TimeDelta::days(2)))
                .execute(&mut conn)
                .unwrap();
        }
        sw(db, &["purge", "--older-than", "1d"]).ok();
        assert_eq!(counted(db, "up"), (0, 0));
        check(db, &[]).ok();
        assert_eq!(counted(db, "up"), (1, 1));
    }
}
