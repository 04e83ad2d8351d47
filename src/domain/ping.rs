//! A ping check's figures, counted as iputils' `ping` counts them: loss over distinct replies,
//! round-trip times over every reply (duplicates too), mdev the standard deviation of those.

use std::time::Duration;

/// How many echo requests one ping check sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PingProbes(u32);

pub const MAX_PING_PROBES: u32 = 100;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("probes must be between 1 and {MAX_PING_PROBES} (got {0})")]
pub struct PingProbesError(pub i64);

impl PingProbes {
    pub fn new(count: i64) -> Result<PingProbes, PingProbesError> {
        match u32::try_from(count) {
            Ok(n) if (1..=MAX_PING_PROBES).contains(&n) => Ok(PingProbes(n)),
            _ => Err(PingProbesError(count)),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// One echo reply: which request it answers (0-based) and how long after it was sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EchoReply {
    pub probe: u32,
    pub rtt: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PingStats {
    pub transmitted: u32,
    /// Requests answered at least once.
    pub received: u32,
    /// Replies beyond the first to the same request.
    pub duplicates: u32,
    pub loss_percent: f64,
    /// Round-trip figures in milliseconds (to the microsecond); `None` without any reply.
    pub rtt_min_ms: Option<f64>,
    pub rtt_avg_ms: Option<f64>,
    pub rtt_max_ms: Option<f64>,
    pub rtt_mdev_ms: Option<f64>,
}

impl PingStats {
    /// The figures of `transmitted` requests and the replies that came back, in any order.
    pub fn from_replies(transmitted: u32, replies: &[EchoReply]) -> PingStats {
        let mut answered = vec![false; transmitted as usize];
        let (mut received, mut duplicates) = (0u32, 0u32);
        for reply in replies {
            match answered.get_mut(reply.probe as usize) {
                Some(seen) if *seen => duplicates += 1,
                Some(seen) => {
                    *seen = true;
                    received += 1;
                }
                None => {}
            }
        }
        let counted: Vec<f64> =
            replies.iter().filter(|r| (r.probe as usize) < answered.len()).map(|r| r.rtt.as_micros() as f64).collect();
        let loss_percent =
            if transmitted == 0 { 0.0 } else { f64::from(transmitted - received) * 100.0 / f64::from(transmitted) };
        let (min, avg, max, mdev) = if counted.is_empty() {
            (None, None, None, None)
        } else {
            let n = counted.len() as f64;
            let mean = counted.iter().sum::<f64>() / n;
            let mean_square = counted.iter().map(|t| t * t).sum::<f64>() / n;
            let mdev = (mean_square - mean * mean).max(0.0).sqrt();
            let min = counted.iter().copied().fold(f64::INFINITY, f64::min);
            let max = counted.iter().copied().fold(0.0, f64::max);
            (Some(min), Some(mean), Some(max), Some(mdev))
        };
        let ms = |us: Option<f64>| us.map(|v| (v.round()) / 1000.0);
        PingStats {
            transmitted,
            received,
            duplicates,
            loss_percent,
            rtt_min_ms: ms(min),
            rtt_avg_ms: ms(avg),
            rtt_max_ms: ms(max),
            rtt_mdev_ms: ms(mdev),
        }
    }

    /// Figures as stored (counts and times), with the loss worked out again; `None` unless
    /// the counts are there (checks that were not pings).
    pub fn from_stored(
        counts: (Option<i32>, Option<i32>, Option<i32>),
        rtt_ms: (Option<f64>, Option<f64>, Option<f64>, Option<f64>),
    ) -> Option<PingStats> {
        let count = |v: Option<i32>| v.map(|n| n.max(0) as u32);
        let (transmitted, received, duplicates) = (count(counts.0)?, count(counts.1)?, count(counts.2)?);
        let loss_percent = if transmitted == 0 {
            0.0
        } else {
            f64::from(transmitted.saturating_sub(received)) * 100.0 / f64::from(transmitted)
        };
        Some(PingStats {
            transmitted,
            received,
            duplicates,
            loss_percent,
            rtt_min_ms: rtt_ms.0,
            rtt_avg_ms: rtt_ms.1,
            rtt_max_ms: rtt_ms.2,
            rtt_mdev_ms: rtt_ms.3,
        })
    }

    /// Up while fewer than `down_loss_percent` % of the requests went unanswered.
    pub fn is_up(&self, down_loss_percent: u32) -> bool {
        self.transmitted > 0 && self.loss_percent < f64::from(down_loss_percent)
    }

    /// The view's response time: the mean round trip, in whole milliseconds.
    pub fn response_ms(&self) -> u32 {
        self.rtt_avg_ms.map_or(0, |avg| avg.round().clamp(0.0, f64::from(u32::MAX)) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(probe: u32, ms: f64) -> EchoReply {
        EchoReply { probe, rtt: Duration::from_secs_f64(ms / 1000.0) }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn every_request_answered_once() {
        let s = PingStats::from_replies(4, &[reply(0, 1.0), reply(1, 2.0), reply(2, 3.0), reply(3, 4.0)]);
        assert_eq!((s.transmitted, s.received, s.duplicates), (4, 4, 0));
        assert_eq!(s.loss_percent, 0.0);
        assert!(close(s.rtt_min_ms, 1.0) && close(s.rtt_avg_ms, 2.5) && close(s.rtt_max_ms, 4.0));
        // mean of squares 7.5, square of the mean 6.25: sqrt(1.25) = 1.118 (to the microsecond)
        assert!(close(s.rtt_mdev_ms, 1.118), "{:?}", s.rtt_mdev_ms);
        assert!(s.is_up(100));
        assert_eq!(s.response_ms(), 3, "2.5 ms rounds to 3");
    }

    #[test]
    fn duplicates_count_in_the_times_but_not_as_received() {
        // Request 0 answered twice (1 ms, then 5 ms), request 2 lost.
        let s = PingStats::from_replies(4, &[reply(0, 1.0), reply(1, 2.0), reply(0, 5.0), reply(3, 4.0)]);
        assert_eq!((s.received, s.duplicates), (3, 1));
        assert_eq!(s.loss_percent, 25.0);
        assert!(close(s.rtt_min_ms, 1.0) && close(s.rtt_max_ms, 5.0));
        assert!(close(s.rtt_avg_ms, 3.0), "(1 + 2 + 5 + 4) / 4");
        // mean of squares (1 + 4 + 25 + 16) / 4 = 11.5; 11.5 - 9 = 2.5; sqrt = 1.581
        assert!(close(s.rtt_mdev_ms, 1.581), "{:?}", s.rtt_mdev_ms);
    }

    #[test]
    fn a_duplicate_does_not_make_up_for_a_lost_request() {
        let s = PingStats::from_replies(2, &[reply(0, 1.0), reply(0, 1.0), reply(0, 1.0)]);
        assert_eq!((s.received, s.duplicates), (1, 2));
        assert_eq!(s.loss_percent, 50.0);
        assert!(close(s.rtt_mdev_ms, 0.0), "equal times have no spread");
    }

    #[test]
    fn no_reply_is_all_loss_and_no_times() {
        let s = PingStats::from_replies(4, &[]);
        assert_eq!((s.received, s.duplicates, s.loss_percent), (0, 0, 100.0));
        assert_eq!((s.rtt_min_ms, s.rtt_avg_ms, s.rtt_max_ms, s.rtt_mdev_ms), (None, None, None, None));
        assert!(!s.is_up(100));
        assert_eq!(s.response_ms(), 0);
    }

    #[test]
    fn replies_to_requests_never_sent_are_ignored() {
        let s = PingStats::from_replies(1, &[reply(0, 2.0), reply(7, 9.0)]);
        assert_eq!((s.received, s.duplicates), (1, 0));
        assert!(close(s.rtt_max_ms, 2.0));
    }

    #[test]
    fn the_loss_threshold_decides_up() {
        let half = PingStats::from_replies(4, &[reply(0, 1.0), reply(1, 1.0)]);
        assert!(half.is_up(100));
        assert!(half.is_up(51));
        assert!(!half.is_up(50), "50 % lost is down when 50 % is the threshold");
        assert!(!PingStats::from_replies(0, &[]).is_up(100), "nothing sent is never up");
    }

    #[test]
    fn microsecond_times_keep_their_precision() {
        let s = PingStats::from_replies(2, &[reply(0, 0.043), reply(1, 0.051)]);
        assert!(close(s.rtt_min_ms, 0.043) && close(s.rtt_avg_ms, 0.047) && close(s.rtt_mdev_ms, 0.004));
    }

    #[test]
    fn stored_figures_read_back_with_their_loss() {
        let s = PingStats::from_replies(4, &[reply(0, 1.0), reply(1, 2.0), reply(1, 2.0)]);
        let stored = (Some(4), Some(2), Some(1));
        let times = (s.rtt_min_ms, s.rtt_avg_ms, s.rtt_max_ms, s.rtt_mdev_ms);
        assert_eq!(PingStats::from_stored(stored, times), Some(s));
        assert_eq!(PingStats::from_stored((None, None, None), (None, None, None, None)), None);
    }

    #[test]
    fn probe_counts_are_bounded() {
        assert_eq!(PingProbes::new(4).unwrap().get(), 4);
        assert_eq!(PingProbes::new(0), Err(PingProbesError(0)));
        assert_eq!(PingProbes::new(101), Err(PingProbesError(101)));
        assert_eq!(PingProbes::new(-1), Err(PingProbesError(-1)));
    }
}
