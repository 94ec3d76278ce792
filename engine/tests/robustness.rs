// A test: its helpers index fixture data of a known shape (clippy.toml exempts #[test] fns only).
#![allow(clippy::indexing_slicing)]
//! No input a learner can type may panic the engine: in wasm a panic kills
//! the page and the learner's work. These tests feed random and mutated
//! shell lines, manifests (the seed notes' own, mistakes included) and
//! kubectl command lines into a [`Simulation`], and check that every one
//! comes back as output — an error the learner can read — never a panic.
//!
//! The generator is seeded, so a run is the same on every machine and a
//! failure names the exact input that caused it. `DINGHY_FUZZ_ITERS=N`
//! multiplies the number of cases for a longer run by hand.

use engine::clock::Duration;
use engine::kubectl::flags::{Flag, FlagKind, GLOBAL};
use engine::kubectl::{cmd, COMMANDS};
use engine::{Output, Simulation};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// SplitMix64: tiny, seedable, the same everywhere.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How many cases each test runs: a multiple of its default.
fn scale(default: usize) -> usize {
    let k = std::env::var("DINGHY_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1);
    default * k.max(1)
}

thread_local! {
    /// The message and place of the last panic on this thread.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
    /// Whether this thread is running fuzz input (its panics are recorded).
    static FUZZING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `catch_unwind` with the panic recorded for the report, not printed.
fn catching<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    FUZZING.with(|q| q.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    FUZZING.with(|q| q.set(false));
    r
}

/// Records panics instead of printing them: a failing test lists them all
/// at the end with the inputs that caused them.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        if !FUZZING.with(|q| q.get()) {
            // The test's own assertion: print it as usual.
            eprintln!("{info}");
            return;
        }
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg} at {place}"));
    }));
}

/// Runs inputs against one simulation, replacing it after a panic, and
/// collects what went wrong.
struct Harness {
    sim: Simulation,
    seed: u64,
    failures: Vec<(String, String)>,
}

impl Harness {
    fn new(seed: u64) -> Self {
        quiet_panics();
        Harness {
            sim: Simulation::new(seed),
            seed,
            failures: vec![],
        }
    }

    fn fail(&mut self, what: String, input: &str) {
        // One example per distinct problem is enough to fix it.
        if !self.failures.iter().any(|(w, _)| *w == what) {
            self.failures.push((what, input.to_string()));
        }
    }

    /// Runs one complete input; `None` when it panicked.
    fn run(&mut self, input: &str) -> Option<Output> {
        let sim = &mut self.sim;
        match catching(|| sim.run(input)) {
            Ok(out) => {
                if std::env::var_os("DINGHY_FUZZ_SHOW").is_some() {
                    eprintln!("$ {input}{}[{}]", out.text(), out.status);
                }
                self.check_readable(input, &out);
                Some(out)
            }
            Err(_) => {
                let what = LAST_PANIC.with(|p| p.borrow().clone());
                self.fail(format!("panic: {what}"), input);
                self.sim = Simulation::new(self.seed);
                None
            }
        }
    }

    fn step(&mut self, d: Duration) {
        let sim = &mut self.sim;
        if catching(|| sim.step(d)).is_err() {
            let what = LAST_PANIC.with(|p| p.borrow().clone());
            self.fail(format!("panic while stepping: {what}"), "(clock step)");
            self.sim = Simulation::new(self.seed);
        }
    }

    /// Errors must read as kubectl or bash errors, not Rust internals.
    fn check_readable(&mut self, input: &str, out: &Output) {
        let text = out.text();
        for leak in [
            "panicked at",
            "RUST_BACKTRACE",
            "called `Option::unwrap",
            "called `Result::unwrap",
        ] {
            if text.contains(leak) {
                self.fail(format!("output shows {leak:?}"), input);
            }
        }
    }

    fn assert_clean(&self, what: &str, cases: usize) {
        if self.failures.is_empty() {
            return;
        }
        let mut report = format!(
            "{} problem(s) in {cases} {what} cases (seed {}):\n",
            self.failures.len(),
            self.seed
        );
        for (problem, input) in &self.failures {
            report.push_str(&format!("\n- {problem}\n  input: {input:?}\n"));
        }
        panic!("{report}");
    }
}

/// Words a learner types, right and wrong, for random shell lines.
const WORDS: &[&str] = &[
    "for",
    "in",
    "do",
    "done",
    "while",
    "until",
    "break",
    "continue",
    "$((",
    "))",
    "((",
    "{1..3}",
    "{a,b}",
    "printf",
    "'%s\\n'",
    "seq",
    "xargs",
    "-I{}",
    "read",
    "<<<",
    "let",
    "kubectl",
    "k",
    "get",
    "describe",
    "apply",
    "create",
    "delete",
    "run",
    "expose",
    "edit",
    "logs",
    "exec",
    "scale",
    "label",
    "annotate",
    "rollout",
    "set",
    "patch",
    "taint",
    "cordon",
    "drain",
    "top",
    "auth",
    "can-i",
    "config",
    "version",
    "explain",
    "pods",
    "po",
    "pod",
    "deploy",
    "deployments.apps",
    "svc",
    "nodes",
    "no",
    "ns",
    "all",
    "cm",
    "secret",
    "sa",
    "rs",
    "ds",
    "job",
    "cronjob",
    "pv",
    "pvc",
    "sc",
    "ep",
    "ing",
    "netpol",
    "role",
    "rolebinding",
    "clusterrole",
    "events",
    "node01",
    "controlplane",
    "nginx",
    "web",
    "busybox",
    "-n",
    "kube-system",
    "default",
    "-A",
    "--all-namespaces",
    "-o",
    "yaml",
    "json",
    "wide",
    "name",
    "jsonpath={.items[*].metadata.name}",
    "jsonpath='{.items[0].spec}'",
    "custom-columns=N:.metadata.name",
    "-l",
    "app=web",
    "app!=web",
    "'app in (a,b)'",
    "--field-selector",
    "status.phase=Running",
    "spec.nodeName=",
    "--sort-by",
    ".metadata.name",
    "--image",
    "nginx:1.27",
    "--replicas",
    "3",
    "-3",
    "99999999999999999999",
    "--port",
    "80",
    "--target-port",
    "8080",
    "--type",
    "NodePort",
    "--dry-run",
    "--dry-run=client",
    "--dry-run=server",
    "-f",
    "-",
    "/tmp/x.yaml",
    "--",
    "-h",
    "--help",
    "-it",
    "--rm",
    "--restart=Never",
    "--command",
    "sh",
    "-c",
    "sleep",
    "--from-literal",
    "a=b",
    "--show-labels",
    "-w",
    "--watch",
    "=",
    "-",
    "--",
    "echo",
    "cat",
    "ls",
    "cd",
    "grep",
    "sed",
    "awk",
    "sort",
    "uniq",
    "cut",
    "tr",
    "head",
    "tail",
    "wc",
    "find",
    "chmod",
    "mkdir",
    "rm",
    "cp",
    "mv",
    "touch",
    "export",
    "alias",
    "unalias",
    "source",
    "ssh",
    "exit",
    "sudo",
    "systemctl",
    "status",
    "restart",
    "stop",
    "kubelet",
    "containerd",
    "journalctl",
    "-u",
    "ps",
    "aux",
    "ip",
    "addr",
    "hostname",
    "-I",
    "etcdctl",
    "snapshot",
    "save",
    "restore",
    "member",
    "list",
    "--endpoints=https://127.0.0.1:2379",
    "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
    "kubeadm",
    "token",
    "upgrade",
    "plan",
    "crictl",
    "/etc/kubernetes/manifests",
    "/etc/kubernetes/manifests/kube-apiserver.yaml",
    "/var/lib/kubelet/config.yaml",
    "~",
    "~/.kube/config",
    "..",
    ".",
    "/",
    "*",
    "?",
    "[a-z]*",
    "$HOME",
    "${HOME}",
    "$?",
    "$0",
    "$#",
    "${X:-y}",
    "${",
    "$((1+2))",
    "$(kubectl get po -o name)",
    "`date`",
    "|",
    "||",
    "&&",
    ";",
    "&",
    ">",
    ">>",
    "<",
    "2>&1",
    "2>/dev/null",
    "<<EOF",
    "<<'EOF'",
    "<<-X",
    "<<<",
    "(",
    ")",
    "{",
    "}",
    "'",
    "\"",
    "\\",
    "#",
    "!",
    "!!",
    "\t",
    "é",
    "쿠버",
    "\u{0}",
    "\u{7f}",
    "\u{200b}",
    "\r",
    "a\\\nb",
    "'unterminated",
    "\"unterminated",
    "x=1",
    "X=\"a b\"",
    "if",
    "then",
    "fi",
    "for",
    "in",
    "do",
    "done",
    "while",
    "true",
    "false",
    "test",
    "[",
    "]",
    // History expansion, functions, blocks, process substitution, sourcing.
    "!!",
    "!1",
    "!-2",
    "!ku",
    "!$",
    "!",
    "${!x}",
    "<(",
    "<(echo hi)",
    "<(kubectl completion bash)",
    ")",
    "(",
    "source",
    ".",
    "/root/.bashrc",
    "exit",
    "exit 300",
    "exit abc",
    "f()",
    "f() {",
    "{",
    "}",
    "function",
    "elif",
    "else",
    "[[",
    "]]",
    "=",
    "-eq",
    "-f",
    "complete",
    "-F",
    "-p",
    "-r",
    "type",
    "-t",
    // Node tools.
    "watch",
    "-n",
    "0",
    "-1",
    "journalctl",
    "-u",
    "-xeu",
    "-n0",
    "kubelet",
    "systemctl",
    "status",
    "restart",
    "openssl",
    "x509",
    "-in",
    "-text",
    "-noout",
    "/etc/kubernetes/pki/ca.crt",
    "kubeadm",
    "certs",
    "check-expiration",
    "renew",
    "token",
    "--print-join-command",
];

fn random_line(g: &mut Gen) -> String {
    let n = 1 + g.below(10);
    let mut line = String::new();
    for i in 0..n {
        if i > 0 && !g.chance(5) {
            line.push(' ');
        }
        if g.chance(4) {
            // A few raw characters, control and multibyte ones included.
            for _ in 0..1 + g.below(4) {
                let c = match g.below(4) {
                    0 => char::from(g.below(128) as u8),
                    1 => *g.pick(&['\u{e9}', '\u{d55c}', '\u{1f600}', '\u{feff}', '\u{ffff}']),
                    _ => char::from(b' ' + g.below(95) as u8),
                };
                line.push(c);
            }
        } else {
            line.push_str(g.word(WORDS));
        }
    }
    line.push('\n');
    line
}

/// Bash reads a script line by line until the input is whole; so does this,
/// and an input left open at the end is run as it stands. Returns what the
/// inputs printed.
fn run_script(h: &mut Harness, script: &str) -> String {
    let mut text = String::new();
    let mut pending = String::new();
    for line in script.split_inclusive('\n') {
        pending.push_str(line);
        let complete = {
            let p = pending.clone();
            catching(|| Simulation::is_complete(&p))
        };
        match complete {
            Ok(false) => continue,
            Ok(true) => {}
            Err(_) => {
                let what = LAST_PANIC.with(|p| p.borrow().clone());
                h.fail(format!("panic in is_complete: {what}"), &pending);
            }
        }
        let input = std::mem::take(&mut pending);
        if let Some(out) = h.run(&input) {
            text.push_str(&out.text());
        }
    }
    if !pending.is_empty() {
        if let Some(out) = h.run(&pending) {
            text.push_str(&out.text());
        }
    }
    text
}

#[test]
fn random_shell_lines_never_panic() {
    let mut g = Gen(0x5EED_0001);
    let mut h = Harness::new(1);
    let cases = scale(600);
    for i in 0..cases {
        let line = random_line(&mut g);
        // Completion runs on every Tab, on whatever is typed.
        let sim = &h.sim;
        if catching(|| sim.complete(line.trim_end())).is_err() {
            let what = LAST_PANIC.with(|p| p.borrow().clone());
            h.fail(format!("panic in complete: {what}"), &line);
        }
        run_script(&mut h, &line);
        // A command left holding the terminal (`watch`) gets a tick, then Ctrl-C.
        if h.sim.foreground().is_some() {
            let sim = &mut h.sim;
            if catching(|| {
                sim.tick();
                sim.interrupt()
            })
            .is_err()
            {
                let what = LAST_PANIC.with(|p| p.borrow().clone());
                h.fail(format!("panic in watch tick: {what}"), &line);
                h.sim = Simulation::new(h.seed);
            }
        }
        if i % 100 == 99 {
            h.step(Duration::from_secs(30));
        }
    }
    h.assert_clean("shell line", cases);
}

/// The manifests of the learner's notes (mistakes included) and a few more
/// covering the kinds the notes do not.
fn manifests() -> Vec<&'static str> {
    let sep = "\n#---- next manifest ----\n";
    include_str!("corpus/seed_manifests.yaml")
        .split(sep)
        .chain(include_str!("corpus/extra_manifests.yaml").split(sep))
        .collect()
}

/// Things that break YAML and manifests in interesting ways.
const YAML_BITS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "{",
    "}",
    "[",
    "]",
    "\t",
    "  ",
    "'",
    "\"",
    "&a ",
    "*a",
    "<<: *a",
    "!!binary ",
    "!!int ",
    "!Foo ",
    "---\n",
    "...\n",
    "null",
    "~",
    "-1",
    "0",
    "99999999999999999999",
    "1e400",
    "0x1F",
    "0o17",
    ".inf",
    "-.nan",
    "true",
    "yes",
    "\u{0}",
    "é",
    "쿠버",
    "\\",
    "%YAML 1.1\n",
    "? ",
    "|",
    ">",
    "|-\n  x",
    "#",
    "\r\n",
    ",",
    "apiVersion: v1\n",
    "kind: Pod\n",
    "kind: List\n",
    "items: [",
    "metadata:\n",
    "name: ",
    "namespace: ",
    "labels: {a: b}",
    "spec: ",
    "replicas: ",
    "100Mi",
    "1.5",
    "-100m",
    "1e3",
    "1Ki",
    "500m",
    "2Gi",
    "0.0001",
    "\"\"",
    "{}",
    "[]",
    "[1, 2]",
    "{a: [}",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "@",
    "`",
    "\u{feff}",
];

fn mutate(g: &mut Gen, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    for _ in 0..1 + g.below(3) {
        let i = g.below(lines.len());
        match g.below(9) {
            0 => {
                lines.remove(i);
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = g.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                // Indentation: one space more or less, or a tab.
                let l = &lines[i];
                lines[i] = match g.below(3) {
                    0 => format!(" {l}"),
                    1 => l.strip_prefix(' ').unwrap_or(l).to_string(),
                    _ => format!("\t{}", l.trim_start()),
                };
            }
            4 | 5 => {
                // Replace a value.
                if let Some((k, _)) = lines[i].split_once(": ") {
                    lines[i] = format!("{k}: {}", g.word(YAML_BITS));
                } else {
                    lines[i].push_str(g.word(YAML_BITS));
                }
            }
            6 => {
                let chars: Vec<char> = lines[i].chars().collect();
                let at = g.below(chars.len() + 1);
                let mut s: String = chars[..at].iter().collect();
                s.push_str(g.word(YAML_BITS));
                s.extend(&chars[at..]);
                lines[i] = s;
            }
            7 => {
                let chars: Vec<char> = lines[i].chars().collect();
                let at = g.below(chars.len() + 1);
                let end = (at + 1 + g.below(8)).min(chars.len());
                let mut s: String = chars[..at].iter().collect();
                s.extend(&chars[end..]);
                lines[i] = s;
            }
            _ => lines.truncate(i + 1),
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// How a learner hands a manifest to kubectl.
const APPLY: &[&str] = &[
    "kubectl apply -f -",
    "kubectl create -f -",
    "kubectl apply -f /root/m.yaml",
    "kubectl create -f /root/m.yaml --dry-run=client -o yaml",
    "kubectl apply -f /root/m.yaml --dry-run=server -o json",
    "kubectl apply -f - -o name",
];

/// Reads that print whatever the manifests left in the store.
const READS: &[&str] = &[
    "kubectl get all -A -o wide",
    "kubectl get pods -A -o yaml",
    "kubectl get deploy,rs,svc,cm,secret,ns,pvc,sa,role,rolebinding,ds,job,cronjob -A",
    "kubectl get events -A",
    "kubectl get pods -o jsonpath='{.items[*].status.phase}'",
];

#[test]
fn mutated_manifests_never_panic() {
    let mut g = Gen(0x5EED_0002);
    let mut h = Harness::new(2);
    let base = manifests();
    assert!(
        base.len() > 30,
        "the corpus should hold the seed notes' manifests"
    );
    let cases = scale(300);
    for i in 0..cases {
        let original = *g.pick(&base);
        let yaml = if g.chance(10) {
            original.to_string()
        } else {
            mutate(&mut g, original)
        };
        let apply = g.word(APPLY);
        let script = if apply.contains("/root/m.yaml") {
            run_script(
                &mut h,
                &format!("cat > /root/m.yaml <<'EOF_M'\n{yaml}EOF_M\n"),
            );
            format!("{apply}\n")
        } else {
            format!("{apply} <<'EOF_M'\n{yaml}EOF_M\n")
        };
        // Apply atomicity: what the apiserver rejects leaves the store as
        // it was, and so does every dry run.
        let problems = h.failures.len();
        let before = h.sim.cluster().apiserver.store().revision();
        let text = run_script(&mut h, &script);
        let after = h.sim.cluster().apiserver.store().revision();
        if h.failures.len() == problems && after != before {
            let wrote = text
                .lines()
                .any(|l| l.ends_with(" created") || l.ends_with(" configured") || !l.contains(' '));
            if apply.contains("--dry-run") {
                h.fail(
                    "a dry run changed the store".into(),
                    &format!("{yaml}{script}"),
                );
            } else if !wrote && !apply.contains(" -o ") {
                h.fail(
                    "a rejected apply changed the store".into(),
                    &format!("{yaml}{script}"),
                );
            }
        }
        if i % 10 == 9 {
            run_script(&mut h, &format!("{}\n", g.word(READS)));
            h.step(Duration::from_secs(1 + g.below(120) as i64));
        }
        if i % 50 == 49 {
            // A fresh cluster now and then, so quotas and names do not pile up.
            h.sim = Simulation::new(h.seed + i as u64);
        }
    }
    h.assert_clean("manifest", cases);
}

/// Values for flags: right, wrong and odd.
const VALUES: &[&str] = &[
    "",
    "x",
    "web",
    "nginx",
    "nginx:1.27",
    "default",
    "kube-system",
    "nope",
    "0",
    "1",
    "-1",
    "3",
    "65536",
    "99999999999999999999",
    "1.5",
    "true",
    "false",
    "yaml",
    "json",
    "wide",
    "name",
    "jsonpath={.items[0].metadata.name}",
    "jsonpath={",
    "jsonpath={.a[?(@.b==\"c\")]}",
    "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}",
    "go-template={{.}}",
    "custom-columns=",
    "custom-columns=A:.metadata.name,B:.spec",
    "client",
    "server",
    "none",
    "a=b",
    "a=b,c=d",
    "a",
    "=b",
    "a=",
    "app in (x)",
    "app notin",
    "!a",
    "80",
    "80:8080",
    "TCP",
    "http",
    "NodePort",
    "ClusterIP",
    "LoadBalancer",
    "ExternalName",
    "10s",
    "1h",
    "-5m",
    "abc",
    "1Gi",
    "100m",
    "cpu=1,memory=1Gi",
    "é",
    "a b",
    "/tmp",
    "-",
    "--",
    "-n",
    "--help",
];

fn flag_word(g: &mut Gen, f: &Flag) -> Vec<String> {
    let name = match (f.short, g.below(3)) {
        (Some(c), 0) => format!("-{c}"),
        _ => format!("--{}", f.long),
    };
    let value = g.word(VALUES).to_string();
    match (f.kind, g.below(3)) {
        (FlagKind::Bool, 0) => vec![format!("{name}={value}")],
        (FlagKind::Bool, _) => vec![name],
        (_, 0) => vec![format!("{name}={value}")],
        (_, 1) if name.len() == 2 => vec![format!("{name}{value}")],
        (_, _) => vec![name, value],
    }
}

/// A kubectl command line built from the verbs and flags kubectl declares,
/// so it covers every command as soon as it is registered.
fn kubectl_line(g: &mut Gen) -> Vec<String> {
    let mut args = vec![];
    let mut command = g.pick(COMMANDS);
    args.push(command.name.to_string());
    // Walk into subcommands (`create deployment`, `create secret generic`).
    while let Some((_, subs)) = cmd::SUBCOMMANDS.iter().find(|(p, _)| *p == command.name) {
        if subs.is_empty() || g.chance(10) {
            break;
        }
        let sub = g.pick(subs);
        args.push(sub.name.rsplit(' ').next().unwrap_or(sub.name).to_string());
        command = sub;
    }
    for _ in 0..g.below(6) {
        match g.below(4) {
            0 => args.push(g.word(VALUES).to_string()),
            1 if !GLOBAL.is_empty() => {
                let f = *g.pick(GLOBAL);
                args.extend(flag_word(g, &f));
            }
            _ if !command.flags.is_empty() => {
                let f = *g.pick(command.flags);
                args.extend(flag_word(g, &f));
            }
            _ => args.push(g.word(WORDS).to_string()),
        }
    }
    args
}

/// Shell quoting for one argument, so the words reach kubectl as generated.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

#[test]
fn random_kubectl_flags_never_panic() {
    let mut g = Gen(0x5EED_0003);
    let mut h = Harness::new(3);
    // Something to act on.
    run_script(
        &mut h,
        "kubectl create deployment web --image=nginx --replicas=2\nkubectl expose deployment web --port=80\nkubectl run p --image=busybox\n",
    );
    let cases = scale(800);
    for i in 0..cases {
        let args = kubectl_line(&mut g);
        let line = format!(
            "kubectl {}\n",
            args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
        );
        if let Some(out) = h.run(&line) {
            // One exception, kubectl's own: `kubectl rollout` alone prints
            // its help on stdout and exits 1.
            let help_on_stdout = out
                .stdout()
                .contains("Use \"kubectl options\" for a list of global command-line options");
            if out.status != 0 && out.stderr().trim().is_empty() && !help_on_stdout {
                h.fail(
                    format!("kubectl {} failed with nothing on stderr", args[0]),
                    &line,
                );
            }
        }
        if i % 200 == 199 {
            h.step(Duration::from_secs(60));
        }
    }
    h.assert_clean("kubectl", cases);
}

/// Inputs that panicked before the indexing audit (issue 11), each with what
/// the learner sees instead.
#[test]
fn indexing_audit_regressions() {
    let mut h = Harness::new(1);
    // A static pod whose spec is a list (an indentation slip): writing
    // `spec.nodeName` into it panicked in the kubelet. The kubelet skips a
    // manifest it cannot decode, so no mirror pod appears.
    let wrote = h.run(
        "cat > /etc/kubernetes/manifests/slip.yaml <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: slip\nspec:\n- name: web\n  image: nginx\nEOF\n",
    );
    h.assert_clean("static pod manifest", 1);
    assert!(wrote.is_some_and(|o| o.status == 0));
    h.step(Duration::from_secs(20));
    let pods = h.run("kubectl get pods -n kube-system -o name\n");
    let pods = pods.map(|o| o.text()).unwrap_or_default();
    assert!(pods.contains("pod/etcd-controlplane"), "{pods}");
    assert!(!pods.contains("slip"), "{pods}");
    h.assert_clean("regression", 1);
}
