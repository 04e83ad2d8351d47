//! URL-safe identifiers for groups and sites, made from names the way Django's
//! `unique_slugify` helpers do: `Shop Front` -> `shop-front`, then `shop-front-2` when taken.

use std::fmt;

pub const MAX_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug is at most {MAX_LEN} characters")]
    TooLong,
    #[error("a slug may hold only lowercase letters, digits and single dashes between them (got `{0}`)")]
    BadCharacters(String),
}

impl Slug {
    /// Accepts a slug typed by a person: lowercase ASCII letters and digits, joined by single dashes.
    pub fn parse(raw: &str) -> Result<Slug, SlugError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(SlugError::Empty);
        }
        if raw.len() > MAX_LEN {
            return Err(SlugError::TooLong);
        }
        let well_formed = raw
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if !well_formed {
            return Err(SlugError::BadCharacters(raw.to_owned()));
        }
        Ok(Slug(raw.to_owned()))
    }

    /// Makes a slug from any name; `fallback` is used when the name has no ASCII letters or digits.
    pub fn from_name(name: &str, fallback: &str) -> Slug {
        let mut slug = String::with_capacity(name.len());
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let mut slug = truncate_at_dash(slug.trim_end_matches('-'), MAX_LEN - 4);
        if slug.is_empty() {
            slug = fallback.to_owned();
        }
        Slug(slug)
    }

    /// The `n`th alternative when this slug is taken: `shop` -> `shop-2`, `shop-3`, ...
    pub fn with_suffix(&self, n: u32) -> Slug {
        let suffix = format!("-{n}");
        let base = truncate_at_dash(&self.0, MAX_LEN - suffix.len());
        Slug(format!("{base}{suffix}"))
    }

    /// This slug if it is free, else the first of `slug-2`, `slug-3`, ... that is.
    pub fn first_free(&self, is_taken: impl Fn(&str) -> bool) -> Slug {
        if !is_taken(self.as_str()) {
            return self.clone();
        }
        (2..)
            .map(|n| self.with_suffix(n))
            .find(|candidate| !is_taken(candidate.as_str()))
            .expect("an unbounded range always yields a free suffix")
    }

    /// As [`Slug::first_free`], trying suffixes from `from` on (the slugs below it are known to
    /// be taken); returns the slug and the suffix to start from next time. Many entries with
    /// the same base (10,000 pages of one host) cost one lookup each instead of one per earlier
    /// entry.
    pub fn first_free_from(&self, from: u32, is_taken: impl Fn(&str) -> bool) -> (Slug, u32) {
        if from <= 2 && !is_taken(self.as_str()) {
            return (self.clone(), 2);
        }
        (from.max(2)..)
            .map(|n| (self.with_suffix(n), n))
            .find(|(candidate, _)| !is_taken(candidate.as_str()))
            .map(|(slug, n)| (slug, n + 1))
            .expect("an unbounded range always yields a free suffix")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn truncate_at_dash(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_owned();
    }
    slug[..max].trim_end_matches('-').to_owned()
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_lowercase_dashed_slugs() {
        assert_eq!(Slug::from_name("Shop Front", "site").as_str(), "shop-front");
        assert_eq!(Slug::from_name("  API -- v2!! ", "site").as_str(), "api-v2");
        assert_eq!(Slug::from_name("www.example.com", "site").as_str(), "www-example-com");
        assert_eq!(Slug::from_name("Ünïcode Café", "site").as_str(), "n-code-caf");
    }

    #[test]
    fn a_name_without_ascii_letters_uses_the_fallback() {
        assert_eq!(Slug::from_name("!!!", "site").as_str(), "site");
        assert_eq!(Slug::from_name("", "group").as_str(), "group");
    }

    #[test]
    fn long_names_are_cut_and_leave_room_for_a_suffix() {
        let slug = Slug::from_name(&"a".repeat(200), "site");
        assert!(slug.as_str().len() <= MAX_LEN - 4);
        let suffixed = slug.with_suffix(999);
        assert!(suffixed.as_str().len() <= MAX_LEN);
        assert!(suffixed.as_str().ends_with("-999"));
        assert!(Slug::parse(suffixed.as_str()).is_ok());
    }

    #[test]
    fn suffixes_count_from_two_like_unique_slugify() {
        let slug = Slug::from_name("shop", "site");
        assert_eq!(slug.with_suffix(2).as_str(), "shop-2");
        assert_eq!(slug.with_suffix(10).as_str(), "shop-10");
    }

    #[test]
    fn the_first_gap_is_used() {
        let base = Slug::parse("shop").unwrap();
        assert_eq!(base.first_free(|_| false).as_str(), "shop");
        let taken = ["shop", "shop-2", "shop-4", "shopping"];
        assert_eq!(base.first_free(|s| taken.contains(&s)).as_str(), "shop-3");
        let (slug, next) = base.first_free_from(2, |s| taken.contains(&s));
        assert_eq!((slug.as_str(), next), ("shop-3", 4));
        let (slug, next) = base.first_free_from(next, |s| taken.contains(&s) || s == "shop-3");
        assert_eq!((slug.as_str(), next), ("shop-5", 6), "starts where the last one was found");
    }

    #[test]
    fn parse_rejects_what_from_name_would_never_make() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert!(matches!(Slug::parse("Shop"), Err(SlugError::BadCharacters(_))));
        assert!(matches!(Slug::parse("-shop"), Err(SlugError::BadCharacters(_))));
        assert!(matches!(Slug::parse("shop--front"), Err(SlugError::BadCharacters(_))));
        assert!(matches!(Slug::parse("shop/front"), Err(SlugError::BadCharacters(_))));
        assert_eq!(Slug::parse(&"a".repeat(65)), Err(SlugError::TooLong));
        assert_eq!(Slug::parse(" shop-2 ").unwrap().as_str(), "shop-2");
    }
}
