//! Sites: what is watched, and (in the `last_*` columns) how its newest check went.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::conflict_on_unique;
use crate::db::models::group::Group;
use crate::db::schema::{groups, sites};
use crate::db::slugs;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::check_options::CheckOptions;
use crate::domain::keyword::Keyword;
use crate::domain::ping::{PingProbes, PingStats};
use crate::domain::site_url::SiteUrl;
use crate::domain::slug::{MAX_LEN as SLUG_MAX, Slug};
use crate::domain::status::Status;
use crate::domain::target::CheckKind;
use crate::domain::text::{MAX_KEY_CHARS, could_be_stored};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = sites)]
pub struct Site {
    pub id: Id,
    pub group_id: Id,
    pub name: String,
    pub slug: String,
    pub url: String,
    pub active: bool,
    pub interval_secs: Option<i32>,
    pub created_at: NaiveDateTime,
    pub last_checked_at: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_response_ms: Option<i32>,
    pub last_up: Option<bool>,
    pub consecutive_failures: i32,
    pub last_failure_at: Option<NaiveDateTime>,
    /// When the current run of failed checks began; `None` while the site is up.
    pub failing_since: Option<NaiveDateTime>,
    /// How many views the site has: added by the writer of the views in the same transaction
    /// (`SiteView::insert_all`, or a round's `Site::record_states_counting_views`), taken off
    /// by a trigger when views are deleted.
    pub view_count: i64,
    /// Whether the newest check fell in a maintenance window.
    pub last_maintenance: bool,
    /// Echo requests per ping check; `None` uses `check.ping_probes`.
    pub probes: Option<i32>,
    /// Text the page must contain (or, with `keyword_absent`, must not).
    pub keyword: Option<String>,
    pub keyword_absent: bool,
    /// When the certificate the newest https check saw expires.
    pub tls_expires_at: Option<NaiveDateTime>,
    /// The `check.tls_expiry_days` thresholds already alerted for that certificate.
    pub tls_alerted_days: String,
    pub last_ping_transmitted: Option<i32>,
    pub last_ping_received: Option<i32>,
    pub last_ping_duplicates: Option<i32>,
    pub last_ping_rtt_min_ms: Option<f64>,
    pub last_ping_rtt_avg_ms: Option<f64>,
    pub last_ping_rtt_max_ms: Option<f64>,
    pub last_ping_rtt_mdev_ms: Option<f64>,
}

/// A new site's row.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sites)]
pub struct NewSiteRow<'a> {
    pub id: Id,
    pub group_id: Id,
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub active: bool,
    pub interval_secs: Option<i32>,
    pub created_at: NaiveDateTime,
    pub probes: Option<i32>,
    pub keyword: Option<&'a str>,
    pub keyword_absent: bool,
}

/// The fields a change may set; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = sites)]
pub struct SiteChangeRow<'a> {
    pub name: Option<&'a str>,
    pub url: Option<&'a str>,
    pub group_id: Option<Id>,
    pub interval_secs: Option<Option<i32>>,
    pub active: Option<bool>,
}

impl SiteChangeRow<'_> {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.url.is_none()
            && self.group_id.is_none()
            && self.interval_secs.is_none()
            && self.active.is_none()
    }
}

impl Site {
    pub fn status(&self) -> Status {
        match Status::of(self.active, self.last_up) {
            Status::Up | Status::Down if self.last_maintenance => Status::Maintenance,
            status => status,
        }
    }

    /// The kind of check the site's URL asks for; `None` for a URL that no longer parses.
    pub fn kind(&self) -> Option<CheckKind> {
        SiteUrl::parse(&self.url).ok().map(|url| url.kind())
    }

    /// The newest check's ping figures; `None` for other kinds or before the first ping.
    pub fn last_ping(&self) -> Option<PingStats> {
        PingStats::from_stored(
            (self.last_ping_transmitted, self.last_ping_received, self.last_ping_duplicates),
            (
                self.last_ping_rtt_min_ms,
                self.last_ping_rtt_avg_ms,
                self.last_ping_rtt_max_ms,
                self.last_ping_rtt_mdev_ms,
            ),
        )
    }

    /// The site's probes and keyword rule, as typed values (stored values that no longer
    /// parse are left out).
    pub fn check_options(&self) -> CheckOptions {
        CheckOptions {
            probes: self.probes.and_then(|n| PingProbes::new(i64::from(n)).ok()),
            keyword: self.keyword.as_deref().and_then(|k| Keyword::parse(k).ok()),
            keyword_absent: self.keyword_absent,
        }
    }

    /// Sets the site's probes and keyword rule (the caller has checked them against the kind
    /// with `CheckOptions::parse` or `fit`).
    pub fn set_check_options(conn: &mut DbConnection, id: Id, options: &CheckOptions) -> QueryResult<usize> {
        diesel::update(sites::table.find(id))
            .set((
                sites::probes.eq(options.probes.map(|p| p.get() as i32)),
                sites::keyword.eq(options.keyword.as_ref().map(|k| k.as_str().to_owned())),
                sites::keyword_absent.eq(options.keyword_absent),
            ))
            .execute(conn)
    }

    pub fn find(conn: &mut DbConnection, id: Id) -> QueryResult<Option<Site>> {
        sites::table.find(id).select(Site::as_select()).first(conn).optional()
    }

    pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Site>> {
        if !could_be_stored(slug, SLUG_MAX) {
            return Ok(None);
        }
        sites::table.filter(sites::slug.eq(slug)).select(Site::as_select()).first(conn).optional()
    }

    /// The site with this slug, or an error that says how to find the right one.
    pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Site, DbError> {
        Site::find_by_slug(conn, slug)?
            .ok_or_else(|| DbError::NotFound(format!("there is no site `{slug}` (see `sitewatch site list`)")))
    }

    pub fn find_by_url(conn: &mut DbConnection, url: &str) -> QueryResult<Option<Site>> {
        if !could_be_stored(url, MAX_KEY_CHARS) {
            return Ok(None);
        }
        sites::table.filter(sites::url.eq(url)).select(Site::as_select()).first(conn).optional()
    }

    /// Every site's slug and URL, for checking many new sites at once.
    pub fn slugs_and_urls(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
        sites::table.select((sites::slug, sites::url)).load(conn)
    }

    /// Every site with its group, in display order (group order, group name, site name).
    pub fn all_with_groups(conn: &mut DbConnection) -> QueryResult<Vec<(Site, Group)>> {
        sites::table
            .inner_join(groups::table)
            .order((groups::display_order.asc(), groups::name.asc(), sites::name.asc()))
            .select((Site::as_select(), Group::as_select()))
            .load(conn)
    }

    /// A page of sites with their group slug, in display order, and how many there are in all.
    pub fn page_with_group_slugs(
        conn: &mut DbConnection,
        offset: i64,
        limit: i64,
    ) -> QueryResult<(Vec<(Site, String)>, i64)> {
        let items = sites::table
            .inner_join(groups::table)
            .order((groups::display_order.asc(), groups::name.asc(), sites::name.asc(), sites::id.asc()))
            .offset(offset)
            .limit(limit)
            .select((Site::as_select(), groups::slug))
            .load(conn)?;
        let total = sites::table.count().get_result(conn)?;
        Ok((items, total))
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        sites::table.count().get_result(conn)
    }

    pub fn in_group(conn: &mut DbConnection, group_id: Id) -> QueryResult<Vec<Site>> {
        sites::table.filter(sites::group_id.eq(group_id)).order(sites::name.asc()).select(Site::as_select()).load(conn)
    }

    /// `base`, or the first of `base-2`, `base-3`, ... no site has yet.
    pub fn free_slug(conn: &mut DbConnection, base: &Slug) -> QueryResult<Slug> {
        let taken: Vec<String> =
            sites::table.filter(sites::slug.like(slugs::family_pattern(base))).select(sites::slug).load(conn)?;
        Ok(base.first_free(|candidate| taken.iter().any(|t| t == candidate)))
    }

    /// Inserts new sites, many rows per statement.
    pub fn insert_all(conn: &mut DbConnection, rows: &[NewSiteRow<'_>]) -> Result<(), DbError> {
        for chunk in rows.chunks(500) {
            crate::db::connection::on_each_backend!(conn, |inner| {
                diesel::insert_into(sites::table).values(chunk).execute(inner)
            })
            .map_err(|e| {
                conflict_on_unique(e, || "another site with the same slug or URL was added meanwhile".into())
            })?;
        }
        Ok(())
    }

    /// Applies a change; the slug stays as it was.
    pub fn update(conn: &mut DbConnection, id: Id, change: &SiteChangeRow<'_>) -> Result<Site, DbError> {
        if !change.is_empty() {
            diesel::update(sites::table.find(id))
                .set(change)
                .execute(conn)
                .map_err(|e| conflict_on_unique(e, || "another site with the same URL was added meanwhile".into()))?;
        }
        Site::find(conn, id)?.ok_or_else(|| DbError::NotFound("that site no longer exists".into()))
    }

    /// Removes a site and its check history; outages keep their copy of its name.
    pub fn delete(conn: &mut DbConnection, id: Id) -> QueryResult<usize> {
        diesel::delete(sites::table.find(id)).execute(conn)
    }
}
