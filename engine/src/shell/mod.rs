//! The bash-like shell the learner types into, in the browser and in
//! `dinghy shell`. It parses a line (see [`parse`]), expands words, and runs
//! builtins and node commands — `kubectl` among them — against the cluster.

mod apt;
mod arith;
mod brace;
mod case;
mod commands;
pub mod complete;
mod coreutils;
mod crictl;
pub mod editor;
pub use coreutils::{base64_decode, base64_encode};
mod etcdctl;
pub mod glob;
mod grep;
mod help_texts;
mod history;
mod kubeadm_upgrade;
mod loops;
mod net;
pub mod parse;
pub(crate) mod pki;
mod printf;
pub mod question;
mod script;
mod system;
mod textutils;
pub mod watch;

use crate::cluster::Cluster;
use crate::node::fs;
use crate::output::{Output, Stream};
use crate::scan;
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
    /// Where `ssh` came from: `exit` goes back there.
    pub ssh_stack: Vec<(String, String)>,
    /// `vi` and `kubectl edit`'s editor (see [`editor`]).
    pub editor: editor::EditorState,
    /// A question the command line waits at (see [`question`]).
    pub question: question::QuestionState,
    /// Shell functions (`name() { … }`, e.g. from `source <(kubectl completion bash)`): their bodies.
    pub functions: BTreeMap<String, String>,
    /// A command holding the terminal (`watch`) until Ctrl-C (see [`watch`]).
    pub foreground: Option<watch::Watch>,
    /// The terminal's width in columns, when the host knows it (the browser
    /// measures its pane); `watch` clips its title to it.
    pub columns: Option<usize>,
    /// What a `<(…)` printed on stderr, shown with the command that reads it.
    pub pending_stderr: String,
    /// `complete -F FUNCTION NAME`: the completion function per command name.
    /// `__start_kubectl` gives a command kubectl's completion.
    pub completions: crate::maps::BoxedMap<Completion>,
    /// The unread input of the enclosing loop (`cmd | while read x`), for `read`.
    pub stdin: Option<String>,
    /// How many loops are running (for `break`/`continue`).
    pub loop_depth: usize,
    /// A `break`/`continue` on its way out to its loop.
    pub loop_jump: Option<LoopJump>,
}

/// `break N` (`resume: false`) or `continue N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopJump {
    pub levels: usize,
    pub resume: bool,
}

/// One `complete` registration, printed back by `complete -p`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub function: String,
    /// `-o default`, `-o nospace`…
    pub options: Vec<String>,
}

impl Session {
    pub fn new(node: &str) -> Self {
        let env = crate::sort::map([
            ("HOME".to_string(), "/root".to_string()),
            ("USER".to_string(), "root".to_string()),
            ("HOSTNAME".to_string(), node.to_string()),
            (
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            ),
        ]);
        Session {
            node: node.to_string(),
            cwd: "/root".to_string(),
            env,
            aliases: crate::sort::map([("k".to_string(), "kubectl".to_string())]),
            history: Vec::new(),
            last_status: 0,
            namespace: "default".to_string(),
            ssh_stack: Vec::new(),
            editor: editor::EditorState::default(),
            question: question::QuestionState::default(),
            functions: BTreeMap::new(),
            pending_stderr: String::new(),
            foreground: None,
            columns: None,
            stdin: None,
            loop_depth: 0,
            loop_jump: None,
            // What the lab environments' ~/.bashrc sets up: kubectl's completion, also for `k`.
            completions: crate::sort::map(["kubectl", "k"].into_iter().map(|name| {
                (
                    name.to_string(),
                    Box::new(Completion {
                        function: "__start_kubectl".into(),
                        options: vec!["default".into()],
                    }),
                )
            })),
        }
    }

    /// `controlplane ~ ➜  `: the prompt of the CKA lab environments; while
    /// a command waits for an answer, its question.
    pub fn prompt(&self) -> String {
        if let Some(q) = self
            .question
            .prompt
            .as_ref()
            .filter(|_| self.question.waiting())
        {
            return q.clone();
        }
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

/// The input ended (a script ran out): a question still waiting reads end
/// of file and its line runs to the end.
pub fn end_of_input(session: &mut Session, cluster: &mut Cluster) -> Output {
    let out = question::end_of_input(session, cluster);
    session.env.remove(ABANDON);
    session.loop_jump = None;
    out
}

/// Runs one complete input (a line, or several lines when it continues).
pub fn run(session: &mut Session, cluster: &mut Cluster, src: &str) -> Output {
    if session.question.waiting() {
        // The line answers the question; it is not a command (nor history).
        let out = question::answer(session, cluster, src);
        session.env.remove(ABANDON);
        session.loop_jump = None;
        return out;
    }
    session.question = question::QuestionState::default();
    // History expansion comes first: bash shows the expanded line, then runs it.
    let mut out = Output::default();
    let expanded = match history::expand(src, &session.history) {
        Ok(Some(line)) => {
            out.err(format!("{}\n", line.trim_end_matches('\n')));
            line
        }
        Ok(None) => src.to_string(),
        Err(e) => {
            session.last_status = 1;
            return out.fail(e);
        }
    };
    let src = expanded.as_str();
    let trimmed = src.trim();
    if !trimmed.is_empty() {
        session.history.push(src.trim_end_matches('\n').to_string());
    }
    // A new line abandons an editor left open.
    session.editor = editor::EditorState {
        interactive: session.editor.interactive,
        ..Default::default()
    };
    let result = script::run_text(session, cluster, src);
    if session.question.waiting() {
        session.question.shown = result.chunks.clone();
    } else {
        session.question = question::QuestionState::default();
    }
    session.env.remove(ABANDON);
    session.loop_jump = None;
    out.status = result.status;
    out.chunks.extend(result.chunks);
    out
}

/// `source FILE` / `. FILE`: the file's commands run in this session.
pub(crate) fn source(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let Some(file) = args.first() else {
        return Output::default()
            .fail("bash: source: filename argument required\nsource: usage: source filename [arguments]")
            .with_status(2);
    };
    let path = fs::normalize(&session.cwd, file);
    let text = match session_fs(session, cluster).map(|f| f.read_to_string(&path)) {
        Some(Ok(text)) => text,
        Some(Err(e)) => return Output::default().fail(format!("bash: {file}: {}", e.text())),
        None => return Output::default().fail(format!("bash: {file}: No such file or directory")),
    };
    script::run_text(session, cluster, &text)
}

/// Answers the editor the command line is suspended at (see [`editor`]):
/// the saved text, or `None` for quitting without saving. The line runs
/// again with every answer so far; it may suspend at another editor.
pub fn editor_done(session: &mut Session, cluster: &mut Cluster, saved: Option<String>) -> Output {
    let Some(line) = session.editor.pending_line.clone() else {
        return Output::default();
    };
    session.editor.answers.push(saved);
    session.editor.request = None;
    session.editor.consumed = 0;
    run_line(session, cluster, &line)
}

pub(crate) fn run_line(session: &mut Session, cluster: &mut Cluster, src: &str) -> Output {
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
    run_script(session, cluster, &script, src)
}

/// Runs a parsed command line; `src` is its text (kept to run again after an editor).
fn run_script(
    session: &mut Session,
    cluster: &mut Cluster,
    script: &parse::Script,
    src: &str,
) -> Output {
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
        if session.env.contains_key("\u{0}exit")
            || session.env.contains_key(ABANDON)
            || session.loop_jump.is_some()
        {
            break;
        }
        if session.editor.request.is_some() {
            // Suspended at an editor: the rest runs once it is answered.
            session.editor.pending_line = Some(src.to_string());
            out.status = 0;
            return out;
        }
        if session.question.prompt.is_some() {
            // Suspended at a question: the same, once the next line answers.
            session.question.pending_line = Some(src.to_string());
            out.status = 0;
            return out;
        }
    }
    session.editor.pending_line = None;
    session.editor.answers.clear();
    out.status = status;
    out
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
        // The control loop reacts before the next command, as a real
        // cluster's components do within milliseconds.
        cluster.settle();
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

/// bash's alias expansion: the command's name — the first word after the
/// assignments, when it is unquoted and names an alias — is replaced by the
/// alias's text read again as shell words, so an alias may hold
/// assignments, quotes and redirections (`alias e='ETCDCTL_API=3 etcdctl
/// --cacert="/etc/…"'`). The words it brings are looked at again, for
/// another alias, but an alias is never expanded inside itself. `None`
/// when there is nothing to expand, or when the text is more than one
/// simple command (left to the word-by-word expansion in [`run_simple`]).
fn expand_alias(session: &Session, cmd: &SimpleCommand) -> Option<SimpleCommand> {
    // Copied only once an alias is found: this runs for every command.
    let mut expanded: Option<SimpleCommand> = None;
    let mut used: Vec<String> = Vec::new();
    loop {
        let current = expanded.as_ref().unwrap_or(cmd);
        let Some(at) = current
            .words
            .iter()
            .position(|w| assignment_value(w).is_none())
        else {
            break;
        };
        let name = match current.words.get(at).map(Vec::as_slice) {
            Some([Part::Bare(name)]) if !used.contains(name) => name,
            _ => break,
        };
        let Some(text) = session.aliases.get(name) else {
            break;
        };
        let name = name.clone();
        let script = parse::parse(text).ok()?;
        let [(_, pipeline)] = script.items.as_slice() else {
            return None;
        };
        let [alias] = pipeline.as_slice() else {
            return None;
        };
        let next = expanded.get_or_insert_with(|| cmd.clone());
        next.words.splice(at..=at, alias.words.iter().cloned());
        next.redirects.splice(0..0, alias.redirects.iter().cloned());
        used.push(name);
    }
    expanded
}

fn run_simple(
    session: &mut Session,
    cluster: &mut Cluster,
    cmd: &SimpleCommand,
    stdin: Option<String>,
) -> Output {
    let aliased = expand_alias(session, cmd);
    let cmd = aliased.as_ref().unwrap_or(cmd);
    // `((expression))`: an arithmetic command, true when not zero.
    if let Some([Part::Bare(s)]) = cmd.words.first().map(Vec::as_slice) {
        if let Some(expr) = s.strip_prefix("((").and_then(|r| r.strip_suffix("))")) {
            if cmd.words.len() == 1 {
                let expr = expand_text(session, cluster, expr);
                let out = Output::default();
                if session.env.remove(ABORT).is_some() {
                    return out.fail(std::mem::take(&mut session.pending_stderr));
                }
                return match arith::eval(&expr, &mut session.env) {
                    Ok(v) => out.with_status(i32::from(v == 0)),
                    Err(e) => out.fail(format!("bash: {e}\n")),
                };
            }
        }
    }
    let mut stdin = stdin;
    let loop_text = match cmd.words.as_slice() {
        [first, text] if first == &vec![Part::Bare(loops::MARKER.to_string())] => {
            match text.as_slice() {
                [Part::Single(t)] => Some(t.clone()),
                _ => None,
            }
        }
        _ => None,
    };
    let mut argv: Vec<String> = Vec::new();
    // Assignments before the command, and those a declaration builtin
    // takes, are expanded without word splitting or globbing (bash's
    // manual, "Simple Command Expansion"): `A=$(echo a b)` sets "a b".
    let mut assigning = true;
    for w in cmd.words.iter().filter(|_| loop_text.is_none()) {
        let declaration = matches!(
            argv.first().map(String::as_str),
            Some("export" | "declare" | "typeset" | "local" | "readonly")
        );
        match assignment_value(w) {
            Some((name, value)) if assigning || declaration => {
                let value = expand_unsplit(session, cluster, &value);
                argv.push(format!("{name}={value}"));
            }
            _ => {
                assigning = false;
                argv.extend(expand_word(session, cluster, w));
            }
        }
    }
    if session.env.remove(ABORT).is_some() {
        // An expansion failed (e.g. `$((1/0))`): bash abandons the command
        // and the rest of the line.
        session.env.insert(ABANDON.into(), String::new());
        return Output::default().fail(std::mem::take(&mut session.pending_stderr));
    }
    // Input redirections first: they decide what the command reads.
    for r in &cmd.redirects {
        match r {
            Redirect::Heredoc { body, expand } => {
                stdin = Some(if *expand {
                    expand_text(session, cluster, body)
                } else {
                    body.clone()
                });
            }
            Redirect::HereString(word) => {
                stdin = Some(format!(
                    "{}\n",
                    expand_word(session, cluster, word).join(" ")
                ));
            }
            Redirect::In(word) => {
                let target = expand_word(session, cluster, word).join(" ");
                let path = fs::normalize(&session.cwd, &target);
                match session_fs(session, cluster).map(|f| f.read_to_string(&path)) {
                    Some(Ok(text)) => stdin = Some(text),
                    Some(Err(e)) => {
                        return Output::default().fail(format!("bash: {target}: {}", e.text()))
                    }
                    None => {
                        return Output::default()
                            .fail(format!("bash: {target}: No such file or directory"))
                    }
                }
            }
            _ => {}
        }
    }
    // `NAME=value cmd`: the assignment holds for that command only; alone, it sets a shell variable.
    let assignments = argv.iter().take_while(|a| is_assignment(a)).count();
    let saved_env = session.env.clone();
    for a in argv.drain(..assignments).collect::<Vec<_>>() {
        if let Some((k, v)) = a.split_once('=') {
            session.env.insert(k.to_string(), v.to_string());
        }
    }
    let temporary = !argv.is_empty() && assignments > 0;
    // An alias whose text is more than one simple command: its words, as
    // they are split.
    if let Some(first) = argv.first().filter(|_| aliased.is_none()) {
        if let Some(alias) = session.aliases.get(first) {
            let expanded: Vec<String> = alias.split_whitespace().map(String::from).collect();
            argv.splice(0..1, expanded);
        }
    }
    let mut out = Output::default();
    if !session.pending_stderr.is_empty() {
        out.err(std::mem::take(&mut session.pending_stderr));
    }
    out.extend(match argv.first().map(String::as_str) {
        None if loop_text.is_some() => {
            loops::run_loop(session, cluster, loop_text.as_deref().unwrap_or(""), stdin)
        }
        None => Output::default(),
        Some(name) => commands::run(
            session,
            cluster,
            name,
            argv.get(1..).unwrap_or_default(),
            stdin,
        ),
    });
    // Looked at before it is borrowed to be changed: a borrow to change
    // the machine counts as a change its kubelet looks at (see `Machine`).
    if session_fs(session, cluster).is_some_and(|f| f.is_dir(PROC_FD_DIR)) {
        if let Some(fsys) = session_fs_mut(session, cluster) {
            let _ = fsys.remove(PROC_FD_DIR, true);
        }
    }
    if temporary {
        let exit = session.env.get("\u{0}exit").cloned();
        session.env = saved_env;
        if let Some(e) = exit {
            session.env.insert("\u{0}exit".into(), e);
        }
    }
    // Output redirections: bash sets up the file descriptors left to
    // right (so `2>&1 >/dev/null` sends errors where stdout went before
    // and discards stdout), then the command writes through them.
    #[derive(Clone, Copy, PartialEq)]
    enum Dest {
        Stdout,
        Stderr,
        Null,
        File(usize),
    }
    /// A file opened by a redirection, with what the command wrote to it.
    struct Opened {
        target: String,
        path: String,
        append: bool,
        data: String,
    }
    let mut files: Vec<Opened> = Vec::new();
    let (mut fd1, mut fd2) = (Dest::Stdout, Dest::Stderr);
    for r in &cmd.redirects {
        match r {
            Redirect::Dup { from: 2, to: 1 } => fd2 = fd1,
            Redirect::Dup { from: 1, to: 2 } => fd1 = fd2,
            Redirect::Out { fd, target, append } => {
                let target = expand_word(session, cluster, target).join(" ");
                let dest = match target.as_str() {
                    "/dev/null" => Dest::Null,
                    "/dev/stdout" => fd1,
                    "/dev/stderr" => fd2,
                    _ => {
                        let path = fs::normalize(&session.cwd, &target);
                        files.push(Opened {
                            target,
                            path,
                            append: *append,
                            data: String::new(),
                        });
                        Dest::File(files.len() - 1)
                    }
                };
                if *fd == 2 {
                    fd2 = dest;
                } else {
                    fd1 = dest;
                }
            }
            _ => {}
        }
    }
    if (fd1, fd2) != (Dest::Stdout, Dest::Stderr) || !files.is_empty() {
        let mut chunks = Vec::new();
        for (stream, text) in std::mem::take(&mut out.chunks) {
            let dest = if stream == Stream::Stdout { fd1 } else { fd2 };
            match dest {
                Dest::Stdout => chunks.push((Stream::Stdout, text)),
                Dest::Stderr => chunks.push((Stream::Stderr, text)),
                Dest::Null => {}
                Dest::File(i) => {
                    if let Some(f) = files.get_mut(i) {
                        f.data.push_str(&text);
                    }
                }
            }
        }
        out.chunks = chunks;
        for Opened {
            target,
            path,
            append,
            data,
        } in files
        {
            let result =
                session_fs_mut(session, cluster).map(|f| f.write(&path, data.as_bytes(), append));
            if let Some(Err(e)) = result {
                out.err(format!("bash: {target}: {}\n", e.text()));
                out.status = 1;
            }
        }
    }
    out
}

/// `NAME=value` as written: the name, and the value's parts (the word
/// with `NAME=` taken off its first, unquoted part).
fn assignment_value(word: &Word) -> Option<(String, Word)> {
    let Some(Part::Bare(first)) = word.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_assignment(first) {
        return None;
    }
    let mut value: Word = vec![Part::Bare(rest.to_string())];
    value.extend(word.iter().skip(1).cloned());
    Some((name.to_string(), value))
}

/// A word expanded as one field: quotes removed, `$…` expanded, no
/// splitting, no pathname expansion, and `~` at its start is `$HOME`.
fn expand_unsplit(session: &mut Session, cluster: &mut Cluster, word: &Word) -> String {
    let mut out = String::new();
    for (i, part) in word.iter().enumerate() {
        match part {
            Part::Single(s) => out.push_str(s),
            Part::Double(s) => out.push_str(&expand_text(session, cluster, s)),
            Part::Bare(s) => {
                let home = || session.env.get("HOME").cloned().unwrap_or_default();
                let s = match s.strip_prefix('~') {
                    Some(rest) if i == 0 && (rest.is_empty() || rest.starts_with('/')) => {
                        format!("{}{rest}", home())
                    }
                    _ => s.clone(),
                };
                out.push_str(&expand_text(session, cluster, &s));
            }
        }
    }
    out
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The file system of the machine the session is on.
pub(crate) fn session_fs<'a>(
    session: &Session,
    cluster: &'a Cluster,
) -> Option<&'a fs::FileSystem> {
    cluster.machine(&session.node).map(|m| &m.fs)
}

pub(crate) fn session_fs_mut<'a>(
    session: &Session,
    cluster: &'a mut Cluster,
) -> Option<&'a mut fs::FileSystem> {
    cluster.machine_mut(&session.node).map(|m| &mut m.fs)
}

/// Expands one word to zero or more arguments: variables, `~`, `$(…)`;
/// unquoted expansion results are split on blanks, as bash does.
pub(crate) fn expand_word(
    session: &mut Session,
    cluster: &mut Cluster,
    word: &Word,
) -> Vec<String> {
    if let [Part::Bare(s)] = word.as_slice() {
        if let Some(inner) = s.strip_prefix("<(").and_then(|r| r.strip_suffix(')')) {
            return vec![process_substitution(session, cluster, inner)];
        }
    }
    // Brace expansion comes first, on words written without quotes.
    if let [Part::Bare(s)] = word.as_slice() {
        if s.contains('{') {
            let words = brace::expand(s);
            if words.len() > 1 || words.first() != Some(s) {
                return words
                    .into_iter()
                    .flat_map(|w| expand_word(session, cluster, &vec![Part::Bare(w)]))
                    .collect();
            }
        }
    }
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
    // Pathname expansion, for patterns written unquoted.
    let unquoted_pattern = word
        .iter()
        .any(|p| matches!(p, Part::Bare(s) if glob::is_pattern(s)));
    if unquoted_pattern {
        if let Some(fsys) = session_fs(session, cluster) {
            return fields
                .into_iter()
                .flat_map(|f| {
                    let hits = if glob::is_pattern(&f) {
                        glob::expand(fsys, &session.cwd, &f)
                    } else {
                        vec![]
                    };
                    if hits.is_empty() {
                        vec![f]
                    } else {
                        hits
                    }
                })
                .collect();
        }
    }
    fields
}

/// `<(cmd)`: the command runs first (in a subshell) and the word becomes a
/// file to read its output from, `/dev/fd/63` as in bash. The file lasts
/// until the command using it ends.
fn process_substitution(session: &mut Session, cluster: &mut Cluster, inner: &str) -> String {
    // The substituted command's own commands clear the descriptors when
    // they end, as a command does: the earlier `<(…)` of this command keep
    // theirs (`cat <(echo a) <(echo b)` reads both).
    let earlier: Vec<(String, String)> = session_fs(session, cluster)
        .map(|f| {
            f.list(PROC_FD_DIR)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|n| {
                    let path = format!("{PROC_FD_DIR}/{n}");
                    f.read_to_string(&path).ok().map(|text| (path, text))
                })
                .collect()
        })
        .unwrap_or_default();
    let result = run_line(&mut session.clone_for_subshell(), cluster, inner);
    if let Some(fsys) = session_fs_mut(session, cluster) {
        let _ = fsys.mkdir_p(PROC_FD_DIR);
        for (path, text) in &earlier {
            let _ = fsys.write(path, text.as_bytes(), false);
        }
    }
    // Its errors reach the terminal, as the substituted process's stderr does.
    let errors = result.stderr();
    if !errors.is_empty() {
        session.pending_stderr.push_str(&errors);
    }
    let Some(fsys) = session_fs_mut(session, cluster) else {
        return "/dev/fd/63".into();
    };
    let _ = fsys.mkdir_p(PROC_FD_DIR);
    let used = fsys.list(PROC_FD_DIR).map(|l| l.len()).unwrap_or(0);
    let path = format!("{PROC_FD_DIR}/{}", 63 - used.min(50));
    let _ = fsys.write(&path, result.stdout().as_bytes(), false);
    path
}

/// Marks an expansion error that abandons the command (a variable no
/// script can name).
const ABORT: &str = "\u{0}abort";

/// Set when an expansion error abandons the rest of the input line.
pub(crate) const ABANDON: &str = "\u{0}abandon";

/// Where `<(…)` puts its output while the command runs.
const PROC_FD_DIR: &str = "/dev/fd";

/// `$VAR`, `${VAR}`, `$?`, `$(cmd)` inside a string; `\u{0}` marks a
/// character escaped inside double quotes.
fn expand_text(session: &mut Session, cluster: &mut Cluster, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = scan::char_at(&chars, i);
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
        let next = scan::char_at(&chars, i + 1);
        if next == '(' && chars.get(i + 2) == Some(&'(') {
            if let Some(end) = arithmetic_end(&chars, i + 3) {
                // `$((…))`: arithmetic; variables inside expand first.
                let inner: String = scan::span(&chars, i + 3, end).iter().collect();
                let expr = expand_text(session, cluster, &inner);
                match arith::eval(&expr, &mut session.env) {
                    Ok(v) => out.push_str(&v.to_string()),
                    Err(e) => {
                        // bash abandons the command; `run_simple` sees the mark.
                        session.pending_stderr.push_str(&format!("bash: {e}\n"));
                        session.env.insert(ABORT.into(), String::new());
                    }
                }
                i = end + 2;
                continue;
            }
        }
        if next == '(' {
            // Command substitution: to the matching parenthesis (or the
            // end of an unclosed one).
            let end = scan::closing_paren(&chars, i + 1).unwrap_or(chars.len() + 1);
            let inner: String = scan::span(&chars, i + 2, end - 1).iter().collect();
            let result = run(&mut session.clone_for_subshell(), cluster, &inner);
            out.push_str(result.stdout().trim_end_matches('\n'));
            i = end;
            continue;
        }
        if next == '?' {
            out.push_str(&session.last_status.to_string());
            i += 2;
            continue;
        }
        let (name, end) = if next == '{' {
            let close = scan::tail(&chars, i + 2)
                .iter()
                .position(|c| *c == '}')
                .map(|p| p + i + 2);
            match close {
                Some(close) => (
                    scan::span(&chars, i + 2, close).iter().collect::<String>(),
                    close + 1,
                ),
                None => {
                    out.push(c);
                    i += 1;
                    continue;
                }
            }
        } else {
            let len = scan::tail(&chars, i + 1)
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            if len == 0 {
                out.push(c);
                i += 1;
                continue;
            }
            (
                scan::span(&chars, i + 1, i + 1 + len)
                    .iter()
                    .collect::<String>(),
                i + 1 + len,
            )
        };
        out.push_str(session.env.get(&name).map(String::as_str).unwrap_or(""));
        i = end;
    }
    out
}

/// Where the `))` closing a `$((` opened before `from` is: parentheses
/// must balance inside, and the two must be adjacent.
fn arithmetic_end(chars: &[char], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = from;
    while j < chars.len() {
        match scan::char_at(chars, j) {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            ')' => return (chars.get(j + 1) == Some(&')')).then_some(j),
            _ => {}
        }
        j += 1;
    }
    None
}

impl Session {
    fn clone_for_subshell(&self) -> Session {
        let mut s = self.clone();
        s.history.clear();
        // The parent's errors waiting to be shown are its own: a subshell
        // that carried them would hand them back with its own, and each
        // `<(…)` of a line doubled them (100 of them: 22 GB).
        s.pending_stderr.clear();
        s
    }
}
