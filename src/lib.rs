//! sitewatch: an uptime monitor. The `check` binary runs one check round per cron tick; the
//! `sitewatch` binary serves the status pages and administers sites, groups and people.

pub mod checker;
pub mod cli;
pub mod db;
pub mod domain;
pub mod exit_code;
pub mod history;
pub mod json;
pub mod logging;
pub mod manage;
pub mod notify;
pub mod settings;
pub mod tls;
pub mod traffic;
pub mod web;
