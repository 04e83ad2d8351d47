//! On random histories written the way check rounds write them, the figures the stats read from
//! raw views, hourly and daily rollups equal the figures of the raw views alone (ping loss and
//! jitter sums included), and the percentiles are within the histogram's stated error of the
//! exact ones.

use std::cell::{Cell, RefCell};

use chrono::{NaiveDateTime, TimeDelta};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sitewatch::db::models::site_view::{SiteView, ViewPing};
use sitewatch::db::{DbConnection, Id};
use sitewatch::domain::ping::{EchoReply, PingStats};
use sitewatch::domain::window::{Span, Window, plan};
use sitewatch::history::daily::{roll_up_finished_days, rolled_until};
use sitewatch::history::stats::{figures_between, raw_figures_between};

use super::{add_sites, answered_times, at, expected_figures, percentile_error, write_rounds};
use crate::both_backends;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
const MICROS: i64 = 1_000_000;

/// Each case gets its own sites and its own stretch of time, this far after the previous one,
/// so one database serves every case and the daily mark only ever moves forward.
const CASE_STRIDE_DAYS: i64 = 16;

#[derive(Debug, Clone)]
struct Check {
    site: usize,
    /// Microseconds after the start of the case's history.
    offset: i64,
    up: bool,
    status_code: Option<i32>,
    error: Option<&'static str>,
    response_ms: i32,
    /// A ping check's figures: requests sent, and the replies as (request, microseconds).
    ping: Option<(u32, Vec<(u32, u64)>)>,
}

#[derive(Debug, Clone)]
struct History {
    sites: usize,
    /// The stats are asked about the first `queried` sites; the others are noise to leave out.
    queried: usize,
    checks: Vec<Check>,
    rounds: usize,
    /// When the finished days are rolled up (microseconds after the start).
    rolled_at: i64,
    /// Arbitrary spans, as (from, until) microseconds after the start.
    spans: Vec<(i64, i64)>,
    /// Ends of the standard windows.
    nows: Vec<i64>,
}

/// A moment in `0..limit_secs` seconds, in microseconds; often exactly on an hour or a midnight.
fn moment(limit_secs: i64) -> impl Strategy<Value = i64> {
    (0..limit_secs, 0..MICROS, 0u8..10).prop_map(|(secs, micros, snap)| match snap {
        0 | 1 => secs / HOUR * HOUR * MICROS,
        2 => secs / DAY * DAY * MICROS,
        3 => secs * MICROS,
        _ => secs * MICROS + micros,
    })
}

fn outcome() -> impl Strategy<Value = (Option<i32>, Option<&'static str>)> {
    prop_oneof![
        4 => Just((Some(200), None)),
        2 => prop::sample::select(vec![301, 404, 500, 503]).prop_map(|code| (Some(code), None)),
        2 => prop::sample::select(vec!["timeout", "connect", "tls"]).prop_map(|kind| (None, Some(kind))),
    ]
}

/// A quarter of the checks are pings: up to 10 requests, replies (duplicates too) to some.
fn ping() -> impl Strategy<Value = Option<(u32, Vec<(u32, u64)>)>> {
    prop_oneof![
        3 => Just(None),
        1 => (1u32..=10).prop_flat_map(|sent| {
            prop::collection::vec((0..sent, 1u64..2_000_000), 0..12).prop_map(move |replies| Some((sent, replies)))
        }),
    ]
}

fn check(sites: usize, limit_secs: i64) -> impl Strategy<Value = Check> {
    (0..sites, moment(limit_secs), any::<bool>(), outcome(), 0i32..30_000, ping()).prop_map(
        |(site, offset, up, (status_code, error), response_ms, ping)| Check {
            site,
            offset,
            up,
            status_code,
            error,
            response_ms,
            ping,
        },
    )
}

fn ping_columns(ping: &Option<(u32, Vec<(u32, u64)>)>) -> ViewPing {
    let stats = ping.as_ref().map(|(sent, replies)| {
        let replies: Vec<EchoReply> =
            replies.iter().map(|&(probe, us)| EchoReply { probe, rtt: std::time::Duration::from_micros(us) }).collect();
        PingStats::from_replies(*sent, &replies)
    });
    ViewPing::of(stats.as_ref())
}

fn history() -> impl Strategy<Value = History> {
    (3i64..=10, 1usize..=3).prop_flat_map(|(days, sites)| {
        let span_secs = days * DAY;
        // Questions reach a day before the history and two days after it.
        let asked = span_secs + 3 * DAY;
        (
            1..=sites,
            prop::collection::vec(check(sites, span_secs), 1..400),
            1usize..8,
            moment(span_secs + 2 * DAY),
            prop::collection::vec((moment(asked), moment(asked)), 4..8),
            prop::collection::vec(moment(span_secs + 2 * DAY), 2..4),
        )
            .prop_map(move |(queried, checks, rounds, rolled_at, spans, nows)| {
                let spans =
                    spans.into_iter().map(|(a, b)| (a.min(b) - DAY * MICROS, a.max(b) - DAY * MICROS)).collect();
                History { sites, queried, checks, rounds, rolled_at, spans, nows }
            })
    })
}

/// Writes one case's history after `start` and compares the stats with the raw views.
fn check_case(
    conn: &mut DbConnection,
    start: NaiveDateTime,
    h: &History,
    pings_seen: &Cell<u64>,
) -> Result<(), TestCaseError> {
    let sites = add_sites(conn, h.sites);
    let mut views: Vec<SiteView> = h
        .checks
        .iter()
        .map(|c| SiteView {
            site_id: sites[c.site].id,
            checked_at: start + TimeDelta::microseconds(c.offset),
            status_code: c.status_code,
            error: c.error.map(str::to_owned),
            response_ms: c.response_ms,
            up: c.up,
            maintenance: false,
            ping: ping_columns(&c.ping),
        })
        .collect();
    // A site is checked at most once at a time.
    views.sort_by_key(|v| (v.site_id, v.checked_at));
    views.dedup_by_key(|v| (v.site_id, v.checked_at));
    write_rounds(conn, &views, h.rounds);
    roll_up_finished_days(conn, start + TimeDelta::microseconds(h.rolled_at)).unwrap();
    let rolled = rolled_until(conn).unwrap();
    prop_assert!(rolled.days_until.is_some() && rolled.months_until.is_some(), "rolling up leaves marks");

    let queried: Vec<Id> = sites[..h.queried].iter().map(|s| s.id).collect();
    let offset = |us: i64| start + TimeDelta::microseconds(us);
    let mut spans: Vec<Span> = h.spans.iter().map(|&(a, b)| Span::new(offset(a), offset(b))).collect();
    for &now in &h.nows {
        spans.extend(Window::ALL.iter().map(|w| w.span(offset(now))));
    }
    for span in spans {
        for ids in [&queried[..], &queried[..1]] {
            let composite = figures_between(conn, ids, span, rolled).unwrap();
            let raw = raw_figures_between(conn, ids, span).unwrap();
            let expected = expected_figures(&views, ids, span);
            prop_assert_eq!(&raw, &expected, "raw views over {:?}", span);
            prop_assert_eq!(&composite, &raw, "over {:?}, read as {:?}", span, plan(span, rolled));
            pings_seen.set(pings_seen.get() + composite.ping.transmitted);
            if let Some(why) = percentile_error(&composite, &answered_times(&views, ids, span)) {
                return Err(TestCaseError::fail(format!("over {span:?}: {why}")));
            }
        }
    }
    Ok(())
}

both_backends! {
    fn stats_from_rollups_equal_stats_from_raw_views(db) {
        let handle = db.open();
        let conn = RefCell::new(handle.conn().unwrap());
        let case = Cell::new(0i64);
        let pings_seen = Cell::new(0u64);
        let config = Config { cases: 16, max_shrink_iters: 200, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new(config);
        let first = at(2025, 1, 6, 0, 0, 0);
        let outcome = runner.run(&history(), |h| {
            let n = case.replace(case.get() + 1);
            let start = first + TimeDelta::days(n * CASE_STRIDE_DAYS);
            check_case(&mut conn.borrow_mut(), start, &h, &pings_seen)
        });
        if let Err(error) = outcome {
            panic!("{error}");
        }
        assert!(case.get() >= 16, "every case ran");
        assert!(pings_seen.get() > 0, "some windows held ping checks");
    }
}
