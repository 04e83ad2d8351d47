//! The data layer through the library, on both backends.

mod process_exit;
mod rollups;
mod view_counts;
