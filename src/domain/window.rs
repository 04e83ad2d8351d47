//! The windows stats are given over (the last 10 minutes … the last year), and how a span of
//! time splits into the pieces each store answers for: raw views for the partial hours at its
//! ends, hourly rollups for whole hours, daily and monthly rollups for whole days and calendar
//! months already rolled up.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// How far the daily and monthly rollups reach: the first day (as its midnight) not yet summed
/// into daily rows, and the first month not yet summed into monthly rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rolled {
    pub days_until: Option<NaiveDateTime>,
    pub months_until: Option<NaiveDateTime>,
}

impl Rolled {
    pub fn days(days_until: NaiveDateTime) -> Rolled {
        Rolled { days_until: Some(days_until), months_until: None }
    }
}

/// Which store answers for which part of a span. The pieces do not overlap and together cover
/// the span exactly, so figures summed over them equal figures over the raw views.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub raw: Vec<Span>,
    pub hourly: Vec<Span>,
    pub daily: Vec<Span>,
    pub monthly: Option<Span>,
}

impl Plan {
    /// Every piece, oldest first.
    pub fn pieces(&self) -> Vec<Span> {
        let mut all: Vec<Span> =
            self.raw.iter().chain(&self.hourly).chain(&self.daily).chain(&self.monthly).copied().collect();
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

/// Midnight on the first of `t`'s month.
pub fn month_start(t: NaiveDateTime) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(t.year(), t.month(), 1).expect("the first of a month exists").into()
}

/// Midnight on the first of the month after `t`'s.
pub fn next_month(t: NaiveDateTime) -> NaiveDateTime {
    let (year, month) = if t.month() == 12 { (t.year() + 1, 1) } else { (t.year(), t.month() + 1) };
    NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists").into()
}

fn month_ceil(t: NaiveDateTime) -> NaiveDateTime {
    let start = month_start(t);
    if start == t { t } else { next_month(t) }
}

/// Splits `span`: whole months before `rolled.months_until` come from monthly rows, other whole
/// days before `rolled.days_until` from daily rows, other whole hours from hourly rows, and the
/// partial hours at the ends from views.
pub fn plan(span: Span, rolled: Rolled) -> Plan {
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
    let last_day = match rolled.days_until {
        Some(days) => day_floor(last_hour).min(day_floor(days)),
        None => first_day,
    };
    if first_day >= last_day {
        push(&mut plan.hourly, first_hour, last_hour);
        return plan;
    }
    push(&mut plan.hourly, first_hour, first_day);
    push(&mut plan.hourly, last_day, last_hour);
    let first_month = month_ceil(first_day);
    let last_month = match rolled.months_until {
        Some(months) => month_start(last_day).min(month_start(months)),
        None => first_month,
    };
    if first_month < last_month {
        plan.monthly = Some(Span::new(first_month, last_month));
        push(&mut plan.daily, first_day, first_month);
        push(&mut plan.daily, last_month, last_day);
    } else {
        push(&mut plan.daily, first_day, last_day);
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
        assert_eq!(plan(span, Rolled::days(at(21, 0, 0))), Plan { raw: vec![span], ..Plan::default() });
    }

    #[test]
    fn a_day_window_is_raw_at_both_ends_and_hourly_between() {
        let p = plan(Window::Day.span(at(21, 10, 5)), Rolled::days(at(21, 0, 0)));
        assert_eq!(p.raw, vec![Span::new(at(20, 10, 5), at(20, 11, 0)), Span::new(at(21, 10, 0), at(21, 10, 5))]);
        assert_eq!(p.hourly, vec![Span::new(at(20, 11, 0), at(21, 10, 0))]);
        assert!(p.daily.is_empty());
    }

    #[test]
    fn whole_rolled_up_days_come_from_daily_rows() {
        let p = plan(Window::Week.span(at(21, 10, 5)), Rolled::days(at(21, 0, 0)));
        assert_eq!(p.daily, vec![Span::new(at(15, 0, 0), at(21, 0, 0))]);
        assert_eq!(p.hourly, vec![Span::new(at(14, 11, 0), at(15, 0, 0)), Span::new(at(21, 0, 0), at(21, 10, 0))]);
        let behind = plan(Window::Week.span(at(21, 10, 5)), Rolled::days(at(19, 0, 0)));
        assert_eq!(behind.daily, vec![Span::new(at(15, 0, 0), at(19, 0, 0))]);
        assert_eq!(behind.hourly.last(), Some(&Span::new(at(19, 0, 0), at(21, 10, 0))));
        assert!(plan(Window::Week.span(at(21, 10, 5)), Rolled::default()).daily.is_empty());
    }

    #[test]
    fn whole_rolled_up_months_come_from_monthly_rows() {
        let until = at(21, 10, 5);
        let rolled = Rolled { days_until: Some(at(21, 0, 0)), months_until: Some(at(1, 0, 0)) };
        let p = plan(Window::Year.span(until), rolled);
        let month = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(p.monthly, Some(Span::new(month(2025, 12), month(2026, 11))));
        assert_eq!(
            p.daily,
            vec![
                Span::new(month(2025, 11) + TimeDelta::days(21), month(2025, 12)),
                Span::new(month(2026, 11), at(21, 0, 0))
            ]
        );
        assert_eq!(next_month(month(2025, 12)), month(2026, 1));
        assert_eq!(month_start(until), month(2026, 11));
    }

    #[test]
    fn windows_on_the_hour_need_no_raw_views() {
        let p = plan(Window::Day.span(at(21, 10, 0)), Rolled::default());
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
            rolled_month in proptest::option::of(0i64..4),
        ) {
            let base = at(1, 0, 0);
            let span = Span::new(base + TimeDelta::minutes(from_min), base + TimeDelta::minutes(from_min + len_min));
            let days_until = rolled_day.map(|d| base + TimeDelta::days(d));
            let months_until = rolled_month.map(|m| (0..m).fold(base, |t, _| next_month(t)));
            let p = plan(span, Rolled { days_until, months_until });
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
            for d in &p.daily {
                prop_assert_eq!(day_floor(d.from), d.from);
                prop_assert_eq!(day_floor(d.until), d.until);
                prop_assert!(d.until <= days_until.unwrap());
            }
            if let Some(m) = p.monthly {
                prop_assert_eq!(month_start(m.from), m.from);
                prop_assert_eq!(month_start(m.until), m.until);
                prop_assert!(m.until <= months_until.unwrap() && m.until <= days_until.unwrap());
            }
            for r in &p.raw {
                prop_assert!(r.length() < TimeDelta::hours(1) || p.hourly.is_empty() && p.daily.is_empty());
            }
        }
    }
}
