//! What a delivery phase did, for the check round's warning line and `sitewatch notify test`.

use crate::db::Id;
use crate::db::models::notification::DeliveryState;
use crate::db::models::outbox::AttemptResult;

/// Where one delivery stands after this round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Not sent; tried again next round. The error says why.
    Retrying(String),
    /// Rate-limited; tried again once the reset time has passed.
    Deferred(String),
    /// Given up and kept for people to see.
    Failed(String),
    /// The round's budget ran out first; untouched, it waits for the next round.
    NotAttempted,
}

impl Outcome {
    /// The outcome a stored attempt result stands for.
    pub fn of(result: &AttemptResult) -> Outcome {
        let error = result.last_error.clone().unwrap_or_default();
        match DeliveryState::parse(&result.state) {
            Some(DeliveryState::Sent) => Outcome::Sent,
            Some(DeliveryState::Failed) | None => Outcome::Failed(error),
            // Only a rate limit leaves a pending delivery with a time to wait for.
            Some(DeliveryState::Pending) if result.not_before.is_some() => Outcome::Deferred(error),
            Some(DeliveryState::Pending) => Outcome::Retrying(error),
        }
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            Outcome::Retrying(e) | Outcome::Deferred(e) | Outcome::Failed(e) => Some(e),
            Outcome::Sent | Outcome::NotAttempted => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryResult {
    pub delivery: Id,
    pub channel: String,
    pub target: String,
    pub event: String,
    pub outcome: Outcome,
}

impl DeliveryResult {
    /// "email to ops@example.com", "sms to +447700900123", "twitter",
    /// "webhook https://hooks.example.com/x".
    pub fn recipient(&self) -> String {
        match self.channel.as_str() {
            super::EMAIL => format!("email to {}", self.target),
            super::SMS => format!("sms to {}", self.target),
            super::WEBHOOK => format!("webhook {}", self.target),
            _ => self.channel.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    /// Failed this round, tried again next round.
    pub retrying: usize,
    /// Waiting for a rate limit to reset.
    pub deferred: usize,
    /// Given up this round (limits reached, outcome unknown, or abandoned by a crashed round).
    pub failed: usize,
    /// Left untouched because the round's budget ran out.
    pub not_attempted: usize,
    /// Deliveries still pending in the outbox after this round.
    pub pending: i64,
    /// Every delivery this round attempted or skipped, in no particular order across channels.
    pub results: Vec<DeliveryResult>,
    /// Deliveries settled without an attempt: abandoned sends, day-old ones, unreadable alerts.
    pub settled: Vec<DeliveryResult>,
    /// Why the phase stopped early (the database), if it did.
    pub error: Option<String>,
}

impl DeliveryReport {
    pub(super) fn tally(&mut self) {
        let (mut sent, mut retrying, mut deferred, mut failed, mut not_attempted) = (0, 0, 0, 0, 0);
        for result in self.results.iter().chain(&self.settled) {
            match result.outcome {
                Outcome::Sent => sent += 1,
                Outcome::Retrying(_) => retrying += 1,
                Outcome::Deferred(_) => deferred += 1,
                Outcome::Failed(_) => failed += 1,
                Outcome::NotAttempted => not_attempted += 1,
            }
        }
        (self.sent, self.retrying, self.deferred, self.failed, self.not_attempted) =
            (sent, retrying, deferred, failed, not_attempted);
    }

    /// One line for stderr when something did not go out, else `None`.
    pub fn warning(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.failed > 0 {
            parts.push(format!("{} failed for good", self.failed));
        }
        if self.retrying > 0 {
            parts.push(format!("{} will be retried next round", self.retrying));
        }
        if self.deferred > 0 {
            parts.push(format!("{} wait for a rate limit", self.deferred));
        }
        if self.not_attempted > 0 {
            parts.push(format!("{} left for the next round (time budget spent)", self.not_attempted));
        }
        if parts.is_empty() && self.error.is_none() {
            return None;
        }
        let mut line = format!("alerts: {} sent", self.sent);
        for part in parts {
            line.push_str(", ");
            line.push_str(&part);
        }
        let first =
            self.results.iter().chain(&self.settled).find_map(|r| r.outcome.error().map(|e| (r.recipient(), e)));
        if let Some((who, error)) = first {
            line.push_str(&format!("; {who}: {error}"));
        }
        if let Some(error) = &self.error {
            line.push_str(&format!("; delivery stopped: {error}"));
        }
        line.push_str(" (see `sitewatch notify list`)");
        Some(line.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(outcome: Outcome) -> DeliveryResult {
        DeliveryResult {
            delivery: Id::new(),
            channel: "email".into(),
            target: "ops@example.com".into(),
            event: "outage_opened".into(),
            outcome,
        }
    }

    #[test]
    fn a_clean_round_has_no_warning() {
        let mut report = DeliveryReport { results: vec![result(Outcome::Sent)], ..DeliveryReport::default() };
        report.tally();
        assert_eq!(report.sent, 1);
        assert_eq!(report.warning(), None);
    }

    #[test]
    fn the_warning_is_one_line_with_the_first_problem() {
        let mut report = DeliveryReport {
            results: vec![
                result(Outcome::Sent),
                result(Outcome::Retrying("SMTP server 127.0.0.1:25:\ncannot connect".into())),
                result(Outcome::Failed("gave up".into())),
            ],
            ..DeliveryReport::default()
        };
        report.tally();
        let line = report.warning().unwrap();
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("alerts: 1 sent, 1 failed for good, 1 will be retried next round;"), "{line}");
        assert!(line.contains("email to ops@example.com: SMTP server 127.0.0.1:25: cannot connect"), "{line}");
    }
}
