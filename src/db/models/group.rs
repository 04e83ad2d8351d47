//! Groups sort sites by type (Djamon's `Group`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::conflict_on_unique;
use crate::db::schema::{groups, sites};
use crate::db::slugs;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::name::Name;
use crate::domain::slug::Slug;
use crate::domain::time::now_utc;

/// The group a site joins when none is named; made on demand.
pub const DEFAULT_GROUP_SLUG: &str = "default";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = groups)]
pub struct Group {
    pub id: Id,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub display_order: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = groups)]
struct GroupRow<'a> {
    id: Id,
    name: &'a str,
    slug: &'a str,
    description: &'a str,
    display_order: i32,
    created_at: NaiveDateTime,
}

/// What a person asks for when creating or editing a group.
#[derive(Debug, Clone)]
pub struct GroupSpec {
    pub name: Name,
    /// Chosen by hand; made from the name when absent.
    pub slug: Option<Slug>,
    pub description: String,
    pub display_order: i32,
}

impl GroupSpec {
    pub fn named(name: Name) -> GroupSpec {
        GroupSpec { name, slug: None, description: String::new(), display_order: 0 }
    }
}

impl Group {
    /// Every group in display order.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Group>> {
        groups::table.order((groups::display_order.asc(), groups::name.asc())).select(Group::as_select()).load(conn)
    }

    pub fn find(conn: &mut DbConnection, id: Id) -> QueryResult<Option<Group>> {
        groups::table.find(id).select(Group::as_select()).first(conn).optional()
    }

    pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Group>> {
        groups::table.filter(groups::slug.eq(slug)).select(Group::as_select()).first(conn).optional()
    }

    /// The group with this slug, or an error that says how to find the right one.
    pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Group, DbError> {
        Group::find_by_slug(conn, slug)?
            .ok_or_else(|| DbError::NotFound(format!("there is no group `{slug}` (see `sitewatch group list`)")))
    }

    pub fn create(conn: &mut DbConnection, spec: &GroupSpec) -> Result<Group, DbError> {
        let lower = spec.name.as_str().to_lowercase();
        let same_name = Group::all(conn)?.into_iter().find(|g| g.name.to_lowercase() == lower);
        if let Some(existing) = same_name {
            return Err(DbError::Conflict(format!(
                "a group named `{}` already exists (slug `{}`)",
                existing.name, existing.slug
            )));
        }
        let slug = Group::choose_slug(conn, spec)?;
        let row = GroupRow {
            id: Id::new(),
            name: spec.name.as_str(),
            slug: slug.as_str(),
            description: spec.description.trim(),
            display_order: spec.display_order,
            created_at: now_utc(),
        };
        diesel::insert_into(groups::table)
            .values(&row)
            .execute(conn)
            .map_err(|e| conflict_on_unique(e, || format!("the group slug `{slug}` is already taken")))?;
        Ok(Group::find(conn, row.id)?.expect("the group was just inserted"))
    }

    fn choose_slug(conn: &mut DbConnection, spec: &GroupSpec) -> Result<Slug, DbError> {
        if let Some(slug) = &spec.slug {
            return match Group::find_by_slug(conn, slug.as_str())? {
                Some(_) => Err(DbError::Conflict(format!("the group slug `{slug}` is already taken"))),
                None => Ok(slug.clone()),
            };
        }
        let base = Slug::from_name(spec.name.as_str(), "group");
        let taken: Vec<String> =
            groups::table.filter(groups::slug.like(slugs::family_pattern(&base))).select(groups::slug).load(conn)?;
        Ok(slugs::first_free(&base, &taken))
    }

    /// The `default` group, created the first time a site needs it.
    pub fn default_group(conn: &mut DbConnection) -> Result<Group, DbError> {
        if let Some(group) = Group::find_by_slug(conn, DEFAULT_GROUP_SLUG)? {
            return Ok(group);
        }
        let spec = GroupSpec {
            name: Name::parse("Default").expect("a valid name"),
            slug: Some(Slug::parse(DEFAULT_GROUP_SLUG).expect("a valid slug")),
            description: String::new(),
            display_order: 0,
        };
        Group::create(conn, &spec)
    }

    /// Renames, re-describes or reorders a group; its slug changes only when one is given.
    pub fn update(conn: &mut DbConnection, id: Id, spec: &GroupSpec) -> Result<Group, DbError> {
        let lower = spec.name.as_str().to_lowercase();
        if let Some(other) = Group::all(conn)?.into_iter().find(|g| g.id != id && g.name.to_lowercase() == lower) {
            return Err(DbError::Conflict(format!("a group named `{}` already exists", other.name)));
        }
        if let Some(slug) = &spec.slug {
            if Group::find_by_slug(conn, slug.as_str())?.is_some_and(|g| g.id != id) {
                return Err(DbError::Conflict(format!("the group slug `{slug}` is already taken")));
            }
            diesel::update(groups::table.find(id)).set(groups::slug.eq(slug.as_str())).execute(conn)?;
        }
        diesel::update(groups::table.find(id))
            .set((
                groups::name.eq(spec.name.as_str()),
                groups::description.eq(spec.description.trim()),
                groups::display_order.eq(spec.display_order),
            ))
            .execute(conn)?;
        Group::find(conn, id)?.ok_or_else(|| DbError::NotFound("that group no longer exists".into()))
    }

    /// Removes an empty group; a group that still holds sites is refused with their count.
    pub fn delete(conn: &mut DbConnection, id: Id) -> Result<(), DbError> {
        let holding: i64 = sites::table.filter(sites::group_id.eq(id)).count().get_result(conn)?;
        if holding > 0 {
            return Err(DbError::Conflict(format!(
                "the group still holds {holding} site(s); move or remove them first"
            )));
        }
        diesel::delete(groups::table.find(id)).execute(conn)?;
        Ok(())
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        groups::table.count().get_result(conn)
    }

    /// A page of groups in display order.
    pub fn page(conn: &mut DbConnection, offset: i64, limit: i64) -> QueryResult<Vec<Group>> {
        groups::table
            .order((groups::display_order.asc(), groups::name.asc(), groups::id.asc()))
            .offset(offset)
            .limit(limit)
            .select(Group::as_select())
            .load(conn)
    }

    /// How many sites each group holds.
    pub fn site_counts(conn: &mut DbConnection) -> QueryResult<HashMap<Id, i64>> {
        let rows: Vec<(Id, i64)> =
            sites::table.group_by(sites::group_id).select((sites::group_id, diesel::dsl::count_star())).load(conn)?;
        Ok(rows.into_iter().collect())
    }
}
