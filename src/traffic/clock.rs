//! Access-log timestamps (`10/Oct/2000:13:55:36 -0700`) to Unix seconds, by hand: consecutive
//! lines usually share their timestamp, or at least their date, and then cost one comparison.

/// `dd/Mon/yyyy:HH:MM:SS +hhmm` is always this long.
pub const TIMESTAMP_LEN: usize = 26;

const MONTHS: [&[u8; 3]; 12] =
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// Which part of a timestamp is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    Length,
    Separator,
    Day,
    Month,
    Year,
    Hour,
    Minute,
    Second,
    Offset,
}

impl TimeError {
    pub fn describe(self) -> &'static str {
        match self {
            TimeError::Length => "the timestamp is not dd/Mon/yyyy:HH:MM:SS +hhmm",
            TimeError::Separator => "the timestamp's separators are not dd/Mon/yyyy:HH:MM:SS +hhmm",
            TimeError::Day => "the timestamp's day does not exist in its month",
            TimeError::Month => "the timestamp's month is not Jan..Dec",
            TimeError::Year => "the timestamp's year is not four digits",
            TimeError::Hour => "the timestamp's hour is not 00-23",
            TimeError::Minute => "the timestamp's minute is not 00-59",
            TimeError::Second => "the timestamp's second is not 00-60",
            TimeError::Offset => "the timestamp's offset is not +hhmm or -hhmm",
        }
    }
}

/// Parses one timestamp (without its brackets) to Unix seconds.
pub fn parse_timestamp(text: &[u8]) -> Result<i64, TimeError> {
    let text: &[u8; TIMESTAMP_LEN] = text.try_into().map_err(|_| TimeError::Length)?;
    Ok(day_base(text)? + time_of_day(text)?)
}

/// Unix seconds at midnight of the timestamp's date in its own offset: the part that depends on
/// bytes 0..11 (`dd/Mon/yyyy`) and 20..26 (` +hhmm`).
fn day_base(t: &[u8; TIMESTAMP_LEN]) -> Result<i64, TimeError> {
    if t[2] != b'/' || t[6] != b'/' || t[11] != b':' || t[20] != b' ' {
        return Err(TimeError::Separator);
    }
    let day = two_digits(t[0], t[1]).ok_or(TimeError::Day)?;
    let month = MONTHS.iter().position(|m| m[..] == t[3..6]).ok_or(TimeError::Month)? as u32 + 1;
    let year = match (two_digits(t[7], t[8]), two_digits(t[9], t[10])) {
        (Some(high), Some(low)) => i64::from(high * 100 + low),
        _ => return Err(TimeError::Year),
    };
    if day == 0 || day > days_in_month(year, month) {
        return Err(TimeError::Day);
    }
    let sign = match t[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return Err(TimeError::Offset),
    };
    let offset = match (two_digits(t[22], t[23]), two_digits(t[24], t[25])) {
        (Some(h), Some(m)) if h <= 23 && m <= 59 => sign * i64::from(h * 3_600 + m * 60),
        _ => return Err(TimeError::Offset),
    };
    Ok(days_from_civil(year, month, day) * 86_400 - offset)
}

/// Seconds since midnight: bytes 12..20 (`HH:MM:SS`).
fn time_of_day(t: &[u8; TIMESTAMP_LEN]) -> Result<i64, TimeError> {
    if t[14] != b':' || t[17] != b':' {
        return Err(TimeError::Separator);
    }
    let hour = two_digits(t[12], t[13]).filter(|h| *h <= 23).ok_or(TimeError::Hour)?;
    let minute = two_digits(t[15], t[16]).filter(|m| *m <= 59).ok_or(TimeError::Minute)?;
    // 60 is a leap second; it reads as the first second of the next minute.
    let second = two_digits(t[18], t[19]).filter(|s| *s <= 60).ok_or(TimeError::Second)?;
    Ok(i64::from(hour * 3_600 + minute * 60 + second))
}

fn two_digits(a: u8, b: u8) -> Option<u32> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Remembers the last timestamp read and the last date, so a log's lines, which mostly repeat
/// the previous line's second or at least its day, are not parsed in full each time.
#[derive(Debug, Clone, Default)]
pub struct TimeCache {
    last: Option<([u8; TIMESTAMP_LEN], i64)>,
    /// Bytes 0..11 and 20..26 of the last date read, and its `day_base`.
    day: Option<([u8; 17], i64)>,
}

impl TimeCache {
    pub fn parse(&mut self, text: &[u8]) -> Result<i64, TimeError> {
        let text: &[u8; TIMESTAMP_LEN] = text.try_into().map_err(|_| TimeError::Length)?;
        if let Some((last, secs)) = &self.last
            && last == text
        {
            return Ok(*secs);
        }
        let mut key = [0u8; 17];
        key[..11].copy_from_slice(&text[..11]);
        key[11..].copy_from_slice(&text[20..]);
        let base = match &self.day {
            Some((day, base)) if *day == key => *base,
            _ => {
                let base = day_base(text)?;
                self.day = Some((key, base));
                base
            }
        };
        let secs = base + time_of_day(text)?;
        self.last = Some((*text, secs));
        Ok(secs)
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    fn unix(rfc3339: &str) -> i64 {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp()
    }

    #[test]
    fn the_clf_example_and_offsets_read_as_unix_seconds() {
        assert_eq!(parse_timestamp(b"10/Oct/2000:13:55:36 -0700"), Ok(unix("2000-10-10T13:55:36-07:00")));
        assert_eq!(parse_timestamp(b"01/Jan/1970:00:00:00 +0000"), Ok(0));
        assert_eq!(parse_timestamp(b"29/Feb/2024:23:59:59 +0530"), Ok(unix("2024-02-29T23:59:59+05:30")));
        assert_eq!(parse_timestamp(b"31/Dec/1969:23:59:59 +0000"), Ok(-1));
        assert_eq!(parse_timestamp(b"30/Jun/2015:23:59:60 +0000"), Ok(unix("2015-07-01T00:00:00Z")));
    }

    #[test]
    fn each_wrong_part_is_named() {
        let cases: [(&[u8], TimeError); 10] = [
            (b"10/Oct/2000:13:55:36 -070", TimeError::Length),
            (b"10-Oct-2000:13:55:36 -0700", TimeError::Separator),
            (b"29/Feb/2023:13:55:36 +0000", TimeError::Day),
            (b"00/Oct/2000:13:55:36 +0000", TimeError::Day),
            (b"10/oct/2000:13:55:36 +0000", TimeError::Month),
            (b"10/Oct/20x0:13:55:36 +0000", TimeError::Year),
            (b"10/Oct/2000:24:55:36 +0000", TimeError::Hour),
            (b"10/Oct/2000:13:60:36 +0000", TimeError::Minute),
            (b"10/Oct/2000:13:55:61 +0000", TimeError::Second),
            (b"10/Oct/2000:13:55:36 0700 ", TimeError::Offset),
        ];
        for (text, error) in cases {
            assert_eq!(parse_timestamp(text), Err(error), "{}", String::from_utf8_lossy(text));
            assert_eq!(TimeCache::default().parse(text), Err(error), "{}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn the_cache_gives_what_a_full_parse_gives() {
        let mut cache = TimeCache::default();
        let texts: [&[u8]; 6] = [
            b"10/Oct/2000:13:55:36 -0700",
            b"10/Oct/2000:13:55:36 -0700",
            b"10/Oct/2000:13:55:37 -0700",
            b"10/Oct/2000:13:55:37 +0000",
            b"11/Oct/2000:00:00:00 +0000",
            b"10/Oct/2000:13:55:36 -0700",
        ];
        for text in texts {
            assert_eq!(cache.parse(text), parse_timestamp(text));
        }
        assert_eq!(cache.parse(b"10/Oct/2000:13:99:36 -0700"), Err(TimeError::Minute), "a bad time on a known day");
    }
}
