//! The check round: lock, sandbox, due sites, concurrent probes, one transaction for
//! the results and the outage changes, then alert delivery.

mod client;
mod limits;
mod probe;
mod record;
pub mod reminders;
mod round;
mod sandbox;

pub use limits::raise_open_files_limit;
pub use probe::{ProbeResult, Prober};
pub use record::{Recorded, SiteCheck, record_round};
pub use round::{RoundError, RoundOptions, RoundOutcome, RoundSummary, run_round};
