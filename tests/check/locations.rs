//! Several locations against one PostgreSQL database: real `check` processes, each leaving from
//! its own loopback address (`check.source_address` 127.0.0.2/.3/.4), probing a server that
//! answers by the caller's address, so each location has its own view of the network.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use sitewatch::checker::{ProbeResult, SiteCheck, record_round};
use sitewatch::db::DbConnection;
use sitewatch::db::models::check_run::CheckRun;
use sitewatch::db::models::site::Site;
use sitewatch::db::schema::{locations, notifications, outages, site_rollups_hourly, site_views};
use sitewatch::domain::time::now_utc;
use sitewatch::settings::Settings;

use crate::check::{notification_events, outages as all_outages};
use crate::harness::http::closed_port;
use crate::harness::{Backend, TestDb, check, sw};

/// A loopback HTTP server answering 500 to the callers in `failing`, 200 to everyone else.
struct ByCaller {
    port: u16,
    failing: Arc<Mutex<HashSet<IpAddr>>>,
}

impl ByCaller {
    fn start() -> ByCaller {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the test server");
        let port = listener.local_addr().unwrap().port();
        let failing: Arc<Mutex<HashSet<IpAddr>>> = Arc::default();
        let shared = Arc::clone(&failing);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let caller = stream.peer_addr().map(|a| a.ip()).ok();
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                        if line == "\r\n" {
                            break;
                        }
                        line.clear();
                    }
                    let fails = caller.is_some_and(|ip| shared.lock().unwrap().contains(&ip));
                    let status = if fails { "500 Internal Server Error" } else { "200 OK" };
                    let _ = write!(stream, "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                });
            }
        });
        ByCaller { port, failing }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The locations (by their last address byte) the site fails for from now on.
    fn fail_for(&self, locations: &[u8]) {
        *self.failing.lock().unwrap() = locations.iter().map(|n| IpAddr::from([127, 0, 0, *n])).collect();
    }
}

/// One location's round of the site: location `name` leaving from 127.0.0.`n`.
fn round_from(db: &TestDb, name: &str, n: u8) -> crate::harness::Outcome {
    check(db, &["--site", "shop"])
        .env("SITEWATCH_LOCATION", name)
        .env("SITEWATCH_CHECK_SOURCE_ADDRESS", &format!("127.0.0.{n}"))
        .run()
}

fn round_ok(db: &TestDb, name: &str, n: u8) -> String {
    let out = round_from(db, name, n);
    assert_eq!(out.code, 0, "location {name}: {out:?}");
    out.stdout
}

fn count(events: &[String], event: &str) -> usize {
    events.iter().filter(|e| *e == event).count()
}

fn open_outages(db: &TestDb) -> usize {
    all_outages(db).iter().filter(|(o, _)| o.resolved_at.is_none()).count()
}

/// Runs `body` on PostgreSQL, or says why it is skipped.
fn on_postgres(body: fn(&TestDb)) {
    match TestDb::create(Backend::Postgres) {
        Some(db) => body(&db),
        None => eprintln!("skipped: several locations need PostgreSQL; set SITEWATCH_TEST_DATABASE_URL"),
    }
}

fn setup(db: &TestDb) -> ByCaller {
    let server = ByCaller::start();
    sw(db, &["site", "add", &server.url(), "--name", "shop"]).ok();
    server
}

const LOCATIONS: [(&str, u8); 3] = [("eu-west", 2), ("us-east", 3), ("ap-south", 4)];

fn every_location(db: &TestDb, times: usize) {
    for _ in 0..times {
        for (name, n) in LOCATIONS {
            round_ok(db, name, n);
        }
    }
}

#[test]
fn one_location_of_three_opens_nothing_two_open_one_outage_and_it_recovers_when_one_sees_it_answer() {
    on_postgres(|db| {
        let server = setup(db);
        server.fail_for(&[2]);
        every_location(db, 4);
        assert!(all_outages(db).is_empty(), "only eu-west sees it down: no outage");
        assert!(notification_events(db).is_empty());

        server.fail_for(&[2, 3]);
        every_location(db, 3);
        let list = all_outages(db);
        assert_eq!(list.len(), 1, "eu-west and us-east: two of three");
        assert!(list[0].0.resolved_at.is_none());
        assert_eq!(notification_events(db), ["outage_opened"], "one alert");

        server.fail_for(&[2]);
        round_ok(db, "us-east", 3);
        let list = all_outages(db);
        assert_eq!(list.len(), 1);
        assert!(list[0].0.resolved_at.is_some(), "us-east sees it answer: one of three is no quorum");
        assert_eq!(notification_events(db), ["outage_opened", "outage_resolved"]);

        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let tagged: Vec<String> = site_views::table.select(site_views::location).distinct().load(&mut *conn).unwrap();
        let tagged: HashSet<String> = tagged.into_iter().collect();
        assert_eq!(tagged, LOCATIONS.iter().map(|(n, _)| (*n).to_owned()).collect(), "each view records its location");
    });
}

#[test]
fn a_stale_location_stops_voting_alerts_once_and_votes_again_when_it_returns() {
    on_postgres(|db| {
        let server = setup(db);
        server.fail_for(&[2, 4]);
        every_location(db, 3);
        assert_eq!(open_outages(db), 1, "eu-west and ap-south see it down");

        // ap-south's last round ages past check.location_stale_secs on the database's clock.
        let handle = db.open();
        let mut conn = handle.conn().unwrap();
        let DbConnection::Postgres(pg) = &mut *conn else { unreachable!() };
        diesel::sql_query(
            "UPDATE locations SET last_round_at = CAST(now() AT TIME ZONE 'UTC' AS timestamp) - interval '20 minutes' \
             WHERE name = 'ap-south'",
        )
        .execute(pg)
        .unwrap();
        round_ok(db, "eu-west", 2);
        assert_eq!(open_outages(db), 0, "without ap-south's vote, one of two live locations is no quorum");
        round_ok(db, "us-east", 3);
        round_ok(db, "eu-west", 2);
        let events = notification_events(db);
        assert_eq!(count(&events, "location_stale"), 1, "{events:?}");
        let stale: bool = locations::table.find("ap-south").select(locations::stale).first(&mut *conn).unwrap();
        assert!(stale);

        round_ok(db, "ap-south", 4);
        let events = notification_events(db);
        assert_eq!(count(&events, "location_back"), 1, "{events:?}");
        assert_eq!(open_outages(db), 1, "ap-south votes again: two of three see it down");
        assert_eq!(count(&events, "outage_opened"), 2);
        assert_eq!(count(&events, "outage_resolved"), 1);
    });
}

#[test]
fn an_offline_round_does_not_vote() {
    on_postgres(|db| {
        let server = setup(db);
        server.fail_for(&[2, 3]);
        every_location(db, 3);
        assert_eq!(open_outages(db), 1);
        let views_before = crate::check::views(db, "shop").len();

        let sandbox = format!("http://127.0.0.1:{}/", closed_port());
        let offline = check(db, &["--site", "shop"])
            .env("SITEWATCH_LOCATION", "us-east")
            .env("SITEWATCH_CHECK_SOURCE_ADDRESS", "127.0.0.3")
            .env("SITEWATCH_CHECK_SANDBOX_URLS", &sandbox)
            .run();
        assert_eq!(offline.code, 3, "{offline:?}");
        assert_eq!(crate::check::views(db, "shop").len(), views_before, "an offline round records nothing");

        round_ok(db, "eu-west", 2);
        assert_eq!(open_outages(db), 0, "us-east is offline: eu-west alone is one of two live locations");
        let events = notification_events(db);
        assert_eq!(count(&events, "location_stale"), 0, "an offline location still reports");
    });
}

#[test]
fn checkers_of_one_location_exclude_each_other_and_other_locations_run() {
    on_postgres(|db| {
        let server = setup(db);
        server.fail_for(&[]);
        // Another checker of eu-west holds its lock (as a running round does, on its own session).
        let handle = db.open();
        let mut holder = handle.conn().unwrap();
        let DbConnection::Postgres(pg) = &mut *holder else { unreachable!() };
        diesel::sql_query("SELECT pg_advisory_lock($1, hashtext($2))")
            .bind::<Integer, _>(0x5357_0004)
            .bind::<Text, _>("eu-west")
            .execute(pg)
            .unwrap();
        let busy = round_from(db, "eu-west", 2);
        assert_eq!(busy.code, 4, "{busy:?}");
        assert!(busy.stderr.contains("eu-west"), "the message names the location: {}", busy.stderr);
        round_ok(db, "us-east", 3);

        // The default location keeps the lock rounds had before there were locations.
        diesel::sql_query("SELECT pg_advisory_lock($1)").bind::<BigInt, _>(0x5357_0002_i64).execute(pg).unwrap();
        let busy = check(db, &["--site", "shop"]).run();
        assert_eq!(busy.code, 4, "{busy:?}");
        round_ok(db, "ap-south", 4);

        diesel::sql_query("SELECT pg_advisory_unlock_all()").execute(pg).unwrap();
        round_ok(db, "eu-west", 2);
        assert_eq!(check(db, &["--site", "shop"]).run().code, 0);
    });
}

#[test]
fn sqlite_holds_one_location_and_refuses_a_second_naming_postgresql() {
    let Some(db) = TestDb::create(Backend::Sqlite) else { return };
    let server = setup(&db);
    server.fail_for(&[]);
    let first = check(&db, &["--site", "shop"]).run();
    assert_eq!(first.code, 0, "{first:?}");
    let runs_before = runs(&db);
    let refused = round_from(&db, "eu-west", 2);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("PostgreSQL") && refused.stderr.contains("location"), "{}", refused.stderr);
    assert_eq!(runs(&db), runs_before, "nothing was written");
    assert_eq!(check(&db, &["--site", "shop"]).run().code, 0, "the one location still checks");
}

fn runs(db: &TestDb) -> i64 {
    let handle = db.open();
    let mut conn = handle.conn().unwrap();
    sitewatch::db::schema::check_runs::table.count().get_result(&mut *conn).unwrap()
}

/// Two locations finishing rounds at the same moment, 100 times: each outage opens once, each
/// alert is queued once and the hourly rollups count every check of both (through the library,
/// to make the pairs truly simultaneous).
#[test]
fn simultaneous_rounds_of_two_locations_never_double_an_outage_or_an_alert() {
    on_postgres(|db| {
        let server = setup(db);
        let handle = db.open();
        let site = {
            let mut conn = handle.conn().unwrap();
            Site::by_slug(&mut conn, "shop").unwrap()
        };
        let settings_for = |name: &str| {
            let mut s = Settings { location: name.to_owned(), ..Settings::default() };
            s.check.failures_before_outage = 1;
            s.check.sandbox_urls.clear();
            Arc::new(s)
        };
        let (a, b) = (settings_for("a"), settings_for("b"));
        drop(server);
        for pair in 0..100 {
            let up = pair % 2 == 1;
            // Both locations check at the same instant: their views differ only by location.
            let checked_at = now_utc();
            let barrier = Arc::new(Barrier::new(2));
            let rounds: Vec<_> = [Arc::clone(&a), Arc::clone(&b)]
                .into_iter()
                .map(|settings| {
                    let (handle, site, barrier) = (handle.clone(), site.clone(), Arc::clone(&barrier));
                    thread::spawn(move || {
                        let mut conn = handle.conn().unwrap();
                        let run = CheckRun::new(now_utc(), "test");
                        run.insert(&mut conn).unwrap();
                        drop(conn);
                        let result = ProbeResult {
                            checked_at,
                            status_code: Some(if up { 200 } else { 500 }),
                            error: None,
                            response_ms: 1,
                            up,
                            ping: None,
                            tls_expires_at: None,
                        };
                        barrier.wait();
                        record_round(&handle, &settings, run.id, &[SiteCheck::new(site, result)]).unwrap();
                    })
                })
                .collect();
            for round in rounds {
                round.join().unwrap();
            }
            let mut conn = handle.conn().unwrap();
            let open: i64 =
                outages::table.filter(outages::resolved_at.is_null()).count().get_result(&mut *conn).unwrap();
            assert_eq!(open, i64::from(!up), "pair {pair}");
        }
        let mut conn = handle.conn().unwrap();
        let total: i64 = outages::table.count().get_result(&mut *conn).unwrap();
        assert_eq!(total, 50, "one outage per failing pair");
        let events: Vec<String> = notifications::table.select(notifications::event).load(&mut *conn).unwrap();
        assert_eq!(count(&events, "outage_opened"), 50);
        assert_eq!(count(&events, "outage_resolved"), 50);
        assert_eq!(events.len(), 100, "{events:?}");
        let views: i64 = site_views::table.count().get_result(&mut *conn).unwrap();
        let rolled_up: Option<i64> =
            site_rollups_hourly::table.select(diesel::dsl::sum(site_rollups_hourly::checks)).first(&mut *conn).unwrap();
        assert_eq!(views, 200, "one view per location per pair");
        assert_eq!(rolled_up, Some(200), "no rollup lost a check to the other location's write");
    });
}
