//! Waits for a followed log to change: file-system events (inotify on Linux, through the
//! `notify` crate) wake the reader at once, and a poll interval wakes it anyway, for file
//! systems where events never arrive (NFS, some bind mounts) and in case one was missed.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

use ::notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// Wakes a waiting reader from another thread (to stop it).
#[derive(Clone)]
pub struct WakeHandle(SyncSender<()>);

impl WakeHandle {
    pub fn wake(&self) {
        nudge(&self.0);
    }
}

/// A wake is a wake: one pending is enough, so the channel holds one and drops the rest.
fn nudge(sender: &SyncSender<()>) {
    match sender.try_send(()) {
        Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
    }
}

pub struct Waker {
    receiver: Receiver<()>,
    sender: SyncSender<()>,
    poll: Duration,
    /// Kept alive for its events; `None` when events could not be set up (polling only).
    _watcher: Option<RecommendedWatcher>,
}

impl Waker {
    /// Watches the folder holding `path` (so a re-created file is seen too). When events
    /// cannot be had, says why in the second value and relies on polling every `poll`.
    pub fn new(path: &Path, poll: Duration) -> (Waker, Option<String>) {
        let (sender, receiver) = sync_channel(1);
        let (watcher, problem) = match watch(path, sender.clone()) {
            Ok(watcher) => (Some(watcher), None),
            Err(error) => (None, Some(error)),
        };
        (Waker { receiver, sender, poll, _watcher: watcher }, problem)
    }

    /// Without file-system events: wakes every `poll` (or on `WakeHandle::wake`) only.
    pub fn polling(poll: Duration) -> Waker {
        let (sender, receiver) = sync_channel(1);
        Waker { receiver, sender, poll, _watcher: None }
    }

    pub fn handle(&self) -> WakeHandle {
        WakeHandle(self.sender.clone())
    }

    /// Returns after an event about the file, a `WakeHandle::wake`, or the poll interval.
    pub fn wait(&self) {
        let _ = self.receiver.recv_timeout(self.poll);
        // Events that arrived meanwhile are covered by the read that follows.
        while self.receiver.try_recv().is_ok() {}
    }
}

fn watch(path: &Path, sender: SyncSender<()>) -> Result<RecommendedWatcher, String> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_owned());
    let mut watcher = ::notify::recommended_watcher(move |event: ::notify::Result<::notify::Event>| {
        let relevant = match &event {
            // Other files of the folder (other logs being written) are no reason to wake.
            Ok(event) => {
                !matches!(event.kind, EventKind::Access(_))
                    && (event.paths.is_empty() || event.paths.iter().any(|p| p.file_name() == name.as_deref()))
            }
            Err(_) => true,
        };
        if relevant {
            nudge(&sender);
        }
    })
    .map_err(|e| format!("file-system events are not available ({e}); checking the log every poll interval"))?;
    watcher.watch(&folder, RecursiveMode::NonRecursive).map_err(|e| {
        format!("cannot watch {} for changes ({e}); checking the log every poll interval", folder.display())
    })?;
    Ok(watcher)
}
