//! `sitewatch traffic [PATH]`: turns the arguments and `[[traffic]]` entries into the logs to
//! watch, then runs the watch until the logs end (`--once`) or Ctrl-C.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::CliError;
use super::args::TrafficArgs;
use crate::db::Db;
use crate::domain::traffic_limits;
use crate::settings::{Settings, TrafficSettings};
use crate::traffic::{self, LogSpec, RunOptions, TrafficError};

pub(super) fn run(db: Db, settings: &Settings, args: TrafficArgs) -> Result<(), CliError> {
    let logs = logs(settings, &args)?;
    let every = traffic_limits::every_secs(args.every).map_err(|e| CliError::Input(format!("--every: {e}")))?;
    let options =
        RunOptions { every_secs: every, from_start: args.from_start, once: args.once, poll: RunOptions::DEFAULT_POLL };
    traffic::run(db, Arc::new(settings.clone()), logs, options).map_err(|error| match error {
        TrafficError::Usage(message) => CliError::Input(message),
        other => CliError::Failed(other.to_string()),
    })?;
    Ok(())
}

/// The logs to watch: PATH (with its `[[traffic]]` entry's name and limits if one names the
/// same file), or every entry; the flags override the limits either way.
fn logs(settings: &Settings, args: &TrafficArgs) -> Result<Vec<LogSpec>, CliError> {
    let threshold = args
        .threshold
        .map(traffic_limits::threshold)
        .transpose()
        .map_err(|e| CliError::Input(format!("--threshold: {e}")))?;
    let window = args
        .window
        .map(traffic_limits::window_secs)
        .transpose()
        .map_err(|e| CliError::Input(format!("--window: {e}")))?;
    let spec = |name: String, path: PathBuf, entry: Option<&TrafficSettings>| LogSpec {
        name,
        path,
        threshold: threshold.or(entry.map(|e| e.threshold)).unwrap_or(TrafficSettings::DEFAULT_THRESHOLD),
        window_secs: window.or(entry.map(|e| e.window_secs)).unwrap_or(TrafficSettings::DEFAULT_WINDOW_SECS),
    };
    match &args.path {
        Some(path) => {
            let path = absolute(path);
            let entry = settings.traffic.iter().find(|e| same_file(&settings.traffic_path(e), &path));
            let name = entry.map_or_else(|| path.display().to_string(), |e| e.name.clone());
            Ok(vec![spec(name, path, entry)])
        }
        None if settings.traffic.is_empty() => Err(CliError::Input(
            "no log to watch: give the access log's PATH, or add [[traffic]] entries (name, path) to the settings file"
                .into(),
        )),
        None => Ok(settings
            .traffic
            .iter()
            .map(|entry| spec(entry.name.clone(), absolute(&settings.traffic_path(entry)), Some(entry)))
            .collect()),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// The same file, through symbolic links and `..` when both exist; else the same absolute path.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => absolute(a) == absolute(b),
    }
}
