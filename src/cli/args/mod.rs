//! The `sitewatch` command line, as clap types. Each command's help ends with examples.

mod people;
mod views;
mod watched;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use people::{NotifyCommand, RecipientCommand, TokenCommand, UserCommand};
use views::{OUTAGES_HELP, STATUS_HELP, TRAFFIC_HELP};
pub use views::{OutagesArgs, StatusArgs, TrafficArgs};
pub use watched::{CheckFlags, GroupCommand, LocationCommand, MaintenanceCommand, SiteCommand};

#[derive(Debug, Parser)]
#[command(
    name = "sitewatch",
    version,
    about = "Uptime monitor and status page: administer sites, groups, recipients and users, or serve the web app",
    long_about = None,
    after_help = "Settings come from --config, else $SITEWATCH_CONFIG, else ./sitewatch.toml, else the defaults\n\
                  (SQLite in ./sitewatch.db). Any key can be overridden by SITEWATCH_<SECTION>_<KEY>; `sitewatch\n\
                  settings` lists every key, its value and its variable. `sitewatch doctor` checks the installation.\n\n\
                  Examples:\n  sitewatch site add https://example.com/ --group web\n  sitewatch site list\n  \
                  sitewatch user add alice"
)]
pub struct Cli {
    /// Settings file to use instead of $SITEWATCH_CONFIG or ./sitewatch.toml
    #[arg(long, short = 'c', global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the status pages, the JSON API and the admin pages on `bind`
    #[command(after_help = "On first start with no user, the console prints a one-time link for choosing the first\n\
                            admin's password in the browser (or add one with `sitewatch user add NAME`).\n\n\
                            Examples:\n  sitewatch serve\n  SITEWATCH_BIND=0.0.0.0:8080 sitewatch --config /etc/sitewatch/sitewatch.toml serve")]
    Serve,
    /// Check the installation and say what to fix: settings, database, due sites, sandbox, ping,
    /// alert channels (nothing is sent)
    #[command(after_help = "Exit codes: 0 nothing to fix, 1 something to fix (each listed with how), 2 the settings\n\
                            themselves cannot be read.\n\n\
                            Examples:\n  sitewatch doctor\n  sitewatch --config /etc/sitewatch/sitewatch.toml doctor")]
    Doctor,
    /// Show every settings key, the value in effect and the variable that overrides it
    #[command(after_help = "Secrets (passwords, tokens, keys) are shown only as set or not set.\n\n\
                            Examples:\n  sitewatch settings\n  sitewatch --config /etc/sitewatch/sitewatch.toml settings --json")]
    Settings(ListArgs),
    /// Apply pending database migrations (serve and check also do this on start)
    #[command(after_help = "Example:\n  sitewatch --config /etc/sitewatch/sitewatch.toml migrate")]
    Migrate,
    /// Manage the people who can log in to the web app
    #[command(subcommand)]
    User(UserCommand),
    /// Manage groups of sites
    #[command(subcommand)]
    Group(GroupCommand),
    /// Manage watched sites
    #[command(subcommand)]
    Site(SiteCommand),
    /// Manage who receives alerts by e-mail or SMS
    #[command(subcommand)]
    Recipient(RecipientCommand),
    /// Manage API tokens for scripts
    #[command(subcommand)]
    Token(TokenCommand),
    /// See the locations checkers run from (several share one PostgreSQL database)
    #[command(subcommand)]
    Location(LocationCommand),
    /// Add sites from a TOML, YAML or JSON file, all or nothing
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Test the alert channels, and see or resend deliveries that did not go out
    #[command(
        subcommand,
        after_help = "Examples:\n  sitewatch notify test\n  sitewatch notify list --json\n  sitewatch notify retry --all-failed"
    )]
    Notify(NotifyCommand),
    /// Plan maintenance windows: checks go on, but failures open no outage and send no alert
    #[command(subcommand)]
    Maintenance(MaintenanceCommand),
    /// Every site's state, last check and response time, with availability and mean/max
    /// response over the last 10 minutes and hour
    #[command(after_help = STATUS_HELP)]
    Status(StatusArgs),
    /// Outage history, newest first; --follow then prints each change as `check` records it
    #[command(after_help = OUTAGES_HELP)]
    Outages(OutagesArgs),
    /// Delete check results older than a cut-off, in small batches
    #[command(
        after_help = "Examples:\n  sitewatch purge --older-than 90d --dry-run\n  sitewatch purge --older-than 12h"
    )]
    Purge(PurgeArgs),
    /// Watch HTTP access logs: a traffic report every interval, and an alert on high traffic
    #[command(after_help = TRAFFIC_HELP)]
    Traffic(TrafficArgs),
}

const IMPORT_HELP: &str = "Accepted formats (by extension, or by content when the extension is unknown):\n\
  sitewatch's own:  [[sites]] with url, name, group, interval_secs\n\
  websites list:    {\"websites\": [{\"URL\": ..., \"checkInterval\": 3.5}], \"defaultCheckInterval\": 3}\n\
  targets list:     targets: [example.com, https://api.example.com/health]  (a bare host means https://HOST/)\n\n\
Examples:\n  sitewatch import sites.toml --group web\n  sitewatch import config.json --skip-existing";

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read (.toml, .yaml, .yml or .json)
    pub file: PathBuf,
    /// Put sites that name no group into this existing group (default: `default`)
    #[arg(long)]
    pub group: Option<String>,
    /// Skip sites whose URL is already watched instead of refusing the whole file
    #[arg(long)]
    pub skip_existing: bool,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Delete views older than this: 90d, 12h, 2w, 30m
    #[arg(long, value_name = "DURATION")]
    pub older_than: String,
    /// Only count what would be deleted
    #[arg(long)]
    pub dry_run: bool,
}
