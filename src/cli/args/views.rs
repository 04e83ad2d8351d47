//! The console views: `status`, `outages` and `traffic`.

use std::path::PathBuf;

use clap::Args;

pub(super) const TRAFFIC_HELP: &str = "Lines are in Common or Combined Log Format. Time is the lines' own (log time), never the\n\
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

pub(super) const STATUS_HELP: &str = "Columns: the site's slug, its kind (http, tcp, ping), its state (up, down, unknown, paused,\n\
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

pub(super) const OUTAGES_HELP: &str = "The table lists each outage's start, end (or `ongoing`), duration and sites. With --follow,\n\
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
