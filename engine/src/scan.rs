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

/// Just past the `)` that closes the `(` at `open`, read as bash reads a
/// `$(…)`, `<(…)` or `( … )`: nested parentheses count, and none counts
/// inside single quotes, `$'…'` (where `\'` does not end it), double
/// quotes (where a `$(…)` opens a nested one) or after a backslash. `None`
/// when it is not closed yet. Generic over bytes and chars: every character
/// it looks for is ASCII, so the same scan reads UTF-8 bytes.
pub(crate) fn closing_paren<T: Copy + Into<u32>>(s: &[T], open: usize) -> Option<usize> {
    let at = |i: usize| s.get(i).map(|&c| char::from_u32(c.into()).unwrap_or('\0'));
    let mut depth = 0usize;
    let mut i = open;
    let mut dollar = false;
    while let Some(c) = at(i) {
        let after_dollar = std::mem::replace(&mut dollar, false);
        match c {
            '\\' => i += 1,
            '$' => dollar = true,
            '\'' => {
                i += 1;
                loop {
                    match at(i)? {
                        '\\' if after_dollar => i += 1,
                        '\'' => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                loop {
                    match at(i)? {
                        '\\' => i += 1,
                        '"' => break,
                        '$' if at(i + 1) == Some('(') => i = closing_paren(s, i + 1)? - 1,
                        _ => {}
                    }
                    i += 1;
                }
            }
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
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

    #[test]
    fn closing_paren_skips_what_bash_quotes() {
        let end = |s: &str| {
            let chars: Vec<char> = s.chars().collect();
            let by_chars = closing_paren(&chars, 0)
                .and_then(|e| chars.get(..e).map(|c| c.iter().collect::<String>()));
            let by_bytes =
                closing_paren(s.as_bytes(), 0).and_then(|e| s.get(..e).map(String::from));
            assert_eq!(by_chars, by_bytes, "{s}");
            by_chars
        };
        assert_eq!(end("(a (b) c) d").as_deref(), Some("(a (b) c)"));
        assert_eq!(end("(echo 'x)') y").as_deref(), Some("(echo 'x)')"));
        assert_eq!(
            end(r#"(echo "a\")b)") z"#).as_deref(),
            Some(r#"(echo "a\")b)")"#)
        );
        assert_eq!(end(r"(echo a\)b) z").as_deref(), Some(r"(echo a\)b)"));
        assert_eq!(
            end(r"(echo $'it\'s)') z").as_deref(),
            Some(r"(echo $'it\'s)')")
        );
        // In plain single quotes a backslash is a character: 'a\' ends there.
        assert_eq!(end(r"(echo 'a\') z").as_deref(), Some(r"(echo 'a\')"));
        assert_eq!(
            end(r#"(echo "$(echo ")")") z"#).as_deref(),
            Some(r#"(echo "$(echo ")")")"#)
        );
        assert_eq!(end("(é (ü) ') ') x").as_deref(), Some("(é (ü) ') ')"));
        assert_eq!(end("(echo 'open"), None);
        assert_eq!(end("(echo (a)"), None);
    }
}
