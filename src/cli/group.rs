//! `sitewatch group ...`: groups of sites.

use super::CliError;
use super::args::GroupCommand;
use super::output::{Table, print_json};
use crate::db::Db;
use crate::db::models::group::Group;
use crate::json::GroupJson;
use crate::manage::group::{self, GroupFields, NewGroup};
use crate::manage::input::Input;

/// How `group add` names its arguments in messages.
const LABELS: &[(&str, &str)] = &[("name", "NAME"), ("display_order", "--order")];

pub(super) fn run(db: &Db, command: GroupCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    match command {
        GroupCommand::Add { name, slug, description, order, public } => {
            let fields = GroupFields {
                name: Some(name),
                slug,
                description: Some(description),
                display_order: Input::Value(i64::from(order)),
                public: Some(public),
            };
            let refused = |e| CliError::refused(e, LABELS);
            let new = NewGroup::try_from(fields).map_err(refused)?;
            let group = group::add(&mut conn, &new).map_err(refused)?;
            let shown = if group.public { ", shown on the public status page" } else { "" };
            println!("Added group {} (slug `{}`){shown}.", group.name, group.slug);
        }
        GroupCommand::Public { slug, state } => {
            let group = group::set_public(&mut conn, &slug, state == "on")?;
            if group.public {
                println!("Group `{}` is shown on the public status page.", group.slug);
            } else {
                println!("Group `{}` is no longer shown on the public status page.", group.slug);
            }
        }
        GroupCommand::List(args) => {
            let groups = Group::all(&mut conn)?;
            if args.json {
                let items: Vec<GroupJson> = groups.iter().map(GroupJson::from).collect();
                return print_json(&items);
            }
            let counts = Group::site_counts(&mut conn)?;
            let mut table = Table::new(&["SLUG", "NAME", "SITES", "ORDER", "PUBLIC", "DESCRIPTION"]);
            for g in &groups {
                table.row(vec![
                    g.slug.clone(),
                    g.name.clone(),
                    counts.get(&g.id).copied().unwrap_or(0).to_string(),
                    g.display_order.to_string(),
                    if g.public { "yes" } else { "no" }.to_owned(),
                    g.description.clone(),
                ]);
            }
            table.print_or("No groups yet. Add one with `sitewatch group add NAME`.");
        }
        GroupCommand::Remove { slug } => {
            let group = group::remove(&mut conn, &slug)?;
            println!("Removed group {}.", group.slug);
        }
    }
    Ok(())
}
