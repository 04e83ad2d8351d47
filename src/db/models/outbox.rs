//! The dispatcher's queries on the outbox: which deliveries are due, claiming one before it is
//! sent, recording how an attempt went, and the listings `sitewatch notify` shows.
//!
//! Every write here is one UPDATE that names the state it expects (pending, and claimed by this
//! attempt or not at all), so two dispatchers sharing a PostgreSQL database never both send one
//! delivery, and a late writer never overwrites a result recorded by another.

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
    pub claimed_at: Option<NaiveDateTime>,
}

impl AttemptResult {
    /// Starts from the delivery as it stands: unclaimed, everything else unchanged.
    pub fn from(delivery: &Delivery) -> AttemptResult {
        AttemptResult {
            state: delivery.state.clone(),
            attempts: delivery.attempts,
            last_error: delivery.last_error.clone(),
            last_attempt_at: delivery.last_attempt_at,
            not_before: delivery.not_before,
            sent_at: delivery.sent_at,
            claimed_at: None,
        }
    }
}

/// A delivery with the claim it carries (`None` when no send is under way).
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub delivery: Delivery,
    pub claimed_at: Option<NaiveDateTime>,
}

impl Delivery {
    /// Pending deliveries nobody is sending and whose wait (after a 429) is over, oldest first,
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
            .filter(deliveries::claimed_at.is_null())
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

    /// Marks a pending, unclaimed delivery as being sent from `at`. Returns false when it is no
    /// longer there to claim (sent, given up, or claimed by another dispatcher meanwhile).
    pub fn claim(conn: &mut DbConnection, id: Id, at: NaiveDateTime) -> QueryResult<bool> {
        let claimed = diesel::update(
            deliveries::table
                .find(id)
                .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
                .filter(deliveries::claimed_at.is_null()),
        )
        .set((deliveries::claimed_at.eq(at), deliveries::last_attempt_at.eq(at)))
        .execute(conn)?;
        Ok(claimed == 1)
    }

    /// Records an attempt's result on a pending delivery that still carries `claim` (or none).
    /// Returns false when the delivery had moved on, in which case nothing is written.
    pub fn record_attempt(
        conn: &mut DbConnection,
        id: Id,
        claim: Option<NaiveDateTime>,
        result: &AttemptResult,
    ) -> QueryResult<bool> {
        let target = deliveries::table.find(id).filter(deliveries::state.eq(DeliveryState::Pending.as_str()));
        let written = match claim {
            Some(at) => diesel::update(target.filter(deliveries::claimed_at.eq(at))).set(result).execute(conn)?,
            None => diesel::update(target.filter(deliveries::claimed_at.is_null())).set(result).execute(conn)?,
        };
        Ok(written == 1)
    }

    /// Pending deliveries whose send began at or before `before` and never recorded a result.
    pub fn stale_claims(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<Vec<Claimed>> {
        let rows: Vec<(Delivery, Option<NaiveDateTime>)> = deliveries::table
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
            .filter(deliveries::claimed_at.le(before))
            .select((Delivery::as_select(), deliveries::claimed_at))
            .load(conn)?;
        Ok(rows.into_iter().map(|(delivery, claimed_at)| Claimed { delivery, claimed_at }).collect())
    }

    /// Pending, unclaimed deliveries queued at or before `before`.
    pub fn queued_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<Vec<Delivery>> {
        deliveries::table
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
            .filter(deliveries::claimed_at.is_null())
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
                    deliveries::claimed_at.eq(None::<NaiveDateTime>),
                    deliveries::created_at.eq(at),
                ))
                .execute(conn)?;
        Ok(written == 1)
    }
}
