//! Words and figures the pages show for a check: counts with their plural, response times
//! ("—" when nothing answered), ping figures and why a site is down. Pure functions, so the
//! dashboard, the site page and the group page always say the same thing.

use crate::domain::ping::PingStats;
use crate::domain::rollup::answered;
use crate::domain::status::ErrorKind;
use crate::domain::target::CheckKind;

/// What a page shows where there is no value: no answer, no data yet.
pub const NONE: &str = "—";

/// A count with its noun: "1 check", "6 checks", "1 hour" (for nouns whose plural adds "s").
pub fn count(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Milliseconds to show: whole ones from 10 ms up, two decimals below ("0.84 ms").
pub fn ms_f64(ms: f64) -> String {
    if ms >= 10.0 { format!("{ms:.0} ms") } else { format!("{ms:.2} ms") }
}

/// A loss share in percent: "0 %", "25 %", "33.3 %".
pub fn loss(percent: f64) -> String {
    if (percent - percent.round()).abs() < 0.05 { format!("{percent:.0} %") } else { format!("{percent:.1} %") }
}

/// What one check answered with, in the "Response" column: "231 ms"; for a ping, the mean
/// round trip and the loss ("0.84 ms, 25 % loss"); "—" when nothing answered (a refused
/// connection, a timeout, every echo request lost).
pub fn response(
    status_code: Option<i32>,
    error: Option<&str>,
    response_ms: Option<i32>,
    ping: Option<&PingStats>,
) -> String {
    if let Some(stats) = ping {
        return match stats.rtt_avg_ms {
            Some(avg) => format!("{}, {} loss", ms_f64(avg), loss(stats.loss_percent)),
            None if stats.transmitted > 0 => format!("{NONE} ({} loss)", loss(stats.loss_percent)),
            None => NONE.to_owned(),
        };
    }
    match response_ms {
        Some(ms) if answered(status_code, error) => format!("{ms} ms"),
        _ => NONE.to_owned(),
    }
}

/// Why a check failed, briefly, for beside a "Down" badge: "HTTP 503", "timed out",
/// "could not connect", "keyword missing", "no ping reply", "50 % loss".
pub fn down_reason(
    status_code: Option<i32>,
    error: Option<&str>,
    keyword_absent: bool,
    ping: Option<&PingStats>,
) -> String {
    let kind = error.and_then(ErrorKind::parse);
    let keyword = if keyword_absent { "keyword present" } else { "keyword missing" };
    match (status_code, kind) {
        (Some(code), Some(ErrorKind::Keyword)) => format!("HTTP {code}, {keyword}"),
        (Some(code), _) => format!("HTTP {code}"),
        (None, Some(kind)) => match kind {
            ErrorKind::Timeout => "timed out".to_owned(),
            ErrorKind::Connect => "could not connect".to_owned(),
            ErrorKind::Dns => "host name does not resolve".to_owned(),
            ErrorKind::Tls => "TLS or certificate error".to_owned(),
            ErrorKind::Redirect => "bad redirect".to_owned(),
            ErrorKind::Keyword => keyword.to_owned(),
            ErrorKind::Unreachable => "no ping reply".to_owned(),
            ErrorKind::Other => match ping {
                Some(stats) if stats.transmitted > 0 => format!("{} loss", loss(stats.loss_percent)),
                _ => "failed".to_owned(),
            },
        },
        (None, None) => match error {
            Some(word) => word.to_owned(),
            None => "no answer".to_owned(),
        },
    }
}

/// What one check saw, in words, by kind: "HTTP 200", "connection accepted", "4/4 replies",
/// or why it failed ("timed out").
pub fn check_result(
    kind: Option<CheckKind>,
    status_code: Option<i32>,
    error: Option<&str>,
    keyword_absent: bool,
    ping: Option<&PingStats>,
) -> String {
    if let Some(p) = ping {
        let duplicates =
            if p.duplicates > 0 { format!(", {}", count(u64::from(p.duplicates), "duplicate")) } else { String::new() };
        return format!("{}/{} replies{duplicates}", p.received, p.transmitted);
    }
    match (kind, status_code, error) {
        (Some(CheckKind::Tcp), None, None) => "connection accepted".to_owned(),
        (_, None, None) => "answered".to_owned(),
        _ => down_reason(status_code, error, keyword_absent, None),
    }
}

/// What kind of check a site gets, in words.
pub fn kind_text(kind: Option<CheckKind>) -> &'static str {
    match kind {
        Some(CheckKind::Http) => "HTTP request (HEAD, GET when refused)",
        Some(CheckKind::Tcp) => "TCP connection",
        Some(CheckKind::Ping) => "ping (ICMP echo requests)",
        None => "none: the URL no longer parses",
    }
}

/// A certificate's days left in words: "34 days left", "1 day left", "expired 2 days ago".
pub fn days_left(days: i64) -> String {
    match days {
        d if d < 0 => format!("expired {} ago", count(d.unsigned_abs(), "day")),
        0 => "expires today".to_owned(),
        d => format!("{} left", count(d as u64, "day")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ping(transmitted: u32, received: u32, avg: Option<f64>) -> PingStats {
        PingStats {
            transmitted,
            received,
            duplicates: 0,
            loss_percent: f64::from(transmitted - received) * 100.0 / f64::from(transmitted.max(1)),
            rtt_min_ms: avg,
            rtt_avg_ms: avg,
            rtt_max_ms: avg,
            rtt_mdev_ms: avg.map(|_| 0.0),
        }
    }

    #[test]
    fn counts_take_the_plural_they_need() {
        assert_eq!(count(1, "hour"), "1 hour");
        assert_eq!(count(6, "check"), "6 checks");
        assert_eq!(count(0, "check"), "0 checks");
    }

    #[test]
    fn a_check_without_an_answer_shows_a_dash_not_zero() {
        assert_eq!(response(None, Some("connect"), Some(0), None), "—");
        assert_eq!(response(None, Some("timeout"), Some(10_000), None), "—");
        assert_eq!(response(None, None, None, None), "—");
        assert_eq!(response(Some(503), None, Some(42), None), "42 ms");
        assert_eq!(response(Some(200), Some("keyword"), Some(87), None), "87 ms");
        // A TCP connection accepted: no status, no error.
        assert_eq!(response(None, None, Some(3), None), "3 ms");
    }

    #[test]
    fn ping_sites_show_the_mean_round_trip_and_the_loss() {
        assert_eq!(response(None, None, Some(1), Some(&ping(4, 4, Some(0.8412)))), "0.84 ms, 0 % loss");
        assert_eq!(response(None, None, Some(23), Some(&ping(4, 3, Some(23.4)))), "23 ms, 25 % loss");
        assert_eq!(response(None, Some("unreachable"), Some(0), Some(&ping(4, 0, None))), "— (100 % loss)");
        assert_eq!(loss(100.0 / 3.0), "33.3 %");
    }

    #[test]
    fn down_reasons_are_short_and_specific() {
        assert_eq!(down_reason(Some(503), None, false, None), "HTTP 503");
        assert_eq!(down_reason(None, Some("timeout"), false, None), "timed out");
        assert_eq!(down_reason(None, Some("connect"), false, None), "could not connect");
        assert_eq!(down_reason(Some(200), Some("keyword"), false, None), "HTTP 200, keyword missing");
        assert_eq!(down_reason(Some(200), Some("keyword"), true, None), "HTTP 200, keyword present");
        assert_eq!(down_reason(None, Some("unreachable"), false, Some(&ping(4, 0, None))), "no ping reply");
        assert_eq!(down_reason(None, Some("other"), false, Some(&ping(4, 1, Some(2.0)))), "75 % loss");
        assert_eq!(down_reason(None, Some("something new"), false, None), "something new");
    }

    #[test]
    fn results_are_worded_by_kind() {
        assert_eq!(check_result(Some(CheckKind::Tcp), None, None, false, None), "connection accepted");
        assert_eq!(check_result(Some(CheckKind::Tcp), None, Some("connect"), false, None), "could not connect");
        assert_eq!(check_result(Some(CheckKind::Http), Some(200), None, false, None), "HTTP 200");
        assert_eq!(
            check_result(Some(CheckKind::Http), Some(200), Some("keyword"), false, None),
            "HTTP 200, keyword missing"
        );
        let mut stats = ping(4, 3, Some(1.0));
        stats.duplicates = 1;
        assert_eq!(check_result(Some(CheckKind::Ping), None, None, false, Some(&stats)), "3/4 replies, 1 duplicate");
    }

    #[test]
    fn certificate_days_read_naturally() {
        assert_eq!(days_left(34), "34 days left");
        assert_eq!(days_left(1), "1 day left");
        assert_eq!(days_left(0), "expires today");
        assert_eq!(days_left(-2), "expired 2 days ago");
    }

    #[test]
    fn small_round_trips_keep_their_decimals() {
        assert_eq!(ms_f64(0.0512), "0.05 ms");
        assert_eq!(ms_f64(9.994), "9.99 ms");
        assert_eq!(ms_f64(123.6), "124 ms");
    }
}
