//! The check round: lock, sandbox, due sites, concurrent probes of every kind (HTTP, TCP,
//! ping) whose results are stored in batches as they come, one transaction for the outage
//! changes and their alerts once every check is in, then alert delivery.

mod certificate;
mod classify;
mod http;
mod limits;
pub mod locations;
mod maintenance;
mod ping;
pub mod preflight;
mod probe;
mod record;
pub mod reminders;
mod resolve;
mod round;
mod sandbox;
mod site_check;
mod tcp;
mod tls_watch;
mod writer;

pub use limits::{describe_concurrency, open_files_limit, raise_open_files_limit};
pub use ping::NOT_PERMITTED_HELP;
pub use probe::{ProbeResult, Prober};
pub use record::{Recorded, record_round};
pub use round::{RoundError, RoundOptions, RoundOutcome, RoundSummary, run_round};
pub use site_check::SiteCheck;
