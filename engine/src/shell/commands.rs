//! Command dispatch: shell builtins, node commands, and the programs a
//! kubeadm node has (`kubectl`, `etcdctl`, `ssh`).

use super::{coreutils, etcdctl, Session};
use crate::clock::Duration;
use crate::cluster::Cluster;
use crate::kubectl;
use crate::node::fs;
use crate::output::Output;

/// The programs on every node's PATH, for `which` and completion.
pub const PROGRAMS: &[&str] = &[
    "alias",
    "base64",
    "cat",
    "cd",
    "complete",
    "clear",
    "cp",
    "crictl",
    "curl",
    "dig",
    "date",
    "echo",
    "egrep",
    "env",
    "printenv",
    "etcdctl",
    "etcdutl",
    "nano",
    "vi",
    "vim",
    "watch",
    "wget",
    "exit",
    "grep",
    "export",
    "false",
    "head",
    "history",
    "hostname",
    "ip",
    "iptables",
    "iptables-save",
    "journalctl",
    "kubeadm",
    "apt",
    "apt-cache",
    "apt-get",
    "apt-mark",
    "dpkg",
    "man",
    "sudo",
    "kubectl",
    "kubelet",
    "ls",
    "ps",
    "systemctl",
    "mkdir",
    "mv",
    "nslookup",
    "openssl",
    "printf",
    "pwd",
    "read",
    "seq",
    "xargs",
    "rm",
    "sleep",
    "ssh",
    "tail",
    "source",
    "test",
    "touch",
    "true",
    "type",
    "unalias",
    "wc",
    "which",
    "whoami",
];

pub fn run(
    session: &mut Session,
    cluster: &mut Cluster,
    name: &str,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let mut out = Output::default();
    if let Some(body) = session.functions.get(name).cloned() {
        return call_function(session, cluster, &body, args);
    }
    // GNU programs answer `--help` wherever it stands (before `--`).
    if args
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--help")
    {
        let program = if name == "egrep" { "grep" } else { name };
        if let Some(text) = super::help_texts::text(program) {
            out.out(text);
            return out;
        }
    }
    match name {
        "source" | "." => return super::source(session, cluster, args),
        "complete" => return complete(session, args),
        "compopt" => {}
        "type" => return type_builtin(session, args),
        "test" | "[" | "[[" => return test(session, cluster, name, args),
        "kubectl" => {
            if super::watch::is_get_watch(args) {
                return super::watch::start_get(session, cluster, args);
            }
            if let Some(f) = super::watch::follow_of(args).filter(|_| session.editor.interactive) {
                return super::watch::start_follow(session, cluster, f);
            }
            let interactive = session.editor.interactive;
            let (out, job) = kubectl_job(session, cluster, args, stdin, None, interactive);
            if let Some(job) = job {
                super::watch::hold_job(session, args, job);
            }
            return out;
        }
        "etcdctl" => return etcdctl::run(session, cluster, args, stdin),
        "etcdutl" => return etcdctl::etcdutl(session, cluster, args),
        "vi" | "vim" | "nano" => return super::editor::run(session, cluster, name, args),
        "crictl" => return super::crictl::run(session, cluster, args),
        "systemctl" => return super::system::systemctl(session, cluster, args),
        "ps" => return super::system::ps(session, cluster, args),
        "journalctl" => return super::system::journalctl(session, cluster, args),
        "curl" | "wget" | "nslookup" | "dig" => {
            return super::net::run(session, cluster, name, args)
        }
        "iptables" => return crate::network::iptables::iptables(cluster, args),
        "iptables-save" => return super::net::iptables_save(cluster, args),
        "watch" => return super::watch::start(session, cluster, args),
        "openssl" => return super::pki::openssl(session, cluster, args),
        "kubeadm" if args.first().is_some_and(|a| a == "upgrade") => {
            let args = args.get(1..).unwrap_or_default();
            return super::kubeadm_upgrade::run(session, cluster, args, stdin.as_deref());
        }
        "kubeadm" => return super::pki::kubeadm(session, cluster, args),
        // Ubuntu's cloud images are minimized: man is a stub that says so.
        "man" => {
            out.out("This system has been minimized by removing packages and content that are\nnot required on a system that users do not log into.\n\nTo restore this content, including manpages, you can run the 'unminimize'\ncommand. You will still need to ensure the 'man-db' package is installed.\n");
            return out;
        }
        "apt-get" | "apt" => return super::apt::apt_get(session, cluster, name, args),
        "apt-mark" => return super::apt::apt_mark(session, cluster, args),
        "apt-cache" => return super::apt::apt_cache(session, cluster, args),
        "dpkg" => return super::apt::dpkg(session, cluster, args),
        // The learner is root already; sudo runs the command as it is.
        "sudo" => {
            let rest: Vec<String> = args
                .iter()
                .skip_while(|a| a.starts_with('-'))
                .cloned()
                .collect();
            let Some((cmd, rest)) = rest.split_first() else {
                return out.fail("usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-g group] [-u user] [command [arg ...]]");
            };
            return run(session, cluster, cmd, rest, stdin);
        }
        "kubelet" => return super::system::kubelet(session, cluster, args),
        "ip" => return super::system::ip(session, cluster, args),
        "hostname" => return super::system::hostname(session, cluster, args),
        "sed" | "awk" | "sort" | "uniq" | "cut" | "tr" | "find" | "chmod" => {
            return super::textutils::run(session, cluster, name, args, stdin)
        }
        "grep" | "egrep" => {
            let mut args = args.to_vec();
            if name == "egrep" {
                args.insert(0, "-E".into());
            }
            return super::grep::run(session, cluster, &args, stdin);
        }
        "cat" | "ls" | "mkdir" | "rm" | "cp" | "mv" | "touch" | "head" | "tail" | "wc"
        | "base64" => return coreutils::run(session, cluster, name, args, stdin),
        "printf" => return super::printf::printf(session, args),
        "seq" => return super::printf::seq(args),
        "xargs" => return super::printf::xargs(session, cluster, args, stdin),
        "read" => return super::printf::read(session, args, stdin),
        "let" => return super::printf::let_builtin(session, args),
        "break" | "continue" => return super::loops::jump(session, name, args),
        "echo" => {
            // Leading -n / -e / -E flags, combinable (`-ne`), as bash's echo reads them.
            let mut newline = true;
            let mut escapes = false;
            let mut rest = args;
            while let Some((first, after)) = rest.split_first() {
                let is_flag = first.len() > 1
                    && first.starts_with('-')
                    && first[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'));
                if !is_flag {
                    break;
                }
                newline &= !first.contains('n');
                if first.contains('e') {
                    escapes = true;
                }
                if first.contains('E') {
                    escapes = false;
                }
                rest = after;
            }
            let text = rest.join(" ");
            out.out(if escapes { unescape(&text) } else { text });
            if newline {
                out.out("\n");
            }
        }
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
        // GNU printenv: every variable as `env` prints them, or the values
        // of those named; status 1 when one is not set.
        "env" | "printenv" if name == "env" || args.is_empty() => {
            for (k, v) in session.env.iter().filter(|(k, _)| !k.starts_with('\u{0}')) {
                out.out(format!("{k}={v}\n"));
            }
        }
        "printenv" => {
            for a in args {
                match session.env.get(a.as_str()).filter(|_| !a.contains('=')) {
                    Some(v) => out.out(format!("{v}\n")),
                    None => out.status = 1,
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
        "unalias" => {
            for a in args {
                if session.aliases.remove(a).is_none() {
                    out.err(format!("bash: unalias: {a}: not found\n"));
                    out.status = 1;
                }
            }
        }
        "sleep" => {
            let total: Option<i64> = args.iter().map(|a| parse_sleep(a)).sum();
            match total {
                _ if args.is_empty() => {
                    return out
                        .fail("sleep: missing operand\nTry 'sleep --help' for more information.")
                }
                Some(ms) => cluster.step(Duration::from_millis(ms)),
                None => {
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
        "whoami" => out.out("root\n"),
        "pwd" => out.out(format!("{}\n", session.cwd)),
        "cd" => {
            let home = session
                .env
                .get("HOME")
                .cloned()
                .unwrap_or_else(|| "/root".into());
            let target = args.first().cloned().unwrap_or(home);
            let path = fs::normalize(&session.cwd, &target);
            match super::session_fs(session, cluster) {
                Some(f) if f.is_dir(&path) => session.cwd = path,
                Some(f) if f.is_file(&path) => {
                    return out.fail(format!("bash: cd: {target}: Not a directory"))
                }
                _ => return out.fail(format!("bash: cd: {target}: No such file or directory")),
            }
        }
        "date" => out.out(format!("{}\n", date_text(cluster))),
        "which" => {
            for a in args {
                if PROGRAMS.contains(&a.as_str()) {
                    out.out(format!("/usr/bin/{a}\n"));
                } else {
                    out.status = 1;
                }
            }
        }
        "ssh" => return ssh(session, cluster, args),
        "exit" | "logout" => {
            // `exit N`; a bare `exit` keeps the last command's status.
            let status = match args.first() {
                None => session.last_status,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => n.rem_euclid(256) as i32,
                    Err(_) => {
                        out.err(format!("bash: exit: {a}: numeric argument required\n"));
                        2
                    }
                },
            };
            out.status = status;
            match session.ssh_stack.pop() {
                Some((node, cwd)) => {
                    let left = std::mem::replace(&mut session.node, node);
                    session.cwd = cwd;
                    session.env.insert("HOSTNAME".into(), session.node.clone());
                    out.out(format!("logout\nConnection to {left} closed.\n"));
                }
                None => {
                    session.env.insert("\u{0}exit".into(), String::new());
                }
            }
        }
        other => {
            out.err(format!("bash: {other}: command not found\n"));
            out.status = 127;
        }
    }
    out
}

/// A shell function call: `$1`… hold the arguments while the body runs.
/// `kubectl ARGS` from this shell: its kubeconfig, namespace, machine and
/// editor are the session's.
pub(super) fn kubectl(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    kubectl_job(session, cluster, args, stdin, None, false).0
}

/// `kubectl ARGS`, given the job it left running (if this runs it on) and
/// whether it may leave one: what it printed, and the job it leaves.
pub(super) fn kubectl_job(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<String>,
    job: Option<kubectl::Job>,
    interactive: bool,
) -> (Output, Option<kubectl::Job>) {
    let kubeconfig_path = session
        .env
        .get("KUBECONFIG")
        .cloned()
        .unwrap_or_else(|| "/root/.kube/config".to_string());
    let kubeconfig = {
        let path = fs::normalize(&session.cwd, &kubeconfig_path);
        super::session_fs(session, cluster).is_some_and(|f| f.is_file(&path))
    };
    let namespace = session.namespace.clone();
    let node = session.node.clone();
    let cwd = session.cwd.clone();
    // `kubectl edit` runs the editor as the shell would: `$KUBE_EDITOR FILE`.
    let editor = session
        .env
        .get("KUBE_EDITOR")
        .or_else(|| session.env.get("EDITOR"))
        .cloned()
        .unwrap_or_else(|| "vi".to_string());
    let mut terminal = ShellTerminal { session, editor };
    let mut ctx = kubectl::Context {
        kubeconfig,
        cluster,
        namespace,
        node,
        cwd,
        stdin,
        kubeconfig_path,
        terminal: Some(&mut terminal),
        interactive,
        job,
    };
    let out = kubectl::run(&mut ctx, args);
    (out, ctx.job)
}

/// The shell's terminal, as kubectl sees it.
struct ShellTerminal<'s> {
    session: &'s mut Session,
    /// The editor command: `$KUBE_EDITOR`, `$EDITOR` or vi.
    editor: String,
}

impl kubectl::Terminal for ShellTerminal<'_> {
    fn edit(&mut self, cluster: &mut Cluster, path: &str) -> Output {
        super::run_line(self.session, cluster, &format!("{} {path}", self.editor))
    }

    fn ask(&mut self, prompt: &str) -> super::question::Asked {
        super::question::ask(self.session, prompt)
    }
}

fn call_function(
    session: &mut Session,
    cluster: &mut Cluster,
    body: &str,
    args: &[String],
) -> Output {
    let saved: Vec<(String, Option<String>)> = (1..=9)
        .map(|i| (i.to_string(), session.env.get(&i.to_string()).cloned()))
        .collect();
    for (i, (key, _)) in saved.iter().enumerate() {
        match args.get(i) {
            Some(a) => session.env.insert(key.clone(), a.clone()),
            None => session.env.remove(key),
        };
    }
    let out = super::script::run_text(session, cluster, body);
    for (key, value) in saved {
        match value {
            Some(v) => session.env.insert(key, v),
            None => session.env.remove(&key),
        };
    }
    out
}

/// `complete -o default -F __start_kubectl k` records how a command's
/// arguments complete; `complete` or `complete -p [NAME]` prints the
/// registrations, `complete -r NAME` removes one.
fn complete(session: &mut Session, args: &[String]) -> Output {
    let mut out = Output::default();
    let mut function = None;
    let mut options = Vec::new();
    let mut print = args.is_empty();
    let mut remove = false;
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-F" => function = it.next().cloned(),
            "-o" => options.extend(it.next().cloned()),
            "-p" => print = true,
            "-r" => remove = true,
            f if f.starts_with('-') && f.len() > 1 => {
                return out
                    .fail(format!("bash: complete: {f}: invalid option\ncomplete: usage: complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]"))
                    .with_status(2)
            }
            n => names.push(n.to_string()),
        }
    }
    if remove {
        for n in &names {
            if session.completions.remove(n).is_none() {
                out.err(format!(
                    "bash: complete: {n}: no completion specification\n"
                ));
                out.status = 1;
            }
        }
        return out;
    }
    if print {
        let shown: Vec<String> = if names.is_empty() {
            session.completions.keys().cloned().collect()
        } else {
            names
        };
        for n in shown {
            match session.completions.get(&n) {
                Some(c) => {
                    let opts: String = c.options.iter().map(|o| format!("-o {o} ")).collect();
                    out.out(format!("complete {opts}-F {} {n}\n", c.function));
                }
                None => {
                    out.err(format!(
                        "bash: complete: {n}: no completion specification\n"
                    ));
                    out.status = 1;
                }
            }
        }
        return out;
    }
    if let Some(function) = function {
        for n in names {
            session.completions.insert(
                n,
                Box::new(super::Completion {
                    function: function.clone(),
                    options: options.clone(),
                }),
            );
        }
    }
    out
}

/// The shell's own commands, for `type`.
const BUILTINS: &[&str] = &[
    "alias", "cd", "complete", "compopt", "echo", "exit", "export", "false", "history", "logout",
    "pwd", "source", ".", "test", "[", "true", "type", "unalias",
];

/// `type NAME` / `type -t NAME`: alias, function, builtin or file.
fn type_builtin(session: &Session, args: &[String]) -> Output {
    let mut out = Output::default();
    let terse = args.iter().any(|a| a == "-t");
    for name in args.iter().filter(|a| !a.starts_with('-')) {
        let (kind, long) = if let Some(a) = session.aliases.get(name) {
            ("alias", format!("{name} is aliased to `{a}'"))
        } else if session.functions.contains_key(name) {
            ("function", format!("{name} is a function"))
        } else if BUILTINS.contains(&name.as_str()) {
            ("builtin", format!("{name} is a shell builtin"))
        } else if PROGRAMS.contains(&name.as_str()) {
            ("file", format!("{name} is /usr/bin/{name}"))
        } else {
            if !terse {
                out.err(format!("bash: type: {name}: not found\n"));
            }
            out.status = 1;
            continue;
        };
        out.out(format!("{}\n", if terse { kind.to_string() } else { long }));
    }
    out
}

/// `test`, `[ … ]` and `[[ … ]]`: string and file tests, integer comparisons.
fn test(session: &Session, cluster: &Cluster, name: &str, args: &[String]) -> Output {
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    let close = match name {
        "[" => Some("]"),
        "[[" => Some("]]"),
        _ => None,
    };
    if let Some(close) = close {
        if args.last() != Some(&close) {
            return Output::default()
                .fail(format!("bash: {name}: missing `{close}'"))
                .with_status(2);
        }
        args.pop();
    }
    let file = |p: &str| {
        let path = fs::normalize(&session.cwd, p);
        super::session_fs(session, cluster)
            .and_then(|f| f.get(&path).map(|_| (f.is_file(&path), f.is_dir(&path))))
    };
    let mut negate = false;
    if args.first() == Some(&"!") {
        negate = true;
        args.remove(0);
    }
    let result: Result<bool, String> = match args.as_slice() {
        [] => Ok(false),
        [s] => Ok(!s.is_empty()),
        ["-n", s] => Ok(!s.is_empty()),
        ["-z", s] => Ok(s.is_empty()),
        ["-e" | "-a", p] => Ok(file(p).is_some()),
        ["-f", p] => Ok(file(p).is_some_and(|(f, _)| f)),
        ["-d", p] => Ok(file(p).is_some_and(|(_, d)| d)),
        ["-s", p] => Ok(super::session_fs(session, cluster)
            .and_then(|f| f.read(&fs::normalize(&session.cwd, p)).ok())
            .is_some_and(|d| !d.is_empty())),
        [a, "=" | "==", b] => Ok(a == b),
        [a, "!=", b] => Ok(a != b),
        [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
            match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
                (Ok(x), Ok(y)) => Ok(match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }),
                (Err(_), _) => Err(format!("bash: {name}: {a}: integer expression expected")),
                _ => Err(format!("bash: {name}: {b}: integer expression expected")),
            }
        }
        [_, op, _] => Err(format!("bash: {name}: {op}: binary operator expected")),
        _ => Err(format!("bash: {name}: too many arguments")),
    };
    match result {
        Ok(b) => Output::default().with_status(if b != negate { 0 } else { 1 }),
        Err(e) => Output::default().fail(e).with_status(2),
    }
}

/// `echo -e`'s escapes: `\n`, `\t`, `\\`, `\e`…
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('e') => out.push('\u{1b}'),
            Some('a') => out.push('\u{7}'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `ssh node01`: the session moves to that machine until `exit`.
fn ssh(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let Some((target, command)) = args
        .iter()
        .position(|a| !a.starts_with('-'))
        .and_then(|at| args.get(at..))
        .and_then(<[String]>::split_first)
    else {
        return out
            .fail("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] destination [command]")
            .with_status(255);
    };
    // `ssh node01 'cmd …'`: the words after the host are one command run there.
    let remote = command.join(" ");
    let host = target.rsplit('@').next().unwrap_or(target);
    let Some(machine) = cluster
        .machines
        .values()
        .find(|m| m.hostname == host || m.ip == host)
    else {
        return out
            .fail(format!(
                "ssh: Could not resolve hostname {host}: Name or service not known"
            ))
            .with_status(255);
    };
    let previous = (
        std::mem::replace(&mut session.node, machine.hostname.clone()),
        std::mem::replace(&mut session.cwd, "/root".into()),
    );
    session.ssh_stack.push(previous);
    session.env.insert("HOSTNAME".into(), session.node.clone());
    if remote.trim().is_empty() {
        return out;
    }
    let saved = (
        session.env.clone(),
        session.aliases.clone(),
        session.namespace.clone(),
    );
    let depth = session.ssh_stack.len();
    let mut result = super::run_line(session, cluster, &format!("{remote}\n"));
    if session.ssh_stack.len() < depth {
        // The command logged out itself (`exit`): say nothing more.
        result.chunks.clear();
        (session.env, session.aliases, session.namespace) = saved;
        session.env.remove("\u{0}exit");
        return result;
    }
    // Back where we were, with the login shell's state gone.
    (session.env, session.aliases, session.namespace) = saved;
    session.env.remove("\u{0}exit");
    if let Some((node, cwd)) = session.ssh_stack.pop() {
        session.env.insert("HOSTNAME".into(), node.clone());
        session.node = node;
        session.cwd = cwd;
    }
    result
}

impl Output {
    pub(crate) fn with_status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }
}

/// `date`'s default format, in UTC: `Wed Apr 23 08:14:35 UTC 2025`.
#[allow(clippy::indexing_slicing)] // weekday index is rem_euclid(7), month index clamped to 1..=12
pub(crate) fn date_text(cluster: &Cluster) -> String {
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
