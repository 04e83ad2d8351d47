//! The high-traffic alert, on log time only: hits per second in a ring that covers the window,
//! the mean over the last `window` seconds, an alert when that mean rises strictly above the
//! threshold and a recovery when it falls to the threshold or below.
//!
//! A line may arrive up to `LATE_SECS` seconds out of order and still count in its own second,
//! so a second is evaluated only once the newest line is more than `LATE_SECS` past it (and at
//! the end of a replay, everything left is evaluated). Older lines are refused as late.

/// How far behind the newest line a line may be and still count in its own second.
pub const LATE_SECS: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossing {
    High,
    Recovered,
}

/// The mean crossed the threshold at the end of log second `at`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub crossing: Crossing,
    pub mean: f64,
    pub at: i64,
}

/// What evaluating seconds found, in log-time order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// Second `second` is final: it had `hits`, and the mean over the window ending with it is `mean`.
    Second { second: i64, hits: u32, mean: f64 },
    /// The seconds `from..to` had no hits and the window held none either: the mean stayed 0.
    Quiet { from: i64, to: i64 },
    /// The mean crossed the threshold at the end of a second; comes just before that `Second`,
    /// so a report closed by that second follows the alert.
    Changed(Change),
}

#[derive(Debug, Clone)]
pub struct AlertState {
    window: u32,
    threshold: f64,
    /// Hits per second, at `second.rem_euclid(len)`; holds the window's evaluated seconds and
    /// the seconds still open for late lines.
    ring: Vec<u32>,
    newest: Option<i64>,
    /// The first second not evaluated yet (meaningful once `newest` is set).
    next: i64,
    /// Hits of the evaluated seconds in the window `next - window .. next`.
    window_hits: u64,
    /// Hits counted in seconds not evaluated yet.
    open_hits: u64,
    alerting: Option<i64>,
}

impl AlertState {
    /// `window` seconds (at least 1) and a threshold in mean hits per second.
    pub fn new(window: u32, threshold: f64) -> AlertState {
        let window = window.max(1);
        let len = window as usize + LATE_SECS as usize + 2;
        AlertState {
            window,
            threshold,
            ring: vec![0; len],
            newest: None,
            next: 0,
            window_hits: 0,
            open_hits: 0,
            alerting: None,
        }
    }

    /// Counts a hit at log second `t`, first evaluating the seconds a newer `t` makes final.
    /// Returns false (and counts nothing) for a line more than `LATE_SECS` behind the newest.
    pub fn hit(&mut self, t: i64, on: &mut impl FnMut(Step)) -> bool {
        match self.newest {
            None => {
                self.newest = Some(t);
                self.next = t - LATE_SECS;
            }
            Some(newest) if t > newest => {
                // Evaluate before counting: a slot freed by the window is reused `len` seconds later.
                self.advance(t - LATE_SECS, on);
                self.newest = Some(t);
            }
            Some(newest) if t < newest - LATE_SECS => return false,
            Some(_) => {}
        }
        let slot = self.slot(t);
        self.ring[slot] = self.ring[slot].saturating_add(1);
        self.open_hits += 1;
        true
    }

    /// Evaluates every second up to the newest: the end of a replay.
    pub fn finish(&mut self, on: &mut impl FnMut(Step)) {
        if let Some(newest) = self.newest {
            self.advance(newest + 1, on);
        }
    }

    /// The mean over the window ending with the last evaluated second.
    pub fn mean(&self) -> f64 {
        self.window_hits as f64 / f64::from(self.window)
    }

    /// The second the current alert began at, if one is on.
    pub fn alerting_since(&self) -> Option<i64> {
        self.alerting
    }

    pub fn newest(&self) -> Option<i64> {
        self.newest
    }

    /// The last second evaluated, once any has been.
    pub fn evaluated_until(&self) -> Option<i64> {
        self.newest.map(|_| self.next - 1)
    }

    fn slot(&self, second: i64) -> usize {
        second.rem_euclid(self.ring.len() as i64) as usize
    }

    /// Evaluates the seconds `next..until`.
    fn advance(&mut self, until: i64, on: &mut impl FnMut(Step)) {
        while self.next < until {
            if self.window_hits == 0 && self.open_hits == 0 {
                // Every slot is 0: skip a long silence at once instead of second by second. The
                // last evaluation saw a mean of 0, so no alert can be on.
                debug_assert!(self.alerting.is_none());
                on(Step::Quiet { from: self.next, to: until });
                self.next = until;
                return;
            }
            let second = self.next;
            let slot = self.slot(second);
            let hits = self.ring[slot];
            self.open_hits -= u64::from(hits);
            self.window_hits += u64::from(hits);
            let leaving = self.slot(second - i64::from(self.window));
            self.window_hits -= u64::from(self.ring[leaving]);
            self.ring[leaving] = 0;
            self.next += 1;

            let mean = self.mean();
            match self.alerting {
                None if mean > self.threshold => {
                    self.alerting = Some(second);
                    on(Step::Changed(Change { crossing: Crossing::High, mean, at: second }));
                }
                Some(_) if mean <= self.threshold => {
                    self.alerting = None;
                    on(Step::Changed(Change { crossing: Crossing::Recovered, mean, at: second }));
                }
                _ => {}
            }
            on(Step::Second { second, hits, mean });
        }
    }
}

#[cfg(test)]
mod tests;
