//! `sitewatch group ...`: groups of sites.

use super::args::GroupCommand;
use super::output::{Table, print_json};
use super::{CliError, bad_input};
use crate::db::models::group::{Group, GroupSpec};
use crate::db::{Db, write_transaction};
use crate::domain::name::Name;
use crate::domain::slug::Slug;
use crate::json::GroupJson;

pub(super) fn run(db: &Db, command: GroupCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    match command {
        GroupCommand::Add { name, slug, description, order } => {
            let spec = GroupSpec {
                name: Name::parse(&name).map_err(bad_input("group name"))?,
                slug: slug.as_deref().map(Slug::parse).transpose().map_err(bad_input("--slug"))?,
                description,
                display_order: order,
            };
            let group = write_transaction(&mut conn, |c| Group::create(c, &spec))?;
            println!("Added group {} (slug `{}`).", group.name, group.slug);
        }
        GroupCommand::List(args) => {
            let groups = Group::all(&mut conn)?;
            if args.json {
                let items: Vec<GroupJson> = groups.iter().map(GroupJson::from).collect();
                return print_json(&items);
            }
            let counts = Group::site_counts(&mut conn)?;
            let mut table = Table::new(&["SLUG", "NAME", "SITES", "ORDER", "DESCRIPTION"]);
            for g in &groups {
                table.row(vec![
                    g.slug.clone(),
                    g.name.clone(),
                    counts.get(&g.id).copied().unwrap_or(0).to_string(),
                    g.display_order.to_string(),
                    g.description.clone(),
                ]);
            }
            table.print_or("No groups yet. Add one with `sitewatch group add NAME`.");
        }
        GroupCommand::Remove { slug } => {
            let group = Group::by_slug(&mut conn, &slug)?;
            write_transaction(&mut conn, |c| Group::delete(c, group.id))?;
            println!("Removed group {}.", group.slug);
        }
    }
    Ok(())
}
