//! One log's watch without I/O: lines go in; interval reports, alert changes and per-minute
//! counts come out through a `Sink`, in log-time order.

use std::collections::VecDeque;

use super::alert_state::{AlertState, Change, Crossing, Step};
use super::interval::{Interval, Sample};
use super::line::Parser;

/// Where a monitor's findings go (the console and the database, or a test's lists).
pub trait Sink {
    /// An interval is over: every line that can still count in it has been read.
    fn report(&mut self, interval: &Interval);
    /// No line at all in `from..to` (whole intervals), between two reports.
    fn quiet(&mut self, from: i64, to: i64);
    /// The mean crossed the threshold.
    fn alert(&mut self, change: &Change, state: &LogState);
    /// A minute of log time with hits is over (or, at the end of a replay, the last one read).
    fn minute(&mut self, start: i64, hits: u64, state: &LogState);
}

/// The alert's state as of a log second: what a page showing "now" needs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LogState {
    pub mean: f64,
    pub alerting_since: Option<i64>,
    /// The log second the mean is as of.
    pub as_of: i64,
}

/// Lines read, and what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub lines: u64,
    pub counted: u64,
    pub malformed: u64,
    pub late: u64,
}

pub struct Monitor {
    parser: Parser,
    alert: AlertState,
    books: Books,
}

/// Everything but the alert state, so the alert's steps can update it while the alert is borrowed.
struct Books {
    every: i64,
    /// Intervals not reported yet, by start.
    open: VecDeque<Interval>,
    spare: Vec<Interval>,
    /// Malformed lines read before the first valid one gave an interval to count them in.
    orphans: u64,
    orphan_sample: Option<Sample>,
    reported_until: Option<i64>,
    minute: Option<(i64, u64)>,
    state: LogState,
    totals: Totals,
}

impl Monitor {
    /// Reports every `every_secs`; the alert takes the mean over `window_secs`.
    pub fn new(every_secs: u32, window_secs: u32, threshold: f64) -> Monitor {
        Monitor {
            parser: Parser::default(),
            alert: AlertState::new(window_secs, threshold),
            books: Books {
                every: i64::from(every_secs.max(1)),
                open: VecDeque::new(),
                spare: Vec::new(),
                orphans: 0,
                orphan_sample: None,
                reported_until: None,
                minute: None,
                state: LogState::default(),
                totals: Totals::default(),
            },
        }
    }

    /// Reads one line (without its line end); `line_number` is 1-based, for samples.
    pub fn line(&mut self, text: &[u8], line_number: u64, sink: &mut impl Sink) {
        let books = &mut self.books;
        books.totals.lines += 1;
        match self.parser.parse(text) {
            Ok(line) => {
                if self.alert.hit(line.time, &mut |step| books.step(step, sink)) {
                    books.totals.counted += 1;
                    books.interval_for(line.time).add(&line);
                } else {
                    books.totals.late += 1;
                    let newest = self.alert.newest().expect("a late line comes after a newer one");
                    books.interval_for(newest).late += 1;
                }
            }
            Err(error) => self.uncounted(|| Sample::new(line_number, error.describe(), text)),
        }
    }

    /// Counts a line too long to read as malformed (the reader skipped it).
    pub fn too_long(&mut self, line_number: u64, start: &[u8]) {
        self.books.totals.lines += 1;
        self.uncounted(|| Sample::new(line_number, "longer than the longest line read; skipped", start));
    }

    fn uncounted(&mut self, sample: impl FnOnce() -> Sample) {
        let books = &mut self.books;
        books.totals.malformed += 1;
        match self.alert.newest() {
            Some(newest) => books.interval_for(newest).add_malformed(sample),
            None => {
                books.orphans += 1;
                if books.orphan_sample.is_none() {
                    books.orphan_sample = Some(sample());
                }
            }
        }
    }

    /// The end of a replay: evaluates every second read, then reports what is left, including
    /// the last (partial) interval and minute.
    pub fn finish(&mut self, sink: &mut impl Sink) {
        let books = &mut self.books;
        self.alert.finish(&mut |step| books.step(step, sink));
        books.finalize(i64::MAX, sink);
        books.flush_minute(sink);
    }

    pub fn totals(&self) -> Totals {
        self.books.totals
    }

    pub fn state(&self) -> LogState {
        self.books.state
    }

    /// Malformed lines read before any valid line, with the first of them (a file with no
    /// valid line at all reports nothing else).
    pub fn orphans(&self) -> (u64, Option<&Sample>) {
        (self.books.orphans, self.books.orphan_sample.as_ref())
    }
}

impl Books {
    fn step(&mut self, step: Step, sink: &mut impl Sink) {
        match step {
            Step::Changed(change) => {
                self.state.mean = change.mean;
                self.state.as_of = change.at;
                self.state.alerting_since = match change.crossing {
                    Crossing::High => Some(change.at),
                    Crossing::Recovered => None,
                };
                sink.alert(&change, &self.state);
            }
            Step::Second { second, hits, mean } => {
                self.state.mean = mean;
                self.state.as_of = second;
                let minute = second - second.rem_euclid(60);
                match &mut self.minute {
                    Some((start, count)) if *start == minute => *count += u64::from(hits),
                    _ => {
                        self.flush_minute(sink);
                        self.minute = Some((minute, u64::from(hits)));
                    }
                }
                if (second + 1).rem_euclid(60) == 0 {
                    self.flush_minute(sink);
                }
                self.finalize(second + 1, sink);
            }
            Step::Quiet { from: _, to } => {
                self.state.mean = 0.0;
                self.state.as_of = to - 1;
                if self.minute.is_some_and(|(start, _)| start + 60 <= to) {
                    self.flush_minute(sink);
                }
                self.finalize(to, sink);
            }
        }
    }

    /// Hands over the current minute if it had hits (a minute without is not worth a row).
    fn flush_minute(&mut self, sink: &mut impl Sink) {
        if let Some((start, hits)) = self.minute.take()
            && hits > 0
        {
            sink.minute(start, hits, &self.state);
        }
    }

    /// Reports, in order, every open interval that ends at or before `boundary`.
    fn finalize(&mut self, boundary: i64, sink: &mut impl Sink) {
        while self.open.front().is_some_and(|i| i.end <= boundary) {
            let interval = self.open.pop_front().expect("checked above");
            if let Some(until) = self.reported_until
                && interval.start > until
            {
                sink.quiet(until, interval.start);
            }
            sink.report(&interval);
            self.reported_until = Some(interval.end);
            if self.spare.len() < 4 {
                self.spare.push(interval);
            }
        }
    }

    /// The open interval holding second `t`, made if needed.
    fn interval_for(&mut self, t: i64) -> &mut Interval {
        let start = t - t.rem_euclid(self.every);
        let at = match self.open.iter().rposition(|i| i.start <= start) {
            Some(i) if self.open[i].start == start => return &mut self.open[i],
            Some(i) => i + 1,
            None => 0,
        };
        let mut interval = self.spare.pop().unwrap_or_default();
        interval.reset(start, start + self.every);
        if self.orphans > 0 || self.orphan_sample.is_some() {
            interval.absorb_uncounted(std::mem::take(&mut self.orphans), self.orphan_sample.take(), 0);
        }
        self.open.insert(at, interval);
        &mut self.open[at]
    }
}

#[cfg(test)]
mod tests;
