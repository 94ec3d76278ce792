// A test: its helpers index command lines whose bounds they check first (clippy.toml exempts #[test] fns only).
#![allow(clippy::indexing_slicing)]
//! Issue 7's acceptance: "golden transcript tests per verb, covering every
//! flag listed". `COVERAGE` is the issue's list of verbs and flags; each
//! entry must be used by at least one kubectl command line of a golden
//! transcript (`transcripts/*.sh`, whose `.out` the `transcripts` test
//! checks byte for byte). The scripts are parsed as the shell reads them —
//! comments and here-document bodies are not commands; pipelines, `&&`,
//! `;`, `$(…)` and `<(…)` split commands; quotes group words — and each
//! kubectl command is split into its positional words and its flags (pflag's
//! forms: `--name=value`, `--name value`, `-o wide`, `-owide`, `-it`,
//! nothing after `--`).

use std::path::Path;

/// `(verb words, requirement)`. A requirement is one of:
/// `""` — the verb itself; `--flag` or `-f` — the flag is given;
/// `--flag=PREFIX` — its value starts with PREFIX; `--flag~SUB` — its value
/// contains SUB; `@WORD` — a positional word after the verb equals WORD
/// (or one of `@A|B`);
/// `@~SUB` — one contains SUB. A flag may name its aliases, `-o|--output`.
const COVERAGE: &[(&str, &str)] = &[
    // get
    ("get", "-o|--output=wide"),
    ("get", "-o|--output=yaml"),
    ("get", "-o|--output=json"),
    ("get", "-o|--output=name"),
    ("get", "-o|--output=jsonpath="),
    ("get", "-o|--output=custom-columns="),
    ("get", "--show-labels"),
    ("get", "-l"),
    ("get", "--selector"),
    ("get", "-l|--selector~ in ("),
    ("get", "-l|--selector~ notin ("),
    ("get", "--field-selector"),
    ("get", "-n|--namespace"),
    ("get", "-A|--all-namespaces"),
    ("get", "--sort-by"),
    ("get", "--no-headers"),
    ("get", "-w|--watch"),
    ("get", "@~,"),
    ("get", "@all"),
    ("get", "-f|--filename"),
    // describe, every kind (the describers)
    ("describe", "@pod|pods|po"),
    ("describe", "@deployment|deploy"),
    ("describe", "@replicaset|rs"),
    ("describe", "@svc|service"),
    ("describe", "@node|nodes"),
    ("describe", "@ns|namespace"),
    ("describe", "@configmap|cm"),
    ("describe", "@secret"),
    ("describe", "@quota"),
    ("describe", "@limitrange"),
    ("describe", "@pv"),
    ("describe", "@pvc"),
    ("describe", "@storageclass"),
    ("describe", "@job"),
    ("describe", "@cronjob"),
    ("describe", "@daemonset"),
    ("describe", "@sts|statefulset"),
    ("describe", "@hpa"),
    ("describe", "@endpoints"),
    ("describe", "@ingress"),
    ("describe", "@netpol"),
    ("describe", "@sa"),
    ("describe", "@role"),
    ("describe", "@clusterrole"),
    ("describe", "@rolebinding"),
    ("describe", "@clusterrolebinding"),
    ("describe", "@pc|priorityclass"),
    ("describe", "@lease"),
    // create -f and the generators
    ("create", "-f|--filename"),
    ("create deployment", "--image"),
    ("create deployment", "--replicas"),
    ("create service clusterip", "--tcp"),
    ("create service nodeport", "--node-port"),
    ("create service loadbalancer", "--tcp"),
    ("create service externalname", "--external-name"),
    ("create configmap", "--from-literal"),
    ("create configmap", "--from-file"),
    ("create configmap", "--from-env-file"),
    ("create secret generic", "--from-literal"),
    ("create secret tls", "--cert"),
    ("create secret docker-registry", "--docker-server"),
    ("create namespace", ""),
    ("create serviceaccount", ""),
    ("create role", "--verb"),
    ("create rolebinding", "--role"),
    ("create clusterrole", "--resource"),
    ("create clusterrolebinding", "--clusterrole"),
    ("create quota", "--hard"),
    ("create priorityclass", "--value"),
    ("create job", ""),
    ("create cronjob", "--schedule"),
    ("create ingress", "--rule"),
    ("create token", ""),
    // apply, replace, delete, edit
    ("apply", "-f=-"),
    ("apply", "-f~.yaml"),
    ("apply", "-f=."),
    ("replace", "--force"),
    ("delete", "@pod|pods"),
    ("delete", "-f|--filename"),
    ("delete", "-l|--selector"),
    ("delete", "--all"),
    ("delete", "--grace-period=0"),
    ("delete", "--force"),
    ("delete", "--now"),
    ("delete", "--cascade"),
    ("edit", ""),
    // run, expose, scale, autoscale, set
    ("run", "--image"),
    ("run", "--port"),
    ("run", "--labels"),
    ("run", "--env"),
    ("run", "--command"),
    ("run", "--restart"),
    ("run", "--dry-run=client"),
    ("run", "--rm"),
    ("run", "-i"),
    ("run", "-t"),
    ("run", "--expose"),
    ("expose", "--port"),
    ("scale", "--replicas"),
    ("scale", "-f|--filename"),
    ("autoscale", "--max"),
    ("set image", ""),
    ("set env", ""),
    ("set resources", ""),
    // label, annotate, taint, nodes
    ("label", "--overwrite"),
    ("label", "@~-"),
    ("annotate", "--overwrite"),
    ("annotate", "@~-"),
    ("taint", "@~:NoSchedule"),
    ("taint", "@~:NoSchedule-"),
    ("cordon", ""),
    ("uncordon", ""),
    ("drain", "--ignore-daemonsets"),
    ("drain", "--force"),
    ("drain", "--delete-emptydir-data"),
    // rollout
    ("rollout status", ""),
    ("rollout history", ""),
    ("rollout undo", "--to-revision"),
    ("rollout restart", ""),
    ("rollout pause", ""),
    ("rollout resume", ""),
    // logs, exec, top
    ("logs", "-f|--follow"),
    ("logs", "-c|--container"),
    ("logs", "-p|--previous"),
    ("logs", "--tail"),
    ("logs", "-l|--selector"),
    ("exec", "-i"),
    ("exec", "-t"),
    ("top node", ""),
    ("top pod", "--containers"),
    ("top pod", "--sort-by"),
    // explain and discovery
    ("explain", ""),
    ("explain", "--recursive"),
    ("api-resources", ""),
    ("api-versions", ""),
    ("version", ""),
    ("cluster-info", ""),
    // config
    ("config view", ""),
    ("config get-contexts", ""),
    ("config current-context", ""),
    ("config use-context", ""),
    ("config set-context", "--current"),
    ("config set-context", "--namespace"),
    // auth, wait, events, completion, port-forward, proxy
    ("auth can-i", "--as"),
    ("auth can-i", "--list"),
    ("wait", "--for=condition="),
    ("wait", "--for=delete"),
    ("events", ""),
    ("completion bash", ""),
    ("port-forward", ""),
    ("proxy", ""),
];

/// Flags whose value may come as the next word. Every other long flag and
/// every short flag not listed is a boolean (`-it` is `-i -t`).
const VALUE_LONG: &[&str] = &[
    "output",
    "selector",
    "namespace",
    "filename",
    "container",
    "field-selector",
    "sort-by",
    "image",
    "port",
    "labels",
    "env",
    "restart",
    "replicas",
    "tail",
    "for",
    "as",
    "timeout",
    "grace-period",
    "name",
    "type",
    "target-port",
    "schedule",
    "rule",
    "verb",
    "resource",
    "role",
    "clusterrole",
    "serviceaccount",
    "user",
    "group",
    "hard",
    "value",
    "from-literal",
    "from-file",
    "from-env-file",
    "tcp",
    "node-port",
    "external-name",
    "cert",
    "key",
    "docker-server",
    "docker-username",
    "docker-password",
    "to-revision",
    "revision",
    "min",
    "max",
    "cpu-percent",
    "limits",
    "requests",
    "context",
    "cluster",
    "since",
    "kubeconfig",
    "dry-run",
    "cascade",
];
const VALUE_SHORT: &[char] = &['o', 'l', 'n', 'f', 'c'];

/// One kubectl command line: positional words and `(flag name, value)`.
#[derive(Debug, Default, PartialEq)]
struct Invocation {
    args: Vec<String>,
    flags: Vec<(String, Option<String>)>,
}

/// Shell words and command separators of one line: quotes group, `#`
/// starts a comment at a word's start, `|`, `;`, `&`, `(`, `)` and `$(`,
/// `<(` separate commands (returned as `None`).
fn words(line: &str) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let push = |out: &mut Vec<Option<String>>, cur: &mut String, in_word: &mut bool| {
        if *in_word {
            out.push(Some(std::mem::take(cur)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                cur.push(e);
                            }
                        }
                        _ => cur.push(d),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
            '#' if !in_word => break,
            ' ' | '\t' => push(&mut out, &mut cur, &mut in_word),
            '|' | ';' | '&' | '(' | ')' => {
                push(&mut out, &mut cur, &mut in_word);
                out.push(None);
            }
            '$' | '<' if chars.peek() == Some(&'(') => {
                push(&mut out, &mut cur, &mut in_word);
            }
            '>' | '<' => {
                // A redirection: its target is not an argument.
                push(&mut out, &mut cur, &mut in_word);
                out.push(None);
                while chars.peek() == Some(&' ') || chars.peek() == Some(&'>') {
                    chars.next();
                }
                for d in chars.by_ref() {
                    if d == ' ' {
                        break;
                    }
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    push(&mut out, &mut cur, &mut in_word);
    out
}

/// The commands of a script, here-document bodies skipped and `\`
/// continuations joined.
fn commands(script: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut lines = script.lines();
    while let Some(first) = lines.next() {
        let mut line = first.to_string();
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some(next) => line.push_str(next),
                None => break,
            }
        }
        // A here-document: its body is skipped to the terminator; the rest
        // of the line (`cat <<EOF | kubectl apply -f -`) is still a command.
        if let Some(pos) = line.find("<<") {
            let rest = line[pos + 2..].trim_start_matches('-').trim_start();
            let quoted = rest.trim_start_matches(['\'', '"']);
            let tag: String = quoted
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let after = quoted[tag.len()..]
                .trim_start_matches(['\'', '"'])
                .to_string();
            if !tag.is_empty() {
                for body in lines.by_ref() {
                    if body.trim() == tag {
                        break;
                    }
                }
            }
            line.truncate(pos);
            line.push(' ');
            line.push_str(&after);
        }
        let mut cmd = Vec::new();
        for w in words(&line) {
            match w {
                Some(w) => cmd.push(w),
                None => {
                    if !cmd.is_empty() {
                        out.push(std::mem::take(&mut cmd));
                    }
                }
            }
        }
        if !cmd.is_empty() {
            out.push(cmd);
        }
    }
    out
}

/// A command's kubectl invocation, if it runs kubectl (after `NAME=value`
/// prefixes and `watch`/`time`/`sudo`).
fn invocation(cmd: &[String]) -> Option<Invocation> {
    let mut i = 0;
    while i < cmd.len()
        && (cmd[i].contains('=') && !cmd[i].starts_with('-')
            || ["watch", "time", "sudo"].contains(&cmd[i].as_str()))
    {
        i += 1;
    }
    if cmd.get(i).map(String::as_str) != Some("kubectl") {
        return None;
    }
    let mut inv = Invocation::default();
    let mut rest = cmd[i + 1..].iter().peekable();
    while let Some(w) = rest.next() {
        if w == "--" {
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => inv.flags.push((n.to_string(), Some(v.to_string()))),
                None if VALUE_LONG.contains(&long) => {
                    let v = rest.next().cloned();
                    inv.flags.push((long.to_string(), v));
                }
                None => inv.flags.push((long.to_string(), None)),
            }
        } else if let Some(short) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = short.chars();
            while let Some(c) = chars.next() {
                let tail: String = chars.clone().collect();
                if VALUE_SHORT.contains(&c) {
                    let v = if let Some(v) = tail.strip_prefix('=') {
                        Some(v.to_string())
                    } else if !tail.is_empty() {
                        Some(tail)
                    } else {
                        rest.next().cloned()
                    };
                    inv.flags.push((c.to_string(), v));
                    break;
                }
                inv.flags.push((c.to_string(), None));
            }
        } else {
            inv.args.push(w.clone());
        }
    }
    Some(inv)
}

/// Whether an invocation is of `verb` and meets `req` (see `COVERAGE`).
fn covers(inv: &Invocation, verb: &str, req: &str) -> bool {
    let verb: Vec<&str> = verb.split(' ').collect();
    if inv.args.len() < verb.len() || inv.args.iter().zip(&verb).any(|(a, v)| a != v) {
        return false;
    }
    let after = &inv.args[verb.len()..];
    if req.is_empty() {
        return true;
    }
    if let Some(word) = req.strip_prefix('@') {
        return match word.strip_prefix('~') {
            Some(sub) => after.iter().any(|a| a.contains(sub)),
            None => word.split('|').any(|w| after.iter().any(|a| a == w)),
        };
    }
    let (names, test) = match req.find(['=', '~']) {
        Some(i) => (&req[..i], Some((&req[i..i + 1], &req[i + 1..]))),
        None => (req, None),
    };
    names.split('|').any(|name| {
        let name = name.trim_start_matches('-');
        inv.flags.iter().any(|(n, v)| {
            n == name
                && match test {
                    None => true,
                    Some(("=", prefix)) => v.as_deref().is_some_and(|v| v.starts_with(prefix)),
                    Some((_, sub)) => v.as_deref().is_some_and(|v| v.contains(sub)),
                }
        })
    })
}

fn transcript_invocations() -> Vec<(String, Invocation)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("transcripts");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    engine::sort::sort(&mut paths);
    for p in paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let script = std::fs::read_to_string(&p).unwrap_or_default();
        for cmd in commands(&script) {
            if let Some(inv) = invocation(&cmd) {
                out.push((name.clone(), inv));
            }
        }
    }
    out
}

#[test]
fn every_listed_verb_and_flag_is_in_a_golden_transcript() {
    let invs = transcript_invocations();
    assert!(
        invs.len() > 500,
        "only {} kubectl commands found",
        invs.len()
    );
    let missing: Vec<String> = COVERAGE
        .iter()
        .filter(|(verb, req)| !invs.iter().any(|(_, inv)| covers(inv, verb, req)))
        .map(|(verb, req)| format!("kubectl {verb} {req}"))
        .collect();
    assert!(
        missing.is_empty(),
        "no golden transcript runs:\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn the_parser_reads_commands_as_the_shell_does() {
    let script = "# kubectl get pods --show-labels\n\
        echo kubectl get pods -w\n\
        cat <<EOF | kubectl apply -f -\n\
        kubectl delete pods --all\n\
        EOF\n\
        kubectl get po -owide -l 'app in (a,b)' -- --no-headers > out.txt\n\
        source <(kubectl completion bash) && kubectl -n kube-system exec -it x -- sh -c 'ls -l'\n\
        kubectl get pods \\\n  --sort-by=.metadata.name; kubectl logs web -p\n";
    let invs: Vec<Invocation> = commands(script)
        .iter()
        .filter_map(|c| invocation(c))
        .collect();
    let show = |f: &[(&str, Option<&str>)]| -> Vec<(String, Option<String>)> {
        f.iter()
            .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
            .collect()
    };
    let args = |a: &[&str]| -> Vec<String> { a.iter().map(|x| x.to_string()).collect() };
    assert_eq!(
        invs,
        vec![
            Invocation {
                args: args(&["apply"]),
                flags: show(&[("f", Some("-"))])
            },
            Invocation {
                args: args(&["get", "po"]),
                flags: show(&[("o", Some("wide")), ("l", Some("app in (a,b)"))])
            },
            Invocation {
                args: args(&["completion", "bash"]),
                flags: vec![]
            },
            Invocation {
                args: args(&["exec", "x"]),
                flags: show(&[("n", Some("kube-system")), ("i", None), ("t", None)])
            },
            Invocation {
                args: args(&["get", "pods"]),
                flags: show(&[("sort-by", Some(".metadata.name"))])
            },
            Invocation {
                args: args(&["logs", "web"]),
                flags: show(&[("p", None)])
            },
        ]
    );
    // A comment, an `echo` and a here-document body cover nothing.
    let found = |verb: &str, req: &str| invs.iter().any(|i| covers(i, verb, req));
    assert!(!found("get", "--show-labels"));
    assert!(!found("get", "-w|--watch"));
    assert!(!found("delete", "--all"));
    assert!(!found("get", "--no-headers"));
    assert!(found("get", "-l|--selector~ in ("));
    assert!(found("get", "-o|--output=wide"));
    assert!(!found("get", "-o|--output=yaml"));
    assert!(found("exec", "-t"));
    assert!(found("apply", "-f=-"));
    assert!(found("logs", "-p|--previous"));
}

/// Issue 7's acceptance: "every command in the seeds' notes that uses
/// kubectl runs in dinghy shell and does what the notes say". The commands
/// (extracted from the notes by engine/tests/seed_kubectl_commands.rs) are
/// run by the golden transcript `seed_kubectl_commands.sh`: each NOTE:LINE
/// is named there, and a command without placeholders is there word for
/// word (alone, or piped into a filter of its output).
#[test]
fn every_seed_command_runs_in_the_seed_transcript() {
    const CORPUS: &str = include_str!("../../engine/tests/corpus/seed_kubectl_commands.txt");
    let script = include_str!("transcripts/seed_kubectl_commands.sh");
    let lines: Vec<&str> = script.lines().map(str::trim).collect();
    let hangul = |s: &str| {
        s.chars().any(|c| {
            ('\u{ac00}'..='\u{d7a3}').contains(&c) || ('\u{3131}'..='\u{318e}').contains(&c)
        })
    };
    let mut missing = Vec::new();
    let mut checked = 0;
    for entry in CORPUS.lines().filter(|l| !l.starts_with('#')) {
        let Some((id, cmd)) = entry.split_once('\t') else {
            continue;
        };
        if !script.contains(id) {
            missing.push(format!("{id} not named: {cmd}"));
            continue;
        }
        // Placeholders (<파드명>, 스케쥴러pod명) and the notes' random
        // /tmp/kubectl-edit-NNN.yaml are filled in, so only named.
        let placeholder = (cmd.contains('<') && !cmd.contains("<(")) || hangul(cmd);
        if placeholder || cmd.contains("/tmp/kubectl-edit-") {
            continue;
        }
        checked += 1;
        let piped = format!("{cmd} |");
        if !lines.iter().any(|l| *l == cmd || l.starts_with(&piped)) {
            missing.push(format!("{id} not run word for word: {cmd}"));
        }
    }
    assert!(
        checked > 40,
        "only {checked} commands checked word for word"
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
