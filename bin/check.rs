//! `check`: one check round per invocation, run by cron.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use sitewatch::checker::{RoundError, RoundOptions, RoundOutcome, raise_open_files_limit, run_round};
use sitewatch::db::Db;
use sitewatch::settings::{AUTO_HEADROOM, Concurrency, Settings};
use sitewatch::{exit_code, logging};

#[derive(Debug, Parser)]
#[command(
    name = "check",
    version,
    about = "Run one check round: probe every due site, record the results, open or close outages, send alerts",
    after_help = "Exit codes: 0 round done (sites may be down), 2 bad settings or arguments, 3 the checker's own\n\
                  network is down (every sandbox URL failed; nothing recorded), 4 another round is running, 1 any\n\
                  other failure.\n\n\
                  Ping sites (ping://HOST) need ICMP sockets: allow them with\n  \
                  sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"   or   setcap cap_net_raw+ep $(command -v check)\n\n\
                  Examples:\n  check --config /etc/sitewatch/sitewatch.toml --quiet   (from cron; see crontab.example)\n  \
                  check --site shop --site api                         (just these sites, due or not)"
)]
struct Args {
    /// Settings file to use instead of $SITEWATCH_CONFIG or ./sitewatch.toml
    #[arg(long, short = 'c', value_name = "PATH")]
    config: Option<PathBuf>,
    /// Print nothing when the round succeeds
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Check only this site (by slug); repeat for several
    #[arg(long = "site", value_name = "SLUG")]
    sites: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    logging::init(if args.quiet { "error" } else { "warn" });
    let settings = match Settings::load(args.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => return fail(exit_code::USAGE, &error.to_string()),
    };
    let open_files = raise_open_files_limit();
    if let (Some(limit), Concurrency::Fixed(wanted)) = (open_files, settings.check.concurrency)
        && (limit as usize) < wanted + AUTO_HEADROOM as usize
    {
        eprintln!(
            "check: warning: only {limit} open files allowed but check.concurrency is {wanted}; probes may fail \
             with `connect`. Lower it, or set it to \"auto\" to follow the limit"
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(exit_code::FAILURE, &format!("cannot start the async runtime: {error}")),
    };
    let db = match Db::open_and_migrate(&settings.database(), 4) {
        Ok(db) => db,
        Err(error) => return fail(exit_code::FAILURE, &error.to_string()),
    };
    let options = RoundOptions { only: args.sites };
    match runtime.block_on(run_round(db, Arc::new(settings), options)) {
        Ok(RoundOutcome::Done(summary)) => {
            if !args.quiet {
                println!("{}", summary.line());
                if let Some(why) = summary.idle_line(sitewatch::domain::time::now_utc()) {
                    println!("{why}");
                }
            }
            // Even with --quiet: cron mails stderr, and the operator has something to fix.
            for warning in &summary.warnings {
                eprintln!("check: warning: {warning}");
            }
            // Even with --quiet: cron mails stderr, and an alert that did not go out matters.
            if let Some(warning) = summary.delivery.warning() {
                eprintln!("check: warning: {warning}");
            }
            ExitCode::from(exit_code::OK)
        }
        Ok(RoundOutcome::Offline { failures }) => fail(
            exit_code::OFFLINE,
            &format!(
                "every sandbox URL failed, so the checker's own network seems down; nothing was recorded ({}). \
                 If this machine cannot reach them, list URLs it can in [check] sandbox_urls, or turn the check \
                 off with [check] sandbox_urls = [] (SITEWATCH_CHECK_SANDBOX_URLS=\"\")",
                failures.join("; ")
            ),
        ),
        Ok(RoundOutcome::Busy { holder }) => {
            fail(exit_code::BUSY, &format!("another round is running ({holder}); this one was skipped"))
        }
        Err(RoundError::Usage(message)) => fail(exit_code::USAGE, &message),
        Err(error) => fail(exit_code::FAILURE, &error.to_string()),
    }
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("check: {message}");
    ExitCode::from(code)
}
