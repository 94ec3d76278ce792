//! Brace expansion, bash's first expansion: `{a,b}` alternatives and
//! `{1..5}`, `{01..10}`, `{1..10..2}`, `{a..e}` sequences. Braces that are
//! neither (`{}`, `${VAR}`, jsonpath `{.items[*]}`) stay as written.

/// At most this many words from one word, as a guard against `{1..99999999}`.
const MAX_WORDS: usize = 100_000;
use crate::scan;

/// The words one unquoted word becomes (itself when it has no brace expression).
pub fn expand(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    expand_into(word, &mut out, 0);
    out
}

fn expand_into(word: &str, out: &mut Vec<String>, depth: usize) {
    if out.len() >= MAX_WORDS {
        return;
    }
    let Some((open, close, items)) = find(word).filter(|_| depth < 32) else {
        out.push(word.to_string());
        return;
    };
    let (pre, post) = (&word[..open], &word[close + 1..]);
    for item in items {
        expand_into(&format!("{pre}{item}{post}"), out, depth + 1);
        if out.len() >= MAX_WORDS {
            return;
        }
    }
}

/// The first brace expression: its byte span and the texts it stands for.
fn find(word: &str) -> Option<(usize, usize, Vec<String>)> {
    let b = word.as_bytes();
    for open in (0..b.len()).filter(|&i| scan::byte(b, i) == b'{') {
        if open > 0 && scan::byte(b, open - 1) == b'$' {
            continue;
        }
        // The matching `}`, and the top-level commas inside.
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (j, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                b',' if depth == 1 => commas.push(j),
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        if !commas.is_empty() {
            let mut items = Vec::new();
            let mut start = open + 1;
            for c in commas.into_iter().chain(std::iter::once(close)) {
                items.push(word[start..c].to_string());
                start = c + 1;
            }
            return Some((open, close, items));
        }
        if let Some(items) = sequence(&word[open + 1..close]) {
            return Some((open, close, items));
        }
    }
    None
}

/// `1..5`, `5..1`, `1..10..2`, `01..10`, `a..e`.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    let (a, b, step) = match parts.as_slice() {
        [a, b] => (*a, *b, None),
        [a, b, s] => (*a, *b, Some(s.parse::<i64>().ok()?)),
        _ => return None,
    };
    let step = step.map(|s| s.unsigned_abs().max(1) as i64).unwrap_or(1);
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let padded = |s: &str| {
            s.trim_start_matches('-').len() > 1 && s.trim_start_matches('-').starts_with('0')
        };
        let width = if padded(a) || padded(b) {
            a.len().max(b.len())
        } else {
            0
        };
        let mut items = Vec::new();
        let mut v = x;
        loop {
            items.push(if v < 0 {
                format!("-{:0w$}", v.unsigned_abs(), w = width.saturating_sub(1))
            } else {
                format!("{v:0width$}")
            });
            if v == y || items.len() >= MAX_WORDS {
                break;
            }
            let next = if x <= y {
                v.checked_add(step)
            } else {
                v.checked_sub(step)
            };
            match next {
                Some(n) if (x <= y && n <= y) || (x > y && n >= y) => v = n,
                _ => break,
            }
        }
        return Some(items);
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    let (Some(x), None, Some(y), None) = (ca.next(), ca.next(), cb.next(), cb.next()) else {
        return None;
    };
    if !x.is_ascii_alphabetic() || !y.is_ascii_alphabetic() {
        return None;
    }
    let (x, y) = (x as u8, y as u8);
    let mut items = Vec::new();
    let mut v = x as i64;
    loop {
        items.push((v as u8 as char).to_string());
        if v == y as i64 {
            break;
        }
        v += if x <= y { step } else { -step };
        if (x <= y && v > y as i64) || (x > y && v < y as i64) {
            break;
        }
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_sequences() {
        assert_eq!(expand("{1..5}"), ["1", "2", "3", "4", "5"]);
        assert_eq!(expand("web-{a,b}.yaml"), ["web-a.yaml", "web-b.yaml"]);
        assert_eq!(expand("{3..1}"), ["3", "2", "1"]);
        assert_eq!(expand("{1..10..4}"), ["1", "5", "9"]);
        assert_eq!(expand("{08..10}"), ["08", "09", "10"]);
        assert_eq!(expand("{a..c}{1,2}"), ["a1", "a2", "b1", "b2", "c1", "c2"]);
        assert_eq!(expand("x{a,{b,c}}"), ["xa", "xb", "xc"]);
    }

    #[test]
    fn other_braces_stay() {
        for w in [
            "{}",
            "${HOME}",
            "{.items[*]}",
            "{.items..name}",
            "{a}",
            "{",
            "}{",
            "{1..}",
            "{..}",
        ] {
            assert_eq!(expand(w), [w], "{w}");
        }
        assert_eq!(expand("{1..99999999}").len(), MAX_WORDS);
    }
}
