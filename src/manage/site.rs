//! Sites: add, change, pause, resume and remove, with the rules every door shares (a URL is
//! watched once, the name defaults to the host, slugs are made from names, the group defaults
//! to `default`, and an emptied `default` group goes away with its last site).

use super::error::{FieldErrors, ManageError};
use super::group;
use super::input::Input;
use crate::db::models::group::{DEFAULT_GROUP_SLUG, Group};
use crate::db::models::site::{NewSiteRow, Site, SiteChangeRow};
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::check_options::{CheckOptions, CheckOptionsError};
use crate::domain::interval::parse_interval_secs;
use crate::domain::keyword::Keyword;
use crate::domain::name::Name;
use crate::domain::site_url::SiteUrl;
use crate::domain::slug::Slug;
use crate::domain::time::now_utc;

/// A site as a door received it: text as typed, nothing checked yet.
#[derive(Debug, Clone, Default)]
pub struct SiteFields {
    pub url: Option<String>,
    /// `None`: not given (a new site is named after its host). `Some("")` is refused.
    pub name: Option<String>,
    /// A group's slug or name.
    pub group: Option<String>,
    pub interval_secs: Input<i64>,
    pub slug: Option<String>,
    pub active: Option<bool>,
    /// Echo requests per ping check (ping sites only).
    pub probes: Input<i64>,
    /// Text the page must hold (http(s) sites only); `Some("")` clears it on a change.
    pub keyword: Option<String>,
    /// Up when the keyword is absent rather than present.
    pub keyword_absent: Option<bool>,
}

/// A site to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSite {
    pub url: SiteUrl,
    /// The URL's host when absent.
    pub name: Option<Name>,
    /// A group's slug or name; `default` (made on demand) when absent.
    pub group: Option<String>,
    /// Seconds between checks; every round when absent.
    pub interval_secs: Option<u32>,
    /// Made from the name when absent.
    pub slug: Option<Slug>,
    /// Ping probes and the keyword rule, checked against the URL's kind.
    pub check: CheckOptions,
}

impl NewSite {
    pub fn at(url: SiteUrl) -> NewSite {
        NewSite { url, name: None, group: None, interval_secs: None, slug: None, check: CheckOptions::default() }
    }

    /// The name to store: the one given, or the URL's host.
    pub fn display_name(&self) -> Result<Name, ManageError> {
        match &self.name {
            Some(name) => Ok(name.clone()),
            None => Name::parse(self.url.host()).map_err(|e| ManageError::invalid("name", e.to_string())),
        }
    }
}

/// A change to a site; `None` leaves a field as it is. The slug never changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteChange {
    pub url: Option<SiteUrl>,
    pub name: Option<Name>,
    pub group: Option<String>,
    /// `Some(None)` checks the site every round again.
    pub interval_secs: Option<Option<u32>>,
    pub active: Option<bool>,
    /// `Some(None)`: back to `check.ping_probes`.
    pub probes: Option<Option<i64>>,
    /// `Some(None)`: no keyword any more.
    pub keyword: Option<Option<String>>,
    pub keyword_absent: Option<bool>,
}

fn interval(errors: &mut FieldErrors, input: Input<i64>) -> Option<Option<Option<u32>>> {
    match input {
        Input::Absent => Some(None),
        Input::Null => Some(Some(None)),
        Input::Value(n) => errors.check("interval_secs", parse_interval_secs(n)).map(|s| Some(Some(s))),
        Input::Unreadable(message) => {
            errors.add("interval_secs", message);
            None
        }
    }
}

/// A check option refused for the site's kind, as an error on its own field.
fn check_option_error(errors: &mut FieldErrors, error: CheckOptionsError) {
    let field = error.field();
    let message = error.to_string();
    errors.add(field, message.strip_prefix(&format!("{field}: ")).unwrap_or(&message).to_owned());
}

/// The probes given as a number, or the error noted against `probes`.
fn probes(errors: &mut FieldErrors, input: Input<i64>) -> Option<Option<Option<i64>>> {
    match input {
        Input::Absent => Some(None),
        Input::Null => Some(Some(None)),
        Input::Value(n) => Some(Some(Some(n))),
        Input::Unreadable(message) => {
            errors.add("probes", message);
            None
        }
    }
}

impl TryFrom<SiteFields> for NewSite {
    type Error = ManageError;

    fn try_from(fields: SiteFields) -> Result<NewSite, ManageError> {
        let mut errors = FieldErrors::default();
        let url = match fields.url.as_deref() {
            None => {
                errors.add("url", "a site needs a URL, e.g. https://example.com/");
                None
            }
            Some(raw) => errors.check("url", SiteUrl::parse(raw)),
        };
        let name = match fields.name.as_deref() {
            None => Some(None),
            Some(raw) => errors.check("name", Name::parse(raw)).map(Some),
        };
        let interval_secs = interval(&mut errors, fields.interval_secs);
        let slug = match fields.slug.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => errors.check("slug", Slug::parse(raw)).map(Some),
        };
        if fields.active == Some(false) {
            errors.add("active", "a new site is always active; pause it once added");
        }
        let probes = probes(&mut errors, fields.probes);
        let keyword = fields.keyword.as_deref().filter(|k| !k.is_empty());
        let check = match (&url, &probes) {
            (Some(url), Some(probes)) => {
                let parsed =
                    CheckOptions::parse(url.kind(), probes.flatten(), keyword, fields.keyword_absent.unwrap_or(false));
                parsed.map_err(|e| check_option_error(&mut errors, e)).ok()
            }
            _ => None,
        };
        errors.or_value(|| {
            Some(NewSite {
                url: url?,
                name: name?,
                group: fields.group.filter(|g| !g.trim().is_empty()),
                interval_secs: interval_secs?.flatten(),
                slug: slug?,
                check: check?,
            })
        })
    }
}

impl TryFrom<SiteFields> for SiteChange {
    type Error = ManageError;

    fn try_from(fields: SiteFields) -> Result<SiteChange, ManageError> {
        let mut errors = FieldErrors::default();
        let url = match fields.url.as_deref() {
            None => Some(None),
            Some(raw) => errors.check("url", SiteUrl::parse(raw)).map(Some),
        };
        let name = match fields.name.as_deref() {
            None => Some(None),
            Some(raw) => errors.check("name", Name::parse(raw)).map(Some),
        };
        let interval_secs = interval(&mut errors, fields.interval_secs);
        if fields.slug.is_some() {
            errors.add("slug", "a site's slug cannot be changed; add the site again under another slug");
        }
        let probes = probes(&mut errors, fields.probes);
        let keyword = fields.keyword.map(|k| Some(k).filter(|k| !k.is_empty()));
        errors.or_value(|| {
            Some(SiteChange {
                url: url?,
                name: name?,
                group: fields.group,
                interval_secs: interval_secs?,
                active: fields.active,
                probes: probes?,
                keyword,
                keyword_absent: fields.keyword_absent,
            })
        })
    }
}

/// Adds a site; returns it with its group.
pub fn add(conn: &mut DbConnection, new: &NewSite) -> Result<(Site, Group), ManageError> {
    write_transaction(conn, |c| {
        if let Some(existing) = Site::find_by_url(c, new.url.as_str())? {
            return Err(already_watched(&new.url, &existing.slug));
        }
        let name = new.display_name()?;
        let slug = match &new.slug {
            Some(wanted) if Site::find_by_slug(c, wanted.as_str())?.is_some() => return Err(slug_taken(wanted)),
            Some(wanted) => wanted.clone(),
            None => Site::free_slug(c, &Slug::from_name(name.as_str(), "site"))?,
        };
        let group = group::resolve(c, new.group.as_deref())?;
        let id = Id::new();
        Site::insert_all(c, &[new_row(id, group.id, &name, &slug, new)])?;
        let site = Site::find(c, id)?.expect("the site was just inserted");
        Ok((site, group))
    })
}

/// Changes a site; returns it with its group.
pub fn change(conn: &mut DbConnection, slug: &str, change: &SiteChange) -> Result<(Site, Group), ManageError> {
    write_transaction(conn, |c| {
        let site = Site::by_slug(c, slug)?;
        if let Some(url) = &change.url
            && let Some(other) = Site::find_by_url(c, url.as_str())?.filter(|other| other.id != site.id)
        {
            return Err(already_watched(url, &other.slug));
        }
        let group_id = match change.group.as_deref() {
            Some(wanted) => Some(group::resolve(c, Some(wanted))?.id),
            None => None,
        };
        let row = SiteChangeRow {
            name: change.name.as_ref().map(Name::as_str),
            url: change.url.as_ref().map(SiteUrl::as_str),
            group_id,
            interval_secs: change.interval_secs.map(|i| i.map(|s| s as i32)),
            active: change.active,
        };
        let check = changed_options(&site, change)?;
        let site = Site::update(c, site.id, &row)?;
        if let Some(check) = check {
            Site::set_check_options(c, site.id, &check)?;
        }
        let site = Site::find(c, site.id)?.expect("the site was just changed");
        let group = Group::find(c, site.group_id)?.expect("a site's group exists (foreign key)");
        Ok((site, group))
    })
}

/// The site's check options after `change`, checked against its (possibly new) kind; `None`
/// when the change touches neither them nor the URL.
fn changed_options(site: &Site, change: &SiteChange) -> Result<Option<CheckOptions>, ManageError> {
    let touched = change.probes.is_some() || change.keyword.is_some() || change.keyword_absent.is_some();
    if !touched && change.url.is_none() {
        return Ok(None);
    }
    let current = site.check_options();
    let kind = match &change.url {
        Some(url) => url.kind(),
        None => SiteUrl::parse(&site.url).map(|u| u.kind()).map_err(|e| ManageError::invalid("url", e.to_string()))?,
    };
    let probes = change.probes.unwrap_or(current.probes.map(|p| i64::from(p.get())));
    let keyword = match &change.keyword {
        Some(keyword) => keyword.clone(),
        None => current.keyword.as_ref().map(|k| k.as_str().to_owned()),
    };
    let absent = change.keyword_absent.unwrap_or(current.keyword_absent && keyword.is_some());
    let mut errors = FieldErrors::default();
    let parsed = CheckOptions::parse(kind, probes, keyword.as_deref(), absent)
        .map_err(|e| check_option_error(&mut errors, e))
        .ok();
    errors.or_value(|| parsed).map(Some)
}

/// Pauses (`false`) or resumes (`true`) checks of a site.
pub fn set_active(conn: &mut DbConnection, slug: &str, active: bool) -> Result<Site, ManageError> {
    change(conn, slug, &SiteChange { active: Some(active), ..SiteChange::default() }).map(|(site, _)| site)
}

/// Stops watching a site and deletes its check history; past outages keep its name. The
/// automatic `default` group goes too once its last site has.
pub fn remove(conn: &mut DbConnection, slug: &str) -> Result<Site, ManageError> {
    write_transaction(conn, |c| {
        let site = Site::by_slug(c, slug)?;
        Site::delete(c, site.id)?;
        if let Some(group) = Group::find(c, site.group_id)?
            && group.slug == DEFAULT_GROUP_SLUG
            && Group::site_count(c, group.id)? == 0
        {
            Group::delete(c, group.id)?;
        }
        Ok(site)
    })
}

/// The row for a new site whose name, slug and group are settled.
pub(crate) fn new_row<'a>(id: Id, group_id: Id, name: &'a Name, slug: &'a Slug, new: &'a NewSite) -> NewSiteRow<'a> {
    NewSiteRow {
        id,
        group_id,
        name: name.as_str(),
        slug: slug.as_str(),
        url: new.url.as_str(),
        active: true,
        interval_secs: new.interval_secs.map(|s| s as i32),
        created_at: now_utc(),
        probes: new.check.probes.map(|p| p.get() as i32),
        keyword: new.check.keyword.as_ref().map(Keyword::as_str),
        keyword_absent: new.check.keyword_absent,
    }
}

pub(crate) fn already_watched(url: &SiteUrl, slug: &str) -> ManageError {
    ManageError::conflict("url", format!("{url} is already watched as `{slug}`"))
}

pub(crate) fn slug_taken(slug: &Slug) -> ManageError {
    ManageError::conflict("slug", format!("the site slug `{slug}` is already taken"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(url: &str) -> SiteFields {
        SiteFields { url: Some(url.into()), ..SiteFields::default() }
    }

    #[test]
    fn a_new_site_defaults_its_name_group_and_interval() {
        let site = NewSite::try_from(fields("https://shop.example.com/")).unwrap();
        assert_eq!(site.name, None);
        assert_eq!(site.display_name().unwrap().as_str(), "shop.example.com");
        assert_eq!((site.group, site.interval_secs, site.slug), (None, None, None));
    }

    #[test]
    fn an_explicitly_empty_name_is_refused_not_defaulted() {
        let Err(ManageError::Invalid(errors)) =
            NewSite::try_from(SiteFields { name: Some(String::new()), ..fields("https://a.example/") })
        else {
            panic!("an empty name must be refused")
        };
        assert_eq!(errors.first_field(), Some("name"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let Err(ManageError::Invalid(errors)) = NewSite::try_from(SiteFields {
            url: Some("ftp://a.example/".into()),
            name: Some("a\nb".into()),
            interval_secs: Input::Unreadable("`soon` is not a whole number".into()),
            slug: Some("No Slug".into()),
            active: Some(false),
            ..SiteFields::default()
        }) else {
            panic!("expected field errors")
        };
        let named: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(named, ["url", "name", "interval_secs", "slug", "active"]);
        let Err(ManageError::Invalid(errors)) = NewSite::try_from(SiteFields::default()) else { panic!() };
        assert_eq!(errors.first_field(), Some("url"));
    }

    #[test]
    fn a_change_tells_cleared_from_not_given() {
        let change = SiteChange::try_from(SiteFields { interval_secs: Input::Null, ..SiteFields::default() }).unwrap();
        assert_eq!(change.interval_secs, Some(None));
        let change = SiteChange::try_from(SiteFields::default()).unwrap();
        assert_eq!(change, SiteChange::default());
        let change = SiteChange::try_from(SiteFields { interval_secs: Input::Value(0), ..SiteFields::default() });
        assert!(matches!(change, Err(ManageError::Invalid(e)) if e.first_field() == Some("interval_secs")));
    }
}
