//! Reads a new password: from standard input for scripts, or twice at a no-echo prompt.

use std::io::{BufRead, IsTerminal};

use super::CliError;
use crate::domain::password::hash_password;

/// Reads and hashes a new password for `username`.
pub fn read_new_password_hash(username: &str, from_stdin: bool) -> Result<String, CliError> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::Failed(format!("cannot read the password from standard input: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::Input(
                "no terminal to ask for the password on; pipe it in with --password-stdin".into(),
            ));
        }
        let first = prompt(&format!("Password for {username}: "))?;
        let second = prompt("Repeat the password: ")?;
        if first != second {
            return Err(CliError::Input("the two passwords differ; nothing was changed".into()));
        }
        first
    };
    hash_password(&password).map_err(|e| CliError::Input(e.to_string()))
}

fn prompt(text: &str) -> Result<String, CliError> {
    rpassword::prompt_password(text).map_err(|e| CliError::Failed(format!("cannot read the password: {e}")))
}
