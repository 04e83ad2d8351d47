//! Import: every site of a file in one transaction, or none. Groups the file names are made
//! when missing. Existing slugs and URLs are read once and new sites are written in batches,
//! so ten thousand sites of one host take one pass, not one query each.

mod document;
pub mod formats;

use std::collections::{HashMap, HashSet};

pub use formats::{ImportFile, Syntax};

use super::error::ManageError;
use super::group;
use super::site::{self, already_watched, slug_taken};
use crate::db::models::group::Group;
use crate::db::models::site::{NewSiteRow, Site};
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::name::Name;
use crate::domain::slug::Slug;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The group (slug or name) of sites whose entry names none; `default` when absent.
    pub group: Option<String>,
    /// Leave sites whose URL is already watched instead of refusing the whole file.
    pub skip_existing: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    /// Slugs of the sites already watched that were left as they were.
    pub skipped: Vec<String>,
    pub groups_created: Vec<String>,
}

/// Reads an import file's text; the error names the entry or line at fault.
pub fn read(syntax: Syntax, text: &str) -> Result<ImportFile, ManageError> {
    let file = formats::parse(syntax, text).map_err(|e| ManageError::invalid("file", e))?;
    reject_repeated_urls(&file).map_err(|e| ManageError::invalid("file", e))?;
    Ok(file)
}

/// Adds the file's groups and sites in one transaction.
pub fn import(
    conn: &mut DbConnection,
    file: &ImportFile,
    options: &ImportOptions,
) -> Result<ImportReport, ManageError> {
    write_transaction(conn, |c| apply(c, file, options))
}

fn reject_repeated_urls(file: &ImportFile) -> Result<(), String> {
    let mut first_seen: HashMap<&str, &str> = HashMap::new();
    for entry in &file.sites {
        if let Some(first) = first_seen.insert(entry.site.url.as_str(), &entry.position) {
            return Err(format!("{}: {} is listed twice (first in {first})", entry.position, entry.site.url));
        }
    }
    Ok(())
}

/// The slugs and URLs taken, read once and kept up to date as sites are planned.
struct Taken {
    slugs: HashSet<String>,
    urls: HashMap<String, String>,
    /// Per base slug, the suffix to try first: the ones below it are taken.
    next_suffix: HashMap<String, u32>,
}

impl Taken {
    fn load(c: &mut DbConnection) -> Result<Taken, ManageError> {
        let rows = Site::slugs_and_urls(c)?;
        let slugs = rows.iter().map(|(slug, _)| slug.clone()).collect();
        let urls = rows.into_iter().map(|(slug, url)| (url, slug)).collect();
        Ok(Taken { slugs, urls, next_suffix: HashMap::new() })
    }

    /// The wanted slug if free, else the first free one made from the name.
    fn claim_slug(&mut self, name: &Name, wanted: Option<&Slug>) -> Result<Slug, ManageError> {
        let slug = match wanted {
            Some(slug) if self.slugs.contains(slug.as_str()) => return Err(slug_taken(slug)),
            Some(slug) => slug.clone(),
            None => {
                let base = Slug::from_name(name.as_str(), "site");
                let from = self.next_suffix.get(base.as_str()).copied().unwrap_or(2);
                let (slug, next) = base.first_free_from(from, |candidate| self.slugs.contains(candidate));
                self.next_suffix.insert(base.as_str().to_owned(), next);
                slug
            }
        };
        self.slugs.insert(slug.as_str().to_owned());
        Ok(slug)
    }
}

/// The groups entries name, looked up once each; missing ones are created.
struct Groups<'o> {
    by_reference: HashMap<String, Group>,
    fallback: Option<Group>,
    options: &'o ImportOptions,
}

impl Groups<'_> {
    fn for_entry(
        &mut self,
        c: &mut DbConnection,
        wanted: Option<&str>,
        report: &mut ImportReport,
    ) -> Result<Group, ManageError> {
        let Some(wanted) = wanted else {
            if self.fallback.is_none() {
                self.fallback = Some(group::resolve(c, self.options.group.as_deref())?);
            }
            return Ok(self.fallback.clone().expect("just set"));
        };
        if let Some(group) = self.by_reference.get(wanted) {
            return Ok(group.clone());
        }
        let group = match Group::find_by_reference(c, wanted)? {
            Some(group) => group,
            None => {
                let name =
                    Name::parse(wanted).map_err(|e| ManageError::invalid("group", format!("`{wanted}`: {e}")))?;
                let group = group::add_in(c, &group::NewGroup::named(name))?;
                report.groups_created.push(group.slug.clone());
                group
            }
        };
        self.by_reference.insert(wanted.to_owned(), group.clone());
        Ok(group)
    }
}

fn apply(c: &mut DbConnection, file: &ImportFile, options: &ImportOptions) -> Result<ImportReport, ManageError> {
    let mut report = ImportReport::default();
    for entry in &file.groups {
        let exists = match &entry.group.slug {
            Some(slug) => Group::find_by_slug(c, slug.as_str())?.is_some(),
            None => Group::find_by_name(c, entry.group.name.as_str())?.is_some(),
        };
        if !exists {
            let group = group::add_in(c, &entry.group).map_err(|e| at(&entry.position, e))?;
            report.groups_created.push(group.slug);
        }
    }

    let mut taken = Taken::load(c)?;
    let mut groups = Groups { by_reference: HashMap::new(), fallback: None, options };
    let mut planned: Vec<(Id, Id, Name, Slug, usize)> = Vec::with_capacity(file.sites.len());
    for (index, entry) in file.sites.iter().enumerate() {
        let new = &entry.site;
        if let Some(existing) = taken.urls.get(new.url.as_str()) {
            if options.skip_existing {
                report.skipped.push(existing.clone());
                continue;
            }
            let refused = already_watched(&new.url, existing);
            return Err(at(&entry.position, with_hint(refused, " (use --skip-existing to leave it)")));
        }
        let name = new.display_name().map_err(|e| at(&entry.position, e))?;
        let slug = taken.claim_slug(&name, new.slug.as_ref()).map_err(|e| at(&entry.position, e))?;
        let group = groups.for_entry(c, new.group.as_deref(), &mut report).map_err(|e| at(&entry.position, e))?;
        taken.urls.insert(new.url.as_str().to_owned(), slug.as_str().to_owned());
        planned.push((Id::new(), group.id, name, slug, index));
    }
    let rows: Vec<NewSiteRow<'_>> = planned
        .iter()
        .map(|(id, group_id, name, slug, index)| site::new_row(*id, *group_id, name, slug, &file.sites[*index].site))
        .collect();
    Site::insert_all(c, &rows)?;
    report.added = rows.len();
    Ok(report)
}

fn with_hint(error: ManageError, hint: &str) -> ManageError {
    match error {
        ManageError::Conflict { field, message } => {
            ManageError::Conflict { field, message: format!("{message}{hint}") }
        }
        other => other,
    }
}

/// Prefixes a refusal with the entry it concerns ("sites entry 3: ...").
fn at(position: &str, error: ManageError) -> ManageError {
    match error {
        ManageError::Invalid(errors) => ManageError::invalid("file", format!("{position}: {errors}")),
        ManageError::NotFound(message) => ManageError::NotFound(format!("{position}: {message}")),
        ManageError::Conflict { field, message } => {
            ManageError::Conflict { field, message: format!("{position}: {message}") }
        }
        other => other,
    }
}
