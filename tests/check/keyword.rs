use sitewatch::domain::check_options::CheckOptions;
use sitewatch::domain::target::CheckKind;

use crate::both_backends;
use crate::check::{set_options, site, views};
use crate::harness::http::{HttpServer, Reply};
use crate::harness::{check, sw};

fn keyword(text: &str, absent: bool) -> CheckOptions {
    CheckOptions::parse(CheckKind::Http, None, Some(text), absent).unwrap()
}

both_backends! {
    fn keyword_sites_are_read_with_get_and_judged_by_their_text(db) {
        const MB: usize = 1024 * 1024;
        let server = HttpServer::start(|r| match r.path.split('?').next().unwrap_or_default() {
            "/welcome" => Reply::Page { status: 200, before: 100_000, text: "<h1>Welcome back</h1>".into(), after: 10 },
            "/early" => Reply::Page { status: 200, before: 10, text: "Welcome back".into(), after: 50 * MB },
            "/huge" => Reply::Page { status: 200, before: 5 * MB, text: "Welcome back".into(), after: 0 },
            "/error" => Reply::Page { status: 500, before: 0, text: "Welcome back".into(), after: 0 },
            _ => Reply::Status(404),
        });
        let sites = [
            ("present", "/welcome", keyword("Welcome back", false)),
            ("missing", "/welcome", keyword("Out of stock", false)),
            ("inverted", "/welcome", keyword("Out of stock", true)),
            ("inverted-found", "/welcome", keyword("Welcome", true)),
            ("found-early", "/early", keyword("Welcome back", false)),
            ("past-the-cap", "/huge", keyword("Welcome back", false)),
            ("server-error", "/error", keyword("Welcome back", false)),
        ];
        for (slug, path, options) in &sites {
            sw(db, &["site", "add", &server.url(&format!("{path}?{slug}")), "--name", slug]).ok();
            set_options(db, slug, options);
        }
        let out = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "5").ok();
        assert!(out.contains("checked 7 site(s): 3 up, 4 down"), "{out}");

        let expect = |slug: &str, status: i32, error: Option<&str>, up: bool| {
            let v = &views(db, slug)[0];
            assert_eq!((v.status_code, v.error.as_deref(), v.up), (Some(status), error, up), "{slug}");
        };
        expect("present", 200, None, true);
        expect("missing", 200, Some("keyword"), false);
        expect("inverted", 200, None, true);
        expect("inverted-found", 200, Some("keyword"), false);
        expect("found-early", 200, None, true);
        expect("past-the-cap", 200, Some("keyword"), false);
        expect("server-error", 500, None, false);
        assert_eq!(site(db, "missing").last_error.as_deref(), Some("keyword"));
        assert_eq!(site(db, "missing").last_status_code, Some(200), "the status stays beside the keyword error");

        assert!(server.requests().iter().all(|r| r.method == "GET"), "keyword sites are never asked with HEAD");
        assert_eq!(server.requests().len(), 7, "one GET per site");
        assert_eq!(server.pages_completed("/huge"), [false], "reading stopped at keyword_max_bytes");
        assert_eq!(server.pages_completed("/early"), [false], "reading stopped once the keyword was found");
    }

    fn keyword_max_bytes_sets_how_far_a_page_is_read(db) {
        let server = HttpServer::start(|_| Reply::Page { status: 200, before: 3_000, text: "needle".into(), after: 0 });
        sw(db, &["site", "add", &server.url("/"), "--name", "page"]).ok();
        set_options(db, "page", &keyword("needle", false));
        let small = db.write_file("small.toml", "[check]\nkeyword_max_bytes = 2000\n");
        check(db, &["--config", small.to_str().unwrap()]).ok();
        assert_eq!(views(db, "page")[0].error.as_deref(), Some("keyword"), "the needle lies past 2,000 bytes");
        let large = db.write_file("large.toml", "[check]\nkeyword_max_bytes = 4000\n");
        check(db, &["--config", large.to_str().unwrap()]).ok();
        assert!(views(db, "page")[1].up, "found within 4,000 bytes");
    }
}
