//! `sitewatch recipient ...`: who receives alerts by e-mail.

use serde::Serialize;

use super::args::RecipientCommand;
use super::output::{Table, print_json};
use super::{CliError, bad_input};
use crate::db::models::group::Group;
use crate::db::models::recipient::{Recipient, RecipientListing, Scope};
use crate::db::models::site::Site;
use crate::db::{Db, DbError, Id, write_transaction};
use crate::domain::email::EmailAddress;

#[derive(Serialize)]
struct RecipientJson {
    id: String,
    email: String,
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
        RecipientCommand::Add { email, site, group } => {
            let email = EmailAddress::parse(&email).map_err(bad_input("e-mail"))?;
            let (recipient, what) = write_transaction(&mut conn, |c| {
                let (scope, what) = match (site.as_deref(), group.as_deref()) {
                    (Some(slug), _) => (Scope::Site(Site::by_slug(c, slug)?.id), format!("site `{slug}`")),
                    (None, Some(slug)) => (Scope::Group(Group::by_slug(c, slug)?.id), format!("group `{slug}`")),
                    (None, None) => (Scope::All, "every site".to_owned()),
                };
                Ok::<_, DbError>((Recipient::add(c, &email, scope)?, what))
            })?;
            println!("{} will receive alerts for {what}.", recipient.email);
        }
        RecipientCommand::List(args) => {
            let listing = Recipient::listing(&mut conn)?;
            if args.json {
                let items: Vec<RecipientJson> = listing
                    .iter()
                    .map(|l| RecipientJson {
                        id: l.recipient.id.to_string(),
                        email: l.recipient.email.clone(),
                        scope: describe(l).0,
                        group: l.group_slug.clone(),
                        site: l.site_slug.clone(),
                    })
                    .collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["EMAIL", "ALERTS FOR", "ID"]);
            for l in &listing {
                table.row(vec![l.recipient.email.clone(), describe(l).1, l.recipient.id.to_string()]);
            }
            table.print_or("No recipients yet. Add one with `sitewatch recipient add EMAIL`.");
        }
        RecipientCommand::Remove { id } => {
            let id: Id = id.parse().map_err(bad_input("recipient id"))?;
            write_transaction(&mut conn, |c| Recipient::delete(c, id))?;
            println!("Removed recipient {id}.");
        }
    }
    Ok(())
}
