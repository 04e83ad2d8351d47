//! The SQL side of unique slugs: the LIKE pattern that finds a slug and its numbered variants.

use crate::domain::slug::Slug;

/// The LIKE pattern matching `base` and its numbered variants.
pub(crate) fn family_pattern(base: &Slug) -> String {
    format!("{base}%")
}
