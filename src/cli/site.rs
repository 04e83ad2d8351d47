//! `sitewatch site ...`: the watched sites.

use super::CliError;
use super::args::SiteCommand;
use super::output::{Table, print_json, when};
use crate::db::Db;
use crate::db::models::site::Site;
use crate::json::SiteJson;
use crate::manage::input::Input;
use crate::manage::site::{self, NewSite, SiteChange, SiteFields};

/// How `site add` names its arguments in messages.
const LABELS: &[(&str, &str)] = &[("url", "URL"), ("interval_secs", "--interval")];

pub(super) fn run(db: &Db, command: SiteCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    let refused = |e| CliError::refused(e, LABELS);
    match command {
        SiteCommand::Add { url, name, group, interval, slug, check } => {
            let fields = SiteFields {
                url: Some(url),
                name,
                group,
                interval_secs: Input::from_option(interval),
                slug,
                active: None,
                probes: Input::from_option(check.probes),
                keyword: check.keyword,
                keyword_absent: Some(check.keyword_absent),
            };
            let new = NewSite::try_from(fields).map_err(refused)?;
            let (site, group) = site::add(&mut conn, &new).map_err(refused)?;
            println!("Watching {} as `{}` in group `{}`.", site.url, site.slug, group.slug);
        }
        SiteCommand::Change {
            slug,
            name,
            url,
            group,
            interval,
            every_round,
            probes,
            keyword,
            no_keyword,
            keyword_absent,
        } => {
            let fields = SiteFields {
                url,
                name,
                group,
                interval_secs: if every_round { Input::Null } else { Input::from_option(interval) },
                slug: None,
                active: None,
                probes: Input::from_option(probes),
                keyword: if no_keyword { Some(String::new()) } else { keyword },
                keyword_absent,
            };
            let change = SiteChange::try_from(fields).map_err(refused)?;
            let (site, group) = site::change(&mut conn, &slug, &change).map_err(refused)?;
            println!("Changed `{}`: {} in group `{}`.", site.slug, site.url, group.slug);
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
            let site = site::set_active(&mut conn, &slug, false)?;
            println!("Paused `{}`; it will not be checked until resumed.", site.slug);
        }
        SiteCommand::Resume { slug } => {
            let site = site::set_active(&mut conn, &slug, true)?;
            println!("Resumed `{}`; the next round checks it.", site.slug);
        }
        SiteCommand::Remove { slug } => {
            let site = site::remove(&mut conn, &slug)?;
            println!("Removed `{}` and its check history.", site.slug);
        }
    }
    Ok(())
}
