use std::time::Instant;

use base64::Engine;

use crate::both_backends;
use crate::check::views;
use crate::harness::http::{HttpServer, Reply, SelfSignedTlsServer, closed_port};
use crate::harness::{check, sw};

both_backends! {
    fn requests_name_their_host_carry_the_urls_credentials_and_reach_ipv6(db) {
        let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("al ice:s3cret"));
        let server = HttpServer::start(move |request| match request.path.as_str() {
            "/private" if request.authorization.as_deref() == Some(expected.as_str()) => Reply::Status(200),
            "/private" => Reply::Status(401),
            _ => Reply::Status(200),
        });
        let v6 = HttpServer::start_on("[::1]:0", |_| Reply::Status(200));
        let port = server.addr.port();
        let sites = [
            ("private", format!("http://al%20ice:s3cret@127.0.0.1:{port}/private")),
            ("named", format!("http://localhost:{port}/named?x=1")),
            ("v6", format!("http://[::1]:{}/v6", v6.addr.port())),
        ];
        for (slug, url) in &sites {
            sw(db, &["site", "add", url, "--name", slug]).ok();
        }
        let out = check(db, &[]).run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        for (slug, _) in &sites {
            let v = views(db, slug);
            assert_eq!((v[0].status_code, v[0].up), (Some(200), true), "{slug}");
        }
        let named = server.requests().into_iter().find(|r| r.path == "/named?x=1").expect("the named site was asked");
        assert_eq!(named.host, Some(format!("localhost:{port}")), "the Host header names the URL's host and port");
        assert_eq!(named.authorization, None, "no credentials where the URL has none");
        assert_eq!(v6.requests()[0].host, Some(format!("[::1]:{}", v6.addr.port())));
    }

    fn every_kind_of_answer_is_recorded_as_what_it_was(db) {
        let server = HttpServer::start(|request| match request.path.as_str() {
            "/ok" => Reply::Status(200),
            "/moved" => Reply::Redirect(301, "/elsewhere".into()),
            "/not-modified" => Reply::Status(304),
            "/missing" => Reply::Status(404),
            "/broken" => Reply::Status(500),
            "/head-refused" if request.method == "HEAD" => Reply::Status(405),
            "/head-refused" => Reply::Body(200, 50 * 1024 * 1024),
            "/head-unknown" if request.method == "HEAD" => Reply::Status(501),
            "/head-unknown" => Reply::Status(200),
            _ => Reply::Status(418),
        });
        let hanging = HttpServer::start(|_| Reply::Hang);
        let tls = SelfSignedTlsServer::start();
        let sites = [
            ("ok", server.url("/ok")),
            ("moved", server.url("/moved")),
            ("not-modified", server.url("/not-modified")),
            ("missing", server.url("/missing")),
            ("broken", server.url("/broken")),
            ("head-refused", server.url("/head-refused")),
            ("head-unknown", server.url("/head-unknown")),
            ("hanging", hanging.url("/")),
            ("closed", format!("http://127.0.0.1:{}/", closed_port())),
            ("no-such-host", "http://nonexistent.invalid/".to_owned()),
            ("self-signed", tls.url()),
        ];
        for (slug, url) in &sites {
            sw(db, &["site", "add", url, "--name", slug]).ok();
        }

        let started = Instant::now();
        let out = check(db, &[]).env("SITEWATCH_CHECK_TIMEOUT_SECS", "1").env("SITEWATCH_CHECK_USER_AGENT", "sitewatch-test/1").run();
        let took = started.elapsed();
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("checked 11 site(s): 5 up, 6 down"), "{}", out.stdout);
        assert!(took.as_secs_f64() < 1.0 + 1.0 + 1.5, "the hanging site is given up after the timeout: {took:?}");

        let expect = |slug: &str, status: Option<i32>, error: Option<&str>, up: bool| {
            let v = views(db, slug);
            assert_eq!(v.len(), 1, "{slug}: one view per round");
            assert_eq!((v[0].status_code, v[0].error.as_deref(), v[0].up), (status, error, up), "{slug}");
            v[0].response_ms
        };
        expect("ok", Some(200), None, true);
        expect("moved", Some(301), None, true);
        expect("not-modified", Some(304), None, true);
        expect("missing", Some(404), None, false);
        expect("broken", Some(500), None, false);
        expect("head-refused", Some(200), None, true);
        expect("head-unknown", Some(200), None, true);
        let hung_ms = expect("hanging", None, Some("timeout"), false);
        assert!((1000..2000).contains(&hung_ms), "timed out after the 1 s timeout, within a second: {hung_ms} ms");
        expect("closed", None, Some("connect"), false);
        expect("no-such-host", None, Some("dns"), false);
        expect("self-signed", None, Some("tls"), false);

        assert_eq!(server.count("GET", "/elsewhere") + server.count("HEAD", "/elsewhere"), 0, "redirects are not followed");
        assert_eq!(server.count("HEAD", "/head-refused"), 1);
        assert_eq!(server.count("GET", "/head-refused"), 1, "exactly one GET after the 405");
        assert_eq!(server.bodies_completed(), vec![false], "the 50 MB GET body was not read to the end");
        assert_eq!(server.count("GET", "/head-unknown"), 1, "501 to HEAD is asked again with GET");
        assert_eq!(server.count("GET", "/ok"), 0, "a site answering HEAD is never asked with GET");
        assert!(server.requests().iter().all(|r| r.user_agent.as_deref() == Some("sitewatch-test/1")), "user_agent is sent");
    }

    fn good_codes_decide_what_counts_as_up(db) {
        let server = HttpServer::start(|r| if r.path == "/teapot" { Reply::Status(418) } else { Reply::Status(200) });
        sw(db, &["site", "add", &server.url("/teapot"), "--name", "teapot"]).ok();
        sw(db, &["site", "add", &server.url("/ok"), "--name", "ok"]).ok();
        check(db, &["--quiet"]).env("SITEWATCH_CHECK_GOOD_CODES", "418").ok();
        assert!(views(db, "teapot")[0].up);
        assert!(!views(db, "ok")[0].up, "200 is down when good_codes does not list it");
    }
}
