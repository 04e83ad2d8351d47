//! Response-time charts drawn on the server as SVG numbers, so the page needs no script: per
//! hour (or day), a band from the median to the 99th percentile, lines for the median and the
//! 95th percentile, and red ticks under periods with failed checks. Ping sites get a round-trip
//! chart instead: the mean, a band from the fastest to the slowest check, and loss marks.

use chrono::NaiveDateTime;

use crate::history::series::{Point, Step};

pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 180.0;
const TOP: f64 = 10.0;

pub struct Chart {
    /// `x,y` pairs of the area between p50 and p99 (a closed polygon), one per unbroken run.
    pub bands: Vec<String>,
    /// `x,y` pairs of the median and 95th-percentile lines, one per unbroken run.
    pub p50: Vec<String>,
    pub p95: Vec<String>,
    /// x positions of periods with at least one failed check.
    pub downs: Vec<String>,
    /// The top of the scale, e.g. "1000 ms".
    pub max_label: String,
    pub periods: usize,
    pub checks: u64,
    /// Ping charts: (x, bottom y) of a bar hanging from the top, as long as the period's loss.
    pub losses: Vec<(String, String)>,
    /// Whether there is a line to draw: two periods with answers at least.
    pub enough: bool,
}

/// Rounds a maximum up to a tidy scale value (1, 2 or 5 times a power of ten).
fn tidy(max: f64) -> f64 {
    let magnitude = 10f64.powf(max.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|v| *v >= max).unwrap_or(max)
}

struct Sample {
    x: f64,
    p50: f64,
    p95: f64,
    p99: f64,
}

pub fn draw(points: &[Point], from: NaiveDateTime, until: NaiveDateTime, step: Step) -> Chart {
    let span = (until - from).num_seconds().max(1) as f64;
    // Each period is drawn at its middle.
    let x = |t: NaiveDateTime| {
        let middle = t + step.length() / 2;
        ((middle - from).num_seconds() as f64 / span * WIDTH).clamp(0.0, WIDTH)
    };
    let samples: Vec<(NaiveDateTime, Sample)> = points
        .iter()
        .filter_map(|(start, f)| {
            let q = |p| f.histogram.quantile(p);
            Some((*start, Sample { x: x(*start), p50: q(0.50)?, p95: q(0.95)?, p99: q(0.99)? }))
        })
        .collect();
    let scale = tidy(samples.iter().map(|(_, s)| s.p99).fold(0.0, f64::max));
    let y = |ms: f64| HEIGHT - ms / scale * (HEIGHT - TOP);
    let pair = |x: f64, ms: f64| format!("{x:.1},{:.1}", y(ms));

    let mut runs: Vec<Vec<&Sample>> = Vec::new();
    let mut previous: Option<NaiveDateTime> = None;
    for (start, sample) in &samples {
        match (previous, runs.last_mut()) {
            (Some(p), Some(run)) if *start - p == step.length() => run.push(sample),
            _ => runs.push(vec![sample]),
        }
        previous = Some(*start);
    }
    let line = |run: &[&Sample], pick: fn(&Sample) -> f64| {
        run.iter().map(|s| pair(s.x, pick(s))).collect::<Vec<_>>().join(" ")
    };
    Chart {
        bands: runs
            .iter()
            .map(|run| {
                let upper = run.iter().map(|s| pair(s.x, s.p99));
                let lower = run.iter().rev().map(|s| pair(s.x, s.p50));
                upper.chain(lower).collect::<Vec<_>>().join(" ")
            })
            .collect(),
        p50: runs.iter().map(|run| line(run, |s| s.p50)).collect(),
        p95: runs.iter().map(|run| line(run, |s| s.p95)).collect(),
        downs: points.iter().filter(|(_, f)| f.ups < f.checks).map(|(start, _)| format!("{:.1}", x(*start))).collect(),
        max_label: format!("{scale} ms"),
        periods: points.len(),
        checks: points.iter().map(|(_, f)| f.checks).sum(),
        losses: Vec::new(),
        enough: samples.len() >= 2,
    }
}

/// Height of a 100 % loss bar.
const LOSS_BAR: f64 = 40.0;

/// A ping site's chart: per period the mean round trip (the line) and a band from the fastest
/// to the slowest check's mean round trip; bars from the top show the share of echo requests lost.
pub fn draw_ping(points: &[Point], from: NaiveDateTime, until: NaiveDateTime, step: Step) -> Chart {
    let span = (until - from).num_seconds().max(1) as f64;
    let x = |t: NaiveDateTime| {
        let middle = t + step.length() / 2;
        ((middle - from).num_seconds() as f64 / span * WIDTH).clamp(0.0, WIDTH)
    };
    // (start, x, min, mean, max) of the periods with replies.
    let samples: Vec<(NaiveDateTime, f64, f64, f64, f64)> = points
        .iter()
        .filter_map(|(start, f)| {
            let mean = f.mean_response_ms()?;
            let min = f64::from(f.response_ms_min?);
            let max = f64::from(f.response_ms_max?);
            Some((*start, x(*start), min, mean, max))
        })
        .collect();
    let scale = tidy(samples.iter().map(|s| s.4).fold(0.0, f64::max));
    let y = |ms: f64| HEIGHT - ms / scale * (HEIGHT - TOP);
    let pair = |x: f64, ms: f64| format!("{x:.1},{:.1}", y(ms));
    let mut runs: Vec<Vec<(f64, f64, f64, f64)>> = Vec::new();
    let mut previous: Option<NaiveDateTime> = None;
    for &(start, x, min, mean, max) in &samples {
        match (previous, runs.last_mut()) {
            (Some(p), Some(run)) if start - p == step.length() => run.push((x, min, mean, max)),
            _ => runs.push(vec![(x, min, mean, max)]),
        }
        previous = Some(start);
    }
    Chart {
        bands: runs
            .iter()
            .map(|run| {
                let upper = run.iter().map(|s| pair(s.0, s.3));
                let lower = run.iter().rev().map(|s| pair(s.0, s.1));
                upper.chain(lower).collect::<Vec<_>>().join(" ")
            })
            .collect(),
        p50: runs.iter().map(|run| run.iter().map(|s| pair(s.0, s.2)).collect::<Vec<_>>().join(" ")).collect(),
        p95: Vec::new(),
        downs: Vec::new(),
        losses: points
            .iter()
            .filter_map(|(start, f)| {
                let loss = f.loss_percent().filter(|l| *l > 0.0)?;
                // Even a small loss gets a bar that can be seen.
                let length = (loss / 100.0 * LOSS_BAR).max(4.0);
                Some((format!("{:.1}", x(*start)), format!("{:.1}", TOP + length)))
            })
            .collect(),
        max_label: format!("{scale} ms"),
        periods: points.len(),
        checks: points.iter().map(|(_, f)| f.checks).sum(),
        enough: samples.len() >= 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rollup::Figures;
    use chrono::{NaiveDate, TimeDelta};

    #[test]
    fn scales_are_tidy() {
        assert_eq!(tidy(830.0), 1000.0);
        assert_eq!(tidy(120.0), 200.0);
        assert_eq!(tidy(0.0), 1.0);
        assert_eq!(tidy(4.0), 5.0);
    }

    #[test]
    fn gaps_split_the_lines_and_failures_get_ticks() {
        let from = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let figures = |ms: u32, up: bool| {
            let mut f = Figures::default();
            f.add_check(up, Some(if up { 200 } else { 500 }), None, ms);
            f
        };
        let points = vec![
            (from, figures(100, true)),
            (from + TimeDelta::hours(1), figures(300, false)),
            (from + TimeDelta::hours(5), figures(800, true)),
        ];
        let chart = draw(&points, from, from + TimeDelta::hours(24), Step::Hour);
        assert_eq!(chart.p50.len(), 2, "the missing hours break the line");
        assert_eq!(chart.bands.len(), 2);
        assert_eq!(chart.downs.len(), 1);
        assert_eq!(chart.max_label, "1000 ms");
        assert_eq!((chart.periods, chart.checks), (3, 3));
        assert!(chart.enough);
        assert!(!draw(&points[..1], from, from + TimeDelta::hours(24), Step::Hour).enough, "one point draws no line");
    }

    #[test]
    fn ping_charts_band_the_round_trips_and_mark_the_losses() {
        let from = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let ping = |rtts: &[u32], transmitted: u32, received: u32| {
            let mut f = Figures::default();
            for &ms in rtts {
                f.add_check(received > 0, None, None, ms);
            }
            f.ping.transmitted = u64::from(transmitted);
            f.ping.received = u64::from(received);
            f
        };
        let points = vec![
            (from, ping(&[10, 30], 8, 8)),
            (from + TimeDelta::hours(1), ping(&[20, 40], 8, 6)),
            (from + TimeDelta::hours(2), ping(&[], 4, 0)),
        ];
        let chart = draw_ping(&points, from, from + TimeDelta::hours(24), Step::Hour);
        assert!(chart.enough);
        assert_eq!(chart.max_label, "50 ms");
        assert_eq!(chart.p50.len(), 1);
        assert_eq!(chart.p50[0].split(' ').count(), 2, "one point per hour with replies");
        assert_eq!(chart.bands[0].split(' ').count(), 4, "max there, min back");
        // 25 % and 100 % of the requests lost.
        assert_eq!(chart.losses.iter().map(|(_, y)| y.as_str()).collect::<Vec<_>>(), ["20.0", "50.0"]);
    }
}
