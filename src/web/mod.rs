//! The web app (`sitewatch serve`): status pages, the JSON API, admin pages, metrics and health.
//!
//! Handlers are async; every diesel call runs on actix's blocking pool through
//! [`state::AppState::run`], so a slow query never stalls the workers serving other requests.

mod admin;
mod api;
mod app;
mod assets;
mod auth;
mod blocking;
mod cache;
mod dashboard;
mod error;
mod error_page;
mod filters;
mod format;
mod guard;
mod health;
mod last_use;
mod layout;
mod metrics;
mod pages;
mod paging;
pub(crate) mod public;
mod refresher;
mod routes;
mod state;
mod traffic;

pub use app::{ServeError, WebServer};
pub use error::WebError;
