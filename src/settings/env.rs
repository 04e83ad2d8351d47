//! `SITEWATCH_<SECTION>_<KEY>` overrides, merged into the file's table before it is typed.

use super::SettingsError;

pub const ENV_PREFIX: &str = "SITEWATCH_";

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Integer,
    Boolean,
    TextList,
    IntegerList,
    /// An inline TOML table: `{ X-Api-Key = "secret" }`.
    Table,
}

/// Every key that can be set from the environment, as (section, key, kind); "" is the top level.
const KEYS: &[(&str, &str, Kind)] = &[
    ("", "database_url", Kind::Text),
    ("", "secret_key", Kind::Text),
    ("", "bind", Kind::Text),
    ("", "public_url", Kind::Text),
    ("", "time_zone", Kind::Text),
    ("check", "sandbox_urls", Kind::TextList),
    ("check", "good_codes", Kind::IntegerList),
    ("check", "timeout_secs", Kind::Integer),
    ("check", "failures_before_outage", Kind::Integer),
    ("check", "concurrency", Kind::Integer),
    ("check", "user_agent", Kind::Text),
    ("email", "enabled", Kind::Boolean),
    ("email", "from", Kind::Text),
    ("email", "to", Kind::TextList),
    ("email", "host", Kind::Text),
    ("email", "port", Kind::Integer),
    ("email", "tls", Kind::Text),
    ("email", "username", Kind::Text),
    ("email", "password", Kind::Text),
    ("email", "timeout_secs", Kind::Integer),
    ("email", "ca_file", Kind::Text),
    ("twitter", "enabled", Kind::Boolean),
    ("twitter", "consumer_key", Kind::Text),
    ("twitter", "consumer_secret", Kind::Text),
    ("twitter", "access_token", Kind::Text),
    ("twitter", "access_secret", Kind::Text),
    ("twitter", "endpoint", Kind::Text),
    ("sms", "enabled", Kind::Boolean),
    ("sms", "provider", Kind::Text),
    ("sms", "to", Kind::TextList),
    ("sms", "from", Kind::Text),
    ("sms", "account_sid", Kind::Text),
    ("sms", "auth_token", Kind::Text),
    ("sms", "url", Kind::Text),
    ("sms", "format", Kind::Text),
    ("sms", "to_field", Kind::Text),
    ("sms", "body_field", Kind::Text),
    ("sms", "from_field", Kind::Text),
    ("sms", "headers", Kind::Table),
    ("alerts", "remind_every_mins", Kind::Integer),
    ("alerts", "give_up_after_hours", Kind::Integer),
    ("retention", "raw_days", Kind::Integer),
    ("retention", "hourly_days", Kind::Integer),
    ("retention", "daily_days", Kind::Integer),
];

/// Variables of sitewatch's own that are not settings keys.
const NOT_SETTINGS: &[&str] = &["CONFIG", "LOG", "TEST_DATABASE_URL"];

const WEBHOOK_KEYS: &[&str] = &["url", "secret", "format"];

pub(super) fn apply_overrides(table: &mut toml::Table, vars: &[(String, String)]) -> Result<(), SettingsError> {
    let mut vars: Vec<&(String, String)> = vars.iter().filter(|(name, _)| name.starts_with(ENV_PREFIX)).collect();
    vars.sort();
    for (name, raw) in vars {
        let suffix = &name[ENV_PREFIX.len()..];
        if NOT_SETTINGS.contains(&suffix) {
            continue;
        }
        let lower = suffix.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("webhooks_") {
            apply_webhook(table, name, rest, raw)?;
            continue;
        }
        let known =
            KEYS.iter().find(
                |(section, key, _)| {
                    if section.is_empty() { lower == *key } else { lower == format!("{section}_{key}") }
                },
            );
        let Some(&(section, key, kind)) = known else {
            let section_like =
                ["check_", "email_", "twitter_", "sms_", "alerts_", "retention_"].iter().any(|s| lower.starts_with(s));
            if section_like {
                return Err(SettingsError::Environment {
                    variable: name.clone(),
                    message: "not a settings key; see SPEC or `sitewatch --help` for the names".into(),
                });
            }
            continue;
        };
        let value =
            convert(raw, kind).map_err(|message| SettingsError::Environment { variable: name.clone(), message })?;
        let target = if section.is_empty() { &mut *table } else { section_table(table, section, name)? };
        target.insert(key.to_owned(), value);
    }
    Ok(())
}

fn section_table<'t>(
    table: &'t mut toml::Table,
    section: &str,
    variable: &str,
) -> Result<&'t mut toml::Table, SettingsError> {
    let entry = table.entry(section.to_owned()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
    entry.as_table_mut().ok_or_else(|| SettingsError::Environment {
        variable: variable.to_owned(),
        message: format!("cannot override a key of `{section}` because the file sets `{section}` to a non-table value"),
    })
}

/// `SITEWATCH_WEBHOOKS_<N>_<KEY>`: sets a key of the Nth `[[webhooks]]` entry (0-based),
/// or adds an entry when N is one past the last.
fn apply_webhook(table: &mut toml::Table, variable: &str, rest: &str, raw: &str) -> Result<(), SettingsError> {
    let err = |message: String| SettingsError::Environment { variable: variable.to_owned(), message };
    let (index, key) = rest
        .split_once('_')
        .and_then(|(n, key)| Some((n.parse::<usize>().ok()?, key)))
        .filter(|(_, key)| WEBHOOK_KEYS.contains(key))
        .ok_or_else(|| {
            err("expected SITEWATCH_WEBHOOKS_<N>_URL, SITEWATCH_WEBHOOKS_<N>_SECRET or SITEWATCH_WEBHOOKS_<N>_FORMAT"
                .into())
        })?;
    let list = table.entry("webhooks").or_insert_with(|| toml::Value::Array(Vec::new()));
    let list = list.as_array_mut().ok_or_else(|| err("the file's `webhooks` is not a list of tables".into()))?;
    if index > list.len() {
        return Err(err(format!("there are {} webhooks; the next one is number {}", list.len(), list.len())));
    }
    if index == list.len() {
        list.push(toml::Value::Table(toml::Table::new()));
    }
    let entry = list[index].as_table_mut().ok_or_else(|| err(format!("webhooks[{index}] is not a table")))?;
    entry.insert(key.to_owned(), toml::Value::String(raw.to_owned()));
    Ok(())
}

fn convert(raw: &str, kind: Kind) -> Result<toml::Value, String> {
    let raw = raw.trim();
    match kind {
        Kind::Text => Ok(toml::Value::String(raw.to_owned())),
        Kind::Integer => integer(raw),
        Kind::Boolean => match raw.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "off" | "" => Ok(toml::Value::Boolean(false)),
            _ => Err(format!("`{raw}` is not true or false")),
        },
        Kind::TextList => Ok(toml::Value::Array(list_items(raw).map(|s| toml::Value::String(s.to_owned())).collect())),
        Kind::IntegerList => list_items(raw).map(integer).collect::<Result<Vec<_>, _>>().map(toml::Value::Array),
        Kind::Table => inline_table(raw),
    }
}

/// `{ Name = "value", ... }` (the braces may be left out); empty is an empty table.
fn inline_table(raw: &str) -> Result<toml::Value, String> {
    let inner = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')).unwrap_or(raw);
    let parsed: toml::Table = toml::from_str(&format!("table = {{ {inner} }}"))
        .map_err(|e| format!("expected an inline table like {{ X-Api-Key = \"secret\" }}: {}", e.message()))?;
    Ok(parsed.get("table").cloned().unwrap_or_else(|| toml::Value::Table(toml::Table::new())))
}

fn integer(raw: &str) -> Result<toml::Value, String> {
    raw.parse::<i64>().map(toml::Value::Integer).map_err(|_| format!("`{raw}` is not a whole number"))
}

/// Comma-separated items; an empty value is an empty list (e.g. to turn the sandbox off).
fn list_items(raw: &str) -> impl Iterator<Item = &str> {
    raw.trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
pub(super) fn env_keys() -> Vec<String> {
    KEYS.iter().map(|(s, k, _)| if s.is_empty() { (*k).to_owned() } else { format!("{s}.{k}") }).collect()
}
