//! Unique slugs among existing rows, like Djamon's `unique_slugify`: `shop`, `shop-2`, `shop-3`.

use std::collections::HashSet;

use crate::domain::slug::Slug;

/// The first of `base`, `base-2`, `base-3`, ... that is not in `taken`.
pub(crate) fn first_free(base: &Slug, taken: &[String]) -> Slug {
    let taken: HashSet<&str> = taken.iter().map(String::as_str).collect();
    if !taken.contains(base.as_str()) {
        return base.clone();
    }
    (2..)
        .map(|n| base.with_suffix(n))
        .find(|candidate| !taken.contains(candidate.as_str()))
        .expect("an unbounded range always yields a free suffix")
}

/// The LIKE pattern matching `base` and its numbered variants.
pub(crate) fn family_pattern(base: &Slug) -> String {
    format!("{base}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_gap_is_used() {
        let base = Slug::parse("shop").unwrap();
        assert_eq!(first_free(&base, &[]).as_str(), "shop");
        let taken = vec!["shop".to_owned(), "shop-2".to_owned(), "shop-4".to_owned(), "shopping".to_owned()];
        assert_eq!(first_free(&base, &taken).as_str(), "shop-3");
    }
}
