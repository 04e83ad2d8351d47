//! API tokens for scripts: only the SHA-256 of each token is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::user::User;
use crate::db::schema::{api_tokens, users};
use crate::db::{DbConnection, DbError, Id};
use crate::domain::time::now_utc;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: Id,
    pub user_id: Id,
    pub label: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = api_tokens)]
struct ApiTokenRow<'a> {
    id: Id,
    user_id: Id,
    label: &'a str,
    token_hash: &'a str,
    created_at: NaiveDateTime,
}

impl ApiToken {
    pub fn create(conn: &mut DbConnection, user_id: Id, label: &str, token_hash: &str) -> Result<ApiToken, DbError> {
        let row = ApiTokenRow { id: Id::new(), user_id, label: label.trim(), token_hash, created_at: now_utc() };
        diesel::insert_into(api_tokens::table).values(&row).execute(conn)?;
        Ok(api_tokens::table.find(row.id).select(ApiToken::as_select()).first(conn)?)
    }

    /// The token with this hash and its owner, if any.
    pub fn find_by_hash(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<(ApiToken, User)>> {
        api_tokens::table
            .inner_join(users::table)
            .filter(api_tokens::token_hash.eq(token_hash))
            .select((ApiToken::as_select(), User::as_select()))
            .first(conn)
            .optional()
    }

    /// Every token with its owner's name, newest first.
    pub fn all_with_users(conn: &mut DbConnection) -> QueryResult<Vec<(ApiToken, String)>> {
        api_tokens::table
            .inner_join(users::table)
            .order(api_tokens::created_at.desc())
            .select((ApiToken::as_select(), users::username))
            .load(conn)
    }

    pub fn touch(conn: &mut DbConnection, id: Id) -> QueryResult<usize> {
        diesel::update(api_tokens::table.find(id)).set(api_tokens::last_used_at.eq(now_utc())).execute(conn)
    }

    pub fn delete(conn: &mut DbConnection, id: Id) -> Result<(), DbError> {
        match diesel::delete(api_tokens::table.find(id)).execute(conn)? {
            0 => Err(DbError::NotFound(format!("there is no API token with id {id}"))),
            _ => Ok(()),
        }
    }
}
