//! Text tools the exam habits lean on: `sed`, `awk` (the print-fields
//! subset), `sort`, `uniq`, `cut`, `tr`, `find`, `chmod` — GNU behaviour
//! and messages for the forms learners type.

use super::{session_fs, session_fs_mut, Session};
use crate::cluster::Cluster;
use crate::node::fs;
use crate::output::Output;
use crate::scan;

pub fn run(
    session: &mut Session,
    cluster: &mut Cluster,
    name: &str,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    match name {
        "sed" => sed(session, cluster, args, stdin),
        "awk" => awk(session, cluster, args, stdin),
        "sort" => sort(session, cluster, args, stdin),
        "uniq" => uniq(session, cluster, args, stdin),
        "cut" => cut(session, cluster, args, stdin),
        "tr" => tr(args, stdin),
        "find" => find(session, cluster, args),
        "chmod" => chmod(session, cluster, args),
        _ => Output::default(),
    }
}

/// The operands' contents, or stdin when there are none.
fn inputs(
    session: &Session,
    cluster: &Cluster,
    cmd: &str,
    files: &[String],
    stdin: Option<String>,
) -> Result<String, String> {
    if files.is_empty() || files == ["-"] {
        return Ok(stdin.unwrap_or_default());
    }
    let fsys = session_fs(session, cluster).ok_or_else(|| format!("{cmd}: no file system"))?;
    let mut text = String::new();
    for f in files {
        match fsys.read_to_string(&fs::normalize(&session.cwd, f)) {
            Ok(t) => text.push_str(&t),
            Err(e) => return Err(format!("{cmd}: {f}: {}", e.text())),
        }
    }
    Ok(text)
}

// ---------------------------------------------------------------- sed

#[derive(Debug, Clone)]
enum Addr {
    Line(usize),
    Last,
    Regex(regex_lite::Regex),
}

#[derive(Debug, Clone)]
enum SedCmd {
    Print,
    Delete,
    Subst {
        re: regex_lite::Regex,
        replacement: String,
        global: bool,
        nth: usize,
        print: bool,
    },
}

#[derive(Debug, Clone)]
struct SedOp {
    from: Option<Addr>,
    to: Option<Addr>,
    cmd: SedCmd,
}

fn sed_regex(pattern: &str, extended: bool, icase: bool) -> Result<regex_lite::Regex, String> {
    let p = if extended {
        pattern.to_string()
    } else {
        super::grep::bre_to_ere(pattern)
    };
    let p = if icase { format!("(?i){p}") } else { p };
    regex_lite::Regex::new(&p).map_err(|_| {
        format!(
            "sed: -e expression #1, char {}: Invalid preceding regular expression",
            pattern.len()
        )
    })
}

fn push_last(parts: &mut [String], c: char) {
    if let Some(p) = parts.last_mut() {
        p.push(c);
    }
}

/// Splits on an unescaped delimiter.
fn split_delim(s: &str, delim: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                chars.next();
                if n == delim {
                    push_last(&mut parts, n);
                } else {
                    push_last(&mut parts, '\\');
                    push_last(&mut parts, n);
                }
                continue;
            }
        }
        if c == delim {
            parts.push(String::new());
        } else {
            push_last(&mut parts, c);
        }
    }
    parts
}

fn parse_addr(s: &str, extended: bool) -> Result<(Option<Addr>, &str), String> {
    if let Some(rest) = s.strip_prefix('$') {
        return Ok((Some(Addr::Last), rest));
    }
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        return Ok((
            Some(Addr::Line(digits.parse().unwrap_or(0))),
            &s[digits.len()..],
        ));
    }
    if let Some(rest) = s.strip_prefix('/') {
        let end = rest.find('/').ok_or_else(|| {
            "sed: -e expression #1, char 1: unterminated address regex".to_string()
        })?;
        let re = sed_regex(&rest[..end], extended, false)?;
        return Ok((Some(Addr::Regex(re)), &rest[end + 1..]));
    }
    Ok((None, s))
}

/// The flags of an `s` command, read as GNU sed reads them: blanks are
/// skipped, each of `g`/`p` at most once, one number (not zero), `i`/`I`
/// (and `m`/`M`/`e`, accepted); anything else is an error naming its
/// position (`at` is the 1-based position of the first flag character).
struct SubstFlags {
    global: bool,
    print: bool,
    icase: bool,
    nth: usize,
}

fn subst_flags(flags: &str, at: usize) -> Result<SubstFlags, String> {
    let err = |pos: usize, what: &str| format!("sed: -e expression #1, char {pos}: {what}");
    let mut f = SubstFlags {
        global: false,
        print: false,
        icase: false,
        nth: 1,
    };
    let mut number = false;
    let chars: Vec<char> = flags.chars().collect();
    let mut k = 0;
    while let Some(&c) = chars.get(k) {
        let pos = at + k;
        match c {
            ' ' | '\t' => {}
            'g' if f.global => return Err(err(pos, "multiple `g' options to `s' command")),
            'g' => f.global = true,
            'p' if f.print => return Err(err(pos, "multiple `p' options to `s' command")),
            'p' => f.print = true,
            'i' | 'I' => f.icase = true,
            'm' | 'M' | 'e' => {}
            '0'..='9' => {
                let digits: String = chars
                    .get(k..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                k += digits.len() - 1;
                if number {
                    return Err(err(at + k, "multiple number options to `s' command"));
                }
                number = true;
                f.nth = digits.parse().unwrap_or(usize::MAX);
                if f.nth == 0 {
                    return Err(err(at + k, "number option to `s' command may not be zero"));
                }
            }
            _ => return Err(err(pos, "unknown option to `s'")),
        }
        k += 1;
    }
    Ok(f)
}

fn parse_sed(script: &str, extended: bool) -> Result<Vec<SedOp>, String> {
    let mut ops = Vec::new();
    let mut last_regex: Option<regex_lite::Regex> = None;
    for part in script
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (from, rest) = parse_addr(part, extended)?;
        let (to, rest) = match rest.strip_prefix(',') {
            Some(r) => parse_addr(r, extended)?,
            None => (None, rest),
        };
        for a in [&from, &to] {
            if let Some(Addr::Regex(re)) = a {
                last_regex = Some(re.clone());
            }
        }
        let rest = rest.trim_start();
        let cmd = match rest.chars().next() {
            Some('p') => SedCmd::Print,
            Some('d') => SedCmd::Delete,
            Some('s') => {
                let delim = rest
                    .chars()
                    .nth(1)
                    .ok_or("sed: -e expression #1, char 1: unterminated `s' command")?;
                let pieces = split_delim(&rest[1 + delim.len_utf8()..], delim);
                let [pattern, replacement, flags @ ..] = pieces.as_slice() else {
                    return Err(format!(
                        "sed: -e expression #1, char {}: unterminated `s' command",
                        part.len()
                    ));
                };
                let Some(_) = flags.first() else {
                    return Err(format!(
                        "sed: -e expression #1, char {}: unterminated `s' command",
                        part.len()
                    ));
                };
                // Whatever follows the third delimiter are the flags, further
                // delimiters included (`s/a/b/c/d` has the flags `c/d`).
                let flags = flags.join(&delim.to_string());
                // sed counts characters from 1 over the whole script.
                let part_at = script
                    .get(..(part.as_ptr() as usize).saturating_sub(script.as_ptr() as usize))
                    .map_or(0, |before| before.chars().count());
                let first_flag = part_at + part.chars().count() - flags.chars().count() + 1;
                let f = subst_flags(&flags, first_flag)?;
                // An empty regex is the last one used (`/x/s//y/`).
                let re = if pattern.is_empty() {
                    last_regex
                        .clone()
                        .ok_or("sed: -e expression #1, char 0: no previous regular expression")?
                } else {
                    sed_regex(pattern, extended, f.icase)?
                };
                last_regex = Some(re.clone());
                SedCmd::Subst {
                    re,
                    replacement: replacement.clone(),
                    global: f.global,
                    nth: f.nth,
                    print: f.print,
                }
            }
            _ => {
                return Err(format!(
                    "sed: -e expression #1, char {}: unknown command: `{}'",
                    part.len(),
                    rest.chars().next().unwrap_or(' ')
                ))
            }
        };
        ops.push(SedOp { from, to, cmd });
    }
    Ok(ops)
}

/// sed's replacement: `&` is the match, `\1`…`\9` groups, `\n` newline.
fn expand_replacement(rep: &str, caps: &regex_lite::Captures<'_>) -> String {
    let mut out = String::new();
    let mut chars = rep.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(caps.get(0).map_or("", |m| m.as_str())),
            '\\' => match chars.next() {
                Some(d @ '0'..='9') => out.push_str(
                    caps.get(d as usize - '0' as usize)
                        .map_or("", |m| m.as_str()),
                ),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

fn matches_addr(a: &Addr, n: usize, last: bool, line: &str) -> bool {
    match a {
        Addr::Line(k) => *k == n,
        Addr::Last => last,
        Addr::Regex(re) => re.is_match(line),
    }
}

fn sed_apply(ops: &[SedOp], text: &str, quiet: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut in_range = vec![false; ops.len()];
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        let last = n == lines.len();
        let mut line = raw.to_string();
        let mut deleted = false;
        for (op, in_range) in ops.iter().zip(in_range.iter_mut()) {
            let selected = match (&op.from, &op.to) {
                (None, _) => true,
                (Some(f), None) => matches_addr(f, n, last, &line),
                (Some(f), Some(t)) => {
                    if *in_range {
                        if matches_addr(t, n, last, &line) || matches!(t, Addr::Line(e) if *e <= n)
                        {
                            *in_range = false;
                        }
                        true
                    } else if matches_addr(f, n, last, &line) {
                        *in_range = !matches!(t, Addr::Line(e) if *e <= n);
                        true
                    } else {
                        false
                    }
                }
            };
            if !selected {
                continue;
            }
            match &op.cmd {
                SedCmd::Print => {
                    out.push_str(&line);
                    out.push('\n');
                }
                SedCmd::Delete => {
                    deleted = true;
                    break;
                }
                SedCmd::Subst {
                    re,
                    replacement,
                    global,
                    nth,
                    print,
                } => {
                    let mut count = 0;
                    let mut changed = false;
                    let new = re.replace_all(&line, |caps: &regex_lite::Captures<'_>| {
                        count += 1;
                        if (*global && count >= *nth) || count == *nth {
                            changed = true;
                            expand_replacement(replacement, caps)
                        } else {
                            caps.get(0)
                                .map_or(String::new(), |m| m.as_str().to_string())
                        }
                    });
                    line = new.into_owned();
                    if changed && *print {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
            }
        }
        if !deleted && !quiet {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn sed(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let out = Output::default();
    let (mut quiet, mut in_place, mut extended) = (false, false, false);
    let mut scripts: Vec<String> = Vec::new();
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-i" | "--in-place" => in_place = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-e" => {
                if let Some(s) = args.get(i) {
                    scripts.push(s.clone());
                }
                i += 1;
            }
            s if s.starts_with("-i") && s.len() > 2 => in_place = true,
            s if s.starts_with('-')
                && s.len() > 1
                && s.chars().skip(1).all(|c| "niEr".contains(c)) =>
            {
                quiet |= s.contains('n');
                in_place |= s.contains('i');
                extended |= s.contains('E') || s.contains('r');
            }
            _ if scripts.is_empty() => scripts.push(a.clone()),
            _ => files.push(a.clone()),
        }
    }
    if scripts.is_empty() {
        return out
            .fail("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...")
            .with_status(1);
    }
    let ops = match parse_sed(&scripts.join("\n"), extended) {
        Ok(o) => o,
        Err(e) => return out.fail(e),
    };
    if in_place {
        if files.is_empty() {
            return out.fail("sed: no input files").with_status(4);
        }
        let mut out = out;
        for f in &files {
            let path = fs::normalize(&session.cwd, f);
            let Some(fsys) = session_fs_mut(session, cluster) else {
                return out;
            };
            match fsys.read_to_string(&path) {
                Ok(t) => {
                    let new = sed_apply(&ops, &t, quiet);
                    let _ = fsys.write(&path, new.as_bytes(), false);
                }
                Err(e) => {
                    out.err(format!("sed: can't read {f}: {}\n", e.text()));
                    out.status = 2;
                }
            }
        }
        return out;
    }
    match inputs(session, cluster, "sed", &files, stdin) {
        Ok(t) => {
            let mut out = out;
            out.out(sed_apply(&ops, &t, quiet));
            out
        }
        Err(e) => out
            .fail(e.replace("sed: ", "sed: can't read "))
            .with_status(2),
    }
}

// ---------------------------------------------------------------- awk

/// The awk subset: `[pattern] { print expr, expr … }` where a pattern is
/// `/re/`, `NR>1`, `$3=="x"`-style comparisons, and exprs are `$N`, `$NF`,
/// `NR`, `NF`, string literals.
fn awk(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let out = Output::default();
    let mut sep: Option<String> = None;
    let mut program: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "-F" {
            sep = args.get(i).cloned();
            i += 1;
        } else if let Some(s) = a.strip_prefix("-F") {
            sep = Some(s.to_string());
        } else if program.is_none() {
            program = Some(a.clone());
        } else {
            files.push(a.clone());
        }
    }
    let Some(program) = program else {
        return out
            .fail("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]")
            .with_status(2);
    };
    let text = match inputs(session, cluster, "awk", &files, stdin) {
        Ok(t) => t,
        Err(e) => {
            return out
                .fail(
                    e.replace("awk: ", "awk: cannot open \"")
                        .replace(": No such", "\" (No such"),
                )
                .with_status(2)
        }
    };
    let (pattern, action) = match program.find('{') {
        Some(b) => (
            program[..b].trim().to_string(),
            program[b + 1..]
                .trim_end()
                .trim_end_matches('}')
                .trim()
                .to_string(),
        ),
        None => (program.trim().to_string(), "print".to_string()),
    };
    let mut out = out;
    for (n, line) in text.lines().enumerate() {
        let fields: Vec<&str> = match &sep {
            Some(s) if s.len() == 1 => line.split(s.as_str()).collect(),
            Some(s) => regex_lite::Regex::new(s)
                .map(|re| re.split(line).collect())
                .unwrap_or_else(|_| vec![line]),
            None => line.split_whitespace().collect(),
        };
        let value = |expr: &str| -> String {
            let e = expr.trim();
            if let Some(lit) = e.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
                return lit.replace("\\t", "\t").replace("\\n", "\n");
            }
            match e {
                "NR" => return (n + 1).to_string(),
                "NF" => return fields.len().to_string(),
                "$0" => return line.to_string(),
                "$NF" => return fields.last().copied().unwrap_or("").to_string(),
                _ => {}
            }
            if let Some(k) = e.strip_prefix('$').and_then(|k| k.parse::<usize>().ok()) {
                return fields
                    .get(k.wrapping_sub(1))
                    .copied()
                    .unwrap_or("")
                    .to_string();
            }
            e.to_string()
        };
        let selected = if pattern.is_empty() {
            true
        } else if let Some(re) = pattern.strip_prefix('/').and_then(|p| p.strip_suffix('/')) {
            regex_lite::Regex::new(re)
                .map(|r| r.is_match(line))
                .unwrap_or(false)
        } else {
            let ops = ["==", "!=", ">=", "<=", ">", "<"];
            match ops
                .iter()
                .find_map(|op| pattern.split_once(op).map(|(l, r)| (*op, l, r)))
            {
                Some((op, l, r)) => {
                    let (a, b) = (value(l), value(r));
                    let ord = match (a.parse::<f64>(), b.parse::<f64>()) {
                        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                        _ => a.cmp(&b),
                    };
                    match op {
                        "==" => ord.is_eq(),
                        "!=" => ord.is_ne(),
                        ">=" => ord.is_ge(),
                        "<=" => ord.is_le(),
                        ">" => ord.is_gt(),
                        _ => ord.is_lt(),
                    }
                }
                None => false,
            }
        };
        if !selected {
            continue;
        }
        for stmt in action.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let Some(rest) = stmt.strip_prefix("print") else {
                continue;
            };
            let rest = rest.trim();
            if rest.is_empty() {
                out.out(format!("{line}\n"));
                continue;
            }
            let parts: Vec<String> = split_commas(rest)
                .iter()
                .map(|p| p.split_whitespace().map(&value).collect::<String>())
                .collect();
            out.out(format!("{}\n", parts.join(" ")));
        }
    }
    out
}

/// Splits `$1, "x y", $2` on commas outside quotes.
fn split_commas(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                push_last(&mut parts, c);
            }
            ',' if !quoted => parts.push(String::new()),
            _ => {
                push_last(&mut parts, c);
            }
        }
    }
    parts
}

// ---------------------------------------------------------------- sort, uniq, cut, tr

fn sort(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let (mut numeric, mut reverse, mut unique) = (false, false, false);
    let mut key: Option<usize> = None;
    let mut sep: Option<char> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-k" => {
                key = args
                    .get(i)
                    .and_then(|k| k.split([',', '.']).next())
                    .and_then(|k| k.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok());
                i += 1;
            }
            "-t" => {
                sep = args.get(i).and_then(|s| s.chars().next());
                i += 1;
            }
            s if s.starts_with("-k") => {
                key = s[2..]
                    .split([',', '.'])
                    .next()
                    .and_then(|k| k.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok())
            }
            s if s.starts_with("-t") && s.len() > 2 => sep = s[2..].chars().next(),
            s if s.starts_with('-') && s.len() > 1 => {
                numeric |= s.contains('n');
                reverse |= s.contains('r');
                unique |= s.contains('u');
            }
            _ => files.push(a.clone()),
        }
    }
    let text = match inputs(session, cluster, "sort", &files, stdin) {
        Ok(t) => t,
        Err(e) => return Output::default().fail(e).with_status(2),
    };
    let field = |l: &str| -> String {
        match key {
            None => l.to_string(),
            Some(k) => {
                let fields: Vec<&str> = match sep {
                    Some(c) => l.split(c).collect(),
                    None => l.split_whitespace().collect(),
                };
                fields
                    .get(k.saturating_sub(1)..)
                    .map(|f| f.join(" "))
                    .unwrap_or_default()
            }
        }
    };
    let mut lines: Vec<&str> = text.lines().collect();
    crate::sort::sort_by(&mut lines, |a, b| {
        let (fa, fb) = (field(a), field(b));
        let ord = if numeric {
            let num = |s: &str| {
                s.split_whitespace()
                    .next()
                    .and_then(|x| x.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            num(&fa)
                .partial_cmp(&num(&fb))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            fa.cmp(&fb)
        };
        ord.then_with(|| a.cmp(b))
    });
    if reverse {
        lines.reverse();
    }
    if unique {
        lines.dedup_by(|a, b| field(a) == field(b));
    }
    let mut out = Output::default();
    for l in lines {
        out.out(format!("{l}\n"));
    }
    out
}

fn uniq(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let count = args.iter().any(|a| a == "-c");
    let dups = args.iter().any(|a| a == "-d");
    let files: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let text = match inputs(session, cluster, "uniq", &files, stdin) {
        Ok(t) => t,
        Err(e) => return Output::default().fail(e),
    };
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for l in text.lines() {
        match groups.last_mut() {
            Some((n, last)) if *last == l => *n += 1,
            _ => groups.push((1, l)),
        }
    }
    let mut out = Output::default();
    for (n, l) in groups {
        if dups && n < 2 {
            continue;
        }
        if count {
            out.out(format!("{n:>7} {l}\n"));
        } else {
            out.out(format!("{l}\n"));
        }
    }
    out
}

/// `1,3`, `2-4`, `3-` → 1-based inclusive ranges.
fn parse_list(spec: &str) -> Vec<(usize, usize)> {
    spec.split(',')
        .filter_map(|p| match p.split_once('-') {
            Some((a, b)) => Some((
                a.parse().unwrap_or(1),
                if b.is_empty() {
                    usize::MAX
                } else {
                    b.parse().ok()?
                },
            )),
            None => p.parse().ok().map(|n| (n, n)),
        })
        .collect()
}

fn cut(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let mut delim = '\t';
    let mut fields: Option<Vec<(usize, usize)>> = None;
    let mut chars: Option<Vec<(usize, usize)>> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let mut take = |flag: &str| -> Option<String> {
            if a == flag {
                let v = args.get(i).cloned();
                i += 1;
                v
            } else {
                a.strip_prefix(flag).map(String::from)
            }
        };
        if let Some(d) = take("-d") {
            delim = d.chars().next().unwrap_or('\t');
        } else if let Some(f) = take("-f") {
            fields = Some(parse_list(&f));
        } else if let Some(c) = take("-c") {
            chars = Some(parse_list(&c));
        } else {
            files.push(a.clone());
        }
    }
    if fields.is_none() && chars.is_none() {
        return Output::default().fail("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.");
    }
    let text = match inputs(session, cluster, "cut", &files, stdin) {
        Ok(t) => t,
        Err(e) => return Output::default().fail(e),
    };
    let pick = |ranges: &[(usize, usize)], n: usize| ranges.iter().any(|(a, b)| n >= *a && n <= *b);
    let mut out = Output::default();
    for line in text.lines() {
        if let Some(r) = &chars {
            let s: String = line
                .chars()
                .enumerate()
                .filter(|(i, _)| pick(r, i + 1))
                .map(|(_, c)| c)
                .collect();
            out.out(format!("{s}\n"));
        } else if let Some(r) = &fields {
            if !line.contains(delim) {
                out.out(format!("{line}\n"));
                continue;
            }
            let s: Vec<&str> = line
                .split(delim)
                .enumerate()
                .filter(|(i, _)| pick(r, i + 1))
                .map(|(_, f)| f)
                .collect();
            out.out(format!("{}\n", s.join(&delim.to_string())));
        }
    }
    out
}

/// `a-z`, `[:upper:]`, escapes → the characters of a tr set.
fn tr_set(spec: &str) -> Vec<char> {
    let named = [
        ("[:upper:]", ('A', 'Z')),
        ("[:lower:]", ('a', 'z')),
        ("[:digit:]", ('0', '9')),
    ];
    let mut s = spec.to_string();
    let mut out = Vec::new();
    for (name, (a, b)) in named {
        if s.contains(name) {
            s = s.replace(name, "");
            out.extend(a..=b);
        }
    }
    if s.contains("[:space:]") {
        s = s.replace("[:space:]", "");
        out.extend([' ', '\t', '\n', '\r']);
    }
    let chars: Vec<char> = s
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .chars()
        .collect();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && scan::char_at(&chars, i + 1) == '-' {
            out.extend(scan::char_at(&chars, i)..=scan::char_at(&chars, i + 2));
            i += 3;
        } else {
            out.push(scan::char_at(&chars, i));
            i += 1;
        }
    }
    out
}

fn tr(args: &[String], stdin: Option<String>) -> Output {
    let delete = args.iter().any(|a| a == "-d");
    let squeeze = args.iter().any(|a| a == "-s");
    let sets: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') || a.len() == 1)
        .collect();
    let text = stdin.unwrap_or_default();
    let Some(from) = sets.first().map(|s| tr_set(s)) else {
        return Output::default()
            .fail("tr: missing operand\nTry 'tr --help' for more information.");
    };
    let to = sets.get(1).map(|s| tr_set(s)).unwrap_or_default();
    let mut out_s = String::new();
    let mut last: Option<char> = None;
    for c in text.chars() {
        let mapped = match from.iter().position(|f| *f == c) {
            Some(_) if delete => None,
            Some(i) if !to.is_empty() => Some(*to.get(i).or(to.last()).unwrap_or(&c)),
            _ => Some(c),
        };
        if let Some(m) = mapped {
            let in_set = if to.is_empty() {
                from.contains(&m)
            } else {
                to.contains(&m)
            };
            if squeeze && last == Some(m) && in_set {
                continue;
            }
            out_s.push(m);
            last = Some(m);
        }
    }
    let mut out = Output::default();
    out.out(out_s);
    out
}

// ---------------------------------------------------------------- find, chmod

/// Shell glob (`*.yaml`, `kube-*`, `?`) as a regex.
fn glob(p: &str) -> Option<regex_lite::Regex> {
    let mut re = String::from("^");
    for c in p.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex_lite::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex_lite::Regex::new(&re).ok()
}

fn find(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let Some(fsys) = session_fs(session, cluster) else {
        return out;
    };
    let mut roots = Vec::new();
    let mut name: Option<regex_lite::Regex> = None;
    let mut kind: Option<String> = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-name" | "-iname" => {
                name = args.get(i + 1).and_then(|p| glob(p));
                i += 2;
            }
            "-type" => {
                kind = args.get(i + 1).cloned();
                i += 2;
            }
            a => {
                roots.push(a.to_string());
                i += 1;
            }
        }
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    for root in roots {
        let base = fs::normalize(&session.cwd, &root);
        if fsys.get(&base).is_none() {
            out.err(format!("find: '{root}': No such file or directory\n"));
            out.status = 1;
            continue;
        }
        for path in fsys.walk(&base) {
            let shown = format!("{root}{}", &path[base.len()..]).replace("//", "/");
            let file_name = path.rsplit('/').next().unwrap_or("");
            let name_ok = name.as_ref().is_none_or(|re| re.is_match(file_name));
            let kind_ok = match kind.as_deref() {
                Some("f") => fsys.is_file(&path),
                Some("d") => fsys.is_dir(&path),
                _ => true,
            };
            if name_ok && kind_ok {
                out.out(format!("{shown}\n"));
            }
        }
    }
    out
}

fn chmod(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let (Some(mode), files) = (args.first(), args.get(1..).unwrap_or(&[])) else {
        return out.fail("chmod: missing operand\nTry 'chmod --help' for more information.");
    };
    let cwd = session.cwd.clone();
    let Some(fsys) = session_fs_mut(session, cluster) else {
        return out;
    };
    for f in files {
        let path = fs::normalize(&cwd, f);
        let current = match fsys.get(&path) {
            Some(fs::Entry::File { mode, .. }) | Some(fs::Entry::Dir { mode }) => *mode,
            None => {
                out.err(format!(
                    "chmod: cannot access '{f}': No such file or directory\n"
                ));
                out.status = 1;
                continue;
            }
        };
        let new = if let Ok(m) = u32::from_str_radix(mode, 8) {
            m
        } else if mode.ends_with("+x") {
            current | 0o111
        } else if mode.ends_with("-x") {
            current & !0o111
        } else if mode.ends_with("+w") {
            current | 0o200
        } else if mode.ends_with("+r") {
            current | 0o444
        } else {
            return out.fail(format!(
                "chmod: invalid mode: '{mode}'\nTry 'chmod --help' for more information."
            ));
        };
        let _ = fsys.set_mode(&path, new);
    }
    out
}

#[cfg(test)]
mod tests {
    fn sh(script: &str) -> String {
        let mut sim = crate::Simulation::new(1);
        sim.run_script(script, false)
    }

    #[test]
    fn sed_forms() {
        assert_eq!(
            sh("echo 'image: nginx:1.14' | sed 's/1.14/1.27/'"),
            "image: nginx:1.27\n"
        );
        assert_eq!(sh("echo 'a a a' | sed 's/a/b/g'"), "b b b\n");
        assert_eq!(sh("echo 'a a a' | sed 's/a/b/2'"), "a b a\n");
        assert_eq!(
            sh("echo 'key: value' | sed -E 's/(\\w+): (\\w+)/\\2=\\1/'"),
            "value=key\n"
        );
        assert_eq!(sh("cat > /tmp/f <<EOF\none\ntwo\nthree\nEOF\nsed -n '2p' /tmp/f\nsed '1d' /tmp/f\nsed -n '/t/p' /tmp/f"), "two\ntwo\nthree\ntwo\nthree\n");
        assert_eq!(sh("echo 'replicas: 1' > /tmp/d.yaml\nsed -i 's/replicas: 1/replicas: 3/' /tmp/d.yaml\ncat /tmp/d.yaml"), "replicas: 3\n");
    }

    #[test]
    fn awk_sort_uniq_cut_tr() {
        let table = "NAME READY STATUS\\nweb-1 1/1 Running\\nweb-2 0/1 Pending";
        assert_eq!(
            sh(&format!("echo -e '{table}' | awk '{{print $1}}'")),
            "NAME\nweb-1\nweb-2\n"
        );
        assert_eq!(
            sh(&format!("echo -e '{table}' | awk 'NR>1 {{print $1, $3}}'")),
            "web-1 Running\nweb-2 Pending\n"
        );
        assert_eq!(
            sh(&format!(
                "echo -e '{table}' | awk '$3==\"Running\" {{print $NF}}'"
            )),
            "Running\n"
        );
        assert_eq!(sh("echo 'a:b:c' | awk -F: '{print $2}'"), "b\n");
        assert_eq!(sh("echo -e '3\\n10\\n2' | sort -n"), "2\n3\n10\n");
        assert_eq!(
            sh("echo -e 'b\\na\\nb' | sort | uniq -c"),
            "      1 a\n      2 b\n"
        );
        assert_eq!(sh("echo 'a,b,c' | cut -d, -f2-"), "b,c\n");
        assert_eq!(sh("echo 'Hello' | tr '[:lower:]' '[:upper:]'"), "HELLO\n");
        assert_eq!(sh("echo 'a  b' | tr -s ' '"), "a b\n");
    }

    #[test]
    fn find_and_chmod() {
        assert_eq!(
            sh("find /etc/kubernetes/manifests -name 'kube-s*'"),
            "/etc/kubernetes/manifests/kube-scheduler.yaml\n"
        );
        assert_eq!(
            sh("touch /tmp/x.sh\nchmod +x /tmp/x.sh\nls -l /tmp/x.sh"),
            "-rwxr-xr-x 1 root root    0 Apr 23 08:00 /tmp/x.sh\n"
        );
    }
}
