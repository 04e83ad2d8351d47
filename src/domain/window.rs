//! The windows stats are given over (the last 10 minutes … the last year), and how a span of
//! time splits into the pieces each store answers for: raw views for the partial hours at its
//! ends, hourly rollups for whole hours, daily rollups for whole days already rolled up.

use chrono::{NaiveDateTime, TimeDelta};

use super::rollup::hour_start;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    TenMinutes,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl Window {
    pub const ALL: [Window; 6] =
        [Window::TenMinutes, Window::Hour, Window::Day, Window::Week, Window::Month, Window::Year];

    /// The short name used in URLs, JSON and metrics labels.
    pub fn key(self) -> &'static str {
        match self {
            Window::TenMinutes => "10m",
            Window::Hour => "1h",
            Window::Day => "24h",
            Window::Week => "7d",
            Window::Month => "30d",
            Window::Year => "1y",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Window::TenMinutes => "10 minutes",
            Window::Hour => "1 hour",
            Window::Day => "24 hours",
            Window::Week => "7 days",
            Window::Month => "30 days",
            Window::Year => "1 year",
        }
    }

    pub fn length(self) -> TimeDelta {
        match self {
            Window::TenMinutes => TimeDelta::minutes(10),
            Window::Hour => TimeDelta::hours(1),
            Window::Day => TimeDelta::hours(24),
            Window::Week => TimeDelta::days(7),
            Window::Month => TimeDelta::days(30),
            Window::Year => TimeDelta::days(365),
        }
    }

    pub fn parse(key: &str) -> Option<Window> {
        Window::ALL.into_iter().find(|w| w.key() == key)
    }

    /// The window ending at `until`: checks with `from <= checked_at < until`.
    pub fn span(self, until: NaiveDateTime) -> Span {
        Span { from: until - self.length(), until }
    }
}

/// A half-open stretch of time, `from <= t < until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
}

impl Span {
    pub fn new(from: NaiveDateTime, until: NaiveDateTime) -> Span {
        Span { from, until }
    }

    pub fn is_empty(&self) -> bool {
        self.from >= self.until
    }

    pub fn length(&self) -> TimeDelta {
        if self.is_empty() { TimeDelta::zero() } else { self.until - self.from }
    }
}

/// Which store answers for which part of a span. The pieces do not overlap and together cover
/// the span exactly, so figures summed over them equal figures over the raw views.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub raw: Vec<Span>,
    pub hourly: Vec<Span>,
    pub daily: Option<Span>,
}

impl Plan {
    /// Every piece, oldest first.
    pub fn pieces(&self) -> Vec<Span> {
        let mut all: Vec<Span> = self.raw.iter().chain(&self.hourly).chain(&self.daily).copied().collect();
        all.sort_by_key(|s| s.from);
        all
    }
}

fn day_floor(t: NaiveDateTime) -> NaiveDateTime {
    t.date().and_hms_opt(0, 0, 0).expect("midnight exists")
}

fn hour_ceil(t: NaiveDateTime) -> NaiveDateTime {
    let start = hour_start(t);
    if start == t { t } else { start + TimeDelta::hours(1) }
}

fn day_ceil(t: NaiveDateTime) -> NaiveDateTime {
    let start = day_floor(t);
    if start == t { t } else { start + TimeDelta::days(1) }
}

/// Splits `span`: whole days before `days_rolled_until` (the first day not yet summed into the
/// daily rollups) come from daily rows, other whole hours from hourly rows, the rest from views.
pub fn plan(span: Span, days_rolled_until: Option<NaiveDateTime>) -> Plan {
    let mut plan = Plan::default();
    if span.is_empty() {
        return plan;
    }
    let (first_hour, last_hour) = (hour_ceil(span.from), hour_start(span.until));
    if first_hour >= last_hour {
        plan.raw.push(span);
        return plan;
    }
    let push = |list: &mut Vec<Span>, from, until| {
        let piece = Span::new(from, until);
        if !piece.is_empty() {
            list.push(piece);
        }
    };
    push(&mut plan.raw, span.from, first_hour);
    push(&mut plan.raw, last_hour, span.until);
    let first_day = day_ceil(first_hour);
    let last_day = match days_rolled_until {
        Some(rolled) => day_floor(last_hour).min(day_floor(rolled)),
        None => first_day,
    };
    if first_day < last_day {
        plan.daily = Some(Span::new(first_day, last_day));
        push(&mut plan.hourly, first_hour, first_day);
        push(&mut plan.hourly, last_day, last_hour);
    } else {
        push(&mut plan.hourly, first_hour, last_hour);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_short_window_inside_an_hour_is_all_raw() {
        let span = Span::new(at(21, 9, 50), at(21, 10, 0));
        assert_eq!(plan(span, Some(at(21, 0, 0))), Plan { raw: vec![span], ..Plan::default() });
    }

    #[test]
    fn a_day_window_is_raw_at_both_ends_and_hourly_between() {
        let p = plan(Window::Day.span(at(21, 10, 5)), Some(at(21, 0, 0)));
        assert_eq!(p.raw, vec![Span::new(at(20, 10, 5), at(20, 11, 0)), Span::new(at(21, 10, 0), at(21, 10, 5))]);
        assert_eq!(p.hourly, vec![Span::new(at(20, 11, 0), at(21, 10, 0))]);
        assert_eq!(p.daily, None);
    }

    #[test]
    fn whole_rolled_up_days_come_from_daily_rows() {
        let p = plan(Window::Week.span(at(21, 10, 5)), Some(at(21, 0, 0)));
        assert_eq!(p.daily, Some(Span::new(at(15, 0, 0), at(21, 0, 0))));
        assert_eq!(p.hourly, vec![Span::new(at(14, 11, 0), at(15, 0, 0)), Span::new(at(21, 0, 0), at(21, 10, 0))]);
        let behind = plan(Window::Week.span(at(21, 10, 5)), Some(at(19, 0, 0)));
        assert_eq!(behind.daily, Some(Span::new(at(15, 0, 0), at(19, 0, 0))));
        assert_eq!(behind.hourly.last(), Some(&Span::new(at(19, 0, 0), at(21, 10, 0))));
        assert_eq!(plan(Window::Week.span(at(21, 10, 5)), None).daily, None);
    }

    #[test]
    fn windows_on_the_hour_need_no_raw_views() {
        let p = plan(Window::Day.span(at(21, 10, 0)), None);
        assert!(p.raw.is_empty());
        assert_eq!(p.hourly, vec![Span::new(at(20, 10, 0), at(21, 10, 0))]);
    }

    #[test]
    fn window_keys_round_trip() {
        for w in Window::ALL {
            assert_eq!(Window::parse(w.key()), Some(w));
        }
        assert_eq!(Window::parse("2h"), None);
    }

    proptest! {
        #[test]
        fn pieces_cover_the_span_exactly_and_align(
            from_min in 0i64..60 * 24 * 60,
            len_min in 0i64..60 * 24 * 40,
            rolled_day in proptest::option::of(0i64..80),
        ) {
            let base = at(1, 0, 0);
            let span = Span::new(base + TimeDelta::minutes(from_min), base + TimeDelta::minutes(from_min + len_min));
            let rolled = rolled_day.map(|d| base + TimeDelta::days(d));
            let p = plan(span, rolled);
            let pieces = p.pieces();
            if span.is_empty() {
                prop_assert!(pieces.is_empty());
            } else {
                prop_assert_eq!(pieces.first().unwrap().from, span.from);
                prop_assert_eq!(pieces.last().unwrap().until, span.until);
                for pair in pieces.windows(2) {
                    prop_assert_eq!(pair[0].until, pair[1].from);
                }
            }
            for h in &p.hourly {
                prop_assert_eq!(hour_start(h.from), h.from);
                prop_assert_eq!(hour_start(h.until), h.until);
            }
            if let Some(d) = p.daily {
                prop_assert_eq!(day_floor(d.from), d.from);
                prop_assert_eq!(day_floor(d.until), d.until);
                prop_assert!(d.until <= rolled.unwrap());
            }
            for r in &p.raw {
                prop_assert!(r.length() < TimeDelta::hours(1) || p.hourly.is_empty() && p.daily.is_none());
            }
        }
    }
}
