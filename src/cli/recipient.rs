//! `sitewatch recipient ...`: who receives alerts.

use serde::Serialize;

use super::args::RecipientCommand;
use super::output::{Table, print_json};
use super::{CliError, bad_input};
use crate::db::models::recipient::{Recipient, RecipientListing};
use crate::db::{Db, Id};
use crate::domain::recipient_address::RecipientKind;
use crate::manage::recipient::{self, NewRecipient, RecipientFields, ScopeRef};

/// How `recipient add` names its arguments in messages.
const LABELS: &[(&str, &str)] = &[("address", "ADDRESS")];

#[derive(Serialize)]
struct RecipientJson {
    id: String,
    /// `email` or `phone`.
    kind: &'static str,
    email: Option<String>,
    phone: Option<String>,
    scope: &'static str,
    group: Option<String>,
    site: Option<String>,
}

fn describe(listing: &RecipientListing) -> (&'static str, String) {
    match (&listing.site_slug, &listing.group_slug) {
        (Some(site), _) => ("site", format!("site {site}")),
        (None, Some(group)) => ("group", format!("group {group}")),
        (None, None) => ("all", "every site".to_owned()),
    }
}

pub(super) fn run(db: &Db, command: RecipientCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    match command {
        RecipientCommand::Add { address, site, group } => {
            let scope = match (site, group) {
                (Some(slug), _) => ScopeRef::Site(slug),
                (None, Some(group)) => ScopeRef::Group(group),
                (None, None) => ScopeRef::All,
            };
            let refused = |e| CliError::refused(e, LABELS);
            let new = NewRecipient::try_from(RecipientFields { address: Some(address), scope }).map_err(refused)?;
            let added = recipient::add(&mut conn, &new).map_err(refused)?;
            println!("{} will receive alerts for {}.", added.recipient.email, added.scope);
        }
        RecipientCommand::List(args) => {
            let listing = Recipient::listing(&mut conn)?;
            if args.json {
                let items: Vec<RecipientJson> = listing
                    .iter()
                    .map(|l| RecipientJson {
                        id: l.recipient.id.to_string(),
                        kind: l.recipient.kind().as_str(),
                        email: (l.recipient.kind() == RecipientKind::Email).then(|| l.recipient.email.clone()),
                        phone: (l.recipient.kind() == RecipientKind::Phone).then(|| l.recipient.email.clone()),
                        scope: describe(l).0,
                        group: l.group_slug.clone(),
                        site: l.site_slug.clone(),
                    })
                    .collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["ADDRESS", "ALERTS FOR", "ID"]);
            for l in &listing {
                table.row(vec![l.recipient.email.clone(), describe(l).1, l.recipient.id.to_string()]);
            }
            table.print_or("No recipients yet. Add one with `sitewatch recipient add ADDRESS`.");
        }
        RecipientCommand::Remove { id } => {
            let id: Id = id.parse().map_err(bad_input("recipient id"))?;
            recipient::remove(&mut conn, id)?;
            println!("Removed recipient {id}.");
        }
    }
    Ok(())
}
