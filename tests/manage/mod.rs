//! The use cases behind the CLI, the admin pages and the API, called directly (no process, no
//! HTTP): each rule once, on both backends.

mod groups;
mod import;
mod people;
mod sites;

use sitewatch::db::DbConnection;
use sitewatch::manage::ManageError;

/// The field a refusal names, or the kind of refusal.
pub fn refused_field<T: std::fmt::Debug>(result: Result<T, ManageError>) -> String {
    match result {
        Err(ManageError::Invalid(errors)) => errors.first_field().unwrap_or_default().to_owned(),
        Err(ManageError::Conflict { field, .. }) => format!("conflict:{}", field.unwrap_or_default()),
        Err(ManageError::NotFound(_)) => "not found".to_owned(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub fn conn(db: &sitewatch::db::Db) -> sitewatch::db::PooledConn {
    db.conn().expect("a connection")
}

pub fn count_sites(conn: &mut DbConnection) -> i64 {
    sitewatch::db::models::site::Site::count(conn).unwrap()
}
