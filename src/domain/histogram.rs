//! A mergeable response-time histogram with logarithmic buckets (the DDSketch idea): any
//! percentile read from it is within `RELATIVE_ERROR` of the exact value at that rank, and two
//! histograms add up bucket by bucket, so hours roll up into days without raw data.

use std::collections::BTreeMap;

/// Percentiles are within 1% of the true value (the bucket's relative width / 2).
pub const RELATIVE_ERROR: f64 = 0.01;

fn gamma() -> f64 {
    (1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR)
}

/// Counts of response times (whole milliseconds) by logarithmic bucket; bucket 0 holds 0 ms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    buckets: BTreeMap<u32, u64>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the stored histogram is corrupt: {0}")]
pub struct HistogramError(&'static str);

impl Histogram {
    pub fn new() -> Histogram {
        Histogram::default()
    }

    fn bucket_of(ms: u32) -> u32 {
        if ms == 0 { 0 } else { (f64::from(ms).ln() / gamma().ln()).ceil() as u32 + 1 }
    }

    /// The value a bucket stands for: the point whose relative distance to both edges is equal.
    fn value_of(bucket: u32) -> f64 {
        if bucket == 0 {
            return 0.0;
        }
        let upper = gamma().powi(bucket as i32 - 1);
        2.0 * upper / (gamma() + 1.0)
    }

    pub fn record(&mut self, ms: u32) {
        *self.buckets.entry(Histogram::bucket_of(ms)).or_insert(0) += 1;
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (&bucket, &count) in &other.buckets {
            *self.buckets.entry(bucket).or_insert(0) += count;
        }
    }

    pub fn count(&self) -> u64 {
        self.buckets.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// The value at rank `ceil(q * n)` (nearest rank), within `RELATIVE_ERROR` of the truth;
    /// `None` when empty. `q` is clamped to 0..=1.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (&bucket, &count) in &self.buckets {
            seen += count;
            if seen >= rank {
                return Some(Histogram::value_of(bucket));
            }
        }
        self.buckets.keys().next_back().map(|&b| Histogram::value_of(b))
    }

    /// Compact bytes: for each bucket in order, the LEB128 varints of (bucket − previous bucket, count).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buckets.len() * 3);
        let mut previous = 0;
        for (&bucket, &count) in &self.buckets {
            write_varint(&mut out, u64::from(bucket - previous));
            write_varint(&mut out, count);
            previous = bucket;
        }
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Histogram, HistogramError> {
        Ok(Histogram { buckets: decode_pairs(bytes)?.into_iter().collect() })
    }
}

/// Sums many histograms fast: counts in a flat array indexed by bucket, fed straight from the
/// stored bytes. A year of a hundred sites' daily rows adds up in milliseconds this way.
#[derive(Debug, Clone, Default)]
pub struct HistogramSum {
    counts: Vec<u64>,
}

impl HistogramSum {
    fn add_count(&mut self, bucket: usize, count: u64) {
        if bucket >= self.counts.len() {
            self.counts.resize(bucket + 1, 0);
        }
        self.counts[bucket] += count;
    }

    pub fn record(&mut self, ms: u32) {
        self.add_count(Histogram::bucket_of(ms) as usize, 1);
    }

    pub fn add(&mut self, histogram: &Histogram) {
        for (&bucket, &count) in &histogram.buckets {
            self.add_count(bucket as usize, count);
        }
    }

    /// Adds a histogram in its `encode`d form; corrupt bytes add nothing and say so.
    pub fn add_encoded(&mut self, bytes: &[u8]) -> Result<(), HistogramError> {
        let decoded = decode_pairs(bytes)?;
        for (bucket, count) in decoded {
            self.add_count(bucket as usize, count);
        }
        Ok(())
    }

    pub fn finish(self) -> Histogram {
        let buckets = self
            .counts
            .into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .map(|(bucket, count)| (bucket as u32, count))
            .collect();
        Histogram { buckets }
    }
}

/// The (bucket, count) pairs of encoded bytes, checked whole before any is used.
fn decode_pairs(bytes: &[u8]) -> Result<Vec<(u32, u64)>, HistogramError> {
    let mut pairs = Vec::with_capacity(bytes.len() / 2);
    let mut rest = bytes;
    let mut bucket: u64 = 0;
    while !rest.is_empty() {
        let delta = read_varint(&mut rest)?;
        let count = read_varint(&mut rest)?;
        bucket = bucket.checked_add(delta).ok_or(HistogramError("bucket overflow"))?;
        if bucket > u64::from(Histogram::bucket_of(u32::MAX)) {
            return Err(HistogramError("bucket out of range"));
        }
        if count == 0 {
            return Err(HistogramError("empty bucket"));
        }
        pairs.push((bucket as u32, count));
    }
    Ok(pairs)
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Result<u64, HistogramError> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first().ok_or(HistogramError("truncated"))?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(HistogramError("varint too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(sorted: &[u32], q: f64) -> f64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
        f64::from(sorted[rank - 1])
    }

    #[test]
    fn percentiles_are_within_the_stated_error() {
        let mut values: Vec<u32> = (0..5_000).map(|i| (i * 7919 % 30_011) + 1).collect();
        let mut h = Histogram::new();
        values.iter().for_each(|&v| h.record(v));
        values.sort_unstable();
        for q in [0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 1.0] {
            let truth = exact(&values, q);
            let estimate = h.quantile(q).unwrap();
            assert!((estimate - truth).abs() <= truth * RELATIVE_ERROR + 1e-9, "q={q}: {estimate} vs {truth}");
        }
    }

    #[test]
    fn zero_and_one_millisecond_are_exact() {
        let mut h = Histogram::new();
        h.record(0);
        h.record(1);
        assert_eq!(h.quantile(0.5), Some(0.0));
        assert!((h.quantile(1.0).unwrap() - 1.0).abs() <= 0.01);
    }

    #[test]
    fn merged_histograms_equal_one_built_from_all_values() {
        let (mut a, mut b, mut all) = (Histogram::new(), Histogram::new(), Histogram::new());
        for v in 1..500u32 {
            if v % 3 == 0 {
                a.record(v)
            } else {
                b.record(v)
            }
            all.record(v);
        }
        a.merge(&b);
        assert_eq!(a, all);
    }

    #[test]
    fn encoding_round_trips_and_is_compact() {
        let mut h = Histogram::new();
        for v in [0, 1, 12, 12, 250, 4_999, 5_000, 300_000] {
            h.record(v);
        }
        let bytes = h.encode();
        assert_eq!(Histogram::decode(&bytes).unwrap(), h);
        assert!(bytes.len() < 24, "{} bytes", bytes.len());
        assert_eq!(Histogram::decode(&[]).unwrap(), Histogram::new());
        assert!(Histogram::decode(&[0x80]).is_err());
        assert!(Histogram::decode(&[5, 0]).is_err());
    }

    #[test]
    fn a_sum_equals_merging_the_decoded_histograms() {
        let (mut a, mut b) = (Histogram::new(), Histogram::new());
        for v in 0..300u32 {
            a.record(v * 13 % 997);
            b.record(v * 7 + 5_000);
        }
        let mut sum = HistogramSum::default();
        sum.add_encoded(&a.encode()).unwrap();
        sum.add(&b);
        sum.record(42);
        let mut merged = a.clone();
        merged.merge(&b);
        merged.record(42);
        assert_eq!(sum.finish(), merged);
        let mut bad = HistogramSum::default();
        assert!(bad.add_encoded(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1]).is_err());
        assert_eq!(bad.finish(), Histogram::new());
    }

    #[test]
    fn an_empty_histogram_has_no_percentiles() {
        assert_eq!(Histogram::new().quantile(0.5), None);
    }
}
