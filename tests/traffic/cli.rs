//! The command line: what to watch when no PATH is given, and bad input refused with exit 2.

use super::generate;
use crate::harness::sw;

#[test]
fn without_a_path_or_traffic_entries_it_says_what_to_do() {
    let Some(db) = crate::harness::TestDb::create(crate::harness::Backend::Sqlite) else { return };
    let message = sw(&db, &["traffic", "--once"]).usage_error();
    assert!(message.contains("[[traffic]]") && message.contains("PATH"), "{message}");
}

#[test]
fn bad_flags_and_a_missing_file_are_refused() {
    let Some(db) = crate::harness::TestDb::create(crate::harness::Backend::Sqlite) else { return };
    db.write_file("access.log", "");
    for (args, expected) in [
        (&["traffic", "access.log", "--threshold", "0"][..], "--threshold"),
        (&["traffic", "access.log", "--threshold", "NaN"][..], "--threshold"),
        (&["traffic", "access.log", "--window", "0"][..], "--window"),
        (&["traffic", "access.log", "--every", "0"][..], "--every"),
        (&["traffic", "missing.log", "--once"][..], "missing.log"),
    ] {
        let message = sw(&db, args).usage_error();
        assert!(message.contains(expected), "{args:?}: {message}");
    }
    db.write_file("bad.toml", "[[traffic]]\nname = \"web\"\npath = \"a.log\"\nthreshold = -1\n");
    let message = sw(&db, &["--config", "bad.toml", "traffic"]).usage_error();
    assert!(message.contains("traffic[0].threshold"), "{message}");
}

#[test]
fn several_logs_are_watched_at_once_each_line_naming_its_log() {
    let Some(db) = crate::harness::TestDb::create(crate::harness::Backend::Sqlite) else { return };
    generate(&db.path().join("a.log"), "30s@2", &[]);
    generate(&db.path().join("b.log"), "20s@3", &[5]);
    db.write_file(
        "sitewatch.toml",
        "[[traffic]]\nname = \"alpha\"\npath = \"a.log\"\n[[traffic]]\nname = \"beta\"\npath = \"b.log\"\nthreshold = 2\nwindow_secs = 10\n",
    );
    let stdout = sw(&db, &["--config", "sitewatch.toml", "traffic", "--once", "--from-start"]).ok();
    assert!(stdout.lines().all(|l| l.starts_with("[alpha] ") || l.starts_with("[beta] ")), "{stdout}");
    assert!(stdout.contains("[alpha] read 60 lines: 60 counted, 0 malformed, 0 late"), "{stdout}");
    assert!(stdout.contains("[beta] read 61 lines: 60 counted, 1 malformed, 0 late"), "{stdout}");
    assert!(stdout.contains("[beta] High traffic generated an alert - hits = 2.1/s"), "beta's own limits: {stdout}");
    assert!(!stdout.contains("[alpha] High traffic"), "{stdout}");

    // A PATH that an entry names takes that entry's name and limits, and flags override them.
    let stdout =
        sw(&db, &["--config", "sitewatch.toml", "traffic", "b.log", "--once", "--from-start", "--threshold", "5"]).ok();
    assert!(!stdout.contains("[beta]"), "one log, no prefix: {stdout}");
    assert!(!stdout.contains("High traffic"), "threshold 5 is never passed at 3/s: {stdout}");
}
