//! `sitewatch import FILE`: adds every site of a file in one transaction, or none.

use super::CliError;
use super::args::ImportArgs;
use crate::db::Db;
use crate::manage::ManageError;
use crate::manage::import::{self, ImportOptions, Syntax};

pub(super) fn run(db: &Db, args: ImportArgs) -> Result<(), CliError> {
    let label = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| CliError::Input(format!("{label}: cannot read the file: {e}")))?;
    let in_file = |error: ManageError| match CliError::refused(error, &[("group", "--group"), ("file", "")]) {
        CliError::Input(message) => CliError::Input(format!("{label}: {message}")),
        other => other,
    };
    let file = import::read(Syntax::detect(&args.file, &text), &text).map_err(in_file)?;
    let options = ImportOptions { group: args.group, skip_existing: args.skip_existing };
    let mut conn = db.conn()?;
    let report = import::import(&mut conn, &file, &options).map_err(in_file)?;

    println!("Imported {} site(s) from {label}.", report.added);
    if !report.groups_created.is_empty() {
        println!("Created group(s): {}.", report.groups_created.join(", "));
    }
    if !report.skipped.is_empty() {
        println!("Skipped {} already watched: {}.", report.skipped.len(), report.skipped.join(", "));
    }
    Ok(())
}
