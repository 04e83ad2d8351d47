//! The figures a span of checks adds up to (an hour, a day, a window): counts, response times
//! and outcomes. Pure and mergeable: a day is the sum of its hours.

use chrono::{NaiveDateTime, Timelike};

use super::histogram::Histogram;
use super::outcomes::OutcomeCounts;
use super::ping::PingStats;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub checks: u64,
    pub ups: u64,
    /// Checks that got an answer (an HTTP status, an accepted connection, an echo reply); the
    /// response-time figures cover only these.
    pub responses: u64,
    pub response_ms_sum: u64,
    pub response_ms_min: Option<u32>,
    pub response_ms_max: Option<u32>,
    pub histogram: Histogram,
    pub outcomes: OutcomeCounts,
    pub ping: PingSums,
}

/// Sums of ping checks' figures, enough for a span's loss and mean jitter. Kept in whole
/// numbers (mdev in microseconds) so that any grouping of checks sums to exactly the same.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PingSums {
    pub transmitted: u64,
    pub received: u64,
    /// Ping checks with at least one reply (the ones with an mdev).
    pub jitter_checks: u64,
    pub mdev_us_sum: u64,
}

impl PingSums {
    pub fn add(&mut self, stats: &PingStats) {
        self.transmitted += u64::from(stats.transmitted);
        self.received += u64::from(stats.received);
        if let Some(mdev) = stats.rtt_mdev_ms {
            self.jitter_checks += 1;
            self.mdev_us_sum += micros(mdev);
        }
    }

    pub fn merge(&mut self, other: &PingSums) {
        self.transmitted += other.transmitted;
        self.received += other.received;
        self.jitter_checks += other.jitter_checks;
        self.mdev_us_sum += other.mdev_us_sum;
    }

    /// Share of echo requests lost, in percent; `None` without ping checks.
    pub fn loss_percent(&self) -> Option<f64> {
        (self.transmitted > 0)
            .then(|| self.transmitted.saturating_sub(self.received) as f64 * 100.0 / self.transmitted as f64)
    }

    /// Mean mdev of the ping checks that got replies, in milliseconds.
    pub fn jitter_ms(&self) -> Option<f64> {
        (self.jitter_checks > 0).then(|| self.mdev_us_sum as f64 / self.jitter_checks as f64 / 1000.0)
    }
}

/// Milliseconds (to the microsecond) as whole microseconds.
fn micros(ms: f64) -> u64 {
    (ms * 1000.0).round().max(0.0) as u64
}

impl Figures {
    /// Counts one check.
    pub fn add_check(&mut self, up: bool, status_code: Option<i32>, error: Option<&str>, response_ms: u32) {
        self.checks += 1;
        self.ups += u64::from(up);
        self.outcomes.record(status_code, error);
        if answered(status_code, error) {
            self.responses += 1;
            self.response_ms_sum += u64::from(response_ms);
            self.response_ms_min = Some(self.response_ms_min.map_or(response_ms, |m| m.min(response_ms)));
            self.response_ms_max = Some(self.response_ms_max.map_or(response_ms, |m| m.max(response_ms)));
            self.histogram.record(response_ms);
        }
    }

    pub fn merge(&mut self, other: &Figures) {
        self.checks += other.checks;
        self.ups += other.ups;
        self.responses += other.responses;
        self.response_ms_sum += other.response_ms_sum;
        self.response_ms_min = min_option(self.response_ms_min, other.response_ms_min, u32::min);
        self.response_ms_max = min_option(self.response_ms_max, other.response_ms_max, u32::max);
        self.histogram.merge(&other.histogram);
        self.outcomes.merge(&other.outcomes);
        self.ping.merge(&other.ping);
    }

    /// Share of checks that were up, 0..=1; `None` without checks.
    pub fn availability(&self) -> Option<f64> {
        (self.checks > 0).then(|| self.ups as f64 / self.checks as f64)
    }

    pub fn mean_response_ms(&self) -> Option<f64> {
        (self.responses > 0).then(|| self.response_ms_sum as f64 / self.responses as f64)
    }

    /// Share of ping requests lost, in percent; `None` when the span holds no ping checks.
    pub fn loss_percent(&self) -> Option<f64> {
        self.ping.loss_percent()
    }

    /// Mean ping jitter (mdev), in milliseconds; `None` when no ping check got a reply.
    pub fn jitter_ms(&self) -> Option<f64> {
        self.ping.jitter_ms()
    }
}

/// A check got an answer when it has an HTTP status, or when nothing went wrong (a TCP
/// connection accepted, echo replies). Its response time is then worth counting.
pub fn answered(status_code: Option<i32>, error: Option<&str>) -> bool {
    status_code.is_some() || error.is_none()
}

fn min_option(a: Option<u32>, b: Option<u32>, pick: fn(u32, u32) -> u32) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

/// The start of the hour `t` falls in.
pub fn hour_start(t: NaiveDateTime) -> NaiveDateTime {
    t.date().and_hms_opt(t.hour(), 0, 0).expect("a valid hour")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn checks_add_up_and_failures_without_answers_leave_response_figures_alone() {
        let mut f = Figures::default();
        f.add_check(true, Some(200), None, 120);
        f.add_check(false, Some(500), None, 80);
        f.add_check(false, None, Some("timeout"), 5000);
        assert_eq!((f.checks, f.ups, f.responses), (3, 1, 2));
        assert_eq!((f.response_ms_min, f.response_ms_max), (Some(80), Some(120)));
        assert_eq!(f.mean_response_ms(), Some(100.0));
        assert_eq!(f.outcomes.encode(), "200=1,500=1,timeout=1");
        assert!((f.availability().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn merging_equals_adding_everything_to_one() {
        let (mut a, mut b, mut all) = (Figures::default(), Figures::default(), Figures::default());
        for i in 0..50u32 {
            let (up, code) = if i % 7 == 0 { (false, Some(503)) } else { (true, Some(200)) };
            if i % 2 == 0 {
                a.add_check(up, code, None, i * 3)
            } else {
                b.add_check(up, code, None, i * 3)
            }
            all.add_check(up, code, None, i * 3);
        }
        a.merge(&b);
        assert_eq!(a, all);
        let mut empty = Figures::default();
        empty.merge(&all);
        assert_eq!(empty, all);
    }

    #[test]
    fn tcp_and_ping_answers_count_as_responses() {
        let mut f = Figures::default();
        f.add_check(true, None, None, 3);
        f.add_check(false, Some(200), Some("keyword"), 40);
        f.add_check(false, None, Some("unreachable"), 0);
        assert_eq!((f.checks, f.responses, f.response_ms_sum), (3, 2, 43));
    }

    #[test]
    fn ping_sums_give_loss_and_mean_jitter() {
        use std::time::Duration;

        use crate::domain::ping::EchoReply;
        let reply = |probe, ms: u64| EchoReply { probe, rtt: Duration::from_millis(ms) };
        let mut sums = PingSums::default();
        assert_eq!((sums.loss_percent(), sums.jitter_ms()), (None, None));
        sums.add(&PingStats::from_replies(4, &[reply(0, 1), reply(1, 3), reply(2, 1), reply(3, 3)]));
        sums.add(&PingStats::from_replies(4, &[]));
        assert_eq!((sums.transmitted, sums.received, sums.jitter_checks, sums.mdev_us_sum), (8, 4, 1, 1000));
        assert_eq!(sums.loss_percent(), Some(50.0));
        assert_eq!(sums.jitter_ms(), Some(1.0), "the lost check has no jitter to average");
        let mut other = PingSums::default();
        other.add(&PingStats::from_replies(2, &[reply(0, 2), reply(1, 8)]));
        sums.merge(&other);
        assert_eq!(sums.jitter_ms(), Some(2.0), "(1 + 3) / 2");
    }

    #[test]
    fn hours_start_on_the_hour() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_micro_opt(9, 59, 59, 999_999).unwrap();
        assert_eq!(hour_start(t), NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 0, 0).unwrap());
    }
}
