//! A site's own check interval. Cron sets the rhythm; an interval makes a site skip rounds.

pub const MAX_INTERVAL_SECS: u32 = 7 * 86_400;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a check interval is a whole number of seconds from 1 to {MAX_INTERVAL_SECS} (got {0})")]
pub struct IntervalError(pub String);

pub fn parse_interval_secs(value: i64) -> Result<u32, IntervalError> {
    u32::try_from(value)
        .ok()
        .filter(|secs| (1..=MAX_INTERVAL_SECS).contains(secs))
        .ok_or_else(|| IntervalError(value.to_string()))
}

/// Seed 000's `checkInterval` is a float (3.5); a fraction rounds up to the next second.
pub fn interval_from_float(value: f64) -> Result<u32, IntervalError> {
    if !value.is_finite() || value <= 0.0 || value > f64::from(MAX_INTERVAL_SECS) {
        return Err(IntervalError(value.to_string()));
    }
    parse_interval_secs(value.ceil() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_bounded() {
        assert_eq!(parse_interval_secs(60), Ok(60));
        assert!(parse_interval_secs(0).is_err());
        assert!(parse_interval_secs(-5).is_err());
        assert!(parse_interval_secs(i64::from(MAX_INTERVAL_SECS) + 1).is_err());
    }

    #[test]
    fn fractions_round_up() {
        assert_eq!(interval_from_float(3.5), Ok(4));
        assert_eq!(interval_from_float(3.0), Ok(3));
        assert!(interval_from_float(f64::NAN).is_err());
        assert!(interval_from_float(0.0).is_err());
    }
}
