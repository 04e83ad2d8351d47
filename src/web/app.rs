//! Building and running the app: settings → database (migrated) → session key → routes →
//! a listening server. Tests bind `127.0.0.1:0` and read the port back.

use std::net::TcpListener;
use std::time::Duration;

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};
use sha2::{Digest, Sha512};

use super::auth::{self, login, setup};
use super::error::{WebError, form_error, json_error, path_error, query_error};
use super::error_page::render_html_errors;
use super::state::AppState;
use super::{admin, api, assets, guard, health, metrics, pages, public, refresher, traffic};
use crate::db::models::app_setting::{self, SECRET_KEY};
use crate::db::{Db, DbError, PoolOptions};
use crate::domain::api_token::random_hex;
use crate::domain::password::hash_password;
use crate::settings::Settings;

pub const SESSION_COOKIE: &str = "sitewatch_session";

/// Browsers keep a cookie at most about this long anyway.
const COOKIE_LIFETIME: actix_web::cookie::time::Duration = actix_web::cookie::time::Duration::days(400);

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot listen on {address}: {reason} (change `bind` in the settings, or stop what uses that port)")]
    Bind { address: String, reason: String },
    #[error("cannot start the web app: {0}")]
    Start(String),
}

impl From<WebError> for ServeError {
    fn from(error: WebError) -> Self {
        ServeError::Start(error.to_string())
    }
}

/// A bound, not yet running server.
pub struct WebServer {
    server: Server,
    state: web::Data<AppState>,
    port: u16,
    url: String,
    setup_link: Option<String>,
}

/// The 64-byte cookie key: SHA-512 of the secret, so any secret length gives a full-strength key.
fn cookie_key(secret: &str) -> Key {
    Key::from(&Sha512::digest(secret.as_bytes()))
}

impl WebServer {
    /// Opens and migrates the database, settles the session secret, binds `settings.bind`.
    /// Call inside an actix (tokio) runtime.
    pub fn build(settings: &Settings, workers: usize) -> Result<WebServer, ServeError> {
        let workers = workers.max(1);
        let deadline = Duration::from_secs(settings.web.db_deadline_secs);
        let pool =
            PoolOptions { max_connections: settings.web.pool_size, wait: deadline, statement_timeout: Some(deadline) };
        let db = Db::open_with(&settings.database(), pool)?;
        db.migrate()?;
        let mut conn = db.conn()?;
        let secret = match settings.secret_key.trim() {
            "" => app_setting::get_or_init(&mut conn, SECRET_KEY, || random_hex(64)).map_err(DbError::from)?,
            configured => configured.to_owned(),
        };
        let setup_link = setup::link(&mut conn, &settings.public_url)?;
        drop(conn);

        let listener = TcpListener::bind(settings.bind)
            .map_err(|e| ServeError::Bind { address: settings.bind.to_string(), reason: e.to_string() })?;
        let address = listener.local_addr().map_err(|e| ServeError::Start(e.to_string()))?;
        let secure = settings.public_url.scheme() == "https";
        let key = cookie_key(&secret);
        let dummy_hash = hash_password(&random_hex(16)).map_err(|e| ServeError::Start(e.to_string()))?;
        let idle = chrono::TimeDelta::days(i64::from(settings.web.session_days));
        let state = web::Data::new(AppState::new(db, std::sync::Arc::new(settings.clone()), dummy_hash, idle));
        let app_state = state.clone();

        let server = HttpServer::new(move || {
            let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name(SESSION_COOKIE.to_owned())
                .cookie_secure(secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_content_security(CookieContentSecurity::Private)
                // The cookie outlives any session: whether a session still holds is decided by
                // its row (used within `session_days`, not signed out or revoked), not by the
                // browser keeping the cookie.
                .session_lifecycle(PersistentSession::default().session_ttl(COOKIE_LIFETIME))
                .build();
            App::new()
                .app_data(state.clone())
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .app_data(web::JsonConfig::default().limit(64 * 1024).error_handler(json_error))
                .app_data(web::FormConfig::default().limit(64 * 1024).error_handler(form_error))
                .wrap(ErrorHandlers::new().default_handler(render_html_errors))
                .wrap(from_fn(auth::require_login))
                .wrap(sessions)
                .wrap(Compress::default())
                .wrap(from_fn(guard::guard))
                .configure(routes)
        })
        // Without TCP_NODELAY a response written in pieces (a compressed stream) waits for the
        // client's delayed ACK: 40 ms per request on a kept-alive connection.
        .on_connect(|connection, _| {
            if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = tcp.set_nodelay(true);
            }
        })
        .workers(workers)
        .listen(listener)
        .map_err(|e| ServeError::Bind { address: address.to_string(), reason: e.to_string() })?
        .run();

        Ok(WebServer { server, state: app_state, port: address.port(), url: format!("http://{address}"), setup_link })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where the server listens, e.g. `http://127.0.0.1:8000`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The one-time link for choosing the first admin's password, while no user exists.
    pub fn setup_link(&self) -> Option<&str> {
        self.setup_link.as_deref()
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (Ctrl-C, SIGTERM, or the handle), with the background refresher.
    pub async fn run(self) -> std::io::Result<()> {
        let refresher = actix_web::rt::spawn(refresher::keep_fresh(self.state));
        let result = self.server.await;
        refresher.abort();
        result
    }
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login::login_page))
        .route("/login", web::post().to(login::login))
        .route("/logout", web::get().to(login::logout_page))
        .route("/logout", web::post().to(login::logout))
        .route("/setup/{token}", web::get().to(setup::setup_page))
        .route("/setup/{token}", web::post().to(setup::setup))
        .route("/healthz", web::get().to(health::healthz))
        .route("/static/{name}", web::get().to(assets::serve))
        .route("/", web::get().to(pages::home::page))
        .route("/data.json", web::get().to(pages::home::data))
        .route("/metrics", web::get().to(metrics::metrics))
        .route("/groups/{slug}", web::get().to(pages::groups::page))
        .route("/groups/{slug}/data.json", web::get().to(pages::groups::data))
        .route("/groups/{slug}/stats.json", web::get().to(api::stats::group_stats))
        .route("/sites/{slug}", web::get().to(pages::sites::page))
        .route("/sites/{slug}/data.json", web::get().to(pages::sites::data))
        .route("/sites/{slug}/stats.json", web::get().to(api::stats::site_stats))
        .route("/outages", web::get().to(pages::outages::list))
        .route("/outages/{id}", web::get().to(pages::outages::one))
        .route("/outage", web::get().to(pages::outages::current))
        .route("/outages/{id}/notes", web::post().to(pages::notes::add))
        .route("/traffic", web::get().to(traffic::page))
        .route("/traffic.json", web::get().to(traffic::data))
        .route("/status", web::get().to(public::status_page))
        .route("/status.json", web::get().to(public::status_json))
        .route("/status/feed.atom", web::get().to(public::status_feed))
        .route("/badge/{file}", web::get().to(public::state_badge))
        .route("/badge/{slug}/uptime.svg", web::get().to(public::uptime_badge))
        .service(web::scope("/api").configure(api::configure))
        .service(web::scope("/admin").configure(admin::configure))
        .default_service(web::to(not_found));
}

async fn not_found(req: actix_web::HttpRequest) -> Result<actix_web::HttpResponse, WebError> {
    Err(WebError::NotFound(format!("there is no page at {}", req.path())))
}
