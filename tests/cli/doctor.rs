//! `sitewatch doctor` against a healthy installation and broken ones: it names each problem
//! with its fix and exits 1, or says there is nothing to fix and exits 0. Nothing is sent.

use crate::both_backends;
use crate::harness::http::{HttpServer, closed_port};
use crate::harness::smtp::SmtpServer;
use crate::harness::{check, sw};

both_backends! {
    fn a_healthy_installation_has_nothing_to_fix_and_nothing_is_sent(db) {
        let smtp = SmtpServer::plain();
        let site = HttpServer::always(200);
        sw(db, &["site", "add", &site.url("/"), "--name", "Shop"]).ok();
        check(db, &[]).ok();
        let mail = format!("[email]\nenabled = true\nfrom = \"sw@example.com\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\nto = [\"ops@example.com\"]\n", smtp.addr.port());
        let config = db.write_file("sitewatch.toml", &mail);
        let out = sw(db, &["--config", config.to_str().unwrap(), "doctor"]).env("SITEWATCH_CHECK_SANDBOX_URLS", &site.url("/")).run();
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        for expected in ["the database at", "1 site(s)", "a sandbox URL answers", "e-mail: 127.0.0.1", "Nothing to fix."] {
            assert!(out.stdout.contains(expected), "`{expected}` in:\n{}", out.stdout);
        }
        assert!(smtp.received().is_empty(), "doctor sends nothing");
    }

    fn each_problem_is_named_with_its_fix_and_exits_1(db) {
        let dead = closed_port();
        let config = db.write_file(
            "sitewatch.toml",
            &format!(
                "[email]\nenabled = true\nfrom = \"sw@example.com\"\n\
                 host = \"127.0.0.1\"\nport = {dead}\ntls = \"none\"\ntimeout_secs = 2\n[[webhooks]]\nurl = \"http://127.0.0.1:{dead}/hook\"\n"
            ),
        );
        let sandbox = format!("http://127.0.0.1:{dead}/");
        let out = sw(db, &["--config", config.to_str().unwrap(), "doctor"]).env("SITEWATCH_CHECK_SANDBOX_URLS", &sandbox).run();
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("✘ no sandbox URL answers") && out.stdout.contains("sandbox_urls = []"), "{}", out.stdout);
        assert!(out.stdout.contains("✘ e-mail:") && out.stdout.contains("fix: check [email] host"), "{}", out.stdout);
        assert!(out.stdout.contains("✘ webhook 0: cannot connect"), "{}", out.stdout);
        assert!(out.stdout.contains("no site is watched yet"), "{}", out.stdout);
        assert!(out.stderr.contains("3 thing(s) to fix"), "{}", out.stderr);
    }
}

#[test]
fn a_database_that_cannot_be_opened_is_named_with_its_fix() {
    let db = crate::harness::TestDb::create(crate::harness::Backend::Sqlite).unwrap();
    let out = sw(&db, &["doctor"])
        .env("SITEWATCH_DATABASE_URL", &format!("postgres://nobody@127.0.0.1:{}/nothing", closed_port()))
        .env("SITEWATCH_CHECK_SANDBOX_URLS", "")
        .run();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("✘ the database cannot be used") && out.stdout.contains("fix: check `database_url`"),
        "{}",
        out.stdout
    );
}
