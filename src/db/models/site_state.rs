//! A site's state as the check round keeps it: the `last_*` mirror of the newest check and the
//! run of consecutive failures the outage rule counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamp};

use crate::db::bulk::values_list;
use crate::db::models::site::Site;
use crate::db::schema::sites;
use crate::db::unnest;
use crate::db::{DbConnection, Id, MultiBackend};

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
}

/// Rows per UPDATE statement (9 parameters each).
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

    /// Writes the round's results into `sites` with one multi-row UPDATE per chunk.
    pub fn record_states(conn: &mut DbConnection, states: &[SiteState]) -> QueryResult<usize> {
        if let DbConnection::Postgres(pg) = conn {
            return unnest::update_site_states(pg, states);
        }
        let mut updated = 0;
        for chunk in states.chunks(UPDATE_CHUNK) {
            let sql = format!(
                "WITH v(id, checked_at, status_code, error, response_ms, up, failures, failing_since, last_failure_at) \
                 AS (VALUES {}) \
                 UPDATE sites SET last_checked_at = v.checked_at, last_status_code = v.status_code, \
                 last_error = v.error, last_response_ms = v.response_ms, last_up = v.up, \
                 consecutive_failures = v.failures, failing_since = v.failing_since, \
                 last_failure_at = v.last_failure_at \
                 FROM v WHERE sites.id = v.id",
                values_list(conn, chunk.len(), 9)
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
                    .bind::<Nullable<Timestamp>, _>(s.last_failure_at);
            }
            updated += query.execute(conn)?;
        }
        Ok(updated)
    }
}
