//! `grep` as GNU grep behaves for what exams use: basic (default) and
//! extended (`-E`) patterns, `-i -v -c -n -w -x -o -q -l -L -h -A N -B N -C N`, files
//! or standard input, exit status 0 (matched), 1 (none), 2 (error).

use super::{session_fs, Session};
use crate::cluster::Cluster;
use crate::node::fs;
use crate::output::Output;
use crate::scan;

#[derive(Default)]
struct Opts {
    ignore_case: bool,
    invert: bool,
    count: bool,
    number: bool,
    word: bool,
    only: bool,
    quiet: bool,
    extended: bool,
    fixed: bool,
    /// `-x`: the whole line must match.
    line: bool,
    /// `-l` / `-L`: print only the names of files with (without) a match.
    files_with: Option<bool>,
    /// `-h`: no file name prefixes.
    no_filename: bool,
    after: usize,
    before: usize,
    patterns: Vec<String>,
    files: Vec<String>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut i = 0;
    let mut rest_are_operands = false;
    while let Some(a) = args.get(i) {
        i += 1;
        if rest_are_operands || a == "-" || !a.starts_with('-') {
            if o.patterns.is_empty() {
                o.patterns.push(a.clone());
            } else {
                o.files.push(a.clone());
            }
            continue;
        }
        if a == "--" {
            rest_are_operands = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            match long {
                "ignore-case" => o.ignore_case = true,
                "invert-match" => o.invert = true,
                "count" => o.count = true,
                "line-number" => o.number = true,
                "word-regexp" => o.word = true,
                "only-matching" => o.only = true,
                "quiet" | "silent" => o.quiet = true,
                "extended-regexp" => o.extended = true,
                "fixed-strings" => o.fixed = true,
                "line-regexp" => o.line = true,
                "files-with-matches" => o.files_with = Some(true),
                "files-without-match" => o.files_with = Some(false),
                "no-filename" => o.no_filename = true,
                "color" | "colour" | "color=auto" | "color=never" | "colour=auto" => {}
                _ => return Err(format!("grep: unrecognized option '{a}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.")),
            }
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = scan::char_at(&chars, j);
            j += 1;
            match c {
                'i' => o.ignore_case = true,
                'v' => o.invert = true,
                'c' => o.count = true,
                'n' => o.number = true,
                'w' => o.word = true,
                'o' => o.only = true,
                'q' => o.quiet = true,
                'E' => o.extended = true,
                'F' => o.fixed = true,
                'x' => o.line = true,
                'l' => o.files_with = Some(true),
                'L' => o.files_with = Some(false),
                'h' => o.no_filename = true,
                'A' | 'B' | 'C' | 'e' => {
                    let rest: String = scan::tail(&chars, j).iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else {
                        let v = args.get(i).cloned().ok_or_else(|| format!("grep: option requires an argument -- '{c}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information."))?;
                        i += 1;
                        v
                    };
                    if c == 'e' {
                        o.patterns.push(v);
                    } else {
                        let n: usize = v.parse().map_err(|_| format!("grep: {v}: invalid context length argument"))?;
                        if c != 'B' {
                            o.after = n;
                        }
                        if c != 'A' {
                            o.before = n;
                        }
                    }
                    break;
                }
                _ => return Err(format!("grep: invalid option -- '{c}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.")),
            }
        }
    }
    Ok(o)
}

/// A basic regular expression in the extended syntax regex-lite reads:
/// in BRE, `+ ? | ( ) { }` are literal unless escaped.
pub(super) fn bre_to_ere(p: &str) -> String {
    let mut out = String::new();
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ ('+' | '?' | '|' | '(' | ')' | '{' | '}')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push_str("\\\\"),
            },
            '+' | '?' | '|' | '(' | ')' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

pub fn run(session: &Session, cluster: &Cluster, args: &[String], stdin: Option<String>) -> Output {
    let mut out = Output::default();
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => return out.fail(e).with_status(2),
    };
    if o.patterns.is_empty() {
        return out.fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.").with_status(2);
    }
    let alternatives: Vec<String> = o
        .patterns
        .iter()
        .flat_map(|p| p.split('\n').map(String::from).collect::<Vec<_>>())
        .map(|p| {
            if o.fixed {
                regex_lite::escape(&p)
            } else if o.extended {
                p
            } else {
                bre_to_ere(&p)
            }
        })
        .map(|p| {
            if o.line {
                format!("^(?:{p})$")
            } else if o.word {
                format!(r"\b(?:{p})\b")
            } else {
                format!("(?:{p})")
            }
        })
        .collect();
    let source = format!(
        "{}{}",
        if o.ignore_case { "(?i)" } else { "" },
        alternatives.join("|")
    );
    let re = match regex_lite::Regex::new(&source) {
        Ok(r) => r,
        Err(_) => return out.fail("grep: Invalid regular expression").with_status(2),
    };
    let inputs: Vec<(String, Result<String, String>)> = if o.files.is_empty() {
        vec![("(standard input)".into(), Ok(stdin.unwrap_or_default()))]
    } else {
        let fsys = session_fs(session, cluster);
        o.files
            .iter()
            .map(|f| {
                let r = if f == "-" {
                    Ok(String::new())
                } else {
                    match fsys.map(|x| x.read_to_string(&fs::normalize(&session.cwd, f))) {
                        Some(Ok(t)) => Ok(t),
                        Some(Err(e)) => Err(format!("grep: {f}: {}", e.text())),
                        None => Err(format!("grep: {f}: No such file or directory")),
                    }
                };
                (f.clone(), r)
            })
            .collect()
    };
    let many = inputs.len() > 1;
    let mut matched_any = false;
    let mut error = false;
    for (name, text) in inputs {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                out.err(format!("{e}\n"));
                error = true;
                continue;
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        let hits: Vec<bool> = lines.iter().map(|l| re.is_match(l) != o.invert).collect();
        let count = hits.iter().filter(|h| **h).count();
        matched_any |= count > 0;
        if o.quiet {
            continue;
        }
        if let Some(with) = o.files_with {
            if (count > 0) == with {
                out.out(format!("{name}\n"));
            }
            continue;
        }
        let prefix = |sep: char, i: usize| {
            let mut p = String::new();
            if many && !o.no_filename {
                p.push_str(&name);
                p.push(sep);
            }
            if o.number {
                p.push_str(&format!("{}{sep}", i + 1));
            }
            p
        };
        if o.count {
            out.out(if many && !o.no_filename {
                format!("{name}:{count}\n")
            } else {
                format!("{count}\n")
            });
            continue;
        }
        let mut last_printed: Option<usize> = None;
        for (i, line) in lines.iter().enumerate() {
            if hits.get(i) != Some(&true) {
                continue;
            }
            let from = i.saturating_sub(o.before);
            if (o.before > 0 || o.after > 0) && last_printed.is_some_and(|l| from > l + 1) {
                out.out("--\n");
            }
            for (j, ctx_line) in lines.iter().enumerate().take(i).skip(from) {
                if last_printed.is_none_or(|l| j > l) {
                    out.out(format!("{}{ctx_line}\n", prefix('-', j)));
                    last_printed = Some(j);
                }
            }
            if o.only && !o.invert {
                for m in re.find_iter(line) {
                    out.out(format!("{}{}\n", prefix(':', i), m.as_str()));
                }
            } else {
                out.out(format!("{}{line}\n", prefix(':', i)));
            }
            last_printed = Some(i);
            for (j, ctx_line) in lines.iter().enumerate().skip(i + 1).take(o.after) {
                if hits.get(j) == Some(&true) {
                    break;
                }
                out.out(format!("{}{ctx_line}\n", prefix('-', j)));
                last_printed = Some(j);
            }
        }
    }
    out.status = if error {
        2
    } else if matched_any {
        0
    } else {
        1
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grep(args: &[&str], input: &str) -> (String, i32) {
        let c = Cluster::new(1);
        let s = Session::new("controlplane");
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let out = run(&s, &c, &args, Some(input.to_string()));
        (out.text(), out.status)
    }

    #[test]
    fn gnu_grep_behaviour() {
        let text = "web-1 Running\nweb-2 Pending\ndb-1 Running\n";
        assert_eq!(
            grep(&["Running"], text),
            ("web-1 Running\ndb-1 Running\n".into(), 0)
        );
        assert_eq!(grep(&["-c", "Running"], text), ("2\n".into(), 0));
        assert_eq!(
            grep(&["-v", "Running"], text),
            ("web-2 Pending\n".into(), 0)
        );
        assert_eq!(
            grep(&["-in", "PENDING"], text),
            ("2:web-2 Pending\n".into(), 0)
        );
        assert_eq!(
            grep(&["-E", "web-(1|2) P"], text),
            ("web-2 Pending\n".into(), 0)
        );
        // In a basic expression `|` and `(` are literal.
        assert_eq!(grep(&["web-(1|2)"], text), ("".into(), 1));
        assert_eq!(
            grep(&["web-1\\|db"], text),
            ("web-1 Running\ndb-1 Running\n".into(), 0)
        );
        assert_eq!(
            grep(&["-w", "web"], "webapp\nweb x\n"),
            ("web x\n".into(), 0)
        );
        assert_eq!(
            grep(&["-A1", "web-1"], text),
            ("web-1 Running\nweb-2 Pending\n".into(), 0)
        );
        assert_eq!(grep(&["-q", "nothing"], text), ("".into(), 1));
        assert_eq!(grep(&["-o", "[0-9]"], "a1b2\n"), ("1\n2\n".into(), 0));
        assert_eq!(grep(&["-Z", "x"], text).1, 2);
    }
}
