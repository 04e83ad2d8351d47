//! Checks that span more than one value's type: ranges, required credentials, address formats.

use std::collections::HashSet;

use super::{Settings, SmtpTls, TrafficSettings};
use crate::domain::database_url::DatabaseUrl;
use crate::domain::email::EmailAddress;
use crate::domain::traffic_limits;

pub(super) fn check(s: &Settings) -> Result<(), String> {
    DatabaseUrl::parse(&s.database_url, &s.base_dir()).map_err(|e| format!("key `database_url`: {e}"))?;
    http_url("public_url", &s.public_url)?;

    let c = &s.check;
    for (i, url) in c.sandbox_urls.iter().enumerate() {
        http_url(&format!("check.sandbox_urls[{i}]"), url)?;
    }
    if c.good_codes.is_empty() {
        return Err("key `check.good_codes`: list at least one HTTP status that means up, e.g. [200, 301, 304]".into());
    }
    if let Some(code) = c.good_codes.iter().find(|code| !(100..=599).contains(*code)) {
        return Err(format!("key `check.good_codes`: {code} is not an HTTP status (100-599)"));
    }
    positive("check.timeout_secs", c.timeout_secs, 300)?;
    positive("check.failures_before_outage", u64::from(c.failures_before_outage), 1000)?;
    positive("check.concurrency", c.concurrency as u64, 100_000)?;
    if c.user_agent.trim().is_empty() {
        return Err("key `check.user_agent`: cannot be empty".into());
    }

    let r = &s.retention;
    positive("retention.raw_days", u64::from(r.raw_days), 36_500)?;
    positive("retention.hourly_days", u64::from(r.hourly_days), 36_500)?;
    if r.hourly_days < r.raw_days {
        return Err(format!(
            "key `retention.hourly_days`: {} would drop hourly rollups before the views they sum \
             (raw_days = {}); use at least {}",
            r.hourly_days, r.raw_days, r.raw_days
        ));
    }
    if r.daily_days != 0 && r.daily_days < r.hourly_days {
        return Err(format!(
            "key `retention.daily_days`: {} would drop daily rollups before the hourly ones they sum \
             (hourly_days = {}); use 0 to keep them forever, or at least {}",
            r.daily_days, r.hourly_days, r.hourly_days
        ));
    }

    let e = &s.email;
    if e.enabled {
        EmailAddress::parse(&e.from).map_err(|err| format!("key `email.from`: {err}"))?;
        for (i, to) in e.to.iter().enumerate() {
            EmailAddress::parse(to).map_err(|err| format!("key `email.to[{i}]`: {err}"))?;
        }
        if e.host.trim().is_empty() {
            return Err("key `email.host`: the SMTP server is required when e-mail is enabled".into());
        }
        if e.port == 0 {
            return Err("key `email.port`: 0 is not a port".into());
        }
        if e.username.is_empty() != e.password.is_empty() {
            let missing = if e.username.is_empty() { "email.username" } else { "email.password" };
            return Err(format!("key `{missing}`: set both username and password for SMTP login, or neither"));
        }
        positive("email.timeout_secs", e.timeout_secs, 600)?;
        if !e.ca_file.is_empty() {
            if e.tls == SmtpTls::None {
                return Err("key `email.ca_file`: only used with tls = \"starttls\" or \"tls\"".into());
            }
            let path = s.base_dir().join(&e.ca_file);
            let pem = std::fs::read_to_string(&path)
                .map_err(|err| format!("key `email.ca_file`: cannot read {}: {err}", path.display()))?;
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(format!("key `email.ca_file`: {} holds no PEM certificate", path.display()));
            }
        }
    }

    let t = &s.twitter;
    if t.enabled {
        for (key, value) in [
            ("consumer_key", &t.consumer_key),
            ("consumer_secret", &t.consumer_secret),
            ("access_token", &t.access_token),
            ("access_secret", &t.access_secret),
        ] {
            if value.trim().is_empty() {
                return Err(format!(
                    "key `twitter.{key}`: required when twitter is enabled (set it here or in SITEWATCH_TWITTER_{})",
                    key.to_ascii_uppercase()
                ));
            }
        }
        http_url("twitter.endpoint", &t.endpoint)?;
    }

    for (i, hook) in s.webhooks.iter().enumerate() {
        http_url(&format!("webhooks[{i}].url"), &hook.url)?;
    }
    traffic(&s.traffic)
}

/// `[[traffic]]` entries: a usable, unique name (it keys the log's rows and prefixes its
/// lines), a path, and limits the watch accepts.
fn traffic(entries: &[TrafficSettings]) -> Result<(), String> {
    let mut names = HashSet::new();
    for (i, t) in entries.iter().enumerate() {
        let name = t.name.trim();
        if name.is_empty() {
            return Err(format!("key `traffic[{i}].name`: cannot be empty; it names the log in alerts"));
        }
        if name != t.name || t.name.chars().any(char::is_control) || t.name.chars().count() > 100 {
            return Err(format!(
                "key `traffic[{i}].name`: `{}` must be at most 100 characters, without control characters or \
                 spaces around it",
                t.name.escape_debug()
            ));
        }
        if !names.insert(name.to_lowercase()) {
            return Err(format!("key `traffic[{i}].name`: `{name}` names an earlier [[traffic]] entry too"));
        }
        if t.path.as_os_str().is_empty() {
            return Err(format!("key `traffic[{i}].path`: the access log to watch is required"));
        }
        traffic_limits::threshold(t.threshold).map_err(|e| format!("key `traffic[{i}].threshold`: {e}"))?;
        traffic_limits::window_secs(t.window_secs).map_err(|e| format!("key `traffic[{i}].window_secs`: {e}"))?;
    }
    Ok(())
}

fn http_url(key: &str, url: &url::Url) -> Result<(), String> {
    if matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()) {
        Ok(())
    } else {
        Err(format!("key `{key}`: `{url}` is not an http(s) URL with a host"))
    }
}

fn positive(key: &str, value: u64, max: u64) -> Result<(), String> {
    if value == 0 || value > max {
        Err(format!("key `{key}`: must be between 1 and {max} (got {value})"))
    } else {
        Ok(())
    }
}
