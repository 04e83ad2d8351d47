//! `sitewatch token ...`: API tokens, shown once, stored hashed.

use serde::Serialize;

use super::args::TokenCommand;
use super::output::{Table, print_json, when};
use super::{CliError, bad_input};
use crate::db::models::api_token::ApiToken;
use crate::db::models::user::User;
use crate::db::{Db, DbError, Id, write_transaction};
use crate::domain::api_token::issue_token;
use crate::domain::time::rfc3339;

#[derive(Serialize)]
struct TokenJson {
    id: String,
    user: String,
    label: String,
    created_at: String,
    last_used_at: Option<String>,
}

pub(super) fn run(db: &Db, command: TokenCommand) -> Result<(), CliError> {
    let mut conn = db.conn()?;
    match command {
        TokenCommand::Add { user, label } => {
            if label.chars().count() > 100 {
                return Err(CliError::Input("--label: at most 100 characters".into()));
            }
            let issued = issue_token();
            let owner = write_transaction(&mut conn, |c| {
                let owner = User::by_username(c, &user)?;
                ApiToken::create(c, owner.id, &label, &issued.hash)?;
                Ok::<_, DbError>(owner)
            })?;
            eprintln!(
                "New API token for {} (shown only this once; send it as `Authorization: Bearer TOKEN`):",
                owner.username
            );
            println!("{}", issued.secret);
        }
        TokenCommand::List(args) => {
            let tokens = ApiToken::all_with_users(&mut conn)?;
            if args.json {
                let items: Vec<TokenJson> = tokens
                    .iter()
                    .map(|(t, user)| TokenJson {
                        id: t.id.to_string(),
                        user: user.clone(),
                        label: t.label.clone(),
                        created_at: rfc3339(t.created_at),
                        last_used_at: t.last_used_at.map(rfc3339),
                    })
                    .collect();
                return print_json(&items);
            }
            let mut table = Table::new(&["USER", "LABEL", "CREATED", "LAST USED", "ID"]);
            for (t, user) in &tokens {
                table.row(vec![
                    user.clone(),
                    t.label.clone(),
                    when(Some(t.created_at)),
                    when(t.last_used_at),
                    t.id.to_string(),
                ]);
            }
            table.print_or("No API tokens yet. Create one with `sitewatch token add USER`.");
        }
        TokenCommand::Revoke { id } => {
            let id: Id = id.parse().map_err(bad_input("token id"))?;
            write_transaction(&mut conn, |c| ApiToken::delete(c, id))?;
            println!("Revoked API token {id}.");
        }
    }
    Ok(())
}
