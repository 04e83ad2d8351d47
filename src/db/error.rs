//! Errors of the data layer. `NotFound` and `Conflict` carry sentences for people; callers map
//! them to exit code 2 (CLI) or 404/409 (web). Everything else is a fault of the database.

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {target}: {reason}")]
    Open { target: String, reason: String },
    #[error("cannot bring the database schema of {target} up to date: {reason}")]
    Migrate { target: String, reason: String },
    #[error("no database connection became free: {0}")]
    Pool(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the database holds a value sitewatch cannot read: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
}

impl DbError {
    /// True for errors caused by what the user asked for, not by the database.
    pub fn is_user_error(&self) -> bool {
        matches!(self, DbError::NotFound(_) | DbError::Conflict(_))
    }
}

/// Turns a unique-constraint violation (a race another writer won) into a `Conflict`.
pub(crate) fn conflict_on_unique(error: diesel::result::Error, message: impl FnOnce() -> String) -> DbError {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => DbError::Conflict(message()),
        other => DbError::Query(other),
    }
}
