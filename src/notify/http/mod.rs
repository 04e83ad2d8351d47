//! What the HTTP channels (Twitter, webhooks, SMS) share: the client that records the
//! hand-over, how an answer is classified and a refusal put into words, and when a 429 may be
//! retried.

mod handover;

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta};
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::channel::SendError;
use crate::domain::time::{now_utc, truncate_to_micros};

pub use handover::HandOverClient;

/// Connect and whole-request timeout for alert POSTs.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of an error response is kept for the message.
const BODY_LIMIT: usize = 16 * 1024;

/// A 429 without a usable reset time waits this long.
fn default_wait() -> TimeDelta {
    TimeDelta::minutes(15)
}

/// An error with its causes, each once.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Reads at most `BODY_LIMIT` bytes of a response body, as text.
pub async fn body_text(mut response: reqwest::Response) -> String {
    let mut body = Vec::new();
    while body.len() < BODY_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(BODY_LIMIT);
    String::from_utf8_lossy(&body).into_owned()
}

/// The service's own words from an error body: JSON `detail`, `title`, `message`, `error`, or
/// the first of `errors[]` (X API v2 and v1.1 shapes, and common webhook receivers); else the
/// body itself, shortened.
pub fn api_message(body: &str) -> String {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
        let first_error = json.get("errors").and_then(|e| e.get(0));
        let candidates = [
            json.get("detail"),
            first_error.and_then(|e| e.get("message")),
            first_error.and_then(|e| e.get("detail")),
            json.get("message"),
            json.get("error"),
            json.get("title"),
        ];
        if let Some(text) = candidates.into_iter().flatten().find_map(|v| v.as_str()) {
            return text.to_owned();
        }
    }
    let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 200 { format!("{}…", text.chars().take(200).collect::<String>()) } else { text }
}

/// What a webhook or SMS gateway's answer means: 2xx delivered; 429 wait for the reset; 401 and
/// 403 the channel's credentials are wrong (counted and retried, so a fixed key still
/// delivers); other 4xx refused for good; anything else a failure retried later. `described`
/// is the answer in words ("HTTP 400 Bad Request: <the service's message>").
pub fn classify(
    status: reqwest::StatusCode,
    headers: &HeaderMap,
    body: &str,
    what: &str,
    described: &str,
) -> Result<(), SendError> {
    use reqwest::StatusCode;
    match status {
        s if s.is_success() => Ok(()),
        StatusCode::TOO_MANY_REQUESTS => Err(rate_limited(what, headers, body)),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            Err(SendError::Down(format!("{what} refused the credentials ({described})")))
        }
        StatusCode::REQUEST_TIMEOUT => Err(SendError::Down(format!("{what} answered {described}"))),
        s if s.is_client_error() => Err(SendError::Rejected(format!("{what} refused the message ({described})"))),
        _ => Err(SendError::Down(format!("{what} answered {described}"))),
    }
}

/// "HTTP 401 Unauthorized: <the API's message>".
pub fn refusal(status: reqwest::StatusCode, body: &str) -> String {
    let message = api_message(body);
    let reason = status.canonical_reason().unwrap_or("");
    match (message.is_empty(), reason.is_empty()) {
        (true, _) => format!("HTTP {}", status.as_u16()),
        (false, true) => format!("HTTP {}: {message}", status.as_u16()),
        (false, false) => format!("HTTP {} {reason}: {message}", status.as_u16()),
    }
}

/// When a 429 may be retried: `x-rate-limit-reset` (epoch seconds, X API), else `Retry-After`
/// in seconds, else a default wait; never in the past, never more than a day ahead.
pub fn retry_at(headers: &HeaderMap, now: NaiveDateTime) -> NaiveDateTime {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let reset = header("x-rate-limit-reset")
        .and_then(|v| v.parse::<i64>().ok())
        .and_then(|epoch| DateTime::from_timestamp(epoch, 0))
        .map(|t| t.naive_utc());
    let after =
        || header(RETRY_AFTER.as_str()).and_then(|v| v.parse::<i64>().ok()).map(|secs| now + TimeDelta::seconds(secs));
    let until = reset.or_else(after).unwrap_or_else(|| now + default_wait());
    truncate_to_micros(until.clamp(now + TimeDelta::seconds(1), now + TimeDelta::hours(24)))
}

/// A 429 as a `SendError`.
pub fn rate_limited(service: &str, headers: &HeaderMap, body: &str) -> SendError {
    let until = retry_at(headers, now_utc());
    let message = api_message(body);
    let detail = if message.is_empty() { String::new() } else { format!(" ({message})") };
    SendError::RateLimited {
        until,
        message: format!(
            "{service} rate limit reached{detail}; waiting until {} UTC",
            until.format("%Y-%m-%d %H:%M:%S")
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn api_messages_come_from_the_usual_fields() {
        assert_eq!(api_message(r#"{"title":"Unauthorized","status":401,"detail":"Unauthorized"}"#), "Unauthorized");
        assert_eq!(
            api_message(r#"{"errors":[{"message":"Invalid or expired token","code":89}]}"#),
            "Invalid or expired token"
        );
        assert_eq!(api_message("plain\n text "), "plain text");
        assert_eq!(api_message(""), "");
    }

    #[test]
    fn a_rate_limit_waits_for_the_reset_header() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let mut headers = HeaderMap::new();
        let reset = now.and_utc().timestamp() + 600;
        headers.insert("x-rate-limit-reset", HeaderValue::from_str(&reset.to_string()).unwrap());
        assert_eq!(retry_at(&headers, now), now + TimeDelta::minutes(10));
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
        assert_eq!(retry_at(&headers, now), now + TimeDelta::seconds(30));
        assert_eq!(retry_at(&HeaderMap::new(), now), now + TimeDelta::minutes(15));
        let mut headers = HeaderMap::new();
        headers.insert("x-rate-limit-reset", HeaderValue::from_static("0"));
        assert_eq!(retry_at(&headers, now), now + TimeDelta::seconds(1), "a reset in the past waits a moment");
    }
}
