//! The access-log traffic watch (`sitewatch traffic`): reads Common/Combined log lines as they
//! are written, prints a report every interval of log time, and raises an alert through the
//! outbox when the mean hits per second over a window rises above a threshold.
//!
//! Pure parts: `clock` and `line` (parsing), `alert_state` (the alert on log time), `interval`
//! and `monitor` (one log's figures and findings), `console` (the printed words). With I/O:
//! `tail` and `wake` (following a file), `watch` (one log's thread), `record` (the database and
//! the alerts) and `run` (the threads of a run). `synth` writes synthetic logs for the log
//! generator example, the benchmark and tests.

pub mod alert_state;
pub mod clock;
pub mod console;
pub mod interval;
pub mod line;
pub mod monitor;
pub mod record;
pub mod run;
pub mod spec;
pub mod synth;
pub mod tail;
pub mod wake;
pub mod watch;

pub use run::{RunSummary, run};
pub use spec::{LogSpec, RunOptions, TrafficError};
