//! The one trait every alert channel implements, the hand-over hook it calls before a message
//! leaves, and the ways a send can end.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::db::Id;
use crate::domain::alert::Alert;

/// Records, committed, that a message is about to leave. Channels call it once per send, just
/// before the step that hands the message over (the SMTP payload, the HTTP request): a kill
/// before it leaves the delivery to be sent again; only what follows is "outcome unknown".
pub trait HandOver: Send + Sync {
    /// `Err`: do not hand the message over (another dispatcher has it, it is no longer pending,
    /// or the record could not be written).
    fn hand_over(&self) -> BoxFuture<'_, Result<(), String>>;
}

/// One alert on its way to one target (an e-mail address, a phone number, the Twitter account,
/// a webhook URL).
#[derive(Clone)]
pub struct Outgoing<'a> {
    /// The delivery's id: receivers that see a message twice (after an operator's retry) can
    /// recognise it by this.
    pub delivery: Id,
    pub target: &'a str,
    pub alert: &'a Alert,
    pub handover: Arc<dyn HandOver>,
}

/// Why a send did not succeed. The variant, not the text, decides what happens next (see
/// `retry`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The channel could not be reached at all (no connection, a TLS failure, the channel is
    /// off or misconfigured): nothing was handed over. Not counted as an attempt; the
    /// circuit's other deliveries wait for the next round.
    #[error("{0}")]
    Unreachable(String),
    /// Reached, and it failed or refused for the whole channel (a server error, a login
    /// refused): counted as an attempt; the circuit's other deliveries wait.
    #[error("{0}")]
    Down(String),
    /// Reached, and refused for this target only (an address the mail server refuses):
    /// counted as an attempt, tried again on later rounds.
    #[error("{0}")]
    Refused(String),
    /// Reached, and refused for good (an HTTP 4xx naming what is wrong): failed at once.
    #[error("{0}")]
    Rejected(String),
    /// The service asks us to wait (HTTP 429) until this time (UTC).
    #[error("{message}")]
    RateLimited { until: chrono::NaiveDateTime, message: String },
    /// Handed over without an answer: it may have arrived. Never sent again automatically.
    #[error("{0}")]
    Unknown(String),
}

impl SendError {
    /// Whether the channel as a whole is unusable for now (down, rate-limited, or silent),
    /// sparing its other deliveries a wait this round.
    pub fn trips_circuit(&self) -> bool {
        !matches!(self, SendError::Refused(_) | SendError::Rejected(_))
    }

    /// Whether this says the channel is not working (for "the e-mail channel is down since").
    pub fn channel_down(&self) -> bool {
        matches!(self, SendError::Unreachable(_) | SendError::Down(_))
    }
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

    /// Sends one message, calling `outgoing.handover` once just before handing it over.
    fn send<'a>(&'a self, outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>>;

    /// Called once after the round's last send (to close a connection kept for reuse).
    fn finish(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// A stand-in for a channel that could not be set up or is no longer configured: every
/// delivery through it waits with the same explanation until it is fixed or given up.
pub struct Unavailable {
    pub name: &'static str,
    pub reason: String,
}

impl Channel for Unavailable {
    fn name(&self) -> &'static str {
        self.name
    }

    fn send<'a>(&'a self, _outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(async move { Err(SendError::Unreachable(self.reason.clone())) })
    }
}
