//! API tokens: issue one for a user (its secret is shown once, only its hash is kept) and
//! revoke one.

use super::error::{FieldErrors, ManageError};
use crate::db::models::api_token::ApiToken;
use crate::db::models::user::User;
use crate::db::{DbConnection, Id, write_transaction};
use crate::domain::api_token::issue_token;

pub const MAX_LABEL_CHARS: usize = 100;

/// A token as a door asked for it.
#[derive(Debug, Clone, Default)]
pub struct TokenFields {
    pub user: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The owner's user name.
    pub user: String,
    pub label: String,
}

fn label(raw: &str) -> Result<String, String> {
    let label = raw.trim();
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(format!("a label is at most {MAX_LABEL_CHARS} characters"));
    }
    if label.chars().any(char::is_control) {
        return Err("a label cannot contain control characters".into());
    }
    Ok(label.to_owned())
}

impl TryFrom<TokenFields> for NewToken {
    type Error = ManageError;

    fn try_from(fields: TokenFields) -> Result<NewToken, ManageError> {
        let mut errors = FieldErrors::default();
        let user = fields.user.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        if user.is_none() {
            errors.add("user", "name the user the token acts for");
        }
        let label = errors.check("label", label(fields.label.as_deref().unwrap_or_default()));
        errors.or_value(|| Some(NewToken { user: user?, label: label? }))
    }
}

/// A new token: the stored row, its owner, and the secret to show once.
pub struct Issued {
    pub token: ApiToken,
    pub owner: User,
    pub secret: String,
}

impl std::fmt::Debug for Issued {
    /// Leaves the secret out of logs and test output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued").field("token", &self.token.id).field("owner", &self.owner.username).finish()
    }
}

pub fn add(conn: &mut DbConnection, new: &NewToken) -> Result<Issued, ManageError> {
    write_transaction(conn, |c| {
        let owner = User::find_by_username(c, &new.user)?.ok_or_else(|| {
            ManageError::invalid("user", format!("there is no user `{}` (see `sitewatch user list`)", new.user))
        })?;
        issue_in(c, owner, &new.label)
    })
}

/// A token for a user already known (one who just signed in with a password).
pub fn issue_for(conn: &mut DbConnection, owner: User, label: &str) -> Result<Issued, ManageError> {
    write_transaction(conn, |c| issue_in(c, owner, label))
}

fn issue_in(c: &mut DbConnection, owner: User, label: &str) -> Result<Issued, ManageError> {
    let issued = issue_token();
    let token = ApiToken::create(c, owner.id, label, &issued.hash)?;
    Ok(Issued { token, owner, secret: issued.secret })
}

pub fn revoke(conn: &mut DbConnection, id: Id) -> Result<(), ManageError> {
    write_transaction(conn, |c| Ok(ApiToken::delete(c, id)?))
}
