//! A site's state as the check round keeps it: the `last_*` mirror of the newest check and the
//! run of consecutive failures the outage rule counts.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Integer, Nullable, Text, Timestamp};

use crate::db::bulk::values_list;
use crate::db::models::site::Site;
use crate::db::models::site_view::{SiteView, ViewPing};
use crate::db::schema::sites;
use crate::db::unnest::column;
use crate::db::{DbConnection, Id, MultiBackend};
use diesel::sql_types as sql;

/// The new state of one checked site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteState {
    pub site_id: Id,
    pub checked_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_ms: i32,
    pub up: bool,
    pub consecutive_failures: i32,
    pub failing_since: Option<NaiveDateTime>,
    pub last_failure_at: Option<NaiveDateTime>,
    /// The watched certificate's expiry, and the thresholds alerted for it (`AlertedDays`).
    pub tls_expires_at: Option<NaiveDateTime>,
    pub tls_alerted_days: String,
    /// The newest check's ping figures (`last_ping_*`).
    pub ping: ViewPing,
}

/// Rows per UPDATE statement (18 parameters each).
const UPDATE_CHUNK: usize = 500;

impl Site {
    /// Every site that is not paused, in no particular order.
    pub fn active(conn: &mut DbConnection) -> QueryResult<Vec<Site>> {
        sites::table.filter(sites::active.eq(true)).select(Site::as_select()).load(conn)
    }

    /// The sites with these ids (any that no longer exist are simply absent).
    pub fn with_ids(conn: &mut DbConnection, ids: &[Id]) -> QueryResult<Vec<Site>> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(UPDATE_CHUNK) {
            found.extend(sites::table.filter(sites::id.eq_any(chunk)).select(Site::as_select()).load(conn)?);
        }
        Ok(found)
    }

    /// Marks which of the checked sites' newest check fell in a maintenance window: `covered`
    /// become true, the rest of `checked` false. Only rows that change are written, and the
    /// flagged rows are few, so an ordinary round costs one small read.
    pub fn record_maintenance(conn: &mut DbConnection, checked: &[Id], covered: &HashSet<Id>) -> QueryResult<usize> {
        let flagged: HashSet<Id> = sites::table
            .filter(sites::last_maintenance.eq(true))
            .select(sites::id)
            .load::<Id>(conn)?
            .into_iter()
            .collect();
        let set: Vec<Id> = covered.iter().filter(|id| !flagged.contains(id)).copied().collect();
        let cleared: Vec<Id> =
            checked.iter().filter(|id| flagged.contains(id) && !covered.contains(id)).copied().collect();
        let mut written = 0;
        for (ids, value) in [(set, true), (cleared, false)] {
            for chunk in ids.chunks(UPDATE_CHUNK) {
                written += diesel::update(sites::table.filter(sites::id.eq_any(chunk)))
                    .set(sites::last_maintenance.eq(value))
                    .execute(conn)?;
            }
        }
        Ok(written)
    }

    /// Writes the round's results into `sites` with one multi-row UPDATE per chunk, and counts
    /// the view of each state's check, which the round stored uncounted in this transaction
    /// (`SiteView::insert_uncounted`).
    pub fn record_states_counting_views(conn: &mut DbConnection, states: &[SiteState]) -> QueryResult<usize> {
        if let DbConnection::Postgres(pg) = conn {
            lock_rows_in_order(pg, states.iter().map(|s| s.site_id))?;
            return update_site_states_unnest(pg, states);
        }
        let mut updated = 0;
        for chunk in states.chunks(UPDATE_CHUNK) {
            let sql = format!(
                "WITH v(id, checked_at, status_code, error, response_ms, up, failures, failing_since, last_failure_at, \
                 tls_expires_at, tls_alerted_days, ping_transmitted, ping_received, ping_duplicates, ping_rtt_min_ms, \
                 ping_rtt_avg_ms, ping_rtt_max_ms, ping_rtt_mdev_ms) \
                 AS (VALUES {}) \
                 UPDATE sites SET last_checked_at = v.checked_at, last_status_code = v.status_code, \
                 last_error = v.error, last_response_ms = v.response_ms, last_up = v.up, \
                 consecutive_failures = v.failures, failing_since = v.failing_since, \
                 last_failure_at = v.last_failure_at, tls_expires_at = v.tls_expires_at, \
                 tls_alerted_days = v.tls_alerted_days, last_ping_transmitted = v.ping_transmitted, \
                 last_ping_received = v.ping_received, last_ping_duplicates = v.ping_duplicates, \
                 last_ping_rtt_min_ms = v.ping_rtt_min_ms, last_ping_rtt_avg_ms = v.ping_rtt_avg_ms, \
                 last_ping_rtt_max_ms = v.ping_rtt_max_ms, last_ping_rtt_mdev_ms = v.ping_rtt_mdev_ms, \
                 view_count = sites.view_count + 1 \
                 FROM v WHERE sites.id = v.id",
                values_list(conn, chunk.len(), 18)
            );
            let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
            for s in chunk {
                query = query
                    .bind::<Text, _>(s.site_id)
                    .bind::<Timestamp, _>(s.checked_at)
                    .bind::<Nullable<Integer>, _>(s.status_code)
                    .bind::<Nullable<Text>, _>(s.error.clone())
                    .bind::<Integer, _>(s.response_ms)
                    .bind::<Bool, _>(s.up)
                    .bind::<Integer, _>(s.consecutive_failures)
                    .bind::<Nullable<Timestamp>, _>(s.failing_since)
                    .bind::<Nullable<Timestamp>, _>(s.last_failure_at)
                    .bind::<Nullable<Timestamp>, _>(s.tls_expires_at)
                    .bind::<Text, _>(s.tls_alerted_days.clone())
                    .bind::<Nullable<Integer>, _>(s.ping.ping_transmitted)
                    .bind::<Nullable<Integer>, _>(s.ping.ping_received)
                    .bind::<Nullable<Integer>, _>(s.ping.ping_duplicates)
                    .bind::<Nullable<Double>, _>(s.ping.ping_rtt_min_ms)
                    .bind::<Nullable<Double>, _>(s.ping.ping_rtt_avg_ms)
                    .bind::<Nullable<Double>, _>(s.ping.ping_rtt_max_ms)
                    .bind::<Nullable<Double>, _>(s.ping.ping_rtt_mdev_ms);
            }
            updated += query.execute(conn)?;
        }
        Ok(updated)
    }

    /// Adds `views`, just inserted, to their sites' `view_count`.
    pub(crate) fn add_to_view_counts(conn: &mut DbConnection, views: &[SiteView]) -> QueryResult<usize> {
        let mut added: BTreeMap<Id, i64> = BTreeMap::new();
        for view in views {
            *added.entry(view.site_id).or_default() += 1;
        }
        let added: Vec<(Id, i64)> = added.into_iter().collect();
        if let DbConnection::Postgres(pg) = conn {
            lock_rows_in_order(pg, added.iter().map(|(id, _)| *id))?;
            return diesel::sql_query(
                "UPDATE sites SET view_count = sites.view_count + v.n \
                 FROM UNNEST($1::text[], $2::int8[]) AS v(id, n) WHERE sites.id = v.id",
            )
            .bind::<sql::Array<sql::Text>, _>(column(&added, |(id, _)| *id))
            .bind::<sql::Array<sql::BigInt>, _>(column(&added, |(_, n)| *n))
            .execute(pg);
        }
        let mut updated = 0;
        for chunk in added.chunks(UPDATE_CHUNK) {
            let sql = format!(
                "WITH v(id, n) AS (VALUES {}) UPDATE sites SET view_count = sites.view_count + v.n \
                 FROM v WHERE sites.id = v.id",
                values_list(conn, chunk.len(), 2)
            );
            let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
            for (id, n) in chunk {
                query = query.bind::<Text, _>(*id).bind::<sql::BigInt, _>(*n);
            }
            updated += query.execute(conn)?;
        }
        Ok(updated)
    }
}

/// Locks these sites' rows in id order before they are updated: deleting views locks their
/// sites in that order too (the counting trigger), so the two never wait for each other in a
/// cycle. FOR NO KEY UPDATE leaves the KEY SHARE locks of inserts referring to the sites alone.
fn lock_rows_in_order(conn: &mut diesel::pg::PgConnection, ids: impl Iterator<Item = Id>) -> QueryResult<usize> {
    diesel::sql_query("SELECT 1 FROM sites WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE")
        .bind::<sql::Array<sql::Text>, _>(ids.collect::<Vec<Id>>())
        .execute(conn)
}

/// The PostgreSQL statement for these rows (see `db::unnest`).
fn update_site_states_unnest(conn: &mut diesel::pg::PgConnection, states: &[SiteState]) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE sites SET last_checked_at = v.checked_at, last_status_code = v.status_code, \
         last_error = v.error, last_response_ms = v.response_ms, last_up = v.up, \
         consecutive_failures = v.failures, failing_since = v.failing_since, last_failure_at = v.last_failure_at, \
         tls_expires_at = v.tls_expires_at, tls_alerted_days = v.tls_alerted_days, \
         last_ping_transmitted = v.ping_transmitted, last_ping_received = v.ping_received, \
         last_ping_duplicates = v.ping_duplicates, last_ping_rtt_min_ms = v.ping_rtt_min_ms, \
         last_ping_rtt_avg_ms = v.ping_rtt_avg_ms, last_ping_rtt_max_ms = v.ping_rtt_max_ms, \
         last_ping_rtt_mdev_ms = v.ping_rtt_mdev_ms, view_count = sites.view_count + 1 \
         FROM UNNEST($1::text[], $2::timestamp[], $3::int4[], $4::text[], $5::int4[], $6::bool[], $7::int4[], \
         $8::timestamp[], $9::timestamp[], $10::timestamp[], $11::text[], $12::int4[], $13::int4[], $14::int4[], \
         $15::float8[], $16::float8[], $17::float8[], $18::float8[]) \
         AS v(id, checked_at, status_code, error, response_ms, up, failures, failing_since, last_failure_at, \
         tls_expires_at, tls_alerted_days, ping_transmitted, ping_received, ping_duplicates, ping_rtt_min_ms, \
         ping_rtt_avg_ms, ping_rtt_max_ms, ping_rtt_mdev_ms) \
         WHERE sites.id = v.id",
    )
    .bind::<sql::Array<sql::Text>, _>(column(states, |s| s.site_id))
    .bind::<sql::Array<sql::Timestamp>, _>(column(states, |s| s.checked_at))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(states, |s| s.status_code))
    .bind::<sql::Array<sql::Nullable<sql::Text>>, _>(column(states, |s| s.error.clone()))
    .bind::<sql::Array<sql::Integer>, _>(column(states, |s| s.response_ms))
    .bind::<sql::Array<sql::Bool>, _>(column(states, |s| s.up))
    .bind::<sql::Array<sql::Integer>, _>(column(states, |s| s.consecutive_failures))
    .bind::<sql::Array<sql::Nullable<sql::Timestamp>>, _>(column(states, |s| s.failing_since))
    .bind::<sql::Array<sql::Nullable<sql::Timestamp>>, _>(column(states, |s| s.last_failure_at))
    .bind::<sql::Array<sql::Nullable<sql::Timestamp>>, _>(column(states, |s| s.tls_expires_at))
    .bind::<sql::Array<sql::Text>, _>(column(states, |s| s.tls_alerted_days.clone()))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(states, |s| s.ping.ping_transmitted))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(states, |s| s.ping.ping_received))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(states, |s| s.ping.ping_duplicates))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(states, |s| s.ping.ping_rtt_min_ms))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(states, |s| s.ping.ping_rtt_avg_ms))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(states, |s| s.ping.ping_rtt_max_ms))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(states, |s| s.ping.ping_rtt_mdev_ms))
    .execute(conn)
}
