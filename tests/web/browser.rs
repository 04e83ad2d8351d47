//! One real browser: headless Chromium driven over WebDriver (chromedriver) signs in and tours
//! the pages (dashboard, an http and a ping site, an outage, an admin form, the public status
//! page) at a phone's width and a desktop's: nothing may scroll sideways and no title may hold
//! markup. Without the browser these tests are ignored (see build.rs); under `CI=true` they run.
//!
//! `scripts/screenshots.sh` runs the ignored `screenshots_for_the_docs` test, which fills a
//! database with demo data and saves the pictures in docs/screenshots/.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::TimeDelta;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use sitewatch::db::models::check_run::RunState;

use super::{PASSWORD, TestApp, add_user, fixtures, spawn};
use crate::both_backends;
use crate::harness::{TestDb, wait_until};

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

pub struct Driver {
    child: Child,
    base: String,
    http: Client,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.http.delete(format!("{}/session/{}", self.base, self.session)).send();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub fn start(driver: PathBuf, browser: PathBuf) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        sitewatch::tls::install_crypto_provider();
        let http = Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        wait_until("chromedriver is ready", Duration::from_secs(20), || {
            http.get(format!("{base}/status"))
                .send()
                .ok()
                .and_then(|r| r.json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true)
        });
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--window-size=1200,900".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": browser.display().to_string(), "args": args}
        }}});
        let reply: Value = http.post(format!("{base}/session")).json(&capabilities).send().unwrap().json().unwrap();
        let session =
            reply["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {reply}")).to_owned();
        let mut child = child;
        let _ = &mut child;
        Driver { child, base, http, session, _profile: profile }
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body.unwrap_or_else(|| json!({}))),
        };
        let reply: Value = request.send().unwrap().json().unwrap();
        assert!(reply["value"].get("error").is_none(), "WebDriver {path}: {reply}");
        reply["value"].clone()
    }

    pub fn go(&self, url: &str) {
        self.command("POST", "/url", Some(json!({"url": url})));
    }

    pub fn element(&self, css: &str) -> String {
        let found = self.command("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_owned()
    }

    pub fn url(&self) -> String {
        self.command("GET", "/url", None).as_str().unwrap().to_owned()
    }

    pub fn page_text(&self) -> String {
        let body = self.element("body");
        self.command("GET", &format!("/element/{body}/text"), None).as_str().unwrap().to_owned()
    }

    /// Resizes the window to `width` x `height` CSS pixels.
    pub fn resize(&self, width: u32, height: u32) {
        self.command("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// Runs `script` in the page and returns its value.
    pub fn run(&self, script: &str) -> Value {
        self.command("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        self.screenshot_in(&PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots"), name)
    }

    fn screenshot_in(&self, dir: &std::path::Path, name: &str) -> PathBuf {
        let data = self.command("GET", "/screenshot", None);
        let png = decode_base64(data.as_str().unwrap());
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert!(width >= 300 && height >= 400, "{width}x{height}");
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, png).unwrap();
        path
    }

    pub fn title(&self) -> String {
        self.command("GET", "/title", None).as_str().unwrap().to_owned()
    }

    /// Fails when the page is wider than the window (it would scroll sideways) or its title
    /// holds markup.
    pub fn assert_fits(&self, width: u32, what: &str) {
        let sizes = self.run("return [document.documentElement.scrollWidth, window.innerWidth]");
        let (scroll, inner) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
        assert!(
            inner <= u64::from(width) && inner + 40 >= u64::from(width),
            "the window is {inner} px wide, asked {width}"
        );
        assert!(scroll <= inner, "{what} at {width} px scrolls sideways: {scroll} > {inner}");
        let title = self.title();
        assert!(!title.contains('<') && !title.contains('>'), "{what}: the title holds markup: {title:?}");
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let field = self.element(css);
        self.command("POST", &format!("/element/{field}/value"), Some(json!({"text": text})));
    }

    pub fn click(&self, css: &str) {
        let element = self.element(css);
        self.command("POST", &format!("/element/{element}/click"), None);
    }

    pub fn sign_in(&self, app: &TestApp, name: &str) {
        self.go(&app.url("/"));
        assert!(self.url().contains("/login?next=%2F"), "{}", self.url());
        self.type_into("input[name=username]", name);
        self.type_into("input[name=password]", PASSWORD);
        self.click("form button[type=submit]");
        wait_until("the dashboard opens", Duration::from_secs(20), || self.url() == app.url("/"));
    }
}

/// The browser and its driver, or `None` (outside CI) when they are not installed.
pub fn installed() -> Option<(PathBuf, PathBuf)> {
    let browser = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]);
    let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
    match (browser, driver) {
        (Some(browser), Some(driver)) => Some((browser, driver)),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!ci, "CI=true but chromium or chromedriver is missing (apt-get install chromium chromium-driver)");
            eprintln!("skipped: needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)");
            None
        }
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, c)| acc | u32::from(value(*c)) << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// What the demo holds: an outage, and a site of each kind.
struct Demo {
    outage: String,
    http: String,
    ping: String,
    tcp: String,
}

/// A small installation with history: groups of http, TCP and ping sites, one of them down
/// (an open outage with a note), one public group for /status.
fn demo(app: &TestApp, long_names: bool) -> Demo {
    let db = &app.db;
    let now = fixtures::now();
    let web = fixtures::group(db, "Public web", "web");
    let infra = fixtures::group(db, "Infrastructure", "infra");
    sitewatch::manage::group::set_public(&mut db.conn().unwrap(), "web", true).unwrap();
    let shop_name = if long_names {
        "Payments-gateway-for-the-european-region-with-an-unbreakable-name-xxxxxxxxxxxxxxxx"
    } else {
        "Shop front"
    };
    let shop = fixtures::site(
        db,
        &web,
        shop_name,
        "https://shop.example.com/a/rather/long/path/that/must/wrap/somewhere/on/a/phone",
    );
    let blog = fixtures::site(db, &web, "Blog", "https://blog.example.com/");
    let api = fixtures::site(db, &web, "Status API", "https://api.example.com/status");
    let gateway = fixtures::site(db, &infra, "Edge router", "ping://192.0.2.1");
    let database = fixtures::site(db, &infra, "Database", "tcp://db.internal:5432");
    let smtp = fixtures::site(db, &infra, "Mail relay", "tcp://mail.internal:25");
    fixtures::checks(db, &shop, now - TimeDelta::minutes(1), 600, 0);
    fixtures::certificate_expires(db, &shop, now + TimeDelta::days(34));
    fixtures::checks(db, &blog, now - TimeDelta::minutes(1), 600, 37);
    fixtures::checks(db, &api, now - TimeDelta::minutes(1), 600, 1);
    fixtures::ping_checks(db, &gateway, now - TimeDelta::minutes(1), 600, 9, 0);
    fixtures::tcp_checks(db, &database, now - TimeDelta::minutes(1), 600, 0);
    fixtures::tcp_checks(db, &smtp, now - TimeDelta::minutes(1), 600, 4);
    // A site added a moment ago: no history to draw yet.
    fixtures::site(db, &infra, "New cache", "tcp://cache.internal:6379");
    let outage = fixtures::outage(db, &[&api, &smtp], now - TimeDelta::minutes(125), None);
    sitewatch::db::models::outage_note::OutageNote {
        id: sitewatch::db::Id::new(),
        outage_id: outage.id,
        status: "identified".to_owned(),
        message: "The API's load balancer answers 503; a fix is being deployed.".to_owned(),
        author: "alice".to_owned(),
        created_at: now - TimeDelta::minutes(20),
    }
    .insert(&mut db.conn().unwrap())
    .unwrap();
    fixtures::round(db, now, RunState::Done);
    Demo { outage: outage.id.to_string(), http: shop.slug, ping: gateway.slug, tcp: smtp.slug }
}

/// The pages a person looks at, with what each must show.
fn tour(demo: &Demo) -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        (
            "dashboard",
            "/".to_owned(),
            vec!["Outage in progress", "Status API", "timed out", "could not connect", "not enough data yet", "ping"],
        ),
        ("site-http", format!("/sites/{}", demo.http), vec!["HTTP request", "days left", "Response time, last 24h"]),
        (
            "site-ping",
            format!("/sites/{}", demo.ping),
            vec!["Newest ping", "transmitted", "mdev", "Round trip, last 24h"],
        ),
        ("site-tcp", format!("/sites/{}", demo.tcp), vec!["TCP connection", "could not connect"]),
        ("outage", format!("/outages/{}", demo.outage), vec!["Status API", "still down", "/api/outages/"]),
        ("admin-form", "/admin/sites/new".to_owned(), vec!["Add a site", "Echo requests per check"]),
        ("status", "/status".to_owned(), vec!["Partial outage", "Current outage"]),
    ]
}

both_backends! {
    #[cfg_attr(lacks_browser, ignore = "needs chromium and chromedriver (apt-get install chromium chromium-driver)")]
    fn a_real_browser_signs_in_and_every_page_fits_a_phone_and_a_desktop(db) {
        let Some((browser, driver)) = installed() else { return };
        let app = spawn(db);
        add_user(&app.db, "alice");
        let demo = demo(&app, true);
        let d = Driver::start(driver, browser);
        d.sign_in(&app, "alice");
        for (width, height) in [(390, 844), (1280, 900)] {
            d.resize(width, height);
            for (name, path, expected) in tour(&demo) {
                d.go(&app.url(&path));
                let text = d.page_text();
                for phrase in expected {
                    let found = text.contains(phrase) || d.run("return document.documentElement.outerHTML").as_str().unwrap().contains(phrase);
                    assert!(found, "{name} at {width} px lacks {phrase:?}: {text}");
                }
                d.assert_fits(width, name);
                if name != "status" {
                    assert!(!d.element("header form.signout button").is_empty(), "{name}: the header has a sign-out button");
                }
                let shot = d.screenshot(&format!("{name}-{width}-{:?}.png", db.backend).to_lowercase());
                eprintln!("screenshot: {}", shot.display());
            }
        }
        // The header's button signs out from the cached dashboard too (its form carries this
        // session's token).
        d.go(&app.url("/"));
        d.click("header form.signout button");
        wait_until("the sign-in page opens", Duration::from_secs(20), || d.url().contains("/login"));
        d.go(&app.url("/"));
        assert!(d.url().contains("/login?next=%2F"), "signed out: {}", d.url());
    }
}

both_backends! {
    #[cfg_attr(lacks_browser, ignore = "needs chromium and chromedriver (apt-get install chromium chromium-driver)")]
    fn the_public_status_page_fits_a_phone_and_a_desktop_without_sideways_scrolling(db) {
        let Some((browser, driver)) = installed() else { return };
        let app = spawn(db);
        let now = fixtures::now();
        let web = fixtures::group(&app.db, "Customer-facing services with a rather long group name", "web");
        sitewatch::manage::group::set_public(&mut app.db.conn().unwrap(), "web", true).unwrap();
        let long = "Payments-gateway-for-the-european-region-with-an-unbreakable-name-xxxxxxxxxxxxxxxx";
        let shop = fixtures::site(&app.db, &web, long, "https://pay.example.com/");
        let blog = fixtures::site(&app.db, &web, "Blog", "https://blog.example.com/");
        fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(1), 600, 9);
        fixtures::checks(&app.db, &blog, now - TimeDelta::minutes(1), 600, 0);
        fixtures::outage(&app.db, &[&shop], now - TimeDelta::minutes(45), None);
        fixtures::round(&app.db, now, RunState::Done);

        let d = Driver::start(driver, browser);
        for (width, height) in [(390, 844), (1280, 900)] {
            d.resize(width, height);
            d.go(&app.url("/status"));
            let text = d.page_text();
            assert!(text.contains("Partial outage") && text.contains("Blog") && text.contains("Current outage"), "{text}");
            d.assert_fits(width, "/status");
            let shot = d.screenshot(&format!("status-{width}-{:?}.png", db.backend).to_lowercase());
            eprintln!("screenshot: {}", shot.display());
        }
    }
}

/// Saves the pictures of docs/screenshots/ (or `SITEWATCH_SCREENSHOTS_DIR`) from demo data:
/// the dashboard, a site, the outage and the public status page, at a desktop's width and a
/// phone's. Run by `scripts/screenshots.sh`.
#[test]
#[ignore = "writes docs/screenshots; run scripts/screenshots.sh"]
fn screenshots_for_the_docs() {
    let Some((browser, driver)) = installed() else { panic!("screenshots need chromium and chromedriver") };
    let dir = std::env::var_os("SITEWATCH_SCREENSHOTS_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots"), PathBuf::from);
    let db = TestDb::create(crate::harness::Backend::Sqlite).expect("a SQLite database");
    let app = spawn(&db);
    add_user(&app.db, "alice");
    let demo = demo(&app, false);
    let d = Driver::start(driver, browser);
    d.sign_in(&app, "alice");
    let pages = [
        ("dashboard", "/".to_owned()),
        ("site-http", format!("/sites/{}", demo.http)),
        ("site-ping", format!("/sites/{}", demo.ping)),
        ("outage", format!("/outages/{}", demo.outage)),
        ("status", "/status".to_owned()),
    ];
    for (device, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
        d.resize(width, height);
        for (name, path) in &pages {
            d.go(&app.url(path));
            d.assert_fits(width, name);
            let shot = d.screenshot_in(&dir, &format!("{name}-{device}.png"));
            eprintln!("saved {}", shot.display());
        }
    }
    // The ping site's round-trip chart, further down its page.
    d.resize(1280, 900);
    d.go(&app.url(&format!("/sites/{}", demo.ping)));
    d.run("document.querySelector('figure.chart').scrollIntoView({block: 'center'})");
    let shot = d.screenshot_in(&dir, "site-ping-chart-desktop.png");
    eprintln!("saved {}", shot.display());
}
