//! Checks and ups per site between two times, summed by the database from the raw views or a
//! rollup table: what `/metrics` needs for every site at once (no histograms). Checks made
//! during maintenance count in neither, as the rollups leave them out.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use chrono::NaiveDateTime;

use super::{DbConnection, Id, MultiBackend};

/// Where the checks of a stretch of time are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountSource {
    Views,
    Hourly,
    Daily,
    Monthly,
}

impl CountSource {
    /// The table, its time column, and the sums of checks and ups over its rows.
    fn sql(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            CountSource::Views => (
                "site_views",
                "checked_at",
                "SUM(CASE WHEN maintenance THEN 0 ELSE 1 END)",
                "SUM(CASE WHEN up AND NOT maintenance THEN 1 ELSE 0 END)",
            ),
            CountSource::Hourly => ("site_rollups_hourly", "hour_start", "SUM(checks)", "SUM(ups)"),
            CountSource::Daily => ("site_rollups_daily", "day_start", "SUM(checks)", "SUM(ups)"),
            CountSource::Monthly => ("site_rollups_monthly", "month_start", "SUM(checks)", "SUM(ups)"),
        }
    }
}

#[derive(QueryableByName)]
pub struct SiteCounts {
    #[diesel(sql_type = Text)]
    pub site_id: Id,
    #[diesel(sql_type = BigInt)]
    pub checks: i64,
    #[diesel(sql_type = BigInt)]
    pub ups: i64,
}

/// Checks and ups of every site with rows in `from <= t < until` of `source`.
pub fn site_counts(
    conn: &mut DbConnection,
    source: CountSource,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<SiteCounts>> {
    let (table, column, checks, ups) = source.sql();
    let (first, second) = match conn {
        DbConnection::Sqlite(_) => ("?", "?"),
        DbConnection::Postgres(_) => ("$1", "$2"),
    };
    let sql = format!(
        "SELECT site_id, CAST({checks} AS BIGINT) AS checks, CAST({ups} AS BIGINT) AS ups FROM {table} \
         WHERE {column} >= {first} AND {column} < {second} GROUP BY site_id"
    );
    diesel::sql_query(sql)
        .into_boxed::<MultiBackend>()
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(until)
        .load(conn)
}
