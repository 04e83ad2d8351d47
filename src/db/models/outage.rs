//! Outages: a span of time in which one or more sites were down (`Outage` and
//! `OutageSites`). One outage groups every site down at the same time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::connection::on_each_backend;
use crate::db::models::site::Site;
use crate::db::schema::{outage_sites, outages};
use crate::db::{DbConnection, Id};

/// Rows per INSERT: 10 values a row stays below both backends' parameter limits.
const INSERT_CHUNK: usize = 500;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = outages)]
pub struct Outage {
    pub id: Id,
    pub started_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
}

/// A site's part in an outage. Name, slug and URL are copies, kept after the site is removed.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = outage_sites)]
pub struct OutageSite {
    pub id: Id,
    pub outage_id: Id,
    pub site_id: Option<Id>,
    pub site_name: String,
    pub site_slug: String,
    pub site_url: String,
    pub down_at: NaiveDateTime,
    pub up_at: Option<NaiveDateTime>,
    pub down_status_code: Option<i32>,
    pub down_error: Option<String>,
    /// With several locations: those that saw the site down when it joined, and those that saw
    /// it up (comma-separated; empty with one location).
    pub down_from: String,
    pub up_from: String,
}

impl Outage {
    /// Opens a new outage starting at `at`.
    pub fn open(conn: &mut DbConnection, at: NaiveDateTime) -> QueryResult<Outage> {
        let outage = Outage { id: Id::new(), started_at: at, resolved_at: None };
        diesel::insert_into(outages::table).values(&outage).execute(conn)?;
        Ok(outage)
    }

    pub fn resolve(conn: &mut DbConnection, id: Id, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(outages::table.find(id)).set(outages::resolved_at.eq(at)).execute(conn)
    }

    pub fn find(conn: &mut DbConnection, id: Id) -> QueryResult<Option<Outage>> {
        outages::table.find(id).select(Outage::as_select()).first(conn).optional()
    }

    /// The open outage, if any (there is at most one; the newest wins if data says otherwise).
    pub fn current(conn: &mut DbConnection) -> QueryResult<Option<Outage>> {
        outages::table
            .filter(outages::resolved_at.is_null())
            .order(outages::started_at.desc())
            .select(Outage::as_select())
            .first(conn)
            .optional()
    }

    /// Outages newest first.
    pub fn page(conn: &mut DbConnection, offset: i64, limit: i64) -> QueryResult<Vec<Outage>> {
        outages::table
            .order(outages::started_at.desc())
            .offset(offset)
            .limit(limit)
            .select(Outage::as_select())
            .load(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        outages::table.count().get_result(conn)
    }

    /// The latest reminder interval this outage has been reminded of (or that had passed when
    /// it opened); 0 before any.
    pub fn last_reminder(conn: &mut DbConnection, id: Id) -> QueryResult<i32> {
        outages::table.find(id).select(outages::last_reminder).first(conn)
    }

    /// Raises the latest reminder to `number` if the outage is still open and had not reached
    /// it. One conditional UPDATE: of two checkers asking for the same number, one gets true.
    pub fn claim_reminder(conn: &mut DbConnection, id: Id, number: i32) -> QueryResult<bool> {
        let raised = diesel::update(
            outages::table.find(id).filter(outages::resolved_at.is_null()).filter(outages::last_reminder.lt(number)),
        )
        .set(outages::last_reminder.eq(number))
        .execute(conn)?;
        Ok(raised == 1)
    }
}

impl OutageSite {
    /// The row recording that `site` joined `outage_id` at `at`, with what its failing check saw.
    pub fn joining(
        outage_id: Id,
        site: &Site,
        at: NaiveDateTime,
        status_code: Option<i32>,
        error: Option<&str>,
    ) -> OutageSite {
        OutageSite {
            id: Id::new(),
            outage_id,
            site_id: Some(site.id),
            site_name: site.name.clone(),
            site_slug: site.slug.clone(),
            site_url: site.url.clone(),
            down_at: at,
            up_at: None,
            down_status_code: status_code,
            down_error: error.map(str::to_owned),
            down_from: String::new(),
            up_from: String::new(),
        }
    }

    /// Records which locations saw a joining site down, and which saw it up.
    pub fn set_seen_from(conn: &mut DbConnection, id: Id, down_from: &str, up_from: &str) -> QueryResult<usize> {
        diesel::update(outage_sites::table.find(id))
            .set((outage_sites::down_from.eq(down_from), outage_sites::up_from.eq(up_from)))
            .execute(conn)
    }

    /// The locations that saw the site down when it joined (none with one location).
    pub fn down_locations(&self) -> Vec<&str> {
        self.down_from.split(',').filter(|n| !n.is_empty()).collect()
    }

    pub fn up_locations(&self) -> Vec<&str> {
        self.up_from.split(',').filter(|n| !n.is_empty()).collect()
    }

    /// Stores joining rows with multi-row INSERTs (a round may see thousands of sites go down).
    pub fn insert_all(conn: &mut DbConnection, rows: &[OutageSite]) -> QueryResult<usize> {
        let mut inserted = 0;
        for chunk in rows.chunks(INSERT_CHUNK) {
            inserted +=
                on_each_backend!(&mut *conn, |c| diesel::insert_into(outage_sites::table).values(chunk).execute(c))?;
        }
        Ok(inserted)
    }

    pub fn close(conn: &mut DbConnection, id: Id, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(outage_sites::table.find(id)).set(outage_sites::up_at.eq(at)).execute(conn)
    }

    /// The sites of one outage in the order they went down.
    pub fn of_outage(conn: &mut DbConnection, outage_id: Id) -> QueryResult<Vec<OutageSite>> {
        outage_sites::table
            .filter(outage_sites::outage_id.eq(outage_id))
            .order((outage_sites::down_at.asc(), outage_sites::site_name.asc()))
            .select(OutageSite::as_select())
            .load(conn)
    }

    /// The sites of several outages at once (for a page of outages).
    pub fn of_outages(conn: &mut DbConnection, outage_ids: &[Id]) -> QueryResult<Vec<OutageSite>> {
        outage_sites::table
            .filter(outage_sites::outage_id.eq_any(outage_ids))
            .order((outage_sites::down_at.asc(), outage_sites::site_name.asc()))
            .select(OutageSite::as_select())
            .load(conn)
    }

    /// `(outage_id, down_at, up_at)` of the memberships of `site_ids` that overlap `from..until`.
    pub fn overlapping(
        conn: &mut DbConnection,
        site_ids: &[Id],
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<(Id, NaiveDateTime, Option<NaiveDateTime>)>> {
        let mut rows = Vec::new();
        for chunk in site_ids.chunks(5_000) {
            rows.extend(
                outage_sites::table
                    .filter(outage_sites::site_id.eq_any(chunk))
                    .filter(outage_sites::down_at.lt(until))
                    .filter(outage_sites::up_at.is_null().or(outage_sites::up_at.gt(from)))
                    .select((outage_sites::outage_id, outage_sites::down_at, outage_sites::up_at))
                    .load::<(Id, NaiveDateTime, Option<NaiveDateTime>)>(conn)?,
            );
        }
        Ok(rows)
    }

    /// Rows of the open outage whose site has not come back yet.
    pub fn still_down(conn: &mut DbConnection, outage_id: Id) -> QueryResult<Vec<OutageSite>> {
        outage_sites::table
            .filter(outage_sites::outage_id.eq(outage_id).and(outage_sites::up_at.is_null()))
            .select(OutageSite::as_select())
            .load(conn)
    }
}

impl Outage {
    /// The outages open at some time since `from` (still open, or resolved at or after it),
    /// newest first.
    pub fn since(conn: &mut DbConnection, from: NaiveDateTime) -> QueryResult<Vec<Outage>> {
        outages::table
            .filter(outages::resolved_at.is_null().or(outages::resolved_at.ge(from)))
            .order(outages::started_at.desc())
            .select(Outage::as_select())
            .load(conn)
    }

    /// The open outages, those of `also` (outages a follower saw open before) and those
    /// resolved at or after `resolved_since`, each with its sites, in one query: what
    /// `sitewatch outages --follow` compares from one poll to the next. An outage without sites
    /// yet comes with `None`.
    pub fn followed(
        conn: &mut DbConnection,
        also: &[Id],
        resolved_since: NaiveDateTime,
    ) -> QueryResult<Vec<(Outage, Option<OutageSite>)>> {
        outages::table
            .left_join(outage_sites::table)
            .filter(
                outages::resolved_at.is_null().or(outages::resolved_at.ge(resolved_since)).or(outages::id.eq_any(also)),
            )
            .order((outages::started_at.asc(), outage_sites::down_at.asc(), outage_sites::site_name.asc()))
            .select((Outage::as_select(), Option::<OutageSite>::as_select()))
            .load(conn)
    }
}
