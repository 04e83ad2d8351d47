//! Odd input on the command line and in files: control characters, very long text, impossible
//! numbers. Each exits 2 with one line naming what is wrong (never 1), and nothing is stored.

use crate::both_backends;
use crate::harness::{snapshot, sw};

both_backends! {
    fn odd_arguments_exit_2_and_change_nothing(db) {
        sw(db, &["site", "add", "https://shop.example.com/", "--name", "Shop"]).ok();
        sw(db, &["user", "add", "alice", "--password-stdin"]).stdin("correct horse\n").ok();
        let before = snapshot(db);
        let long = "x".repeat(100_000);
        let cases: Vec<Vec<&str>> = vec![
            vec!["site", "add", "https://a.example/\u{1b}[31m"],
            vec!["site", "add", "https://a.example/", "--name", "line\nbreak"],
            vec!["site", "add", "https://a.example/", "--name", &long],
            vec!["site", "add", &long],
            vec!["site", "add", "https://a.example/", "--group", &long],
            vec!["site", "add", "https://a.example/", "--slug", "\u{7f}"],
            vec!["site", "add", "https://a.example/", "--interval", "-5"],
            vec!["site", "add", "https://a.example/", "--interval", "99999999999999999999"],
            vec!["site", "add", "https://a.example/", "--interval", "nan"],
            vec!["site", "add", "ping://a.example", "--probes", "0"],
            vec!["site", "add", "https://a.example/", "--keyword", "a\u{2}b"],
            vec!["site", "change", "shop", "--keyword", "\u{1}"],
            vec!["site", "pause", &long],
            vec!["site", "remove", "a\u{1b}b"],
            vec!["group", "add", "tab\there"],
            vec!["group", "add", "G", "--description", "\u{1b}[2J"],
            vec!["group", "add", "G", "--order", "99999999999"],
            vec!["recipient", "add", "ops@example.com\r\nBcc: x@example.com"],
            vec!["recipient", "add", &long],
            vec!["token", "add", "alice", "--label", "\u{7}"],
            vec!["token", "add", &long],
            vec!["user", "passwd", &long, "--password-stdin"],
            vec!["purge", "--older-than", "-5d"],
            vec!["purge", "--older-than", "99999999999999d"],
        ];
        for args in cases {
            let out = sw(db, &args).stdin("correct horse\n").run();
            assert_eq!(out.code, 2, "{:?}: {}", args.iter().map(|a| &a[..a.len().min(30)]).collect::<Vec<_>>(), out.stderr);
        }
        let file = db.write_file("odd.json", r#"{"sites": [{"url": "https://a.example/", "name": "nul\u0000name"}]}"#);
        let out = sw(db, &["import", file.to_str().unwrap()]).run();
        assert_eq!(out.code, 2, "{}", out.stderr);
        let file = db.write_file("odd.toml", "[[sites]]\nurl = \"https://a.example/\"\ninterval_secs = nan\n");
        let out = sw(db, &["import", file.to_str().unwrap()]).run();
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("not a finite number"), "{}", out.stderr);
        assert_eq!(snapshot(db), before);
    }
}

#[test]
fn an_odd_setting_exits_2_naming_its_key() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    let err = sw(&db, &["site", "list"]).env("SITEWATCH_CHECK_USER_AGENT", "agent\r\nX-Injected: 1").usage_error();
    assert!(err.contains("check.user_agent"), "{err}");
    let err = sw(&db, &["site", "list"]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "-3").usage_error();
    assert!(err.contains("CHECK_TIMEOUT_SECS") || err.contains("check.timeout_secs"), "{err}");
}
