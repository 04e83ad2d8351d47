//! The round's writer: takes checks as their probes finish and stores them in batches while
//! other probes still run, then decides the round once the last check is in (see `record`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use super::record::{self, Recorded, Stored};
use super::site_check::SiteCheck;
use crate::db::{Db, DbError, Id};
use crate::settings::Settings;

/// How long the writer gathers checks after the first one of a batch arrives: long enough to
/// make batches of hundreds when probes finish together, short enough to keep the round going.
const GATHER: Duration = Duration::from_millis(50);
/// The most checks in one batch.
const BATCH_MAX: usize = 2_000;

/// Where finished checks go. Dropping every sender (the round is done probing) makes the
/// writer store the last checks together with the round's decision.
pub(super) struct Writer {
    pub checks: Sender<SiteCheck>,
    task: JoinHandle<Result<Written, DbError>>,
}

/// What the writer did.
pub(super) struct Written {
    pub recorded: Recorded,
    /// Time spent in write transactions, the batches and the decision together.
    pub writing: Duration,
    pub batches: usize,
}

impl Writer {
    /// Starts the writer on the blocking pool with a connection of its own; `runs_before` are
    /// this location's runs of failures as the round found them.
    pub fn start(db: Db, settings: Arc<Settings>, run_id: Id, runs_before: HashMap<Id, u32>) -> Writer {
        let (checks, received) = channel();
        let task = tokio::task::spawn_blocking(move || write(&db, &settings, run_id, runs_before, &received));
        Writer { checks, task }
    }

    /// Waits for the decision; call after the probes are done (dropping the senders).
    pub async fn finish(self) -> Result<Result<Written, DbError>, tokio::task::JoinError> {
        let Writer { checks, task } = self;
        drop(checks);
        task.await
    }
}

fn write(
    db: &Db,
    settings: &Settings,
    run_id: Id,
    runs_before: HashMap<Id, u32>,
    received: &Receiver<SiteCheck>,
) -> Result<Written, DbError> {
    let mut conn = db.conn()?;
    let mut stored = Stored { runs_before, ..Stored::default() };
    let mut batch = Vec::new();
    // Each pass waits for a first check, gathers more for a moment, and stores them; when the
    // probes are done the checks in hand go in with the decision.
    while let Ok(first) = received.recv() {
        batch.push(first);
        let until = Instant::now() + GATHER;
        let mut done = false;
        while batch.len() < BATCH_MAX {
            match received.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(check) => batch.push(check),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    done = true;
                    break;
                }
            }
        }
        if done {
            break;
        }
        record::store_batch(&mut conn, settings, &mut stored, std::mem::take(&mut batch))?;
    }
    let batches = stored.batches + 1;
    let started = Instant::now();
    let before = stored.writing;
    let recorded = record::finish_round(&mut conn, settings, run_id, stored, batch)?;
    Ok(Written { recorded, writing: before + started.elapsed(), batches })
}
