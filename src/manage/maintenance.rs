//! Maintenance windows: add one over a site or a group (once, or recurring by a cron
//! expression or a weekly day and time), list them, remove one.

use chrono::NaiveDateTime;

use super::error::{FieldErrors, ManageError};
use crate::db::models::group::Group;
use crate::db::models::maintenance_window::MaintenanceWindow;
use crate::db::models::site::Site;
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::description::Description;
use crate::domain::maintenance::{Recurrence, TimeArg, weekly_cron};
use crate::domain::retention::parse_duration;

/// A window as a door received it: text as typed.
#[derive(Debug, Clone, Default)]
pub struct WindowFields {
    /// A site's slug.
    pub site: Option<String>,
    /// A group's slug or name.
    pub group: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub note: Option<String>,
    pub cron: Option<String>,
    /// `sun 02:00`: the weekly shorthand for a cron expression.
    pub weekly: Option<String>,
    /// How long each occurrence of a recurring window lasts: `2h`, `90m`.
    pub duration: Option<String>,
}

/// What a window is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowScope {
    Site(String),
    Group(String),
}

/// A window to add; times are resolved against the clock when it is added.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWindow {
    pub scope: WindowScope,
    /// A one-off window's start; a recurring one's first possible occurrence (now if absent).
    pub start: Option<TimeArg>,
    /// A one-off window's end (required); a recurring one's last possible start (optional).
    pub end: Option<TimeArg>,
    pub recurrence: Option<Recurrence>,
    pub note: Description,
}

fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl TryFrom<WindowFields> for NewWindow {
    type Error = ManageError;

    fn try_from(fields: WindowFields) -> Result<NewWindow, ManageError> {
        let mut errors = FieldErrors::default();
        let scope = match (given(fields.site), given(fields.group)) {
            (Some(site), None) => Some(WindowScope::Site(site)),
            (None, Some(group)) => Some(WindowScope::Group(group)),
            (Some(_), Some(_)) => {
                errors.add("site", "a window is over one site or one group, not both");
                None
            }
            (None, None) => {
                errors.add("site", "name the site or the group the window is over");
                None
            }
        };
        let start = given(fields.start).map(|raw| errors.check("start", TimeArg::parse(&raw)));
        let end = given(fields.end).map(|raw| errors.check("end", TimeArg::parse(&raw)));
        let cron = match (given(fields.cron), given(fields.weekly)) {
            (Some(cron), None) => Some(Some((cron, "cron"))),
            (None, Some(weekly)) => errors.check("weekly", weekly_cron(&weekly)).map(|c| Some((c, "weekly"))),
            (None, None) => Some(None),
            (Some(_), Some(_)) => {
                errors.add("weekly", "give a cron expression or a weekly time, not both");
                None
            }
        };
        let duration = given(fields.duration).map(|raw| errors.check("duration", parse_duration(&raw)));
        let recurrence = match (cron.clone().flatten(), duration) {
            (Some((cron, field)), Some(Some(duration))) => {
                errors.check(field, Recurrence::parse(&cron, duration)).map(Some)
            }
            (Some(_), None) => {
                errors.add("duration", "a recurring window needs a duration, e.g. 2h");
                None
            }
            (None, Some(Some(_))) => {
                errors.add("duration", "a duration is for a recurring window; give --cron or --weekly");
                None
            }
            (_, Some(None)) => None,
            (None, None) => Some(None),
        };
        if matches!(recurrence, Some(None)) && end.is_none() {
            errors.add("end", "a window needs an end (or a --cron/--weekly recurrence with a --duration)");
        }
        if matches!(recurrence, Some(None)) && start.is_none() {
            errors.add("start", "a window needs a start: a time, `now`, or a span from now such as +1h");
        }
        let note = errors.check("note", Description::parse(fields.note.as_deref().unwrap_or_default()));
        errors.or_value(|| {
            Some(NewWindow {
                scope: scope?,
                start: start.flatten(),
                end: end.flatten(),
                recurrence: recurrence?,
                note: note?,
            })
        })
    }
}

/// A window with the site or group it is over, for listings.
#[derive(Debug, Clone)]
pub struct Listed {
    pub window: MaintenanceWindow,
    /// `site` or `group`, and its slug and name.
    pub scope: (&'static str, String, String),
}

/// Adds a window, resolving `now` and spans from now against `now`.
pub fn add(conn: &mut DbConnection, new: &NewWindow, now: NaiveDateTime) -> Result<Listed, ManageError> {
    let starts_at = new.start.map_or(now, |t| t.resolve(now));
    let ends_at = new.end.map(|t| t.resolve(now));
    if let Some(end) = ends_at
        && end <= starts_at
    {
        return Err(ManageError::invalid("end", "the end must come after the start"));
    }
    if new.recurrence.is_none() && ends_at.is_some_and(|end| end <= now) {
        return Err(ManageError::invalid("end", "that window is already over"));
    }
    write_transaction(conn, |c| {
        let (site_id, group_id, scope) = match &new.scope {
            WindowScope::Site(slug) => {
                let site = Site::find_by_slug(c, slug)?.ok_or_else(|| {
                    ManageError::invalid("site", format!("there is no site `{slug}` (see `sitewatch site list`)"))
                })?;
                (Some(site.id), None, ("site", site.slug, site.name))
            }
            WindowScope::Group(wanted) => {
                let group = Group::find_by_reference(c, wanted)?.ok_or_else(|| {
                    ManageError::invalid("group", format!("there is no group `{wanted}` (see `sitewatch group list`)"))
                })?;
                (None, Some(group.id), ("group", group.slug, group.name))
            }
        };
        let window = MaintenanceWindow {
            id: Id::new(),
            site_id,
            group_id,
            starts_at,
            ends_at,
            cron: new.recurrence.as_ref().map(|r| r.cron().to_owned()),
            duration_secs: new.recurrence.as_ref().map(|r| r.duration.num_seconds() as i32),
            note: new.note.as_str().to_owned(),
            created_at: now,
        };
        window.insert(c)?;
        Ok(Listed { window, scope })
    })
}

/// Removes a window by its id.
pub fn remove(conn: &mut DbConnection, id: &str) -> Result<MaintenanceWindow, ManageError> {
    let missing =
        || ManageError::NotFound(format!("there is no maintenance window `{id}` (see `sitewatch maintenance list`)"));
    let id: Id = id.parse().map_err(|_| missing())?;
    write_transaction(conn, |c| {
        let window = MaintenanceWindow::find(c, id)?.ok_or_else(missing)?;
        MaintenanceWindow::delete(c, id)?;
        Ok(window)
    })
}

/// Every window with the site or group it is over.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Listed>, ManageError> {
    let windows = MaintenanceWindow::all(conn)?;
    let sites = Site::all_with_groups(conn)?;
    let groups = Group::all(conn)?;
    Ok(windows
        .into_iter()
        .map(|window| {
            let scope = match (window.site_id, window.group_id) {
                (Some(id), _) => sites
                    .iter()
                    .find(|(s, _)| s.id == id)
                    .map_or(("site", String::new(), String::new()), |(s, _)| ("site", s.slug.clone(), s.name.clone())),
                (None, Some(id)) => groups
                    .iter()
                    .find(|g| g.id == id)
                    .map_or(("group", String::new(), String::new()), |g| ("group", g.slug.clone(), g.name.clone())),
                (None, None) => ("site", String::new(), String::new()),
            };
            Listed { window, scope }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(slug: &str) -> WindowFields {
        WindowFields { site: Some(slug.into()), ..WindowFields::default() }
    }

    #[test]
    fn a_one_off_window_needs_a_start_and_an_end() {
        let w =
            NewWindow::try_from(WindowFields { start: Some("now".into()), end: Some("+2h".into()), ..site("shop") })
                .unwrap();
        assert_eq!(w.scope, WindowScope::Site("shop".into()));
        assert_eq!(w.start, Some(TimeArg::Now));
        let Err(ManageError::Invalid(errors)) = NewWindow::try_from(site("shop")) else { panic!() };
        let named: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(named, ["end", "start"]);
    }

    #[test]
    fn a_recurring_window_needs_a_duration_and_one_recurrence() {
        let w = NewWindow::try_from(WindowFields {
            weekly: Some("sun 02:00".into()),
            duration: Some("2h".into()),
            ..site("shop")
        })
        .unwrap();
        assert_eq!(w.recurrence.unwrap().cron(), "0 2 * * SUN");
        for (fields, field) in [
            (WindowFields { cron: Some("0 2 * * *".into()), ..site("shop") }, "duration"),
            (WindowFields { cron: Some("nonsense".into()), duration: Some("1h".into()), ..site("shop") }, "cron"),
            (WindowFields { weekly: Some("sunday".into()), duration: Some("1h".into()), ..site("shop") }, "weekly"),
            (WindowFields { group: Some("web".into()), end: Some("+1h".into()), ..site("shop") }, "site"),
            (WindowFields { start: Some("soon".into()), end: Some("+1h".into()), ..site("shop") }, "start"),
        ] {
            let Err(ManageError::Invalid(errors)) = NewWindow::try_from(fields) else { panic!("{field}") };
            assert_eq!(errors.first_field(), Some(field), "{errors}");
        }
    }
}
