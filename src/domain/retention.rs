//! Spans of time typed by people: `90d`, `12h`, `1w2d`, `30m`, `45s`.

use chrono::TimeDelta;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not a duration; write a number and a unit, e.g. 90d, 12h, 30m, 2w (s, m, h, d, w)")]
pub struct DurationError(pub String);

/// Parses one or more `<number><unit>` pairs into a positive span.
pub fn parse_duration(raw: &str) -> Result<TimeDelta, DurationError> {
    let err = || DurationError(raw.to_owned());
    let text = raw.trim();
    if text.is_empty() {
        return Err(err());
    }
    let mut total_secs: i64 = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(err()),
        };
        let n: i64 = digits.parse().map_err(|_| err())?;
        digits.clear();
        total_secs = n.checked_mul(unit).and_then(|s| total_secs.checked_add(s)).ok_or_else(err)?;
    }
    if !digits.is_empty() || total_secs <= 0 {
        return Err(err());
    }
    TimeDelta::try_seconds(total_secs).ok_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_combined_units() {
        assert_eq!(parse_duration("90d").unwrap(), TimeDelta::days(90));
        assert_eq!(parse_duration("12h").unwrap(), TimeDelta::hours(12));
        assert_eq!(parse_duration("1w2d").unwrap(), TimeDelta::days(9));
        assert_eq!(parse_duration(" 45s ").unwrap(), TimeDelta::seconds(45));
        assert_eq!(parse_duration("1h30m").unwrap(), TimeDelta::minutes(90));
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in ["", "90", "d", "0d", "10y", "-5d", "1.5h", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
