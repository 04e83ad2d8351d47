//! Alert deliveries a person sends again: only failed ones, for the next check round to send.

use super::error::ManageError;
use crate::db::models::notification::{Delivery, DeliveryState};
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::time::now_utc;

/// Which failed deliveries to queue again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requeue {
    These(Vec<Id>),
    AllFailed,
}

/// Queues failed deliveries again; returns how many. One that is not failed (pending, sent)
/// refuses the whole request.
pub fn requeue(conn: &mut DbConnection, which: &Requeue) -> Result<usize, ManageError> {
    write_transaction(conn, |c| {
        let ids = match which {
            Requeue::AllFailed => {
                Delivery::in_states(c, &[DeliveryState::Failed])?.into_iter().map(|(d, _)| d.id).collect()
            }
            Requeue::These(ids) => ids.clone(),
        };
        let now = now_utc();
        for &id in &ids {
            let delivery = Delivery::find(c, id)?
                .ok_or_else(|| ManageError::NotFound(format!("there is no alert delivery {id}")))?;
            if !Delivery::requeue(c, id, now)? {
                return Err(ManageError::Conflict {
                    field: None,
                    message: format!(
                        "delivery {id} is {}, not failed; only a failed delivery can be sent again",
                        delivery.state
                    ),
                });
            }
        }
        Ok(ids.len())
    })
}
