//! What is watched and when: groups, sites, locations and maintenance windows.

use clap::{Args, Subcommand};

use super::ListArgs;

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
