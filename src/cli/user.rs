//! `sitewatch user ...`: people who can log in.

use serde::Serialize;

use super::CliError;
use super::args::UserCommand;
use super::output::{Table, print_json, when};
use super::password_input::read_new_password;
use crate::db::Db;
use crate::db::models::user::User;
use crate::domain::name::Username;
use crate::domain::time::rfc3339;
use crate::manage::ManageError;
use crate::manage::session;
use crate::manage::user::{self, NewUser, UserFields};

#[derive(Serialize)]
struct SessionJson {
    started_at: String,
    last_seen_at: String,
    client: String,
}

/// How `user` commands name their arguments in messages.
const LABELS: &[(&str, &str)] = &[("username", "NAME"), ("password", "password"), ("password_again", "password")];

#[derive(Serialize)]
struct UserJson {
    id: String,
    username: String,
    created_at: String,
    last_login_at: Option<String>,
}

pub(super) fn run(db: &Db, command: UserCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    let refused = |e| CliError::refused(e, LABELS);
    match command {
        UserCommand::Add { name, password_stdin } => {
            // Refuse a bad or taken name before asking for a password in vain.
            let username =
                Username::parse(&name).map_err(|e| refused(ManageError::invalid("username", e.to_string())))?;
            user::ensure_available(&mut conn, &username).map_err(refused)?;
            let fields = read_new_password(username.as_str(), password_stdin)?;
            let new = NewUser::try_from(UserFields { username: Some(name), ..fields }).map_err(refused)?;
            let user = user::add(&mut conn, &new).map_err(refused)?;
            println!("Added user {}.", user.username);
        }
        UserCommand::List(args) => {
            let users = User::all(&mut conn)?;
            if args.json {
                let items: Vec<UserJson> = users
                    .iter()
                    .map(|u| UserJson {
                        id: u.id.to_string(),
                        username: u.username.clone(),
                        created_at: rfc3339(u.created_at),
                        last_login_at: u.last_login_at.map(rfc3339),
                    })
                    .collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["USERNAME", "CREATED", "LAST LOGIN"]);
            for u in &users {
                table.row(vec![u.username.clone(), when(Some(u.created_at)), when(u.last_login_at)]);
            }
            table.print_or("No users yet. Add one with `sitewatch user add NAME`.");
        }
        UserCommand::Passwd { name, password_stdin } => {
            let existing = User::by_username(&mut conn, &name)?;
            let fields = read_new_password(&existing.username, password_stdin)?;
            let password = user::new_password(&fields).map_err(refused)?;
            let changed = user::set_password(&mut conn, &existing.username, &password)?;
            println!("Changed the password of {}.", changed.username);
        }
        UserCommand::Remove { name } => {
            let removed = user::remove(&mut conn, &name)?;
            println!("Removed user {}, their API tokens and their sessions.", removed.username);
        }
        UserCommand::Sessions { name, revoke: true, .. } => {
            let ended = session::revoke_all(&mut conn, &name)?;
            println!("Ended {ended} session(s) of {name}; they must sign in again.");
        }
        UserCommand::Sessions { name, revoke: false, json } => {
            let (owner, sessions) = session::of_user(&mut conn, &name)?;
            if json {
                let items: Vec<SessionJson> = sessions
                    .iter()
                    .map(|s| SessionJson {
                        started_at: rfc3339(s.created_at),
                        last_seen_at: rfc3339(s.last_seen_at),
                        client: s.client.clone(),
                    })
                    .collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["STARTED", "LAST SEEN", "CLIENT"]);
            for s in &sessions {
                table.row(vec![when(Some(s.created_at)), when(Some(s.last_seen_at)), s.client.clone()]);
            }
            table.print_or(&format!("{} has no session: nobody is signed in as them.", owner.username));
        }
    }
    Ok(())
}
