//! When a certificate's coming expiry is worth an alert: each threshold (days left) once per
//! certificate, the lowest one when a round crosses several, and afresh after a renewal.

use chrono::{NaiveDateTime, TimeDelta};

/// Whole days left before `expires_at` (negative once it has passed).
pub fn days_left(expires_at: NaiveDateTime, now: NaiveDateTime) -> i64 {
    (expires_at - now).num_seconds().div_euclid(TimeDelta::days(1).num_seconds())
}

/// The thresholds of a certificate that have alerted already, stored as `21,14`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertedDays(Vec<u32>);

impl AlertedDays {
    /// Reads the stored form; anything unreadable is skipped (at worst an alert repeats).
    pub fn decode(text: &str) -> AlertedDays {
        let mut days: Vec<u32> = text.split(',').filter_map(|d| d.trim().parse().ok()).collect();
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        AlertedDays(days)
    }

    pub fn encode(&self) -> String {
        self.0.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
    }

    pub fn contains(&self, days: u32) -> bool {
        self.0.contains(&days)
    }
}

/// An alert to send: the threshold crossed and the days left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryAlert {
    pub threshold_days: u32,
    pub days_left: i64,
}

/// What a check's certificate means for the stored state: the thresholds alerted for it now,
/// and the alert to send, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiryDecision {
    pub alerted: AlertedDays,
    pub alert: Option<ExpiryAlert>,
}

/// Decides on the certificate seen now (`expires_at`), given the one stored before and the
/// thresholds already alerted for it. A certificate that expires later than the stored one is
/// a renewal: its thresholds start afresh. An expired certificate alerts nothing here (the
/// check fails instead).
pub fn decide(
    previous: Option<NaiveDateTime>,
    alerted: &AlertedDays,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
    thresholds: &[u32],
) -> ExpiryDecision {
    let mut alerted = match previous {
        Some(before) if expires_at <= before => alerted.clone(),
        _ => AlertedDays::default(),
    };
    let left = days_left(expires_at, now);
    if left < 0 {
        return ExpiryDecision { alerted, alert: None };
    }
    let crossed: Vec<u32> = thresholds.iter().copied().filter(|&t| left <= i64::from(t)).collect();
    let fresh: Vec<u32> = crossed.iter().copied().filter(|&t| !alerted.contains(t)).collect();
    let alert = fresh.iter().copied().min().map(|threshold_days| ExpiryAlert { threshold_days, days_left: left });
    if alert.is_some() {
        // Every threshold crossed counts as said: one alert, for the lowest.
        alerted = AlertedDays::decode(&format!("{},{}", alerted.encode(), encode_list(&crossed)));
    }
    ExpiryDecision { alerted, alert }
}

fn encode_list(days: &[u32]) -> String {
    days.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    const RULE: [u32; 3] = [21, 14, 7];

    fn day(n: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_opt(12, 0, 0).unwrap() + TimeDelta::days(n)
    }

    /// Runs daily checks of one certificate from day 0 to `until`, returning the alerts.
    fn daily(expires: NaiveDateTime, until: i64) -> Vec<(i64, u32)> {
        let (mut stored, mut alerted) = (None, AlertedDays::default());
        let mut alerts = Vec::new();
        for d in 0..=until {
            let decision = decide(stored, &alerted, expires, day(d), &RULE);
            if let Some(a) = decision.alert {
                alerts.push((a.days_left, a.threshold_days));
            }
            stored = Some(expires);
            alerted = decision.alerted;
        }
        alerts
    }

    #[test]
    fn days_left_are_whole_days_rounded_down() {
        assert_eq!(days_left(day(30), day(0)), 30);
        assert_eq!(days_left(day(30) - TimeDelta::seconds(1), day(0)), 29);
        assert_eq!(days_left(day(0) - TimeDelta::seconds(1), day(0)), -1);
    }

    #[test]
    fn each_threshold_alerts_once_as_the_days_run_out() {
        assert_eq!(daily(day(30), 40), [(21, 21), (14, 14), (7, 7)]);
    }

    #[test]
    fn crossing_several_at_once_alerts_once_for_the_lowest() {
        // First seen with 5 days left: 21, 14 and 7 are all crossed.
        assert_eq!(daily(day(5), 10), [(5, 7)]);
        // First seen with 20 days left: 21 now, then 14 and 7 in their turn.
        assert_eq!(daily(day(20), 25), [(20, 21), (14, 14), (7, 7)]);
        assert!(daily(day(60), 10).is_empty(), "far from expiry: nothing");
    }

    #[test]
    fn a_renewed_certificate_starts_afresh() {
        let old = decide(None, &AlertedDays::default(), day(5), day(0), &RULE);
        assert_eq!(old.alert.map(|a| a.threshold_days), Some(7));
        let again = decide(Some(day(5)), &old.alerted, day(5), day(1), &RULE);
        assert_eq!(again.alert, None, "the same certificate does not alert twice");
        let renewed = decide(Some(day(5)), &again.alerted, day(91), day(1), &RULE);
        assert_eq!(renewed.alert, None);
        assert_eq!(renewed.alerted, AlertedDays::default());
        let near = decide(Some(day(10)), &AlertedDays::decode("21,14,7"), day(12), day(0), &RULE);
        assert_eq!(near.alert.map(|a| a.threshold_days), Some(14), "a later expiry is a new certificate");
    }

    #[test]
    fn expired_certificates_alert_nothing_and_no_thresholds_mean_no_alerts() {
        assert_eq!(decide(None, &AlertedDays::default(), day(-1), day(0), &RULE).alert, None);
        assert_eq!(decide(None, &AlertedDays::default(), day(1), day(0), &[]).alert, None);
    }

    #[test]
    fn alerted_days_round_trip() {
        assert_eq!(AlertedDays::decode("7,21,14,7").encode(), "21,14,7");
        assert_eq!(AlertedDays::decode("").encode(), "");
        assert_eq!(AlertedDays::decode("x,3").encode(), "3");
    }
}
