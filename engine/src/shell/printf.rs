//! Small programs scripts are built from: bash's `printf`, `let`, `read`,
//! coreutils' `seq` and findutils' `xargs`, with their error texts.

use super::{arith, Session};
use crate::cluster::Cluster;
use crate::output::Output;
use crate::scan;

/// `printf FORMAT [ARGUMENTS…]`: the format is reused while arguments remain.
pub(crate) fn printf(session: &mut Session, args: &[String]) -> Output {
    let mut out = Output::default();
    let (target, args) = match args {
        [flag, var, rest @ ..] if flag == "-v" => (Some(var.clone()), rest),
        _ => (None, args),
    };
    let Some((format, mut rest)) = args.split_first() else {
        return Output::default()
            .fail("printf: usage: printf [-v var] format [arguments]")
            .with_status(2);
    };
    let mut text = String::new();
    let mut failed = false;
    loop {
        let before = rest.len();
        let stop = format_once(format, &mut rest, &mut text, &mut out, &mut failed);
        if stop || rest.is_empty() || rest.len() == before {
            break;
        }
    }
    match target {
        Some(var) => {
            session.env.insert(var, text);
        }
        None => out.out(text),
    }
    out.status = i32::from(failed);
    out
}

/// One pass over the format. Returns true at `\c` (stop all output).
fn format_once(
    format: &str,
    args: &mut &[String],
    text: &mut String,
    out: &mut Output,
    failed: &mut bool,
) -> bool {
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = scan::char_at(&chars, i);
        if c == '\\' {
            let (s, used, stop) = escape(scan::tail(&chars, i + 1));
            text.push_str(&s);
            if stop {
                return true;
            }
            i += 1 + used;
            continue;
        }
        if c != '%' {
            text.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'%') {
            text.push('%');
            i += 2;
            continue;
        }
        // %[flags][width][.precision]conversion
        let start = i;
        i += 1;
        let mut flags = String::new();
        while let Some(f @ ('-' | '+' | ' ' | '#' | '0')) = chars.get(i).copied() {
            flags.push(f);
            i += 1;
        }
        let mut width = String::new();
        while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
            width.push(*d);
            i += 1;
        }
        let mut precision: Option<usize> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = String::new();
            while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                p.push(*d);
                i += 1;
            }
            precision = Some(p.parse().unwrap_or(0));
        }
        let Some(conv) = chars.get(i).copied() else {
            out.err(format!(
                "bash: printf: `{}': missing format character\n",
                scan::tail(&chars, start).iter().collect::<String>()
            ));
            *failed = true;
            return true;
        };
        i += 1;
        let arg = args.first().cloned();
        *args = args.get(1..).unwrap_or_default();
        let arg_text = arg.clone().unwrap_or_default();
        let body = match conv {
            's' => match precision {
                Some(p) => arg_text.chars().take(p).collect(),
                None => arg_text,
            },
            'b' => {
                let chars: Vec<char> = arg_text.chars().collect();
                let mut s = String::new();
                let mut k = 0;
                let mut stop = false;
                while k < chars.len() {
                    if scan::char_at(&chars, k) == '\\' {
                        let (e, used, st) = escape(scan::tail(&chars, k + 1));
                        s.push_str(&e);
                        k += 1 + used;
                        if st {
                            stop = true;
                            break;
                        }
                    } else {
                        s.push(scan::char_at(&chars, k));
                        k += 1;
                    }
                }
                if stop {
                    text.push_str(&pad(&s, &flags, &width));
                    return true;
                }
                s
            }
            'q' => quote(&arg_text),
            'c' => arg_text
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default(),
            'd' | 'i' | 'x' | 'X' | 'o' | 'u' => {
                let n = match number(&arg_text) {
                    Some(n) => n,
                    None => {
                        out.err(format!("bash: printf: {arg_text}: invalid number\n"));
                        *failed = true;
                        0
                    }
                };
                let digits = match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => n.unsigned_abs().to_string(),
                };
                let digits = match precision {
                    Some(p) if digits.len() < p => {
                        format!("{}{digits}", "0".repeat(p - digits.len()))
                    }
                    _ => digits,
                };
                let sign = if n < 0 && matches!(conv, 'd' | 'i' | 'u') {
                    "-"
                } else if flags.contains('+') && matches!(conv, 'd' | 'i') {
                    "+"
                } else {
                    ""
                };
                let prefix = if flags.contains('#') && n != 0 {
                    match conv {
                        'x' => "0x",
                        'X' => "0X",
                        'o' => "0",
                        _ => "",
                    }
                } else {
                    ""
                };
                let w: usize = width.parse().unwrap_or(0);
                let len = sign.len() + prefix.len() + digits.len();
                if flags.contains('0') && !flags.contains('-') && w > len {
                    text.push_str(&format!("{sign}{prefix}{}{digits}", "0".repeat(w - len)));
                    continue;
                }
                format!("{sign}{prefix}{digits}")
            }
            'f' | 'e' | 'g' => {
                let f: f64 = if arg_text.is_empty() {
                    0.0
                } else {
                    match arg_text.parse() {
                        Ok(f) => f,
                        Err(_) => {
                            out.err(format!("bash: printf: {arg_text}: invalid number\n"));
                            *failed = true;
                            0.0
                        }
                    }
                };
                let p = precision.unwrap_or(6);
                match conv {
                    'e' => format!("{f:.p$e}"),
                    _ => format!("{f:.p$}"),
                }
            }
            other => {
                out.err(format!(
                    "bash: printf: `{other}': invalid format character\n"
                ));
                *failed = true;
                return true;
            }
        };
        text.push_str(&pad(&body, &flags, &width));
    }
    false
}

fn pad(s: &str, flags: &str, width: &str) -> String {
    let w: usize = width.parse().unwrap_or(0);
    let len = s.chars().count();
    if len >= w {
        return s.to_string();
    }
    let fill = " ".repeat(w - len);
    if flags.contains('-') {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

/// A printf number: decimal, `0x…`, octal `0…`, or `'c` (a character's code).
fn number(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(c) = t.strip_prefix(['\'', '"']) {
        return Some(c.chars().next().map(|c| c as i64).unwrap_or(0));
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let n = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(h, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if neg { -n } else { n })
}

/// A backslash escape (text after the `\`): its text, the characters it
/// used, and whether it is `\c` (stop).
fn escape(rest: &[char]) -> (String, usize, bool) {
    let Some(&c) = rest.first() else {
        return ("\\".into(), 0, false);
    };
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        'e' | 'E' => Some('\u{1b}'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '\'' => Some('\''),
        _ => None,
    };
    if let Some(s) = simple {
        return (s.to_string(), 1, false);
    }
    match c {
        'c' => (String::new(), 1, true),
        '0'..='7' => {
            let digits: String = rest
                .iter()
                .take(if c == '0' { 4 } else { 3 })
                .take_while(|d| ('0'..='7').contains(d))
                .collect();
            let v = u32::from_str_radix(&digits, 8).unwrap_or(0) & 0xff;
            (
                char::from_u32(v).map(String::from).unwrap_or_default(),
                digits.len(),
                false,
            )
        }
        'x' => {
            let digits: String = scan::tail(rest, 1)
                .iter()
                .take(2)
                .take_while(|d| d.is_ascii_hexdigit())
                .collect();
            if digits.is_empty() {
                return ("\\x".into(), 1, false);
            }
            let v = u32::from_str_radix(&digits, 16).unwrap_or(0);
            (
                char::from_u32(v).map(String::from).unwrap_or_default(),
                1 + digits.len(),
                false,
            )
        }
        other => (format!("\\{other}"), 1, false),
    }
}

/// `%q`: quoted so bash reads it back as the same word, as bash writes it.
fn quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric()
            || matches!(c, '_' | '-' | '.' | '/' | ',' | ':' | '@' | '%' | '+' | '=')
        {
            out.push(c);
        } else if c == '\n' {
            return format!(
                "$'{}'",
                s.replace('\\', "\\\\")
                    .replace('\'', "\\'")
                    .replace('\n', "\\n")
                    .replace('\t', "\\t")
            );
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// `let EXPR…`: status 0 when the last value is not zero.
pub(crate) fn let_builtin(session: &mut Session, args: &[String]) -> Output {
    if args.is_empty() {
        return Output::default().fail("bash: let: expression expected");
    }
    let mut last = 0;
    for a in args {
        match arith::eval(a, &mut session.env) {
            Ok(v) => last = v,
            Err(e) => return Output::default().fail(format!("bash: let: {e}")),
        }
    }
    Output::default().with_status(i32::from(last == 0))
}

/// `read [-r] [-p PROMPT] [NAME…]`: one line from stdin (the pipe, a
/// here-string, or the enclosing loop's input), split on blanks; the last
/// name takes the rest. Status 1 at end of input.
pub(crate) fn read(session: &mut Session, args: &[String], stdin: Option<String>) -> Output {
    let mut raw = false;
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-r" => raw = true,
            "-p" | "-t" | "-n" | "-d" | "-u" => {
                it.next();
            }
            "-s" | "-e" => {}
            _ if a.starts_with('-') && a.len() > 1 => {
                return Output::default()
                    .fail(format!("bash: read: {a}: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]"))
                    .with_status(2);
            }
            _ => names.push(a.clone()),
        }
    }
    // Our own stdin (a pipe into `read` itself) or the loop's, consumed line by line.
    let mut own = stdin;
    let source = match own.as_mut() {
        Some(s) => s,
        None => match session.stdin.as_mut() {
            Some(s) => s,
            None => return Output::default().with_status(1),
        },
    };
    if source.is_empty() {
        return Output::default().with_status(1);
    }
    let (line, rest, had_newline) = match source.find('\n') {
        Some(i) => (source[..i].to_string(), source[i + 1..].to_string(), true),
        None => (source.clone(), String::new(), false),
    };
    *source = rest;
    let line = if raw { line } else { line.replace("\\", "") };
    if names.is_empty() {
        session.env.insert("REPLY".into(), line);
    } else {
        let mut remaining = line.trim_start_matches([' ', '\t']);
        for (k, name) in names.iter().enumerate() {
            let value = if k + 1 == names.len() {
                remaining.trim_end_matches([' ', '\t']).to_string()
            } else {
                let end = remaining.find([' ', '\t']).unwrap_or(remaining.len());
                let v = remaining[..end].to_string();
                remaining = remaining[end..].trim_start_matches([' ', '\t']);
                v
            };
            session.env.insert(name.clone(), value);
        }
    }
    Output::default().with_status(i32::from(!had_newline))
}

/// `seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST`.
pub(crate) fn seq(args: &[String]) -> Output {
    let mut sep = "\n".to_string();
    let mut equal_width = false;
    let mut nums = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-s" => sep = it.next().cloned().unwrap_or_default(),
            "-w" => equal_width = true,
            _ if a.starts_with("-s") && a.len() > 2 => sep = a[2..].to_string(),
            _ => nums.push(a.clone()),
        }
    }
    let usage = "Try 'seq --help' for more information.";
    if nums.is_empty() {
        return Output::default().fail(format!("seq: missing operand\n{usage}"));
    }
    if let Some(extra) = nums.get(3) {
        return Output::default().fail(format!("seq: extra operand ‘{extra}’\n{usage}"));
    }
    let mut values = Vec::new();
    for n in &nums {
        match n.parse::<i64>() {
            Ok(v) => values.push(v),
            Err(_) => {
                return Output::default().fail(format!(
                    "seq: invalid floating point argument: ‘{n}’\n{usage}"
                ))
            }
        }
    }
    let (first, step, last) = match values.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, s, l] => (*f, *s, *l),
        _ => (1, 1, 0),
    };
    if step == 0 {
        return Output::default().fail(format!("seq: invalid Zero increment value: ‘0’\n{usage}"));
    }
    let width = if equal_width {
        first.to_string().len().max(last.to_string().len())
    } else {
        0
    };
    let mut items = Vec::new();
    let mut v = first;
    while (step > 0 && v <= last) || (step < 0 && v >= last) {
        items.push(format!("{v:0width$}"));
        if items.len() > 100_000 {
            break;
        }
        v = match v.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    let mut out = Output::default();
    if !items.is_empty() {
        out.out(format!("{}\n", items.join(&sep)));
    }
    out
}

/// `xargs [-n N] [-I REPLACE] [-r] [COMMAND [ARGS…]]`: runs the command
/// with the input's words as arguments (default `echo`).
pub(crate) fn xargs(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let mut per_call: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut no_run_if_empty = false;
    let mut i = 0;
    while let Some(a) = args.get(i).map(String::as_str) {
        match a {
            "-n" | "--max-args" => {
                i += 1;
                let n = args.get(i).map(String::as_str).unwrap_or("");
                match n.parse::<usize>() {
                    Ok(v) if v > 0 => per_call = Some(v),
                    _ => {
                        return Output::default()
                            .fail(format!("xargs: invalid number \"{n}\" for -n option\nTry 'xargs --help' for more information."))
                    }
                }
            }
            "-I" => {
                i += 1;
                replace = args.get(i).cloned();
            }
            "-r" | "--no-run-if-empty" => no_run_if_empty = true,
            "-0" | "-t" => {}
            _ if a.starts_with("-n") && a.len() > 2 => {
                per_call = a[2..].parse().ok().filter(|n| *n > 0)
            }
            _ if a.starts_with("-I") && a.len() > 2 => replace = Some(a[2..].to_string()),
            _ if a.starts_with('-') && a.len() > 1 => {
                return Output::default().fail(format!(
                    "xargs: invalid option -- '{}'\nTry 'xargs --help' for more information.",
                    a.trim_start_matches('-')
                ))
            }
            _ => break,
        }
        i += 1;
    }
    let command: Vec<String> = match args.get(i..) {
        Some(rest) if !rest.is_empty() => rest.to_vec(),
        _ => vec!["echo".into()],
    };
    let input = stdin.unwrap_or_default();
    let mut calls: Vec<Vec<String>> = Vec::new();
    if let Some(r) = &replace {
        // -I: one call per input line, the placeholder replaced.
        for line in input.lines().map(str::trim).filter(|l| !l.is_empty()) {
            calls.push(
                command
                    .iter()
                    .map(|a| a.replace(r.as_str(), line))
                    .collect(),
            );
        }
    } else {
        let words: Vec<String> = input.split_whitespace().map(String::from).collect();
        if words.is_empty() {
            if !no_run_if_empty {
                calls.push(command.clone());
            }
        } else {
            for chunk in words.chunks(per_call.unwrap_or(words.len()).max(1)) {
                let mut c = command.clone();
                c.extend(chunk.iter().cloned());
                calls.push(c);
            }
        }
    }
    let mut out = Output::default();
    let mut status = 0;
    for call in calls {
        let Some((name, rest)) = call.split_first() else {
            continue;
        };
        // xargs runs programs, not shell functions or aliases.
        let r = super::commands::run(session, cluster, name, rest, None);
        cluster.settle();
        if r.status == 127 {
            let mut o = Output::default();
            o.err(format!("xargs: {name}: No such file or directory\n"));
            out.extend(o);
            out.status = 127;
            return out;
        }
        if r.status != 0 {
            status = 123;
        }
        out.extend(r);
    }
    out.status = status;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printf_out(args: &[&str]) -> (String, String, i32) {
        let mut s = Session::new("controlplane");
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let o = printf(&mut s, &args);
        (o.stdout(), o.stderr(), o.status)
    }

    #[test]
    fn printf_formats_like_bash() {
        assert_eq!(
            printf_out(&["%s-%d\\n", "a", "1", "b", "2", "c"]).0,
            "a-1\nb-2\nc-0\n"
        );
        assert_eq!(
            printf_out(&["%q\\n", "a b", "it's", ""]).0,
            "a\\ b\nit\\'s\n''\n"
        );
        assert_eq!(
            printf_out(&[
                "%5s|%-5s|%05d|%x|%X|%o\\n",
                "ab",
                "cd",
                "42",
                "255",
                "255",
                "8"
            ])
            .0,
            "   ab|cd   |00042|ff|FF|10\n"
        );
        assert_eq!(
            printf_out(&["%d\\n", "abc"]),
            (
                "0\n".into(),
                "bash: printf: abc: invalid number\n".into(),
                1
            )
        );
        assert_eq!(printf_out(&["%b\\n", "a\\tb"]).0, "a\tb\n");
        assert_eq!(printf_out(&["%.2f\\n", "3.14159"]).0, "3.14\n");
        assert_eq!(printf_out(&["%s %s\\n", "a"]).0, "a \n");
        assert_eq!(
            printf_out(&[]),
            (
                String::new(),
                "printf: usage: printf [-v var] format [arguments]\n".into(),
                2
            )
        );
    }

    #[test]
    fn seq_counts_like_coreutils() {
        let s = |a: &[&str]| seq(&a.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["3"]).stdout(), "1\n2\n3\n");
        assert_eq!(s(&["1", "2", "7"]).stdout(), "1\n3\n5\n7\n");
        assert_eq!(s(&["-s,", "3"]).stdout(), "1,2,3\n");
        assert_eq!(s(&["5", "1"]).stdout(), "");
        assert_eq!(s(&["-w", "8", "10"]).stdout(), "08\n09\n10\n");
        assert_eq!(
            s(&[]).stderr(),
            "seq: missing operand\nTry 'seq --help' for more information.\n"
        );
    }

    #[test]
    fn read_splits_into_names() {
        let mut s = Session::new("controlplane");
        let args = vec!["a".to_string(), "b".to_string()];
        let o = read(&mut s, &args, Some("x  y z\nnext\n".into()));
        assert_eq!(o.status, 0);
        assert_eq!(s.env.get("a").map(String::as_str), Some("x"));
        assert_eq!(s.env.get("b").map(String::as_str), Some("y z"));
        assert_eq!(read(&mut s, &args, None).status, 1);
    }
}
