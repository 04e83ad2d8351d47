//! People who may log in to the web app.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::conflict_on_unique;
use crate::db::schema::users;
use crate::db::{DbConnection, DbError, Id};
use crate::domain::name::{MAX_USERNAME_CHARS, Username};
use crate::domain::text::could_be_stored;
use crate::domain::time::now_utc;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Id,
    pub username: String,
    pub password_hash: String,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct UserRow<'a> {
    id: Id,
    username: &'a str,
    password_hash: &'a str,
    created_at: NaiveDateTime,
}

impl User {
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
        users::table.order(users::username.asc()).select(User::as_select()).load(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        users::table.count().get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: Id) -> QueryResult<Option<User>> {
        users::table.find(id).select(User::as_select()).first(conn).optional()
    }

    pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<User>> {
        if !could_be_stored(username, MAX_USERNAME_CHARS) {
            return Ok(None);
        }
        users::table.filter(users::username.eq(username)).select(User::as_select()).first(conn).optional()
    }

    pub fn by_username(conn: &mut DbConnection, username: &str) -> Result<User, DbError> {
        User::find_by_username(conn, username)?
            .ok_or_else(|| DbError::NotFound(format!("there is no user `{username}` (see `sitewatch user list`)")))
    }

    /// Adds a user with an already hashed password.
    pub fn create(conn: &mut DbConnection, username: &Username, password_hash: &str) -> Result<User, DbError> {
        if User::find_by_username(conn, username.as_str())?.is_some() {
            return Err(DbError::Conflict(format!("a user named `{username}` already exists")));
        }
        let row = UserRow { id: Id::new(), username: username.as_str(), password_hash, created_at: now_utc() };
        diesel::insert_into(users::table)
            .values(&row)
            .execute(conn)
            .map_err(|e| conflict_on_unique(e, || format!("a user named `{username}` already exists")))?;
        Ok(User::find(conn, row.id)?.expect("the user was just inserted"))
    }

    pub fn set_password_hash(conn: &mut DbConnection, id: Id, password_hash: &str) -> QueryResult<usize> {
        diesel::update(users::table.find(id)).set(users::password_hash.eq(password_hash)).execute(conn)
    }

    pub fn record_login(conn: &mut DbConnection, id: Id) -> QueryResult<usize> {
        diesel::update(users::table.find(id)).set(users::last_login_at.eq(now_utc())).execute(conn)
    }

    /// Removes a user and their API tokens.
    pub fn delete(conn: &mut DbConnection, id: Id) -> QueryResult<usize> {
        diesel::delete(users::table.find(id)).execute(conn)
    }
}
