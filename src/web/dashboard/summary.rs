//! The dashboard's picture of the world, read in five queries: groups, sites with their
//! `last_*` columns, 24 hours of rollup counts, the open outage and the newest round.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::models::check_run::{CheckRun, RunState};
use crate::db::models::group::Group;
use crate::db::models::location::{Location, SiteLocation};
use crate::db::models::maintenance_window::MaintenanceWindow;
use crate::db::models::notification::Delivery;
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::db::models::rollup::HourlyRollup;
use crate::db::models::site::Site;
use crate::db::{DbConnection, Id};
use crate::domain::rollup::hour_start;
use crate::domain::time::now_utc;
use crate::domain::window::Span;
use crate::notify::health::{ChannelDown, channels_down};
use crate::web::error::WebError;

/// Hours in the uptime figure and the sparkline.
pub const HOURS: usize = 24;
/// Given-up alert deliveries are pointed out on the dashboard for this long.
pub const FAILED_ALERTS_SHOWN: TimeDelta = TimeDelta::days(7);
/// A round older than this means cron has stopped.
pub const STALE_AFTER: TimeDelta = TimeDelta::minutes(10);

pub struct SiteSummary {
    pub site: Site,
    /// Share of the last 24 hours' checks that were up.
    pub uptime: Option<f64>,
    /// Mean response time of each of the last 24 hours, oldest first.
    pub hourly_ms: [Option<f64>; HOURS],
    /// Each location's newest check of the site (several when several locations check it).
    pub locations: Vec<SiteLocation>,
}

impl SiteSummary {
    /// "down from 2 of 3 locations", "up from 3 of 3 locations": what the locations that are not
    /// stale saw last; `None` with fewer than two.
    pub fn locations_text(&self, stale: &[String]) -> Option<String> {
        let voting: Vec<&SiteLocation> = self.locations.iter().filter(|l| !stale.contains(&l.location)).collect();
        if voting.len() < 2 {
            return None;
        }
        let down = voting.iter().filter(|l| !l.up).count();
        Some(if down > 0 {
            format!("down from {down} of {} locations", voting.len())
        } else {
            format!("up from {} of {} locations", voting.len(), voting.len())
        })
    }
}

pub struct GroupSummary {
    pub group: Group,
    pub sites: Vec<SiteSummary>,
}

pub struct Summary {
    pub now: NaiveDateTime,
    pub outage: Option<(Outage, Vec<OutageSite>)>,
    pub last_run: Option<CheckRun>,
    pub groups: Vec<GroupSummary>,
    /// Alert deliveries given up in the last `FAILED_ALERTS_SHOWN`.
    pub failed_alerts: i64,
    /// Alert channels found unreachable, whose deliveries wait for them.
    pub channels_down: Vec<ChannelDown>,
    /// The notes of the open outage, newest first.
    pub outage_notes: Vec<OutageNote>,
    /// Maintenance in force or to come: when, over what, and its note; soonest first.
    pub maintenance: Vec<(Span, String, String)>,
    /// Locations that stopped reporting: their checks no longer vote.
    pub stale_locations: Vec<String>,
}

/// Why the figures may not be current.
pub enum Warning {
    NeverRan,
    Stale(i64),
    Offline(NaiveDateTime),
}

#[derive(Default, Clone, Copy)]
struct Sums {
    checks: i64,
    ups: i64,
    responses: i64,
    response_ms: i64,
}

/// How many occurrences of one window the dashboard lists.
const OCCURRENCES: usize = 2;

/// Every window in force or to come, with the name of the site or group it is over.
fn maintenance_lines(
    conn: &mut DbConnection,
    groups: &[GroupSummary],
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> Result<Vec<(Span, String, String)>, WebError> {
    let mut lines = Vec::new();
    for window in MaintenanceWindow::all(conn)? {
        let over = match (window.site_id, window.group_id) {
            (Some(id), _) => {
                groups.iter().flat_map(|g| &g.sites).find(|s| s.site.id == id).map(|s| s.site.name.clone())
            }
            (None, Some(id)) => groups.iter().find(|g| g.group.id == id).map(|g| format!("group {}", g.group.name)),
            (None, None) => None,
        };
        let (Some(over), Some(schedule)) = (over, window.schedule()) else { continue };
        for span in schedule.upcoming(now, tz, OCCURRENCES) {
            lines.push((span, over.clone(), window.note.clone()));
        }
    }
    lines.sort_by_key(|line| line.0.from);
    Ok(lines)
}

impl Summary {
    pub fn load(conn: &mut DbConnection, tz: chrono_tz::Tz) -> Result<Summary, WebError> {
        let now = now_utc();
        let first_hour = hour_start(now) - TimeDelta::hours(HOURS as i64 - 1);
        let mut hours: HashMap<Id, [Sums; HOURS]> = HashMap::new();
        for (site_id, hour, checks, ups, responses, sum) in HourlyRollup::counts_since(conn, first_hour)? {
            let index = (hour - first_hour).num_hours();
            if !(0..HOURS as i64).contains(&index) {
                continue;
            }
            let slot = &mut hours.entry(site_id).or_insert([Sums::default(); HOURS])[index as usize];
            slot.checks += i64::from(checks);
            slot.ups += i64::from(ups);
            slot.responses += i64::from(responses);
            slot.response_ms += sum;
        }

        let mut by_site: HashMap<Id, Vec<SiteLocation>> = HashMap::new();
        for row in SiteLocation::all(conn)? {
            by_site.entry(row.site_id).or_default().push(row);
        }
        let stale_locations =
            Location::all(conn)?.into_iter().filter(|l| l.stale).map(|l| l.name).collect::<Vec<String>>();
        let mut groups: Vec<GroupSummary> =
            Group::all(conn)?.into_iter().map(|group| GroupSummary { group, sites: Vec::new() }).collect();
        let position: HashMap<Id, usize> = groups.iter().enumerate().map(|(i, g)| (g.group.id, i)).collect();
        for (site, _) in Site::all_with_groups(conn)? {
            let Some(&index) = position.get(&site.group_id) else { continue };
            let sums = hours.get(&site.id).copied().unwrap_or([Sums::default(); HOURS]);
            let (checks, ups) = sums.iter().fold((0, 0), |(c, u), s| (c + s.checks, u + s.ups));
            let uptime = (checks > 0).then(|| ups as f64 / checks as f64);
            let hourly_ms = sums.map(|s| (s.responses > 0).then(|| s.response_ms as f64 / s.responses as f64));
            let locations = by_site.remove(&site.id).unwrap_or_default();
            groups[index].sites.push(SiteSummary { site, uptime, hourly_ms, locations });
        }

        let outage = match Outage::current(conn)? {
            Some(outage) => {
                let sites = OutageSite::of_outage(conn, outage.id)?;
                Some((outage, sites))
            }
            None => None,
        };
        let outage_notes = match &outage {
            Some((o, _)) => OutageNote::of_outage(conn, o.id)?,
            None => Vec::new(),
        };
        let maintenance = maintenance_lines(conn, &groups, now, tz)?;
        let last_run = CheckRun::latest_finished(conn)?;
        let failed_alerts = Delivery::failed_since(conn, now - FAILED_ALERTS_SHOWN)?;
        let channels_down = channels_down(conn)?;
        Ok(Summary {
            now,
            outage,
            last_run,
            groups,
            failed_alerts,
            channels_down,
            outage_notes,
            maintenance,
            stale_locations,
        })
    }

    pub fn warning(&self) -> Option<Warning> {
        let Some(run) = &self.last_run else { return Some(Warning::NeverRan) };
        let finished = run.finished_at.unwrap_or(run.started_at);
        if run.state() == RunState::Offline {
            return Some(Warning::Offline(finished));
        }
        let age = self.now - finished;
        (age > STALE_AFTER).then(|| Warning::Stale(age.num_seconds()))
    }

    pub fn sites(&self) -> impl Iterator<Item = (&Group, &SiteSummary)> {
        self.groups.iter().flat_map(|g| g.sites.iter().map(move |s| (&g.group, s)))
    }
}
