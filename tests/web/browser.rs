//! One real browser: headless Chromium driven over WebDriver (chromedriver) signs in, opens
//! the dashboard and an outage, and saves a screenshot; and opens the public status page at a
//! phone's width and a desktop's, where nothing may scroll sideways.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::TimeDelta;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use sitewatch::db::models::check_run::RunState;

use super::{PASSWORD, add_user, fixtures, spawn};
use crate::both_backends;
use crate::harness::wait_until;

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

struct Driver {
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
    fn start(driver: PathBuf, browser: PathBuf) -> Driver {
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

    fn go(&self, url: &str) {
        self.command("POST", "/url", Some(json!({"url": url})));
    }

    fn element(&self, css: &str) -> String {
        let found = self.command("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_owned()
    }

    fn url(&self) -> String {
        self.command("GET", "/url", None).as_str().unwrap().to_owned()
    }

    fn page_text(&self) -> String {
        let body = self.element("body");
        self.command("GET", &format!("/element/{body}/text"), None).as_str().unwrap().to_owned()
    }

    /// Resizes the window to `width` x `height` CSS pixels.
    fn resize(&self, width: u32, height: u32) {
        self.command("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// Runs `script` in the page and returns its value.
    fn run(&self, script: &str) -> Value {
        self.command("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let data = self.command("GET", "/screenshot", None);
        let png = decode_base64(data.as_str().unwrap());
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert!(width >= 300 && height >= 400, "{width}x{height}");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, png).unwrap();
        path
    }
}

/// The browser and its driver, or `None` (outside CI) when they are not installed.
fn installed() -> Option<(PathBuf, PathBuf)> {
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

both_backends! {
    #[cfg_attr(lacks_browser, ignore = "needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")]
    fn a_real_browser_signs_in_and_sees_the_dashboard_and_an_outage(db) {
        let browser = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]);
        let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
        let (Some(browser), Some(driver)) = (browser, driver) else {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!ci, "CI=true but chromium or chromedriver is missing (apt-get install chromium chromium-driver)");
            eprintln!("skipped: needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)");
            return;
        };
        let app = spawn(db);
        add_user(&app.db, "alice");
        let now = fixtures::now();
        let web = fixtures::group(&app.db, "Public web", "web");
        let api = fixtures::group(&app.db, "APIs", "api");
        let shop = fixtures::site(&app.db, &web, "Shop front", "https://shop.example.com/");
        let blog = fixtures::site(&app.db, &web, "Blog", "https://blog.example.com/");
        let status = fixtures::site(&app.db, &api, "Status API", "https://api.example.com/status");
        fixtures::checks(&app.db, &shop, now - TimeDelta::minutes(1), 600, 0);
        fixtures::checks(&app.db, &blog, now - TimeDelta::minutes(1), 600, 7);
        fixtures::checks(&app.db, &status, now - TimeDelta::minutes(1), 600, 1);
        let outage = fixtures::outage(&app.db, &[&status], now - TimeDelta::minutes(125), None);
        fixtures::round(&app.db, now, RunState::Done);

        let d = Driver::start(driver, browser);
        d.go(&app.url("/"));
        assert!(d.url().contains("/login?next=%2F"), "{}", d.url());
        let user = d.element("input[name=username]");
        d.command("POST", &format!("/element/{user}/value"), Some(json!({"text": "alice"})));
        let password = d.element("input[name=password]");
        d.command("POST", &format!("/element/{password}/value"), Some(json!({"text": PASSWORD})));
        let submit = d.element("form button[type=submit]");
        d.command("POST", &format!("/element/{submit}/click"), None);
        wait_until("the dashboard opens", Duration::from_secs(20), || d.url() == app.url("/"));
        let dashboard = d.page_text();
        assert!(dashboard.contains("Outage in progress") && dashboard.contains("Shop front") && dashboard.contains("Status API"), "{dashboard}");
        let shot = d.screenshot(&format!("dashboard-{:?}.png", db.backend).to_lowercase());
        eprintln!("screenshot: {}", shot.display());

        d.go(&app.url(&format!("/outages/{}", outage.id)));
        let page = d.page_text();
        assert!(page.contains("Status API") && page.contains("still down") && page.contains("ops@example.com"), "{page}");
        let shot = d.screenshot(&format!("outage-{:?}.png", db.backend).to_lowercase());
        eprintln!("screenshot: {}", shot.display());
    }
}

both_backends! {
    #[cfg_attr(lacks_browser, ignore = "needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")]
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
            let sizes = d.run("return [document.documentElement.scrollWidth, window.innerWidth]");
            let (scroll, inner) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
            assert!(inner <= u64::from(width) && inner + 40 >= u64::from(width), "the window is {inner} px wide, asked {width}");
            assert!(scroll <= inner, "at {width} px the page scrolls sideways: {scroll} > {inner}");
            let shot = d.screenshot(&format!("status-{width}-{:?}.png", db.backend).to_lowercase());
            eprintln!("screenshot: {}", shot.display());
        }
    }
}
