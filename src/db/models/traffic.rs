//! The traffic watch's rows: each access log's current mean and alert state (`traffic_logs`),
//! its hits per minute of log time (`traffic_minutes`) and its alert history
//! (`traffic_alerts`). All times are log time, UTC.
//!
//! A page showing a log reads `TrafficLog::all` for the rate and state, `TrafficMinute::between`
//! for a 24-hour chart ending at the log's `as_of`, and `TrafficAlert::recent` for the history.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Timestamp};

use crate::db::bulk::values_list;
use crate::db::schema::{traffic_alerts, traffic_logs, traffic_minutes};
use crate::db::{DbConnection, Id, MultiBackend};

/// Rows per upsert statement (3 parameters each).
const UPSERT_CHUNK: usize = 300;

/// One watched log as of its latest evaluated second.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = traffic_logs)]
pub struct TrafficLog {
    pub name: String,
    pub path: String,
    pub threshold: f64,
    pub window_secs: i32,
    /// Mean hits per second over the window ending at `as_of`.
    pub mean: f64,
    /// The log second the current alert began at; `None` when traffic is at or below the threshold.
    pub alerting_since: Option<NaiveDateTime>,
    /// `None` until the first line has been read.
    pub as_of: Option<NaiveDateTime>,
    /// Wall-clock time of the last write (a log nobody watches any more stops moving).
    pub updated_at: NaiveDateTime,
}

impl TrafficLog {
    /// Writes the log's row, replacing the one it had.
    pub fn upsert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        let sql = format!(
            "INSERT INTO traffic_logs (name, path, threshold, window_secs, mean, alerting_since, as_of, updated_at) \
             VALUES {} ON CONFLICT (name) DO UPDATE SET path = excluded.path, threshold = excluded.threshold, \
             window_secs = excluded.window_secs, mean = excluded.mean, alerting_since = excluded.alerting_since, \
             as_of = excluded.as_of, updated_at = excluded.updated_at",
            values_list(conn, 1, 8)
        );
        diesel::sql_query(sql)
            .into_boxed::<MultiBackend>()
            .bind::<Text, _>(&self.name)
            .bind::<Text, _>(&self.path)
            .bind::<Double, _>(self.threshold)
            .bind::<Integer, _>(self.window_secs)
            .bind::<Double, _>(self.mean)
            .bind::<Nullable<Timestamp>, _>(self.alerting_since)
            .bind::<Nullable<Timestamp>, _>(self.as_of)
            .bind::<Timestamp, _>(self.updated_at)
            .execute(conn)
    }

    /// Every log, by name.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<TrafficLog>> {
        traffic_logs::table.order(traffic_logs::name.asc()).select(TrafficLog::as_select()).load(conn)
    }

    pub fn by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<TrafficLog>> {
        traffic_logs::table.find(name).select(TrafficLog::as_select()).first(conn).optional()
    }
}

/// Hits in one minute of a log's time.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = traffic_minutes)]
pub struct TrafficMinute {
    pub log: String,
    pub minute: NaiveDateTime,
    pub hits: i64,
}

impl TrafficMinute {
    /// Stores `(minute, hits)` of `log`. A minute already stored keeps the larger count: a run
    /// restarted mid-minute saw only part of it, and a replay sees the same lines again.
    pub fn upsert_all(conn: &mut DbConnection, log: &str, minutes: &[(NaiveDateTime, i64)]) -> QueryResult<usize> {
        let larger = match conn {
            DbConnection::Sqlite(_) => "MAX(traffic_minutes.hits, excluded.hits)",
            DbConnection::Postgres(_) => "GREATEST(traffic_minutes.hits, excluded.hits)",
        };
        let mut written = 0;
        for chunk in minutes.chunks(UPSERT_CHUNK) {
            let sql = format!(
                "INSERT INTO traffic_minutes (log, minute, hits) VALUES {} \
                 ON CONFLICT (log, minute) DO UPDATE SET hits = {larger}",
                values_list(conn, chunk.len(), 3)
            );
            let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
            for (minute, hits) in chunk {
                query = query.bind::<Text, _>(log).bind::<Timestamp, _>(*minute).bind::<BigInt, _>(*hits);
            }
            written += query.execute(conn)?;
        }
        Ok(written)
    }

    /// `log`'s minutes starting in `from..until`, oldest first; minutes without hits are absent.
    pub fn between(
        conn: &mut DbConnection,
        log: &str,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<TrafficMinute>> {
        traffic_minutes::table
            .filter(traffic_minutes::log.eq(log))
            .filter(traffic_minutes::minute.ge(from).and(traffic_minutes::minute.lt(until)))
            .order(traffic_minutes::minute.asc())
            .select(TrafficMinute::as_select())
            .load(conn)
    }

    /// Deletes every log's minutes starting before `cutoff` (retention: the minutes of a log
    /// nobody watches any more); returns how many.
    pub fn delete_all_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(traffic_minutes::table.filter(traffic_minutes::minute.lt(cutoff))).execute(conn)
    }

    /// Deletes `log`'s minutes starting before `cutoff`; returns how many.
    pub fn delete_before(conn: &mut DbConnection, log: &str, cutoff: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(
            traffic_minutes::table.filter(traffic_minutes::log.eq(log)).filter(traffic_minutes::minute.lt(cutoff)),
        )
        .execute(conn)
    }
}

/// One alert or recovery of a log.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = traffic_alerts)]
pub struct TrafficAlert {
    pub id: Id,
    pub log: String,
    /// `traffic_high` or `traffic_recovered`.
    pub event: String,
    pub mean: f64,
    pub threshold: f64,
    pub window_secs: i32,
    /// The log second at which the mean crossed the threshold.
    pub log_time: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

impl TrafficAlert {
    /// Records the alert unless the same log, event and second are recorded already; true when
    /// this call recorded it (and its notification should be queued).
    pub fn insert_new(&self, conn: &mut DbConnection) -> QueryResult<bool> {
        let sql = format!(
            "INSERT INTO traffic_alerts (id, log, event, mean, threshold, window_secs, log_time, created_at) \
             VALUES {} ON CONFLICT (log, event, log_time) DO NOTHING",
            values_list(conn, 1, 8)
        );
        let inserted = diesel::sql_query(sql)
            .into_boxed::<MultiBackend>()
            .bind::<Text, _>(self.id)
            .bind::<Text, _>(&self.log)
            .bind::<Text, _>(&self.event)
            .bind::<Double, _>(self.mean)
            .bind::<Double, _>(self.threshold)
            .bind::<Integer, _>(self.window_secs)
            .bind::<Timestamp, _>(self.log_time)
            .bind::<Timestamp, _>(self.created_at)
            .execute(conn)?;
        Ok(inserted == 1)
    }

    /// Deletes the alerts recorded before `cutoff` (wall clock); returns how many.
    pub fn delete_recorded_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(traffic_alerts::table.filter(traffic_alerts::created_at.lt(cutoff))).execute(conn)
    }

    /// `log`'s latest alerts, newest first.
    pub fn recent(conn: &mut DbConnection, log: &str, limit: i64) -> QueryResult<Vec<TrafficAlert>> {
        traffic_alerts::table
            .filter(traffic_alerts::log.eq(log))
            .order((traffic_alerts::log_time.desc(), traffic_alerts::created_at.desc()))
            .limit(limit)
            .select(TrafficAlert::as_select())
            .load(conn)
    }
}
