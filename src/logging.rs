//! Log output on stderr, filtered by `SITEWATCH_LOG` (e.g. `debug`, `sitewatch=debug,info`).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the log subscriber once; `default` applies when `SITEWATCH_LOG` is unset.
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_env("SITEWATCH_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
