//! Each alert circuit's health: whether its latest attempt reached it, and since when it has
//! not, so the admin pages can say "the e-mail channel is down since ...".

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::schema::alert_channels;
use crate::db::{DbConnection, write_transaction};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = alert_channels)]
pub struct AlertChannel {
    /// The dispatcher's circuit: the channel's name, or `webhook <url>`.
    pub circuit: String,
    /// As stored in `deliveries.channel`.
    pub channel: String,
    /// The one target the circuit serves (a webhook's URL), if it serves only one.
    pub target: Option<String>,
    /// When an attempt first found it down since it last worked; `None` while it works.
    pub down_since: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl AlertChannel {
    /// Records that the circuit was found down at `at` (keeping an earlier `down_since`).
    pub fn record_down(conn: &mut DbConnection, row: &AlertChannel) -> QueryResult<()> {
        upsert(conn, row, |c| {
            let this = alert_channels::table.find(&row.circuit);
            diesel::update(this.filter(alert_channels::down_since.is_null()))
                .set(alert_channels::down_since.eq(row.down_since))
                .execute(c)?;
            diesel::update(this)
                .set((alert_channels::last_error.eq(&row.last_error), alert_channels::updated_at.eq(row.updated_at)))
                .execute(c)
        })
    }

    /// Records that the circuit worked at `row.updated_at`.
    pub fn record_up(conn: &mut DbConnection, row: &AlertChannel) -> QueryResult<()> {
        upsert(conn, row, |c| {
            diesel::update(alert_channels::table.find(&row.circuit))
                .set((
                    alert_channels::down_since.eq(None::<NaiveDateTime>),
                    alert_channels::last_error.eq(None::<String>),
                    alert_channels::updated_at.eq(row.updated_at),
                ))
                .execute(c)
        })
    }

    /// Every circuit found down, the longest-down first.
    pub fn down(conn: &mut DbConnection) -> QueryResult<Vec<AlertChannel>> {
        alert_channels::table
            .filter(alert_channels::down_since.is_not_null())
            .order((alert_channels::down_since.asc(), alert_channels::circuit.asc()))
            .select(AlertChannel::as_select())
            .load(conn)
    }
}

/// Runs `update` (which returns the rows it changed) and inserts `row` when there was none. A
/// concurrent dispatcher inserting the same circuit first makes the insert fail as a duplicate;
/// the update then finds its row.
fn upsert(
    conn: &mut DbConnection,
    row: &AlertChannel,
    update: impl Fn(&mut DbConnection) -> QueryResult<usize>,
) -> QueryResult<()> {
    let inserted = write_transaction(conn, |c| {
        if update(c)? > 0 {
            return Ok(true);
        }
        diesel::insert_into(alert_channels::table).values(row).execute(c).map(|_| true)
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            write_transaction(conn, |c| update(c)).map(|_| ())
        }
        Err(error) => Err(error),
    }
}
