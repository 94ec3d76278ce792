// Indexing is safe in this module: r[c] only for rows with more than c + 1 cells.
#![allow(clippy::indexing_slicing)]
//! kubectl's table layout: Go's `text/tabwriter` as cli-runtime configures
//! it (minimum width 6, padding 3, pad with spaces). A column is as wide as
//! its widest cell plus 3, at least 6; the last cell of a line is not padded.

const MIN_WIDTH: usize = 6;
const PADDING: usize = 3;

/// Lays out rows of cells. Rows may have different lengths; like tabwriter,
/// a column's width is computed over the consecutive rows that have it.
pub fn layout(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let widths = column_widths(rows);
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let w = widths.get(i).copied().unwrap_or(MIN_WIDTH);
                let len = cell.chars().count();
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(len)));
            }
        }
        out.push('\n');
    }
    out
}

fn column_widths(rows: &[Vec<String>]) -> Vec<usize> {
    let max_cols = rows
        .iter()
        .map(|r| r.len().saturating_sub(1))
        .max()
        .unwrap_or(0);
    (0..max_cols)
        .map(|c| {
            rows.iter()
                .filter(|r| r.len() > c + 1)
                .map(|r| r[c].chars().count() + PADDING)
                .fold(MIN_WIDTH, usize::max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pads_to_widest_plus_three_with_minimum_six() {
        let out = layout(&[
            row(&["NAME", "READY", "AGE"]),
            row(&["a", "1/1", "5s"]),
            row(&["longer-name", "0/1", "119s"]),
        ]);
        assert_eq!(
            out,
            "NAME          READY   AGE\na             1/1     5s\nlonger-name   0/1     119s\n"
        );
        // A column of one-character cells is still 6 wide.
        assert_eq!(
            layout(&[row(&["a", "b"]), row(&["c", "d"])]),
            "a     b\nc     d\n"
        );
    }
}
