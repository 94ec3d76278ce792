//! Scripts as `source` reads them: besides plain command lines, function
//! definitions (`name() { … }`) and `if … then … [elif …] [else …] fi`
//! blocks — enough for `source <(kubectl completion bash)` and for
//! `~/.bashrc`-style files. A function's body is kept as text and runs when
//! the function is called; completion functions are never called, since
//! Tab completion is the terminal's own (see [`super::complete`]).

use super::{parse, run_line, Session};
use crate::cluster::Cluster;
use crate::output::Output;
use crate::scan;

/// Runs a script text in the session (not a subshell): line by line,
/// a command continuing while it is incomplete, blocks as wholes.
pub(crate) fn run_text(session: &mut Session, cluster: &mut Cluster, text: &str) -> Output {
    if !has_blocks(text) {
        return run_line(session, cluster, text);
    }
    let mut out = Output::default();
    let mut rest = text;
    while !rest.is_empty() {
        let (statement, after) = next_statement(rest);
        rest = after;
        let result = match block_kind(statement) {
            Some(Block::Function) => {
                // `f() { …; }; f`: what follows the closing brace runs next.
                let (definition, tail) = split_function(statement);
                let r = define_function(session, definition);
                let tail = tail.trim_start_matches([' ', '\t', ';']);
                if tail.trim().is_empty() || r.status != 0 {
                    r
                } else {
                    out.chunks.extend(r.chunks);
                    run_text(session, cluster, tail)
                }
            }
            Some(Block::If) => {
                // Commands after the closing `fi` on the same line run after it.
                let end = if_end(statement).unwrap_or(statement.len());
                let (head, tail) = statement.split_at(end);
                let r = run_if(session, cluster, head);
                let tail = tail.trim_start_matches([' ', '\t', ';']);
                if tail.trim().is_empty() || session.loop_jump.is_some() {
                    r
                } else {
                    out.chunks.extend(r.chunks);
                    session.last_status = r.status;
                    run_text(session, cluster, tail)
                }
            }
            Some(Block::Loop) => super::loops::run_statement(session, cluster, statement),
            Some(Block::Case) => {
                // `x=1; case …`: what comes before the `case` runs first.
                let at = case_start(statement).unwrap_or(0);
                let (head, case) = statement.split_at(at);
                if head.trim().is_empty() {
                    super::case::run(session, cluster, case)
                } else {
                    let r = run_line(session, cluster, head);
                    out.chunks.extend(r.chunks);
                    session.last_status = r.status;
                    if session.env.contains_key("\u{0}exit") {
                        out.status = r.status;
                        break;
                    }
                    super::case::run(session, cluster, case)
                }
            }
            None if statement.trim().is_empty() => continue,
            None => run_line(session, cluster, statement),
        };
        out.status = result.status;
        session.last_status = result.status;
        out.chunks.extend(result.chunks);
        if session.env.contains_key("\u{0}exit")
            || session.editor.request.is_some()
            || session.question.prompt.is_some()
            || session.loop_jump.is_some()
            || session.env.contains_key(super::ABANDON)
        {
            break;
        }
    }
    out
}

/// Where the `fi` closing a statement's first `if` ends.
fn if_end(statement: &str) -> Option<usize> {
    let mut depth = 0;
    for k in super::loops::keywords(statement) {
        match k.word {
            "if" => depth += 1,
            "fi" => {
                depth -= 1;
                if depth == 0 {
                    return Some(k.end);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether an input still needs lines to close a function body or an
/// `if` (the terminal's `>` prompt).
pub fn block_open(src: &str) -> bool {
    let mut rest = src;
    while !rest.is_empty() {
        let (statement, after) = next_statement(rest);
        if after.is_empty() && block_kind(statement).is_some() && !block_closed(statement) {
            return true;
        }
        rest = after;
    }
    false
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Function,
    If,
    /// A statement holding a `for`/`while`/`until` loop (see [`super::loops`]).
    Loop,
    /// `case … esac`, at the start or after `;` (see [`super::case`]).
    Case,
}

/// Where a statement's `case` starts: at its first word, or as the first
/// word after a top-level `;` or newline (`x=web; case $x in …`).
fn case_start(statement: &str) -> Option<usize> {
    let b = statement.as_bytes();
    let mut i = 0;
    let mut boundary = true;
    while i < b.len() {
        match scan::byte(b, i) {
            b' ' | b'\t' => i += 1,
            b';' | b'\n' => {
                // `;;` belongs to a case already.
                if b.get(i + 1) == Some(&b';') {
                    return None;
                }
                boundary = true;
                i += 1;
            }
            b'\'' | b'"' | b'`' | b'\\' | b'$' => {
                boundary = false;
                i = skip(b, i);
            }
            _ => {
                let start = i;
                while b
                    .get(i)
                    .is_some_and(|&c| !matches!(c, b' ' | b'\t' | b'\n' | b';'))
                {
                    i = skip(b, i);
                }
                // `get`: an escape can end inside a multibyte character.
                let word = statement.get(start..i).unwrap_or("");
                if boundary && word == "case" {
                    return Some(start);
                }
                // A loop or `if` first: that block's rules apply.
                if boundary && matches!(word, "for" | "while" | "until" | "if") {
                    return None;
                }
                boundary = false;
            }
        }
    }
    None
}

/// The index after the quoted part or character at `i`.
fn skip(b: &[u8], i: usize) -> usize {
    let close = |q: u8| {
        scan::tail(b, i + 1)
            .iter()
            .position(|&c| c == q)
            .map_or(b.len(), |p| i + p + 2)
    };
    match scan::byte(b, i) {
        b'\'' => close(b'\''),
        b'"' => close(b'"'),
        b'`' => close(b'`'),
        b'\\' => (i + 2).min(b.len()),
        _ => i + 1,
    }
}

fn has_blocks(text: &str) -> bool {
    text.lines()
        .any(|l| function_name(l).is_some() || first_word(l) == Some("if"))
        || super::loops::first_loop(text).is_some()
        || case_start(text).is_some()
}

fn first_word(line: &str) -> Option<&str> {
    line.split([' ', '\t', ';']).find(|w| !w.is_empty())
}

/// `name()`, `name ()`, `function name` — the start of a definition.
fn function_name(line: &str) -> Option<&str> {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix("function ") {
        let name = rest.trim_start().split([' ', '(', '{']).next()?;
        return valid_name(name).then_some(name);
    }
    let open = line.find('(')?;
    let name = line[..open].trim_end();
    let after = line[open + 1..].trim_start();
    (valid_name(name) && after.starts_with(')')).then_some(name)
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

fn block_kind(statement: &str) -> Option<Block> {
    let first_line = statement.lines().find(|l| !l.trim().is_empty())?;
    if function_name(first_line).is_some() {
        Some(Block::Function)
    } else if first_word(first_line) == Some("if") {
        Some(Block::If)
    } else if case_start(statement).is_some() {
        Some(Block::Case)
    } else if super::loops::first_loop(statement).is_some() {
        Some(Block::Loop)
    } else {
        None
    }
}

/// Splits off the first statement: a block up to its closing `}`/`fi`
/// line, or one command line (continued while incomplete).
fn next_statement(text: &str) -> (&str, &str) {
    let mut end = 0;
    let mut kind = None;
    for line in text.split_inclusive('\n') {
        end += line.len();
        let so_far = &text[..end];
        if kind.is_none() {
            kind = block_kind(so_far);
            if kind.is_none() && so_far.trim().is_empty() {
                continue;
            }
        }
        let done = match kind {
            Some(_) => block_closed(so_far),
            None => parse::command_complete(so_far),
        };
        if done {
            return (so_far, &text[end..]);
        }
    }
    (text, "")
}

/// Braces balance for a function; `if`s and `fi`s balance for an `if`.
fn block_closed(statement: &str) -> bool {
    match block_kind(statement) {
        Some(Block::Function) => braces(statement).last().is_some_and(|(_, closed)| closed),
        Some(Block::If) => {
            let mut depth = 0i32;
            for w in words(statement) {
                match w {
                    "if" => depth += 1,
                    "fi" => depth -= 1,
                    _ => {}
                }
            }
            depth <= 0
        }
        Some(Block::Loop) => {
            super::loops::loops_closed(statement) && parse::command_complete(statement)
        }
        Some(Block::Case) => {
            !super::case::case_open(&statement[case_start(statement).unwrap_or(0)..])
        }
        None => true,
    }
}

/// The words of a text, split at blanks and `;`, quotes left alone: enough
/// to find keywords and braces, which stand alone in well-formed scripts.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', '\t', '\n', ';']).filter(|w| !w.is_empty())
}

/// Each word of a text with whether the braces opened so far are all
/// closed after it (a function's body is whole).
fn braces(text: &str) -> impl Iterator<Item = (&str, bool)> {
    words(text).scan((0i32, false), |(depth, opened), w| {
        match w {
            "{" => {
                *depth += 1;
                *opened = true;
            }
            "}" => *depth -= 1,
            _ => {}
        }
        Some((w, *opened && *depth <= 0))
    })
}

/// A function definition through its closing `}`, and the rest.
fn split_function(statement: &str) -> (&str, &str) {
    let Some((w, _)) = braces(statement).find(|(_, closed)| *closed) else {
        return (statement, "");
    };
    // `w` is a slice of `statement`: its end is an offset into it.
    let end = (w.as_ptr() as usize - statement.as_ptr() as usize) + w.len();
    match (statement.get(..end), statement.get(end..)) {
        (Some(head), Some(tail)) => (head, tail),
        _ => (statement, ""),
    }
}

fn define_function(session: &mut Session, statement: &str) -> Output {
    let first = statement
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let Some(name) = function_name(first) else {
        return Output::default();
    };
    let body = match (statement.find('{'), statement.rfind('}')) {
        (Some(open), Some(close)) if open < close => statement[open + 1..close].to_string(),
        _ => {
            return Output::default()
                .fail("bash: syntax error: unexpected end of file")
                .with_status(2)
        }
    };
    session.functions.insert(name.to_string(), body);
    Output::default()
}

/// `if LIST; then LIST; [elif LIST; then LIST;]… [else LIST;] fi`.
fn run_if(session: &mut Session, cluster: &mut Cluster, statement: &str) -> Output {
    let Some(parts) = split_if(statement) else {
        return Output::default()
            .fail("bash: syntax error near unexpected token `fi'")
            .with_status(2);
    };
    let mut out = Output::default();
    for (condition, body) in parts.branches {
        let tested = run_text(session, cluster, condition);
        let status = tested.status;
        out.chunks.extend(tested.chunks);
        if status == 0 {
            let r = run_text(session, cluster, body);
            out.chunks.extend(r.chunks);
            out.status = r.status;
            return out;
        }
    }
    if let Some(body) = parts.otherwise {
        let r = run_text(session, cluster, body);
        out.chunks.extend(r.chunks);
        out.status = r.status;
    }
    out
}

struct IfParts<'a> {
    branches: Vec<(&'a str, &'a str)>,
    otherwise: Option<&'a str>,
}

/// Finds the top-level keywords of an `if` statement (nested `if`s are
/// skipped by depth) and cuts the text between them.
fn split_if(statement: &str) -> Option<IfParts<'_>> {
    let mut marks: Vec<(&str, usize, usize)> = Vec::new();
    let mut depth = 0;
    let bytes = statement.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at_start = i == 0 || matches!(scan::byte(bytes, i - 1), b' ' | b'\t' | b'\n' | b';');
        if at_start {
            for kw in ["if", "then", "elif", "else", "fi"] {
                let end = i + kw.len();
                let ends = end == bytes.len()
                    || matches!(bytes.get(end), Some(b' ' | b'\t' | b'\n' | b';'));
                if statement[i..].starts_with(kw) && ends {
                    match kw {
                        "if" => {
                            depth += 1;
                            if depth == 1 {
                                marks.push((kw, i, end));
                            }
                        }
                        "fi" => {
                            if depth == 1 {
                                marks.push((kw, i, end));
                            }
                            depth -= 1;
                        }
                        _ if depth == 1 => marks.push((kw, i, end)),
                        _ => {}
                    }
                    i = end;
                    break;
                }
            }
        }
        i += 1;
    }
    let mut branches = Vec::new();
    let mut otherwise = None;
    let mut k = 0;
    while let Some(&(kw, _, body_start)) = marks.get(k) {
        match kw {
            "if" | "elif" => {
                let then = marks.get(k + 1).filter(|m| m.0 == "then")?;
                let next = marks.get(k + 2)?;
                branches.push((&statement[body_start..then.1], &statement[then.2..next.1]));
                k += 2;
            }
            "else" => {
                let next = marks.get(k + 1).filter(|m| m.0 == "fi")?;
                otherwise = Some(&statement[body_start..next.1]);
                k += 1;
            }
            "fi" => break,
            _ => return None,
        }
    }
    if branches.is_empty() || marks.last().map(|m| m.0) != Some("fi") {
        return None;
    }
    Some(IfParts {
        branches,
        otherwise,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_and_blocks() {
        let text = "a() {\n  echo a\n}\necho b\nif true; then\n  echo c\nfi\n";
        let (s1, rest) = next_statement(text);
        assert_eq!(s1, "a() {\n  echo a\n}\n");
        let (s2, rest) = next_statement(rest);
        assert_eq!(s2, "echo b\n");
        let (s3, rest) = next_statement(rest);
        assert_eq!(s3, "if true; then\n  echo c\nfi\n");
        assert_eq!(rest, "");
        assert!(block_open("f()\n{\n  echo x\n"));
        assert!(!block_open("f()\n{\n  echo x\n}\n"));
        assert!(block_open("if true; then\n"));
        assert!(!block_open("echo if\n"));
    }

    #[test]
    fn if_parts() {
        let p = split_if("if a; then b; elif c; then d; else e; fi");
        assert_eq!(
            p.as_ref().map(|p| p.branches.clone()),
            Some(vec![(" a; ", " b; "), (" c; ", " d; ")])
        );
        assert_eq!(p.and_then(|p| p.otherwise), Some(" e; "));
        let nested = split_if("if a; then if b; then c; fi; else d; fi");
        assert_eq!(
            nested.map(|p| p.branches),
            Some(vec![(" a; ", " if b; then c; fi; ")])
        );
        assert!(split_if("if a; fi").is_none());
    }
}
