//! `sitewatch import FILE`: adds every site of a file in one transaction, or none.

mod formats;

use std::collections::HashMap;

use super::CliError;
use super::args::ImportArgs;
use super::site::group_or_default;
use crate::db::models::group::{Group, GroupSpec};
use crate::db::models::site::{Site, SiteSpec};
use crate::db::{Db, DbConnection, DbError, write_transaction};
use crate::domain::name::Name;

use formats::{ImportFile, SiteEntry, Syntax};

#[derive(Debug, Default)]
struct Outcome {
    added: usize,
    skipped: Vec<String>,
    groups_created: Vec<String>,
}

pub(super) fn run(db: &Db, args: ImportArgs) -> Result<(), CliError> {
    let label = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| CliError::Input(format!("{label}: cannot read the file: {e}")))?;
    let file = formats::parse(Syntax::detect(&args.file, &text), &text)
        .map_err(|e| CliError::Input(format!("{label}: {e}")))?;
    reject_repeated_urls(&file.sites).map_err(|e| CliError::Input(format!("{label}: {e}")))?;

    let mut conn = db.conn()?;
    let outcome = write_transaction(&mut conn, |c| apply(c, &file, &args)).map_err(|e| match e {
        CliError::Input(message) => CliError::Input(format!("{label}: {message}")),
        CliError::Db(inner) if inner.is_user_error() => CliError::Input(format!("{label}: {inner}")),
        other => other,
    })?;

    println!("Imported {} site(s) from {label}.", outcome.added);
    if !outcome.groups_created.is_empty() {
        println!("Created group(s): {}.", outcome.groups_created.join(", "));
    }
    if !outcome.skipped.is_empty() {
        println!("Skipped {} already watched: {}.", outcome.skipped.len(), outcome.skipped.join(", "));
    }
    Ok(())
}

fn reject_repeated_urls(sites: &[SiteEntry]) -> Result<(), String> {
    let mut first_seen: HashMap<&str, &str> = HashMap::new();
    for site in sites {
        if let Some(first) = first_seen.insert(site.url.as_str(), &site.position) {
            return Err(format!("{}: {} is listed twice (first in {first})", site.position, site.url));
        }
    }
    Ok(())
}

fn apply(conn: &mut DbConnection, file: &ImportFile, args: &ImportArgs) -> Result<Outcome, CliError> {
    let mut outcome = Outcome::default();
    for entry in &file.groups {
        let exists = match &entry.slug {
            Some(slug) => Group::find_by_slug(conn, slug.as_str())?.is_some(),
            None => find_group(conn, entry.name.as_str())?.is_some(),
        };
        if !exists {
            let spec = GroupSpec {
                name: entry.name.clone(),
                slug: entry.slug.clone(),
                description: entry.description.clone(),
                display_order: entry.display_order,
            };
            let group = Group::create(conn, &spec).map_err(|e| in_entry(&entry.position, e))?;
            outcome.groups_created.push(group.slug);
        }
    }

    let mut fallback: Option<Group> = None;
    for entry in &file.sites {
        if let Some(existing) = Site::find_by_url(conn, entry.url.as_str())? {
            if args.skip_existing {
                outcome.skipped.push(existing.slug);
                continue;
            }
            return Err(CliError::Input(format!(
                "{}: {} is already watched as `{}` (use --skip-existing to leave it)",
                entry.position, entry.url, existing.slug
            )));
        }
        let group = match &entry.group {
            Some(wanted) => group_for_entry(conn, wanted, &mut outcome).map_err(|e| in_entry(&entry.position, e))?,
            None => match &fallback {
                Some(group) => group.clone(),
                None => {
                    let group = group_or_default(conn, args.group.as_deref())?;
                    fallback = Some(group.clone());
                    group
                }
            },
        };
        let name = match &entry.name {
            Some(name) => name.clone(),
            None => {
                Name::parse(entry.url.host()).map_err(|e| CliError::Input(format!("{}: name: {e}", entry.position)))?
            }
        };
        let spec = SiteSpec {
            name,
            url: entry.url.clone(),
            group_id: group.id,
            interval_secs: entry.interval_secs,
            slug: entry.slug.clone(),
        };
        Site::create(conn, &spec).map_err(|e| in_entry(&entry.position, e))?;
        outcome.added += 1;
    }
    Ok(outcome)
}

/// A group named by slug or by name (ignoring case).
fn find_group(conn: &mut DbConnection, wanted: &str) -> Result<Option<Group>, DbError> {
    if let Some(group) = Group::find_by_slug(conn, wanted)? {
        return Ok(Some(group));
    }
    let lower = wanted.to_lowercase();
    Ok(Group::all(conn)?.into_iter().find(|g| g.name.to_lowercase() == lower))
}

/// The group an entry names, created when the file names one that does not exist yet.
fn group_for_entry(conn: &mut DbConnection, wanted: &str, outcome: &mut Outcome) -> Result<Group, DbError> {
    if let Some(group) = find_group(conn, wanted)? {
        return Ok(group);
    }
    let name = Name::parse(wanted).map_err(|e| DbError::Conflict(format!("group `{wanted}`: {e}")))?;
    let group = Group::create(conn, &GroupSpec::named(name))?;
    outcome.groups_created.push(group.slug.clone());
    Ok(group)
}

fn in_entry(position: &str, error: DbError) -> CliError {
    if error.is_user_error() { CliError::Input(format!("{position}: {error}")) } else { CliError::Db(error) }
}
