//! Exit codes shared by both binaries (listed in docs/cli.md): scripts and cron wrappers rely on them.

/// The command did what was asked (for `check`: the round ran, sites may be down).
pub const OK: u8 = 0;
/// Anything else went wrong; the message is on stderr.
pub const FAILURE: u8 = 1;
/// Bad settings, arguments or input; nothing was changed.
pub const USAGE: u8 = 2;
/// `check` only: every sandbox URL failed, so the checker's own network is down.
pub const OFFLINE: u8 = 3;
/// `check` only: another round holds the run lock.
pub const BUSY: u8 = 4;
