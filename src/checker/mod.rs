//! The check round: lock, sandbox, due sites, concurrent probes of every kind (HTTP, TCP,
//! ping), one transaction for the results and the outage changes, then alert delivery.

mod certificate;
mod classify;
mod client;
mod http;
mod limits;
pub mod locations;
mod maintenance;
mod outage_sites;
mod ping;
pub mod preflight;
mod probe;
mod record;
pub mod reminders;
mod round;
mod sandbox;
mod site_check;
mod tcp;
mod tls_watch;

pub use limits::raise_open_files_limit;
pub use ping::NOT_PERMITTED_HELP;
pub use probe::{ProbeResult, Prober};
pub use record::{Recorded, record_round};
pub use round::{RoundError, RoundOptions, RoundOutcome, RoundSummary, run_round};
pub use site_check::SiteCheck;
