//! The dispatcher's queries on the outbox: which deliveries are due, marking one as handed
//! over just before its message leaves, recording how an attempt went, and the listings
//! `sitewatch notify` shows.
//!
//! Every write here is one UPDATE that names the state it expects (pending; handed over by this
//! attempt, or not at all and as this attempt read it), so two dispatchers sharing a PostgreSQL
//! database never both hand one delivery over, and a late writer never overwrites a result
//! recorded by another.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::notification::{Delivery, DeliveryState, Notification};
use crate::db::schema::{deliveries, notifications};
use crate::db::{DbConnection, Id};

/// How an attempt ended, as stored. `None` values are written as NULL.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = deliveries, treat_none_as_null = true)]
pub struct AttemptResult {
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub not_before: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub handed_over_at: Option<NaiveDateTime>,
}

impl AttemptResult {
    /// Starts from the delivery as it stands: not handed over, everything else unchanged.
    pub fn from(delivery: &Delivery) -> AttemptResult {
        AttemptResult {
            state: delivery.state.clone(),
            attempts: delivery.attempts,
            last_error: delivery.last_error.clone(),
            last_attempt_at: delivery.last_attempt_at,
            not_before: delivery.not_before,
            sent_at: delivery.sent_at,
            handed_over_at: None,
        }
    }
}

/// A delivery with the time its message was handed over (`None` when none is under way).
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub delivery: Delivery,
    pub handed_over_at: Option<NaiveDateTime>,
}

impl Delivery {
    /// Pending deliveries not handed over and whose wait (after a 429) is over, oldest first,
    /// each with its notification; only those of `notification` when given.
    pub fn due(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        notification: Option<Id>,
        limit: i64,
    ) -> QueryResult<Vec<(Delivery, Notification)>> {
        let mut query = deliveries::table
            .inner_join(notifications::table)
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
            .filter(deliveries::handed_over_at.is_null())
            .filter(deliveries::not_before.is_null().or(deliveries::not_before.le(now)))
            .into_boxed();
        if let Some(id) = notification {
            query = query.filter(deliveries::notification_id.eq(id));
        }
        query
            .order((deliveries::created_at.asc(), deliveries::channel.asc(), deliveries::target.asc()))
            .limit(limit)
            .select((Delivery::as_select(), Notification::as_select()))
            .load(conn)
    }

    /// Marks a pending delivery not yet handed over as handed over at `at`: the last write
    /// before its message leaves. Returns false when it is no longer there to take (sent,
    /// given up, or handed over by another dispatcher meanwhile): the message must not leave.
    pub fn hand_over(conn: &mut DbConnection, id: Id, at: NaiveDateTime) -> QueryResult<bool> {
        let marked = diesel::update(
            deliveries::table
                .find(id)
                .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
                .filter(deliveries::handed_over_at.is_null()),
        )
        .set(deliveries::handed_over_at.eq(at))
        .execute(conn)?;
        Ok(marked == 1)
    }

    /// Records an attempt's result on a pending delivery. With `handed_over`, only if it still
    /// carries that mark; without, only if it was not handed over and no other result was
    /// recorded since this attempt read it (its `last_attempt_at` is still `seen`). Returns
    /// false when the delivery had moved on, in which case nothing is written.
    pub fn record_attempt(
        conn: &mut DbConnection,
        id: Id,
        handed_over: Option<NaiveDateTime>,
        seen: Option<NaiveDateTime>,
        result: &AttemptResult,
    ) -> QueryResult<bool> {
        // Three statements rather than one built up: each must be a single UPDATE whose WHERE
        // PostgreSQL checks again on the row it waited for.
        let pending = deliveries::table
            .filter(deliveries::id.eq(id))
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str()));
        let written = match (handed_over, seen) {
            (Some(at), _) => {
                diesel::update(pending.filter(deliveries::handed_over_at.eq(at))).set(result).execute(conn)?
            }
            (None, Some(seen)) => diesel::update(
                pending.filter(deliveries::handed_over_at.is_null()).filter(deliveries::last_attempt_at.eq(seen)),
            )
            .set(result)
            .execute(conn)?,
            (None, None) => diesel::update(
                pending.filter(deliveries::handed_over_at.is_null()).filter(deliveries::last_attempt_at.is_null()),
            )
            .set(result)
            .execute(conn)?,
        };
        Ok(written == 1)
    }

    /// Pending deliveries handed over at or before `before` that never recorded a result.
    pub fn stale_claims(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<Vec<Claimed>> {
        let rows: Vec<(Delivery, Option<NaiveDateTime>)> = deliveries::table
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
            .filter(deliveries::handed_over_at.le(before))
            .select((Delivery::as_select(), deliveries::handed_over_at))
            .load(conn)?;
        Ok(rows.into_iter().map(|(delivery, handed_over_at)| Claimed { delivery, handed_over_at }).collect())
    }

    /// Pending deliveries not handed over, queued at or before `before`.
    pub fn queued_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<Vec<Delivery>> {
        deliveries::table
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
            .filter(deliveries::handed_over_at.is_null())
            .filter(deliveries::created_at.le(before))
            .select(Delivery::as_select())
            .load(conn)
    }

    /// Deliveries in any of `states`, newest first, each with its notification.
    pub fn in_states(conn: &mut DbConnection, states: &[DeliveryState]) -> QueryResult<Vec<(Delivery, Notification)>> {
        let words: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
        deliveries::table
            .inner_join(notifications::table)
            .filter(deliveries::state.eq_any(words))
            .order((deliveries::created_at.desc(), deliveries::channel.asc(), deliveries::target.asc()))
            .select((Delivery::as_select(), Notification::as_select()))
            .load(conn)
    }

    /// Deliveries given up since `since` (for the dashboard's warning).
    pub fn failed_since(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<i64> {
        deliveries::table
            .filter(deliveries::state.eq(DeliveryState::Failed.as_str()).and(deliveries::created_at.ge(since)))
            .count()
            .get_result(conn)
    }

    /// One delivery by id.
    pub fn find(conn: &mut DbConnection, id: Id) -> QueryResult<Option<Delivery>> {
        deliveries::table.find(id).select(Delivery::as_select()).first(conn).optional()
    }

    /// Puts a failed delivery back in the queue as if just queued at `at`: the operator's
    /// decision to send again, e.g. after an attempt whose outcome was unknown. Returns false
    /// when the delivery is not in state failed.
    pub fn requeue(conn: &mut DbConnection, id: Id, at: NaiveDateTime) -> QueryResult<bool> {
        let written =
            diesel::update(deliveries::table.find(id).filter(deliveries::state.eq(DeliveryState::Failed.as_str())))
                .set((
                    deliveries::state.eq(DeliveryState::Pending.as_str()),
                    deliveries::attempts.eq(0),
                    deliveries::not_before.eq(None::<NaiveDateTime>),
                    deliveries::handed_over_at.eq(None::<NaiveDateTime>),
                    deliveries::created_at.eq(at),
                ))
                .execute(conn)?;
        Ok(written == 1)
    }
}
