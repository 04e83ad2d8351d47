//! Incident notes on an outage: who wrote what, at which stage, shown newest first.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::outage_notes;
use crate::db::{DbConnection, Id};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = outage_notes)]
pub struct OutageNote {
    pub id: Id,
    pub outage_id: Id,
    /// `investigating`, `identified`, `monitoring` or `resolved`.
    pub status: String,
    pub message: String,
    /// The user name of whoever wrote it.
    pub author: String,
    pub created_at: NaiveDateTime,
}

impl OutageNote {
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(outage_notes::table).values(self).execute(conn)
    }

    /// The notes of one outage, newest first.
    pub fn of_outage(conn: &mut DbConnection, outage_id: Id) -> QueryResult<Vec<OutageNote>> {
        OutageNote::of_outages(conn, &[outage_id])
    }

    /// The notes of several outages, newest first.
    pub fn of_outages(conn: &mut DbConnection, outage_ids: &[Id]) -> QueryResult<Vec<OutageNote>> {
        let mut notes = Vec::new();
        for chunk in outage_ids.chunks(5_000) {
            notes.extend(
                outage_notes::table
                    .filter(outage_notes::outage_id.eq_any(chunk))
                    .order((outage_notes::created_at.desc(), outage_notes::id.desc()))
                    .select(OutageNote::as_select())
                    .load(conn)?,
            );
        }
        notes.sort_by_key(|n| std::cmp::Reverse(n.created_at));
        Ok(notes)
    }
}
