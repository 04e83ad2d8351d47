//! Counts of check outcomes by HTTP status or error kind, e.g. `200=58,500=1,timeout=1`.

use std::collections::BTreeMap;

/// The key of checks that succeeded without an HTTP status (TCP, ping).
pub const OK: &str = "ok";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeCounts(BTreeMap<String, u64>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("stored outcome counts are corrupt near `{0}`")]
pub struct OutcomeCountsError(String);

impl OutcomeCounts {
    /// Counts one check: its error kind if it has one (a keyword failure keeps its status code
    /// too, but the keyword is what failed), else its status code, else `ok` (a TCP or ping
    /// check that succeeded has neither).
    pub fn record(&mut self, status_code: Option<i32>, error: Option<&str>) {
        let key = match (status_code, error) {
            (_, Some(kind)) => kind.to_owned(),
            (Some(code), None) => code.to_string(),
            (None, None) => OK.to_owned(),
        };
        *self.0.entry(key).or_insert(0) += 1;
    }

    pub fn merge(&mut self, other: &OutcomeCounts) {
        for (key, count) in &other.0 {
            *self.0.entry(key.clone()).or_insert(0) += count;
        }
    }

    /// Adds counts in their `encode`d form without building a second map; a corrupt list adds
    /// what it can read and says so.
    pub fn add_encoded(&mut self, text: &str) -> Result<(), OutcomeCountsError> {
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let parsed = part.split_once('=').and_then(|(key, count)| Some((key, count.parse::<u64>().ok()?)));
            let (key, count) = parsed.ok_or_else(|| OutcomeCountsError(part.to_owned()))?;
            match self.0.get_mut(key) {
                Some(total) => *total += count,
                None => {
                    self.0.insert(key.to_owned(), count);
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> u64 {
        self.0.get(key).copied().unwrap_or(0)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(k, &v)| (k.as_str(), v))
    }

    pub fn encode(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    }

    pub fn decode(text: &str) -> Result<OutcomeCounts, OutcomeCountsError> {
        let mut counts = BTreeMap::new();
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let (key, count) = part.split_once('=').ok_or_else(|| OutcomeCountsError(part.to_owned()))?;
            let count: u64 = count.parse().map_err(|_| OutcomeCountsError(part.to_owned()))?;
            *counts.entry(key.to_owned()).or_insert(0) += count;
        }
        Ok(OutcomeCounts(counts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_trip_and_merge() {
        let mut a = OutcomeCounts::default();
        a.record(Some(200), None);
        a.record(Some(200), None);
        a.record(None, Some("timeout"));
        assert_eq!(a.encode(), "200=2,timeout=1");
        let mut b = OutcomeCounts::decode("200=1,500=3").unwrap();
        b.merge(&a);
        assert_eq!(b.encode(), "200=3,500=3,timeout=1");
        assert_eq!(OutcomeCounts::decode("").unwrap(), OutcomeCounts::default());
        assert!(OutcomeCounts::decode("200").is_err());
        let mut c = OutcomeCounts::default();
        c.add_encoded("200=2,timeout=1").unwrap();
        c.add_encoded("200=1,500=3").unwrap();
        assert_eq!(c.encode(), "200=3,500=3,timeout=1");
        assert_eq!(c.get("500"), 3);
        assert!(c.add_encoded("200=x").is_err());
    }

    #[test]
    fn keyword_failures_count_as_keyword_and_answers_without_status_as_ok() {
        let mut counts = OutcomeCounts::default();
        counts.record(Some(200), Some("keyword"));
        counts.record(None, None);
        counts.record(None, Some("unreachable"));
        assert_eq!(counts.encode(), "keyword=1,ok=1,unreachable=1");
    }
}
