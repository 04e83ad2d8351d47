//! `sitewatch`: the web app and the admin commands.

use std::process::ExitCode;

use clap::Parser;
use sitewatch::cli::{self, Cli, Command};
use sitewatch::settings::Settings;
use sitewatch::web::WebServer;
use sitewatch::{exit_code, logging};

fn main() -> ExitCode {
    let args = Cli::parse();
    let serving = matches!(args.command, Command::Serve);
    if !serving {
        // Like other command-line tools, end quietly when the reader of our output goes away
        // (`sitewatch site list --json | head`) instead of panicking on the broken pipe. Not
        // for `serve`, which must outlive a client that hangs up.
        // SAFETY: resetting a signal's disposition before any thread is started.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    logging::init(if serving { "info" } else { "warn" });
    let settings = match Settings::load(args.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("sitewatch: {error}");
            return ExitCode::from(exit_code::USAGE);
        }
    };
    let result = if serving { serve(&settings) } else { cli::run(args.command, &settings).map_err(Into::into) };
    match result {
        Ok(()) => ExitCode::from(exit_code::OK),
        Err(failure) => {
            eprintln!("sitewatch: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

struct Failure {
    code: u8,
    message: String,
}

impl From<cli::CliError> for Failure {
    fn from(error: cli::CliError) -> Self {
        Failure { code: error.exit_code(), message: error.to_string() }
    }
}

fn serve(settings: &Settings) -> Result<(), Failure> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    actix_web::rt::System::new().block_on(async {
        let server = WebServer::build(settings, workers)
            .map_err(|e| Failure { code: exit_code::FAILURE, message: e.to_string() })?;
        tracing::info!(public_url = %settings.public_url, "sitewatch is serving on {}", server.url());
        if let Some(link) = server.setup_link() {
            // Logged, so it is in the journal of a service too, not only on a terminal.
            tracing::warn!("no user exists yet: open this one-time link to choose the first admin's password: {link}");
        }
        server
            .run()
            .await
            .map_err(|e| Failure { code: exit_code::FAILURE, message: format!("the web server stopped: {e}") })
    })
}
