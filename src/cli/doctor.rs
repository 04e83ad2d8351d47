//! `sitewatch doctor`: checks an installation the way a round and an alert would use it, and
//! says what to fix. It reads the settings, opens the database, tells which sites the next
//! round would check (and why the others wait), tries the sandbox URLs, whether ping may run,
//! and each enabled alert channel's connection - sending nothing.

use std::net::ToSocketAddrs;
use std::time::Duration;

use chrono::TimeDelta;

use super::CliError;
use crate::checker::{NOT_PERMITTED_HELP, describe_concurrency, preflight};
use crate::db::Db;
use crate::db::models::check_run::CheckRun;
use crate::db::models::site::Site;
use crate::domain::schedule::is_due;
use crate::domain::target::CheckKind;
use crate::domain::time::now_utc;
use crate::notify::email::EmailChannel;
use crate::settings::{Settings, SmsProvider, Source, TWILIO_URL};

/// How long a channel's server may take to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The findings, printed as they come: `✔` fine, `!` worth a look, `✘` must be fixed.
#[derive(Default)]
struct Report {
    problems: usize,
}

impl Report {
    fn ok(&mut self, text: impl AsRef<str>) {
        println!("✔ {}", text.as_ref());
    }

    fn note(&mut self, text: impl AsRef<str>) {
        println!("! {}", text.as_ref());
    }

    fn problem(&mut self, text: impl AsRef<str>, fix: impl AsRef<str>) {
        self.problems += 1;
        println!("✘ {}\n  fix: {}", text.as_ref(), fix.as_ref());
    }
}

/// Runs every check; exit 0 when nothing must be fixed, 1 when something must.
pub fn run(settings: &Settings) -> Result<(), CliError> {
    let mut report = Report::default();
    report.ok(match &settings.source {
        Source::File(path) => format!("settings read from {}", path.display()),
        Source::Defaults => "no settings file: the defaults apply (see docs/configuration.md)".into(),
    });
    report.ok(format!(
        "check.concurrency = {}: {}",
        settings.check.concurrency,
        describe_concurrency(settings.check.concurrency)
    ));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;

    match Db::open_and_migrate(&settings.database(), 2) {
        Ok(db) => sites(&mut report, &db, settings, &runtime)?,
        Err(error) => report.problem(
            format!("the database cannot be used: {error}"),
            "check `database_url` (or SITEWATCH_DATABASE_URL), that the server runs and the user may connect",
        ),
    }

    match runtime.block_on(preflight::sandbox_answers(settings)) {
        Ok(Ok(())) if settings.check.sandbox_urls.is_empty() => report.note(
            "the sandbox check is off ([check] sandbox_urls = []): a network failure here looks like every site down",
        ),
        Ok(Ok(())) => report.ok("a sandbox URL answers: this machine's network works"),
        Ok(Err(failures)) => report.problem(
            format!("no sandbox URL answers ({}): rounds would record nothing and exit 3", failures.join("; ")),
            "give this machine network access to them, list URLs it can reach in [check] sandbox_urls, \
             or turn the check off with [check] sandbox_urls = []",
        ),
        Err(error) => report.problem(error.to_string(), "check the [check] settings"),
    }
    runtime.block_on(channels(&mut report, settings));

    if report.problems == 0 {
        println!("\nNothing to fix.");
        Ok(())
    } else {
        Err(CliError::Failed(format!("{} thing(s) to fix; see above", report.problems)))
    }
}

/// Which sites the next round checks, which wait for their interval, and whether ping can run.
fn sites(report: &mut Report, db: &Db, settings: &Settings, runtime: &tokio::runtime::Runtime) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    report.ok(format!("the database at {} opens and its schema is up to date", db.url()));
    let sites: Vec<Site> = Site::all_with_groups(&mut conn)?.into_iter().map(|(site, _)| site).collect();
    let now = now_utc();
    let active: Vec<&Site> = sites.iter().filter(|s| s.active).collect();
    if sites.is_empty() {
        report.note("no site is watched yet: add one with `sitewatch site add https://example.com/`");
    } else {
        let due = active
            .iter()
            .filter(|s| is_due(now, s.last_checked_at, s.interval_secs.and_then(|i| u32::try_from(i).ok())))
            .count();
        let paused = sites.len() - active.len();
        report.ok(format!(
            "{} site(s): the next round checks {due}; {} wait for their interval; {paused} paused",
            sites.len(),
            active.len() - due,
        ));
        let next = active
            .iter()
            .filter_map(|s| Some(s.last_checked_at? + TimeDelta::seconds(i64::from(s.interval_secs?))))
            .filter(|at| *at > now)
            .min();
        if let Some(at) = next.filter(|_| due == 0) {
            report.note(format!("the first waiting site is due in {} s", (at - now).num_seconds()));
        }
    }
    match CheckRun::latest_finished(&mut conn)? {
        Some(run) => {
            let age = now - run.finished_at.unwrap_or(run.started_at);
            if age > TimeDelta::minutes(10) {
                report.problem(
                    format!("the last check round finished {} minutes ago", age.num_minutes()),
                    "make sure cron (or the systemd timer) runs `check`; see crontab.example and deploy/",
                );
            } else {
                report.ok(format!("the last check round finished {} s ago ({})", age.num_seconds(), run.state));
            }
        }
        None => report.note("no check round has run yet: run `check` once, then schedule it (crontab.example)"),
    }
    let pings = active.iter().filter(|s| s.kind() == Some(CheckKind::Ping)).count();
    if pings > 0 {
        if runtime.block_on(async { preflight::icmp_allowed(settings) }) {
            report.ok(format!("{pings} ping site(s), and this process may open ICMP sockets"));
        } else {
            report.problem(format!("{pings} ping site(s), but no ICMP socket opens"), NOT_PERMITTED_HELP);
        }
    }
    Ok(())
}

/// Each enabled alert channel: can its server be reached? Nothing is sent.
async fn channels(report: &mut Report, settings: &Settings) {
    let any =
        settings.email.enabled || settings.sms.enabled || settings.twitter.enabled || !settings.webhooks.is_empty();
    if !any {
        report.note("no alert channel is enabled: nobody hears of an outage (see docs/alerts.md)");
        return;
    }
    if settings.email.enabled {
        let server = format!("{}:{}", settings.email.host, settings.email.port);
        match EmailChannel::new(settings) {
            Ok(channel) => match channel.try_connection().await {
                Ok(()) => report.ok(format!("e-mail: {server} accepts a connection and the login")),
                Err(error) => report.problem(
                    format!("e-mail: {error}"),
                    "check [email] host, port, tls, username and password (SITEWATCH_EMAIL_PASSWORD)",
                ),
            },
            Err(error) => report.problem(format!("e-mail: {error}"), "fix the [email] settings"),
        }
    }
    if settings.sms.enabled {
        let url = match settings.sms.provider {
            SmsProvider::Twilio if settings.sms.url.is_empty() => {
                TWILIO_URL.replace("{account_sid}", &settings.sms.account_sid)
            }
            _ => settings.sms.url.replace("{account_sid}", &settings.sms.account_sid),
        };
        reachable(report, "SMS gateway", &url, "check [sms] url and this machine's access to it").await;
    }
    if settings.twitter.enabled {
        let endpoint = settings.twitter.endpoint.to_string();
        reachable(report, "Twitter", &endpoint, "check [twitter] endpoint and this machine's access to it").await;
    }
    for (i, hook) in settings.webhooks.iter().enumerate() {
        let what = format!("webhook {}", i);
        reachable(report, &what, hook.url.as_str(), "check the [[webhooks]] url and this machine's access to it").await;
    }
}

/// Resolves the URL's host and opens a TCP connection to it (no request is sent).
async fn reachable(report: &mut Report, what: &str, url: &str, fix: &str) {
    let parsed = match url::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(error) => return report.problem(format!("{what}: `{url}` is not a URL: {error}"), fix),
    };
    let (Some(host), Some(port)) = (parsed.host_str().map(str::to_owned), parsed.port_or_known_default()) else {
        return report.problem(format!("{what}: `{url}` has no host"), fix);
    };
    let target = format!("{host}:{port}");
    let resolved = tokio::task::spawn_blocking({
        let target = target.clone();
        move || target.to_socket_addrs().map(|a| a.collect::<Vec<_>>())
    })
    .await;
    let addresses = match resolved {
        Ok(Ok(addresses)) if !addresses.is_empty() => addresses,
        Ok(Ok(_)) | Ok(Err(_)) | Err(_) => return report.problem(format!("{what}: `{host}` does not resolve"), fix),
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(&addresses[..])).await {
        Ok(Ok(_)) => report.ok(format!("{what}: {target} accepts a connection")),
        Ok(Err(error)) => report.problem(format!("{what}: cannot connect to {target}: {error}"), fix),
        Err(_) => {
            report.problem(format!("{what}: {target} did not answer within {} s", CONNECT_TIMEOUT.as_secs()), fix)
        }
    }
}
