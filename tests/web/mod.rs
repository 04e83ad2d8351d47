//! The web app, tested through a real server on a random port against a fresh database,
//! with a real HTTP client (and, in `browser`, a real headless Chromium).

mod admin;
mod alerts;
mod api;
mod auth;
pub mod browser;
mod edges;
mod fixtures;
mod locations;
mod maintenance;
mod metrics;
mod pages;
mod pagination;
mod sessions;
mod stats;
mod status;

use std::sync::mpsc;
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use reqwest::blocking::{Client, Response};
use sitewatch::db::Db;
use sitewatch::db::models::user::User;
use sitewatch::domain::name::Username;
use sitewatch::domain::password::hash_password;
use sitewatch::settings::Settings;
use sitewatch::web::WebServer;

use crate::harness::TestDb;

pub const PASSWORD: &str = "correct horse battery";

/// A running server; stopped when dropped.
pub struct TestApp {
    pub base: String,
    pub setup_link: Option<String>,
    pub db: Db,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        actix_web::rt::System::new().block_on(handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub fn settings_for(db: &TestDb, extra: &[(&str, &str)]) -> Settings {
    let mut vars = vec![
        ("SITEWATCH_DATABASE_URL".to_owned(), db.url.clone()),
        ("SITEWATCH_BIND".to_owned(), "127.0.0.1:0".to_owned()),
        ("SITEWATCH_CHECK_SANDBOX_URLS".to_owned(), String::new()),
    ];
    vars.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    Settings::from_parts(None, &vars).expect("test settings")
}

/// Starts the app on 127.0.0.1:0 in a thread of its own and waits until it listens.
pub fn spawn_with(db: &TestDb, settings: Settings) -> TestApp {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match WebServer::build(&settings, 2) {
                Ok(server) => {
                    let ready = (server.port(), server.handle(), server.setup_link().map(str::to_owned));
                    tx.send(Ok(ready)).expect("the test waits for the port");
                    server.run().await.expect("the server runs");
                }
                Err(error) => tx.send(Err(error.to_string())).expect("the test waits for the port"),
            }
        })
    });
    let (port, handle, setup_link) = rx.recv().expect("the server thread answers").expect("the server starts");
    TestApp { base: format!("http://127.0.0.1:{port}"), setup_link, db: db.open(), handle, thread: Some(thread) }
}

pub fn spawn(db: &TestDb) -> TestApp {
    spawn_with(db, settings_for(db, &[]))
}

/// A client that keeps cookies and does not follow redirects (tests look at them).
pub fn client() -> Client {
    sitewatch::tls::install_crypto_provider();
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("an HTTP client")
}

/// A client without cookies that does not follow redirects: a script sending a cookie of
/// its own choosing.
pub fn plain_client_without_redirects() -> Client {
    sitewatch::tls::install_crypto_provider();
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("an HTTP client")
}

/// A client without cookies, for scripts with tokens.
pub fn plain_client() -> Client {
    sitewatch::tls::install_crypto_provider();
    Client::new()
}

pub fn add_user(db: &Db, name: &str) -> User {
    let mut conn = db.conn().expect("a connection");
    User::create(&mut conn, &Username::parse(name).unwrap(), &hash_password(PASSWORD).unwrap()).expect("a user")
}

/// The value of the first `csrf_token` field on a page.
pub fn csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no CSRF field on the page: {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub fn text(response: Response) -> String {
    response.text().expect("a body")
}

/// Signs `name` in with `client` through the login form; panics unless it works.
pub fn sign_in(app: &TestApp, client: &Client, name: &str) {
    let page = text(client.get(app.url("/login")).send().unwrap());
    let response = client
        .post(app.url("/login"))
        .form(&[("csrf_token", csrf(&page).as_str()), ("username", name), ("password", PASSWORD), ("next", "/")])
        .send()
        .unwrap();
    assert_eq!(response.status(), 303, "sign-in failed: {}", text(response));
}

/// GETs a page with a fresh form token for a following POST.
pub fn form_token(app: &TestApp, client: &Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    csrf(&text(response))
}
