//! The admin commands of `sitewatch`: one file per group of subcommands. Each turns its
//! arguments into a use case's typed input, calls it (`crate::manage`), and prints the result;
//! a refusal exits 2 with one line naming the argument at fault, and changes nothing.

pub mod args;
mod doctor;
mod group;
mod import;
mod location;
mod maintenance;
mod notify;
mod outage_events;
mod outages;
mod output;
mod password_input;
mod purge;
mod recipient;
mod settings_view;
mod site;
mod status;
mod terminal;
mod token;
mod traffic;
mod user;

use std::fmt::Display;

use crate::db::{Db, DbError};
use crate::exit_code;
use crate::manage::ManageError;
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

impl CliError {
    /// A use case's refusal in the CLI's words: each field named as the argument that carried
    /// it (`labels` maps field names to arguments, "" for none; others become `--field-name`).
    pub(crate) fn refused(error: ManageError, labels: &[(&str, &str)]) -> CliError {
        let label = |field: &str| {
            labels
                .iter()
                .find(|(f, _)| *f == field)
                .map_or_else(|| format!("--{}", field.replace('_', "-")), |(_, label)| (*label).to_owned())
        };
        match error {
            ManageError::Invalid(errors) => {
                let parts: Vec<String> = errors
                    .iter()
                    .map(|(field, message)| match label(field).as_str() {
                        "" => message.to_owned(),
                        label => format!("{label}: {message}"),
                    })
                    .collect();
                CliError::Input(parts.join("; "))
            }
            ManageError::NotFound(message) | ManageError::Conflict { message, .. } => CliError::Input(message),
            ManageError::Db(error) => CliError::Db(error),
            ManageError::Failed(message) => CliError::Failed(message),
        }
    }
}

impl From<ManageError> for CliError {
    fn from(error: ManageError) -> Self {
        CliError::refused(error, &[])
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
    match command {
        Command::Doctor => return doctor::run(settings),
        Command::Settings(args) => return settings_view::run(settings, args.json),
        _ => {}
    }
    let db = open(settings)?;
    match command {
        Command::Doctor => doctor::run(settings),
        Command::Settings(args) => settings_view::run(settings, args.json),
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
        Command::Location(cmd) => location::run(&db, settings, cmd),
        Command::Import(args) => import::run(&db, args),
        Command::Notify(cmd) => notify::run(&db, settings, cmd),
        Command::Purge(args) => purge::run(&db, args),
        Command::Traffic(args) => traffic::run(db, settings, args),
        Command::Maintenance(cmd) => maintenance::run(&db, settings, cmd),
        Command::Status(args) => status::run(&db, args),
        Command::Outages(args) => outages::run(&db, settings, args),
    }
}
