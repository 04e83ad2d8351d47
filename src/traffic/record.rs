//! The recorder: one thread that writes what the watched logs report into the database, in
//! batches, and delivers the alerts it queued.
//!
//! Each alert is recorded in `traffic_alerts` and queued in the outbox (every channel, global
//! recipients) in one transaction, then delivered through `notify::deliver_pending`. A write
//! that fails is kept and tried again, so nothing found is lost while the database is away.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use chrono::TimeDelta;

use super::alert_state::{Change, Crossing};
use super::console::utc;
use super::monitor::LogState;
use super::spec::{LogSpec, TrafficError};
use crate::db::models::traffic::{TrafficAlert, TrafficLog, TrafficMinute};
use crate::db::{Db, DbConnection, DbError, Id, write_transaction};
use crate::domain::alert::{Alert, AlertDetail, Event};
use crate::domain::time::now_utc;
use crate::notify::{self, outbox};
use crate::settings::Settings;

/// Minutes are kept this far behind a log's newest minute.
pub const MINUTES_KEPT: TimeDelta = TimeDelta::hours(48);

/// Records per batch at most.
const BATCH: usize = 10_000;

/// Minutes and states wait at most this long to be written; alerts are written at once.
const WRITE_EVERY: Duration = Duration::from_millis(500);

/// After a failed write, the next try waits this long.
const RETRY_AFTER: Duration = Duration::from_secs(5);

/// While deliveries stay pending (a channel is down), they are tried again this often.
const DELIVER_AGAIN: Duration = Duration::from_secs(60);

/// At the end of a run, a failing database gets this many more tries.
const FINAL_TRIES: u32 = 3;

/// What a watched log reports for the database.
#[derive(Debug, Clone)]
pub enum Record {
    /// The log's current state (`None` before its first line).
    State(Arc<LogSpec>, Option<LogState>),
    Minute(Arc<LogSpec>, i64, u64),
    Alert(Arc<LogSpec>, Change),
}

/// What the recorder did over the run.
#[derive(Debug, Clone, Default)]
pub struct RecorderReport {
    pub alerts_recorded: usize,
    pub deliveries_sent: usize,
}

#[derive(Default)]
struct Pending {
    states: HashMap<String, (Arc<LogSpec>, Option<LogState>)>,
    minutes: HashMap<String, BTreeMap<i64, u64>>,
    alerts: Vec<(Arc<LogSpec>, Change)>,
}

impl Pending {
    fn add(&mut self, record: Record) {
        match record {
            Record::State(log, state) => {
                self.states.insert(log.name.clone(), (log, state));
            }
            Record::Minute(log, start, hits) => {
                let count = self.minutes.entry(log.name.clone()).or_default().entry(start).or_default();
                *count = (*count).max(hits);
            }
            Record::Alert(log, change) => self.alerts.push((log, change)),
        }
    }

    fn is_empty(&self) -> bool {
        self.states.is_empty() && self.minutes.is_empty() && self.alerts.is_empty()
    }
}

pub struct Recorder {
    db: Db,
    settings: Arc<Settings>,
    records: Receiver<Record>,
    runtime: tokio::runtime::Runtime,
}

impl Recorder {
    pub fn new(db: Db, settings: Arc<Settings>, records: Receiver<Record>) -> Result<Recorder, TrafficError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| TrafficError::Failed(format!("cannot start the async runtime: {e}")))?;
        Ok(Recorder { db, settings, records, runtime })
    }

    /// Runs until every sender is gone, then writes what is left and delivers.
    pub fn run(self) -> Result<RecorderReport, TrafficError> {
        let mut report = RecorderReport::default();
        let mut pending = Pending::default();
        let mut last_write = Instant::now();
        let mut failing_since: Option<Instant> = None;
        let mut deliver_again: Option<Instant> = None;
        loop {
            let open = match self.records.recv_timeout(WRITE_EVERY) {
                Ok(record) => {
                    pending.add(record);
                    let mut taken = 1;
                    while taken < BATCH
                        && let Ok(record) = self.records.try_recv()
                    {
                        pending.add(record);
                        taken += 1;
                    }
                    true
                }
                Err(RecvTimeoutError::Timeout) => true,
                Err(RecvTimeoutError::Disconnected) => false,
            };
            if !open {
                break;
            }
            let due = !pending.alerts.is_empty() || last_write.elapsed() >= WRITE_EVERY;
            let retry_wait = failing_since.is_some_and(|since| since.elapsed() < RETRY_AFTER);
            if !pending.is_empty() && due && !retry_wait {
                last_write = Instant::now();
                match self.write(&mut pending) {
                    Ok(queued) => {
                        if failing_since.take().is_some() {
                            eprintln!("sitewatch traffic: the database is back; what was held has been recorded");
                        }
                        report.alerts_recorded += queued;
                        if queued > 0 {
                            deliver_again = self.deliver(&mut report);
                        }
                    }
                    Err(error) => {
                        if failing_since.is_none() {
                            eprintln!(
                                "sitewatch traffic: warning: {error}; holding what the logs report and trying again"
                            );
                        }
                        failing_since = Some(Instant::now());
                    }
                }
            }
            if deliver_again.is_some_and(|at| Instant::now() >= at) {
                deliver_again = self.deliver(&mut report);
            }
        }
        self.finish(pending, report)
    }

    /// The senders are gone: write what is left (with a few tries) and deliver.
    fn finish(&self, mut pending: Pending, mut report: RecorderReport) -> Result<RecorderReport, TrafficError> {
        let mut tries = 0;
        while !pending.is_empty() {
            match self.write(&mut pending) {
                Ok(queued) => report.alerts_recorded += queued,
                Err(error) if tries < FINAL_TRIES => {
                    tries += 1;
                    eprintln!("sitewatch traffic: warning: {error}; trying again");
                    std::thread::sleep(Duration::from_secs(1));
                }
                Err(error) => return Err(TrafficError::Record(error.to_string())),
            }
        }
        if report.alerts_recorded > 0 {
            self.deliver(&mut report);
        }
        Ok(report)
    }

    /// Sends what the outbox holds; returns when to try again if some deliveries stay pending.
    fn deliver(&self, report: &mut RecorderReport) -> Option<Instant> {
        let delivery = self.runtime.block_on(notify::deliver_pending(&self.db, &self.settings));
        report.deliveries_sent += delivery.sent;
        if let Some(warning) = delivery.warning() {
            eprintln!("sitewatch traffic: warning: {warning}");
        }
        (delivery.pending > 0).then(|| Instant::now() + DELIVER_AGAIN)
    }

    /// Writes `pending` in one transaction and empties it; returns how many alerts it queued.
    fn write(&self, pending: &mut Pending) -> Result<usize, DbError> {
        let mut conn = self.db.conn()?;
        let queued = write_transaction(&mut conn, |c| write_pending(c, &self.settings, pending))?;
        *pending = Pending::default();
        Ok(queued)
    }
}

fn write_pending(conn: &mut DbConnection, settings: &Settings, pending: &Pending) -> Result<usize, DbError> {
    for (log, minutes) in &pending.minutes {
        let rows: Vec<_> = minutes.iter().map(|(start, hits)| (utc(*start), *hits as i64)).collect();
        TrafficMinute::upsert_all(conn, log, &rows)?;
        if let Some((newest, _)) = rows.last() {
            TrafficMinute::delete_before(conn, log, *newest - MINUTES_KEPT)?;
        }
    }
    let now = now_utc();
    for (log, state) in pending.states.values() {
        let row = TrafficLog {
            name: log.name.clone(),
            path: log.path.display().to_string(),
            threshold: log.threshold,
            window_secs: log.window_secs as i32,
            mean: state.map_or(0.0, |s| s.mean),
            alerting_since: state.and_then(|s| s.alerting_since).map(utc),
            as_of: state.map(|s| utc(s.as_of)),
            updated_at: now,
        };
        row.upsert(conn)?;
    }
    let mut queued = 0;
    for (log, change) in &pending.alerts {
        let event = match change.crossing {
            Crossing::High => Event::TrafficHigh,
            Crossing::Recovered => Event::TrafficRecovered,
        };
        let row = TrafficAlert {
            id: Id::new(),
            log: log.name.clone(),
            event: event.as_str().to_owned(),
            mean: change.mean,
            threshold: log.threshold,
            window_secs: log.window_secs as i32,
            log_time: utc(change.at),
            created_at: now,
        };
        // Recorded already (a replay of the same log): neither recorded nor sent again.
        if !row.insert_new(conn)? {
            continue;
        }
        outbox::queue(conn, settings, &alert(log, event, change, now))?;
        queued += 1;
    }
    Ok(queued)
}

/// The outbox alert: no sites (so only the global recipients hear of it), the traffic detail.
pub fn alert(log: &LogSpec, event: Event, change: &Change, now: chrono::NaiveDateTime) -> Alert {
    Alert {
        event,
        outage: None,
        sites: Vec::new(),
        still_down: Vec::new(),
        created_at: now,
        detail: Some(AlertDetail::Traffic {
            log: log.name.clone(),
            mean_hits_per_sec: change.mean,
            threshold: log.threshold,
            window_secs: log.window_secs,
            at: utc(change.at),
        }),
    }
}
