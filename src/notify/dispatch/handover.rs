//! The dispatcher's side of the hand-over: the committed mark a channel asks for just before a
//! message leaves, and what the attempt learns from it afterwards.

use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use futures_util::future::BoxFuture;

use crate::db::models::notification::Delivery;
use crate::db::{Db, Id};
use crate::domain::time::now_utc;
use crate::notify::channel::HandOver;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Mark {
    /// Nothing asked yet: the message never left.
    NotAsked,
    /// The mark is being written (or its writer was abandoned mid-write by a timeout): it may
    /// be committed, so the attempt counts it as made.
    Writing(NaiveDateTime),
    /// Committed: from here on the message may have left.
    Made(NaiveDateTime),
    /// Another dispatcher handed it over first, or it is no longer pending: not ours to record.
    Taken,
    /// The mark could not be written: the message did not leave.
    Failed(String),
}

/// Marks one delivery as handed over, once, when its channel asks.
pub(super) struct DbHandOver {
    db: Db,
    delivery: Id,
    /// Shared with the blocking write, which finishes it even if the send was abandoned.
    mark: Arc<Mutex<Mark>>,
}

impl DbHandOver {
    pub(super) fn new(db: &Db, delivery: Id) -> DbHandOver {
        DbHandOver { db: db.clone(), delivery, mark: Arc::new(Mutex::new(Mark::NotAsked)) }
    }

    pub(super) fn mark(&self) -> Mark {
        self.mark.lock().expect("the hand-over mark is never poisoned").clone()
    }
}

impl HandOver for DbHandOver {
    fn hand_over(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let at = now_utc();
            {
                let mut mark = self.mark.lock().expect("the hand-over mark is never poisoned");
                if *mark != Mark::NotAsked {
                    return Err("this send has already handed its message over once".into());
                }
                *mark = Mark::Writing(at);
            }
            let (db, id, mark) = (self.db.clone(), self.delivery, Arc::clone(&self.mark));
            let written = tokio::task::spawn_blocking(move || {
                let outcome = db
                    .conn()
                    .map_err(|e| e.to_string())
                    .and_then(|mut c| Delivery::hand_over(&mut c, id, at).map_err(|e| format!("database error: {e}")));
                let next = match &outcome {
                    Ok(true) => Mark::Made(at),
                    Ok(false) => Mark::Taken,
                    Err(error) => Mark::Failed(error.clone()),
                };
                *mark.lock().expect("the hand-over mark is never poisoned") = next;
                outcome
            })
            .await
            .map_err(|e| format!("the hand-over worker stopped: {e}"))?;
            match written {
                Ok(true) => Ok(()),
                Ok(false) => Err("another dispatcher is sending it, or it is no longer pending".into()),
                Err(error) => Err(format!("cannot record the hand-over: {error}")),
            }
        })
    }
}
