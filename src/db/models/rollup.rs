//! Rollups: per site and hour (written by each check round), per site and UTC day (the sum of
//! the day's hours, written once the day is over) and per site and calendar month (the sum of
//! its days). The tables have the same columns but for the name of the period's start.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Integer, Nullable, Text, Timestamp};

use crate::db::MultiBackend;
use crate::db::bulk::values_list;
use crate::db::models::site_view::SiteView;
use crate::db::schema::{site_rollups_daily, site_rollups_hourly, site_rollups_monthly};
use crate::db::unnest::column;
use crate::db::{DbConnection, Id};
use crate::domain::histogram::Histogram;
use crate::domain::outcomes::OutcomeCounts;
use crate::domain::rollup::{Figures, PingSums, hour_start};
use diesel::sql_types as sql;

/// Site ids per lookup (well below both backends' bind limits).
const SELECT_CHUNK: usize = 5_000;

/// Rows per upsert statement on SQLite (14 values each).
const UPSERT_CHUNK: usize = 500;

/// The stored form of one period's figures, shared by both tables.
pub trait RollupRecord: Sized {
    /// The table, and the column holding the start of the period.
    const TABLE: &'static str;
    const START: &'static str;
    fn site_id(&self) -> Id;
    fn start(&self) -> NaiveDateTime;
    fn figures(&self) -> Figures;
    fn from_figures(site_id: Id, start: NaiveDateTime, figures: &Figures) -> Self;
    fn columns(&self) -> StoredColumns<'_>;
}

/// The columns after the key, borrowed from a row.
pub struct StoredColumns<'a> {
    pub checks: i32,
    pub ups: i32,
    pub responses: i32,
    pub response_ms_sum: i64,
    pub response_ms_min: Option<i32>,
    pub response_ms_max: Option<i32>,
    pub histogram: &'a [u8],
    pub outcomes: &'a str,
    pub ping_transmitted: i32,
    pub ping_received: i32,
    pub ping_jitter_checks: i32,
    pub ping_mdev_us_sum: i64,
}

impl StoredColumns<'_> {
    pub fn ping(&self) -> PingSums {
        PingSums {
            transmitted: self.ping_transmitted.max(0) as u64,
            received: self.ping_received.max(0) as u64,
            jitter_checks: self.ping_jitter_checks.max(0) as u64,
            mdev_us_sum: self.ping_mdev_us_sum.max(0) as u64,
        }
    }
}

/// A row's figures; a corrupt histogram or outcome list reads as empty rather than failing a page.
fn figures_of(c: StoredColumns<'_>) -> Figures {
    Figures {
        ping: c.ping(),
        checks: c.checks.max(0) as u64,
        ups: c.ups.max(0) as u64,
        responses: c.responses.max(0) as u64,
        response_ms_sum: c.response_ms_sum.max(0) as u64,
        response_ms_min: c.response_ms_min.map(|v| v.max(0) as u32),
        response_ms_max: c.response_ms_max.map(|v| v.max(0) as u32),
        histogram: Histogram::decode(c.histogram).unwrap_or_default(),
        outcomes: OutcomeCounts::decode(c.outcomes).unwrap_or_default(),
    }
}

fn saturate(value: u64) -> i32 {
    value.min(i32::MAX as u64) as i32
}

macro_rules! rollup_table {
    ($(#[$doc:meta])* $name:ident, $table:ident, $start:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
        #[diesel(table_name = $table)]
        pub struct $name {
            pub site_id: Id,
            pub $start: NaiveDateTime,
            pub checks: i32,
            pub ups: i32,
            pub responses: i32,
            pub response_ms_sum: i64,
            pub response_ms_min: Option<i32>,
            pub response_ms_max: Option<i32>,
            pub histogram: Vec<u8>,
            pub outcomes: String,
            pub ping_transmitted: i32,
            pub ping_received: i32,
            pub ping_jitter_checks: i32,
            pub ping_mdev_us_sum: i64,
        }

        impl RollupRecord for $name {
            const TABLE: &'static str = stringify!($table);
            const START: &'static str = stringify!($start);

            fn site_id(&self) -> Id {
                self.site_id
            }

            fn start(&self) -> NaiveDateTime {
                self.$start
            }

            fn figures(&self) -> Figures {
                figures_of(self.columns())
            }

            fn from_figures(site_id: Id, start: NaiveDateTime, f: &Figures) -> Self {
                $name {
                    site_id,
                    $start: start,
                    checks: saturate(f.checks),
                    ups: saturate(f.ups),
                    responses: saturate(f.responses),
                    response_ms_sum: f.response_ms_sum.min(i64::MAX as u64) as i64,
                    response_ms_min: f.response_ms_min.map(|v| saturate(u64::from(v))),
                    response_ms_max: f.response_ms_max.map(|v| saturate(u64::from(v))),
                    histogram: f.histogram.encode(),
                    outcomes: f.outcomes.encode(),
                    ping_transmitted: saturate(f.ping.transmitted),
                    ping_received: saturate(f.ping.received),
                    ping_jitter_checks: saturate(f.ping.jitter_checks),
                    ping_mdev_us_sum: f.ping.mdev_us_sum.min(i64::MAX as u64) as i64,
                }
            }

            fn columns(&self) -> StoredColumns<'_> {
                StoredColumns {
                    checks: self.checks,
                    ups: self.ups,
                    responses: self.responses,
                    response_ms_sum: self.response_ms_sum,
                    response_ms_min: self.response_ms_min,
                    response_ms_max: self.response_ms_max,
                    histogram: &self.histogram,
                    outcomes: &self.outcomes,
                    ping_transmitted: self.ping_transmitted,
                    ping_received: self.ping_received,
                    ping_jitter_checks: self.ping_jitter_checks,
                    ping_mdev_us_sum: self.ping_mdev_us_sum,
                }
            }
        }

        impl $name {
            /// The rows of `site_ids` for periods starting in `from..until`, by site, oldest first.
            pub fn for_sites(
                conn: &mut DbConnection,
                site_ids: &[Id],
                from: NaiveDateTime,
                until: NaiveDateTime,
            ) -> QueryResult<Vec<$name>> {
                let mut rows = Vec::new();
                for chunk in site_ids.chunks(SELECT_CHUNK) {
                    rows.extend(
                        $table::table
                            .filter($table::site_id.eq_any(chunk))
                            .filter($table::$start.ge(from).and($table::$start.lt(until)))
                            .order(($table::site_id.asc(), $table::$start.asc()))
                            .select($name::as_select())
                            .load(conn)?,
                    );
                }
                Ok(rows)
            }

            /// Every site's rows for periods starting in `from..until`.
            pub fn all_between(
                conn: &mut DbConnection,
                from: NaiveDateTime,
                until: NaiveDateTime,
            ) -> QueryResult<Vec<$name>> {
                $table::table
                    .filter($table::$start.ge(from).and($table::$start.lt(until)))
                    .select($name::as_select())
                    .load(conn)
            }

            /// Writes rows, replacing any with the same site and start.
            pub fn upsert_all(conn: &mut DbConnection, rows: &[$name]) -> QueryResult<usize> {
                upsert_records(conn, rows)
            }

            /// Deletes the rows of periods starting before `cutoff`; returns how many.
            pub fn delete_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
                diesel::delete($table::table.filter($table::$start.lt(cutoff))).execute(conn)
            }

            /// The start of the oldest period stored, if any.
            pub fn oldest_start(conn: &mut DbConnection) -> QueryResult<Option<NaiveDateTime>> {
                $table::table.select(diesel::dsl::min($table::$start)).first(conn)
            }

            pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
                $table::table.count().get_result(conn)
            }
        }
    };
}

rollup_table!(
    /// Per site and hour: the figures of that hour's checks.
    HourlyRollup,
    site_rollups_hourly,
    hour_start
);

rollup_table!(
    /// Per site and UTC day: the sum of the day's hourly rollups.
    DailyRollup,
    site_rollups_daily,
    day_start
);

rollup_table!(
    /// Per site and calendar month (UTC): the sum of the month's daily rollups.
    MonthlyRollup,
    site_rollups_monthly,
    month_start
);

/// An hour's counts for one site: `(site_id, hour_start, checks, ups, responses, response_ms_sum)`.
pub type HourCounts = (Id, NaiveDateTime, i32, i32, i32, i64);

impl HourlyRollup {
    /// Adds `views` to the rollups of their sites and hours. Reads the touched rows, merges in
    /// memory and writes them back; call inside the round's transaction, under the run lock.
    /// Checks made during maintenance are left out: availability never counts them.
    pub fn add_views(conn: &mut DbConnection, views: &[SiteView]) -> QueryResult<usize> {
        let mut touched: HashMap<(Id, NaiveDateTime), Figures> = HashMap::new();
        for view in views.iter().filter(|v| !v.maintenance) {
            view.add_to(touched.entry((view.site_id, hour_start(view.checked_at))).or_default());
        }
        let hours: Vec<NaiveDateTime> = sorted_unique(touched.keys().map(|(_, h)| *h));
        let site_ids: Vec<Id> = sorted_unique(touched.keys().map(|(s, _)| *s));
        for chunk in site_ids.chunks(SELECT_CHUNK) {
            let existing: Vec<HourlyRollup> = site_rollups_hourly::table
                .filter(site_rollups_hourly::site_id.eq_any(chunk))
                .filter(site_rollups_hourly::hour_start.eq_any(&hours))
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
        HourlyRollup::upsert_all(conn, &rows)
    }

    /// Every site's hourly counts since `since` without the histograms: what the dashboard's
    /// uptime and sparklines need, at a fraction of the bytes.
    pub fn counts_since(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<Vec<HourCounts>> {
        use site_rollups_hourly as h;
        h::table
            .filter(h::hour_start.ge(since))
            .select((h::site_id, h::hour_start, h::checks, h::ups, h::responses, h::response_ms_sum))
            .load(conn)
    }

    /// Which of `keys` (site, hour) have a row.
    pub fn existing_keys(
        conn: &mut DbConnection,
        site_ids: &[Id],
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<(Id, NaiveDateTime)>> {
        use site_rollups_hourly as h;
        let mut keys = Vec::new();
        for chunk in site_ids.chunks(SELECT_CHUNK) {
            keys.extend(
                h::table
                    .filter(h::site_id.eq_any(chunk))
                    .filter(h::hour_start.ge(from).and(h::hour_start.lt(until)))
                    .select((h::site_id, h::hour_start))
                    .load::<(Id, NaiveDateTime)>(conn)?,
            );
        }
        Ok(keys)
    }
}

fn sorted_unique<T: Ord>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut items: Vec<T> = items.collect();
    items.sort_unstable();
    items.dedup();
    items
}

const VALUE_COLUMNS: [&str; 12] = [
    "checks",
    "ups",
    "responses",
    "response_ms_sum",
    "response_ms_min",
    "response_ms_max",
    "histogram",
    "outcomes",
    "ping_transmitted",
    "ping_received",
    "ping_jitter_checks",
    "ping_mdev_us_sum",
];

fn upsert_records<R: RollupRecord>(conn: &mut DbConnection, rows: &[R]) -> QueryResult<usize> {
    if let DbConnection::Postgres(pg) = conn {
        return upsert_rollups_unnest(pg, rows);
    }
    let mut written = 0;
    for chunk in rows.chunks(UPSERT_CHUNK) {
        written += upsert_chunk(conn, chunk)?;
    }
    Ok(written)
}

/// One multi-row `INSERT ... ON CONFLICT DO UPDATE` (diesel's builder cannot batch an upsert on
/// SQLite); `values_list` writes the placeholders each backend wants.
fn upsert_chunk<R: RollupRecord>(conn: &mut DbConnection, rows: &[R]) -> QueryResult<usize> {
    let updates: Vec<String> = VALUE_COLUMNS.iter().map(|c| format!("{c} = excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO {table} (site_id, {start}, {values}) VALUES {list} \
         ON CONFLICT (site_id, {start}) DO UPDATE SET {updates}",
        table = R::TABLE,
        start = R::START,
        values = VALUE_COLUMNS.join(", "),
        list = values_list(conn, rows.len(), VALUE_COLUMNS.len() + 2),
        updates = updates.join(", "),
    );
    let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
    for row in rows {
        let c = row.columns();
        query = query
            .bind::<Text, _>(row.site_id())
            .bind::<Timestamp, _>(row.start())
            .bind::<Integer, _>(c.checks)
            .bind::<Integer, _>(c.ups)
            .bind::<Integer, _>(c.responses)
            .bind::<BigInt, _>(c.response_ms_sum)
            .bind::<Nullable<Integer>, _>(c.response_ms_min)
            .bind::<Nullable<Integer>, _>(c.response_ms_max)
            .bind::<Binary, _>(c.histogram.to_vec())
            .bind::<Text, _>(c.outcomes.to_owned())
            .bind::<Integer, _>(c.ping_transmitted)
            .bind::<Integer, _>(c.ping_received)
            .bind::<Integer, _>(c.ping_jitter_checks)
            .bind::<BigInt, _>(c.ping_mdev_us_sum);
    }
    query.execute(conn)
}

/// The PostgreSQL statement for these rows (see `db::unnest`).
fn upsert_rollups_unnest<R: RollupRecord>(conn: &mut diesel::pg::PgConnection, rows: &[R]) -> QueryResult<usize> {
    let (table, start) = (R::TABLE, R::START);
    diesel::sql_query(format!(
        "INSERT INTO {table} (site_id, {start}, checks, ups, responses, response_ms_sum, \
         response_ms_min, response_ms_max, histogram, outcomes, ping_transmitted, ping_received, \
         ping_jitter_checks, ping_mdev_us_sum) \
         SELECT * FROM UNNEST($1::text[], $2::timestamp[], $3::int4[], $4::int4[], $5::int4[], $6::int8[], \
         $7::int4[], $8::int4[], $9::bytea[], $10::text[], $11::int4[], $12::int4[], $13::int4[], $14::int8[]) \
         ON CONFLICT (site_id, {start}) DO UPDATE SET checks = excluded.checks, ups = excluded.ups, \
         responses = excluded.responses, response_ms_sum = excluded.response_ms_sum, \
         response_ms_min = excluded.response_ms_min, response_ms_max = excluded.response_ms_max, \
         histogram = excluded.histogram, outcomes = excluded.outcomes, \
         ping_transmitted = excluded.ping_transmitted, ping_received = excluded.ping_received, \
         ping_jitter_checks = excluded.ping_jitter_checks, ping_mdev_us_sum = excluded.ping_mdev_us_sum"
    ))
    .bind::<sql::Array<sql::Text>, _>(column(rows, |r| r.site_id()))
    .bind::<sql::Array<sql::Timestamp>, _>(column(rows, |r| r.start()))
    .bind::<sql::Array<sql::Integer>, _>(column(rows, |r| r.columns().checks))
    .bind::<sql::Array<sql::Integer>, _>(column(rows, |r| r.columns().ups))
    .bind::<sql::Array<sql::Integer>, _>(column(rows, |r| r.columns().responses))
    .bind::<sql::Array<sql::BigInt>, _>(column(rows, |r| r.columns().response_ms_sum))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(rows, |r| r.columns().response_ms_min))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(rows, |r| r.columns().response_ms_max))
    .bind::<sql::Array<sql::Binary>, _>(column(rows, |r| r.columns().histogram.to_vec()))
    .bind::<sql::Array<sql::Text>, _>(column(rows, |r| r.columns().outcomes.to_owned()))
    .bind::<sql::Array<sql::Integer>, _>(column(rows, |r| r.columns().ping_transmitted))
    .bind::<sql::Array<sql::Integer>, _>(column(rows, |r| r.columns().ping_received))
    .bind::<sql::Array<sql::Integer>, _>(column(rows, |r| r.columns().ping_jitter_checks))
    .bind::<sql::Array<sql::BigInt>, _>(column(rows, |r| r.columns().ping_mdev_us_sum))
    .execute(conn)
}
