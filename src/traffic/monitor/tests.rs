use super::*;

/// What a monitor said, in order, as short strings.
#[derive(Default)]
struct Recorded {
    events: Vec<String>,
    minutes: Vec<(i64, u64)>,
}

impl Sink for Recorded {
    fn report(&mut self, i: &Interval) {
        let top: Vec<String> =
            i.top_sections(5).iter().map(|(s, n)| format!("{}={n}", String::from_utf8_lossy(s))).collect();
        self.events.push(format!(
            "report {}..{} hits={} late={} malformed={} top={}",
            i.start,
            i.end,
            i.hits,
            i.late,
            i.malformed,
            top.join(",")
        ));
    }

    fn quiet(&mut self, from: i64, to: i64) {
        self.events.push(format!("quiet {from}..{to}"));
    }

    fn alert(&mut self, change: &Change, state: &LogState) {
        assert_eq!(state.as_of, change.at);
        self.events.push(format!("{:?} at {} mean={}", change.crossing, change.at, change.mean));
    }

    fn minute(&mut self, start: i64, hits: u64, _state: &LogState) {
        self.minutes.push((start, hits));
    }
}

/// A valid line at Unix second `t` for `path`.
fn line(t: i64, path: &str) -> String {
    let day = chrono::DateTime::from_timestamp(t, 0).unwrap();
    format!("10.0.0.1 - - [{}] \"GET {path} HTTP/1.1\" 200 10", day.format("%d/%b/%Y:%H:%M:%S +0000"))
}

fn feed(monitor: &mut Monitor, sink: &mut Recorded, lines: &[String]) {
    for (n, text) in lines.iter().enumerate() {
        monitor.line(text.as_bytes(), n as u64 + 1, sink);
    }
}

const T0: i64 = 1_796_032_800; // 2026-11-30 10:00:00 UTC, a whole minute

#[test]
fn reports_come_per_interval_of_log_time_and_the_alert_before_its_report() {
    let mut monitor = Monitor::new(10, 10, 2.0);
    let mut sink = Recorded::default();
    let mut lines = Vec::new();
    for s in 0..30 {
        let per_second = if (10..20).contains(&s) { 4 } else { 1 };
        for k in 0..per_second {
            lines.push(line(T0 + s, if k % 2 == 0 { "/pages/a" } else { "/api/b" }));
        }
    }
    feed(&mut monitor, &mut sink, &lines);
    assert_eq!(
        sink.events,
        [
            format!("report {}..{} hits=10 late=0 malformed=0 top=/pages=10", T0, T0 + 10),
            format!("High at {} mean=2.2", T0 + 13),
        ],
        "with the newest line at second 29, seconds up to 18 are final"
    );
    monitor.finish(&mut sink);
    // Window 10 s, threshold 2: the mean passes 2 at second 13 (4..=13 holds 6 + 4*4 = 22 hits)
    // and falls to 2 or below at second 26 (16..=25 still holds 4*4 + 6 = 22; 17..=26 holds
    // 4*3 + 7 = 19).
    let t = |s: i64| T0 + s;
    assert_eq!(
        sink.events,
        [
            format!("report {}..{} hits=10 late=0 malformed=0 top=/pages=10", t(0), t(10)),
            format!("High at {} mean=2.2", t(13)),
            format!("report {}..{} hits=40 late=0 malformed=0 top=/api=20,/pages=20", t(10), t(20)),
            format!("Recovered at {} mean=1.9", t(26)),
            format!("report {}..{} hits=10 late=0 malformed=0 top=/pages=10", t(20), t(30)),
        ]
    );
    assert_eq!(sink.minutes, [(T0, 60)], "the last minute, partial, at the end of the replay");
    assert_eq!(monitor.totals(), Totals { lines: 60, counted: 60, malformed: 0, late: 0 });
}

#[test]
fn late_and_malformed_lines_are_counted_where_they_were_read() {
    let mut monitor = Monitor::new(10, 60, 100.0);
    let mut sink = Recorded::default();
    let lines = vec![
        "garbage before anything".to_owned(),
        line(T0 + 5, "/a"),
        line(T0 + 12, "/b"),
        line(T0 + 3, "/c"),    // 9 s behind: counts in the first interval
        line(T0 + 25, "/d"),   // makes T0+14 and before final
        line(T0 + 9, "/late"), // 16 s behind: late
        "10.0.0.1 - - [nonsense] \"GET / HTTP/1.1\" 200 1".to_owned(),
        line(T0 + 95, "/e"),
    ];
    feed(&mut monitor, &mut sink, &lines);
    monitor.finish(&mut sink);
    let t = |s: i64| T0 + s;
    assert_eq!(
        sink.events,
        [
            format!("report {}..{} hits=2 late=0 malformed=1 top=/a=1,/c=1", t(0), t(10)),
            format!("report {}..{} hits=1 late=0 malformed=0 top=/b=1", t(10), t(20)),
            format!("report {}..{} hits=1 late=1 malformed=1 top=/d=1", t(20), t(30)),
            format!("quiet {}..{}", t(30), t(90)),
            format!("report {}..{} hits=1 late=0 malformed=0 top=/e=1", t(90), t(100)),
        ]
    );
    assert_eq!(monitor.totals(), Totals { lines: 8, counted: 5, malformed: 2, late: 1 });
    assert_eq!(sink.minutes, [(T0, 4), (T0 + 60, 1)]);
}

#[test]
fn a_file_without_a_valid_line_keeps_its_malformed_lines_for_the_summary() {
    let mut monitor = Monitor::new(10, 60, 1.0);
    let mut sink = Recorded::default();
    feed(&mut monitor, &mut sink, &["one".to_owned(), "two".to_owned()]);
    monitor.too_long(3, b"xxxx");
    monitor.finish(&mut sink);
    assert!(sink.events.is_empty() && sink.minutes.is_empty());
    let (count, sample) = monitor.orphans();
    assert_eq!(count, 3);
    assert_eq!(sample.map(|s| (s.line_number, s.text.as_str())), Some((1, "one")));
    assert_eq!(monitor.totals().malformed, 3);
}

#[test]
fn a_silence_closes_minutes_and_reports_without_a_line_per_second() {
    let mut monitor = Monitor::new(10, 120, 1000.0);
    let mut sink = Recorded::default();
    let lines = vec![line(T0 + 1, "/a"), line(T0 + 30 * 86_400, "/b")];
    feed(&mut monitor, &mut sink, &lines);
    assert_eq!(sink.events, [format!("report {}..{} hits=1 late=0 malformed=0 top=/a=1", T0, T0 + 10)]);
    assert_eq!(sink.minutes, [(T0, 1)]);
    assert_eq!(monitor.state().mean, 0.0);
    assert_eq!(monitor.state().as_of, T0 + 30 * 86_400 - 11);
}
