//! Alerts: queued in the outbox in the same transaction as the outage change they report,
//! then delivered by e-mail, SMS, tweet and webhook, each retried on later rounds until sent.
//!
//! `outbox` queues; `dispatch` delivers and owns retries (its header states the delivery
//! guarantee); `retry` is the policy; `health` says which channels are down; `email`, `sms`,
//! `twitter` and `webhook` are the channels behind the one `channel::Channel` trait; `message`
//! puts an alert into words.

pub mod channel;
mod dispatch;
pub mod email;
pub mod health;
mod http;
pub mod message;
pub(crate) mod outage_sites;
pub mod outbox;
mod report;
pub mod retry;
pub mod sms;
pub mod twitter;
pub mod webhook;

pub use dispatch::{DeliverOptions, ROUND_BUDGET, SEND_CEILING, deliver, deliver_pending};
pub use report::{DeliveryReport, DeliveryResult, Outcome};

/// Channel names as stored in `deliveries.channel`.
pub const EMAIL: &str = "email";
pub const TWITTER: &str = "twitter";
pub const WEBHOOK: &str = "webhook";
pub const SMS: &str = "sms";
