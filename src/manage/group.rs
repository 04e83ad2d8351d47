//! Groups: add, change and remove, with the rules every door shares (names unique ignoring
//! case, slugs made from names, only an empty group may go, `default` made on demand).

use super::error::{FieldErrors, ManageError};
use super::input::Input;
use crate::db::models::group::{DEFAULT_GROUP_SLUG, Group, GroupRow};
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::description::Description;
use crate::domain::name::Name;
use crate::domain::slug::Slug;

/// A group as a door received it: text as typed, nothing checked yet.
#[derive(Debug, Clone, Default)]
pub struct GroupFields {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub display_order: Input<i64>,
    /// Shown on the public status page; `None`: not public (new) or unchanged (a change).
    pub public: Option<bool>,
}

/// A group to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewGroup {
    pub name: Name,
    /// Made from the name when absent.
    pub slug: Option<Slug>,
    pub description: Description,
    pub display_order: i32,
    pub public: bool,
}

impl NewGroup {
    pub fn named(name: Name) -> NewGroup {
        NewGroup { name, slug: None, description: Description::default(), display_order: 0, public: false }
    }
}

/// A change to a group; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupChange {
    pub name: Option<Name>,
    pub slug: Option<Slug>,
    pub description: Option<Description>,
    pub display_order: Option<i32>,
    pub public: Option<bool>,
}

/// Display orders are small numbers; anything past this is a typo.
pub const MAX_DISPLAY_ORDER: i64 = 1_000_000;

fn display_order(errors: &mut FieldErrors, input: Input<i64>) -> Option<Option<i32>> {
    let order = |n: i64| {
        if n.abs() > MAX_DISPLAY_ORDER {
            return Err(format!(
                "{n} is out of range: a display order is from -{MAX_DISPLAY_ORDER} to {MAX_DISPLAY_ORDER}"
            ));
        }
        Ok(n as i32)
    };
    match input {
        Input::Absent | Input::Null => Some(None),
        Input::Value(n) => errors.check("display_order", order(n)).map(Some),
        Input::Unreadable(message) => {
            errors.add("display_order", message);
            None
        }
    }
}

struct Parsed {
    name: Option<Option<Name>>,
    slug: Option<Option<Slug>>,
    description: Option<Option<Description>>,
    display_order: Option<Option<i32>>,
    public: Option<bool>,
    errors: FieldErrors,
}

fn parse(fields: GroupFields) -> Parsed {
    let mut errors = FieldErrors::default();
    let name = match fields.name {
        None => Some(None),
        Some(raw) => errors.check("name", Name::parse(&raw)).map(Some),
    };
    let slug = match fields.slug.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(raw) => errors.check("slug", Slug::parse(raw)).map(Some),
    };
    let description = match fields.description {
        None => Some(None),
        Some(raw) => errors.check("description", Description::parse(&raw)).map(Some),
    };
    let display_order = display_order(&mut errors, fields.display_order);
    Parsed { name, slug, description, display_order, public: fields.public, errors }
}

impl TryFrom<GroupFields> for NewGroup {
    type Error = ManageError;

    fn try_from(fields: GroupFields) -> Result<NewGroup, ManageError> {
        let mut p = parse(fields);
        if matches!(p.name, Some(None)) {
            p.errors.add("name", "a group needs a name");
        }
        p.errors.or_value(|| {
            Some(NewGroup {
                name: p.name??,
                slug: p.slug?,
                description: p.description?.unwrap_or_default(),
                display_order: p.display_order?.unwrap_or(0),
                public: p.public.unwrap_or(false),
            })
        })
    }
}

impl TryFrom<GroupFields> for GroupChange {
    type Error = ManageError;

    fn try_from(fields: GroupFields) -> Result<GroupChange, ManageError> {
        let p = parse(fields);
        p.errors.or_value(|| {
            Some(GroupChange {
                name: p.name?,
                slug: p.slug?,
                description: p.description?,
                display_order: p.display_order?,
                public: p.public,
            })
        })
    }
}

/// Adds a group.
pub fn add(conn: &mut DbConnection, new: &NewGroup) -> Result<Group, ManageError> {
    write_transaction(conn, |c| add_in(c, new))
}

/// Changes a group's name, slug, description or order.
pub fn change(conn: &mut DbConnection, slug: &str, change: &GroupChange) -> Result<Group, ManageError> {
    write_transaction(conn, |c| {
        let group = Group::by_slug(c, slug)?;
        let name = change.name.as_ref().map_or(group.name.as_str(), Name::as_str);
        ensure_name_free(c, name, Some(group.id))?;
        let new_slug = match &change.slug {
            Some(wanted) => ensure_slug_free(c, wanted, Some(group.id))?.as_str().to_owned(),
            None => group.slug.clone(),
        };
        let row = GroupRow {
            name,
            slug: &new_slug,
            description: change.description.as_ref().map_or(group.description.as_str(), Description::as_str),
            display_order: change.display_order.unwrap_or(group.display_order),
            public: change.public.unwrap_or(group.public),
        };
        Ok(Group::update(c, group.id, &row)?)
    })
}

/// Shows a group on the public status page (`true`) or hides it.
pub fn set_public(conn: &mut DbConnection, slug: &str, public: bool) -> Result<Group, ManageError> {
    change(conn, slug, &GroupChange { public: Some(public), ..GroupChange::default() })
}

/// Removes an empty group; one that still holds sites is refused with their count.
pub fn remove(conn: &mut DbConnection, slug: &str) -> Result<Group, ManageError> {
    write_transaction(conn, |c| {
        let group = Group::by_slug(c, slug)?;
        let holding = Group::site_count(c, group.id)?;
        if holding > 0 {
            return Err(ManageError::Conflict {
                field: None,
                message: format!("the group still holds {holding} site(s); move or remove them first"),
            });
        }
        Group::delete(c, group.id)?;
        Ok(group)
    })
}

/// `add` inside a transaction the caller holds.
pub(crate) fn add_in(c: &mut DbConnection, new: &NewGroup) -> Result<Group, ManageError> {
    ensure_name_free(c, new.name.as_str(), None)?;
    let slug = match &new.slug {
        Some(wanted) => ensure_slug_free(c, wanted, None)?.clone(),
        None => Group::free_slug(c, &Slug::from_name(new.name.as_str(), "group"))?,
    };
    let row = GroupRow {
        name: new.name.as_str(),
        slug: slug.as_str(),
        description: new.description.as_str(),
        display_order: new.display_order,
        public: new.public,
    };
    Ok(Group::insert(c, &row)?)
}

/// The group a site goes to: the one named (by slug or name), or `default`, made on demand.
/// A name that matches no group is an error on the `group` field.
pub(crate) fn resolve(c: &mut DbConnection, wanted: Option<&str>) -> Result<Group, ManageError> {
    match wanted.map(str::trim).filter(|w| !w.is_empty()) {
        None => default_group(c),
        Some(wanted) => Group::find_by_reference(c, wanted)?.ok_or_else(|| {
            ManageError::invalid("group", format!("there is no group `{wanted}` (see `sitewatch group list`)"))
        }),
    }
}

/// The `default` group, created the first time a site needs it.
pub(crate) fn default_group(c: &mut DbConnection) -> Result<Group, ManageError> {
    if let Some(group) = Group::find_by_slug(c, DEFAULT_GROUP_SLUG)? {
        return Ok(group);
    }
    let new = NewGroup {
        slug: Some(Slug::parse(DEFAULT_GROUP_SLUG).expect("a valid slug")),
        ..NewGroup::named(Name::parse("Default").expect("a valid name"))
    };
    add_in(c, &new)
}

fn ensure_name_free(c: &mut DbConnection, name: &str, except: Option<Id>) -> Result<(), ManageError> {
    match Group::find_by_name(c, name)? {
        Some(other) if Some(other.id) != except => Err(ManageError::conflict(
            "name",
            format!("a group named `{}` already exists (slug `{}`)", other.name, other.slug),
        )),
        _ => Ok(()),
    }
}

fn ensure_slug_free<'s>(c: &mut DbConnection, slug: &'s Slug, except: Option<Id>) -> Result<&'s Slug, ManageError> {
    match Group::find_by_slug(c, slug.as_str())? {
        Some(other) if Some(other.id) != except => {
            Err(ManageError::conflict("slug", format!("the group slug `{slug}` is already taken")))
        }
        _ => Ok(slug),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str) -> GroupFields {
        GroupFields { name: Some(name.into()), ..GroupFields::default() }
    }

    #[test]
    fn a_new_group_needs_a_name_and_reads_every_field() {
        let group = NewGroup::try_from(GroupFields {
            slug: Some("web".into()),
            description: Some(" Shops ".into()),
            display_order: Input::Value(2),
            ..fields("Web")
        })
        .unwrap();
        assert_eq!(group.name.as_str(), "Web");
        assert_eq!(group.slug.unwrap().as_str(), "web");
        assert_eq!(group.description.as_str(), "Shops");
        assert_eq!(group.display_order, 2);

        let Err(ManageError::Invalid(errors)) = NewGroup::try_from(GroupFields::default()) else { panic!() };
        assert_eq!(errors.first_field(), Some("name"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let Err(ManageError::Invalid(errors)) = NewGroup::try_from(GroupFields {
            name: Some(" ".into()),
            slug: Some("Not A Slug".into()),
            description: Some("x".repeat(2_001)),
            display_order: Input::Value(i64::MAX),
            public: None,
        }) else {
            panic!("expected field errors")
        };
        let named: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(named, ["name", "slug", "description", "display_order"]);
    }

    #[test]
    fn a_change_leaves_what_is_not_given() {
        let change = GroupChange::try_from(GroupFields { display_order: Input::Value(-1), ..GroupFields::default() });
        assert_eq!(change.unwrap(), GroupChange { display_order: Some(-1), ..GroupChange::default() });
    }
}
