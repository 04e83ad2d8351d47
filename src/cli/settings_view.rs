//! `sitewatch settings`: every settings key with the value in effect and the environment
//! variable that overrides it. Secrets are shown only as set or not.

use serde_json::Value;

use super::CliError;
use super::output::{Table, print_json};
use crate::checker::describe_concurrency;
use crate::settings::{Settings, Source, environment_variables};

/// Keys whose values are never printed.
const SECRETS: &[&str] = &["secret_key", "password", "auth_token", "consumer_secret", "access_secret", "secret"];

fn shown(key: &str, value: &Value) -> String {
    let last = key.rsplit(['.', ']']).next().unwrap_or(key);
    if SECRETS.contains(&last) {
        return match value {
            Value::String(s) if s.is_empty() => "(not set)".to_owned(),
            Value::Null => "(not set)".to_owned(),
            _ => "(set)".to_owned(),
        };
    }
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "(not set)".to_owned(),
        other => other.to_string(),
    }
}

pub fn run(settings: &Settings, json: bool) -> Result<(), CliError> {
    let values = serde_json::to_value(settings).map_err(|e| CliError::Failed(e.to_string()))?;
    let lookup = |key: &str| -> Value {
        let mut current = &values;
        for part in key.split('.') {
            current = current.get(part).unwrap_or(&Value::Null);
        }
        current.clone()
    };
    let rows: Vec<(String, String, String)> = environment_variables()
        .into_iter()
        .map(|(key, variable)| {
            let value = if key.contains("[N]") {
                let list = key.split('[').next().unwrap_or_default();
                format!("{} entr(ies)", values.get(list).and_then(Value::as_array).map_or(0, Vec::len))
            } else if key == "check.concurrency" {
                format!("{} = {}", shown(&key, &lookup(&key)), describe_concurrency(settings.check.concurrency))
            } else {
                shown(&key, &lookup(&key))
            };
            (key, value, variable)
        })
        .collect();
    if json {
        let items: Vec<Value> = rows
            .iter()
            .map(|(key, value, variable)| serde_json::json!({"key": key, "value": value, "variable": variable}))
            .collect();
        return print_json(&items);
    }
    match &settings.source {
        Source::File(path) => println!("Settings from {} (and SITEWATCH_* variables):\n", path.display()),
        Source::Defaults => println!("No settings file: defaults (and SITEWATCH_* variables):\n"),
    }
    let mut table = Table::new(&["KEY", "VALUE", "VARIABLE"]);
    for (key, value, variable) in rows {
        table.row(vec![key, value, variable]);
    }
    table.print_or("No settings.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_only_said_to_be_set() {
        assert_eq!(shown("email.password", &Value::String("hunter2".into())), "(set)");
        assert_eq!(shown("email.password", &Value::String(String::new())), "(not set)");
        assert_eq!(shown("email.host", &Value::String("smtp.example.com".into())), "\"smtp.example.com\"");
        assert_eq!(shown("check.timeout_secs", &serde_json::json!(5)), "5");
    }
}
