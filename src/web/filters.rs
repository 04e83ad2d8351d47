//! askama filters: `readable_time` ("2 hours, 5 minutes") and `ordinal` ("3rd"),
//! backed by the domain helpers alerts use too, so pages and alerts read the same.

use askama::{Result, Values};

use crate::domain::readable;

/// Whole numbers a filter accepts, whatever their width or how many references deep.
pub trait Whole {
    fn whole(&self) -> i64;
}

impl Whole for i64 {
    fn whole(&self) -> i64 {
        *self
    }
}

impl Whole for i32 {
    fn whole(&self) -> i64 {
        i64::from(*self)
    }
}

impl Whole for u32 {
    fn whole(&self) -> i64 {
        i64::from(*self)
    }
}

impl Whole for u64 {
    fn whole(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl<T: Whole + ?Sized> Whole for &T {
    fn whole(&self) -> i64 {
        (**self).whole()
    }
}

/// Seconds in words: `{{ outage.duration_secs|readable_time }}` → "2 hours, 5 minutes".
#[askama::filter_fn]
pub fn readable_time(seconds: impl Whole, _: &dyn Values) -> Result<String> {
    Ok(readable::readable_time(seconds.whole()))
}

/// A count as an ordinal: `{{ site.failures|ordinal }}` → "3rd".
#[askama::filter_fn]
pub fn ordinal(n: impl Whole, _: &dyn Values) -> Result<String> {
    Ok(readable::ordinal(n.whole().max(0) as u64))
}
