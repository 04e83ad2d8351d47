//! `check.concurrency`: how many probes a round runs at once, either a number or `"auto"`,
//! which follows the process's open-file limit.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Open files kept back from probes under `"auto"`: the database (SQLite's file, journal and
/// WAL, or PostgreSQL's connections), logs, the ICMP sockets, the runtime's own descriptors.
pub const AUTO_HEADROOM: u64 = 128;
/// The most probes `"auto"` runs at once. Measured on a 2-core machine: 1,500 keeps a round
/// of 10,000 sites under 100 MB and still waits out 1,000 hanging sites in one timeout; 10,000
/// at once took 250 MB and made some loopback connections fail.
pub const AUTO_CAP: usize = 1_500;
/// What `"auto"` uses when the limit cannot be read.
pub const AUTO_FALLBACK: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Concurrency {
    /// Follow the open-file limit (see [`Concurrency::resolve`]).
    #[default]
    Auto,
    /// Exactly this many probes at once.
    Fixed(usize),
}

impl Concurrency {
    /// The number of probes to run at once, given the soft open-file limit in force (after
    /// `check` raised it to the hard limit): a fixed number as it is; `"auto"` the limit less
    /// [`AUTO_HEADROOM`], at most [`AUTO_CAP`] and at least 1 ([`AUTO_FALLBACK`] when the
    /// limit is unknown).
    pub fn resolve(self, open_files: Option<u64>) -> usize {
        match self {
            Concurrency::Fixed(n) => n,
            Concurrency::Auto => match open_files {
                None => AUTO_FALLBACK,
                Some(limit) => {
                    usize::try_from(limit.saturating_sub(AUTO_HEADROOM)).unwrap_or(AUTO_CAP).clamp(1, AUTO_CAP)
                }
            },
        }
    }
}

impl fmt::Display for Concurrency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Concurrency::Auto => f.write_str("auto"),
            Concurrency::Fixed(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for Concurrency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Concurrency::Auto => serializer.serialize_str("auto"),
            Concurrency::Fixed(n) => serializer.serialize_u64(*n as u64),
        }
    }
}

const EXPECTED: &str = "\"auto\" or a whole number of probes from 1 up, e.g. 500";

impl<'de> Deserialize<'de> for Concurrency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ConcurrencyVisitor;

        impl Visitor<'_> for ConcurrencyVisitor {
            type Value = Concurrency;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Concurrency, E> {
                usize::try_from(n).map(Concurrency::Fixed).map_err(|_| E::custom(format!("{n} is too large")))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Concurrency, E> {
                match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!("{n} is negative; use {EXPECTED}"))),
                }
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Concurrency, E> {
                Err(E::custom(format!("{n} is not a whole number; use {EXPECTED}")))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Concurrency, E> {
                let text = text.trim();
                if text.eq_ignore_ascii_case("auto") {
                    return Ok(Concurrency::Auto);
                }
                // From the environment every value arrives as text.
                match text.parse::<i64>() {
                    Ok(n) => self.visit_i64(n),
                    Err(_) => Err(E::custom(format!("`{text}` is not {EXPECTED}"))),
                }
            }
        }

        deserializer.deserialize_any(ConcurrencyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_leaves_headroom_below_the_open_file_limit_and_is_capped() {
        assert_eq!(Concurrency::Auto.resolve(Some(1024)), 896);
        assert_eq!(Concurrency::Auto.resolve(Some(1600)), 1472);
        assert_eq!(Concurrency::Auto.resolve(Some(20_000)), AUTO_CAP);
        assert_eq!(Concurrency::Auto.resolve(Some(1 << 40)), AUTO_CAP);
        assert_eq!(Concurrency::Auto.resolve(Some(100)), 1, "never zero");
        assert_eq!(Concurrency::Auto.resolve(None), AUTO_FALLBACK);
        assert_eq!(Concurrency::Fixed(50).resolve(Some(1024)), 50, "a number is kept as given");
    }
}
