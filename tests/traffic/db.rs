//! The traffic rows on both backends: a log's state replaced in place, minutes that only grow
//! and are pruned, and each alert recorded once.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use sitewatch::db::Id;
use sitewatch::db::models::traffic::{TrafficAlert, TrafficLog, TrafficMinute};

use crate::both_backends;

fn at(hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(hour, minute, 0).unwrap()
}

fn alert(log: &str, event: &str, log_time: NaiveDateTime) -> TrafficAlert {
    TrafficAlert {
        id: Id::new(),
        log: log.into(),
        event: event.into(),
        mean: 12.5,
        threshold: 10.0,
        window_secs: 120,
        log_time,
        created_at: at(12, 0),
    }
}

both_backends! {
    fn a_logs_state_is_one_row_replaced_as_it_changes(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let mut row = TrafficLog {
            name: "web".into(),
            path: "/var/log/nginx/access.log".into(),
            threshold: 10.0,
            window_secs: 120,
            mean: 0.0,
            alerting_since: None,
            as_of: None,
            updated_at: at(11, 0),
        };
        row.upsert(&mut conn).unwrap();
        row.mean = 12.25;
        row.alerting_since = Some(at(10, 2));
        row.as_of = Some(at(10, 3));
        row.updated_at = at(11, 1);
        row.upsert(&mut conn).unwrap();
        let other = TrafficLog { name: "api".into(), ..row.clone() };
        other.upsert(&mut conn).unwrap();
        let all = TrafficLog::all(&mut conn).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1], row, "by name, with the latest values");
        assert_eq!(TrafficLog::by_name(&mut conn, "nope").unwrap(), None);
    }

    fn minutes_keep_the_larger_count_and_are_pruned_per_log(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        TrafficMinute::upsert_all(&mut conn, "web", &[(at(10, 0), 300), (at(10, 1), 120)]).unwrap();
        TrafficMinute::upsert_all(&mut conn, "web", &[(at(10, 0), 250), (at(10, 1), 180), (at(10, 2), 60)]).unwrap();
        TrafficMinute::upsert_all(&mut conn, "api", &[(at(10, 0), 7)]).unwrap();
        let read = |conn: &mut sitewatch::db::DbConnection| -> Vec<(u32, i64)> {
            use chrono::Timelike;
            TrafficMinute::between(conn, "web", at(0, 0), at(23, 0))
                .unwrap()
                .iter()
                .map(|m| (m.minute.minute(), m.hits))
                .collect()
        };
        assert_eq!(read(&mut conn), [(0, 300), (1, 180), (2, 60)], "a partial minute never lowers a full one");
        let many: Vec<(NaiveDateTime, i64)> = (0..1_000).map(|i| (at(0, 0) + TimeDelta::minutes(i), i)).collect();
        assert_eq!(TrafficMinute::upsert_all(&mut conn, "bulk", &many).unwrap(), 1_000, "several statements");
        assert_eq!(TrafficMinute::delete_before(&mut conn, "web", at(10, 1)).unwrap(), 1);
        assert_eq!(read(&mut conn), [(1, 180), (2, 60)]);
        assert_eq!(TrafficMinute::between(&mut conn, "api", at(0, 0), at(23, 0)).unwrap().len(), 1, "other logs keep theirs");
    }

    fn an_alert_is_recorded_once_per_log_event_and_second(db) {
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        assert!(alert("web", "traffic_high", at(10, 2)).insert_new(&mut conn).unwrap());
        assert!(!alert("web", "traffic_high", at(10, 2)).insert_new(&mut conn).unwrap(), "the same alert again");
        assert!(alert("web", "traffic_recovered", at(10, 6)).insert_new(&mut conn).unwrap());
        assert!(alert("api", "traffic_high", at(10, 2)).insert_new(&mut conn).unwrap());
        let history = TrafficAlert::recent(&mut conn, "web", 10).unwrap();
        let events: Vec<&str> = history.iter().map(|a| a.event.as_str()).collect();
        assert_eq!(events, ["traffic_recovered", "traffic_high"], "newest first");
        assert_eq!((history[1].mean, history[1].threshold, history[1].window_secs), (12.5, 10.0, 120));
        assert_eq!(TrafficAlert::recent(&mut conn, "web", 1).unwrap().len(), 1);
    }
}
