//! Hourly rollups: per site and hour, the figures of that hour's checks.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Integer, Nullable, Text, Timestamp};

use crate::db::MultiBackend;
use crate::db::bulk::values_list;
use crate::db::models::site_view::SiteView;
use crate::db::schema::site_rollups_hourly as hourly;
use crate::db::unnest;
use crate::db::{DbConnection, Id};
use crate::domain::histogram::Histogram;
use crate::domain::outcomes::OutcomeCounts;
use crate::domain::rollup::{Figures, hour_start};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = hourly)]
pub struct HourlyRollup {
    pub site_id: Id,
    pub hour_start: NaiveDateTime,
    pub checks: i32,
    pub ups: i32,
    pub responses: i32,
    pub response_ms_sum: i64,
    pub response_ms_min: Option<i32>,
    pub response_ms_max: Option<i32>,
    pub histogram: Vec<u8>,
    pub outcomes: String,
}

/// An hour's counts for one site: `(site_id, hour_start, checks, ups, responses, response_ms_sum)`.
pub type HourCounts = (Id, NaiveDateTime, i32, i32, i32, i64);

/// Site ids per lookup of the rows a round touches (well below both backends' bind limits).
const SELECT_CHUNK: usize = 5_000;

/// Rows per upsert statement on SQLite (10 values each).
const UPSERT_CHUNK: usize = 500;

impl HourlyRollup {
    /// The row's figures; a corrupt histogram or outcome list reads as empty rather than failing a page.
    pub fn figures(&self) -> Figures {
        Figures {
            checks: self.checks.max(0) as u64,
            ups: self.ups.max(0) as u64,
            responses: self.responses.max(0) as u64,
            response_ms_sum: self.response_ms_sum.max(0) as u64,
            response_ms_min: self.response_ms_min.map(|v| v.max(0) as u32),
            response_ms_max: self.response_ms_max.map(|v| v.max(0) as u32),
            histogram: Histogram::decode(&self.histogram).unwrap_or_default(),
            outcomes: OutcomeCounts::decode(&self.outcomes).unwrap_or_default(),
        }
    }

    fn from_figures(site_id: Id, hour_start: NaiveDateTime, f: &Figures) -> HourlyRollup {
        HourlyRollup {
            site_id,
            hour_start,
            checks: f.checks as i32,
            ups: f.ups as i32,
            responses: f.responses as i32,
            response_ms_sum: f.response_ms_sum as i64,
            response_ms_min: f.response_ms_min.map(|v| v as i32),
            response_ms_max: f.response_ms_max.map(|v| v as i32),
            histogram: f.histogram.encode(),
            outcomes: f.outcomes.encode(),
        }
    }

    /// Adds `views` to the rollups of their sites and hours. Reads the touched rows, merges in
    /// memory and writes them back; call inside the round's transaction, under the run lock.
    pub fn add_views(conn: &mut DbConnection, views: &[SiteView]) -> QueryResult<usize> {
        let mut touched: HashMap<(Id, NaiveDateTime), Figures> = HashMap::new();
        for view in views {
            touched.entry((view.site_id, hour_start(view.checked_at))).or_default().add_check(
                view.up,
                view.status_code,
                view.error.as_deref(),
                view.response_ms.max(0) as u32,
            );
        }
        let hours: Vec<NaiveDateTime> = {
            let mut hours: Vec<NaiveDateTime> = touched.keys().map(|(_, h)| *h).collect();
            hours.sort_unstable();
            hours.dedup();
            hours
        };
        let site_ids: Vec<Id> = {
            let mut ids: Vec<Id> = touched.keys().map(|(s, _)| *s).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        for chunk in site_ids.chunks(SELECT_CHUNK) {
            let existing: Vec<HourlyRollup> = hourly::table
                .filter(hourly::site_id.eq_any(chunk).and(hourly::hour_start.eq_any(&hours)))
                .select(HourlyRollup::as_select())
                .load(conn)?;
            for row in existing {
                if let Some(figures) = touched.get_mut(&(row.site_id, row.hour_start)) {
                    figures.merge(&row.figures());
                }
            }
        }
        let rows: Vec<HourlyRollup> =
            touched.iter().map(|((site, hour), figures)| HourlyRollup::from_figures(*site, *hour, figures)).collect();
        if let DbConnection::Postgres(pg) = conn {
            return unnest::upsert_hourly_rollups(pg, &rows);
        }
        let mut written = 0;
        for chunk in rows.chunks(UPSERT_CHUNK) {
            written += upsert(conn, chunk)?;
        }
        Ok(written)
    }

    /// Every site's rollups for hours starting at or after `since` (the dashboard's last 24 h).
    pub fn all_since(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<Vec<HourlyRollup>> {
        hourly::table
            .filter(hourly::hour_start.ge(since))
            .order((hourly::site_id.asc(), hourly::hour_start.asc()))
            .select(HourlyRollup::as_select())
            .load(conn)
    }

    /// Every site's hourly counts since `since` without the histograms: what the dashboard's
    /// uptime and sparklines need, at a fraction of the bytes.
    pub fn counts_since(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<Vec<HourCounts>> {
        hourly::table
            .filter(hourly::hour_start.ge(since))
            .select((
                hourly::site_id,
                hourly::hour_start,
                hourly::checks,
                hourly::ups,
                hourly::responses,
                hourly::response_ms_sum,
            ))
            .load(conn)
    }

    /// One site's rollups for hours in `from..until`, oldest first.
    pub fn for_site(
        conn: &mut DbConnection,
        site_id: Id,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<HourlyRollup>> {
        hourly::table
            .filter(hourly::site_id.eq(site_id).and(hourly::hour_start.ge(from)).and(hourly::hour_start.lt(until)))
            .order(hourly::hour_start.asc())
            .select(HourlyRollup::as_select())
            .load(conn)
    }
}

const COLUMNS: [&str; 10] = [
    "site_id",
    "hour_start",
    "checks",
    "ups",
    "responses",
    "response_ms_sum",
    "response_ms_min",
    "response_ms_max",
    "histogram",
    "outcomes",
];

/// One multi-row `INSERT ... ON CONFLICT DO UPDATE`, the same SQL on SQLite and PostgreSQL
/// (`$n` parameters number in order on both). diesel's builder cannot batch an upsert on SQLite.
fn upsert(conn: &mut DbConnection, rows: &[HourlyRollup]) -> QueryResult<usize> {
    let mut sql = format!(
        "INSERT INTO site_rollups_hourly ({}) VALUES {}",
        COLUMNS.join(", "),
        values_list(conn, rows.len(), COLUMNS.len())
    );
    let updates: Vec<String> = COLUMNS[2..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
    sql.push_str(&format!(" ON CONFLICT (site_id, hour_start) DO UPDATE SET {}", updates.join(", ")));

    let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
    for row in rows {
        query = query
            .bind::<Text, _>(row.site_id)
            .bind::<Timestamp, _>(row.hour_start)
            .bind::<Integer, _>(row.checks)
            .bind::<Integer, _>(row.ups)
            .bind::<Integer, _>(row.responses)
            .bind::<BigInt, _>(row.response_ms_sum)
            .bind::<Nullable<Integer>, _>(row.response_ms_min)
            .bind::<Nullable<Integer>, _>(row.response_ms_max)
            .bind::<Binary, _>(row.histogram.clone())
            .bind::<Text, _>(row.outcomes.clone());
    }
    query.execute(conn)
}
