//! Groups sort sites by type: one row per group, and the queries the use cases build on.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::conflict_on_unique;
use crate::db::schema::{groups, sites};
use crate::db::slugs;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::slug::{MAX_LEN as SLUG_MAX, Slug};
use crate::domain::text::could_be_stored;
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
    /// Shown without login on `/status` and on badges.
    pub public: bool,
}

/// A group's stored fields, for an insert or a whole-row update.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = groups)]
pub struct GroupRow<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub display_order: i32,
    pub public: bool,
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
        if !could_be_stored(slug, SLUG_MAX) {
            return Ok(None);
        }
        groups::table.filter(groups::slug.eq(slug)).select(Group::as_select()).first(conn).optional()
    }

    /// The group with this slug, or an error that says how to find the right one.
    pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Group, DbError> {
        Group::find_by_slug(conn, slug)?
            .ok_or_else(|| DbError::NotFound(format!("there is no group `{slug}` (see `sitewatch group list`)")))
    }

    /// The group whose name equals `name` ignoring case (Unicode-aware, so compared here
    /// rather than by the database's ASCII-only `lower`).
    pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<Group>> {
        let lower = name.trim().to_lowercase();
        Ok(Group::all(conn)?.into_iter().find(|g| g.name.to_lowercase() == lower))
    }

    /// A group named by its slug or, failing that, by its name.
    pub fn find_by_reference(conn: &mut DbConnection, wanted: &str) -> QueryResult<Option<Group>> {
        match Group::find_by_slug(conn, wanted.trim())? {
            Some(group) => Ok(Some(group)),
            None => Group::find_by_name(conn, wanted),
        }
    }

    /// `base`, or the first of `base-2`, `base-3`, ... no group has yet.
    pub fn free_slug(conn: &mut DbConnection, base: &Slug) -> QueryResult<Slug> {
        let taken: Vec<String> =
            groups::table.filter(groups::slug.like(slugs::family_pattern(base))).select(groups::slug).load(conn)?;
        Ok(base.first_free(|candidate| taken.iter().any(|t| t == candidate)))
    }

    pub fn insert(conn: &mut DbConnection, row: &GroupRow<'_>) -> Result<Group, DbError> {
        let id = Id::new();
        diesel::insert_into(groups::table)
            .values((row, groups::id.eq(id), groups::created_at.eq(now_utc())))
            .execute(conn)
            .map_err(|e| conflict_on_unique(e, || format!("the group slug `{}` is already taken", row.slug)))?;
        Ok(Group::find(conn, id)?.expect("the group was just inserted"))
    }

    pub fn update(conn: &mut DbConnection, id: Id, row: &GroupRow<'_>) -> Result<Group, DbError> {
        diesel::update(groups::table.find(id))
            .set(row)
            .execute(conn)
            .map_err(|e| conflict_on_unique(e, || format!("the group slug `{}` is already taken", row.slug)))?;
        Group::find(conn, id)?.ok_or_else(|| DbError::NotFound("that group no longer exists".into()))
    }

    pub fn delete(conn: &mut DbConnection, id: Id) -> QueryResult<usize> {
        diesel::delete(groups::table.find(id)).execute(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        groups::table.count().get_result(conn)
    }

    /// How many sites the group holds.
    pub fn site_count(conn: &mut DbConnection, id: Id) -> QueryResult<i64> {
        sites::table.filter(sites::group_id.eq(id)).count().get_result(conn)
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

    /// The public groups in display order.
    pub fn public(conn: &mut DbConnection) -> QueryResult<Vec<Group>> {
        groups::table
            .filter(groups::public.eq(true))
            .order((groups::display_order.asc(), groups::name.asc()))
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
