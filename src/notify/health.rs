//! Which alert channels are down, and since when: recorded by the dispatcher after each
//! circuit's round, read by the web app ("the e-mail channel is down since ...").

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::{EMAIL, SMS, TWITTER, WEBHOOK};
use crate::db::DbConnection;
use crate::db::models::alert_channel::AlertChannel;
use crate::db::models::notification::{Delivery, DeliveryState};

/// A channel (or one webhook) that its latest attempt found down, while alerts wait for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelDown {
    /// As stored in `deliveries.channel`.
    pub channel: String,
    /// "the e-mail channel", "the SMS channel", "the webhook https://hooks.example.com/x".
    pub label: String,
    /// When an attempt first found it down since it last worked (UTC).
    pub since: NaiveDateTime,
    pub error: String,
    /// Deliveries waiting for it.
    pub waiting: usize,
}

impl ChannelDown {
    /// "the e-mail channel is down since 2026-11-21 09:30 UTC: <error>"; `time` formats the
    /// moment in the page's zone.
    pub fn sentence(&self, time: impl Fn(NaiveDateTime) -> String) -> String {
        format!("{} is down since {}: {}", self.label, time(self.since), self.error)
    }
}

/// Every channel found down on its latest attempt that still has deliveries waiting, the
/// longest-down first. A channel nothing waits for is not listed: its state is old news.
pub fn channels_down(conn: &mut DbConnection) -> QueryResult<Vec<ChannelDown>> {
    let down = AlertChannel::down(conn)?;
    if down.is_empty() {
        return Ok(Vec::new());
    }
    let pending = Delivery::in_states(conn, &[DeliveryState::Pending])?;
    let mut listed = Vec::new();
    for row in down {
        let waiting = pending
            .iter()
            .filter(|(d, _)| d.channel == row.channel && row.target.as_ref().is_none_or(|t| *t == d.target))
            .count();
        let Some(since) = row.down_since else { continue };
        if waiting == 0 {
            continue;
        }
        listed.push(ChannelDown {
            label: label(&row.channel, row.target.as_deref()),
            channel: row.channel,
            since,
            error: row.last_error.unwrap_or_default(),
            waiting,
        });
    }
    Ok(listed)
}

/// What the admin pages call a circuit.
pub fn label(channel: &str, target: Option<&str>) -> String {
    match (channel, target) {
        (EMAIL, _) => "the e-mail channel".to_owned(),
        (SMS, _) => "the SMS channel".to_owned(),
        (TWITTER, _) => "the Twitter channel".to_owned(),
        (WEBHOOK, Some(url)) => format!("the webhook {url}"),
        (other, _) => format!("the {other} channel"),
    }
}

/// What a circuit's round showed: down (with the error), working, or nothing new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Down(String),
    Working,
    Nothing,
}

/// Records what one round saw of a circuit.
pub fn record(
    conn: &mut DbConnection,
    circuit: &str,
    channel: &str,
    target: Option<&str>,
    seen: &Seen,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let row = |down_since: Option<NaiveDateTime>, last_error: Option<String>| AlertChannel {
        circuit: circuit.to_owned(),
        channel: channel.to_owned(),
        target: target.map(str::to_owned),
        down_since,
        last_error,
        updated_at: at,
    };
    match seen {
        Seen::Down(error) => AlertChannel::record_down(conn, &row(Some(at), Some(error.clone()))),
        Seen::Working => AlertChannel::record_up(conn, &row(None, None)),
        Seen::Nothing => Ok(()),
    }
}
