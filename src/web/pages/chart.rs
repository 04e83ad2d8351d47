//! The response-time chart of a site's last 24 hours, drawn on the server as SVG numbers so the
//! page needs no script: a line for answered checks, red ticks for failed ones.

use chrono::NaiveDateTime;

use crate::db::models::site_view::SiteView;

pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 180.0;
const TOP: f64 = 10.0;

pub struct Chart {
    /// `x,y` pairs of the response-time line.
    pub line: String,
    /// x positions of failed checks.
    pub downs: Vec<String>,
    /// The top of the scale, e.g. "850 ms".
    pub max_label: String,
    pub checks: usize,
}

/// Rounds a maximum up to a tidy scale value (1, 2 or 5 times a power of ten).
fn tidy(max: f64) -> f64 {
    let magnitude = 10f64.powf(max.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|v| *v >= max).unwrap_or(max)
}

pub fn draw(views: &[SiteView], from: NaiveDateTime, until: NaiveDateTime) -> Chart {
    let span = (until - from).num_seconds().max(1) as f64;
    let x = |t: NaiveDateTime| ((t - from).num_seconds() as f64 / span * WIDTH).clamp(0.0, WIDTH);
    let answered: Vec<&SiteView> = views.iter().filter(|v| v.status_code.is_some()).collect();
    let scale = tidy(answered.iter().map(|v| f64::from(v.response_ms)).fold(0.0, f64::max));
    let line = answered
        .iter()
        .map(|v| {
            let y = HEIGHT - f64::from(v.response_ms) / scale * (HEIGHT - TOP);
            format!("{:.1},{:.1}", x(v.checked_at), y)
        })
        .collect::<Vec<_>>()
        .join(" ");
    Chart {
        line,
        downs: views.iter().filter(|v| !v.up).map(|v| format!("{:.1}", x(v.checked_at))).collect(),
        max_label: format!("{scale} ms"),
        checks: views.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_tidy() {
        assert_eq!(tidy(830.0), 1000.0);
        assert_eq!(tidy(120.0), 200.0);
        assert_eq!(tidy(0.0), 1.0);
        assert_eq!(tidy(4.0), 5.0);
    }
}
