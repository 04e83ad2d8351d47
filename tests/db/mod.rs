//! The data layer through the library, on both backends.

mod process_exit;
mod rollups;
mod schema_version;
mod view_counts;
