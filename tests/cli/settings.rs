use crate::both_backends;
use crate::harness::sw;

both_backends! {
    fn a_config_file_is_found_by_flag_and_by_variable(db) {
        let config = db.write_file("custom.toml", &format!("database_url = \"{}\"\n", db.url));
        let path = config.to_str().unwrap();
        sw(db, &["site", "add", "https://a.example.com/"]).ok();
        let via_flag = sw(db, &["--config", path, "site", "list", "--json"]).env("SITEWATCH_DATABASE_URL", &db.url).run().json();
        assert_eq!(via_flag.as_array().unwrap().len(), 1);
        let via_env = sw(db, &["site", "list", "--json"]).env("SITEWATCH_CONFIG", path).run().json();
        assert_eq!(via_env.as_array().unwrap().len(), 1);
    }
}

#[test]
fn an_unknown_key_in_the_file_exits_2_naming_key_and_file() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    db.write_file("sitewatch.toml", "[check]\ntimeout = 3\n");
    let err = sw(&db, &["site", "list"]).usage_error();
    assert!(err.contains("sitewatch.toml") && err.contains("timeout"), "{err}");
}

#[test]
fn a_missing_config_file_named_by_flag_is_an_error() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    let err = sw(&db, &["--config", "/nonexistent/sitewatch.toml", "site", "list"]).usage_error();
    assert!(err.contains("/nonexistent/sitewatch.toml") && err.contains("cannot read"), "{err}");
}

#[test]
fn a_relative_sqlite_path_lives_beside_the_config_file() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    std::fs::create_dir(db.path().join("etc")).unwrap();
    let config = db.write_file("etc/sitewatch.toml", "database_url = \"sqlite://watch.db\"\n");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sitewatch"));
    crate::harness::command::isolate(&mut command, "unused");
    let out = command
        .env_remove("SITEWATCH_DATABASE_URL")
        .args(["--config", config.to_str().unwrap(), "site", "add", "https://a.example.com/"])
        .current_dir(db.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(db.path().join("etc/watch.db").is_file(), "the database is created beside the config");
}

#[test]
fn environment_overrides_reach_the_binary() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    let err = sw(&db, &["site", "list"]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "soon").usage_error();
    assert!(err.contains("SITEWATCH_CHECK_TIMEOUT_SECS"), "{err}");
}
