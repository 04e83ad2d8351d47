//! The 24-hour chart of an access log's hits per minute, drawn on the server as SVG numbers:
//! an area under the hits, the alert threshold (hits per second × 60) as a dashed line, and
//! red ticks where an alert began.

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::models::traffic::TrafficMinute;

pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 180.0;
const TOP: f64 = 10.0;
pub const SPAN: TimeDelta = TimeDelta::hours(24);

pub struct TrafficChart {
    /// `x,y` pairs of the area under the hits (a closed polygon); empty without hits.
    pub area: String,
    /// The y of the threshold line, when it fits under the scale's top.
    pub threshold_y: Option<String>,
    /// x positions of the alerts that began in the span.
    pub alerts: Vec<String>,
    /// The top of the scale, e.g. "2000 hits/min".
    pub max_label: String,
    /// Hits in the span, and the busiest minute's.
    pub hits: i64,
    pub peak: i64,
}

/// Rounds a maximum up to a tidy scale value (1, 2 or 5 times a power of ten).
fn tidy(max: f64) -> f64 {
    let magnitude = 10f64.powf(max.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|v| *v >= max).unwrap_or(max)
}

/// The chart of the minutes in `[until - 24 h, until)`; minutes not stored had no hits.
/// `threshold` is the log's alert threshold in hits per second.
pub fn draw(minutes: &[TrafficMinute], alerts: &[NaiveDateTime], until: NaiveDateTime, threshold: f64) -> TrafficChart {
    let from = until - SPAN;
    let slots = SPAN.num_minutes() as usize;
    let mut hits = vec![0i64; slots];
    for m in minutes {
        let index = (m.minute - from).num_minutes();
        if let Some(slot) = usize::try_from(index).ok().and_then(|i| hits.get_mut(i)) {
            *slot += m.hits.max(0);
        }
    }
    let peak = hits.iter().copied().max().unwrap_or(0);
    let per_minute_threshold = threshold * 60.0;
    // The threshold sets the scale too, unless it dwarfs the traffic: a quiet log then still shows its shape.
    let top =
        if per_minute_threshold <= (peak as f64) * 4.0 { per_minute_threshold.max(peak as f64) } else { peak as f64 };
    let scale = tidy(top);
    let y = |v: f64| HEIGHT - v / scale * (HEIGHT - TOP);
    let x = |i: usize| i as f64 / slots as f64 * WIDTH;
    let area = if peak == 0 {
        String::new()
    } else {
        let mut points = vec![format!("0.0,{HEIGHT:.1}")];
        points.extend(hits.iter().enumerate().map(|(i, h)| format!("{:.1},{:.1}", x(i), y(*h as f64))));
        points.push(format!("{WIDTH:.1},{HEIGHT:.1}"));
        points.join(" ")
    };
    TrafficChart {
        area,
        threshold_y: (per_minute_threshold <= scale).then(|| format!("{:.1}", y(per_minute_threshold))),
        alerts: alerts
            .iter()
            .filter(|t| **t >= from && **t < until)
            .map(|t| format!("{:.1}", (*t - from).num_seconds() as f64 / SPAN.num_seconds() as f64 * WIDTH))
            .collect(),
        max_label: format!("{scale} hits/min"),
        hits: hits.iter().sum(),
        peak,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn minute(at: NaiveDateTime, hits: i64) -> TrafficMinute {
        TrafficMinute { log: "web".into(), minute: at, hits }
    }

    #[test]
    fn minutes_outside_the_day_are_left_out_and_the_scale_is_tidy() {
        let until = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let minutes = [
            minute(until - TimeDelta::hours(25), 9_000),
            minute(until - TimeDelta::minutes(10), 700),
            minute(until - TimeDelta::minutes(1), 300),
            minute(until, 5_000),
        ];
        let chart = draw(&minutes, &[until - TimeDelta::hours(12), until - TimeDelta::hours(30)], until, 10.0);
        assert_eq!((chart.hits, chart.peak), (1_000, 700));
        assert_eq!(chart.max_label, "1000 hits/min", "600 hits/min of threshold and a 700 peak");
        assert_eq!(chart.threshold_y.as_deref(), Some("78.0"), "600 of 1000 on a 170-high scale");
        assert_eq!(chart.alerts, vec!["360.0".to_owned()], "the alert 12 hours ago sits in the middle");
        assert_eq!(chart.area.split(' ').count(), 1_440 + 2);
    }

    #[test]
    fn a_quiet_log_is_not_flattened_by_a_high_threshold_and_no_hits_draws_nothing() {
        let until = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let chart = draw(&[minute(until - TimeDelta::minutes(5), 3)], &[], until, 100.0);
        assert_eq!(chart.max_label, "5 hits/min");
        assert_eq!(chart.threshold_y, None, "6000 hits/min is off the scale");
        let empty = draw(&[], &[], until, 10.0);
        assert!(empty.area.is_empty());
        assert_eq!(empty.peak, 0);
    }
}
