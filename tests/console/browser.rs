//! The `/traffic` page in a real headless Chromium (over chromedriver's WebDriver), signed in,
//! at a phone's width and a desktop's: nothing scrolls sideways and the chart is drawn.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::blocking::Client;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{lacking, sw, wait_until};
use crate::web::{PASSWORD, add_user, spawn};

/// chromedriver and one WebDriver session; both end when dropped.
struct Session {
    driver: Child,
    base: String,
    http: Client,
    _profile: tempfile::TempDir,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.http.delete(self.base.clone()).send();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Session {
    fn start(driver: &Path, browser: &Path) -> Session {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let root = format!("http://127.0.0.1:{port}");
        sitewatch::tls::install_crypto_provider();
        let http = Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        wait_until("chromedriver is ready", Duration::from_secs(20), || {
            http.get(format!("{root}/status"))
                .send()
                .ok()
                .and_then(|r| r.json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true)
        });
        let profile = tempfile::tempdir().unwrap();
        let args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
            .map(str::to_owned)
            .into_iter()
            .chain([format!("--user-data-dir={}", profile.path().display())])
            .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": browser.display().to_string(), "args": args}
        }}});
        let reply: Value = http.post(format!("{root}/session")).json(&capabilities).send().unwrap().json().unwrap();
        let id = reply["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {reply}"));
        Session { driver: child, base: format!("{root}/session/{id}"), http, _profile: profile }
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let reply: Value = self.http.post(format!("{}{path}", self.base)).json(&body).send().unwrap().json().unwrap();
        assert!(reply["value"].get("error").is_none(), "WebDriver {path}: {reply}");
        reply["value"].clone()
    }

    fn element(&self, css: &str) -> String {
        let found = self.post("/element", json!({"using": "css selector", "value": css}));
        found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_owned()
    }

    fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css);
        self.post(&format!("/element/{element}/value"), json!({"text": text}));
    }

    fn run(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
    }
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

both_backends! {
    fn the_traffic_page_fits_a_phone_and_a_desktop(db) {
        let browser = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]);
        let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
        let (Some(browser), Some(driver)) = (browser, driver) else {
            lacking("chromium and chromedriver (apt-get install chromium chromium-driver)");
            return;
        };
        // A long, unbreakable path, the kind that pushes a phone's page sideways.
        let dir = db.path().join("var-log-nginx-a-rather-long-directory-name-for-a-virtual-host-xxxxxxxx");
        std::fs::create_dir_all(&dir).unwrap();
        crate::traffic::generate(&dir.join("access.log"), crate::traffic::PROFILE, &[]);
        let log = dir.join("access.log");
        sw(db, &["traffic", log.to_str().unwrap(), "--once", "--from-start", "--threshold", "10", "--window", "120"]).ok();
        let app = spawn(db);
        add_user(&app.db, "alice");

        let s = Session::start(&driver, &browser);
        s.post("/url", json!({"url": app.url("/login?next=%2Ftraffic")}));
        s.type_into("input[name=username]", "alice");
        s.type_into("input[name=password]", PASSWORD);
        let submit = s.element("form button[type=submit]");
        s.post(&format!("/element/{submit}/click"), json!({}));
        wait_until("the traffic page opens", Duration::from_secs(20), || {
            s.run("return location.pathname") == "/traffic"
        });
        for (width, height) in [(390u32, 844u32), (1280, 900)] {
            s.post("/window/rect", json!({"width": width, "height": height}));
            s.post("/url", json!({"url": app.url("/traffic")}));
            let text = s.run("return document.body.innerText").as_str().unwrap().to_owned();
            assert!(text.contains("2.0 hits/s") && text.contains("Recovered"), "{text}");
            let sizes = s.run("return [document.documentElement.scrollWidth, window.innerWidth]");
            let (scroll, inner) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
            assert!(inner + 40 >= u64::from(width), "the window is {inner} px wide, asked {width}");
            assert!(scroll <= inner, "at {width} px the page scrolls sideways: {scroll} > {inner}");
            let chart = s.run("const r = document.querySelector('figure.chart svg').getBoundingClientRect(); return [r.width, r.height]");
            let (w, h) = (chart[0].as_f64().unwrap(), chart[1].as_f64().unwrap());
            assert!(w > 200.0 && w <= inner as f64 && h > 50.0, "the chart is drawn to the page's width: {w}x{h} in {inner}");
        }
    }
}
