//! Settings from `sitewatch.toml` and `SITEWATCH_*` variables: typed, defaulted, validated.
//!
//! Lookup: `--config PATH`, else `$SITEWATCH_CONFIG`, else `./sitewatch.toml`, else defaults.
//! Errors name the file (or variable) and the key, so the fix is obvious.

mod alerts;
mod concurrency;
mod env;
mod validate;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::database_url::DatabaseUrl;

pub use alerts::{AlertsSettings, SmsFormat, SmsProvider, SmsSettings, TWILIO_URL, WebhookFormat};
pub use concurrency::{AUTO_CAP, AUTO_HEADROOM, Concurrency};
pub use env::{ENV_PREFIX, variables as environment_variables};

pub const DEFAULT_FILE: &str = "sitewatch.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub database_url: String,
    /// Signs session cookies; generated and kept in the database when left empty.
    pub secret_key: String,
    pub bind: SocketAddr,
    /// Links in alerts point here.
    pub public_url: url::Url,
    /// Pages and alerts show times in this IANA zone.
    pub time_zone: chrono_tz::Tz,
    /// Where this checker runs; checkers in several places share one PostgreSQL database.
    pub location: String,
    pub check: CheckSettings,
    pub email: EmailSettings,
    pub twitter: TwitterSettings,
    pub webhooks: Vec<WebhookSettings>,
    pub sms: SmsSettings,
    pub alerts: AlertsSettings,
    pub retention: RetentionSettings,
    pub web: WebSettings,
    /// Access logs `sitewatch traffic` watches when given no path.
    pub traffic: Vec<TrafficSettings>,
    /// Where the settings came from; relative SQLite paths are resolved beside it.
    #[serde(skip)]
    pub source: Source,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    #[default]
    Defaults,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckSettings {
    /// URLs that normally answer; if all of them fail, the checker's own network is down.
    pub sandbox_urls: Vec<url::Url>,
    pub good_codes: Vec<u16>,
    pub timeout_secs: u64,
    pub failures_before_outage: u32,
    /// Probes at once: `"auto"` (from the open-file limit) or a number.
    pub concurrency: Concurrency,
    pub user_agent: String,
    /// Echo requests per ping check, unless a site sets its own `probes`.
    pub ping_probes: u32,
    /// Time between one ping check's echo requests.
    pub ping_gap_ms: u64,
    /// A ping site is down when at least this share of its requests went unanswered.
    pub ping_down_loss_percent: u32,
    /// How much of a page a keyword check reads at most.
    pub keyword_max_bytes: u64,
    /// Days before a certificate expires at which one `tls_expiring` alert goes out for each.
    pub tls_expiry_days: Vec<u32>,
    /// PEM file of certificates to trust besides the system's (a private CA); relative to the
    /// settings file.
    pub tls_ca_file: String,
    /// The local address every probe leaves from (HTTP, TCP and ping).
    pub source_address: Option<IpAddr>,
    /// Live locations that must see a site down for it to be down; 0 means a majority of them.
    pub quorum: u32,
    /// A location that has not reported for this long stops voting and is alerted as stale.
    pub location_stale_secs: u64,
}

/// How long history is kept. Raw views are purged at the end of the first round of each UTC
/// day; rollups outlive them, so long windows keep their figures.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSettings {
    /// Days of raw views (one row per check) to keep.
    pub raw_days: u32,
    /// Days of hourly rollups to keep.
    pub hourly_days: u32,
    /// Days of daily rollups to keep; 0 keeps them forever.
    pub daily_days: u32,
}

/// How the web app uses the database and keeps people signed in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct WebSettings {
    /// Database connections the web app may hold at once.
    pub pool_size: u32,
    /// A request waits at most this long for a database connection, and (on PostgreSQL) no
    /// statement of the web app runs longer; the request answers 503 instead.
    pub db_deadline_secs: u64,
    /// A session not used for this many days ends.
    pub session_days: u32,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings { pool_size: 16, db_deadline_secs: 10, session_days: 14 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailSettings {
    pub enabled: bool,
    pub from: String,
    /// Global recipients of every alert.
    pub to: Vec<String>,
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: String,
    pub password: String,
    pub timeout_secs: u64,
    /// PEM file of certificates to trust besides the system's, for an SMTP server with a
    /// private CA or a self-signed certificate; relative to the settings file.
    pub ca_file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TwitterSettings {
    pub enabled: bool,
    pub consumer_key: String,
    pub consumer_secret: String,
    pub access_token: String,
    pub access_secret: String,
    pub endpoint: url::Url,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    pub url: url::Url,
    /// When set, each POST carries `X-Sitewatch-Signature: sha256=<hex HMAC of the body>`.
    #[serde(default)]
    pub secret: String,
    #[serde(default)]
    pub format: WebhookFormat,
}

/// One `[[traffic]]` entry: an access log to watch, and when its traffic counts as high.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSettings {
    /// Names the log in alerts, in the database and before its lines when several are watched.
    pub name: String,
    /// The log file; relative to the settings file.
    pub path: PathBuf,
    /// Mean hits per second over the window above which an alert goes out.
    #[serde(default = "TrafficSettings::default_threshold")]
    pub threshold: f64,
    /// The window the mean is taken over, in seconds of log time.
    #[serde(default = "TrafficSettings::default_window_secs")]
    pub window_secs: u32,
}

impl TrafficSettings {
    pub const DEFAULT_THRESHOLD: f64 = 10.0;
    pub const DEFAULT_WINDOW_SECS: u32 = 120;

    fn default_threshold() -> f64 {
        TrafficSettings::DEFAULT_THRESHOLD
    }

    fn default_window_secs() -> u32 {
        TrafficSettings::DEFAULT_WINDOW_SECS
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{file}: cannot read the settings file: {reason}")]
    Read { file: String, reason: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{variable}: {message}")]
    Environment { variable: String, message: String },
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://sitewatch.db".into(),
            secret_key: String::new(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8000)),
            public_url: url::Url::parse("http://127.0.0.1:8000").expect("valid default URL"),
            time_zone: chrono_tz::UTC,
            location: crate::domain::quorum::DEFAULT_LOCATION.into(),
            check: CheckSettings::default(),
            email: EmailSettings::default(),
            twitter: TwitterSettings::default(),
            webhooks: Vec::new(),
            sms: SmsSettings::default(),
            alerts: AlertsSettings::default(),
            retention: RetentionSettings::default(),
            web: WebSettings::default(),
            traffic: Vec::new(),
            source: Source::Defaults,
        }
    }
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            sandbox_urls: ["https://www.bbc.co.uk/", "https://www.google.co.uk/"]
                .iter()
                .map(|u| url::Url::parse(u).expect("valid default URL"))
                .collect(),
            good_codes: vec![200, 301, 304],
            timeout_secs: 5,
            failures_before_outage: 3,
            concurrency: Concurrency::Auto,
            user_agent: "sitewatch".into(),
            ping_probes: 4,
            ping_gap_ms: 200,
            ping_down_loss_percent: 100,
            keyword_max_bytes: 1024 * 1024,
            tls_expiry_days: vec![21, 14, 7],
            tls_ca_file: String::new(),
            source_address: None,
            quorum: 0,
            location_stale_secs: 900,
        }
    }
}

impl Default for RetentionSettings {
    fn default() -> Self {
        RetentionSettings { raw_days: 90, hourly_days: 730, daily_days: 0 }
    }
}

impl Default for EmailSettings {
    fn default() -> Self {
        EmailSettings {
            enabled: false,
            from: "sitewatch@example.com".into(),
            to: Vec::new(),
            host: "smtp.gmail.com".into(),
            port: 587,
            tls: SmtpTls::Starttls,
            username: String::new(),
            password: String::new(),
            timeout_secs: 10,
            ca_file: String::new(),
        }
    }
}

impl Default for TwitterSettings {
    fn default() -> Self {
        TwitterSettings {
            enabled: false,
            consumer_key: String::new(),
            consumer_secret: String::new(),
            access_token: String::new(),
            access_secret: String::new(),
            endpoint: url::Url::parse("https://api.twitter.com/2/tweets").expect("valid default URL"),
        }
    }
}

impl Settings {
    /// Finds and loads the settings: `explicit` (from `--config`) or `$SITEWATCH_CONFIG` must
    /// exist; `./sitewatch.toml` is optional; environment overrides apply in every case.
    pub fn load(explicit: Option<&Path>) -> Result<Settings, SettingsError> {
        let from_env = std::env::var_os("SITEWATCH_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from);
        let path = match explicit.map(Path::to_path_buf).or(from_env) {
            Some(path) => Some(path),
            None => Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file()),
        };
        let vars: Vec<(String, String)> = std::env::vars().collect();
        match path {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| SettingsError::Read { file: path.display().to_string(), reason: e.to_string() })?;
                Settings::from_parts(Some((&path, &text)), &vars)
            }
            None => Settings::from_parts(None, &vars),
        }
    }

    /// Builds settings from a file's text (if any) and environment variables; the pure core of `load`.
    pub fn from_parts(file: Option<(&Path, &str)>, vars: &[(String, String)]) -> Result<Settings, SettingsError> {
        let label = file.map_or_else(|| "settings (no file)".to_owned(), |(p, _)| p.display().to_string());
        let mut table = match file {
            Some((_, text)) => toml::from_str::<toml::Table>(text).map_err(|e| SettingsError::Invalid {
                file: label.clone(),
                message: e.to_string().trim_end().to_owned(),
            })?,
            None => toml::Table::new(),
        };
        env::apply_overrides(&mut table, vars)?;
        let mut settings: Settings = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let key = e.path().to_string();
            // toml appends "in `section`" on a second line; the path already says where.
            let inner = e.inner().to_string();
            let inner = inner.lines().next().unwrap_or_default();
            let message = if key == "." { inner.to_owned() } else { format!("key `{key}`: {inner}") };
            SettingsError::Invalid { file: label.clone(), message }
        })?;
        settings.source = match file {
            Some((path, _)) => Source::File(path.to_owned()),
            None => Source::Defaults,
        };
        validate::check(&settings).map_err(|message| SettingsError::Invalid { file: label, message })?;
        Ok(settings)
    }

    /// The folder relative paths are resolved against: the config file's, or the working directory.
    pub fn base_dir(&self) -> PathBuf {
        match &self.source {
            Source::File(path) => match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
                _ => PathBuf::from("."),
            },
            Source::Defaults => PathBuf::from("."),
        }
    }

    /// Where `check.tls_ca_file` is, resolved beside the settings file; `None` when unset.
    pub fn tls_ca_path(&self) -> Option<PathBuf> {
        (!self.check.tls_ca_file.is_empty()).then(|| self.base_dir().join(&self.check.tls_ca_file))
    }

    /// A `[[traffic]]` entry's log file, resolved against the settings file's folder.
    pub fn traffic_path(&self, entry: &TrafficSettings) -> PathBuf {
        self.base_dir().join(&entry.path)
    }

    /// The parsed database location (validated when the settings were loaded).
    pub fn database(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.database_url, &self.base_dir()).expect("database_url was validated on load")
    }
}

#[cfg(test)]
mod tests;
