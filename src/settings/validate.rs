//! Checks that span more than one value's type: ranges, required credentials, address formats.

use std::collections::HashSet;

use super::{Settings, SmtpTls, TrafficSettings};
use crate::domain::database_url::DatabaseUrl;
use crate::domain::email::EmailAddress;
use crate::domain::ping::MAX_PING_PROBES;

/// The most a keyword check may read of a page: 100 MiB.
const MAX_KEYWORD_BYTES: u64 = 100 * 1024 * 1024;
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
    if let super::Concurrency::Fixed(n) = c.concurrency {
        positive("check.concurrency", n as u64, 100_000)
            .map_err(|e| format!("{e}; or \"auto\" to follow the open-file limit"))?;
    }
    if c.user_agent.trim().is_empty() {
        return Err("key `check.user_agent`: cannot be empty".into());
    }
    crate::domain::text::check_line(&c.user_agent, 200)
        .map_err(|e| format!("key `check.user_agent`: {e}; it is sent as an HTTP header"))?;
    positive("check.ping_probes", u64::from(c.ping_probes), u64::from(MAX_PING_PROBES))?;
    positive("check.ping_gap_ms", c.ping_gap_ms, 60_000)?;
    positive("check.ping_down_loss_percent", u64::from(c.ping_down_loss_percent), 100)?;
    positive("check.keyword_max_bytes", c.keyword_max_bytes, MAX_KEYWORD_BYTES)?;
    if let Some(days) = c.tls_expiry_days.iter().find(|d| **d > 3650) {
        return Err(format!("key `check.tls_expiry_days`: {days} is more than ten years; use days, e.g. [21, 14, 7]"));
    }
    if let Some(path) = s.tls_ca_path() {
        pem_certificates("check.tls_ca_file", &path)?;
    }
    if let Some(address) = c.source_address
        && (address.is_unspecified() || address.is_multicast())
    {
        return Err(format!(
            "key `check.source_address`: {address} is not an address of this machine to send from; \
             leave the key out to let the system choose"
        ));
    }

    location_name(&s.location)?;
    if c.quorum > 1000 {
        return Err(format!(
            "key `check.quorum`: {} is more locations than can vote; use 0 for a majority of the live locations",
            c.quorum
        ));
    }
    positive("check.location_stale_secs", c.location_stale_secs, 7 * 86_400)?;

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

    let w = &s.web;
    positive("web.pool_size", u64::from(w.pool_size), 1_000)?;
    positive("web.db_deadline_secs", w.db_deadline_secs, 600)?;
    positive("web.session_days", u64::from(w.session_days), 3_650)?;

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
            pem_certificates("email.ca_file", &s.base_dir().join(&e.ca_file))?;
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
    super::alerts::check(s)?;
    traffic(&s.traffic)
}

/// A location name: shown in alerts and pages, keyed in the database and in a lock.
fn location_name(name: &str) -> Result<(), String> {
    let fine = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.');
    if name.is_empty() || name.len() > 64 || !name.chars().all(fine) {
        return Err(format!(
            "key `location`: `{}` must be 1 to 64 letters, digits, `-`, `_` or `.`, e.g. \"eu-west\"",
            name.escape_debug()
        ));
    }
    Ok(())
}

/// A readable file holding at least one PEM certificate.
fn pem_certificates(key: &str, path: &std::path::Path) -> Result<(), String> {
    let pem =
        std::fs::read_to_string(path).map_err(|err| format!("key `{key}`: cannot read {}: {err}", path.display()))?;
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        return Err(format!("key `{key}`: {} holds no PEM certificate", path.display()));
    }
    Ok(())
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
