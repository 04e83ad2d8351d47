//! Aligned text tables and JSON for `list` commands.

use serde::Serialize;

use super::CliError;

/// A table printed with columns padded to their widest cell.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Table {
        Table { headers: headers.to_vec(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.headers.len());
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        self.render_styled(|_, _| None)
    }

    /// The table with each body cell passed through `style(column, text)`, which may wrap
    /// the padded cell (colour codes take no width, so columns still line up).
    pub fn render_styled(&self, style: impl Fn(usize, &str) -> Option<super::terminal::Paint>) -> String {
        self.render_with(|column, text, padded| match style(column, text) {
            Some(paint) => super::terminal::paint(padded, Some(paint), true),
            None => padded.to_owned(),
        })
    }

    fn render_with(&self, finish: impl Fn(usize, &str, &str) -> String) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let header_cells: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        for (row, cells) in std::iter::once(&header_cells).chain(&self.rows).enumerate() {
            let last = cells.len() - 1;
            for (i, cell) in cells.iter().enumerate() {
                let padded = if i < last {
                    format!("{cell}{}", " ".repeat(widths[i] - cell.chars().count()))
                } else {
                    cell.clone()
                };
                out.push_str(&if row == 0 { padded } else { finish(i, cell, &padded) });
                if i < last {
                    out.push_str("  ");
                }
            }
            out.push('\n');
        }
        out
    }

    /// Prints the table, or `empty` when there are no rows.
    pub fn print_or(&self, empty: &str) {
        if self.rows.is_empty() {
            println!("{empty}");
        } else {
            print!("{}", self.render());
        }
    }
}

pub fn print_json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// A time for a table cell: `2026-11-21 09:30 UTC`, or `never`.
pub fn when(t: Option<chrono::NaiveDateTime>) -> String {
    t.map_or_else(|| "never".to_owned(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_on_the_widest_cell() {
        let mut table = Table::new(&["SLUG", "NAME"]);
        table.row(vec!["a".into(), "Alpha".into()]);
        table.row(vec!["longer-slug".into(), "B".into()]);
        assert_eq!(table.render(), "SLUG         NAME\na            Alpha\nlonger-slug  B\n");
    }
}
