//! The figures a span of checks adds up to (an hour, a day, a window): counts, response times
//! and outcomes. Pure and mergeable: a day is the sum of its hours.

use chrono::{NaiveDateTime, Timelike};

use super::histogram::Histogram;
use super::outcomes::OutcomeCounts;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub checks: u64,
    pub ups: u64,
    /// Checks that got an HTTP answer; the response-time figures cover only these.
    pub responses: u64,
    pub response_ms_sum: u64,
    pub response_ms_min: Option<u32>,
    pub response_ms_max: Option<u32>,
    pub histogram: Histogram,
    pub outcomes: OutcomeCounts,
}

impl Figures {
    /// Counts one check.
    pub fn add_check(&mut self, up: bool, status_code: Option<i32>, error: Option<&str>, response_ms: u32) {
        self.checks += 1;
        self.ups += u64::from(up);
        self.outcomes.record(status_code, error);
        if status_code.is_some() {
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
    }

    /// Share of checks that were up, 0..=1; `None` without checks.
    pub fn availability(&self) -> Option<f64> {
        (self.checks > 0).then(|| self.ups as f64 / self.checks as f64)
    }

    pub fn mean_response_ms(&self) -> Option<f64> {
        (self.responses > 0).then(|| self.response_ms_sum as f64 / self.responses as f64)
    }
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
    fn hours_start_on_the_hour() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_micro_opt(9, 59, 59, 999_999).unwrap();
        assert_eq!(hour_start(t), NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 0, 0).unwrap());
    }
}
