use std::path::Path;

use super::*;

fn load(text: &str, vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    Settings::from_parts(Some((Path::new("/etc/sitewatch/sitewatch.toml"), text)), &vars)
}

fn error_of(text: &str, vars: &[(&str, &str)]) -> String {
    load(text, vars).expect_err("settings should have been refused").to_string()
}

#[test]
fn no_file_gives_the_spec_defaults() {
    let s = Settings::from_parts(None, &[]).unwrap();
    assert_eq!(s.database_url, "sqlite://sitewatch.db");
    assert_eq!(s.bind.to_string(), "127.0.0.1:8000");
    assert_eq!(s.public_url.as_str(), "http://127.0.0.1:8000/");
    assert_eq!(s.time_zone, chrono_tz::UTC);
    assert_eq!(s.check.good_codes, vec![200, 301, 304]);
    assert_eq!(s.check.timeout_secs, 5);
    assert_eq!(s.check.failures_before_outage, 3);
    assert_eq!(s.check.concurrency, Concurrency::Auto);
    assert_eq!(s.check.sandbox_urls.len(), 2);
    assert_eq!(s.email.port, 587);
    assert_eq!(s.email.tls, SmtpTls::Starttls);
    assert!(!s.email.enabled && !s.twitter.enabled && s.webhooks.is_empty());
    assert_eq!(s.twitter.endpoint.as_str(), "https://api.twitter.com/2/tweets");
    assert_eq!(s.source, Source::Defaults);
}

#[test]
fn a_file_sets_values_and_locates_the_database_beside_itself() {
    let s = load(
        r#"
        database_url = "sqlite://data/watch.db"
        time_zone = "Europe/London"
        [check]
        sandbox_urls = []
        good_codes = [200]
        timeout_secs = 2
        [[webhooks]]
        url = "https://hooks.example.com/a"
        secret = "s3"
        "#,
        &[],
    )
    .unwrap();
    assert_eq!(s.time_zone, chrono_tz::Europe::London);
    assert!(s.check.sandbox_urls.is_empty());
    assert_eq!(s.check.good_codes, vec![200]);
    assert_eq!(s.check.timeout_secs, 2);
    assert_eq!(s.check.concurrency, Concurrency::Auto, "unset keys keep their defaults");
    assert_eq!(s.webhooks.len(), 1);
    assert_eq!(s.webhooks[0].secret, "s3");
    assert_eq!(s.database(), DatabaseUrl::Sqlite("/etc/sitewatch/data/watch.db".into()));
}

#[test]
fn environment_overrides_win_over_the_file() {
    let s = load(
        "[email]\nenabled = true\nfrom = \"a@example.com\"\nport = 25\n",
        &[
            ("SITEWATCH_EMAIL_PORT", "2525"),
            ("SITEWATCH_EMAIL_TO", "x@example.com, y@example.com"),
            ("SITEWATCH_CHECK_SANDBOX_URLS", ""),
            ("SITEWATCH_CHECK_GOOD_CODES", "200,204"),
            ("SITEWATCH_DATABASE_URL", "postgres://u@db/sw"),
            ("SITEWATCH_TWITTER_ENABLED", "false"),
            ("SITEWATCH_WEBHOOKS_0_URL", "https://hooks.example.com/b"),
            ("SITEWATCH_WEBHOOKS_0_SECRET", "from-env"),
            ("SITEWATCH_CONFIG", "/ignored/here"),
            ("UNRELATED", "x"),
        ],
    )
    .unwrap();
    assert_eq!(s.email.port, 2525);
    assert_eq!(s.email.to, vec!["x@example.com", "y@example.com"]);
    assert!(s.check.sandbox_urls.is_empty());
    assert_eq!(s.check.good_codes, vec![200, 204]);
    assert_eq!(s.database(), DatabaseUrl::Postgres("postgres://u@db/sw".into()));
    assert_eq!(s.webhooks[0].url.as_str(), "https://hooks.example.com/b");
    assert_eq!(s.webhooks[0].secret, "from-env");
}

#[test]
fn an_unknown_key_is_named_with_its_file() {
    let err = error_of("[check]\ntimeout = 3\n", &[]);
    assert!(err.starts_with("/etc/sitewatch/sitewatch.toml:"), "{err}");
    assert!(err.contains("timeout"), "{err}");
    let err = error_of("colour = \"blue\"\n", &[]);
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn a_bad_value_names_its_key() {
    let err = error_of("[check]\ntimeout_secs = \"five\"\n", &[]);
    assert!(err.contains("check.timeout_secs"), "{err}");
    let err = error_of("[check]\ntimeout_secs = 0\n", &[]);
    assert!(err.contains("check.timeout_secs"), "{err}");
    let err = error_of("[email]\ntls = \"ssl\"\n", &[]);
    assert!(err.contains("email.tls"), "{err}");
    let err = error_of("[check]\ngood_codes = [200, 999]\n", &[]);
    assert!(err.contains("check.good_codes") && err.contains("999"), "{err}");
    let err = error_of("database_url = \"mysql://x/y\"\n", &[]);
    assert!(err.contains("database_url"), "{err}");
    let err = error_of("bind = \"everywhere\"\n", &[]);
    assert!(err.contains("bind"), "{err}");
}

#[test]
fn a_bad_time_zone_is_named() {
    let err = error_of("time_zone = \"Mars/Olympus_Mons\"\n", &[]);
    assert!(err.contains("time_zone") && err.contains("sitewatch.toml"), "{err}");
}

#[test]
fn a_toml_syntax_error_names_the_file_and_line() {
    let err = error_of("[check\n", &[]);
    assert!(err.contains("sitewatch.toml") && err.contains("line 1"), "{err}");
}

#[test]
fn bad_environment_values_name_the_variable() {
    let err = error_of("", &[("SITEWATCH_CHECK_TIMEOUT_SECS", "soon")]);
    assert!(err.starts_with("SITEWATCH_CHECK_TIMEOUT_SECS:"), "{err}");
    let err = error_of("", &[("SITEWATCH_CHECK_TIMEOUT", "3")]);
    assert!(err.starts_with("SITEWATCH_CHECK_TIMEOUT:"), "{err}");
    let err = error_of("", &[("SITEWATCH_WEBHOOKS_3_URL", "https://x.example/")]);
    assert!(err.starts_with("SITEWATCH_WEBHOOKS_3_URL:"), "{err}");
}

#[test]
fn enabled_channels_need_their_credentials() {
    let err = error_of("[twitter]\nenabled = true\nconsumer_key = \"k\"\n", &[]);
    assert!(err.contains("twitter.consumer_secret"), "{err}");
    let err = error_of("[email]\nenabled = true\nfrom = \"not an address\"\n", &[]);
    assert!(err.contains("email.from"), "{err}");
    let err = error_of("[email]\nenabled = true\nusername = \"u\"\n", &[]);
    assert!(err.contains("email.password"), "{err}");
    let disabled = load("[twitter]\nenabled = false\n", &[]);
    assert!(disabled.is_ok(), "a disabled channel needs nothing");
}

/// Keys that only the settings file sets for now: `env::KEYS` lists each variable by hand, and
/// these came after it.
#[test]
fn every_settings_key_can_be_overridden_from_the_environment() {
    let defaults = toml::Value::try_from(Settings::default()).unwrap();
    let mut file_keys = Vec::new();
    for (key, value) in defaults.as_table().unwrap() {
        match value {
            toml::Value::Table(section) => file_keys.extend(section.keys().map(|k| format!("{key}.{k}"))),
            toml::Value::Array(_) if key == "webhooks" || key == "traffic" => {}
            _ => file_keys.push(key.clone()),
        }
    }
    let env_keys: Vec<String> = env::variables().into_iter().map(|(key, _)| key).collect();
    for key in &file_keys {
        assert!(env_keys.contains(key), "{key} has no environment variable");
    }
    let s = load("", &[("SITEWATCH_RETENTION_RAW_DAYS", "30"), ("SITEWATCH_EMAIL_CA_FILE", "")]).unwrap();
    assert_eq!(s.retention.raw_days, 30, "a key is found by walking the settings, not from a list");
}

#[test]
fn a_trusted_certificate_file_must_exist_and_hold_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sitewatch.toml");
    let text = "[email]\nenabled = true\nca_file = \"smtp-ca.pem\"\n";
    let err = Settings::from_parts(Some((&config, text)), &[]).unwrap_err().to_string();
    assert!(err.contains("email.ca_file") && err.contains("smtp-ca.pem"), "{err}");
    std::fs::write(dir.path().join("smtp-ca.pem"), "not a certificate").unwrap();
    let err = Settings::from_parts(Some((&config, text)), &[]).unwrap_err().to_string();
    assert!(err.contains("email.ca_file") && err.contains("no PEM certificate"), "{err}");
    std::fs::write(dir.path().join("smtp-ca.pem"), "-----BEGIN CERTIFICATE-----\n").unwrap();
    assert!(Settings::from_parts(Some((&config, text)), &[]).is_ok(), "found beside the settings file");
    let plain = "[email]\nenabled = true\ntls = \"none\"\nca_file = \"smtp-ca.pem\"\n";
    let err = Settings::from_parts(Some((&config, plain)), &[]).unwrap_err().to_string();
    assert!(err.contains("email.ca_file"), "{err}");
}

#[test]
fn retention_limits_default_and_must_grow_from_raw_to_daily() {
    let s = Settings::from_parts(None, &[]).unwrap();
    assert_eq!(s.retention, RetentionSettings { raw_days: 90, hourly_days: 730, daily_days: 0 });
    let s = load("[retention]\nraw_days = 30\nhourly_days = 30\ndaily_days = 400\n", &[]).unwrap();
    assert_eq!((s.retention.raw_days, s.retention.hourly_days, s.retention.daily_days), (30, 30, 400));
    let error = error_of("[retention]\nraw_days = 90\nhourly_days = 30\n", &[]);
    assert!(error.contains("key `retention.hourly_days`") && error.contains("at least 90"), "{error}");
    let error = error_of("[retention]\nhourly_days = 730\ndaily_days = 365\n", &[]);
    assert!(error.contains("key `retention.daily_days`"), "{error}");
    let error = error_of("", &[("SITEWATCH_RETENTION_RAW_DAYS", "0")]);
    assert!(error.contains("retention.raw_days"), "{error}");
}

#[test]
fn check_kind_settings_default_and_name_their_key_when_wrong() {
    let s = Settings::from_parts(None, &[]).unwrap();
    assert_eq!((s.check.ping_probes, s.check.ping_gap_ms, s.check.ping_down_loss_percent), (4, 200, 100));
    assert_eq!(s.check.keyword_max_bytes, 1_048_576);
    assert_eq!(s.check.tls_expiry_days, vec![21, 14, 7]);
    assert_eq!((s.check.tls_ca_file.as_str(), s.check.source_address), ("", None));
    assert_eq!(s.tls_ca_path(), None);
    let s = load(
        "[check]\nping_probes = 10\nping_gap_ms = 50\nsource_address = \"127.0.0.1\"\ntls_expiry_days = []\n",
        &[],
    )
    .unwrap();
    assert_eq!((s.check.ping_probes, s.check.ping_gap_ms), (10, 50));
    assert_eq!(s.check.source_address, Some("127.0.0.1".parse().unwrap()));
    assert!(s.check.tls_expiry_days.is_empty(), "no thresholds turns the alerts off");
    for (text, key) in [
        ("ping_probes = 0", "check.ping_probes"),
        ("ping_probes = 101", "check.ping_probes"),
        ("ping_gap_ms = 0", "check.ping_gap_ms"),
        ("ping_down_loss_percent = 0", "check.ping_down_loss_percent"),
        ("ping_down_loss_percent = 101", "check.ping_down_loss_percent"),
        ("keyword_max_bytes = 0", "check.keyword_max_bytes"),
        ("tls_expiry_days = [21, 99999]", "check.tls_expiry_days"),
        ("tls_expiry_days = [-1]", "check.tls_expiry_days"),
        ("source_address = \"somewhere\"", "check.source_address"),
        ("source_address = \"0.0.0.0\"", "check.source_address"),
        ("tls_ca_file = \"missing.pem\"", "check.tls_ca_file"),
    ] {
        let err = error_of(&format!("[check]\n{text}\n"), &[]);
        assert!(err.contains(key), "{text}: {err}");
    }
}

#[test]
fn the_check_ca_file_is_found_beside_the_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sitewatch.toml");
    let text = "[check]\ntls_ca_file = \"private-ca.pem\"\n";
    std::fs::write(dir.path().join("private-ca.pem"), "no certificate here").unwrap();
    let err = Settings::from_parts(Some((&config, text)), &[]).unwrap_err().to_string();
    assert!(err.contains("check.tls_ca_file") && err.contains("no PEM certificate"), "{err}");
    std::fs::write(dir.path().join("private-ca.pem"), "-----BEGIN CERTIFICATE-----\n").unwrap();
    let s = Settings::from_parts(Some((&config, text)), &[]).unwrap();
    assert_eq!(s.tls_ca_path(), Some(dir.path().join("private-ca.pem")));
}

#[test]
fn traffic_entries_default_their_limits_and_name_the_key_when_wrong() {
    let s = load("[[traffic]]\nname = \"web\"\npath = \"logs/access.log\"\n", &[]).unwrap();
    assert_eq!(s.traffic.len(), 1);
    assert_eq!((s.traffic[0].threshold, s.traffic[0].window_secs), (10.0, 120));
    assert_eq!(s.traffic_path(&s.traffic[0]), Path::new("/etc/sitewatch/logs/access.log"));
    let s = load("[[traffic]]\nname = \"api\"\npath = \"/var/log/a.log\"\nthreshold = 2.5\nwindow_secs = 60\n", &[])
        .unwrap();
    assert_eq!((s.traffic[0].threshold, s.traffic[0].window_secs), (2.5, 60));
    assert_eq!(s.traffic_path(&s.traffic[0]), Path::new("/var/log/a.log"), "absolute paths stay");

    let cases = [
        ("[[traffic]]\nname = \"\"\npath = \"a.log\"\n", "key `traffic[0].name`"),
        ("[[traffic]]\nname = \"web\"\npath = \"\"\n", "key `traffic[0].path`"),
        ("[[traffic]]\nname = \"web\"\n", "traffic[0]"),
        ("[[traffic]]\nname = \"web\"\npath = \"a.log\"\nthreshold = 0\n", "key `traffic[0].threshold`"),
        ("[[traffic]]\nname = \"web\"\npath = \"a.log\"\nwindow_secs = 0\n", "key `traffic[0].window_secs`"),
        ("[[traffic]]\nname = \"web\"\npath = \"a.log\"\nwindow = 60\n", "window"),
        (
            "[[traffic]]\nname = \"web\"\npath = \"a.log\"\n[[traffic]]\nname = \"Web\"\npath = \"b.log\"\n",
            "key `traffic[1].name`",
        ),
    ];
    for (text, expected) in cases {
        let error = error_of(text, &[]);
        assert!(error.contains(expected), "{text}: {error}");
    }
}

#[test]
fn the_sample_settings_file_in_deploy_is_valid() {
    let text = include_str!("../../deploy/sitewatch.toml");
    let s = load(text, &[("SITEWATCH_EMAIL_PASSWORD", "from the environment")]).unwrap();
    assert!(s.email.enabled && s.email.to == ["ops@example.com"]);
    assert_eq!(s.alerts.remind_every_mins, 60);
}

#[test]
fn concurrency_is_auto_or_a_positive_whole_number_from_the_file_or_the_environment() {
    let from_file = |value: &str| load(&format!("[check]\nconcurrency = {value}\n"), &[]);
    assert_eq!(from_file("\"auto\"").unwrap().check.concurrency, Concurrency::Auto);
    assert_eq!(from_file("750").unwrap().check.concurrency, Concurrency::Fixed(750));
    let from_env = |value: &str| load("", &[("SITEWATCH_CHECK_CONCURRENCY", value)]);
    assert_eq!(from_env("auto").unwrap().check.concurrency, Concurrency::Auto);
    assert_eq!(from_env("AUTO").unwrap().check.concurrency, Concurrency::Auto);
    assert_eq!(from_env("300").unwrap().check.concurrency, Concurrency::Fixed(300));

    for bad in ["0", "-5", "nan", "2.5", "\"many\"", "\"\"", "200000"] {
        let err = from_file(bad).expect_err(bad).to_string();
        assert!(err.contains("check.concurrency"), "{bad}: {err}");
    }
    for bad in ["0", "-5", "NaN", "lots", ""] {
        let err = from_env(bad).expect_err(bad).to_string();
        assert!(err.contains("check.concurrency"), "{bad}: {err}");
        assert!(err.contains("auto"), "the error says what to use: {err}");
    }
}
