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
use crate::domain::name::Name;
use crate::domain::ping::{PingProbes, PingStats};
use crate::domain::site_url::SiteUrl;
use crate::domain::slug::Slug;
use crate::domain::status::Status;
use crate::domain::target::CheckKind;
use crate::domain::time::now_utc;

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
    /// How many views the site has (kept by database triggers).
    pub view_count: i64,
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

#[derive(Insertable)]
#[diesel(table_name = sites)]
struct SiteRow<'a> {
    id: Id,
    group_id: Id,
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    active: bool,
    interval_secs: Option<i32>,
    created_at: NaiveDateTime,
}

#[derive(AsChangeset)]
#[diesel(table_name = sites)]
struct SiteChangeRow<'a> {
    name: Option<&'a str>,
    url: Option<&'a str>,
    group_id: Option<Id>,
    interval_secs: Option<Option<i32>>,
    active: Option<bool>,
}

/// What a person asks for when adding a site.
#[derive(Debug, Clone)]
pub struct SiteSpec {
    pub name: Name,
    pub url: SiteUrl,
    pub group_id: Id,
    pub interval_secs: Option<u32>,
    /// Chosen by hand; made from the name when absent.
    pub slug: Option<Slug>,
}

/// A change to an existing site; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct SiteChange {
    pub name: Option<Name>,
    pub url: Option<SiteUrl>,
    pub group_id: Option<Id>,
    pub interval_secs: Option<Option<u32>>,
    pub active: Option<bool>,
}

impl Site {
    pub fn status(&self) -> Status {
        Status::of(self.active, self.last_up)
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
        sites::table.filter(sites::slug.eq(slug)).select(Site::as_select()).first(conn).optional()
    }

    /// The site with this slug, or an error that says how to find the right one.
    pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Site, DbError> {
        Site::find_by_slug(conn, slug)?
            .ok_or_else(|| DbError::NotFound(format!("there is no site `{slug}` (see `sitewatch site list`)")))
    }

    pub fn find_by_url(conn: &mut DbConnection, url: &str) -> QueryResult<Option<Site>> {
        sites::table.filter(sites::url.eq(url)).select(Site::as_select()).first(conn).optional()
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

    /// Adds a site. The same URL twice is refused; equal names get `name`, `name-2` slugs.
    pub fn create(conn: &mut DbConnection, spec: &SiteSpec) -> Result<Site, DbError> {
        if let Some(existing) = Site::find_by_url(conn, spec.url.as_str())? {
            return Err(DbError::Conflict(format!("{} is already watched as `{}`", spec.url, existing.slug)));
        }
        let slug = Site::choose_slug(conn, &spec.name, spec.slug.as_ref())?;
        let row = SiteRow {
            id: Id::new(),
            group_id: spec.group_id,
            name: spec.name.as_str(),
            slug: slug.as_str(),
            url: spec.url.as_str(),
            active: true,
            interval_secs: spec.interval_secs.map(|s| s as i32),
            created_at: now_utc(),
        };
        diesel::insert_into(sites::table)
            .values(&row)
            .execute(conn)
            .map_err(|e| conflict_on_unique(e, || format!("the site slug `{slug}` is already taken")))?;
        Ok(Site::find(conn, row.id)?.expect("the site was just inserted"))
    }

    fn choose_slug(conn: &mut DbConnection, name: &Name, wanted: Option<&Slug>) -> Result<Slug, DbError> {
        if let Some(slug) = wanted {
            return match Site::find_by_slug(conn, slug.as_str())? {
                Some(_) => Err(DbError::Conflict(format!("the site slug `{slug}` is already taken"))),
                None => Ok(slug.clone()),
            };
        }
        let base = Slug::from_name(name.as_str(), "site");
        let taken: Vec<String> =
            sites::table.filter(sites::slug.like(slugs::family_pattern(&base))).select(sites::slug).load(conn)?;
        Ok(slugs::first_free(&base, &taken))
    }

    /// Applies a change; a new URL must not be watched already. The slug stays as it was.
    pub fn update(conn: &mut DbConnection, id: Id, change: &SiteChange) -> Result<Site, DbError> {
        if let Some(url) = &change.url
            && let Some(other) = Site::find_by_url(conn, url.as_str())?.filter(|s| s.id != id)
        {
            return Err(DbError::Conflict(format!("{url} is already watched as `{}`", other.slug)));
        }
        let row = SiteChangeRow {
            name: change.name.as_ref().map(Name::as_str),
            url: change.url.as_ref().map(SiteUrl::as_str),
            group_id: change.group_id,
            interval_secs: change.interval_secs.map(|i| i.map(|s| s as i32)),
            active: change.active,
        };
        let has_changes = row.name.is_some()
            || row.url.is_some()
            || row.group_id.is_some()
            || row.interval_secs.is_some()
            || row.active.is_some();
        if has_changes {
            diesel::update(sites::table.find(id)).set(&row).execute(conn)?;
        }
        Site::find(conn, id)?.ok_or_else(|| DbError::NotFound("that site no longer exists".into()))
    }

    /// Pauses (`false`) or resumes (`true`) checks of a site.
    pub fn set_active(conn: &mut DbConnection, slug: &str, active: bool) -> Result<Site, DbError> {
        let site = Site::by_slug(conn, slug)?;
        Site::update(conn, site.id, &SiteChange { active: Some(active), ..SiteChange::default() })
    }

    /// Removes a site and its check history; outages keep their copy of its name.
    pub fn delete(conn: &mut DbConnection, id: Id) -> QueryResult<usize> {
        diesel::delete(sites::table.find(id)).execute(conn)
    }
}
