//! The one trait every alert channel implements, and the ways a send can end.

use chrono::NaiveDateTime;
use futures_util::future::BoxFuture;

use crate::db::Id;
use crate::domain::alert::Alert;

/// One alert on its way to one target (an e-mail address, the Twitter account, a webhook URL).
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The delivery's id: receivers that see a message twice (after an operator's retry) can
    /// recognise it by this.
    pub delivery: Id,
    pub target: &'a str,
    pub alert: &'a Alert,
}

/// Why a send did not succeed. The variant, not the text, decides what happens next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Not delivered, and the channel cannot be used for now (no connection, login refused,
    /// a server error): the circuit's other deliveries wait for the next round.
    #[error("{0}")]
    Down(String),
    /// Not delivered, for this target only (an address the mail server refuses).
    #[error("{0}")]
    Refused(String),
    /// The service asks us to wait (HTTP 429) until this time (UTC).
    #[error("{message}")]
    RateLimited { until: NaiveDateTime, message: String },
    /// Handed over without an answer: it may have arrived. Never sent again automatically.
    #[error("{0}")]
    Unknown(String),
}

/// An alert channel (Vigil's notifier). Channels only send; the dispatcher owns retries and
/// records every outcome in the outbox.
pub trait Channel: Send + Sync {
    /// The word stored in `deliveries.channel`.
    fn name(&self) -> &'static str;

    /// Deliveries with the same circuit share their fate within a round: once one finds the
    /// channel down, the others wait for the next round instead of each waiting for a timeout.
    fn circuit(&self, _target: &str) -> String {
        self.name().to_owned()
    }

    fn send<'a>(&'a self, outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>>;

    /// Called once after the round's last send (to close a connection kept for reuse).
    fn finish(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// A stand-in for a channel that could not be set up or is no longer configured: every
/// delivery through it fails with the same explanation and is retried on later rounds.
pub struct Unavailable {
    pub name: &'static str,
    pub reason: String,
}

impl Channel for Unavailable {
    fn name(&self) -> &'static str {
        self.name
    }

    fn send<'a>(&'a self, _outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(async move { Err(SendError::Down(self.reason.clone())) })
    }
}
