//! Unicode case mapping exactly as the standard library's
//! `str::to_lowercase`, `str::to_uppercase` and `char::to_uppercase` do it
//! (the tests compare every character, and Σ's final form in every
//! context), from smaller tables (issue 11: the web bundle's size). The
//! standard library keeps a pair of 32-bit characters for each of ~1,500
//! mappings per direction, 24 KB of wasm that brotli shrinks to 7.8 KB;
//! most mappings come in runs (`A`–`Z` by +32, `Ā`–`Ž` alternating by +1),
//! so [`tables`] keeps one 64-bit word per run (~380 runs), the few
//! mappings to several characters as text, and Case_Ignorable (for Σ) as
//! distances between the ends of its ranges.
//!
//! `clippy.toml` disallows the standard functions, so their tables stay
//! out of the wasm.

mod tables;

use std::sync::OnceLock;
#[cfg(test)]
mod tests;

/// `s.to_lowercase()`.
pub fn to_lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'Σ' {
            out.push(sigma(s, i));
        } else {
            push_mapped(&mut out, c, tables::LOWER, &LOWER_MULTI);
        }
    }
    out
}

/// `s.to_uppercase()`.
pub fn to_uppercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_upper(&mut out, c);
    }
    out
}

/// `s` with its first character upper case (`c.to_uppercase()`), as Go's
/// code generators name a field's getter.
pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    let mut out = String::with_capacity(s.len());
    if let Some(first) = chars.next() {
        push_upper(&mut out, first);
    }
    out.push_str(chars.as_str());
    out
}

/// Pushes `c.to_uppercase()`.
pub fn push_upper(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_uppercase());
    } else {
        push_mapped(out, c, tables::UPPER, &UPPER_MULTI);
    }
}

/// Pushes what `c` maps to: one character by a run of `runs`, several by a
/// line of `multi` (the character, then its mapping), or itself.
fn push_mapped(out: &mut String, c: char, runs: &[u64], multi: &Multi) {
    if let Some(m) = single(runs, c) {
        out.push(m);
    } else if let Some(m) = multi.get(c) {
        out.push_str(m);
    } else {
        out.push(c);
    }
}

/// The mappings to several characters, by character: the lines of a
/// table, read once.
struct Multi {
    text: &'static str,
    lines: OnceLock<Vec<(char, &'static str)>>,
}

impl Multi {
    const fn new(text: &'static str) -> Self {
        Multi {
            text,
            lines: OnceLock::new(),
        }
    }

    fn get(&self, c: char) -> Option<&'static str> {
        let lines = self.lines.get_or_init(|| {
            self.text
                .lines()
                .filter_map(|l| {
                    let first = l.chars().next()?;
                    Some((first, l.get(first.len_utf8()..)?))
                })
                .collect()
        });
        let at = lines.binary_search_by(|&(k, _)| k.cmp(&c)).ok()?;
        lines.get(at).map(|&(_, m)| m)
    }
}

static UPPER_MULTI: Multi = Multi::new(tables::UPPER_MULTI);
static LOWER_MULTI: Multi = Multi::new(tables::LOWER_MULTI);

/// A run's fields: bits 0–20 its first character, 21–30 how many
/// characters it maps, 31 set when every second character is one of them
/// (upper and lower case alternate), 32–63 the distance to the mapping.
fn single(runs: &[u64], c: char) -> Option<char> {
    let code = c as u32;
    let start = |r: u64| (r & 0x1F_FFFF) as u32;
    let at = runs.partition_point(|&r| start(r) <= code).checked_sub(1)?;
    let run = *runs.get(at)?;
    let offset = code - start(run);
    let stride = if run >> 31 & 1 == 1 { 2 } else { 1 };
    let len = (run >> 21 & 0x3FF) as u32;
    if !offset.is_multiple_of(stride) || offset / stride >= len {
        return None;
    }
    char::from_u32(code.wrapping_add_signed((run >> 32) as u32 as i32))
}

/// The lower case of the `Σ` at byte `i` of `s`: `ς` at the end of a
/// word (Unicode's Final_Sigma, as the standard library reads it), else `σ`.
fn sigma(s: &str, i: usize) -> char {
    let before = s.get(..i).unwrap_or_default().chars().rev();
    let after = s.get(i + 'Σ'.len_utf8()..).unwrap_or_default().chars();
    if case_ignorable_then_cased(before) && !case_ignorable_then_cased(after) {
        'ς'
    } else {
        'σ'
    }
}

/// Whether the first character that is not Case_Ignorable is Cased.
fn case_ignorable_then_cased(mut chars: impl Iterator<Item = char>) -> bool {
    chars.find(|&c| !case_ignorable(c)).is_some_and(cased)
}

/// Unicode's Cased: Lowercase, Uppercase or a title case letter (which
/// has both a lower and an upper case).
fn cased(c: char) -> bool {
    c.is_lowercase()
        || c.is_uppercase()
        || (single(tables::LOWER, c).is_some()
            && (single(tables::UPPER, c).is_some() || UPPER_MULTI.get(c).is_some()))
}

/// Unicode's Case_Ignorable. [`tables::CASE_IGNORABLE`] holds the
/// distances between the ends of its ranges (first, after last, next
/// first…) in LEB128, read once into the ends themselves.
fn case_ignorable(c: char) -> bool {
    static ENDS: OnceLock<Vec<u32>> = OnceLock::new();
    let ends = ENDS.get_or_init(|| {
        let (mut ends, mut at, mut delta, mut shift) = (Vec::new(), 0u32, 0u32, 0);
        for &b in tables::CASE_IGNORABLE {
            delta |= u32::from(b & 0x7F) << shift;
            shift += 7;
            if b < 0x80 {
                at += delta;
                ends.push(at);
                (delta, shift) = (0, 0);
            }
        }
        ends
    });
    // Inside a range when an odd number of ends are at or before `c`.
    ends.partition_point(|&end| end <= c as u32) % 2 == 1
}
