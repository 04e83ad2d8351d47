//! Template helpers as plain functions: `readable_time` ("2 hours, 5 minutes") and
//! `ordinal` ("3rd"), shared by pages and alerts so they always read the same.

/// A span of seconds in words, largest units first, at most two of them:
/// `0` → "0 seconds", `61` → "1 minute, 1 second", `7_500` → "2 hours, 5 minutes",
/// `90_061` → "1 day, 1 hour".
pub fn readable_time(seconds: i64) -> String {
    let seconds = seconds.max(0);
    if seconds == 0 {
        return "0 seconds".to_owned();
    }
    let units = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")];
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (size, name) in units {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            parts.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
        }
        if parts.len() == 2 || (!parts.is_empty() && n == 0) {
            break;
        }
    }
    parts.join(", ")
}

/// An integer as an ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 111th, 1011th.
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_time_uses_the_two_largest_units() {
        assert_eq!(readable_time(0), "0 seconds");
        assert_eq!(readable_time(1), "1 second");
        assert_eq!(readable_time(59), "59 seconds");
        assert_eq!(readable_time(61), "1 minute, 1 second");
        assert_eq!(readable_time(120), "2 minutes");
        assert_eq!(readable_time(7_500), "2 hours, 5 minutes");
        assert_eq!(readable_time(7_205), "2 hours");
        assert_eq!(readable_time(90_061), "1 day, 1 hour");
        assert_eq!(readable_time(-5), "0 seconds");
    }

    #[test]
    fn ordinals_match_djamons_examples() {
        let first: Vec<String> = (1..=12).map(ordinal).collect();
        assert_eq!(first, ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th"]);
        assert_eq!(ordinal(0), "0th");
        assert_eq!(ordinal(100), "100th");
        assert_eq!(ordinal(111), "111th");
        assert_eq!(ordinal(112), "112th");
        assert_eq!(ordinal(1011), "1011th");
        assert_eq!(ordinal(21), "21st");
        assert_eq!(ordinal(102), "102nd");
    }
}
