//! A traffic run: one thread per log, one recorder thread for the database and the alerts,
//! and Ctrl-C (or SIGTERM) to end a live run cleanly.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::record::{Recorder, RecorderReport};
use super::spec::{LogSpec, RunOptions, TrafficError};
use super::wake::WakeHandle;
use super::watch::{Watch, WatchSummary};
use crate::db::Db;
use crate::settings::Settings;

/// Records waiting for the recorder at most; a log read faster than the database writes waits.
const RECORD_QUEUE: usize = 4_096;

/// How often the main thread looks whether the watches are done.
const CHECK_DONE: Duration = Duration::from_millis(50);

#[derive(Debug)]
pub struct RunSummary {
    pub logs: Vec<WatchSummary>,
    pub recorder: RecorderReport,
    /// Ended by Ctrl-C or SIGTERM.
    pub interrupted: bool,
}

/// Watches `logs` until the end of each (`options.once`) or until interrupted.
pub fn run(
    db: Db,
    settings: Arc<Settings>,
    logs: Vec<LogSpec>,
    options: RunOptions,
) -> Result<RunSummary, TrafficError> {
    if logs.is_empty() {
        return Err(TrafficError::Usage("no access log to watch".into()));
    }
    let (records, received) = sync_channel(RECORD_QUEUE);
    let stop = Arc::new(AtomicBool::new(false));
    let many = logs.len() > 1;
    let mut watches = Vec::with_capacity(logs.len());
    for log in logs {
        let prefix = if many { format!("[{}] ", log.name) } else { String::new() };
        watches.push(Watch::open(log, options.clone(), prefix, Arc::clone(&stop), records.clone())?);
    }
    drop(records);
    let recorder = Recorder::new(db, settings, received)?;
    let recorder = spawn("traffic-recorder", move || recorder.run())?;
    let wakers: Vec<WakeHandle> = watches.iter().map(Watch::wake_handle).collect();
    let mut threads = Vec::with_capacity(watches.len());
    for watch in watches {
        threads.push(spawn("traffic-watch", move || watch.run())?);
    }

    let interrupted = wait(&threads, &stop, &wakers)?;
    let mut summaries = Vec::with_capacity(threads.len());
    let mut first_error = None;
    for thread in threads {
        match thread.join() {
            Ok(Ok(summary)) => summaries.push(summary),
            Ok(Err(error)) => first_error = first_error.or(Some(error)),
            Err(_) => {
                first_error = first_error.or(Some(TrafficError::Failed("a log's watch stopped unexpectedly".into())))
            }
        }
    }
    // Every sender is gone now: the recorder writes what is left, delivers and ends.
    let recorded = recorder
        .join()
        .unwrap_or_else(|_| Err(TrafficError::Failed("the traffic recorder stopped unexpectedly".into())));
    if let Some(error) = first_error {
        return Err(error);
    }
    Ok(RunSummary { logs: summaries, recorder: recorded?, interrupted })
}

fn spawn<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<JoinHandle<T>, TrafficError> {
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(work)
        .map_err(|e| TrafficError::Failed(format!("cannot start a thread: {e}")))
}

/// Waits until every watch is done, or for Ctrl-C / SIGTERM, which stops them; true if interrupted.
fn wait<T>(threads: &[JoinHandle<T>], stop: &AtomicBool, wakers: &[WakeHandle]) -> Result<bool, TrafficError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| TrafficError::Failed(format!("cannot start the async runtime: {e}")))?;
    let interrupted = runtime.block_on(async {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            tokio::select! {
                _ = &mut ctrl_c => return true,
                Some(_) = async { match terminate.as_mut() { Some(s) => s.recv().await, None => None } } => return true,
                _ = tokio::time::sleep(CHECK_DONE) => {
                    if threads.iter().all(JoinHandle::is_finished) {
                        return false;
                    }
                }
            }
        }
    });
    if interrupted {
        stop.store(true, Ordering::Relaxed);
        for waker in wakers {
            waker.wake();
        }
    }
    Ok(interrupted)
}
