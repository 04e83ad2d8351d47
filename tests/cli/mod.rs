//! The admin commands, run as the built `sitewatch` binary.

mod doctor;
mod edges;
mod groups;
mod import;
mod purge;
mod recipients;
mod settings;
mod sites;
mod tokens;
mod users;
