//! Reading what people type, for the admin pages and the JSON API alike, through the same
//! domain parsers as the CLI, so a value refused in one place is refused in all. Errors are
//! kept per field: pages show them beside the field, the API joins them into one 422 message.

use std::fmt::Display;

use crate::db::models::group::{Group, GroupSpec};
use crate::db::models::site::{SiteChange, SiteSpec};
use crate::db::{DbConnection, DbError, Id};
use crate::domain::interval::parse_interval_secs;
use crate::domain::name::Name;
use crate::domain::site_url::SiteUrl;
use crate::domain::slug::Slug;
use crate::web::error::WebError;

#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The value, or `None` with the error noted against `field`.
    pub fn check<T, E: Display>(&mut self, field: &'static str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.add(field, e.to_string())).ok()
    }

    /// The message for `field`, for the template.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One 422 for the API: "url: ...; name: ...".
    pub fn into_invalid(self) -> WebError {
        let text: Vec<String> = self.0.iter().map(|(f, m)| format!("{f}: {m}")).collect();
        WebError::Invalid(text.join("; "))
    }
}

/// A conflict (duplicate name, slug or URL) becomes an error beside the field it concerns;
/// anything else stays an error of the request.
pub fn conflict_to_field(error: DbError, field: &'static str) -> Result<FieldErrors, WebError> {
    match error {
        DbError::Conflict(message) => {
            let mut errors = FieldErrors::default();
            errors.add(if message.contains(" slug ") { "slug" } else { field }, message);
            Ok(errors)
        }
        other => Err(other.into()),
    }
}

/// Optional number fields arrive as text from forms; empty means "not given".
pub fn optional_number(raw: &str) -> Result<Option<i64>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>().map(Some).map_err(|_| format!("`{raw}` is not a whole number"))
}

/// The fields of a group form or `POST /api/groups`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct GroupInput {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub display_order: String,
}

impl GroupInput {
    /// `keep_slug`: when editing, an empty slug keeps the current one.
    pub fn parse(&self) -> Result<GroupSpec, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", Name::parse(&self.name));
        let slug = match self.slug.trim() {
            "" => Some(None),
            raw => errors.check("slug", Slug::parse(raw)).map(Some),
        };
        let display_order = match optional_number(&self.display_order) {
            Ok(n) => errors.check(
                "display_order",
                i32::try_from(n.unwrap_or(0)).map_err(|_| "the order is a small whole number".to_owned()),
            ),
            Err(message) => {
                errors.add("display_order", message);
                None
            }
        };
        if self.description.chars().count() > 500 {
            errors.add("description", "a description is at most 500 characters");
        }
        match (name, slug, display_order, errors.is_empty()) {
            (Some(name), Some(slug), Some(display_order), true) => {
                Ok(GroupSpec { name, slug, description: self.description.trim().to_owned(), display_order })
            }
            _ => Err(errors),
        }
    }
}

/// The fields of a site form or `POST /api/sites`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SiteInput {
    pub name: String,
    pub url: String,
    pub group: String,
    pub interval_secs: String,
    pub slug: String,
}

impl SiteInput {
    /// A new site: the name defaults to the URL's host and the group to `default`, as in the CLI.
    pub fn parse_new(&self, conn: &mut DbConnection) -> Result<Result<SiteSpec, FieldErrors>, WebError> {
        let mut errors = FieldErrors::default();
        let url = errors.check("url", SiteUrl::parse(&self.url));
        let name = match (self.name.trim(), &url) {
            ("", Some(url)) => errors.check("name", Name::parse(url.host())),
            ("", None) => None,
            (name, _) => errors.check("name", Name::parse(name)),
        };
        let interval_secs = self.interval(&mut errors);
        let slug = match self.slug.trim() {
            "" => Some(None),
            raw => errors.check("slug", Slug::parse(raw)).map(Some),
        };
        let group_id = self.group_id(conn, &mut errors)?;
        Ok(match (name, url, interval_secs, slug, group_id, errors.is_empty()) {
            (Some(name), Some(url), Some(interval_secs), Some(slug), Some(group_id), true) => {
                Ok(SiteSpec { name, url, group_id, interval_secs, slug })
            }
            _ => Err(errors),
        })
    }

    /// An edit where every field is given (the admin form).
    pub fn parse_change(&self, conn: &mut DbConnection) -> Result<Result<SiteChange, FieldErrors>, WebError> {
        let mut errors = FieldErrors::default();
        let url = errors.check("url", SiteUrl::parse(&self.url));
        let name = errors.check("name", Name::parse(&self.name));
        let interval_secs = self.interval(&mut errors);
        let group_id = self.group_id(conn, &mut errors)?;
        Ok(match (name, url, interval_secs, group_id, errors.is_empty()) {
            (Some(name), Some(url), Some(interval_secs), Some(group_id), true) => Ok(SiteChange {
                name: Some(name),
                url: Some(url),
                group_id: Some(group_id),
                interval_secs: Some(interval_secs),
                active: None,
            }),
            _ => Err(errors),
        })
    }

    fn interval(&self, errors: &mut FieldErrors) -> Option<Option<u32>> {
        match optional_number(&self.interval_secs) {
            Ok(None) => Some(None),
            Ok(Some(n)) => errors.check("interval_secs", parse_interval_secs(n)).map(Some),
            Err(message) => {
                errors.add("interval_secs", message);
                None
            }
        }
    }

    fn group_id(&self, conn: &mut DbConnection, errors: &mut FieldErrors) -> Result<Option<Id>, WebError> {
        let found = match self.group.trim() {
            "" => Group::default_group(conn).map(Some),
            slug => Group::find_by_slug(conn, slug).map_err(DbError::from),
        };
        match found? {
            Some(group) => Ok(Some(group.id)),
            None => {
                errors.add("group", format!("there is no group `{}`", self.group.trim()));
                Ok(None)
            }
        }
    }
}

/// Why a form's write did not happen: errors to show beside fields, or a failure of the
/// request. Both roll the transaction back, so a refused form leaves nothing behind.
pub enum Refused {
    Fields(FieldErrors),
    Error(WebError),
}

impl Refused {
    /// A conflict as a field error, anything else as a request error.
    pub fn conflict(error: DbError, field: &'static str) -> Refused {
        match conflict_to_field(error, field) {
            Ok(errors) => Refused::Fields(errors),
            Err(error) => Refused::Error(error),
        }
    }
}

impl From<diesel::result::Error> for Refused {
    fn from(error: diesel::result::Error) -> Self {
        Refused::Error(error.into())
    }
}

impl From<WebError> for Refused {
    fn from(error: WebError) -> Self {
        Refused::Error(error)
    }
}

impl From<DbError> for Refused {
    fn from(error: DbError) -> Self {
        Refused::Error(error.into())
    }
}

/// Runs a form's parse-and-write in one write transaction: `Ok(Err(fields))` sends the form
/// back with its errors; nothing of a refused attempt is kept.
pub fn attempt<T>(
    conn: &mut DbConnection,
    step: impl FnOnce(&mut DbConnection) -> Result<T, Refused>,
) -> Result<Result<T, FieldErrors>, WebError> {
    match crate::db::write_transaction(conn, step) {
        Ok(value) => Ok(Ok(value)),
        Err(Refused::Fields(errors)) => Ok(Err(errors)),
        Err(Refused::Error(error)) => Err(error),
    }
}
