//! `SITEWATCH_<SECTION>_<KEY>` overrides, merged into the file's table before it is typed.
//!
//! The keys are not listed here: they are read off the settings struct itself (its defaults,
//! serialized), so a key added to a section can be set from the environment at once, and the
//! default's type says how a variable's text is read (text, number, true/false, list).

use serde_json::Value as Json;

use super::{Settings, SettingsError};

pub const ENV_PREFIX: &str = "SITEWATCH_";

/// Variables of sitewatch's own that are not settings keys.
const NOT_SETTINGS: &[&str] = &["CONFIG", "LOG", "TEST_DATABASE_URL", "BENCH_DATABASE_URL"];

/// Where a variable lands in the settings.
#[derive(Debug, PartialEq)]
enum Target<'d> {
    /// A top-level key, or a key of a `[section]`.
    Key { section: Option<&'d str>, key: &'d str, default: &'d Json },
    /// A key of the Nth entry of a `[[list]]` (webhooks, traffic logs), 0-based.
    ListEntry { list: &'d str, index: usize, key: String },
}

/// Every settings key that can be set from the environment, as `section.key` (or `key`), with
/// its variable; lists of tables appear as `list[N].key`.
pub fn variables() -> Vec<(String, String)> {
    let defaults = defaults();
    let mut out = Vec::new();
    for (name, value) in defaults.as_object().expect("settings serialize to a table") {
        match value {
            Json::Object(section) => {
                for key in section.keys() {
                    out.push((format!("{name}.{key}"), format!("{ENV_PREFIX}{}_{}", upper(name), upper(key))));
                }
            }
            Json::Array(_) if is_table_list(name) => {
                out.push((format!("{name}[N].KEY"), format!("{ENV_PREFIX}{}_<N>_<KEY>", upper(name))));
            }
            _ => out.push((name.clone(), format!("{ENV_PREFIX}{}", upper(name)))),
        }
    }
    out
}

fn upper(name: &str) -> String {
    name.to_ascii_uppercase()
}

fn defaults() -> Json {
    serde_json::to_value(Settings::default()).expect("the default settings serialize")
}

/// The settings that are lists of tables (`[[webhooks]]`), set by position from the environment.
fn is_table_list(name: &str) -> bool {
    matches!(name, "webhooks" | "traffic")
}

pub(super) fn apply_overrides(table: &mut toml::Table, vars: &[(String, String)]) -> Result<(), SettingsError> {
    let defaults = defaults();
    let mut vars: Vec<&(String, String)> = vars.iter().filter(|(name, _)| name.starts_with(ENV_PREFIX)).collect();
    vars.sort();
    for (name, raw) in vars {
        let suffix = &name[ENV_PREFIX.len()..];
        if NOT_SETTINGS.contains(&suffix) {
            continue;
        }
        let err = |message: String| SettingsError::Environment { variable: name.clone(), message };
        let Some(target) = find(&defaults, &suffix.to_ascii_lowercase()).map_err(err)? else {
            continue;
        };
        match target {
            Target::Key { section, key, default } => {
                let value = convert(raw, default).map_err(err)?;
                let target = match section {
                    None => &mut *table,
                    Some(section) => section_table(table, section).map_err(err)?,
                };
                target.insert(key.to_owned(), value);
            }
            Target::ListEntry { list, index, key } => {
                let entry = list_entry(table, list, index).map_err(err)?;
                entry.insert(key, toml::Value::String(raw.trim().to_owned()));
            }
        }
    }
    Ok(())
}

/// The key a variable's lowercased suffix names. `Ok(None)` for a name that looks like no
/// section at all (left alone: it may belong to something else); an error for one that starts
/// like a section but names none of its keys.
fn find<'d>(defaults: &'d Json, suffix: &str) -> Result<Option<Target<'d>>, String> {
    let top = defaults.as_object().expect("settings serialize to a table");
    for (name, value) in top {
        match value {
            Json::Object(section) => {
                let Some(key) = suffix.strip_prefix(name.as_str()).and_then(|rest| rest.strip_prefix('_')) else {
                    continue;
                };
                return match section.get_key_value(key) {
                    Some((key, default)) => Ok(Some(Target::Key { section: Some(name), key, default })),
                    None => Err(format!(
                        "`{key}` is not a key of [{name}]; the keys are: {}",
                        section.keys().cloned().collect::<Vec<_>>().join(", ")
                    )),
                };
            }
            Json::Array(_) if is_table_list(name) => {
                let Some(rest) = suffix.strip_prefix(name.as_str()).and_then(|rest| rest.strip_prefix('_')) else {
                    continue;
                };
                let upper_name = upper(name);
                return rest
                    .split_once('_')
                    .and_then(|(n, key)| Some((n.parse::<usize>().ok()?, key)))
                    .filter(|(_, key)| !key.is_empty())
                    .map(|(index, key)| Some(Target::ListEntry { list: name, index, key: key.to_owned() }))
                    .ok_or_else(|| {
                        format!("expected {ENV_PREFIX}{upper_name}_<N>_<KEY>, e.g. {ENV_PREFIX}{upper_name}_0_URL")
                    });
            }
            default if suffix == name => return Ok(Some(Target::Key { section: None, key: name, default })),
            _ => {}
        }
    }
    Ok(None)
}

fn section_table<'t>(table: &'t mut toml::Table, section: &str) -> Result<&'t mut toml::Table, String> {
    let entry = table.entry(section.to_owned()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
    entry.as_table_mut().ok_or_else(|| {
        format!("cannot override a key of `{section}` because the file sets `{section}` to a non-table value")
    })
}

/// The Nth entry of a `[[list]]` (0-based); N one past the last adds an entry.
fn list_entry<'t>(table: &'t mut toml::Table, list: &str, index: usize) -> Result<&'t mut toml::Table, String> {
    let entries = table.entry(list.to_owned()).or_insert_with(|| toml::Value::Array(Vec::new()));
    let entries = entries.as_array_mut().ok_or_else(|| format!("the file's `{list}` is not a list of tables"))?;
    if index > entries.len() {
        return Err(format!("there are {} {list} entries; the next one is number {}", entries.len(), entries.len()));
    }
    if index == entries.len() {
        entries.push(toml::Value::Table(toml::Table::new()));
    }
    entries[index].as_table_mut().ok_or_else(|| format!("{list}[{index}] is not a table"))
}

/// Reads a variable's text as the default's type: a number, true/false, a comma-separated
/// list, or text (also for optional keys, whose default is absent).
fn convert(raw: &str, default: &Json) -> Result<toml::Value, String> {
    let raw = raw.trim();
    match default {
        Json::Bool(_) => match raw.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "off" | "" => Ok(toml::Value::Boolean(false)),
            _ => Err(format!("`{raw}` is not true or false")),
        },
        Json::Number(n) if n.is_f64() => number(raw),
        Json::Number(_) => integer(raw),
        Json::Array(items) => {
            let numbers = items.first().map_or_else(
                || list_items(raw).all(|item| item.parse::<i64>().is_ok()) && list_items(raw).next().is_some(),
                Json::is_number,
            );
            if numbers {
                list_items(raw).map(integer).collect::<Result<Vec<_>, _>>().map(toml::Value::Array)
            } else {
                Ok(toml::Value::Array(list_items(raw).map(|s| toml::Value::String(s.to_owned())).collect()))
            }
        }
        Json::Object(_) => toml::from_str::<toml::Table>(&format!("table = {raw}"))
            .ok()
            .and_then(|mut parsed| parsed.remove("table"))
            .filter(toml::Value::is_table)
            .ok_or_else(|| format!("`{raw}` is not an inline table such as {{ \"X-Api-Key\" = \"...\" }}")),
        Json::String(_) | Json::Null => Ok(toml::Value::String(raw.to_owned())),
    }
}

fn integer(raw: &str) -> Result<toml::Value, String> {
    raw.parse::<i64>().map(toml::Value::Integer).map_err(|_| format!("`{raw}` is not a whole number"))
}

fn number(raw: &str) -> Result<toml::Value, String> {
    match raw.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(toml::Value::Float(n)),
        _ => Err(format!("`{raw}` is not a number")),
    }
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
mod tests {
    use super::*;

    #[test]
    fn every_section_key_and_top_level_key_has_a_variable() {
        let vars = variables();
        let has = |key: &str, var: &str| vars.iter().any(|(k, v)| k == key && v == var);
        assert!(has("database_url", "SITEWATCH_DATABASE_URL"));
        assert!(has("check.timeout_secs", "SITEWATCH_CHECK_TIMEOUT_SECS"));
        assert!(has("email.password", "SITEWATCH_EMAIL_PASSWORD"));
        assert!(has("webhooks[N].KEY", "SITEWATCH_WEBHOOKS_<N>_<KEY>"));
    }

    #[test]
    fn a_variable_is_read_as_its_default_type() {
        assert_eq!(convert("42", &Json::from(5)), Ok(toml::Value::Integer(42)));
        assert!(convert("soon", &Json::from(5)).is_err());
        assert_eq!(convert("on", &Json::from(false)), Ok(toml::Value::Boolean(true)));
        assert_eq!(convert(" x ", &Json::Null), Ok(toml::Value::String("x".into())));
        let ints = convert("200, 204", &serde_json::json!([200])).unwrap();
        assert_eq!(ints, toml::Value::Array(vec![toml::Value::Integer(200), toml::Value::Integer(204)]));
        let words = convert("a@x.example,b@x.example", &serde_json::json!([])).unwrap();
        assert_eq!(words.as_array().unwrap().len(), 2);
        assert_eq!(convert("", &serde_json::json!(["x"])), Ok(toml::Value::Array(Vec::new())));
        let headers = convert(r#"{ "X-Api-Key" = "k1" }"#, &serde_json::json!({})).unwrap();
        assert_eq!(headers.get("X-Api-Key").and_then(toml::Value::as_str), Some("k1"));
        assert!(convert("X-Api-Key: k1", &serde_json::json!({})).is_err());
    }
}
