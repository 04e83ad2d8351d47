//! The round's part in several locations: registering the location, counting its own failures
//! per site, the site-level vote (`domain::quorum`) under the decision lock, and the stale flags.
//!
//! Exactly once across locations: the vote, the open outage and the outage change are read and
//! written in the round's one write transaction after `lock_decision` (a PostgreSQL
//! transaction-level advisory lock; SQLite's `BEGIN IMMEDIATE` on its single writer), so two
//! locations finishing together take turns and the second sees what the first committed.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;

use super::site_check::SiteCheck;
use crate::db::models::location::{Location, SiteLocation, database_now, lock_decision};
use crate::db::models::outage::OutageSite;
use crate::db::models::site::Site;
use crate::db::models::site_view::SiteView;
use crate::db::{Db, DbConnection, DbError, Id, write_transaction};
use crate::domain::alert::{Alert, AlertDetail, Event};
use crate::domain::outage_rule::{Checked, failures_after};
use crate::domain::quorum::{self, DEFAULT_LOCATION, StaleChange, Vote};
use crate::domain::time::now_utc;
use crate::settings::Settings;

/// Registers this checker's location before its first write. On SQLite there is one location:
/// a second name is refused (`Ok(Err(message))`, exit 2) and nothing is written.
pub fn register(db: &Db, settings: &Settings) -> Result<Result<(), String>, DbError> {
    let mut conn = db.conn()?;
    let me = settings.location.as_str();
    write_transaction(&mut conn, |c| {
        if matches!(c, DbConnection::Sqlite(_))
            && let Some(other) = Location::all(c)?.into_iter().find(|l| l.name != me)
        {
            return Ok(Err(format!(
                "key `location`: this SQLite database is already checked from location `{}`, and SQLite holds one \
                 location; checking from several locations needs PostgreSQL (set database_url to a postgres:// \
                 URL), or set location = \"{}\" to check from here",
                other.name, other.name
            )));
        }
        Location::register(c, me)?;
        Ok(Ok(()))
    })
}

/// A round that ended without checking sites: offline rounds report (the location is not stale)
/// but do not vote; failed rounds leave the last report as it was.
pub fn round_ended(db: &Db, location: &str, offline: bool) -> Result<(), DbError> {
    let mut conn = db.conn()?;
    if offline {
        let at = database_now(&mut conn)?;
        Location::reported(&mut conn, location, at, "offline")?;
    } else {
        Location::failed(&mut conn, location)?;
    }
    Ok(())
}

/// What this location left of each site when the round begins: when it last checked it, and
/// its run of failures from here. Only this location writes its rows, under its run lock, so
/// they hold for the whole round.
#[derive(Debug, Default)]
pub struct LeftHere {
    pub checked: HashMap<Id, NaiveDateTime>,
    pub runs: HashMap<Id, u32>,
}

/// Reads what this location left of `sites`. The default location continues from the site's
/// own newest check and run when it has no row yet (a database from before locations, or sites
/// written by hand).
pub fn left_here<'a>(
    conn: &mut DbConnection,
    location: &str,
    sites: impl IntoIterator<Item = &'a Site>,
) -> Result<LeftHere, DbError> {
    let rows = SiteLocation::left_at(conn, location)?;
    let mut left = LeftHere::default();
    for site in sites {
        let (checked, run) = match rows.get(&site.id) {
            Some(&(at, run)) => (Some(at), run),
            None if location == DEFAULT_LOCATION => (site.last_checked_at, site.consecutive_failures),
            None => continue,
        };
        if let Some(at) = checked {
            left.checked.insert(site.id, at);
        }
        left.runs.insert(site.id, run.max(0) as u32);
    }
    Ok(left)
}

/// What the outage rule gets from this round once the locations have voted.
pub(super) struct SiteLevel {
    /// One entry per checked site: `up` is the site-level state.
    pub input: Vec<Checked<Id>>,
    /// `location_stale` / `location_back` alerts to queue with the round.
    pub alerts: Vec<Alert>,
    /// With more than one location: per site, the live locations that see it down and those
    /// that see it up.
    pub seen: HashMap<Id, (Vec<String>, Vec<String>)>,
}

impl SiteLevel {
    /// Records on the joining rows which locations saw each site down (with several locations).
    pub(super) fn tag_joined(&self, c: &mut DbConnection, joined: &[OutageSite]) -> Result<(), DbError> {
        for row in joined {
            if let Some((down, up)) = row.site_id.and_then(|id| self.seen.get(&id)) {
                OutageSite::set_seen_from(c, row.id, &down.join(","), &up.join(","))?;
            }
        }
        Ok(())
    }
}

/// Records this location's view of a batch of checks, one row per site from the batch's
/// stored `views`: each site's newest check and its run of failures from here (continuing
/// `runs_before`, see `left_here`), which the batch returns by site. Call inside the batch's
/// transaction; no other location writes these rows.
pub(super) fn record_mine(
    c: &mut DbConnection,
    settings: &Settings,
    views: &[SiteView],
    runs_before: &HashMap<Id, u32>,
) -> Result<HashMap<Id, u32>, DbError> {
    let me = settings.location.as_str();
    let mut runs = HashMap::with_capacity(views.len());
    let mut mine = Vec::with_capacity(views.len());
    for view in views {
        let before = runs_before.get(&view.site_id).copied().unwrap_or(0);
        // A check in a maintenance window starts the run afresh, as the outage rule sees it.
        let now_failing = failures_after(view.up || view.maintenance, before);
        runs.insert(view.site_id, now_failing);
        mine.push(SiteLocation::of_view(view, me, now_failing));
    }
    SiteLocation::upsert_all(c, &mine)?;
    Ok(runs)
}

/// Takes the decision lock, records this location's report, and turns the live locations'
/// views into the site-level state the outage rule runs on; `my_runs` are this location's runs
/// of failures as its batches stored them. Call inside the round's write transaction, before
/// the open outage is read.
pub(super) fn site_level(
    c: &mut DbConnection,
    settings: &Settings,
    checks: &[SiteCheck],
    covered: &HashSet<Id>,
    my_runs: &HashMap<Id, u32>,
) -> Result<SiteLevel, DbError> {
    let me = settings.location.as_str();
    let threshold = settings.check.failures_before_outage.max(1);
    let started = std::time::Instant::now();
    lock_decision(c)?;
    let waited = started.elapsed();
    let now = database_now(c)?;
    Location::register(c, me)?;
    let all = Location::all_for_update(c)?;
    let alerts = stale_alerts(c, me, &all, now, settings.check.location_stale_secs)?;
    Location::reported(c, me, now, "done")?;

    // Alone, this location's runs are all there is to read.
    let elsewhere = if all.len() > 1 {
        let ids: Vec<Id> = checks.iter().map(|check| check.site.id).collect();
        SiteLocation::of_sites_elsewhere(c, &ids, me)?
    } else {
        Vec::new()
    };
    let failures_at: HashMap<(Id, &str), u32> =
        elsewhere.iter().map(|r| ((r.site_id, r.location.as_str()), r.consecutive_failures.max(0) as u32)).collect();
    let live: Vec<(&str, bool)> = all
        .iter()
        .map(|l| (l.name.as_str(), l.name == me || quorum::is_live(l.clock(), now, settings.check.location_stale_secs)))
        .collect();

    let mut input = Vec::with_capacity(checks.len());
    let mut seen = HashMap::new();
    for check in checks {
        let site = check.site.id;
        if covered.contains(&site) {
            // As without locations: the maintenance rule sees the check itself.
            input.push(Checked { site, up: check.up, failures_before: 0 });
            continue;
        }
        let now_failing = my_runs.get(&site).copied().unwrap_or(0);
        let votes: Vec<Vote> = live
            .iter()
            .map(|&(name, live)| {
                let run = if name == me { now_failing } else { failures_at.get(&(site, name)).copied().unwrap_or(0) };
                Vote { live, sees_down: quorum::sees_down(run, threshold) }
            })
            .collect();
        let down = quorum::site_down(settings.check.quorum, &votes);
        if live.len() > 1 {
            let named = |want: bool| -> Vec<String> {
                live.iter()
                    .zip(&votes)
                    .filter(|((_, live), vote)| *live && vote.sees_down == want)
                    .map(|((name, _), _)| (*name).to_owned())
                    .collect()
            };
            seen.insert(site, (named(true), named(false)));
        }
        input.push(Checked { site, up: !down, failures_before: if down { threshold - 1 } else { 0 } });
    }
    tracing::debug!(
        lock_wait_ms = waited.as_millis(),
        vote_ms = (started.elapsed() - waited).as_millis(),
        sites = checks.len(),
        locations = live.len(),
        "locations voted"
    );
    Ok(SiteLevel { input, alerts, seen })
}

/// Flips the stale flags that changed and makes one alert per change; the flags are read and
/// written under the decision lock, so each change is alerted once whichever location sees it.
fn stale_alerts(
    c: &mut DbConnection,
    me: &str,
    all: &[Location],
    now: NaiveDateTime,
    stale_secs: u64,
) -> Result<Vec<Alert>, DbError> {
    let rows: Vec<(String, Option<NaiveDateTime>, bool)> =
        all.iter().map(|l| (l.name.clone(), l.last_round_at, l.stale)).collect();
    let mut alerts = Vec::new();
    for change in quorum::stale_changes(me, &rows, now, stale_secs) {
        let (event, name, stale) = match &change {
            StaleChange::WentStale(name) => (Event::LocationStale, name, true),
            StaleChange::CameBack(name) => (Event::LocationBack, name, false),
        };
        Location::set_stale(c, name, stale)?;
        let last_round_at = all.iter().find(|l| &l.name == name).and_then(|l| l.last_round_at);
        if stale {
            tracing::warn!(location = %name, ?last_round_at, "location stopped reporting; its votes are ignored");
        } else {
            tracing::info!(location = %name, "location reports again");
        }
        alerts.push(Alert {
            event,
            outage: None,
            sites: Vec::new(),
            still_down: Vec::new(),
            created_at: now_utc(),
            detail: Some(AlertDetail::Location {
                name: name.clone(),
                last_round_at,
                stale_secs: stale_secs.min(i64::MAX as u64) as i64,
            }),
        });
    }
    Ok(alerts)
}
