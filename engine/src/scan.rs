//! Bounds-checked reads for the hand-written scanners of user input (the
//! shell's lexers, jsonpath, printf, sed, the YAML emitter's analysis): past
//! the end a read gives NUL or an empty slice instead of panicking, because in
//! wasm a panic kills the learner's page (issue 11). The scanners test their
//! bounds before reading, so inside the bounds nothing changes.

/// The byte at `i`, or NUL past the end.
pub(crate) fn byte(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// The char at `i`, or NUL past the end.
pub(crate) fn char_at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}

/// `s[from..]`, or empty when `from` is past the end.
pub(crate) fn tail<T>(s: &[T], from: usize) -> &[T] {
    s.get(from..).unwrap_or_default()
}

/// `s[from..to]`, or empty when the range is out of bounds or reversed.
pub(crate) fn span<T>(s: &[T], from: usize, to: usize) -> &[T] {
    s.get(from..to).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_past_the_end_are_empty() {
        assert_eq!(byte(b"ab", 1), b'b');
        assert_eq!(byte(b"ab", 2), 0);
        assert_eq!(char_at(&['x'], 5), '\0');
        assert_eq!(tail(&[1, 2, 3], 1), &[2, 3]);
        assert_eq!(tail(&[1, 2, 3], 4), &[] as &[i32]);
        assert_eq!(span(&[1, 2, 3], 1, 2), &[2]);
        assert_eq!(span(&[1, 2, 3], 2, 1), &[] as &[i32]);
        assert_eq!(span(&[1, 2, 3], 0, 9), &[] as &[i32]);
    }
}
