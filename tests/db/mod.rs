//! The data layer through the library, on both backends.

mod rollups;
mod view_counts;
