//! `sitewatch maintenance ...`: planned maintenance windows.

use serde::Serialize;

use super::CliError;
use super::args::MaintenanceCommand;
use super::output::{Table, print_json};
use crate::db::Db;
use crate::domain::time::{now_utc, rfc3339};
use crate::manage::maintenance::{self, Listed, NewWindow, WindowFields};
use crate::settings::Settings;

/// How `maintenance add` names its arguments in messages.
const LABELS: &[(&str, &str)] = &[];

/// Occurrences listed per window.
const NEXT: usize = 3;

#[derive(Serialize)]
struct WindowJson {
    id: String,
    site: Option<String>,
    group: Option<String>,
    starts_at: String,
    ends_at: Option<String>,
    cron: Option<String>,
    duration_secs: Option<i32>,
    note: String,
    next: Vec<(String, String)>,
}

fn json_of(listed: &Listed, settings: &Settings) -> WindowJson {
    let w = &listed.window;
    let (kind, slug, _) = &listed.scope;
    let next = w.schedule().map_or_else(Vec::new, |s| s.upcoming(now_utc(), settings.time_zone, NEXT));
    WindowJson {
        id: w.id.to_string(),
        site: (*kind == "site").then(|| slug.clone()),
        group: (*kind == "group").then(|| slug.clone()),
        starts_at: rfc3339(w.starts_at),
        ends_at: w.ends_at.map(rfc3339),
        cron: w.cron.clone(),
        duration_secs: w.duration_secs,
        note: w.note.clone(),
        next: next.iter().map(|s| (rfc3339(s.from), rfc3339(s.until))).collect(),
    }
}

fn local(settings: &Settings, t: chrono::NaiveDateTime) -> String {
    use chrono::TimeZone;
    settings.time_zone.from_utc_datetime(&t).format("%Y-%m-%d %H:%M %Z").to_string()
}

pub(super) fn run(db: &Db, settings: &Settings, command: MaintenanceCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    let refused = |e| CliError::refused(e, LABELS);
    match command {
        MaintenanceCommand::Add { site, group, start, end, note, cron, weekly, duration } => {
            let fields = WindowFields { site, group, start, end, note, cron, weekly, duration };
            let new = NewWindow::try_from(fields).map_err(refused)?;
            let listed = maintenance::add(&mut conn, &new, now_utc()).map_err(refused)?;
            let w = &listed.window;
            let (kind, slug, _) = &listed.scope;
            let when = match (&w.cron, w.duration_secs) {
                (Some(cron), Some(secs)) => format!("at each `{cron}` ({}) for {} min", settings.time_zone, secs / 60),
                _ => format!(
                    "from {} to {}",
                    local(settings, w.starts_at),
                    w.ends_at.map(|t| local(settings, t)).unwrap_or_default()
                ),
            };
            println!("Added maintenance window {} over {kind} `{slug}`, {when}.", w.id);
        }
        MaintenanceCommand::List(args) => {
            let listed = maintenance::list(&mut conn)?;
            if args.json {
                let items: Vec<WindowJson> = listed.iter().map(|l| json_of(l, settings)).collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["ID", "OVER", "WHEN", "NEXT", "NOTE"]);
            for l in &listed {
                let w = &l.window;
                let when = match (&w.cron, w.duration_secs) {
                    (Some(cron), Some(secs)) => format!("`{cron}` for {} min", secs / 60),
                    _ => format!(
                        "{} to {}",
                        local(settings, w.starts_at),
                        w.ends_at.map(|t| local(settings, t)).unwrap_or_default()
                    ),
                };
                let next = w
                    .schedule()
                    .and_then(|s| s.upcoming(now_utc(), settings.time_zone, 1).first().copied())
                    .map_or_else(|| "over".to_owned(), |span| local(settings, span.from));
                table.row(vec![w.id.to_string(), format!("{} {}", l.scope.0, l.scope.1), when, next, w.note.clone()]);
            }
            table.print_or("No maintenance windows. Add one with `sitewatch maintenance add`.");
        }
        MaintenanceCommand::Remove { id } => {
            let window = maintenance::remove(&mut conn, &id)?;
            println!("Removed maintenance window {}.", window.id);
        }
    }
    Ok(())
}
