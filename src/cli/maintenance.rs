//! `sitewatch maintenance ...`: planned maintenance windows.

use super::CliError;
use super::args::MaintenanceCommand;
use super::output::{Table, print_json};
use crate::db::Db;
use crate::domain::time::now_utc;
use crate::json::{NEXT_OCCURRENCES, WindowJson};
use crate::manage::maintenance::{self, NewWindow, WindowFields};
use crate::settings::Settings;

/// How `maintenance add` names its arguments in messages.
const LABELS: &[(&str, &str)] = &[];

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
                let items: Vec<WindowJson> =
                    listed.iter().map(|l| WindowJson::new(l, settings.time_zone, NEXT_OCCURRENCES)).collect();
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
