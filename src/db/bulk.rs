//! Multi-row statements written once for both backends: `$n` parameters number in order on
//! PostgreSQL and SQLite alike, and `WITH v(...) AS (VALUES ...)`, `UPDATE ... FROM` and
//! `ON CONFLICT ... DO UPDATE` read the same on both.

/// `($1, $2, $3), ($4, $5, $6)` for `rows` rows of `columns` parameters.
pub(crate) fn values_list(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * columns + column + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_number_across_rows() {
        assert_eq!(values_list(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values_list(1, 1), "($1)");
    }
}
