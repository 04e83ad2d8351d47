//! The round's writes, in two kinds of transaction.
//!
//! A **batch** stores some finished checks while other probes still run: their views, the
//! hourly rollups, each site's new state and its row for this location (a run of failures
//! depends on its own check only, see [`failures_after`]), its maintenance flag, and the
//! certificate-expiry alerts those
//! states mark as sent. Each batch commits as a whole, so a site's view and its state are never
//! apart, and an expiry alert is queued exactly when its mark is stored.
//!
//! The **decision** comes once, after every check of the round is known: the outage rule over
//! all of them, the outage rows, the queued outage alerts and the run's figures, in one
//! transaction with the last batch. A round killed before it leaves checks stored but no
//! outage change and no alert: the next round's rule sees the stored runs of failures (a site
//! at or past the threshold and not in the outage joins it; a member that answered comes
//! back), so nothing is decided twice and nothing is sent twice.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::locations;
use super::maintenance;
use super::reminders;
use super::site_check::SiteCheck;
use super::tls_watch::{CertificateState, certificate_state, expiry_alert};
use crate::db::models::check_run::{CheckRun, RunCounts, RunState};
use crate::db::models::location::{lock_decision, lock_sites};
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::rollup::HourlyRollup;
use crate::db::models::site::Site;
use crate::db::models::site_state::SiteState;
use crate::db::models::site_view::{SiteView, ViewPing};
use crate::db::{Db, DbConnection, DbError, Id, write_transaction};
use crate::domain::alert::{Alert, AlertOutage, AlertSite, Event};
use crate::domain::outage_rule::{Decision, DownMember, decide, failures_after};
use crate::domain::time::now_utc;
use crate::history::daily::{self, day_start};
use crate::notify::outage_sites::{alert_site, groups_of};
use crate::notify::outbox;
use crate::settings::Settings;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub counts: RunCounts,
    pub alerts_queued: usize,
}

/// What the batches stored so far: every check of the round with its stored state, the sites
/// checked in a maintenance window, and the expiry alerts queued.
#[derive(Debug, Default)]
pub(super) struct Stored {
    pub checks: Vec<SiteCheck>,
    pub states: Vec<SiteState>,
    pub covered: HashSet<Id>,
    /// Each site's run of failures seen from this location.
    pub my_runs: HashMap<Id, u32>,
    /// Those runs as the round found them (see `locations::left_here`).
    pub runs_before: HashMap<Id, u32>,
    pub expiry_alerts: usize,
    /// Time spent in write transactions.
    pub writing: Duration,
    pub batches: usize,
}

/// Stores one batch of finished checks in its own transaction.
pub(super) fn store_batch(
    conn: &mut DbConnection,
    settings: &Settings,
    stored: &mut Stored,
    checks: Vec<SiteCheck>,
) -> Result<(), DbError> {
    let started = Instant::now();
    let written = write_transaction(conn, |c| store_checks(c, settings, &checks, &stored.runs_before))?;
    stored.writing += started.elapsed();
    stored.batches += 1;
    tracing::debug!(rows = checks.len(), ms = started.elapsed().as_millis(), "stored a batch of checks");
    stored.add(checks, written);
    Ok(())
}

/// Stores the last checks and decides the round: one transaction.
pub(super) fn finish_round(
    conn: &mut DbConnection,
    settings: &Settings,
    run_id: Id,
    mut stored: Stored,
    last: Vec<SiteCheck>,
) -> Result<Recorded, DbError> {
    let started = Instant::now();
    let before = stored.writing;
    let result = write_transaction(conn, move |c| {
        let written = store_checks(c, settings, &last, &stored.runs_before)?;
        stored.add(last, written);
        decide_round(c, settings, run_id, &stored, before + started.elapsed())
    })?;
    tracing::debug!(ms = started.elapsed().as_millis(), "decided the round");
    Ok(result)
}

/// The whole round's write as one transaction (every check in one batch with the decision).
pub fn record_round(db: &Db, settings: &Settings, run_id: Id, checks: &[SiteCheck]) -> Result<Recorded, DbError> {
    let mut conn = db.conn()?;
    let runs_before = locations::left_here(&mut conn, &settings.location, checks.iter().map(|c| &c.site))?.runs;
    finish_round(&mut conn, settings, run_id, Stored { runs_before, ..Stored::default() }, checks.to_vec())
}

/// What one batch wrote that the decision needs.
struct Written {
    states: Vec<SiteState>,
    covered: HashSet<Id>,
    my_runs: HashMap<Id, u32>,
    expiry_alerts: usize,
}

impl Stored {
    fn add(&mut self, checks: Vec<SiteCheck>, written: Written) {
        self.checks.extend(checks);
        self.states.extend(written.states);
        self.covered.extend(written.covered);
        self.my_runs.extend(written.my_runs);
        self.expiry_alerts += written.expiry_alerts;
    }
}

fn store_checks(
    c: &mut DbConnection,
    settings: &Settings,
    checks: &[SiteCheck],
    runs_before: &HashMap<Id, u32>,
) -> Result<Written, DbError> {
    if checks.is_empty() {
        return Ok(Written { states: Vec::new(), covered: HashSet::new(), my_runs: HashMap::new(), expiry_alerts: 0 });
    }
    // Rollups are read, merged and written back: with several locations writing at once that
    // would lose updates, so batches of the same sites take turns (see `lock_sites`).
    let ids: Vec<Id> = checks.iter().map(|check| check.site.id).collect();
    lock_sites(c, &ids)?;
    let in_maintenance = maintenance::covered(c, settings, checks)?;
    let mut views: Vec<SiteView> = checks.iter().map(view_of).collect();
    maintenance::mark(&mut views, &in_maintenance);
    // Each view is counted with its site's new state (`Site::record_states_counting_views`).
    SiteView::insert_uncounted(c, &settings.location, &views)?;
    HourlyRollup::add_views(c, &views)?;
    sum_late_days_again(c, &views)?;
    let my_runs = locations::record_mine(c, settings, &views, runs_before)?;

    let certificates: Vec<_> =
        checks.iter().map(|c| certificate_state(&c.site, &c.result, &settings.check.tls_expiry_days)).collect();
    let mut states = new_states(checks, &certificates);
    maintenance::hold(&mut states, checks, &in_maintenance);
    Site::record_states_counting_views(c, &states)?;
    maintenance::record(c, checks, &in_maintenance)?;

    let mut expiry_alerts = 0;
    for (check, certificate) in checks.iter().zip(&certificates) {
        if let (Some(due), Some(expires_at)) = (certificate.alert, certificate.tls_expires_at) {
            outbox::queue(c, settings, &expiry_alert(&check.site, expires_at, due))?;
            expiry_alerts += 1;
        }
    }
    Ok(Written { states, covered: in_maintenance, my_runs, expiry_alerts })
}

/// The outage rule over every check of the round, its changes, their alerts and the run's figures.
fn decide_round(
    c: &mut DbConnection,
    settings: &Settings,
    run_id: Id,
    round: &Stored,
    writing: Duration,
) -> Result<Recorded, DbError> {
    let checks = &round.checks;
    // From here to the commit one location at a time: see `locations`.
    let mut level = locations::site_level(c, settings, checks, &round.covered, &round.my_runs)?;
    let open = Outage::current(c)?;
    let members = match &open {
        Some(outage) => OutageSite::still_down(c, outage.id)?,
        None => Vec::new(),
    };
    let member_ids: Vec<Id> = members.iter().filter_map(|m| m.site_id).collect();
    let member_sites: HashMap<Id, Site> = Site::with_ids(c, &member_ids)?.into_iter().map(|s| (s.id, s)).collect();
    let down_members: Vec<DownMember<Id>> = members
        .iter()
        .map(|m| {
            let site = m.site_id.and_then(|id| member_sites.get(&id));
            DownMember { site: site.map(|s| s.id), active: site.is_some_and(|s| s.active) }
        })
        .collect();
    let input = maintenance::outage_input(std::mem::take(&mut level.input), &round.covered);
    let decision =
        decide(settings.check.failures_before_outage, open.as_ref().map(|_| down_members.as_slice()), &input);

    let mut counts = RunCounts {
        sites_checked: checks.len() as i32,
        sites_up: checks.iter().filter(|check| check.up).count() as i32,
        ..RunCounts::default()
    };
    let changes = apply_decision(c, open, &members, checks, &round.states, &decision)?;
    level.tag_joined(c, &changes.joined)?;
    if changes.opened
        && let Some(outage) = &changes.outage
    {
        reminders::cover_passed(c, settings, outage, now_utc())?;
    }
    counts.outages_opened = i32::from(changes.opened);
    counts.outages_resolved = i32::from(changes.resolved);
    counts.sites_down = counts.sites_checked - counts.sites_up;

    let mut alerts = alerts_for(c, &changes)?;
    alerts.append(&mut level.alerts);
    for alert in &alerts {
        outbox::queue(c, settings, alert)?;
    }
    counts.db_write_ms = Some(writing.as_millis().min(i32::MAX as u128) as i32);
    CheckRun::finish(c, run_id, now_utc(), RunState::Done, &counts, None)?;
    Ok(Recorded { counts, alerts_queued: alerts.len() + round.expiry_alerts })
}

/// A check stamped on a day already summed (another checker's clock ran ahead, or the day ended
/// between the probe and the write) is added to that day's and month's rollups too.
fn sum_late_days_again(c: &mut DbConnection, views: &[SiteView]) -> Result<(), DbError> {
    let rolled = daily::rolled_until(c)?;
    let Some(days_until) = rolled.days_until else { return Ok(()) };
    let mut late: Vec<NaiveDateTime> =
        views.iter().map(|v| day_start(v.checked_at)).filter(|day| *day < days_until).collect();
    late.sort_unstable();
    late.dedup();
    if !late.is_empty() {
        // A day is summed again from every site's hours: one location at a time.
        lock_decision(c)?;
    }
    for day in late {
        tracing::info!(day = %day.date(), "checks arrived for a day already summed; summing it again");
        daily::roll_up_again(c, day, rolled)?;
    }
    Ok(())
}

fn view_of(check: &SiteCheck) -> SiteView {
    SiteView {
        site_id: check.site.id,
        checked_at: check.result.checked_at,
        status_code: check.result.status_code.map(i32::from),
        error: check.result.error.map(|kind| kind.as_str().to_owned()),
        response_ms: check.result.response_ms.min(i32::MAX as u32) as i32,
        up: check.up,
        maintenance: false,
        ping: ViewPing::of(check.result.ping.as_ref()),
    }
}

fn new_states(checks: &[SiteCheck], certificates: &[CertificateState]) -> Vec<SiteState> {
    checks
        .iter()
        .zip(certificates)
        .map(|(check, certificate)| {
            let at = check.result.checked_at;
            let view = view_of(check);
            let failing_since = match (check.up, check.site.failing_since) {
                (true, _) => None,
                (false, Some(since)) if check.site.consecutive_failures > 0 => Some(since),
                (false, _) => Some(at),
            };
            let failures = failures_after(check.up, check.site.consecutive_failures.max(0) as u32);
            SiteState {
                site_id: check.site.id,
                checked_at: at,
                status_code: view.status_code,
                error: view.error,
                response_ms: view.response_ms,
                up: check.up,
                consecutive_failures: failures.min(i32::MAX as u32) as i32,
                failing_since,
                last_failure_at: if check.up { check.site.last_failure_at } else { Some(at) },
                tls_expires_at: certificate.tls_expires_at,
                tls_alerted_days: certificate.tls_alerted_days.clone(),
                ping: view.ping,
            }
        })
        .collect()
}

/// What changed in the outage tables this round, for the summary and the alerts.
struct Changes {
    outage: Option<Outage>,
    opened: bool,
    resolved: bool,
    joined: Vec<OutageSite>,
    recovered: Vec<OutageSite>,
}

fn apply_decision(
    c: &mut DbConnection,
    open: Option<Outage>,
    members: &[OutageSite],
    checks: &[SiteCheck],
    states: &[SiteState],
    decision: &Decision<Id>,
) -> Result<Changes, DbError> {
    let check_of: HashMap<Id, (&SiteCheck, &SiteState)> =
        checks.iter().zip(states).map(|(check, state)| (check.site.id, (check, state))).collect();
    let down_at = |id: &Id| {
        let (check, state) = check_of[id];
        state.failing_since.unwrap_or(check.result.checked_at)
    };

    let mut outage = open;
    if decision.opens_outage {
        let started_at = decision.joined.iter().map(down_at).min().unwrap_or_else(now_utc);
        let opened = Outage::open(c, started_at)?;
        tracing::warn!(outage = %opened.id, sites = decision.joined.len(), "outage opened");
        outage = Some(opened);
    }
    let mut joined = Vec::with_capacity(decision.joined.len());
    if let Some(current) = &outage {
        for id in &decision.joined {
            let (check, state) = check_of[id];
            tracing::warn!(site = %check.site.slug, outcome = %check.result.outcome(), "site joined the outage");
            joined.push(OutageSite::joining(
                current.id,
                &check.site,
                down_at(id),
                state.status_code,
                state.error.as_deref(),
            ));
        }
        OutageSite::insert_all(c, &joined)?;
    }
    let mut recovered = Vec::with_capacity(decision.recovered.len());
    let mut last_close: Option<NaiveDateTime> = None;
    for id in &decision.recovered {
        let (check, _) = check_of[id];
        if let Some(member) = members.iter().find(|m| m.site_id == Some(*id)) {
            let at = check.result.checked_at;
            OutageSite::close(c, member.id, at)?;
            tracing::info!(site = %check.site.slug, "site recovered");
            recovered.push(OutageSite { up_at: Some(at), ..member.clone() });
            last_close = last_close.max(Some(at));
        }
    }
    for &index in &decision.departed {
        let member = &members[index];
        let at = now_utc();
        OutageSite::close(c, member.id, at)?;
        tracing::info!(site = %member.site_slug, "site left the outage (paused or removed)");
        last_close = last_close.max(Some(at));
    }
    if decision.resolves_outage
        && let Some(current) = &mut outage
    {
        let at = last_close.unwrap_or_else(now_utc);
        Outage::resolve(c, current.id, at)?;
        current.resolved_at = Some(at);
        tracing::info!(outage = %current.id, "outage resolved");
    }
    Ok(Changes { outage, opened: decision.opens_outage, resolved: decision.resolves_outage, joined, recovered })
}

fn alerts_for(c: &mut DbConnection, changes: &Changes) -> Result<Vec<Alert>, DbError> {
    let Some(outage) = &changes.outage else { return Ok(Vec::new()) };
    let rows = OutageSite::of_outage(c, outage.id)?;
    let groups = groups_of(c, &rows)?;
    let to_alert = |row: &OutageSite| alert_site(row, &groups);
    let down_rows = || rows.iter().filter(|r| r.up_at.is_none());
    let alert_outage =
        AlertOutage { id: outage.id.to_string(), started_at: outage.started_at, resolved_at: outage.resolved_at };
    let alert = |event: Event, sites: Vec<AlertSite>, still_down: Vec<AlertSite>| Alert {
        event,
        outage: Some(alert_outage.clone()),
        sites,
        still_down,
        created_at: now_utc(),
        detail: None,
    };

    let mut alerts = Vec::new();
    if !changes.joined.is_empty() {
        let joined_ids: Vec<Id> = changes.joined.iter().map(|r| r.id).collect();
        let others = down_rows().filter(|r| !joined_ids.contains(&r.id)).map(to_alert).collect();
        let sites = rows.iter().filter(|r| joined_ids.contains(&r.id)).map(to_alert).collect();
        let event = if changes.opened { Event::OutageOpened } else { Event::SiteJoined };
        alerts.push(alert(event, sites, others));
    }
    if changes.resolved {
        alerts.push(alert(Event::OutageResolved, rows.iter().map(to_alert).collect(), Vec::new()));
    } else if !changes.recovered.is_empty() {
        let recovered_ids: Vec<Id> = changes.recovered.iter().map(|r| r.id).collect();
        let sites = rows.iter().filter(|r| recovered_ids.contains(&r.id)).map(to_alert).collect();
        alerts.push(alert(Event::SiteRecovered, sites, down_rows().map(to_alert).collect()));
    }
    Ok(alerts)
}
