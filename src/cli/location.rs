//! `sitewatch location ...`: where checkers run, their last rounds and which of them vote.

use serde::Serialize;

use super::args::LocationCommand;
use super::output::{Table, print_json, when};
use super::{CliError, bad_input};
use crate::db::Db;
use crate::db::models::location::Location;
use crate::domain::time::rfc3339;
use crate::settings::Settings;

#[derive(Serialize)]
struct LocationJson {
    name: String,
    last_round_at: Option<String>,
    last_round_state: String,
    live: bool,
    stale: bool,
}

pub(super) fn run(db: &Db, settings: &Settings, command: LocationCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    match command {
        LocationCommand::List(args) => {
            let list = Location::statuses(&mut conn, settings.check.location_stale_secs)?;
            if args.json {
                let items: Vec<LocationJson> = list
                    .iter()
                    .map(|s| LocationJson {
                        name: s.location.name.clone(),
                        last_round_at: s.location.last_round_at.map(rfc3339),
                        last_round_state: s.location.last_round_state.clone(),
                        live: s.live,
                        stale: s.location.stale,
                    })
                    .collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["LOCATION", "LAST ROUND", "STATE", "VOTES"]);
            for s in &list {
                let votes = match (s.live, s.location.stale) {
                    (true, _) => "live",
                    (false, true) => "stale",
                    (false, false) if s.location.last_round_state == "offline" => "offline",
                    (false, false) => "not yet",
                };
                table.row(vec![
                    s.location.name.clone(),
                    when(s.location.last_round_at),
                    s.location.last_round_state.clone(),
                    votes.to_owned(),
                ]);
            }
            table.print_or("No location has checked yet. Run `check` (its location is `location` in the settings).");
        }
        LocationCommand::Remove { name } => {
            let removed = Location::remove(&mut conn, &name)?;
            if removed == 0 {
                return Err(bad_input::<String>("location")(format!(
                    "there is no location `{name}` (see `sitewatch location list`)"
                )));
            }
            println!("Location {name} removed; its check history stays.");
        }
    }
    Ok(())
}
