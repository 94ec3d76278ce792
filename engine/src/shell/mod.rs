//! The bash-like shell the learner types into, in the browser and in
//! `dinghy shell`. It parses a line (see [`parse`]), expands words, and runs
//! builtins and node commands — `kubectl` among them — against the cluster.

pub mod parse;

use crate::clock::Duration;
use crate::cluster::Cluster;
use crate::kubectl;
use crate::output::{Output, Stream};
use parse::{Connector, Part, Redirect, SimpleCommand, Word};
use std::collections::BTreeMap;

/// One terminal session: which node it is on, its variables, aliases and history.
#[derive(Clone, Debug)]
pub struct Session {
    pub node: String,
    pub cwd: String,
    pub env: BTreeMap<String, String>,
    pub aliases: BTreeMap<String, String>,
    pub history: Vec<String>,
    pub last_status: i32,
    /// The kubeconfig context's namespace (`kubectl config set-context --current --namespace`).
    pub namespace: String,
}

impl Session {
    pub fn new(node: &str) -> Self {
        let env = BTreeMap::from([
            ("HOME".to_string(), "/root".to_string()),
            ("USER".to_string(), "root".to_string()),
            ("HOSTNAME".to_string(), node.to_string()),
            (
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            ),
            ("KUBECONFIG".to_string(), "/root/.kube/config".to_string()),
        ]);
        Session {
            node: node.to_string(),
            cwd: "/root".to_string(),
            env,
            aliases: BTreeMap::from([("k".to_string(), "kubectl".to_string())]),
            history: Vec::new(),
            last_status: 0,
            namespace: "default".to_string(),
        }
    }

    /// `controlplane ~ ➜  `: the prompt of the CKA lab environments.
    pub fn prompt(&self) -> String {
        let dir = if self.cwd == "/root" {
            "~".to_string()
        } else if let Some(rest) = self.cwd.strip_prefix("/root/") {
            format!("~/{rest}")
        } else {
            self.cwd.clone()
        };
        format!("{} {} ➜  ", self.node, dir)
    }
}

/// Runs one complete input (a line, or several lines when it continues).
pub fn run(session: &mut Session, cluster: &mut Cluster, src: &str) -> Output {
    let trimmed = src.trim();
    if !trimmed.is_empty() {
        session.history.push(src.trim_end_matches('\n').to_string());
    }
    let script = match parse::parse(src) {
        Ok(s) => s,
        Err(e) => {
            session.last_status = 2;
            return Output {
                chunks: vec![],
                status: 0,
            }
            .fail(e.message())
            .with_status(2);
        }
    };
    let mut out = Output::default();
    let mut status = session.last_status;
    for (i, (connector, pipeline)) in script.items.iter().enumerate() {
        let skip = i > 0
            && match connector {
                Connector::And => status != 0,
                Connector::Or => status == 0,
                Connector::Seq => false,
            };
        if skip {
            continue;
        }
        let result = run_pipeline(session, cluster, pipeline);
        status = result.status;
        session.last_status = status;
        out.extend(result);
        if session.env.contains_key("\u{0}exit") {
            break;
        }
    }
    out.status = status;
    out
}

impl Output {
    fn with_status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }
}

fn run_pipeline(
    session: &mut Session,
    cluster: &mut Cluster,
    pipeline: &[SimpleCommand],
) -> Output {
    let mut stdin: Option<String> = None;
    let mut out = Output::default();
    for (i, cmd) in pipeline.iter().enumerate() {
        let last = i + 1 == pipeline.len();
        let result = run_simple(session, cluster, cmd, stdin.take());
        if last {
            out.extend(result);
        } else {
            // stdout flows into the next command; stderr reaches the terminal.
            stdin = Some(result.stdout());
            out.err(result.stderr());
        }
    }
    out
}

fn run_simple(
    session: &mut Session,
    cluster: &mut Cluster,
    cmd: &SimpleCommand,
    stdin: Option<String>,
) -> Output {
    let mut argv: Vec<String> = Vec::new();
    for w in &cmd.words {
        argv.extend(expand_word(session, cluster, w));
    }
    let mut stdin = stdin;
    let mut merge_stderr = false;
    for r in &cmd.redirects {
        match r {
            Redirect::Heredoc { body, expand } => {
                stdin = Some(if *expand {
                    expand_text(session, cluster, body)
                } else {
                    body.clone()
                });
            }
            Redirect::Dup { from: 2, to: 1 } => merge_stderr = true,
            _ => {}
        }
    }
    // Aliases apply to the first word, as in interactive bash.
    if let Some(first) = argv.first() {
        if let Some(alias) = session.aliases.get(first) {
            let expanded: Vec<String> = alias.split_whitespace().map(String::from).collect();
            argv.splice(0..1, expanded);
        }
    }
    let mut out = match argv.first().map(String::as_str) {
        None => Output::default(),
        Some(name) => builtin(session, cluster, name, &argv[1..], stdin),
    };
    if merge_stderr {
        let text = out.text();
        out.chunks = if text.is_empty() {
            vec![]
        } else {
            vec![(Stream::Stdout, text)]
        };
    }
    out
}

fn builtin(
    session: &mut Session,
    cluster: &mut Cluster,
    name: &str,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let mut out = Output::default();
    match name {
        "kubectl" => {
            let mut ctx = kubectl::Context {
                cluster,
                namespace: session.namespace.clone(),
            };
            return kubectl::run(&mut ctx, args);
        }
        "echo" => {
            let (newline, rest) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            out.out(rest.join(" "));
            if newline {
                out.out("\n");
            }
        }
        "cat" if args.is_empty() || args == ["-"] => out.out(stdin.unwrap_or_default()),
        "true" | ":" => {}
        "false" => out.status = 1,
        "clear" => {}
        "export" => {
            for a in args {
                if let Some((k, v)) = a.split_once('=') {
                    session.env.insert(k.to_string(), v.to_string());
                }
            }
        }
        "alias" => {
            if args.is_empty() {
                for (k, v) in &session.aliases {
                    out.out(format!("alias {k}='{v}'\n"));
                }
            }
            for a in args {
                match a.split_once('=') {
                    Some((k, v)) => {
                        session.aliases.insert(k.to_string(), v.to_string());
                    }
                    None => match session.aliases.get(a) {
                        Some(v) => out.out(format!("alias {a}='{v}'\n")),
                        None => {
                            out.err(format!("bash: alias: {a}: not found\n"));
                            out.status = 1;
                        }
                    },
                }
            }
        }
        "sleep" => {
            let total: Option<i64> = args.iter().map(|a| parse_sleep(a)).sum();
            match total {
                Some(ms) if !args.is_empty() => cluster.step(Duration::from_millis(ms)),
                _ if args.is_empty() => {
                    return out
                        .fail("sleep: missing operand\nTry 'sleep --help' for more information.")
                }
                _ => {
                    return out.fail(format!(
                    "sleep: invalid time interval '{}'\nTry 'sleep --help' for more information.",
                    args.join(" ")
                ))
                }
            }
        }
        "history" => {
            for (i, h) in session.history.iter().enumerate() {
                out.out(format!("{:>5}  {h}\n", i + 1));
            }
        }
        "hostname" => out.out(format!("{}\n", session.node)),
        "whoami" => out.out("root\n"),
        "pwd" => out.out(format!("{}\n", session.cwd)),
        "date" => out.out(format!("{}\n", date_text(cluster))),
        "exit" | "logout" => {
            session.env.insert("\u{0}exit".into(), String::new());
        }
        other => {
            out.err(format!("bash: {other}: command not found\n"));
            out.status = 127;
        }
    }
    out
}

/// `date`'s default format, in UTC: `Wed Apr 23 08:14:35 UTC 2025`.
fn date_text(cluster: &Cluster) -> String {
    let t = cluster.now().rfc3339();
    let days_since_epoch = cluster.now().0.div_euclid(86_400_000);
    let weekday =
        ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days_since_epoch.rem_euclid(7) as usize];
    let month_idx: usize = t[5..7].parse().unwrap_or(1);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month_idx.clamp(1, 12)) - 1];
    let day: u32 = t[8..10].parse().unwrap_or(1);
    format!("{weekday} {month} {day:>2} {} UTC {}", &t[11..19], &t[0..4])
}

/// `sleep 5`, `sleep 1.5`, `sleep 2m`: milliseconds, or `None` if invalid.
fn parse_sleep(arg: &str) -> Option<i64> {
    let (num, unit) = match arg.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&arg[..i], &arg[i..]),
        None => (arg, "s"),
    };
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let factor = match unit {
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    Some((n * factor).round().min(i64::MAX as f64 / 2.0) as i64)
}

/// Expands one word to zero or more arguments: variables, `~`, `$(…)`;
/// unquoted expansion results are split on blanks, as bash does.
fn expand_word(session: &mut Session, cluster: &mut Cluster, word: &Word) -> Vec<String> {
    let mut fields: Vec<String> = vec![String::new()];
    let mut any_quoted = false;
    for (i, part) in word.iter().enumerate() {
        match part {
            Part::Single(s) => {
                any_quoted = true;
                if let Some(last) = fields.last_mut() {
                    last.push_str(s)
                }
            }
            Part::Double(s) => {
                any_quoted = true;
                let text = expand_text(session, cluster, s);
                if let Some(last) = fields.last_mut() {
                    last.push_str(&text)
                }
            }
            Part::Bare(s) => {
                let mut s = s.clone();
                if i == 0 && (s == "~" || s.starts_with("~/")) {
                    let home = session.env.get("HOME").cloned().unwrap_or_default();
                    s = format!("{home}{}", &s[1..]);
                }
                let had_expansion = s.contains('$');
                let text = expand_text(session, cluster, &s);
                if had_expansion {
                    let mut pieces = text.split([' ', '\t', '\n']).peekable();
                    if let (Some(first), Some(last)) = (pieces.next(), fields.last_mut()) {
                        last.push_str(first);
                    }
                    for p in pieces {
                        fields.push(p.to_string());
                    }
                    fields.retain(|f| !f.is_empty() || any_quoted);
                    if fields.is_empty() {
                        fields.push(String::new());
                    }
                } else if let Some(last) = fields.last_mut() {
                    last.push_str(&text)
                }
            }
        }
    }
    if !any_quoted && fields.iter().all(String::is_empty) {
        return vec![];
    }
    fields
}

/// `$VAR`, `${VAR}`, `$?`, `$(cmd)` inside a string; `\u{0}` marks a
/// character escaped inside double quotes.
fn expand_text(session: &mut Session, cluster: &mut Cluster, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\u{0}' {
            if let Some(n) = chars.get(i + 1) {
                out.push(*n);
            }
            i += 2;
            continue;
        }
        if c != '$' || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let next = chars[i + 1];
        if next == '(' {
            // Command substitution: find the matching parenthesis.
            let mut depth = 0;
            let mut j = i + 1;
            while j < chars.len() {
                match chars[j] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let inner: String = chars[i + 2..j.min(chars.len())].iter().collect();
            let result = run(&mut session.clone_for_subshell(), cluster, &inner);
            out.push_str(result.stdout().trim_end_matches('\n'));
            i = j + 1;
            continue;
        }
        if next == '?' {
            out.push_str(&session.last_status.to_string());
            i += 2;
            continue;
        }
        let (name, end) = if next == '{' {
            let close = chars[i + 2..]
                .iter()
                .position(|c| *c == '}')
                .map(|p| p + i + 2);
            match close {
                Some(close) => (chars[i + 2..close].iter().collect::<String>(), close + 1),
                None => {
                    out.push(c);
                    i += 1;
                    continue;
                }
            }
        } else {
            let len = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            if len == 0 {
                out.push(c);
                i += 1;
                continue;
            }
            (
                chars[i + 1..i + 1 + len].iter().collect::<String>(),
                i + 1 + len,
            )
        };
        out.push_str(session.env.get(&name).map(String::as_str).unwrap_or(""));
        i = end;
    }
    out
}

impl Session {
    fn clone_for_subshell(&self) -> Session {
        let mut s = self.clone();
        s.history.clear();
        s
    }
}
