//! The admin commands of `sitewatch`: one file per group of subcommands.
//!
//! Every command that changes data runs in one transaction: bad input is refused before
//! anything is written, and a failure half-way leaves the database as it was.

pub mod args;
mod group;
mod import;
mod notify;
mod output;
mod password_input;
mod purge;
mod recipient;
mod site;
mod token;
mod traffic;
mod user;

use std::fmt::Display;

use crate::db::{Db, DbError};
use crate::exit_code;
use crate::settings::{Settings, SettingsError};

pub use args::{Cli, Command};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments or input: exit 2, nothing changed.
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Db(#[from] DbError),
    /// Anything else: exit 1.
    #[error("{0}")]
    Failed(String),
}

impl From<diesel::result::Error> for CliError {
    fn from(error: diesel::result::Error) -> Self {
        CliError::Db(DbError::Query(error))
    }
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) | CliError::Settings(_) => exit_code::USAGE,
            CliError::Db(e) if e.is_user_error() => exit_code::USAGE,
            CliError::Db(_) | CliError::Failed(_) => exit_code::FAILURE,
        }
    }
}

/// Wraps a validation error as bad input, prefixed with what was being read.
pub(crate) fn bad_input<E: Display>(what: &str) -> impl FnOnce(E) -> CliError + '_ {
    move |e| CliError::Input(format!("{what}: {e}"))
}

/// Loads the settings and opens the database, applying migrations so any command works on a fresh file.
pub fn open(settings: &Settings) -> Result<Db, CliError> {
    Ok(Db::open_and_migrate(&settings.database(), 2)?)
}

/// Runs one admin command (not `serve`, which the binary starts itself).
pub fn run(command: Command, settings: &Settings) -> Result<(), CliError> {
    let db = open(settings)?;
    match command {
        Command::Serve => {
            Err(CliError::Failed("`serve` runs the web app and is started by the sitewatch binary itself".into()))
        }
        Command::Migrate => {
            let applied = db.migrate()?;
            if applied.is_empty() {
                println!("The database at {} is up to date.", db.url());
            } else {
                println!("Applied {} migration(s) to {}.", applied.len(), db.url());
            }
            Ok(())
        }
        Command::User(cmd) => user::run(&db, cmd),
        Command::Group(cmd) => group::run(&db, cmd),
        Command::Site(cmd) => site::run(&db, cmd),
        Command::Recipient(cmd) => recipient::run(&db, cmd),
        Command::Token(cmd) => token::run(&db, cmd),
        Command::Import(args) => import::run(&db, args),
        Command::Notify(cmd) => notify::run(&db, settings, cmd),
        Command::Purge(args) => purge::run(&db, args),
        Command::Traffic(args) => traffic::run(db, settings, args),
    }
}
