// Indexing is safe in this module: r[c] only for rows with more than c + 1 cells; SPACES[..k] with k at most its length.
#![allow(clippy::indexing_slicing)]
//! kubectl's table layout: Go's `text/tabwriter` as cli-runtime configures
//! it (minimum width 6, padding 3, pad with spaces). A column is as wide as
//! its widest cell plus 3, at least 6; the last cell of a line is not padded.

const MIN_WIDTH: usize = 6;
const PADDING: usize = 3;

/// Lays out rows of cells. Rows may have different lengths; like tabwriter,
/// a column's width is computed over the consecutive rows that have it.
pub fn layout<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let widths = column_widths(rows);
    // About the length, so that a listing of thousands of rows grows its
    // text once or twice rather than a dozen times.
    let line: usize = widths.iter().sum::<usize>() + MIN_WIDTH + 1;
    let mut out = String::with_capacity(rows.len() * line);
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let cell = cell.as_ref();
            out.push_str(cell);
            if i + 1 < row.len() {
                let w = widths.get(i).copied().unwrap_or(MIN_WIDTH);
                pad(&mut out, w.saturating_sub(width(cell)));
            }
        }
        out.push('\n');
    }
    out
}

/// Lays out `rows` rows of `cols` cells each, `cell(row, col)` giving a
/// cell and its [`width`]: the same text as [`layout`] of those rows,
/// without a `Vec` per row (a listing of thousands of pods).
pub fn layout_grid<'a>(
    rows: usize,
    cols: usize,
    cell: impl Fn(usize, usize) -> (&'a str, usize),
) -> String {
    let mut widths = vec![MIN_WIDTH; cols.saturating_sub(1)];
    for r in 0..rows {
        for (c, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(cell(r, c).1 + PADDING);
        }
    }
    let line: usize = widths.iter().sum::<usize>() + MIN_WIDTH + 1;
    let mut out = String::with_capacity(rows * line);
    for r in 0..rows {
        for c in 0..cols {
            let (text, width) = cell(r, c);
            out.push_str(text);
            if let Some(w) = widths.get(c) {
                pad(&mut out, w.saturating_sub(width));
            }
        }
        out.push('\n');
    }
    out
}

/// Appends `n` spaces, a slice at a time rather than a character at a time.
fn pad(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// The characters of a cell (its bytes when it is ASCII, as almost every cell is).
pub fn width(cell: &str) -> usize {
    if cell.is_ascii() {
        cell.len()
    } else {
        cell.chars().count()
    }
}

fn column_widths<S: AsRef<str>>(rows: &[Vec<S>]) -> Vec<usize> {
    let max_cols = rows
        .iter()
        .map(|r| r.len().saturating_sub(1))
        .max()
        .unwrap_or(0);
    (0..max_cols)
        .map(|c| {
            rows.iter()
                .filter(|r| r.len() > c + 1)
                .map(|r| width(r[c].as_ref()) + PADDING)
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

    #[test]
    fn a_grid_lays_out_as_its_rows() {
        let rows = [
            row(&["NAME", "STATUS", "X"]),
            row(&[
                "ü-naïve",
                "a-cell-longer-than-the-thirty-two-spaces-pad-slices",
                "y",
            ]),
            row(&["", "", ""]),
        ];
        let grid = layout_grid(rows.len(), 3, |r, c| {
            let cell = rows[r][c].as_str();
            (cell, width(cell))
        });
        assert_eq!(grid, layout(&rows));
        assert_eq!(layout_grid(2, 0, |_, _| ("", 0)), "\n\n");
    }
}
