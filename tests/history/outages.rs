//! Outages in the stats: each outage that touched the sites during a window counts once, and
//! downtime is the time at least one of them was down, clipped to the window.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sitewatch::db::models::outage::{Outage, OutageSite};
use sitewatch::db::models::site::Site;
use sitewatch::db::schema::sites;
use sitewatch::db::{DbConnection, Id};
use sitewatch::domain::time::now_utc;
use sitewatch::domain::window::Window;
use sitewatch::history::daily::rolled_until;
use sitewatch::history::stats::{for_sites, raw_figures_between, window_stats};

use super::{add_sites, all_views, at};
use crate::both_backends;
use crate::harness::http::{HttpServer, Reply};
use crate::harness::{check, sw};

type Membership<'a> = (&'a Site, NaiveDateTime, Option<NaiveDateTime>);

/// An outage made of these memberships (a site may have several), resolved when all are back.
fn outage(conn: &mut DbConnection, members: &[Membership<'_>]) -> Id {
    let started = members.iter().map(|m| m.1).min().unwrap();
    let outage = Outage::open(conn, started).unwrap();
    let rows: Vec<OutageSite> = members
        .iter()
        .map(|&(site, down, up)| OutageSite {
            up_at: up,
            ..OutageSite::joining(outage.id, site, down, Some(503), None)
        })
        .collect();
    OutageSite::insert_all(conn, &rows).unwrap();
    if members.iter().all(|m| m.2.is_some()) {
        Outage::resolve(conn, outage.id, members.iter().filter_map(|m| m.2).max().unwrap()).unwrap();
    }
    outage.id
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

both_backends! {
    fn outages_in_a_window_count_once_and_downtime_is_their_union_clipped_to_it(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let [a, b, c]: [Site; 3] = add_sites(&mut conn, 3).try_into().unwrap();
        let now = at(2026, 7, 10, 12, 0, 0);
        // Two sites overlapping in one outage: down together from now-3h to now-30m.
        outage(&mut conn, &[(&a, now - hours(3), Some(now - hours(1))), (&b, now - hours(2), Some(now - minutes(30)))]);
        // Begun before the last 24 hours, ended inside them.
        outage(&mut conn, &[(&a, now - hours(30), Some(now - hours(20)))]);
        // One site down twice within the same outage.
        outage(
            &mut conn,
            &[(&a, now - hours(50), Some(now - hours(49))), (&a, now - minutes(48 * 60 + 30), Some(now - hours(48)))],
        );
        // Ended exactly where the last 24 hours begin; within the one above, so adds no downtime.
        outage(&mut conn, &[(&a, now - hours(26), Some(now - hours(24)))]);
        // Begun exactly at the end of every window.
        outage(&mut conn, &[(&a, now, Some(now + hours(1)))]);
        // Another site's.
        outage(&mut conn, &[(&c, now - hours(5), Some(now - hours(4)))]);
        // Still going: counts until now.
        outage(&mut conn, &[(&b, now - minutes(10), None)]);

        let rolled = rolled_until(&mut conn).unwrap();
        let both = [a.id, b.id];
        let expect = [
            (Window::TenMinutes, 1, minutes(10)),
            (Window::Hour, 2, minutes(40)),
            (Window::Day, 3, hours(6) + minutes(40)),
            (Window::Week, 5, hours(14) + minutes(10)),
            (Window::Month, 5, hours(14) + minutes(10)),
            (Window::Year, 5, hours(14) + minutes(10)),
        ];
        for (window, outages, downtime) in expect {
            let stats = window_stats(&mut conn, &both, window, now, rolled).unwrap();
            assert_eq!((stats.outages, stats.downtime), (outages, downtime), "{window:?}");
        }
        let day = window_stats(&mut conn, &[a.id], Window::Day, now, rolled).unwrap();
        assert_eq!((day.outages, day.downtime), (2, hours(6)), "site a alone");
        let day = window_stats(&mut conn, &[c.id], Window::Day, now, rolled).unwrap();
        assert_eq!((day.outages, day.downtime), (1, hours(1)), "site c alone");
        let hour = window_stats(&mut conn, &[c.id], Window::Hour, now, rolled).unwrap();
        assert_eq!((hour.outages, hour.downtime), (0, TimeDelta::zero()));

        diesel::update(sites::table.find(b.id))
            .set((
                sites::consecutive_failures.eq(10),
                sites::failing_since.eq(Some(now - minutes(10))),
                sites::last_failure_at.eq(Some(now - minutes(1))),
            ))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(sites::table.find(a.id))
            .set(sites::last_failure_at.eq(Some(now - minutes(61))))
            .execute(&mut *conn)
            .unwrap();
        let group = [Site::find(&mut conn, a.id).unwrap().unwrap(), Site::find(&mut conn, b.id).unwrap().unwrap()];
        let stats = for_sites(&mut conn, &group, now).unwrap();
        assert_eq!(stats.windows.len(), Window::ALL.len());
        assert_eq!(stats.window(Window::Day).map(|w| (w.outages, w.downtime)), Some((3, hours(6) + minutes(40))));
        assert_eq!(stats.last_failure_at, Some(now - minutes(1)));
        assert_eq!(stats.down_since, Some(now - minutes(10)));
        let alone = for_sites(&mut conn, &group[..1], now).unwrap();
        assert_eq!((alone.last_failure_at, alone.down_since), (Some(now - minutes(61)), None));
    }

    fn a_real_outage_shows_in_the_stats_while_it_lasts_and_after(db) {
        let server = HttpServer::always(500);
        sw(db, &["site", "add", &server.url("/"), "--name", "api"]).ok();
        for _ in 0..3 {
            check(db, &[]).ok();
        }
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let views = all_views(&mut conn);
        assert_eq!(views.len(), 3);
        let (first, last) = (views[0].checked_at, views[2].checked_at);
        let site = Site::by_slug(&mut conn, "api").unwrap();
        let now = now_utc();
        let stats = for_sites(&mut conn, std::slice::from_ref(&site), now).unwrap();
        let hour = stats.window(Window::Hour).unwrap();
        assert_eq!((hour.outages, hour.downtime), (1, now - first), "an open outage lasts until now");
        assert_eq!((hour.figures.checks, hour.figures.ups, hour.figures.outcomes.get("500")), (3, 0, 3));
        assert_eq!(hour.figures, raw_figures_between(&mut conn, &[site.id], hour.span).unwrap());
        assert_eq!(stats.down_since, Some(first));
        assert_eq!(stats.last_failure_at, Some(last));

        server.respond_with(|_| Reply::Status(200));
        let out = check(db, &[]).ok();
        assert!(out.contains("resolved 1"), "{out}");
        let up = all_views(&mut conn)[3].checked_at;
        let site = Site::by_slug(&mut conn, "api").unwrap();
        let now = now_utc();
        let stats = for_sites(&mut conn, std::slice::from_ref(&site), now).unwrap();
        for window in [Window::TenMinutes, Window::Hour, Window::Year] {
            let w = stats.window(window).unwrap();
            assert_eq!((w.outages, w.downtime), (1, up - first), "{window:?}");
            assert_eq!((w.figures.checks, w.figures.ups), (4, 1), "{window:?}");
        }
        assert_eq!(stats.down_since, None);
        assert_eq!(stats.last_failure_at, Some(last));
    }
}
