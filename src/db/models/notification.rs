//! The outbox: notifications queued in the same transaction as the outage change they report,
//! and one delivery per channel and recipient, retried until sent or given up.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{deliveries, notifications};
use crate::db::{DbConnection, Id};
use crate::domain::alert::Event;

/// Where a delivery stands, as stored in `deliveries.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    Pending,
    Sent,
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(word: &str) -> Option<DeliveryState> {
        [DeliveryState::Pending, DeliveryState::Sent, DeliveryState::Failed].into_iter().find(|s| s.as_str() == word)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: Id,
    pub event: String,
    pub outage_id: Option<Id>,
    /// JSON: what the alert says, frozen when it was queued.
    pub payload: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliveries)]
pub struct Delivery {
    pub id: Id,
    pub notification_id: Id,
    pub channel: String,
    pub target: String,
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub not_before: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl Notification {
    pub fn event(&self) -> Option<Event> {
        Event::parse(&self.event)
    }

    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(notifications::table).values(self).execute(conn)
    }

    /// An outage's notifications, oldest first, each with its deliveries.
    pub fn of_outage(conn: &mut DbConnection, outage_id: Id) -> QueryResult<Vec<(Notification, Vec<Delivery>)>> {
        let list: Vec<Notification> = notifications::table
            .filter(notifications::outage_id.eq(outage_id))
            .order(notifications::created_at.asc())
            .select(Notification::as_select())
            .load(conn)?;
        let ids: Vec<Id> = list.iter().map(|n| n.id).collect();
        let mut all: Vec<Delivery> = deliveries::table
            .filter(deliveries::notification_id.eq_any(&ids))
            .order((deliveries::channel.asc(), deliveries::target.asc()))
            .select(Delivery::as_select())
            .load(conn)?;
        Ok(list
            .into_iter()
            .map(|n| {
                let (mine, rest): (Vec<Delivery>, Vec<Delivery>) =
                    std::mem::take(&mut all).into_iter().partition(|d| d.notification_id == n.id);
                all = rest;
                (n, mine)
            })
            .collect())
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        notifications::table.count().get_result(conn)
    }
}

impl Delivery {
    pub fn state(&self) -> DeliveryState {
        DeliveryState::parse(&self.state).unwrap_or(DeliveryState::Failed)
    }

    /// A new pending delivery of `notification_id` through `channel` to `target`.
    pub fn pending(notification_id: Id, channel: &str, target: &str, at: NaiveDateTime) -> Delivery {
        Delivery {
            id: Id::new(),
            notification_id,
            channel: channel.to_owned(),
            target: target.to_owned(),
            state: DeliveryState::Pending.as_str().to_owned(),
            attempts: 0,
            last_error: None,
            last_attempt_at: None,
            not_before: None,
            sent_at: None,
            created_at: at,
        }
    }

    pub fn insert_all(conn: &mut DbConnection, list: &[Delivery]) -> QueryResult<usize> {
        let mut inserted = 0;
        for delivery in list {
            inserted += diesel::insert_into(deliveries::table).values(delivery).execute(conn)?;
        }
        Ok(inserted)
    }

    /// How many deliveries are in `state`.
    pub fn count_in_state(conn: &mut DbConnection, state: DeliveryState) -> QueryResult<i64> {
        deliveries::table.filter(deliveries::state.eq(state.as_str())).count().get_result(conn)
    }
}
