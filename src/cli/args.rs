//! The `sitewatch` command line, as clap types. Each command's help ends with examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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

const TRAFFIC_HELP: &str = "Lines are in Common or Combined Log Format. Time is the lines' own (log time), never the\n\
clock, so a replay prints what a live run printed. A line up to 10 s out of order counts in its own\n\
second; older ones are counted as late. Lines that do not parse are counted and the first of each\n\
interval is shown (line numbers count from where reading began).\n\
\n\
Every --every seconds of log time it prints that interval's hits, top 5 sections (/pages/create\n\
counts for /pages), hits by status class, bytes sent and distinct client hosts. When the mean hits\n\
per second over --window rises above --threshold it prints\n  \
High traffic generated an alert - hits = {mean}/s, triggered at {time}\n\
and when it falls back to the threshold or below\n  \
High traffic alert recovered - hits = {mean}/s, recovered at {time}\n\
({time} is the log second the mean crossed at, RFC 3339.) Each is recorded in the database and\n\
sent through every alert channel to the global recipients.\n\
\n\
The log is followed across rotation (rename and re-create) and truncation. With no PATH, every\n\
[[traffic]] entry of the settings is watched, each line starting with the entry's name. Ctrl-C ends\n\
a live run.\n\
\n\
Examples:\n  \
sitewatch traffic /var/log/nginx/access.log\n  \
sitewatch traffic access.log --threshold 50 --window 60 --every 30\n  \
sitewatch traffic old-access.log --from-start --once     (a replay: read, report, alert, exit)\n  \
sitewatch --config /etc/sitewatch/sitewatch.toml traffic  (every [[traffic]] entry)";

const STATUS_HELP: &str = "Columns: the site's slug, its kind (http, tcp, ping), its state (up, down, unknown, paused,\n\
maintenance), how long ago it was last checked, the newest check's response time (a ping's mean\n\
round trip; - when it got no answer), then for the last 10 minutes and the last hour the share of\n\
checks that were up and the mean/max response time in ms. The figures are those of\n\
/sites/SLUG/stats.json. Colour is used on a terminal unless NO_COLOR is set.\n\
\n\
Examples:\n  \
sitewatch status\n  \
sitewatch status --watch 5          (reprint every 5 seconds until Ctrl-C)\n  \
sitewatch status --json | jq '.sites[] | select(.status == \"down\") | .slug'";

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Reprint every SECS seconds (10 when no value is given) until interrupted
    #[arg(long, value_name = "SECS", num_args = 0..=1, default_missing_value = "10",
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub watch: Option<u64>,
    /// Print JSON instead of a table (with --watch, one document per line)
    #[arg(long)]
    pub json: bool,
}

const OUTAGES_HELP: &str = "The table lists each outage's start, end (or `ongoing`), duration and sites. With --follow,\n\
the command then stays and prints a line for each outage opened, site joined, site recovered and\n\
outage resolved as `check` records it (the database is read once a second), until Ctrl-C. With\n\
--json the list is printed as the API's /api/outages items, and followed events as one JSON\n\
object per line: {\"event\", \"outage_id\", \"at\", \"site\"}.\n\
\n\
Examples:\n  \
sitewatch outages\n  \
sitewatch outages --limit 0 --json      (every outage)\n  \
sitewatch outages --follow              (a console that shows outages as they happen)";

#[derive(Debug, Args)]
pub struct OutagesArgs {
    /// Then print each opening, joining, recovery and resolution as it is recorded
    #[arg(long)]
    pub follow: bool,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// How many outages to list, newest first; 0 lists them all
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct TrafficArgs {
    /// The access log to watch; without it, every [[traffic]] entry of the settings
    pub path: Option<PathBuf>,
    /// Alert when the mean hits per second over the window rises above this [default: 10, or the
    /// [[traffic]] entry's]
    #[arg(long, value_name = "N")]
    pub threshold: Option<f64>,
    /// Seconds of log time the mean is taken over [default: 120, or the [[traffic]] entry's]
    #[arg(long, value_name = "SECS")]
    pub window: Option<u32>,
    /// Seconds of log time per report
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub every: u32,
    /// Read what the log already holds first (otherwise only lines written from now on)
    #[arg(long)]
    pub from_start: bool,
    /// Read to the end, print the last interval, deliver the alerts and exit
    #[arg(long)]
    pub once: bool,
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

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; asks for the password twice unless --password-stdin
    #[command(
        after_help = "Examples:\n  sitewatch user add alice\n  echo \"$PASSWORD\" | sitewatch user add deploy --password-stdin"
    )]
    Add {
        /// The name to sign in with: letters, digits, `.`, `_`, `-` and `@`
        name: String,
        /// Read the password from the first line of standard input (for scripts)
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users
    #[command(after_help = "Example:\n  sitewatch user list --json")]
    List(ListArgs),
    /// Change a user's password
    #[command(after_help = "Example:\n  sitewatch user passwd alice")]
    Passwd {
        /// The user's name, as `user list` shows it
        name: String,
        /// Read the new password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user, their API tokens and their sessions
    #[command(after_help = "Example:\n  sitewatch user remove alice")]
    Remove {
        /// The user's name, as `user list` shows it
        name: String,
    },
    /// List a user's signed-in sessions, or end them all (a lost laptop, a copied cookie)
    #[command(
        after_help = "A session ends when its browser signs out, when it is unused for [web] session_days (14),\n\
                            when the user's password changes, or with --revoke; a copy of its cookie stops working too.\n\n\
                            Examples:\n  sitewatch user sessions alice\n  sitewatch user sessions alice --revoke"
    )]
    Sessions {
        /// The user's name, as `user list` shows it
        name: String,
        /// End every session of the user
        #[arg(long)]
        revoke: bool,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Add a group; its slug is made from the name unless --slug is given
    #[command(
        after_help = "Examples:\n  sitewatch group add \"Web shop\"\n  sitewatch group add Databases --slug db --order 2\n  \
                      sitewatch group add \"Public services\" --public"
    )]
    Add {
        /// The group's display name, e.g. "Web shop"
        name: String,
        /// The group's short name in URLs and commands
        #[arg(long)]
        slug: Option<String>,
        /// A sentence about the group, shown on its page
        #[arg(long, default_value = "")]
        description: String,
        /// Position on the dashboard; lower comes first
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        order: i32,
        /// Show the group's sites on the public status page (/status) and their badges
        #[arg(long)]
        public: bool,
    },
    /// Show a group on the public status page (on) or hide it (off)
    #[command(after_help = "A public group's sites are shown without login at /status, /status.json and \
                            /status/feed.atom (names and states only, never URLs or errors), and their badges \
                            at /badge/SLUG.svg are public.\n\n\
                            Examples:\n  sitewatch group public web on\n  sitewatch group public internal off")]
    Public {
        slug: String,
        /// `on` or `off`
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// List groups and how many sites each holds
    #[command(after_help = "Example:\n  sitewatch group list")]
    List(ListArgs),
    /// Remove an empty group
    #[command(after_help = "Example:\n  sitewatch group remove old-servers")]
    Remove {
        /// The group's slug, as `group list` shows it
        slug: String,
    },
}

/// What a site is checked with beyond its URL: ping probes and the keyword rule.
#[derive(Debug, Args, Default)]
pub struct CheckFlags {
    /// Echo requests per check of a ping:// site (default: [check] ping_probes, 4)
    #[arg(long, value_name = "N")]
    pub probes: Option<i64>,
    /// Text an http(s) page must contain (the page is fetched with GET)
    #[arg(long, value_name = "TEXT")]
    pub keyword: Option<String>,
    /// The page is up when the keyword is NOT found (an error message, say)
    #[arg(long, requires = "keyword")]
    pub keyword_absent: bool,
}

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Watch a new site (http, https, tcp or ping); without --group it goes to the group `default`
    #[command(after_help = SITE_ADD_HELP)]
    Add {
        /// What to check: https://example.com/, tcp://db.example.com:5432 or ping://10.0.0.1
        url: String,
        /// Display name; defaults to the URL's host
        #[arg(long)]
        name: Option<String>,
        /// Slug or name of an existing group
        #[arg(long)]
        group: Option<String>,
        /// Check at most this often, in seconds (default: every round)
        #[arg(long, value_name = "SECS")]
        interval: Option<i64>,
        /// The site's short name in URLs and commands; made from the name when absent
        #[arg(long)]
        slug: Option<String>,
        #[command(flatten)]
        check: CheckFlags,
    },
    /// Change a site's name, URL, group, interval, probes or keyword (its slug stays)
    #[command(after_help = "Examples:\n  sitewatch site change shop --name \"Web shop\" --group web\n  \
                            sitewatch site change shop --keyword \"Add to cart\"\n  \
                            sitewatch site change shop --no-keyword --every-round\n  \
                            sitewatch site change router --probes 10")]
    Change {
        /// The site's slug, as `site list` shows it
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        url: Option<String>,
        /// Slug or name of an existing group
        #[arg(long)]
        group: Option<String>,
        /// Check at most this often, in seconds
        #[arg(long, value_name = "SECS", conflicts_with = "every_round")]
        interval: Option<i64>,
        /// Check the site on every round again
        #[arg(long)]
        every_round: bool,
        /// Echo requests per check (ping:// sites)
        #[arg(long, value_name = "N")]
        probes: Option<i64>,
        /// Text the page must contain (http(s) sites)
        #[arg(long, value_name = "TEXT", conflicts_with = "no_keyword")]
        keyword: Option<String>,
        /// Stop looking for a keyword
        #[arg(long)]
        no_keyword: bool,
        /// Whether the page is up when the keyword is absent (true) or present (false)
        #[arg(long, value_name = "true|false")]
        keyword_absent: Option<bool>,
    },
    /// List sites with their state
    #[command(after_help = "Examples:\n  sitewatch site list\n  sitewatch site list --json")]
    List(ListArgs),
    /// Stop checking a site (it keeps its history)
    #[command(after_help = "Example:\n  sitewatch site pause shop")]
    Pause {
        /// The site's slug, as `site list` shows it
        slug: String,
    },
    /// Check a paused site again
    #[command(after_help = "Example:\n  sitewatch site resume shop")]
    Resume {
        /// The site's slug, as `site list` shows it
        slug: String,
    },
    /// Stop watching a site and delete its check history
    #[command(after_help = "Example:\n  sitewatch site remove shop")]
    Remove {
        /// The site's slug, as `site list` shows it
        slug: String,
    },
}

const SITE_ADD_HELP: &str = concat!(
    "The URL says how the site is checked:\n  ",
    "http://… or https://…  a HEAD request (GET with --keyword); up on a status in [check] good_codes\n  ",
    "tcp://HOST:PORT        a TCP connection within [check] timeout_secs\n  ",
    "ping://HOST            ICMP echo requests (--probes of them); down when every one is lost\n\n",
    "Examples:\n  sitewatch site add https://shop.example.com/\n  ",
    "sitewatch site add https://api.example.com/health --name API --group web --interval 300\n  ",
    "sitewatch site add https://shop.example.com/cart --keyword \"Add to cart\"\n  ",
    "sitewatch site add tcp://db.example.com:5432 --name Database\n  ",
    "sitewatch site add ping://192.0.2.10 --probes 10"
);

#[derive(Debug, Subcommand)]
pub enum RecipientCommand {
    /// Send alerts to an e-mail address or (by SMS) a phone number: for every site, one
    /// group's, or one site's
    #[command(after_help = "A phone number is written in international form: + then the country code and number\n\
                            (spaces, dots, dashes and brackets are ignored). SMS needs [sms] in the settings.\n\n\
                            Examples:\n  sitewatch recipient add ops@example.com\n  \
                            sitewatch recipient add shop-team@example.com --group web\n  \
                            sitewatch recipient add \"+44 7700 900123\" --site shop")]
    Add {
        /// An e-mail address (ops@example.com) or a phone number (+447700900123)
        #[arg(value_name = "ADDRESS")]
        address: String,
        /// Only alerts about this site
        #[arg(long, conflicts_with = "group")]
        site: Option<String>,
        /// Only alerts about sites of this group
        #[arg(long)]
        group: Option<String>,
    },
    /// List recipients and what they receive
    #[command(after_help = "Example:\n  sitewatch recipient list")]
    List(ListArgs),
    /// Stop sending alerts to a recipient (by the id `recipient list` shows)
    #[command(after_help = "Example:\n  sitewatch recipient remove 0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87")]
    Remove {
        /// The recipient's id, as `recipient list` shows it
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum LocationCommand {
    /// List every location with its last round and whether it votes now (live)
    #[command(after_help = "A location is live while its last round ended within check.location_stale_secs (by the\n\
                            database's clock) and was not offline; only live locations vote on whether a site is down.\n\n\
                            Examples:\n  sitewatch location list\n  sitewatch location list --json")]
    List(ListArgs),
    /// Forget a location that no longer runs (its per-site state; its check history stays)
    #[command(after_help = "Example:\n  sitewatch location remove old-dc")]
    Remove {
        /// The location's name, as `sitewatch location list` shows it
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; it is printed once and only its hash is kept
    #[command(after_help = "Example:\n  sitewatch token add alice --label deploy-script")]
    Add {
        /// The user the token acts for
        user: String,
        /// A note to recognise the token by later
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List API tokens (never their secrets)
    #[command(after_help = "Example:\n  sitewatch token list")]
    List(ListArgs),
    /// Revoke an API token by the id `token list` shows
    #[command(after_help = "Example:\n  sitewatch token revoke 0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87")]
    Revoke {
        /// The token's id, as `token list` shows it
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Send a test alert through every enabled channel and say which worked (exit 1 if one failed)
    #[command(
        after_help = "Each enabled channel gets one test alert: e-mail to [email] to and every e-mail recipient of\n\
                            all alerts, an SMS to [sms] to and every phone recipient of all alerts, one tweet, and a\n\
                            POST to each [[webhooks]] URL in its format. Nothing is retried later.\n\n\
                            Examples:\n  sitewatch notify test\n  \
                            SITEWATCH_EMAIL_PASSWORD=... sitewatch --config /etc/sitewatch/sitewatch.toml notify test"
    )]
    Test,
    /// List alert deliveries waiting to be sent or given up on
    #[command(
        after_help = "A delivery is one alert to one recipient through one channel. Pending ones are tried again on\n\
                            every check round. Only refusals by a channel that was reached count: after 10 of them a\n\
                            delivery is marked failed and kept. While a channel cannot be reached at all, its deliveries\n\
                            wait, up to [alerts] give_up_after_hours (72) after they were queued.\n\n\
                            Examples:\n  sitewatch notify list\n  sitewatch notify list --json"
    )]
    List(ListArgs),
    /// Queue failed deliveries again, to be sent by the next check round
    #[command(
        after_help = "Use it once the cause is fixed, or for a delivery whose outcome was unknown (it may have\n\
                            arrived already: that is why it was not resent by itself).\n\n\
                            Examples:\n  sitewatch notify retry 0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87\n  \
                            sitewatch notify retry --all-failed"
    )]
    Retry {
        /// Ids of failed deliveries, as `notify list` shows them
        #[arg(required_unless_present = "all_failed", conflicts_with = "all_failed")]
        ids: Vec<String>,
        /// Every failed delivery
        #[arg(long)]
        all_failed: bool,
    },
}

const MAINTENANCE_HELP: &str = "TIME is an RFC 3339 time (2026-11-21T22:00:00Z, or with an offset), `now`, or a span from now such as +30m, +2h or +1d.\n\n\
A window is once (--start and --end) or recurring: --cron EXPR (five fields: minute hour day month weekday, e.g. \"0 2 * * sun\") or --weekly \"DAY[,DAY] HH:MM\" (e.g. \"sun 02:00\"), with --duration for how long each occurrence lasts. Recurring times are in the configured time_zone; --start (default now) and --end (default: for ever) bound when it recurs.\n\n\
During a window the site is still checked and its checks are kept, marked maintenance; they count toward no outage, send no alert and are left out of availability, and its run of failures starts from zero after the window. A site already down in an open outage stays in it until it answers again.\n\n\
Examples:\n  sitewatch maintenance add --site shop --start now --end +2h --note \"Database upgrade\"\n  \
sitewatch maintenance add --group web --start 2026-11-21T22:00:00Z --end 2026-11-21T23:30:00Z\n  \
sitewatch maintenance add --site shop --weekly \"sun 02:00\" --duration 2h\n  \
sitewatch maintenance add --group web --cron \"30 3 1 * *\" --duration 45m --end 2027-06-30T00:00:00Z";

#[derive(Debug, Subcommand)]
pub enum MaintenanceCommand {
    /// Add a window over one site or one group
    #[command(after_help = MAINTENANCE_HELP)]
    Add {
        /// The site (slug) the window is over
        #[arg(long, conflicts_with = "group", required_unless_present = "group")]
        site: Option<String>,
        /// The group (slug or name) the window is over
        #[arg(long)]
        group: Option<String>,
        /// When it starts (a recurring window: when it may first occur; default now)
        #[arg(long, value_name = "TIME")]
        start: Option<String>,
        /// When it ends (a recurring window: no occurrence starts after it)
        #[arg(long, value_name = "TIME")]
        end: Option<String>,
        /// What is being done, shown on the status page and the dashboard
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Recur at each time of this cron expression
        #[arg(long, value_name = "EXPR", conflicts_with = "weekly")]
        cron: Option<String>,
        /// Recur every week at this day and time: "sun 02:00", "mon,thu 22:30"
        #[arg(long, value_name = "DAY HH:MM")]
        weekly: Option<String>,
        /// How long each occurrence of a recurring window lasts: 2h, 90m
        #[arg(long, value_name = "DURATION")]
        duration: Option<String>,
    },
    /// List windows with their next occurrences
    #[command(after_help = "Examples:\n  sitewatch maintenance list\n  sitewatch maintenance list --json")]
    List(ListArgs),
    /// Remove a window by the id `maintenance list` shows
    #[command(after_help = "Example:\n  sitewatch maintenance remove 0b5e0c1e-4c1a-4b8e-9f6e-3a2d1c0b9a87")]
    Remove { id: String },
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
