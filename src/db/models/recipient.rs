//! Alert recipients: an e-mail address or a phone number for every alert, one group's, or one
//! site's. The address is stored in `email` whatever its kind; `kind` says which it is.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{groups, recipients, sites};
use crate::db::{DbConnection, DbError, Id};
use crate::domain::recipient_address::{RecipientAddress, RecipientKind};
use crate::domain::time::now_utc;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = recipients)]
pub struct Recipient {
    pub id: Id,
    /// The address: an e-mail address or (kind `phone`) an E.164 number.
    pub email: String,
    pub site_id: Option<Id>,
    pub group_id: Option<Id>,
    pub created_at: NaiveDateTime,
    pub kind: String,
}

#[derive(Insertable)]
#[diesel(table_name = recipients)]
struct RecipientRow<'a> {
    id: Id,
    email: &'a str,
    kind: &'a str,
    site_id: Option<Id>,
    group_id: Option<Id>,
    created_at: NaiveDateTime,
}

/// Which alerts a recipient receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Group(Id),
    Site(Id),
}

/// A recipient with the slug of its group or site, for listings.
#[derive(Debug, Clone, PartialEq)]
pub struct RecipientListing {
    pub recipient: Recipient,
    pub group_slug: Option<String>,
    pub site_slug: Option<String>,
}

impl Recipient {
    pub fn scope(&self) -> Scope {
        match (self.site_id, self.group_id) {
            (Some(site), _) => Scope::Site(site),
            (None, Some(group)) => Scope::Group(group),
            (None, None) => Scope::All,
        }
    }

    /// How this recipient is reached (rows of an unknown kind are read as e-mail, as all
    /// rows were before phones).
    pub fn kind(&self) -> RecipientKind {
        RecipientKind::parse(&self.kind).unwrap_or(RecipientKind::Email)
    }

    /// Stores an address for a scope (the use case has checked it is not there already).
    pub fn insert(conn: &mut DbConnection, address: &RecipientAddress, scope: Scope) -> Result<Recipient, DbError> {
        let (site_id, group_id) = match scope {
            Scope::All => (None, None),
            Scope::Group(id) => (None, Some(id)),
            Scope::Site(id) => (Some(id), None),
        };
        let row = RecipientRow {
            id: Id::new(),
            email: address.as_str(),
            kind: address.kind().as_str(),
            site_id,
            group_id,
            created_at: now_utc(),
        };
        diesel::insert_into(recipients::table).values(&row).execute(conn)?;
        Ok(recipients::table.find(row.id).select(Recipient::as_select()).first(conn)?)
    }

    /// The recipients of exactly this scope (not the wider ones), of every kind.
    pub fn in_scope(conn: &mut DbConnection, scope: Scope) -> QueryResult<Vec<Recipient>> {
        let query = recipients::table.select(Recipient::as_select()).order(recipients::email.asc()).into_boxed();
        match scope {
            Scope::All => query.filter(recipients::site_id.is_null().and(recipients::group_id.is_null())).load(conn),
            Scope::Group(id) => query.filter(recipients::group_id.eq(id)).load(conn),
            Scope::Site(id) => query.filter(recipients::site_id.eq(id)).load(conn),
        }
    }

    /// Every recipient with the slug it is attached to.
    pub fn listing(conn: &mut DbConnection) -> QueryResult<Vec<RecipientListing>> {
        let rows: Vec<(Recipient, Option<String>, Option<String>)> = recipients::table
            .left_join(groups::table.on(recipients::group_id.eq(groups::id.nullable())))
            .left_join(sites::table.on(recipients::site_id.eq(sites::id.nullable())))
            .order((recipients::email.asc(), recipients::created_at.asc()))
            .select((Recipient::as_select(), groups::slug.nullable(), sites::slug.nullable()))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(recipient, group_slug, site_slug)| RecipientListing { recipient, group_slug, site_slug })
            .collect())
    }

    pub fn delete(conn: &mut DbConnection, id: Id) -> Result<(), DbError> {
        match diesel::delete(recipients::table.find(id)).execute(conn)? {
            0 => Err(DbError::NotFound(format!("there is no recipient with id {id}"))),
            _ => Ok(()),
        }
    }
}
