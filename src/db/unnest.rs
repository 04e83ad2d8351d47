//! PostgreSQL only: bulk writes with each column passed as one array and turned back into rows
//! by `UNNEST`. One statement and a handful of parameters for any number of rows (and one firing
//! of the statement-level triggers) instead of a statement per few hundred rows with thousands
//! of parameters each; at 10,000 sites a round's write takes a third of the time. Each model
//! keeps its own statement beside its other queries; this holds what they share.

/// One field of every row, as the array `UNNEST` takes for that column.
pub(crate) fn column<T, U>(rows: &[T], field: impl Fn(&T) -> U) -> Vec<U> {
    rows.iter().map(field).collect()
}
