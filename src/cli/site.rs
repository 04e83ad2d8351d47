//! `sitewatch site ...`: the watched sites.

use super::args::SiteCommand;
use super::output::{Table, print_json, when};
use super::{CliError, bad_input};
use crate::db::models::group::Group;
use crate::db::models::site::{Site, SiteSpec};
use crate::db::{Db, DbConnection, DbError, write_transaction};
use crate::domain::interval::parse_interval_secs;
use crate::domain::name::Name;
use crate::domain::site_url::SiteUrl;
use crate::domain::slug::Slug;
use crate::json::SiteJson;

pub(super) fn run(db: &Db, command: SiteCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    match command {
        SiteCommand::Add { url, name, group, interval, slug } => {
            let url = SiteUrl::parse(&url).map_err(bad_input("URL"))?;
            let name = Name::parse(name.as_deref().unwrap_or(url.host())).map_err(bad_input("--name"))?;
            let interval_secs = interval.map(parse_interval_secs).transpose().map_err(bad_input("--interval"))?;
            let slug = slug.as_deref().map(Slug::parse).transpose().map_err(bad_input("--slug"))?;
            let site = write_transaction(&mut conn, |c| {
                let group = group_or_default(c, group.as_deref())?;
                Site::create(c, &SiteSpec { name, url, group_id: group.id, interval_secs, slug })
            })?;
            println!("Watching {} as `{}`.", site.url, site.slug);
        }
        SiteCommand::List(args) => {
            let sites = Site::all_with_groups(&mut conn)?;
            if args.json {
                let items: Vec<SiteJson> = sites.iter().map(|(s, g)| SiteJson::new(s, g)).collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["SLUG", "NAME", "GROUP", "STATUS", "INTERVAL", "LAST CHECK", "URL"]);
            for (site, group) in &sites {
                table.row(vec![
                    site.slug.clone(),
                    site.name.clone(),
                    group.slug.clone(),
                    format!("{} {}", site.status().symbol(), site.status()),
                    site.interval_secs.map_or_else(|| "every round".to_owned(), |s| format!("{s}s")),
                    when(site.last_checked_at),
                    site.url.clone(),
                ]);
            }
            table.print_or("No sites yet. Add one with `sitewatch site add URL`.");
        }
        SiteCommand::Pause { slug } => {
            let site = write_transaction(&mut conn, |c| Site::set_active(c, &slug, false))?;
            println!("Paused `{}`; it will not be checked until resumed.", site.slug);
        }
        SiteCommand::Resume { slug } => {
            let site = write_transaction(&mut conn, |c| Site::set_active(c, &slug, true))?;
            println!("Resumed `{}`; the next round checks it.", site.slug);
        }
        SiteCommand::Remove { slug } => {
            let site = write_transaction(&mut conn, |c| {
                let site = Site::by_slug(c, &slug)?;
                Site::delete(c, site.id)?;
                Ok::<_, DbError>(site)
            })?;
            println!("Removed `{}` and its check history.", site.slug);
        }
    }
    Ok(())
}

/// The named group, or `default` (made on demand) when none is named.
pub(super) fn group_or_default(conn: &mut DbConnection, slug: Option<&str>) -> Result<Group, DbError> {
    match slug {
        Some(slug) => Group::by_slug(conn, slug),
        None => Group::default_group(conn),
    }
}
