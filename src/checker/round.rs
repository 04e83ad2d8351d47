//! One whole round, in order: lock, sandbox, due sites, probes (streamed to the writer), the
//! round's decision, reminders, delivery.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use futures_util::future::join;
use futures_util::stream::{self, StreamExt};
use tokio::task::JoinHandle;

use super::http::ClientError;
use super::limits::open_files_limit;
use super::locations;
use super::ping::{NOT_PERMITTED_HELP, Pinger};
use super::probe::Prober;
use super::reminders;
use super::sandbox;
use super::site_check::SiteCheck;
use super::writer::Writer;
use crate::db::models::check_run::{CheckRun, RunCounts, RunState};
use crate::db::models::site::Site;
use crate::db::run_lock::RunLock;
use crate::db::{Db, DbError, Id};
use crate::domain::schedule::{Idle, idle, is_due, probe_priority};
use crate::domain::target::CheckKind;
use crate::domain::time::now_utc;
use crate::history::retention::after_round;
use crate::notify::{DeliveryReport, deliver_pending};
use crate::settings::Settings;

#[derive(Debug, Clone, Default)]
pub struct RoundOptions {
    /// Check just these sites (by slug), due or not; empty means every due site.
    pub only: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSummary {
    pub checked: usize,
    pub up: usize,
    pub down: usize,
    pub outages_opened: usize,
    pub outages_resolved: usize,
    pub alerts_queued: usize,
    pub duration: Duration,
    pub db_write: Duration,
    /// The delivery phase: alerts queued now or left by earlier rounds.
    pub delivery: DeliveryReport,
    /// Problems of the checker's own to tell the operator (even with `--quiet`).
    pub warnings: Vec<String>,
    /// Why no site was checked, when none was.
    pub idle: Option<Idle>,
}

impl RoundSummary {
    /// The one line `check` prints.
    pub fn line(&self) -> String {
        format!(
            "checked {} site(s): {} up, {} down; outages opened {}, resolved {}; {:.2} s",
            self.checked,
            self.up,
            self.down,
            self.outages_opened,
            self.outages_resolved,
            self.duration.as_secs_f64()
        )
    }

    /// Why the round checked nothing and what to do, when it did.
    pub fn idle_line(&self, now: NaiveDateTime) -> Option<String> {
        Some(match self.idle.as_ref()? {
            Idle::NoSites => {
                "no site to check: none has been added yet. Add one with `sitewatch site add https://example.com/`"
                    .to_owned()
            }
            Idle::AllPaused { paused } => format!(
                "no site to check: all {paused} site(s) are paused. Resume one with `sitewatch site resume SLUG` \
                 (`sitewatch site list` shows them), or add one with `sitewatch site add URL`"
            ),
            Idle::NoneDue { waiting, paused, next_due_at } => {
                let paused = if *paused > 0 { format!(" ({paused} paused)") } else { String::new() };
                format!(
                    "no site is due yet: {waiting} site(s){paused} wait for their interval; the next is due at \
                     {} UTC (in {} s). `check --site SLUG` checks one now; `sitewatch site add URL` adds one",
                    next_due_at.format("%Y-%m-%d %H:%M:%S"),
                    (*next_due_at - now).num_seconds().max(0)
                )
            }
        })
    }
}

#[derive(Debug)]
pub enum RoundOutcome {
    Done(Box<RoundSummary>),
    /// Every sandbox URL failed: nothing about the sites was recorded.
    Offline {
        failures: Vec<String>,
    },
    /// Another round holds the run lock.
    Busy {
        holder: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    /// The command line named something that cannot be checked (exit 2).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("a round worker stopped unexpectedly: {0}")]
    Worker(String),
}

impl From<diesel::result::Error> for RoundError {
    fn from(error: diesel::result::Error) -> Self {
        RoundError::Db(DbError::Query(error))
    }
}

/// Runs diesel work on the blocking pool so probes keep the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, RoundError> + Send + 'static,
) -> Result<T, RoundError> {
    joined(tokio::task::spawn_blocking(work)).await
}

/// The result of blocking work started earlier.
async fn joined<T>(work: JoinHandle<Result<T, RoundError>>) -> Result<T, RoundError> {
    work.await.map_err(|e| RoundError::Worker(e.to_string()))?
}

#[tracing::instrument(skip_all, fields(database = %db.url()))]
pub async fn run_round(db: Db, settings: Arc<Settings>, options: RoundOptions) -> Result<RoundOutcome, RoundError> {
    let started = Instant::now();
    let (lock_db, location) = (db.clone(), settings.location.clone());
    let Some(lock) = blocking(move || Ok(RunLock::try_acquire(&lock_db, &location)?)).await? else {
        return Ok(RoundOutcome::Busy { holder: RunLock::describe(&db, &settings.location) });
    };
    // The due sites are read while the round registers, builds its prober and records its start.
    let due = {
        let (db, only, location) = (db.clone(), options.only.clone(), settings.location.clone());
        tokio::task::spawn_blocking(move || sites_to_check(&db, &only, &location))
    };
    {
        let (db, settings) = (db.clone(), Arc::clone(&settings));
        blocking(move || Ok(locations::register(&db, &settings)?)).await?.map_err(RoundError::Usage)?;
    }
    let prober = Prober::new(&settings)?;
    let run = {
        let db = db.clone();
        blocking(move || start_run(&db)).await?
    };
    let outcome = run_locked(&db, &settings, due, &prober, run.id, started).await;
    if let Err(error) = &outcome {
        let (db, message) = (db.clone(), error.to_string());
        let location = settings.location.clone();
        let _ = blocking(move || {
            locations::round_ended(&db, &location, false)?;
            finish_run(&db, run.id, RunState::Failed, Some(&message))
        })
        .await;
    }
    drop(lock);
    if matches!(outcome, Ok(RoundOutcome::Done(_))) {
        // Outside the run lock: a long first purge must not make the next round skip.
        let (db, settings) = (db.clone(), Arc::clone(&settings));
        let upkeep = blocking(move || {
            let mut conn = db.conn()?;
            Ok(after_round(&mut conn, &settings.retention, now_utc())?)
        })
        .await;
        if let Err(error) = upkeep {
            tracing::error!(%error, "could not roll up finished days or apply retention; the next round tries again");
        }
    }
    outcome
}

async fn run_locked(
    db: &Db,
    settings: &Arc<Settings>,
    due: JoinHandle<Result<DueSites, RoundError>>,
    prober: &Prober,
    run_id: Id,
    started: Instant,
) -> Result<RoundOutcome, RoundError> {
    if let Err(failures) = sandbox::check(prober, &settings.check.sandbox_urls).await {
        tracing::info!(?failures, "every sandbox URL failed; the checker's network seems down");
        let (db, location) = (db.clone(), settings.location.clone());
        let message = format!("offline: {}", failures.join("; "));
        blocking(move || {
            locations::round_ended(&db, &location, true)?;
            finish_run(&db, run_id, RunState::Offline, Some(&message))
        })
        .await?;
        return Ok(RoundOutcome::Offline { failures });
    }

    let DueSites { sites, runs, idle } = joined(due).await?;
    let probing = Instant::now();
    let site_count = sites.len();
    let (pings, others): (Vec<Site>, Vec<Site>) =
        sites.into_iter().partition(|site| site.kind() == Some(CheckKind::Ping));
    let mut warnings = Vec::new();
    let pinger = (!pings.is_empty()).then(|| Pinger::open(prober.source_address()));
    if pinger.as_ref().is_some_and(Pinger::not_permitted) {
        // Said once, by `check`, from the summary's warnings.
        tracing::debug!("no ICMP sockets");
        warnings.push(NOT_PERMITTED_HELP.to_owned());
    }
    // Each check goes to the writer as soon as its probe is done; the writer stores them in
    // batches while the other probes run and decides the round once the last one is in.
    let writer = Writer::start(db.clone(), Arc::clone(settings), run_id, runs);
    let to_writer = &writer.checks;
    let concurrency = settings.check.concurrency.resolve(open_files_limit()).max(1);
    tracing::debug!(concurrency, "probes at once");
    let others = stream::iter(others)
        .map(|site| async move {
            let result = prober.check(&site, None).await;
            SiteCheck::new(site, result)
        })
        .buffer_unordered(concurrency)
        .for_each(|check| {
            // A writer that stopped reports its error when the round finishes it.
            let _ = to_writer.send(check);
            std::future::ready(())
        });
    // Pings share the round's two ICMP sockets and hold no file descriptor each, so they all
    // run at once, outside `concurrency`; their first requests are spread over one gap.
    let ping_count = pings.len();
    let gap = prober.ping_gap();
    let pinger = pinger.as_ref();
    let pings = stream::iter(pings.into_iter().enumerate())
        .map(|(i, site)| async move {
            tokio::time::sleep(gap.mul_f64(i as f64 / ping_count as f64)).await;
            let result = prober.check(&site, pinger).await;
            SiteCheck::new(site, result)
        })
        .buffer_unordered(ping_count.max(1))
        .for_each(|check| {
            let _ = to_writer.send(check);
            std::future::ready(())
        });
    join(others, pings).await;
    tracing::debug!(sites = site_count, ms = probing.elapsed().as_millis(), "probed");

    let written = writer.finish().await.map_err(|e| RoundError::Worker(e.to_string()))??;
    tracing::debug!(batches = written.batches, ms = written.writing.as_millis(), "stored the round");
    let (recorded, db_write) = (written.recorded, written.writing);
    let reminded = {
        let (db, settings) = (db.clone(), Arc::clone(settings));
        blocking(move || Ok(reminders::queue_due(&db, &settings, now_utc())?)).await
    };
    let reminded = reminded.unwrap_or_else(|error| {
        tracing::error!(%error, "could not queue a reminder of the open outage; the next round tries again");
        0
    });
    // After the commits: what was queued is safe whatever happens to the sends.
    let delivery = deliver_pending(db, settings).await;
    let counts = &recorded.counts;
    Ok(RoundOutcome::Done(Box::new(RoundSummary {
        checked: counts.sites_checked as usize,
        up: counts.sites_up as usize,
        down: counts.sites_down as usize,
        outages_opened: counts.outages_opened as usize,
        outages_resolved: counts.outages_resolved as usize,
        alerts_queued: recorded.alerts_queued + reminded,
        duration: started.elapsed(),
        db_write,
        delivery,
        warnings,
        idle,
    })))
}

/// Marks rounds left `running` by a killed process as failed, then records this one as running.
fn start_run(db: &Db) -> Result<CheckRun, RoundError> {
    let mut conn = db.conn()?;
    let host = hostname::get().map(|h| h.to_string_lossy().into_owned()).unwrap_or_default();
    let run = CheckRun::new(now_utc(), &host);
    crate::db::write_transaction(&mut conn, |c| {
        CheckRun::fail_interrupted(c, now_utc())?;
        run.insert(c)
    })?;
    Ok(run)
}

fn finish_run(db: &Db, run_id: Id, state: RunState, message: Option<&str>) -> Result<(), RoundError> {
    let mut conn = db.conn()?;
    CheckRun::finish(&mut conn, run_id, now_utc(), state, &RunCounts::default(), message)?;
    Ok(())
}

/// What a round probes: the sites in the order they are probed in, this location's runs of
/// failures as the round found them, and, when there is nothing to probe, why.
struct DueSites {
    sites: Vec<Site>,
    runs: HashMap<Id, u32>,
    idle: Option<Idle>,
}

/// The sites to probe, and when there are none, why.
fn sites_to_check(db: &Db, only: &[String], location: &str) -> Result<DueSites, RoundError> {
    let mut conn = db.conn()?;
    if only.is_empty() {
        let now = now_utc();
        let active = Site::active(&mut conn)?;
        // Each location checks every site on its own schedule.
        let left = locations::left_here(&mut conn, location, &active)?;
        let schedule =
            |s: &Site| (left.checked.get(&s.id).copied(), s.interval_secs.and_then(|i| u32::try_from(i).ok()));
        let due_now = |s: &Site| {
            let (checked, interval) = schedule(s);
            is_due(now, checked, interval)
        };
        if !active.iter().any(due_now) {
            let total = usize::try_from(Site::count(&mut conn)?).unwrap_or(0);
            let schedules: Vec<_> = active.iter().map(schedule).collect();
            return Ok(DueSites { sites: Vec::new(), runs: left.runs, idle: idle(now, total, &schedules) });
        }
        let mut due: Vec<Site> = active.into_iter().filter(|s| due_now(s)).collect();
        due.sort_by_cached_key(|s| {
            probe_priority(s.last_error.as_deref(), s.last_response_ms, s.last_checked_at.is_some())
        });
        return Ok(DueSites { sites: due, runs: left.runs, idle: None });
    }
    let mut sites = Vec::with_capacity(only.len());
    for slug in only {
        let site = Site::find_by_slug(&mut conn, slug)?
            .ok_or_else(|| RoundError::Usage(format!("there is no site `{slug}` (see `sitewatch site list`)")))?;
        if !site.active {
            return Err(RoundError::Usage(format!(
                "site `{slug}` is paused; resume it with `sitewatch site resume {slug}`"
            )));
        }
        if !sites.iter().any(|s: &Site| s.id == site.id) {
            sites.push(site);
        }
    }
    let runs = locations::left_here(&mut conn, location, &sites)?.runs;
    Ok(DueSites { sites, runs, idle: None })
}
