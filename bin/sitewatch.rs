//! `sitewatch`: the web app and the admin commands.

use std::process::ExitCode;

use clap::Parser;
use sitewatch::cli::{self, Cli};
use sitewatch::settings::Settings;
use sitewatch::{exit_code, logging};

fn main() -> ExitCode {
    let args = Cli::parse();
    logging::init("warn");
    let result = Settings::load(args.config.as_deref())
        .map_err(cli::CliError::from)
        .and_then(|settings| cli::run(args.command, &settings));
    match result {
        Ok(()) => ExitCode::from(exit_code::OK),
        Err(error) => {
            eprintln!("sitewatch: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
