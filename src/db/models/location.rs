//! Locations (where checkers run) and each location's newest check of each site, with its own
//! run of consecutive failures; plus the database's clock and the lock that serialises the
//! site-level decision between locations.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types as sql;

use crate::db::MultiBackend;
use crate::db::bulk::values_list;
use crate::db::connection::on_each_backend;
use crate::db::models::site_view::SiteView;
use crate::db::schema::{locations, site_locations};
use crate::db::unnest::column;
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::quorum::{self, LocationClock};
use crate::domain::time::now_utc;

/// Arbitrary constant naming the outage-decision lock among PostgreSQL advisory locks.
const POSTGRES_DECISION_LOCK: i64 = 0x5357_0003;
/// Arbitrary constant naming the per-site locks of stored checks (the first of two keys).
const POSTGRES_SITE_LOCKS: i32 = 0x5357_0004;

/// Site ids per lookup, well below both backends' bind limits.
const SITE_CHUNK: usize = 5_000;

/// Rows per upsert statement on SQLite (8 values each, well below its bind limit).
const SQLITE_UPSERT_CHUNK: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = locations)]
pub struct Location {
    pub name: String,
    pub created_at: NaiveDateTime,
    /// The end of the last round that checked sites or found itself offline (database clock).
    pub last_round_at: Option<NaiveDateTime>,
    /// `done`, `offline` or `failed`; empty before the first round ends.
    pub last_round_state: String,
    /// It stopped reporting and `location_stale` went out; cleared (with `location_back`) when it reports again.
    pub stale: bool,
}

impl Location {
    pub fn clock(&self) -> LocationClock {
        LocationClock { last_round_at: self.last_round_at, offline: self.last_round_state == "offline" }
    }

    /// Every location, by name.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Location>> {
        locations::table.order(locations::name.asc()).select(Location::as_select()).load(conn)
    }

    /// Every location, by name, locking their rows until the transaction ends.
    pub fn all_for_update(conn: &mut DbConnection) -> QueryResult<Vec<Location>> {
        match conn {
            DbConnection::Postgres(pg) => {
                locations::table.order(locations::name.asc()).select(Location::as_select()).for_update().load(pg)
            }
            // SQLite's write transaction already excludes every other writer.
            DbConnection::Sqlite(_) => Location::all(conn),
        }
    }

    /// Adds the location if it is new; an existing row is left as it is.
    pub fn register(conn: &mut DbConnection, name: &str) -> QueryResult<()> {
        let now = now_utc();
        on_each_backend!(conn, |c| diesel::insert_into(locations::table)
            .values((locations::name.eq(name), locations::created_at.eq(now)))
            .on_conflict(locations::name)
            .do_nothing()
            .execute(c))?;
        Ok(())
    }

    /// Records the end of a round that reported (`done` or `offline`) at `at` (database clock).
    pub fn reported(conn: &mut DbConnection, name: &str, at: NaiveDateTime, state: &str) -> QueryResult<usize> {
        diesel::update(locations::table.find(name))
            .set((locations::last_round_at.eq(Some(at)), locations::last_round_state.eq(state)))
            .execute(conn)
    }

    /// Records a round that failed: the location's last report stays as it was.
    pub fn failed(conn: &mut DbConnection, name: &str) -> QueryResult<usize> {
        diesel::update(locations::table.find(name)).set(locations::last_round_state.eq("failed")).execute(conn)
    }

    pub fn set_stale(conn: &mut DbConnection, name: &str, stale: bool) -> QueryResult<usize> {
        diesel::update(locations::table.find(name)).set(locations::stale.eq(stale)).execute(conn)
    }

    /// Every location with whether it votes now (live), measured on the database's clock.
    pub fn statuses(conn: &mut DbConnection, stale_secs: u64) -> QueryResult<Vec<LocationStatus>> {
        let now = database_now(conn)?;
        Ok(Location::all(conn)?
            .into_iter()
            .map(|location| {
                let live = quorum::is_live(location.clock(), now, stale_secs);
                LocationStatus { location, live }
            })
            .collect())
    }

    /// Forgets a location that no longer runs, with its per-site state; its views stay.
    pub fn remove(conn: &mut DbConnection, name: &str) -> QueryResult<usize> {
        write_transaction(conn, |c| {
            diesel::delete(site_locations::table.filter(site_locations::location.eq(name))).execute(c)?;
            diesel::delete(locations::table.find(name)).execute(c)
        })
    }
}

/// A location and whether it votes now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationStatus {
    pub location: Location,
    pub live: bool,
}

/// The database's clock, in UTC: liveness and staleness are measured on it, never on a
/// checker's clock, so machines with drifting clocks still agree.
pub fn database_now(conn: &mut DbConnection) -> QueryResult<NaiveDateTime> {
    #[derive(QueryableByName)]
    struct Now {
        #[diesel(sql_type = sql::Timestamp)]
        now: NaiveDateTime,
    }
    match conn {
        DbConnection::Postgres(pg) => {
            let row: Now =
                diesel::sql_query("SELECT CAST(now() AT TIME ZONE 'UTC' AS timestamp) AS now").get_result(pg)?;
            Ok(row.now)
        }
        // SQLite runs on the checker's own machine: its clock is the database's.
        DbConnection::Sqlite(_) => Ok(now_utc()),
    }
}

/// Serialises the site-level decisions of several locations until the transaction ends: the
/// open outage, the locations' votes and the outage change are done by one location at a time,
/// so two rounds finishing together never open two outages or queue an alert twice.
/// PostgreSQL: a transaction-level advisory lock. SQLite: its write transaction (`BEGIN
/// IMMEDIATE`) already excludes every other writer.
///
/// A transaction that also takes site locks takes them first (see [`lock_sites`]); the holder
/// of this lock never waits for a site lock, so waits cannot cycle.
pub fn lock_decision(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<sql::BigInt, _>(POSTGRES_DECISION_LOCK)
            .execute(pg)?;
    }
    Ok(())
}

/// Serialises, site by site, the batches of checks several locations store at once: a site's
/// hourly rollup is read, merged and written back, and its state replaced, by one location at a
/// time, so no rollup loses a check, while batches of other sites go on in parallel. Taken
/// first in a batch's transaction, in one statement, in ascending key order, so two batches
/// never wait for each other in a cycle. PostgreSQL: transaction-level advisory locks keyed by
/// a hash of the site id (two sites sharing a hash only wait for each other). SQLite: its write
/// transaction already excludes every other writer.
pub fn lock_sites(conn: &mut DbConnection, ids: &[Id]) -> QueryResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock($1, key) FROM \
             (SELECT DISTINCT hashtext(id) AS key FROM UNNEST($2::text[]) AS id ORDER BY key) AS keys",
        )
        .bind::<sql::Integer, _>(POSTGRES_SITE_LOCKS)
        .bind::<sql::Array<sql::Text>, _>(ids.iter().map(|id| id.to_string()).collect::<Vec<_>>())
        .execute(pg)?;
    }
    Ok(())
}

/// One location's newest check of one site.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = site_locations)]
pub struct SiteLocation {
    pub site_id: Id,
    pub location: String,
    pub checked_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_ms: i32,
    pub up: bool,
    pub consecutive_failures: i32,
}

impl SiteLocation {
    /// `location`'s row for the site of a stored view, with its run of failures.
    pub fn of_view(view: &SiteView, location: &str, consecutive_failures: u32) -> SiteLocation {
        SiteLocation {
            site_id: view.site_id,
            location: location.to_owned(),
            checked_at: view.checked_at,
            status_code: view.status_code,
            error: view.error.clone(),
            response_ms: view.response_ms,
            up: view.up,
            consecutive_failures: consecutive_failures.min(i32::MAX as u32) as i32,
        }
    }

    /// The rows of these sites, every location.
    pub fn of_sites(conn: &mut DbConnection, ids: &[Id]) -> QueryResult<Vec<SiteLocation>> {
        by_chunks(ids, |chunk| {
            site_locations::table
                .filter(site_locations::site_id.eq_any(chunk))
                .select(SiteLocation::as_select())
                .load(conn)
        })
    }

    /// The rows of these sites from every location but `location`.
    pub fn of_sites_elsewhere(conn: &mut DbConnection, ids: &[Id], location: &str) -> QueryResult<Vec<SiteLocation>> {
        by_chunks(ids, |chunk| {
            site_locations::table
                .filter(site_locations::site_id.eq_any(chunk))
                .filter(site_locations::location.ne(location))
                .select(SiteLocation::as_select())
                .load(conn)
        })
    }

    /// One site's rows, by location name.
    pub fn of_site(conn: &mut DbConnection, site_id: Id) -> QueryResult<Vec<SiteLocation>> {
        site_locations::table
            .filter(site_locations::site_id.eq(site_id))
            .order(site_locations::location.asc())
            .select(SiteLocation::as_select())
            .load(conn)
    }

    /// When `location` last checked each site it has checked, and its run of failures then.
    pub fn left_at(conn: &mut DbConnection, location: &str) -> QueryResult<HashMap<Id, (NaiveDateTime, i32)>> {
        let rows: Vec<(Id, NaiveDateTime, i32)> = site_locations::table
            .filter(site_locations::location.eq(location))
            .select((site_locations::site_id, site_locations::checked_at, site_locations::consecutive_failures))
            .load(conn)?;
        Ok(rows.into_iter().map(|(id, at, run)| (id, (at, run))).collect())
    }

    /// Every row, for the metrics and the API.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<SiteLocation>> {
        site_locations::table
            .order((site_locations::site_id.asc(), site_locations::location.asc()))
            .select(SiteLocation::as_select())
            .load(conn)
    }

    /// Inserts or replaces the rows (one location's newest checks).
    pub fn upsert_all(conn: &mut DbConnection, rows: &[SiteLocation]) -> QueryResult<usize> {
        let mut sorted = rows.to_vec();
        sorted.sort_by_key(|r| r.site_id);
        match conn {
            DbConnection::Postgres(pg) => diesel::sql_query(
                "INSERT INTO site_locations (site_id, location, checked_at, status_code, error, response_ms, up, \
                 consecutive_failures) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamp[], $4::int4[], $5::text[], $6::int4[], \
                 $7::bool[], $8::int4[]) \
                 ON CONFLICT (site_id, location) DO UPDATE SET checked_at = EXCLUDED.checked_at, \
                 status_code = EXCLUDED.status_code, error = EXCLUDED.error, response_ms = EXCLUDED.response_ms, \
                 up = EXCLUDED.up, consecutive_failures = EXCLUDED.consecutive_failures",
            )
            .bind::<sql::Array<sql::Text>, _>(column(&sorted, |r| r.site_id))
            .bind::<sql::Array<sql::Text>, _>(column(&sorted, |r| r.location.clone()))
            .bind::<sql::Array<sql::Timestamp>, _>(column(&sorted, |r| r.checked_at))
            .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(&sorted, |r| r.status_code))
            .bind::<sql::Array<sql::Nullable<sql::Text>>, _>(column(&sorted, |r| r.error.clone()))
            .bind::<sql::Array<sql::Integer>, _>(column(&sorted, |r| r.response_ms))
            .bind::<sql::Array<sql::Bool>, _>(column(&sorted, |r| r.up))
            .bind::<sql::Array<sql::Integer>, _>(column(&sorted, |r| r.consecutive_failures))
            .execute(pg),
            DbConnection::Sqlite(_) => {
                let mut written = 0;
                for chunk in sorted.chunks(SQLITE_UPSERT_CHUNK) {
                    written += upsert_chunk(conn, chunk)?;
                }
                Ok(written)
            }
        }
    }
}

/// The rows `load` finds for `ids`, asked `SITE_CHUNK` ids at a time.
fn by_chunks<T>(ids: &[Id], mut load: impl FnMut(&[Id]) -> QueryResult<Vec<T>>) -> QueryResult<Vec<T>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(SITE_CHUNK) {
        found.extend(load(chunk)?);
    }
    Ok(found)
}

/// One multi-row `INSERT ... ON CONFLICT DO UPDATE` on SQLite (diesel's builder cannot batch
/// an upsert there).
fn upsert_chunk(conn: &mut DbConnection, rows: &[SiteLocation]) -> QueryResult<usize> {
    use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamp};
    let sql = format!(
        "INSERT INTO site_locations (site_id, location, checked_at, status_code, error, response_ms, up, \
         consecutive_failures) VALUES {} \
         ON CONFLICT (site_id, location) DO UPDATE SET checked_at = excluded.checked_at, \
         status_code = excluded.status_code, error = excluded.error, response_ms = excluded.response_ms, \
         up = excluded.up, consecutive_failures = excluded.consecutive_failures",
        values_list(conn, rows.len(), 8)
    );
    let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
    for row in rows {
        query = query
            .bind::<Text, _>(row.site_id)
            .bind::<Text, _>(row.location.clone())
            .bind::<Timestamp, _>(row.checked_at)
            .bind::<Nullable<Integer>, _>(row.status_code)
            .bind::<Nullable<Text>, _>(row.error.clone())
            .bind::<Integer, _>(row.response_ms)
            .bind::<Bool, _>(row.up)
            .bind::<Integer, _>(row.consecutive_failures);
    }
    query.execute(conn)
}
