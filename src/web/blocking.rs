//! Diesel is synchronous: every query of the web app runs on the blocking pool, so a slow one
//! never stalls the workers serving other requests.

use actix_web::web;

use super::error::WebError;
use crate::db::{Db, DbConnection};

/// Runs `f` with a pooled connection on the blocking pool.
pub async fn with_conn<T, F>(db: &Db, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, WebError> + Send + 'static,
{
    let db = db.clone();
    web::block(move || {
        let mut conn = db.conn()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| WebError::Internal(format!("a database task failed: {e}")))?
}
