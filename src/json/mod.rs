//! The JSON shapes of the API (docs/api.md), shared by the API, the `data.json` routes and `--json` listings.

mod maintenance;
mod outages;
mod sites;
mod stats;
mod status;

pub use maintenance::*;
pub use outages::*;
pub use sites::*;
pub use stats::*;
pub use status::*;
