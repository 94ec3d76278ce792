// Indexing is safe in this module: Go's tabwriter over the rows it was given: line and column indices come from the same rows and their lengths.
#![allow(clippy::indexing_slicing)]
//! Go's `text/tabwriter` with its column blocks: a column is aligned over
//! the run of consecutive lines that have a cell in it, so a line without
//! tabs, or a flush, starts new blocks. That is why, in a pod's description
//! (`kubectl describe`: minwidth 0, tabwidth 8, padding 2, spaces),
//! `QoS Class:` lines up with the volume lines above it. etcd's help pads
//! with tabs instead (minwidth 0, tabwidth 8, padding 1, `'\t'`).

/// A form feed in the text flushes, as `w.Flush()` does in describe.
pub const FLUSH: char = '\u{c}';

/// How the columns are padded (`tabwriter.Writer.Init`'s padchar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pad {
    Spaces,
    /// A cell is followed by the tabs that reach its column's width
    /// rounded up to a tab stop, every `tabwidth` columns.
    Tabs {
        tabwidth: usize,
    },
}

/// The text laid out with spaces (`padchar ' '`).
pub fn format(text: &str, minwidth: usize, padding: usize) -> String {
    format_padded(text, minwidth, padding, Pad::Spaces)
}

/// The text laid out with `pad`.
pub fn format_padded(text: &str, minwidth: usize, padding: usize, pad: Pad) -> String {
    let mut out = String::new();
    for part in text.split(FLUSH) {
        let mut lines: Vec<Vec<&str>> = part.split('\n').map(|l| l.split('\t').collect()).collect();
        // The text after the last newline is an unfinished line (usually empty).
        let last = lines.pop().unwrap_or_default();
        let mut widths = Vec::new();
        let layout = Layout {
            minwidth,
            padding,
            pad,
        };
        format_block(&lines, 0, lines.len(), &mut widths, layout, &mut out);
        let tail = last.join("\t");
        out.push_str(&tail);
    }
    out
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// The settings `format_block` passes down.
#[derive(Clone, Copy)]
struct Layout {
    minwidth: usize,
    padding: usize,
    pad: Pad,
}

fn write_lines(
    lines: &[Vec<&str>],
    from: usize,
    to: usize,
    widths: &[usize],
    pad: Pad,
    out: &mut String,
) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() && j + 1 < line.len() {
                match pad {
                    Pad::Spaces => out.extend(std::iter::repeat_n(
                        ' ',
                        widths[j].saturating_sub(width(cell)),
                    )),
                    Pad::Tabs { tabwidth } => {
                        let tabwidth = tabwidth.max(1);
                        let cellw = widths[j].div_ceil(tabwidth) * tabwidth;
                        let n = cellw.saturating_sub(width(cell));
                        out.extend(std::iter::repeat_n('\t', n.div_ceil(tabwidth)));
                    }
                }
            }
        }
        out.push('\n');
    }
}

fn format_block(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    layout: Layout,
    out: &mut String,
) {
    let column = widths.len();
    let mut line0 = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, layout.pad, out);
        line0 = this;
        let mut w = layout.minwidth;
        while this < line1 && column + 1 < lines[this].len() {
            w = w.max(width(lines[this][column]) + layout.padding);
            this += 1;
        }
        widths.push(w);
        format_block(lines, line0, this, widths, layout, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, layout.pad, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_padding_rounds_columns_up_to_tab_stops() {
        let text = "\ta\tx\n\tlonger name\ty\nNAME:\n";
        assert_eq!(
            format_padded(text, 0, 1, Pad::Tabs { tabwidth: 8 }),
            "\ta\t\tx\n\tlonger name\ty\nNAME:\n"
        );
    }

    #[test]
    fn blocks_break_on_lines_without_a_cell() {
        let text = "Name:\tnginx\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nVolumes:\n  v:\n    TokenExpirationSeconds:\t3607\nQoS Class:\tBestEffort\n";
        assert_eq!(
            format(text, 0, 2),
            "Name:       nginx\nNamespace:  default\nIPs:\n  IP:  10.0.0.1\nVolumes:\n  v:\n    TokenExpirationSeconds:  3607\nQoS Class:                   BestEffort\n"
        );
    }
}
