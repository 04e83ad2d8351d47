//! What the public status page shows, read in one pass: public groups and their sites with
//! states and 90 days of availability, the open outage and those of the last 30 days (public
//! sites only) with their notes, maintenance in force or to come over public sites, and for
//! every site the figures its badges need. Nothing else is read, so nothing else can leak.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use chrono_tz::Tz;

use crate::db::day_counts::day_counts;
use crate::db::models::group::Group;
use crate::db::models::maintenance_window::MaintenanceWindow;
use crate::db::models::outage::{Outage, OutageSite};
use crate::db::models::outage_note::OutageNote;
use crate::db::models::site::Site;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::public_state::{Overall, PublicState};
use crate::domain::status::Status;
use crate::domain::window::{Span, Window};
use crate::history::daily::{day_start, rolled_until};
use crate::history::stats::counts_by_site;

/// Days in each site's uptime bar.
pub const BAR_DAYS: i64 = 90;
/// Outages shown under "past incidents".
pub const RECENT_DAYS: i64 = 30;
/// Occurrences of one recurring window listed as coming.
const OCCURRENCES: usize = 3;

pub struct PublicSite {
    pub name: String,
    pub slug: String,
    pub state: PublicState,
    /// `(checks, ups)` per UTC day, oldest first, `BAR_DAYS` of them.
    pub days: Vec<(i64, i64)>,
}

pub struct PublicGroup {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub sites: Vec<PublicSite>,
}

pub struct PublicOutageSite {
    pub name: String,
    pub down_at: NaiveDateTime,
    pub up_at: Option<NaiveDateTime>,
}

pub struct PublicOutage {
    pub id: Id,
    pub started_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub sites: Vec<PublicOutageSite>,
    /// Newest first.
    pub notes: Vec<OutageNote>,
}

pub struct PublicWindow {
    pub span: Span,
    /// The names of what it is over: a site, or a group.
    pub over: String,
    pub note: String,
}

/// What a badge says about one site.
pub struct BadgeFacts {
    pub name: String,
    pub public: bool,
    pub status: Status,
    pub state: PublicState,
    /// `(checks, ups)` per window.
    pub windows: HashMap<Window, (i64, i64)>,
}

pub struct PublicView {
    pub now: NaiveDateTime,
    pub first_day: NaiveDate,
    pub overall: Overall,
    pub groups: Vec<PublicGroup>,
    pub current: Option<PublicOutage>,
    /// Outages of the last `RECENT_DAYS`, newest first, the open one included.
    pub recent: Vec<PublicOutage>,
    pub maintenance: Vec<PublicWindow>,
    /// By slug, for every site (public or not).
    pub badges: HashMap<String, BadgeFacts>,
}

impl PublicView {
    pub fn load(conn: &mut DbConnection, tz: Tz, now: NaiveDateTime) -> Result<PublicView, DbError> {
        let groups = Group::all(conn)?;
        let public_groups: HashSet<Id> = groups.iter().filter(|g| g.public).map(|g| g.id).collect();
        let sites = Site::all_with_groups(conn)?;
        let public_sites: HashMap<Id, &Site> =
            sites.iter().filter(|(s, _)| public_groups.contains(&s.group_id)).map(|(s, _)| (s.id, s)).collect();

        let open = Outage::current(conn)?;
        let down: HashSet<Id> = match &open {
            Some(outage) => OutageSite::still_down(conn, outage.id)?.iter().filter_map(|r| r.site_id).collect(),
            None => HashSet::new(),
        };
        let state = |site: &Site| PublicState::of(site.status(), down.contains(&site.id));

        let rolled = rolled_until(conn)?;
        let first = day_start(now) - TimeDelta::days(BAR_DAYS - 1);
        let ids: Vec<Id> = public_sites.keys().copied().collect();
        let counts = day_counts(conn, &ids, first, now, rolled.days_until)?;
        let bar = |id: Id| -> Vec<(i64, i64)> {
            let site = counts.get(&id);
            (0..BAR_DAYS)
                .map(|d| (first + TimeDelta::days(d)).date())
                .map(|day| site.and_then(|s| s.get(&day)).copied().unwrap_or((0, 0)))
                .collect()
        };

        let mut shown = Vec::new();
        for group in groups.iter().filter(|g| g.public) {
            let members = sites.iter().filter(|(s, _)| s.group_id == group.id && s.active);
            let sites: Vec<PublicSite> = members
                .map(|(s, _)| PublicSite {
                    name: s.name.clone(),
                    slug: s.slug.clone(),
                    state: state(s),
                    days: bar(s.id),
                })
                .collect();
            if !sites.is_empty() {
                shown.push(PublicGroup {
                    name: group.name.clone(),
                    slug: group.slug.clone(),
                    description: group.description.clone(),
                    sites,
                });
            }
        }
        let overall = Overall::of(shown.iter().flat_map(|g| g.sites.iter().map(|s| s.state)));

        let recent = public_outages(conn, now - TimeDelta::days(RECENT_DAYS), &public_sites)?;
        let current = match &open {
            Some(o) => public_outages(conn, o.started_at, &public_sites)?.into_iter().find(|p| p.id == o.id),
            None => None,
        };
        let maintenance = public_windows(conn, tz, now, &groups, &public_sites, &public_groups)?;

        let mut windows: HashMap<Id, HashMap<Window, (i64, i64)>> = HashMap::new();
        for (window, counts) in counts_by_site(conn, &Window::ALL, now, rolled)? {
            for (site, figures) in counts {
                windows.entry(site).or_default().insert(window, figures);
            }
        }
        let badges = sites
            .iter()
            .map(|(s, _)| {
                let facts = BadgeFacts {
                    name: s.name.clone(),
                    public: public_sites.contains_key(&s.id),
                    status: s.status(),
                    state: state(s),
                    windows: windows.remove(&s.id).unwrap_or_default(),
                };
                (s.slug.clone(), facts)
            })
            .collect();
        Ok(PublicView { now, first_day: first.date(), overall, groups: shown, current, recent, maintenance, badges })
    }
}

/// The outages open at some time since `from` that touched a public site, with only their
/// public sites and their notes.
fn public_outages(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    public_sites: &HashMap<Id, &Site>,
) -> Result<Vec<PublicOutage>, DbError> {
    let outages = Outage::since(conn, from)?;
    let ids: Vec<Id> = outages.iter().map(|o| o.id).collect();
    let rows = OutageSite::of_outages(conn, &ids)?;
    let mut notes = OutageNote::of_outages(conn, &ids)?;
    Ok(outages
        .into_iter()
        .filter_map(|o| {
            let sites: Vec<PublicOutageSite> = rows
                .iter()
                .filter(|r| r.outage_id == o.id)
                .filter_map(|r| {
                    let site = public_sites.get(&r.site_id?)?;
                    Some(PublicOutageSite { name: site.name.clone(), down_at: r.down_at, up_at: r.up_at })
                })
                .collect();
            if sites.is_empty() {
                return None;
            }
            let (mine, rest): (Vec<OutageNote>, Vec<OutageNote>) = notes.drain(..).partition(|n| n.outage_id == o.id);
            notes = rest;
            Some(PublicOutage { id: o.id, started_at: o.started_at, resolved_at: o.resolved_at, sites, notes: mine })
        })
        .collect())
}

/// Windows in force or to come over a public site or group, soonest first.
fn public_windows(
    conn: &mut DbConnection,
    tz: Tz,
    now: NaiveDateTime,
    groups: &[Group],
    public_sites: &HashMap<Id, &Site>,
    public_groups: &HashSet<Id>,
) -> Result<Vec<PublicWindow>, DbError> {
    let mut shown = Vec::new();
    for window in MaintenanceWindow::all(conn)? {
        let over = match (window.site_id, window.group_id) {
            (Some(site), _) => public_sites.get(&site).map(|s| s.name.clone()),
            (None, Some(group)) if public_groups.contains(&group) => {
                groups.iter().find(|g| g.id == group).map(|g| g.name.clone())
            }
            _ => None,
        };
        let (Some(over), Some(schedule)) = (over, window.schedule()) else { continue };
        for span in schedule.upcoming(now, tz, OCCURRENCES) {
            shown.push(PublicWindow { span, over: over.clone(), note: window.note.clone() });
        }
    }
    shown.sort_by(|a, b| (a.span.from, &a.over).cmp(&(b.span.from, &b.over)));
    Ok(shown)
}
