//! Reads a new password: from standard input for scripts, or twice at a no-echo prompt.

use std::io::{BufRead, IsTerminal};

use super::CliError;
use crate::manage::user::UserFields;

/// The password (and, from a prompt, its confirmation) for `username`; checked by the use case.
pub fn read_new_password(username: &str, from_stdin: bool) -> Result<UserFields, CliError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::Failed(format!("cannot read the password from standard input: {e}")))?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        return Ok(UserFields { password: Some(password), ..UserFields::default() });
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Input("no terminal to ask for the password on; pipe it in with --password-stdin".into()));
    }
    let first = prompt(&format!("Password for {username}: "))?;
    let again = prompt("Repeat the password: ")?;
    Ok(UserFields { password: Some(first), password_again: Some(again), ..UserFields::default() })
}

fn prompt(text: &str) -> Result<String, CliError> {
    rpassword::prompt_password(text).map_err(|e| CliError::Failed(format!("cannot read the password: {e}")))
}
