//! The limits of an access-log traffic watch: its threshold (mean hits per second), the window
//! the mean is taken over and the report interval, each checked the same way for the settings
//! file and the command line.

/// A day of log time: the per-second counts of the window are kept in memory.
pub const MAX_WINDOW_SECS: u32 = 86_400;

/// More hits per second than any one server logs.
pub const MAX_THRESHOLD: f64 = 10_000_000.0;

/// Reports come at least once a day of log time.
pub const MAX_EVERY_SECS: u32 = 86_400;

/// A threshold: above 0, finite, at most `MAX_THRESHOLD`.
pub fn threshold(value: f64) -> Result<f64, String> {
    if value.is_finite() && value > 0.0 && value <= MAX_THRESHOLD {
        Ok(value)
    } else {
        Err(format!("must be a number of hits per second above 0 and at most {MAX_THRESHOLD} (got {value})"))
    }
}

/// A window: 1 s to a day.
pub fn window_secs(value: u32) -> Result<u32, String> {
    seconds(value, MAX_WINDOW_SECS)
}

/// A report interval: 1 s to a day.
pub fn every_secs(value: u32) -> Result<u32, String> {
    seconds(value, MAX_EVERY_SECS)
}

fn seconds(value: u32, max: u32) -> Result<u32, String> {
    if (1..=max).contains(&value) {
        Ok(value)
    } else {
        Err(format!("must be between 1 and {max} seconds (got {value})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_refuse_zero_negative_and_huge_values() {
        assert_eq!(threshold(10.0), Ok(10.0));
        assert_eq!(threshold(0.5), Ok(0.5));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
            assert!(threshold(bad).is_err(), "{bad}");
        }
        assert_eq!(window_secs(120), Ok(120));
        assert!(window_secs(0).is_err() && window_secs(MAX_WINDOW_SECS + 1).is_err());
        assert!(every_secs(0).unwrap_err().contains("between 1 and 86400"));
    }
}
