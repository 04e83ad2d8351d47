//! Alert recipients (an e-mail address or a phone number): add one for every alert, a group's
//! or a site's, and remove one.

use super::error::{FieldErrors, ManageError};
use crate::db::models::group::Group;
use crate::db::models::recipient::{Recipient, Scope};
use crate::db::models::site::Site;
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::recipient_address::RecipientAddress;

/// Which alerts a new recipient hears about, as the door named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeRef {
    All,
    /// A group's slug or name.
    Group(String),
    /// A site's slug.
    Site(String),
}

/// A recipient as a door received it.
#[derive(Debug, Clone)]
pub struct RecipientFields {
    pub address: Option<String>,
    pub scope: ScopeRef,
}

/// A recipient to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRecipient {
    pub address: RecipientAddress,
    pub scope: ScopeRef,
}

impl TryFrom<RecipientFields> for NewRecipient {
    type Error = ManageError;

    fn try_from(fields: RecipientFields) -> Result<NewRecipient, ManageError> {
        let mut errors = FieldErrors::default();
        let address = match fields.address.as_deref() {
            None => {
                errors.add("address", "a recipient needs an e-mail address or a phone number");
                None
            }
            Some(raw) => errors.check("address", RecipientAddress::parse(raw)),
        };
        errors.or_value(|| Some(NewRecipient { address: address?, scope: fields.scope }))
    }
}

/// The scope a new recipient is for, with the words "alerts for ..." of a confirmation.
#[derive(Debug)]
pub struct Added {
    pub recipient: Recipient,
    pub scope: String,
}

/// Adds a recipient; the same address twice for one scope is refused (e-mail ignoring case,
/// phone numbers digit for digit).
pub fn add(conn: &mut DbConnection, new: &NewRecipient) -> Result<Added, ManageError> {
    write_transaction(conn, |c| {
        let (scope, words) = resolve(c, &new.scope)?;
        let comparable = new.address.comparable();
        let taken = Recipient::in_scope(c, scope)?
            .iter()
            .any(|r| r.kind() == new.address.kind() && r.email.to_lowercase() == comparable);
        if taken {
            return Err(ManageError::conflict("address", format!("{} already receives these alerts", new.address)));
        }
        Ok(Added { recipient: Recipient::insert(c, &new.address, scope)?, scope: words })
    })
}

pub fn remove(conn: &mut DbConnection, id: Id) -> Result<(), ManageError> {
    write_transaction(conn, |c| Ok(Recipient::delete(c, id)?))
}

fn resolve(c: &mut DbConnection, scope: &ScopeRef) -> Result<(Scope, String), ManageError> {
    Ok(match scope {
        ScopeRef::All => (Scope::All, "every site".to_owned()),
        ScopeRef::Group(wanted) => {
            let group = Group::find_by_reference(c, wanted)?.ok_or_else(|| {
                ManageError::invalid("group", format!("there is no group `{wanted}` (see `sitewatch group list`)"))
            })?;
            (Scope::Group(group.id), format!("group `{}`", group.slug))
        }
        ScopeRef::Site(slug) => {
            let site = Site::find_by_slug(c, slug)?.ok_or_else(|| {
                ManageError::invalid("site", format!("there is no site `{slug}` (see `sitewatch site list`)"))
            })?;
            (Scope::Site(site.id), format!("site `{}`", site.slug))
        }
    })
}
