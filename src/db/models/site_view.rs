//! Site views: one row per check of a site. The table grows fast.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::connection::on_each_backend;
use crate::db::models::site::Site;
use crate::db::schema::site_views;
use crate::db::unnest::column;
use crate::db::{DbConnection, Id};
use crate::domain::ping::PingStats;
use crate::domain::quorum::DEFAULT_LOCATION;
use crate::domain::rollup::Figures;
use diesel::sql_types as sql;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = site_views)]
pub struct SiteView {
    pub site_id: Id,
    pub checked_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_ms: i32,
    pub up: bool,
    /// Checked during a maintenance window: left out of availability and rollups.
    pub maintenance: bool,
    /// A ping check's figures; all `None` for other kinds.
    #[diesel(embed)]
    pub ping: ViewPing,
}

/// The ping columns of a view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = site_views)]
pub struct ViewPing {
    pub ping_transmitted: Option<i32>,
    pub ping_received: Option<i32>,
    pub ping_duplicates: Option<i32>,
    pub ping_rtt_min_ms: Option<f64>,
    pub ping_rtt_avg_ms: Option<f64>,
    pub ping_rtt_max_ms: Option<f64>,
    pub ping_rtt_mdev_ms: Option<f64>,
}

impl ViewPing {
    /// No ping figures: the view of an HTTP or TCP check.
    pub const NONE: ViewPing = ViewPing {
        ping_transmitted: None,
        ping_received: None,
        ping_duplicates: None,
        ping_rtt_min_ms: None,
        ping_rtt_avg_ms: None,
        ping_rtt_max_ms: None,
        ping_rtt_mdev_ms: None,
    };

    pub fn of(stats: Option<&PingStats>) -> ViewPing {
        let Some(s) = stats else { return ViewPing::NONE };
        let count = |n: u32| Some(n.min(i32::MAX as u32) as i32);
        ViewPing {
            ping_transmitted: count(s.transmitted),
            ping_received: count(s.received),
            ping_duplicates: count(s.duplicates),
            ping_rtt_min_ms: s.rtt_min_ms,
            ping_rtt_avg_ms: s.rtt_avg_ms,
            ping_rtt_max_ms: s.rtt_max_ms,
            ping_rtt_mdev_ms: s.rtt_mdev_ms,
        }
    }

    /// The figures, with the loss; `None` for a check that was not a ping.
    pub fn stats(&self) -> Option<PingStats> {
        PingStats::from_stored(
            (self.ping_transmitted, self.ping_received, self.ping_duplicates),
            (self.ping_rtt_min_ms, self.ping_rtt_avg_ms, self.ping_rtt_max_ms, self.ping_rtt_mdev_ms),
        )
    }
}

/// Site ids per lookup, well below both backends' bind limits.
const SITE_CHUNK: usize = 5_000;

/// Rows per INSERT: 14 values a row stays far below SQLite's and PostgreSQL's bind limits.
const INSERT_CHUNK: usize = 1_000;

impl SiteView {
    /// Counts this check in `figures`.
    pub fn add_to(&self, figures: &mut Figures) {
        figures.add_check(self.up, self.status_code, self.error.as_deref(), self.response_ms.max(0) as u32);
        if let Some(stats) = self.ping.stats() {
            figures.ping.add(&stats);
        }
    }

    /// Stores views checked from the default location with multi-row INSERTs and adds them to
    /// their sites' `view_count`; call inside a transaction. Rows go in in site order, so the
    /// locks their foreign keys take on sites come in the order a purge takes its locks in.
    pub fn insert_all(conn: &mut DbConnection, views: &[SiteView]) -> QueryResult<usize> {
        let inserted = SiteView::insert_uncounted(conn, DEFAULT_LOCATION, views)?;
        Site::add_to_view_counts(conn, views)?;
        Ok(inserted)
    }

    /// Stores views without counting them: the caller adds each to its site's `view_count` in
    /// the same transaction, as a check round does with the state it records for the site
    /// (`Site::record_states_counting_views`), sparing the site's row a second rewrite.
    /// (Deleted views are counted by the database.)
    pub fn insert_uncounted(conn: &mut DbConnection, location: &str, views: &[SiteView]) -> QueryResult<usize> {
        let mut sorted: Vec<&SiteView> = views.iter().collect();
        sorted.sort_by_key(|v| (v.site_id, v.checked_at));
        let sorted: Vec<SiteView> = sorted.into_iter().cloned().collect();
        match conn {
            DbConnection::Postgres(pg) => insert_views_unnest(pg, location, &sorted),
            DbConnection::Sqlite(_) => {
                let mut inserted = 0;
                for chunk in sorted.chunks(INSERT_CHUNK) {
                    let rows: Vec<_> = chunk.iter().map(|v| (v, site_views::location.eq(location))).collect();
                    inserted += on_each_backend!(&mut *conn, |c| diesel::insert_into(site_views::table)
                        .values(rows)
                        .execute(c))?;
                }
                Ok(inserted)
            }
        }
    }

    /// A site's views, newest first.
    pub fn page_for_site(conn: &mut DbConnection, site_id: Id, offset: i64, limit: i64) -> QueryResult<Vec<SiteView>> {
        site_views::table
            .filter(site_views::site_id.eq(site_id))
            .order(site_views::checked_at.desc())
            .offset(offset)
            .limit(limit)
            .select(SiteView::as_select())
            .load(conn)
    }

    /// A site's views with `since <= checked_at < until`, newest first; walks the
    /// (site_id, checked_at) primary key, never the whole table.
    pub fn page_for_site_between(
        conn: &mut DbConnection,
        site_id: Id,
        since: Option<NaiveDateTime>,
        until: Option<NaiveDateTime>,
        offset: i64,
        limit: i64,
    ) -> QueryResult<Vec<SiteView>> {
        let mut query = site_views::table.filter(site_views::site_id.eq(site_id)).into_boxed();
        if let Some(since) = since {
            query = query.filter(site_views::checked_at.ge(since));
        }
        if let Some(until) = until {
            query = query.filter(site_views::checked_at.lt(until));
        }
        query.order(site_views::checked_at.desc()).offset(offset).limit(limit).select(SiteView::as_select()).load(conn)
    }

    pub fn count_for_site_between(
        conn: &mut DbConnection,
        site_id: Id,
        since: Option<NaiveDateTime>,
        until: Option<NaiveDateTime>,
    ) -> QueryResult<i64> {
        let mut query = site_views::table.filter(site_views::site_id.eq(site_id)).into_boxed();
        if let Some(since) = since {
            query = query.filter(site_views::checked_at.ge(since));
        }
        if let Some(until) = until {
            query = query.filter(site_views::checked_at.lt(until));
        }
        query.count().get_result(conn)
    }

    pub fn count_older_than(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<i64> {
        site_views::table.filter(site_views::checked_at.lt(cutoff)).count().get_result(conn)
    }

    /// The newest time among the `batch` oldest views before `cutoff`: deleting through it
    /// removes about `batch` rows. `None` when fewer remain (then delete everything before `cutoff`).
    pub fn batch_boundary(
        conn: &mut DbConnection,
        cutoff: NaiveDateTime,
        batch: i64,
    ) -> QueryResult<Option<NaiveDateTime>> {
        site_views::table
            .filter(site_views::checked_at.lt(cutoff))
            .order(site_views::checked_at.asc())
            .offset(batch.max(1) - 1)
            .select(site_views::checked_at)
            .first(conn)
            .optional()
    }

    /// The (site, time) keys of views checked before `until` (a purge batch, already bounded).
    pub fn keys_before(conn: &mut DbConnection, until: NaiveDateTime) -> QueryResult<Vec<(Id, NaiveDateTime)>> {
        site_views::table
            .filter(site_views::checked_at.lt(until))
            .select((site_views::site_id, site_views::checked_at))
            .load(conn)
    }

    /// Deletes every view checked before `until`; returns how many went.
    pub fn delete_before(conn: &mut DbConnection, until: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(site_views::table.filter(site_views::checked_at.lt(until))).execute(conn)
    }

    /// The views of `site_ids` with `from <= checked_at < until`, walking the primary key;
    /// checks made during maintenance are left out, as the rollups leave them out.
    pub fn for_sites_between(
        conn: &mut DbConnection,
        site_ids: &[Id],
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<SiteView>> {
        let mut views = Vec::new();
        for chunk in site_ids.chunks(SITE_CHUNK) {
            views.extend(
                site_views::table
                    .filter(site_views::site_id.eq_any(chunk))
                    .filter(site_views::checked_at.ge(from).and(site_views::checked_at.lt(until)))
                    .filter(site_views::maintenance.eq(false))
                    .select(SiteView::as_select())
                    .load(conn)?,
            );
        }
        Ok(views)
    }
}

/// The PostgreSQL statement for these rows (see `db::unnest`).
fn insert_views_unnest(conn: &mut diesel::pg::PgConnection, location: &str, views: &[SiteView]) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO site_views (site_id, checked_at, status_code, error, response_ms, up, ping_transmitted, \
         ping_received, ping_duplicates, ping_rtt_min_ms, ping_rtt_avg_ms, ping_rtt_max_ms, ping_rtt_mdev_ms, \
         maintenance, location) \
         SELECT u.*, $15::text FROM UNNEST($1::text[], $2::timestamp[], $3::int4[], $4::text[], $5::int4[], $6::bool[], \
         $7::int4[], $8::int4[], $9::int4[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::bool[]) AS u",
    )
    .bind::<sql::Array<sql::Text>, _>(column(views, |v| v.site_id))
    .bind::<sql::Array<sql::Timestamp>, _>(column(views, |v| v.checked_at))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(views, |v| v.status_code))
    .bind::<sql::Array<sql::Nullable<sql::Text>>, _>(column(views, |v| v.error.clone()))
    .bind::<sql::Array<sql::Integer>, _>(column(views, |v| v.response_ms))
    .bind::<sql::Array<sql::Bool>, _>(column(views, |v| v.up))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(views, |v| v.ping.ping_transmitted))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(views, |v| v.ping.ping_received))
    .bind::<sql::Array<sql::Nullable<sql::Integer>>, _>(column(views, |v| v.ping.ping_duplicates))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(views, |v| v.ping.ping_rtt_min_ms))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(views, |v| v.ping.ping_rtt_avg_ms))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(views, |v| v.ping.ping_rtt_max_ms))
    .bind::<sql::Array<sql::Nullable<sql::Double>>, _>(column(views, |v| v.ping.ping_rtt_mdev_ms))
    .bind::<sql::Array<sql::Bool>, _>(column(views, |v| v.maintenance))
    .bind::<sql::Text, _>(location)
    .execute(conn)
}
