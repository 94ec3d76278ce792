//! Loops: `for NAME in WORDS; do …; done`, `for NAME; do`, the C-style
//! `for ((init; cond; step))`, `while`/`until LIST; do …; done`, with
//! `break [N]`/`continue [N]`; and the other compound commands, the
//! subshell `( LIST )` and the group `{ LIST; }`. A loop is found in a
//! statement's text at a command position (also after `|`, `&&`, `;`),
//! cut out, and replaced by a
//! marker word that [`super::run_simple`] runs with the pipeline's stdin and
//! the redirections written after `done` — so `cmd | while read x; do …;
//! done > out` works as in bash.

use super::{arith, expand_text, expand_word, parse, script, Session};
use crate::cluster::Cluster;
use crate::output::Output;
use crate::scan;

/// The first word of the marker command standing for a cut-out loop; its
/// second word holds the loop's text. No one types a U+0001.
pub(crate) const MARKER: &str = "\u{1}loop";

/// More iterations than any lab task needs; a `while true` without `break`
/// would otherwise hold the browser tab forever (there is no Ctrl-C inside
/// a running script).
pub(crate) const MAX_ITERATIONS: usize = 10_000;

/// A keyword at a command position: its text and byte span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Keyword<'a> {
    pub word: &'a str,
    pub start: usize,
    pub end: usize,
}

const KEYWORDS: &[&str] = &[
    "for", "while", "until", "do", "done", "if", "then", "elif", "else", "fi", "{", "}", "!",
];

/// The reserved words of a text at command positions, quotes and `$(…)`
/// skipped — what bash's grammar recognises as keywords.
pub(crate) fn keywords(text: &str) -> Vec<Keyword<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut command_position = true;
    // After `for`, the next word is a name, then `in`/`do` are keywords.
    let mut after_for = 0u8;
    while i < b.len() {
        let c = scan::byte(b, i);
        match c {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'\n' | b';' | b'|' | b'&' | b'(' | b')' => {
                // `(` at a command position opens a subshell; `((` is
                // arithmetic, a `(` after a word a function's `name()`.
                let arithmetic = b.get(i + 1) == Some(&b'(')
                    || i.checked_sub(1).and_then(|j| b.get(j)) == Some(&b'(');
                if c == b'(' && command_position && !arithmetic {
                    out.push(Keyword {
                        word: "(",
                        start: i,
                        end: i + 1,
                    });
                }
                command_position = true;
                if after_for > 0 && (c == b';' || c == b'\n') {
                    after_for = 3;
                }
                i += 1;
                continue;
            }
            b'#' => {
                while b.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        // A word: read to its end, skipping quoted and substituted parts.
        let start = i;
        while i < b.len()
            && !matches!(
                scan::byte(b, i),
                b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b')'
            )
        {
            match scan::byte(b, i) {
                b'\'' => {
                    i += 1;
                    while b.get(i).is_some_and(|&c| c != b'\'') {
                        i += 1;
                    }
                    i += 1;
                }
                b'"' => {
                    i += 1;
                    while b.get(i).is_some_and(|&c| c != b'"') {
                        if scan::byte(b, i) == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                b'\\' => i += 2,
                b'(' => {
                    // `$(…)`, `<(…)`, `((…))`: to the matching parenthesis.
                    i = scan::closing_paren(b, i).unwrap_or(b.len());
                }
                _ => i += 1,
            }
        }
        let end = i.min(b.len());
        let word = text.get(start..end).unwrap_or("");
        let is_keyword = match after_for {
            1 => false,
            2 => word == "in" || word == "do",
            _ => command_position && KEYWORDS.contains(&word),
        };
        if is_keyword {
            out.push(Keyword { word, start, end });
        }
        after_for = match (after_for, word) {
            (_, "for") if is_keyword => 1,
            (1, _) => 2,
            (2, "in") => 4,
            (4, _) => 4,
            _ => 0,
        };
        // After a keyword (other than `for`'s name), a command may follow.
        command_position = is_keyword && !matches!(word, "for" | "in" | "done" | "fi" | "}");
        if after_for == 4 {
            command_position = false;
        }
    }
    out
}

/// The first compound command of a text — a loop through its `done`, a
/// subshell `( … )` or a group `{ …; }` — as a byte span; `Err(())` when
/// it is not closed yet.
pub(crate) fn first_loop(text: &str) -> Option<Result<(usize, usize), ()>> {
    let kws = keywords(text);
    let start = kws
        .iter()
        .position(|k| matches!(k.word, "for" | "while" | "until" | "(" | "{"))?;
    let first = kws.get(start)?;
    if first.word == "(" {
        return Some(
            scan::closing_paren(text.as_bytes(), first.start)
                .map(|end| (first.start, end))
                .ok_or(()),
        );
    }
    let (open, close): (&[&str], &str) = match first.word {
        "{" => (&["{"], "}"),
        _ => (&["for", "while", "until"], "done"),
    };
    let mut depth = 0;
    for k in scan::tail(&kws, start) {
        if open.contains(&k.word) {
            depth += 1;
        } else if k.word == close {
            depth -= 1;
            if depth == 0 {
                return Some(Ok((first.start, k.end)));
            }
        }
    }
    Some(Err(()))
}

/// Whether every loop in a text has its `done`.
pub(crate) fn loops_closed(text: &str) -> bool {
    let mut rest = text;
    loop {
        match first_loop(rest) {
            None => return true,
            Some(Err(())) => return false,
            Some(Ok((_, end))) => rest = &rest[end..],
        }
    }
}

/// Runs a statement holding loops: each loop is cut out for a marker word,
/// the rest parses as a command line around them.
pub(crate) fn run_statement(session: &mut Session, cluster: &mut Cluster, text: &str) -> Output {
    let mut rewritten = String::new();
    let mut loops = Vec::new();
    let mut rest = text;
    while let Some(found) = first_loop(rest) {
        let Ok((start, end)) = found else {
            return Output::default()
                .fail("bash: syntax error: unexpected end of file")
                .with_status(2);
        };
        rewritten.push_str(&rest[..start]);
        rewritten.push_str(&format!(" {MARKER}{} ", loops.len()));
        loops.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    rewritten.push_str(rest);
    let mut script_ast = match parse::parse(&rewritten) {
        Ok(s) => s,
        Err(e) => {
            return Output::default().fail(e.message()).with_status(2);
        }
    };
    for (_, pipeline) in &mut script_ast.items {
        for cmd in pipeline {
            let Some([parse::Part::Bare(w)]) = cmd.words.first().map(Vec::as_slice) else {
                continue;
            };
            let Some(index) = w.strip_prefix(MARKER).and_then(|n| n.parse::<usize>().ok()) else {
                continue;
            };
            let Some(body) = loops.get(index) else {
                continue;
            };
            if let Some(extra) = cmd.words.get(1) {
                // `done foo`: bash's grammar allows only redirections here.
                let word: String = extra
                    .iter()
                    .map(|p| match p {
                        parse::Part::Bare(s) | parse::Part::Single(s) | parse::Part::Double(s) => {
                            s.clone()
                        }
                    })
                    .collect();
                return Output::default()
                    .fail(format!("bash: syntax error near unexpected token `{word}'"))
                    .with_status(2);
            }
            cmd.words = vec![
                vec![parse::Part::Bare(MARKER.to_string())],
                vec![parse::Part::Single(body.clone())],
            ];
        }
    }
    super::run_script(session, cluster, &script_ast, text)
}

/// Runs one loop's text with the stdin the pipeline gave it.
pub(crate) fn run_loop(
    session: &mut Session,
    cluster: &mut Cluster,
    text: &str,
    stdin: Option<String>,
) -> Output {
    let saved_stdin = std::mem::replace(&mut session.stdin, stdin);
    session.loop_depth += 1;
    let out = run_loop_inner(session, cluster, text);
    session.loop_depth -= 1;
    session.stdin = saved_stdin;
    out
}

fn syntax_error(token: &str) -> Output {
    Output::default()
        .fail(format!(
            "bash: syntax error near unexpected token `{token}'"
        ))
        .with_status(2)
}

fn run_loop_inner(session: &mut Session, cluster: &mut Cluster, text: &str) -> Output {
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        // A subshell: a copy of the shell, so `cd`, variables and `exit`
        // inside stay inside.
        let mut sub = session.clone_for_subshell();
        return script::run_text(&mut sub, cluster, inner);
    }
    if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        // A group runs in this shell; bash wants a command inside.
        if inner.trim().trim_end_matches(';').trim().is_empty() {
            return syntax_error("}");
        }
        return script::run_text(session, cluster, inner);
    }
    let kws = keywords(text);
    let Some(first) = kws.first() else {
        return Output::default();
    };
    let kind = first.word;
    // The `do` and `done` of this loop: at depth 1.
    let mut depth = 0;
    let mut do_kw = None;
    let mut done_kw = None;
    for k in &kws {
        match k.word {
            "for" | "while" | "until" => depth += 1,
            "do" if depth == 1 && do_kw.is_none() => do_kw = Some(*k),
            "done" => {
                depth -= 1;
                if depth == 0 {
                    done_kw = Some(*k);
                    break;
                }
            }
            _ => {}
        }
    }
    let (Some(do_kw), Some(done_kw)) = (do_kw, done_kw) else {
        return syntax_error("done");
    };
    let header = &text[first.end..do_kw.start];
    let body = &text[do_kw.end..done_kw.start];
    if body.trim().trim_matches(';').trim().is_empty() {
        return syntax_error("done");
    }
    match kind {
        "for" => run_for(session, cluster, header, body),
        _ => run_while(session, cluster, header, body, kind == "until"),
    }
}

/// What a body's `break`/`continue` asks of this loop.
enum Next {
    Iterate,
    Stop,
}

fn after_body(session: &mut Session) -> Next {
    if session.env.contains_key(super::ABANDON) || session.env.contains_key("\u{0}exit") {
        return Next::Stop;
    }
    match session.loop_jump.take() {
        None => Next::Iterate,
        Some(jump) if jump.levels > 1 => {
            session.loop_jump = Some(super::LoopJump {
                levels: jump.levels - 1,
                ..jump
            });
            Next::Stop
        }
        Some(jump) if jump.resume => Next::Iterate,
        Some(_) => Next::Stop,
    }
}

fn stopped(out: &mut Output) {
    out.err(format!(
        "dinghy: loop stopped after {MAX_ITERATIONS} iterations\n"
    ));
}

fn run_while(
    session: &mut Session,
    cluster: &mut Cluster,
    condition: &str,
    body: &str,
    until: bool,
) -> Output {
    let mut out = Output::default();
    let mut status = 0;
    for _ in 0..MAX_ITERATIONS {
        let tested = script::run_text(session, cluster, condition);
        out.chunks.extend(tested.chunks);
        if matches!(after_body(session), Next::Stop) || session.env.contains_key("\u{0}exit") {
            out.status = status;
            return out;
        }
        if (tested.status == 0) == until {
            out.status = status;
            return out;
        }
        let r = script::run_text(session, cluster, body);
        status = r.status;
        out.chunks.extend(r.chunks);
        if matches!(after_body(session), Next::Stop) || session.env.contains_key("\u{0}exit") {
            out.status = status;
            return out;
        }
    }
    stopped(&mut out);
    out.status = status;
    out
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

fn run_for(session: &mut Session, cluster: &mut Cluster, header: &str, body: &str) -> Output {
    let header = header
        .trim()
        .trim_end_matches([';', '\n', ' ', '\t'])
        .trim();
    if let Some(inner) = header.strip_prefix("((").and_then(|h| h.strip_suffix("))")) {
        return run_c_for(session, cluster, inner, body);
    }
    let (name, rest) = match header.split_once([' ', '\t', '\n']) {
        Some((n, r)) => (n, r.trim()),
        None => (header, ""),
    };
    if !valid_name(name) {
        return Output::default().fail(format!("bash: `{name}': not a valid identifier"));
    }
    let values: Vec<String> = if rest.is_empty() {
        // `for NAME; do`: the positional parameters.
        (1..=9)
            .map_while(|i| session.env.get(&i.to_string()).cloned())
            .collect()
    } else if let Some(words) = rest
        .strip_prefix("in")
        .filter(|w| w.is_empty() || w.starts_with([' ', '\t', '\n']))
    {
        match parse::parse(&format!(": {words}")) {
            Ok(s) => {
                let words: Vec<parse::Word> = s
                    .items
                    .into_iter()
                    .flat_map(|(_, p)| p)
                    .flat_map(|c| c.words.into_iter().skip(1))
                    .collect();
                words
                    .iter()
                    .flat_map(|w| expand_word(session, cluster, w))
                    .collect()
            }
            Err(e) => return Output::default().fail(e.message()).with_status(2),
        }
    } else {
        let token = rest.split_whitespace().next().unwrap_or(rest);
        return syntax_error(token);
    };
    let mut out = Output::default();
    if !session.pending_stderr.is_empty() {
        out.err(std::mem::take(&mut session.pending_stderr));
    }
    let mut status = 0;
    for value in values {
        session.env.insert(name.to_string(), value);
        let r = script::run_text(session, cluster, body);
        status = r.status;
        out.chunks.extend(r.chunks);
        if matches!(after_body(session), Next::Stop) || session.env.contains_key("\u{0}exit") {
            break;
        }
    }
    out.status = status;
    out
}

fn arith_step(session: &mut Session, cluster: &mut Cluster, expr: &str) -> Result<i64, String> {
    let expr = expand_text(session, cluster, expr);
    if expr.trim().is_empty() {
        return Ok(1);
    }
    arith::eval(&expr, &mut session.env).map_err(|e| format!("bash: {e}\n"))
}

fn run_c_for(session: &mut Session, cluster: &mut Cluster, inner: &str, body: &str) -> Output {
    let parts: Vec<&str> = inner.split(';').collect();
    let [init, cond, step] = parts.as_slice() else {
        return syntax_error("((");
    };
    let mut out = Output::default();
    if let Err(e) = arith_step(session, cluster, init) {
        return out.fail(e);
    }
    let mut status = 0;
    for _ in 0..MAX_ITERATIONS {
        match arith_step(session, cluster, cond) {
            Ok(0) => {
                out.status = status;
                return out;
            }
            Ok(_) => {}
            Err(e) => return out.fail(e),
        }
        let r = script::run_text(session, cluster, body);
        status = r.status;
        out.chunks.extend(r.chunks);
        if matches!(after_body(session), Next::Stop) || session.env.contains_key("\u{0}exit") {
            out.status = status;
            return out;
        }
        if let Err(e) = arith_step(session, cluster, step) {
            return out.fail(e);
        }
    }
    stopped(&mut out);
    out.status = status;
    out
}

/// `break [N]` / `continue [N]`.
pub(crate) fn jump(session: &mut Session, name: &str, args: &[String]) -> Output {
    if session.loop_depth == 0 {
        // bash prints this and goes on, status 0.
        let mut out = Output::default();
        out.err(format!(
            "bash: {name}: only meaningful in a `for', `while', or `until' loop\n"
        ));
        return out;
    }
    let levels = match args.first() {
        None => 1,
        Some(a) => match a.parse::<i64>() {
            Ok(n) if n >= 1 => n as usize,
            Ok(n) => {
                return Output::default()
                    .fail(format!("bash: {name}: {n}: loop count out of range"))
            }
            Err(_) => {
                session.loop_jump = Some(super::LoopJump {
                    levels: session.loop_depth,
                    resume: false,
                });
                return Output::default()
                    .fail(format!("bash: {name}: {a}: numeric argument required"))
                    .with_status(128);
            }
        },
    };
    session.loop_jump = Some(super::LoopJump {
        levels: levels.min(session.loop_depth),
        resume: name == "continue",
    });
    Output::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> String {
        let mut sim = crate::Simulation::new(1);
        sim.run_script(script, false)
    }

    /// Each line's output as bash 5.2 printed it for the same input.
    #[test]
    fn loops_run_like_bash() {
        let cases = [
            ("for i in 1 2 3; do echo \"n=$i\"; done", "n=1\nn=2\nn=3\n"),
            (
                "for i in {1..3}; do echo $i; done; echo after $?",
                "1\n2\n3\nafter 0\n",
            ),
            (
                "for x in a b c; do if [ $x = b ]; then continue; fi; echo $x; done",
                "a\nc\n",
            ),
            ("for x in a b c; do echo $x; break; done", "a\n"),
            (
                "for i in 1 2; do for j in a b; do echo $i$j; [ $j = a ] && continue 2; done; done",
                "1a\n2a\n",
            ),
            (
                "i=0; while [ $i -lt 3 ]; do echo w$i; i=$((i+1)); done",
                "w0\nw1\nw2\n",
            ),
            (
                "i=3; until [ $i -eq 0 ]; do echo u$i; let i--; done",
                "u3\nu2\nu1\n",
            ),
            ("for ((i=0; i<3; i++)); do echo c$i; done", "c0\nc1\nc2\n"),
            (
                "printf '%s\\n' a b c | while read line; do echo \"got $line\"; done",
                "got a\ngot b\ngot c\n",
            ),
            (
                "for i in 1 2\ndo\n  echo multi $i\ndone\n",
                "multi 1\nmulti 2\n",
            ),
            ("for n in a b; do echo $n; done | sort -r", "b\na\n"),
            (
                "for n in x y; do echo $n; done > /tmp/loop.txt; cat /tmp/loop.txt",
                "x\ny\n",
            ),
            (
                "break; echo $?",
                "bash: break: only meaningful in a `for', `while', or `until' loop\n0\n",
            ),
            (
                "for 1x in a; do echo; done",
                "bash: `1x': not a valid identifier\n",
            ),
            (
                "f() { for a; do echo arg $a; done; }\nf p q",
                "arg p\narg q\n",
            ),
            ("for w in \"a b\" c; do echo \"[$w]\"; done", "[a b]\n[c]\n"),
        ];
        for (input, want) in cases {
            assert_eq!(sh(input), want, "{input}");
        }
    }

    #[test]
    fn arithmetic_and_friends_like_bash() {
        let cases = [
            (
                "echo $((2+3*4)) $((10/3)) $((10%3)) $((5>3)) $(( (1+2)*3 ))",
                "14 3 1 1 9\n",
            ),
            ("x=5; ((x++)); echo $x; ((x > 10)); echo $?", "6\n1\n"),
            (
                "echo $((1/0)); echo status $?\necho $?",
                "bash: 1/0: division by 0 (error token is \"0\")\n1\n",
            ),
            ("let a=2*3 b=a+1; echo $a $b", "6 7\n"),
            ("echo {a,b}-{1,2}", "a-1 a-2 b-1 b-2\n"),
            ("seq 3 | xargs -n 2 echo", "1 2\n3\n"),
            ("echo a b c | xargs -I{} echo item {}", "item a b c\n"),
            ("printf '' | xargs -r echo nothing; echo $?", "0\n"),
            (
                "read a b <<< \"one two three\"; echo $a / $b",
                "one / two three\n",
            ),
            ("n=7; echo $(( n * 2 )) $((n-10))", "14 -3\n"),
        ];
        for (input, want) in cases {
            assert_eq!(sh(input), want, "{input}");
        }
    }

    #[test]
    fn open_loops_ask_for_more_lines() {
        for src in [
            "for i in 1 2; do",
            "for i in 1 2\ndo\n echo $i\n",
            "while true; do echo \"x",
            "cmd | while read x; do",
        ] {
            assert!(!parse::is_complete(src), "{src:?}");
        }
        for src in [
            "for i in 1; do echo; done",
            "echo done",
            "echo for",
            "for i in 1; do echo $i; done | cat",
        ] {
            assert!(parse::is_complete(src), "{src:?}");
        }
    }

    #[test]
    fn endless_loops_stop() {
        assert_eq!(
            sh("while true; do n=$((n+1)); [ $n -ge 5 ] && break; done; echo $n"),
            "5\n"
        );
    }

    fn words(text: &str) -> Vec<&str> {
        keywords(text).iter().map(|k| k.word).collect()
    }

    #[test]
    fn keywords_at_command_positions_only() {
        assert_eq!(
            words("for n in a do done; do echo for done; done"),
            vec!["for", "in", "do", "done"]
        );
        assert_eq!(
            words("kubectl get po | while read p; do echo \"done $p\"; done > out"),
            vec!["while", "do", "done"]
        );
        assert_eq!(words("echo $(for x in 1; do :; done)"), Vec::<&str>::new());
    }

    #[test]
    fn first_loop_spans_nested_loops() {
        let text = "echo a; for i in 1 2; do while false; do :; done; done | cat";
        let (s, e) = first_loop(text).and_then(Result::ok).unwrap_or_default();
        assert_eq!(
            &text[s..e],
            "for i in 1 2; do while false; do :; done; done"
        );
        assert_eq!(first_loop("for i in 1; do echo"), Some(Err(())));
        let span = |t: &'static str| {
            first_loop(t)
                .and_then(Result::ok)
                .and_then(|(s, e)| t.get(s..e))
        };
        // Subshells and groups are compound commands too; `((`, `$(` and
        // a function's `name()` are not.
        assert_eq!(
            span("echo a; (cd / && (pwd)) | cat"),
            Some("(cd / && (pwd))")
        );
        assert_eq!(
            span("x=1 && { echo '}'; echo b; } > f"),
            Some("{ echo '}'; echo b; }")
        );
        assert_eq!(span("((i++)); echo $(date) f() <(ls)"), None);
        assert_eq!(first_loop("(echo a"), Some(Err(())));
        assert_eq!(first_loop("{ echo a;"), Some(Err(())));
        assert_eq!(first_loop("echo for"), None);
    }
}
