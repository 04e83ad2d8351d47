//! Multi-row statements written once for both backends: `WITH v(...) AS (VALUES ...)`,
//! `UPDATE ... FROM` and `ON CONFLICT ... DO UPDATE` read the same on both; only the parameter
//! markers differ.

use super::DbConnection;

/// The VALUES rows for `rows` rows of `columns` parameters in this connection's dialect:
/// `($1, $2), ($3, $4)` on PostgreSQL, `(?, ?), (?, ?)` on SQLite (whose named `$n` markers
/// are looked up one by one, which makes a statement of thousands of them slow to prepare).
pub(crate) fn values_list(conn: &DbConnection, rows: usize, columns: usize) -> String {
    match conn {
        DbConnection::Postgres(_) => numbered_values(rows, columns),
        DbConnection::Sqlite(_) => {
            let row = format!("({})", vec!["?"; columns].join(", "));
            vec![row; rows].join(", ")
        }
    }
}

fn numbered_values(rows: usize, columns: usize) -> String {
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
        assert_eq!(numbered_values(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(numbered_values(1, 1), "($1)");
    }
}
