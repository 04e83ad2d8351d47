//! `sitewatch user ...`: people who can log in.

use serde::Serialize;

use super::args::UserCommand;
use super::output::{Table, print_json, when};
use super::password_input::read_new_password_hash;
use super::{CliError, bad_input};
use crate::db::models::user::User;
use crate::db::{Db, write_transaction};
use crate::domain::name::Username;
use crate::domain::time::rfc3339;

#[derive(Serialize)]
struct UserJson {
    id: String,
    username: String,
    created_at: String,
    last_login_at: Option<String>,
}

pub(super) fn run(db: &Db, command: UserCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    match command {
        UserCommand::Add { name, password_stdin } => {
            let username = Username::parse(&name).map_err(bad_input("user name"))?;
            if User::find_by_username(&mut conn, username.as_str())?.is_some() {
                return Err(CliError::Input(format!("a user named `{username}` already exists")));
            }
            let hash = read_new_password_hash(username.as_str(), password_stdin)?;
            let user = write_transaction(&mut conn, |c| User::create(c, &username, &hash))?;
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
            let user = User::by_username(&mut conn, &name)?;
            let hash = read_new_password_hash(&user.username, password_stdin)?;
            write_transaction(&mut conn, |c| User::set_password_hash(c, user.id, &hash))?;
            println!("Changed the password of {}.", user.username);
        }
        UserCommand::Remove { name } => {
            let user = User::by_username(&mut conn, &name)?;
            write_transaction(&mut conn, |c| User::delete(c, user.id))?;
            println!("Removed user {} and their API tokens.", user.username);
        }
    }
    Ok(())
}
