//! One log's thread: reads new lines (`tail`), feeds the monitor, prints what it finds and
//! hands the database's share to the recorder.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;

use super::alert_state::Change;
use super::console;
use super::interval::Interval;
use super::monitor::{LogState, Monitor, Sink, Totals};
use super::record::Record;
use super::spec::{LogSpec, RunOptions, TrafficError};
use super::tail::{Found, Start, Tailer};
use super::wake::Waker;

/// Printed text is handed to stdout in pieces of about this size (and whenever reading catches up).
const FLUSH_AT: usize = 64 * 1024;

/// What one log's watch read.
#[derive(Debug, Clone)]
pub struct WatchSummary {
    pub log: Arc<LogSpec>,
    pub totals: Totals,
    /// The recorder stopped taking records (its own error says why).
    pub records_lost: bool,
}

/// A log being watched, ready to run on its own thread.
pub struct Watch {
    log: Arc<LogSpec>,
    options: RunOptions,
    /// Put before every printed line (the log's name when several are watched).
    prefix: String,
    tailer: Tailer,
    waker: Waker,
    stop: Arc<AtomicBool>,
    records: SyncSender<Record>,
}

/// The monitor's findings on their way to stdout and the recorder.
struct Output<'a> {
    log: &'a Arc<LogSpec>,
    prefix: &'a str,
    text: String,
    records: &'a SyncSender<Record>,
    records_lost: bool,
}

impl Output<'_> {
    fn send(&mut self, record: Record) {
        // Blocks while the recorder is behind: reading slows down rather than memory growing.
        if self.records.send(record).is_err() {
            self.records_lost = true;
        }
    }

    fn flush(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (a pipe to `head`) must not stop the watch: alerts still go out.
        let _ = stdout.write_all(self.text.as_bytes()).and_then(|()| stdout.flush());
        self.text.clear();
    }
}

impl Sink for Output<'_> {
    fn report(&mut self, interval: &Interval) {
        console::report(&mut self.text, self.prefix, interval);
    }

    fn quiet(&mut self, from: i64, to: i64) {
        console::quiet(&mut self.text, self.prefix, from, to);
    }

    fn alert(&mut self, change: &Change, state: &LogState) {
        console::line(&mut self.text, self.prefix, &console::alert_line(change));
        self.send(Record::Alert(Arc::clone(self.log), *change));
        self.send(Record::State(Arc::clone(self.log), Some(*state)));
    }

    fn minute(&mut self, start: i64, hits: u64, state: &LogState) {
        self.send(Record::Minute(Arc::clone(self.log), start, hits));
        self.send(Record::State(Arc::clone(self.log), Some(*state)));
    }
}

impl Watch {
    /// Opens the log; with `once`, it must exist.
    pub fn open(
        log: LogSpec,
        options: RunOptions,
        prefix: String,
        stop: Arc<AtomicBool>,
        records: SyncSender<Record>,
    ) -> Result<Watch, TrafficError> {
        let read_error =
            |e: std::io::Error| TrafficError::Read { path: log.path.display().to_string(), reason: e.to_string() };
        if options.once && !log.path.exists() {
            return Err(TrafficError::Usage(format!("cannot read {}: there is no such file", log.path.display())));
        }
        let start = if options.from_start { Start::Beginning } else { Start::End };
        let tailer = Tailer::open(&log.path, start).map_err(read_error)?;
        let (waker, problem) = Waker::new(&log.path, options.poll);
        if let Some(problem) = problem.filter(|_| !options.once) {
            eprintln!("sitewatch traffic: {prefix}{problem}");
        }
        if !tailer.is_open() {
            eprintln!("sitewatch traffic: {prefix}{} does not exist yet; waiting for it", log.path.display());
        }
        Ok(Watch { log: Arc::new(log), options, prefix, tailer, waker, stop, records })
    }

    /// Wakes this watch from another thread (to stop it).
    pub fn wake_handle(&self) -> super::wake::WakeHandle {
        self.waker.handle()
    }

    /// Reads until the end (`once`) or until stopped.
    pub fn run(mut self) -> Result<WatchSummary, TrafficError> {
        let mut monitor = Monitor::new(self.options.every_secs, self.log.window_secs, self.log.threshold);
        let mut output = Output {
            log: &self.log,
            prefix: &self.prefix,
            text: String::new(),
            records: &self.records,
            records_lost: false,
        };
        output.send(Record::State(Arc::clone(&self.log), None));
        // Counted from where reading began: the file's own numbers when read from its start.
        let mut line_number = 0u64;
        let path = self.log.path.display().to_string();
        let read_error = |e: std::io::Error| TrafficError::Read { path: path.clone(), reason: e.to_string() };
        loop {
            let more = self
                .tailer
                .read_available(&mut |found| {
                    match found {
                        Found::Line(text) => {
                            line_number += 1;
                            monitor.line(text, line_number, &mut output);
                        }
                        Found::TooLong(start) => {
                            line_number += 1;
                            monitor.too_long(line_number, start);
                        }
                        Found::Rotated => {
                            line_number = 0;
                            let note = format!("note: {path} was rotated; reading the new file from its start");
                            console::line(&mut output.text, output.prefix, &note);
                        }
                        Found::Truncated => {
                            line_number = 0;
                            let note = format!("note: {path} was truncated; reading it again from its start");
                            console::line(&mut output.text, output.prefix, &note);
                        }
                    }
                    if output.text.len() >= FLUSH_AT {
                        output.flush();
                    }
                })
                .map_err(read_error)?;
            output.flush();
            if more {
                continue;
            }
            if self.options.once || self.stop.load(Ordering::Relaxed) {
                break;
            }
            self.waker.wait();
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
        }
        if self.options.once {
            self.tailer.flush_partial(&mut |found| {
                if let Found::Line(text) = found {
                    line_number += 1;
                    monitor.line(text, line_number, &mut output);
                }
            });
            monitor.finish(&mut output);
            let (_, first) = monitor.orphans();
            let summary = console::summary(&monitor.totals(), first);
            console::line(&mut output.text, output.prefix, &summary);
        }
        if monitor.totals().counted > 0 {
            output.send(Record::State(Arc::clone(&self.log), Some(monitor.state())));
        }
        output.flush();
        Ok(WatchSummary { log: Arc::clone(&self.log), totals: monitor.totals(), records_lost: output.records_lost })
    }
}
