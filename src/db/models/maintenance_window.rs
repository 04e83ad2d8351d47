//! Maintenance windows over one site or one group, as stored; `schedule` reads them as the
//! domain's rule.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::maintenance_windows;
use crate::db::{DbConnection, Id};
use crate::domain::maintenance::{MAX_DURATION, Recurrence, Schedule};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = maintenance_windows)]
pub struct MaintenanceWindow {
    pub id: Id,
    pub site_id: Option<Id>,
    pub group_id: Option<Id>,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    /// A cron expression, for a recurring window.
    pub cron: Option<String>,
    /// How long each occurrence of a recurring window lasts.
    pub duration_secs: Option<i32>,
    pub note: String,
    pub created_at: NaiveDateTime,
}

impl MaintenanceWindow {
    /// When the window applies; `None` for a stored cron expression this version cannot read
    /// (then the window is ignored rather than failing a round).
    pub fn schedule(&self) -> Option<Schedule> {
        let recurrence = match (&self.cron, self.duration_secs) {
            (Some(cron), Some(secs)) => match Recurrence::parse(cron, TimeDelta::seconds(i64::from(secs))) {
                Ok(r) => Some(r),
                Err(error) => {
                    tracing::warn!(window = %self.id, %error, "ignoring a maintenance window that cannot be read");
                    return None;
                }
            },
            _ => None,
        };
        Some(Schedule { starts_at: self.starts_at, ends_at: self.ends_at, recurrence })
    }

    /// Whether the window is over `site_id` (directly or through its group `group_id`).
    pub fn applies_to(&self, site_id: Id, group_id: Id) -> bool {
        self.site_id == Some(site_id) || self.group_id == Some(group_id)
    }

    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(maintenance_windows::table).values(self).execute(conn)
    }

    pub fn find(conn: &mut DbConnection, id: Id) -> QueryResult<Option<MaintenanceWindow>> {
        maintenance_windows::table.find(id).select(MaintenanceWindow::as_select()).first(conn).optional()
    }

    pub fn delete(conn: &mut DbConnection, id: Id) -> QueryResult<usize> {
        diesel::delete(maintenance_windows::table.find(id)).execute(conn)
    }

    /// Every window, oldest start first.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<MaintenanceWindow>> {
        maintenance_windows::table
            .order((maintenance_windows::starts_at.asc(), maintenance_windows::id.asc()))
            .select(MaintenanceWindow::as_select())
            .load(conn)
    }

    /// The windows that may be in force at some time in `from..=until`: begun by `until`, and
    /// not ended (a recurring one's last occurrence may last past `ends_at`) before `from`.
    pub fn in_force_between(
        conn: &mut DbConnection,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<MaintenanceWindow>> {
        use maintenance_windows as w;
        w::table
            .filter(w::starts_at.le(until))
            .filter(w::ends_at.is_null().or(w::ends_at.gt(from - MAX_DURATION)))
            .order((w::starts_at.asc(), w::id.asc()))
            .select(MaintenanceWindow::as_select())
            .load(conn)
    }
}
