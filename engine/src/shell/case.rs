//! `case WORD in PATTERN[|PATTERN]…) LIST ;; … esac`: the word is expanded,
//! each item's patterns are expanded and matched as globs in order, and
//! the first item that matches runs (its list up to `;;`). Items and
//! nested `case`s are found by scanning the text with quotes and `$(…)`
//! skipped, as bash's grammar reads them.

use super::{expand_word, parse, script, Session};
use crate::cluster::Cluster;
use crate::output::Output;
use crate::scan;

/// One `pattern) list ;;` item.
#[derive(Debug, PartialEq, Eq)]
struct Item<'a> {
    patterns: Vec<&'a str>,
    body: &'a str,
}

/// A parsed `case` statement.
#[derive(Debug, PartialEq, Eq)]
struct Case<'a> {
    subject: &'a str,
    items: Vec<Item<'a>>,
    /// Byte offset just after the closing `esac`.
    end: usize,
}

/// `text[a..b]`, or "" where an index falls inside a multibyte character
/// (an escape before one): random input must not panic.
fn sl(text: &str, a: usize, b: usize) -> &str {
    text.get(a..b).unwrap_or("")
}

fn syntax_error(token: &str) -> Output {
    Output::default()
        .fail(format!(
            "bash: syntax error near unexpected token `{token}'"
        ))
        .with_status(2)
}

/// Skips a quoted string or `$(…)`/`${…}`/`` `…` `` starting at `i`;
/// returns the index after it, or `None` when `i` starts none.
fn skip_quoted(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'\'' => {
            let close = scan::tail(b, i + 1).iter().position(|&c| c == b'\'')?;
            Some(i + close + 2)
        }
        b'"' => {
            let mut j = i + 1;
            while b.get(j).is_some_and(|&c| c != b'"') {
                j += if scan::byte(b, j) == b'\\' { 2 } else { 1 };
            }
            Some((j + 1).min(b.len()))
        }
        b'`' => {
            let close = scan::tail(b, i + 1).iter().position(|&c| c == b'`')?;
            Some(i + close + 2)
        }
        b'\\' => Some((i + 2).min(b.len())),
        b'$' if matches!(b.get(i + 1), Some(b'(') | Some(b'{')) => {
            let (open, close) = if scan::byte(b, i + 1) == b'(' {
                (b'(', b')')
            } else {
                (b'{', b'}')
            };
            let mut depth = 0;
            let mut j = i + 1;
            while j < b.len() {
                if let Some(k) = (scan::byte(b, j) != open && scan::byte(b, j) != close)
                    .then(|| skip_quoted(b, j))
                    .flatten()
                {
                    j = k;
                    continue;
                }
                if scan::byte(b, j) == open {
                    depth += 1;
                } else if scan::byte(b, j) == close {
                    depth -= 1;
                    if depth == 0 {
                        return Some(j + 1);
                    }
                }
                j += 1;
            }
            Some(b.len())
        }
        _ => None,
    }
}

/// The word starting at `i` (after blanks): its span.
fn word_at(text: &str, mut i: usize) -> (usize, usize) {
    let b = text.as_bytes();
    while b.get(i).is_some_and(|&c| matches!(c, b' ' | b'\t' | b'\n')) {
        i += 1;
    }
    let start = i;
    while b
        .get(i)
        .is_some_and(|&c| !matches!(c, b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'(' | b')'))
    {
        i = skip_quoted(b, i).unwrap_or(i + 1);
    }
    (start, i)
}

/// Parses the `case` statement at the start of `text`.
fn parse_case(text: &str) -> Result<Case<'_>, String> {
    let b = text.as_bytes();
    let (s, e) = word_at(text, 0);
    if sl(text, s, e) != "case" {
        return Err("case".into());
    }
    let (ss, se) = word_at(text, e);
    if ss == se {
        return Err(text
            .get(ss..)
            .and_then(|t| t.get(..1))
            .unwrap_or("newline")
            .to_string());
    }
    let subject = sl(text, ss, se);
    let (is, ie) = word_at(text, se);
    if sl(text, is, ie) != "in" {
        return Err(if is == ie {
            "newline".into()
        } else {
            sl(text, is, ie).to_string()
        });
    }
    let mut i = ie;
    let mut items = Vec::new();
    loop {
        // Blanks, newlines and stray `;` between items.
        while b.get(i).is_some_and(|&c| matches!(c, b' ' | b'\t' | b'\n')) {
            i += 1;
        }
        if i >= b.len() {
            return Err("end of file".into());
        }
        let (ws, we) = word_at(text, i);
        if sl(text, ws, we) == "esac" {
            return Ok(Case {
                subject,
                items,
                end: we,
            });
        }
        if scan::byte(b, i) == b'(' {
            i += 1;
        }
        // Patterns up to the unquoted `)`.
        let mut patterns = Vec::new();
        let mut start = i;
        loop {
            if i >= b.len() {
                return Err("end of file".into());
            }
            match scan::byte(b, i) {
                b')' => {
                    patterns.push(sl(text, start, i).trim());
                    i += 1;
                    break;
                }
                b'|' => {
                    patterns.push(sl(text, start, i).trim());
                    i += 1;
                    start = i;
                }
                b'\n' | b';' => {
                    return Err(if scan::byte(b, i) == b';' {
                        ";".into()
                    } else {
                        "newline".into()
                    })
                }
                b' ' | b'\t' => {
                    // Blanks may surround a pattern; a second word may not.
                    let (ws, we) = word_at(text, i);
                    if ws < we && !sl(text, start, i).trim().is_empty() {
                        return Err(sl(text, ws, we).to_string());
                    }
                    i = ws.max(i + 1);
                }
                _ => i = skip_quoted(b, i).unwrap_or(i + 1),
            }
        }
        if patterns.iter().any(|p| p.is_empty()) {
            return Err(")".into());
        }
        // The list up to `;;` or the closing `esac`, nested cases skipped.
        let body_start = i;
        let mut depth = 0;
        let mut at_command = true;
        let body_end;
        loop {
            if i >= b.len() {
                return Err("end of file".into());
            }
            if let Some(k) = skip_quoted(b, i) {
                i = k;
                at_command = false;
                continue;
            }
            match scan::byte(b, i) {
                b';' if depth == 0 && b.get(i + 1) == Some(&b';') => {
                    body_end = i;
                    i += 2;
                    if b.get(i) == Some(&b'&') {
                        i += 1;
                    }
                    break;
                }
                b' ' | b'\t' => i += 1,
                b'\n' | b';' | b'|' | b'&' | b'(' | b')' => {
                    at_command = true;
                    i += 1;
                }
                _ => {
                    let (ws, we) = word_at(text, i);
                    let w = sl(text, ws, we);
                    if at_command && w == "case" {
                        depth += 1;
                    } else if at_command && w == "esac" {
                        if depth == 0 {
                            body_end = ws;
                            // Leave `esac` for the item loop to close on.
                            i = ws;
                            break;
                        }
                        depth -= 1;
                    }
                    at_command = at_command && w == "in";
                    i = we.max(i + 1);
                }
            }
        }
        items.push(Item {
            patterns,
            body: sl(text, body_start, body_end),
        });
    }
}

/// Whether the text is a `case` statement still waiting for its `esac`.
pub(crate) fn case_open(text: &str) -> bool {
    matches!(parse_case(text), Err(e) if e == "end of file")
}

/// One word expanded as bash does for `case` (no field splitting).
fn expand_one(session: &mut Session, cluster: &mut Cluster, raw: &str) -> Result<String, Output> {
    match parse::parse(&format!(": {raw}")) {
        Ok(s) => {
            let words: Vec<parse::Word> = s
                .items
                .into_iter()
                .flat_map(|(_, p)| p)
                .flat_map(|c| c.words.into_iter().skip(1))
                .collect();
            Ok(words
                .iter()
                .flat_map(|w| expand_word(session, cluster, w))
                .collect::<Vec<_>>()
                .join(" "))
        }
        Err(e) => Err(Output::default().fail(e.message()).with_status(2)),
    }
}

/// Runs a `case` statement; commands after `esac` on the same line follow.
pub(crate) fn run(session: &mut Session, cluster: &mut Cluster, statement: &str) -> Output {
    let case = match parse_case(statement) {
        Ok(c) => c,
        Err(token) => {
            return if token == "end of file" {
                Output::default()
                    .fail("bash: syntax error: unexpected end of file")
                    .with_status(2)
            } else {
                syntax_error(&token)
            }
        }
    };
    let subject = match expand_one(session, cluster, case.subject) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let mut out = Output::default();
    'items: for item in &case.items {
        for p in &item.patterns {
            let pattern = match expand_one(session, cluster, p) {
                Ok(s) => s,
                Err(o) => return o,
            };
            // A quoted pattern matches itself; a bare one is a glob.
            let quoted = p.starts_with(['"', '\'']);
            let hit = if quoted {
                pattern == subject
            } else {
                super::glob::matches(&pattern, &subject)
            };
            if hit {
                out = script::run_text(session, cluster, item.body);
                break 'items;
            }
        }
    }
    let tail = statement[case.end..].trim_start_matches([' ', '\t', ';']);
    if tail.trim().is_empty() || session.loop_jump.is_some() {
        return out;
    }
    session.last_status = out.status;
    let rest = script::run_text(session, cluster, tail);
    out.chunks.extend(rest.chunks);
    out.status = rest.status;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Simulation;

    #[test]
    fn items_and_patterns_are_found() {
        let c = parse_case("case $x in\n  a|b) echo ab;;\n  (c*) case y in y) echo y;; esac ;;\n  *) echo other\nesac; echo after").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.subject, "$x");
        assert_eq!(c.items.len(), 3);
        assert_eq!(c.items[0].patterns, vec!["a", "b"]);
        assert_eq!(c.items[1].body.trim(), "case y in y) echo y;; esac");
        assert_eq!(c.items[2].patterns, vec!["*"]);
        assert_eq!(c.items[2].body.trim(), "echo other");
        assert!(case_open("case $x in\n a) echo a;;\n"));
        assert!(!case_open("case $x in a) echo a;; esac"));
    }

    #[test]
    fn case_runs_the_first_matching_item() {
        let mut s = Simulation::new(3);
        let out = s.run("x=web-1; case $x in db*) echo database;; web-*|api-*) echo frontend;; *) echo other;; esac\n");
        assert_eq!(out.stdout(), "frontend\n");
        let out = s.run("case \"$(hostname)\" in\n  controlplane) echo cp ;;\n  *) echo worker ;;\nesac\necho done\n");
        assert_eq!(out.stdout(), "cp\ndone\n");
        let out = s.run("for n in 1 2 3; do case $n in 2) echo two;; *) echo n$n;; esac; done\n");
        assert_eq!(out.stdout(), "n1\ntwo\nn3\n");
        let out = s.run("case x in x echo;; esac\n");
        assert_eq!(out.status, 2, "{}", out.stderr());
        assert!(
            out.stderr().starts_with("bash: syntax error"),
            "{}",
            out.stderr()
        );
    }
}
