//! Values the application keeps for itself in the database (a generated `secret_key`, ...).

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use crate::db::DbConnection;
use crate::db::schema::app_settings;
use crate::domain::time::now_utc;

pub const SECRET_KEY: &str = "secret_key";

pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    app_settings::table.find(key).select(app_settings::value).first(conn).optional()
}

/// Sets a value, replacing any earlier one.
pub fn set(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<()> {
    let updated = diesel::update(app_settings::table.find(key))
        .set((app_settings::value.eq(value), app_settings::updated_at.eq(now_utc())))
        .execute(conn)?;
    if updated == 0 {
        insert(conn, key, value)?;
    }
    Ok(())
}

/// Returns the stored value, storing `make()` first if there is none. When two processes race,
/// both end up with the value of whichever stored first.
pub fn get_or_init(conn: &mut DbConnection, key: &str, make: impl FnOnce() -> String) -> QueryResult<String> {
    if let Some(value) = get(conn, key)? {
        return Ok(value);
    }
    match insert(conn, key, &make()) {
        Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(other) => return Err(other),
    }
    get(conn, key)?.ok_or(Error::NotFound)
}

/// Sets `key` to `value` unless it already holds it; true when this call changed it. Atomic on
/// both backends: of two callers racing to set the same value, exactly one gets true.
pub fn set_if_different(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<bool> {
    let updated = diesel::update(app_settings::table.find(key).filter(app_settings::value.ne(value)))
        .set((app_settings::value.eq(value), app_settings::updated_at.eq(now_utc())))
        .execute(conn)?;
    if updated > 0 {
        return Ok(true);
    }
    if get(conn, key)?.is_some() {
        return Ok(false);
    }
    match insert(conn, key, value) {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Forgets a value (e.g. a one-time setup token once used).
pub fn delete(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(app_settings::table.find(key)).execute(conn)
}

fn insert(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<usize> {
    diesel::insert_into(app_settings::table)
        .values((app_settings::key.eq(key), app_settings::value.eq(value), app_settings::updated_at.eq(now_utc())))
        .execute(conn)
}
