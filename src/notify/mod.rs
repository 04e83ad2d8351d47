//! Alerts: queued in the outbox in the same transaction as the outage change they report, then
//! delivered by e-mail, tweet and webhook, each retried on later rounds until sent.

pub mod outbox;

/// Channel names as stored in `deliveries.channel`.
pub const EMAIL: &str = "email";
pub const TWITTER: &str = "twitter";
pub const WEBHOOK: &str = "webhook";
