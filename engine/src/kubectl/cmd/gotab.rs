// Indexing is safe in this module: Go's tabwriter over the rows it was given: line and column indices come from the same rows and their lengths.
#![allow(clippy::indexing_slicing)]
//! Go's `text/tabwriter` with its column blocks, as `kubectl describe`
//! configures it (`minwidth 0, tabwidth 8, padding 2, ' '`): a column is
//! aligned over the run of consecutive lines that have a cell in it, so a
//! line without tabs, or a flush, starts new blocks. That is why, in a
//! pod's description, `QoS Class:` lines up with the volume lines above it.

/// A form feed in the text flushes, as `w.Flush()` does in describe.
pub const FLUSH: char = '\u{c}';

pub fn format(text: &str, minwidth: usize, padding: usize) -> String {
    let mut out = String::new();
    for part in text.split(FLUSH) {
        let mut lines: Vec<Vec<&str>> = part.split('\n').map(|l| l.split('\t').collect()).collect();
        // The text after the last newline is an unfinished line (usually empty).
        let last = lines.pop().unwrap_or_default();
        let mut widths = Vec::new();
        format_block(
            &lines,
            0,
            lines.len(),
            &mut widths,
            minwidth,
            padding,
            &mut out,
        );
        let tail = last.join("\t");
        out.push_str(&tail);
    }
    out
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() && j + 1 < line.len() {
                out.extend(std::iter::repeat_n(
                    ' ',
                    widths[j].saturating_sub(width(cell)),
                ));
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
    minwidth: usize,
    padding: usize,
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
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut w = minwidth;
        while this < line1 && column + 1 < lines[this].len() {
            w = w.max(width(lines[this][column]) + padding);
            this += 1;
        }
        widths.push(w);
        format_block(lines, line0, this, widths, minwidth, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_break_on_lines_without_a_cell() {
        let text = "Name:\tnginx\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nVolumes:\n  v:\n    TokenExpirationSeconds:\t3607\nQoS Class:\tBestEffort\n";
        assert_eq!(
            format(text, 0, 2),
            "Name:       nginx\nNamespace:  default\nIPs:\n  IP:  10.0.0.1\nVolumes:\n  v:\n    TokenExpirationSeconds:  3607\nQoS Class:                   BestEffort\n"
        );
    }
}
