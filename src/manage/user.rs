//! People who may sign in: add, change a password, remove. Passwords are hashed here, once,
//! whatever door they came through.

use super::error::{FieldErrors, ManageError};
use crate::db::models::app_setting;
use crate::db::models::login_session::LoginSession;
use crate::db::models::user::User;
use crate::db::{DbConnection, write_transaction};
use crate::domain::api_token::random_hex;
use crate::domain::name::Username;
use crate::domain::password::{NewPassword, PasswordError};

/// Where the one-time token of the first-user link is kept. In the database, so any web
/// server sharing it accepts the link; deleted once used.
const SETUP_TOKEN: &str = "setup_token";

/// A user as a door received it. `password_again` is the confirmation a form or prompt asks
/// for; doors without one (`--password-stdin`) leave it `None`.
#[derive(Debug, Clone, Default)]
pub struct UserFields {
    pub username: Option<String>,
    pub password: Option<String>,
    pub password_again: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub username: Username,
    pub password: NewPassword,
}

fn password(errors: &mut FieldErrors, fields: &UserFields) -> Option<NewPassword> {
    let Some(first) = fields.password.as_deref() else {
        errors.add("password", "a password is required");
        return None;
    };
    let parsed = match fields.password_again.as_deref() {
        Some(again) => NewPassword::confirmed(first, again),
        None => NewPassword::parse(first),
    };
    match parsed {
        Err(PasswordError::Mismatch) => {
            errors.add("password_again", PasswordError::Mismatch.to_string());
            None
        }
        other => errors.check("password", other),
    }
}

impl TryFrom<UserFields> for NewUser {
    type Error = ManageError;

    fn try_from(fields: UserFields) -> Result<NewUser, ManageError> {
        let mut errors = FieldErrors::default();
        let username = errors.check("username", Username::parse(fields.username.as_deref().unwrap_or_default()));
        let password = password(&mut errors, &fields);
        errors.or_value(|| Some(NewUser { username: username?, password: password? }))
    }
}

/// Reads a new password (and its confirmation, if the door asked for one).
pub fn new_password(fields: &UserFields) -> Result<NewPassword, ManageError> {
    let mut errors = FieldErrors::default();
    let password = password(&mut errors, fields);
    errors.or_value(|| password)
}

/// Refuses a taken user name early, before a prompt asks for a password in vain.
pub fn ensure_available(conn: &mut DbConnection, username: &Username) -> Result<(), ManageError> {
    match User::find_by_username(conn, username.as_str())? {
        Some(_) => Err(ManageError::conflict("username", format!("a user named `{username}` already exists"))),
        None => Ok(()),
    }
}

pub fn add(conn: &mut DbConnection, new: &NewUser) -> Result<User, ManageError> {
    let hash = hashed(&new.password)?;
    write_transaction(conn, |c| {
        ensure_available(c, &new.username)?;
        Ok(User::create(c, &new.username, &hash)?)
    })
}

/// The first-user link's token while no user exists (made once), else `None`.
pub fn setup_token(conn: &mut DbConnection) -> Result<Option<String>, ManageError> {
    if User::count(conn)? > 0 {
        return Ok(None);
    }
    Ok(Some(app_setting::get_or_init(conn, SETUP_TOKEN, || random_hex(24))?))
}

/// True while no user exists and `token` is the first-user link's.
pub fn setup_token_is_valid(conn: &mut DbConnection, token: &str) -> Result<bool, ManageError> {
    Ok(User::count(conn)? == 0 && app_setting::get(conn, SETUP_TOKEN)?.is_some_and(|t| t == token))
}

/// Adds the first user through the one-time link, and spends the link.
pub fn add_first(conn: &mut DbConnection, token: &str, new: &NewUser) -> Result<User, ManageError> {
    let hash = hashed(&new.password)?;
    write_transaction(conn, |c| {
        if !setup_token_is_valid(c, token)? {
            return Err(ManageError::NotFound(
                "this setup link has been used or is not valid; sign in, or add a user with `sitewatch user add`"
                    .into(),
            ));
        }
        let user = User::create(c, &new.username, &hash)?;
        app_setting::delete(c, SETUP_TOKEN)?;
        Ok(user)
    })
}

/// Sets a new password for the user of this name, and ends all their sessions: a cookie
/// copied under the old password stops working.
pub fn set_password(conn: &mut DbConnection, username: &str, password: &NewPassword) -> Result<User, ManageError> {
    let hash = hashed(password)?;
    write_transaction(conn, |c| {
        let user = User::by_username(c, username)?;
        User::set_password_hash(c, user.id, &hash)?;
        LoginSession::end_all_of(c, user.id)?;
        Ok(user)
    })
}

/// Removes a user, their API tokens and their sessions. The last user stays: nobody could sign
/// in after it.
pub fn remove(conn: &mut DbConnection, username: &str) -> Result<User, ManageError> {
    write_transaction(conn, |c| {
        let user = User::by_username(c, username)?;
        if User::count(c)? <= 1 {
            return Err(ManageError::Conflict {
                field: None,
                message: format!("`{}` is the last user; add another first, or nobody could sign in", user.username),
            });
        }
        User::delete(c, user.id)?;
        Ok(user)
    })
}

/// Hashing is slow on purpose (argon2), so it happens before the transaction opens.
fn hashed(password: &NewPassword) -> Result<String, ManageError> {
    password.hash().map_err(|e| ManageError::Failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_copies_must_agree_and_the_mismatch_is_named() {
        let fields = UserFields {
            username: Some("alice".into()),
            password: Some("correct horse".into()),
            password_again: Some("correct hose".into()),
        };
        let Err(ManageError::Invalid(errors)) = NewUser::try_from(fields) else { panic!() };
        assert_eq!(errors.first_field(), Some("password_again"));
    }

    #[test]
    fn bad_names_and_short_passwords_are_named() {
        let fields =
            UserFields { username: Some("bob smith".into()), password: Some("short".into()), password_again: None };
        let Err(ManageError::Invalid(errors)) = NewUser::try_from(fields) else { panic!() };
        let named: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(named, ["username", "password"]);
    }
}
