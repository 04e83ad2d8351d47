//! `sitewatch token ...`: API tokens, shown once, stored hashed.

use serde::Serialize;

use super::args::TokenCommand;
use super::output::{Table, print_json, when};
use super::{CliError, bad_input};
use crate::db::models::api_token::ApiToken;
use crate::db::{Db, Id};
use crate::domain::time::rfc3339;
use crate::manage::token::{self, NewToken, TokenFields};

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
            let refused = |e| CliError::refused(e, &[("user", "USER")]);
            let new = NewToken::try_from(TokenFields { user: Some(user), label: Some(label) }).map_err(refused)?;
            let issued = token::add(&mut conn, &new).map_err(refused)?;
            eprintln!(
                "New API token for {} (shown only this once; send it as `Authorization: Bearer TOKEN`):",
                issued.owner.username
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
            token::revoke(&mut conn, id)?;
            println!("Revoked API token {id}.");
        }
    }
    Ok(())
}
