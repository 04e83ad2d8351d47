//! The use cases: every change to groups, sites, recipients, users, tokens, incident notes and
//! maintenance windows, written once.
//!
//! Each door (the CLI, the admin pages, the JSON API) turns its input into the same typed
//! value (`NewSite`, `SiteChange`, ...) through `TryFrom`, calls one function here, and maps
//! the typed [`ManageError`] to its own form. Each function validates what needs the database
//! and writes in one transaction: a refused change leaves nothing behind.

pub mod delivery;
pub mod error;
pub mod group;
pub mod import;
pub mod input;
pub mod maintenance;
pub mod note;
pub mod recipient;
pub mod session;
pub mod site;
pub mod token;
pub mod user;

pub use error::{FieldErrors, ManageError};
pub use input::Input;
