//! Reading import files: sitewatch's own format, a `config.json` of `websites` (`URL`,
//! `checkInterval`) and a YAML `targets` list. Pure: no database. Each entry is read through
//! the same typed inputs as the other doors, so a value refused there is refused here.

use std::path::Path;

use serde_json::{Map, Value};

use super::document::Document;
use crate::domain::interval::interval_from_float;
use crate::domain::site_url::SiteUrl;
use crate::domain::target::CheckKind;
use crate::manage::group::{GroupFields, NewGroup};
use crate::manage::input::Input;
use crate::manage::site::{NewSite, SiteFields};

/// A site to add, with where it came from in the file for error messages. Its `group` is the
/// command's fallback group when the file names none.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteEntry {
    pub position: String,
    pub site: NewSite,
}

/// A group the file declares (sitewatch's own format only).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupEntry {
    pub position: String,
    pub group: NewGroup,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportFile {
    pub groups: Vec<GroupEntry>,
    pub sites: Vec<SiteEntry>,
}

impl ImportFile {
    /// Sites made by a program rather than read from a file (benchmarks, generators).
    pub fn of_sites(sites: impl IntoIterator<Item = NewSite>) -> ImportFile {
        let sites = sites
            .into_iter()
            .enumerate()
            .map(|(i, site)| SiteEntry { position: format!("site {}", i + 1), site })
            .collect();
        ImportFile { groups: Vec::new(), sites }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Yaml,
    Json,
}

impl Syntax {
    /// By extension; by the first character when the extension says nothing.
    pub fn detect(path: &Path, text: &str) -> Syntax {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("toml") => Syntax::Toml,
            Some("yaml" | "yml") => Syntax::Yaml,
            Some("json") => Syntax::Json,
            _ if text.lines().any(|l| l.trim_start().starts_with("[[")) => Syntax::Toml,
            _ if text.trim_start().starts_with(['{', '[']) => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// Parses the text of an import file; errors say which line or entry is wrong.
pub fn parse(syntax: Syntax, text: &str) -> Result<ImportFile, String> {
    let Document(document) = match syntax {
        Syntax::Json => serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?,
        Syntax::Yaml => yaml_serde::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?,
        Syntax::Toml => toml::from_str(text).map_err(|e| format!("not valid TOML: {}", e.to_string().trim_end()))?,
    };
    let Value::Object(top) = document else {
        return Err("expected a table/object at the top with `sites`, `websites` or `targets`".into());
    };
    if top.contains_key("websites") {
        read_websites(&top)
    } else if top.contains_key("targets") {
        read_targets(&top)
    } else if top.contains_key("sites") || top.contains_key("groups") {
        read_native(&top)
    } else {
        Err("found no `sites`, `websites` or `targets` list to import".into())
    }
}

fn only_keys(map: &Map<String, Value>, allowed: &[&str], position: &str) -> Result<(), String> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(format!("{position}: unknown key `{unknown}` (expected one of: {})", allowed.join(", "))),
        None => Ok(()),
    }
}

fn list<'v>(top: &'v Map<String, Value>, key: &str) -> Result<&'v [Value], String> {
    match top.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("`{key}` must be a list")),
    }
}

fn text<'v>(map: &'v Map<String, Value>, key: &str, position: &str) -> Result<Option<&'v str>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("{position}: `{key}` must be text, not {other}")),
    }
}

fn whole_interval(value: Option<&Value>, key: &str, position: &str) -> Result<Option<u32>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let secs = n.as_f64().ok_or_else(|| format!("{position}: `{key}` is not a number"))?;
            interval_from_float(secs).map(Some).map_err(|e| format!("{position}: `{key}`: {e}"))
        }
        Some(other) => Err(format!("{position}: `{key}` must be a number of seconds, not {other}")),
    }
}

/// A whole number from a file (TOML and YAML can hold fractions, NaN and infinities).
fn number(value: Option<&Value>) -> Input<i64> {
    match value {
        None => Input::Absent,
        Some(Value::Null) => Input::Null,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(n) => Input::Value(n),
            None => Input::from_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(other) => Input::Unreadable(format!("must be a whole number, not {other}")),
    }
}

fn boolean(map: &Map<String, Value>, key: &str, position: &str) -> Result<Option<bool>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(format!("{position}: `{key}` must be true or false, not {other}")),
    }
}

fn owned_text(map: &Map<String, Value>, key: &str, position: &str) -> Result<Option<String>, String> {
    text(map, key, position).map(|t| t.map(str::to_owned))
}

/// sitewatch's own format: `[[groups]]` (optional) and `[[sites]]`.
fn read_native(top: &Map<String, Value>) -> Result<ImportFile, String> {
    only_keys(top, &["sites", "groups"], "the file")?;
    let mut file = ImportFile::default();
    for (i, item) in list(top, "groups")?.iter().enumerate() {
        let position = format!("groups entry {}", i + 1);
        let Value::Object(map) = item else { return Err(format!("{position}: expected a table")) };
        only_keys(map, &["name", "slug", "description", "order"], &position)?;
        let fields = GroupFields {
            name: Some(owned_text(map, "name", &position)?.ok_or_else(|| format!("{position}: `name` is missing"))?),
            slug: owned_text(map, "slug", &position)?,
            description: owned_text(map, "description", &position)?,
            display_order: number(map.get("order")),
            public: None,
        };
        let group = NewGroup::try_from(fields).map_err(|e| format!("{position}: {e}"))?;
        file.groups.push(GroupEntry { group, position });
    }
    for (i, item) in list(top, "sites")?.iter().enumerate() {
        let position = format!("sites entry {}", i + 1);
        let Value::Object(map) = item else { return Err(format!("{position}: expected a table with `url`")) };
        only_keys(
            map,
            &["url", "name", "slug", "group", "interval_secs", "probes", "keyword", "keyword_absent"],
            &position,
        )?;
        let fields = SiteFields {
            url: Some(owned_text(map, "url", &position)?.ok_or_else(|| format!("{position}: `url` is missing"))?),
            name: owned_text(map, "name", &position)?,
            group: owned_text(map, "group", &position)?,
            interval_secs: number(map.get("interval_secs")),
            slug: owned_text(map, "slug", &position)?,
            active: None,
            probes: number(map.get("probes")),
            keyword: owned_text(map, "keyword", &position)?,
            keyword_absent: boolean(map, "keyword_absent", &position)?,
        };
        let site = NewSite::try_from(fields).map_err(|e| format!("{position}: {e}"))?;
        file.sites.push(SiteEntry { site, position });
    }
    Ok(file)
}

/// A `config.json` of `websites` of `{URL, checkInterval}`, and a
/// `defaultCheckInterval` for entries without one.
fn read_websites(top: &Map<String, Value>) -> Result<ImportFile, String> {
    only_keys(top, &["websites", "defaultCheckInterval"], "the file")?;
    let default_interval = whole_interval(top.get("defaultCheckInterval"), "defaultCheckInterval", "the file")?;
    let mut file = ImportFile::default();
    for (i, item) in list(top, "websites")?.iter().enumerate() {
        let position = format!("websites entry {}", i + 1);
        let Value::Object(map) = item else { return Err(format!("{position}: expected an object with `URL`")) };
        only_keys(map, &["URL", "checkInterval"], &position)?;
        let url = text(map, "URL", &position)?.ok_or_else(|| format!("{position}: `URL` is missing"))?;
        let interval = whole_interval(map.get("checkInterval"), "checkInterval", &position)?.or(default_interval);
        let site = NewSite {
            interval_secs: interval,
            ..NewSite::at(SiteUrl::parse(url).map_err(|e| format!("{position}: {e}"))?)
        };
        file.sites.push(SiteEntry { site, position });
    }
    Ok(file)
}

/// The YAML `targets` list: hosts or URLs, with `global_settings.interval` for all of them.
fn read_targets(top: &Map<String, Value>) -> Result<ImportFile, String> {
    only_keys(top, &["targets", "global_settings"], "the file")?;
    let (interval, probes) = match top.get("global_settings") {
        None | Some(Value::Null) => (None, Input::Absent),
        Some(Value::Object(global)) => {
            (whole_interval(global.get("interval"), "interval", "global_settings")?, number(global.get("probes")))
        }
        Some(_) => return Err("`global_settings` must be a table".into()),
    };
    let mut file = ImportFile::default();
    for (i, item) in list(top, "targets")?.iter().enumerate() {
        let position = format!("targets entry {}", i + 1);
        let target = match item {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => return Err(format!("{position}: expected a host or URL, not {other}")),
        };
        let url = SiteUrl::parse_host_or_url(&target).map_err(|e| format!("{position}: {e}"))?;
        // The probe count is for the ping targets; a target with another scheme keeps its kind.
        let fields = SiteFields {
            url: Some(url.as_str().to_owned()),
            probes: if url.kind() == CheckKind::Ping { probes.clone() } else { Input::Absent },
            ..SiteFields::default()
        };
        let site =
            NewSite { interval_secs: interval, ..NewSite::try_from(fields).map_err(|e| format!("{position}: {e}"))? };
        file.sites.push(SiteEntry { site, position });
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(file: &ImportFile) -> Vec<&str> {
        file.sites.iter().map(|s| s.site.url.as_str()).collect()
    }

    #[test]
    fn a_websites_config_json_is_read_with_its_intervals() {
        let text = r#"{"websites": [{"URL": "http://via.ecp.fr", "checkInterval": 3.5}, {"URL": "http://my.ecp.fr"}],
                       "defaultCheckInterval": 3}"#;
        let file = parse(Syntax::Json, text).unwrap();
        assert_eq!(urls(&file), ["http://via.ecp.fr/", "http://my.ecp.fr/"]);
        assert_eq!(file.sites[0].site.interval_secs, Some(4));
        assert_eq!(file.sites[1].site.interval_secs, Some(3));
    }

    #[test]
    fn the_targets_yaml_makes_ping_targets_of_bare_hosts() {
        let text = "global_settings:\n  probes: 4\n  interval: 1\n  port: 8989\n\ntargets:\n  - 8.8.8.8\n  - example.com\n  - another.target.io\n";
        let file = parse(Syntax::Yaml, text).unwrap();
        assert_eq!(urls(&file), ["ping://8.8.8.8", "ping://example.com", "ping://another.target.io"]);
        assert!(file.sites.iter().all(|s| s.site.interval_secs == Some(1)));
        assert!(file.sites.iter().all(|s| s.site.check.probes.map(|p| p.get()) == Some(4)), "global probes");
        let mixed =
            parse(Syntax::Yaml, "global_settings: {probes: 6}\ntargets: [example.com, \"https://example.com/\"]\n");
        let mixed = mixed.unwrap();
        assert_eq!(mixed.sites[1].site.check.probes, None, "an https target is not pinged");
    }

    #[test]
    fn the_native_format_reads_groups_and_sites_in_toml() {
        let text = "[[groups]]\nname = \"Web\"\nslug = \"web\"\n\n[[sites]]\nurl = \"https://shop.example.com/\"\nname = \"Shop\"\ngroup = \"web\"\ninterval_secs = 120\n";
        let file = parse(Syntax::Toml, text).unwrap();
        assert_eq!(file.groups.len(), 1);
        assert_eq!(file.sites[0].site.name.as_ref().unwrap().as_str(), "Shop");
        assert_eq!(file.sites[0].site.group.as_deref(), Some("web"));
        assert_eq!(file.sites[0].site.interval_secs, Some(120));
    }

    #[test]
    fn errors_name_the_entry_or_line() {
        let err =
            parse(Syntax::Json, r#"{"websites": [{"URL": "http://a.example"}, {"checkInterval": 2}]}"#).unwrap_err();
        assert!(err.starts_with("websites entry 2: `URL` is missing"), "{err}");
        let err =
            parse(Syntax::Toml, "[[sites]]\nurl = \"https://a.example/\"\n[[sites]]\nurl = \"ftp://b.example/\"\n")
                .unwrap_err();
        assert!(err.starts_with("sites entry 2:"), "{err}");
        let err = parse(Syntax::Toml, "[[sites]]\nurl = \"https://a.example/\"\ncolour = \"red\"\n").unwrap_err();
        assert!(err.contains("sites entry 1: unknown key `colour`"), "{err}");
        let err = parse(Syntax::Json, "{\"websites\": [\n  {\"URL\": }\n]}").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        let err = parse(Syntax::Yaml, "targets:\n  - a.example\n  - [nested\n").unwrap_err();
        assert!(err.contains("line"), "{err}");
        let err = parse(Syntax::Yaml, "targets:\n  - a.example\n  - not a host\n").unwrap_err();
        assert!(err.starts_with("targets entry 2:"), "{err}");
    }

    #[test]
    fn a_file_with_nothing_to_import_says_so() {
        assert!(parse(Syntax::Json, "{\"servers\": []}").unwrap_err().contains("no `sites`"));
    }

    #[test]
    fn syntax_is_detected_by_extension_then_content() {
        assert_eq!(Syntax::detect(Path::new("a.yml"), ""), Syntax::Yaml);
        assert_eq!(Syntax::detect(Path::new("a.conf"), " {\"websites\": []}"), Syntax::Json);
        assert_eq!(Syntax::detect(Path::new("a.conf"), "[[sites]]\nurl = \"x\""), Syntax::Toml);
        assert_eq!(Syntax::detect(Path::new("sites"), "targets:\n - a"), Syntax::Yaml);
    }
}
