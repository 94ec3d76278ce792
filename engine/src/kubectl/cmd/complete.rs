// Indexing is safe in this module: index bounded by the while loop's i < before.len().
#![allow(clippy::indexing_slicing)]
//! `kubectl __complete ARGS… WORD`: cobra's completion protocol, which the
//! script of `kubectl completion bash` calls. The answer is one candidate
//! per line (`name<TAB>description` for commands and flags, as cobra
//! writes them), then `:DIRECTIVE`; cobra names the directive on stderr.
//! Candidates: commands and subcommands, flags, resource types (as
//! `kubectl api-resources -o name` lists them), live object names.

use super::super::{Command, Context, COMMANDS};
use crate::api::{self, object};
use crate::kubectl::flags::{Flag, FlagKind, GLOBAL};
use crate::output::Output;

/// `ShellCompDirectiveDefault`, `…NoFileComp`, `…FilterFileExt`.
const DEFAULT: u8 = 0;
const NO_FILE_COMP: u8 = 4;
const FILTER_FILE_EXT: u8 = 8;

fn directive_name(d: u8) -> &'static str {
    match d {
        NO_FILE_COMP => "ShellCompDirectiveNoFileComp",
        FILTER_FILE_EXT => "ShellCompDirectiveFilterFileExt",
        _ => "ShellCompDirectiveDefault",
    }
}

/// The flags taking a value, among the command's and the global ones.
fn takes_value(word: &str, flags: &[Flag]) -> bool {
    let all = || flags.iter().chain(GLOBAL);
    if let Some(long) = word.strip_prefix("--") {
        return !long.contains('=') && all().any(|f| f.long == long && f.kind != FlagKind::Bool);
    }
    let mut chars = word.chars().skip(1);
    match (chars.next(), chars.next()) {
        (Some(c), None) => all().any(|f| f.short == Some(c) && f.kind != FlagKind::Bool),
        _ => false,
    }
}

fn flag_candidates(current: &str, flags: &[Flag]) -> Vec<String> {
    let mut local: Vec<&Flag> = flags.iter().collect();
    crate::sort::sort_by_key(&mut local, |f| f.long);
    let mut global: Vec<&Flag> = GLOBAL
        .iter()
        .filter(|g| !flags.iter().any(|f| f.long == g.long))
        .collect();
    crate::sort::sort_by_key(&mut global, |f| f.long);
    let mut out = Vec::new();
    for f in local.into_iter().chain(global) {
        let long = format!("--{}", f.long);
        if long.starts_with(current) {
            out.push(format!("{long}\t{}", f.help));
        }
        if let Some(c) = f.short {
            let short = format!("-{c}");
            if short.starts_with(current) {
                out.push(format!("{short}\t{}", f.help));
            }
        }
    }
    out
}

/// What a command's positional arguments name.
enum Args {
    /// `get TYPE NAME…`: a resource type, then names of that type.
    TypeThenNames,
    /// Names of one resource (`logs POD`, `cordon NODE`).
    Names(&'static str),
    Nothing,
}

fn positional_kind(command: &str) -> Args {
    match command {
        "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "scale"
        | "autoscale" | "expose" | "wait" | "explain" | "rollout status" | "rollout history"
        | "rollout undo" | "rollout restart" | "rollout pause" | "rollout resume" => {
            Args::TypeThenNames
        }
        "logs" | "exec" | "port-forward" | "top pod" => Args::Names("pods"),
        "cordon" | "uncordon" | "drain" | "taint" | "top node" => Args::Names("nodes"),
        "certificate approve" | "certificate deny" => {
            Args::Names("certificatesigningrequests.certificates.k8s.io")
        }
        _ => Args::Nothing,
    }
}

fn names(ctx: &Context<'_>, resource: &str, ns: &str, current: &str) -> Vec<String> {
    let Some(res) = api::resolve(resource) else {
        return vec![];
    };
    let ns = res.namespaced.then_some(ns);
    ctx.cluster
        .apiserver
        .list(res, ns)
        .iter()
        .map(|o| object::name(o).to_string())
        .filter(|n| n.starts_with(current))
        .collect()
}

fn answer(mut candidates: Vec<String>, directive: u8) -> Output {
    let mut out = Output::default();
    candidates.dedup();
    for c in candidates {
        out.out(format!("{c}\n"));
    }
    out.out(format!(":{directive}\n"));
    out.err(format!(
        "Completion ended with directive: {}\n",
        directive_name(directive)
    ));
    out
}

/// Runs `kubectl __complete` with the words after it.
pub fn run(ctx: &mut Context<'_>, args: &[String], descriptions: bool) -> Output {
    let mut out = complete(ctx, args);
    if !descriptions {
        // `__completeNoDesc`: the candidates alone.
        for (stream, text) in &mut out.chunks {
            if *stream == crate::output::Stream::Stdout {
                *text = text
                    .lines()
                    .map(|l| format!("{}\n", l.split('\t').next().unwrap_or("")))
                    .collect();
            }
        }
    }
    out
}

fn complete(ctx: &mut Context<'_>, args: &[String]) -> Output {
    let (current, before) = match args.split_last() {
        Some((c, b)) => (c.as_str(), b),
        None => ("", &[][..]),
    };
    // The command the words name so far (`create secret generic`).
    let mut command: Option<&'static Command> = None;
    let mut rest: Vec<&str> = Vec::new();
    let mut namespace = None;
    let mut i = 0;
    while i < before.len() {
        let w = before[i].as_str();
        let flags = command.map(|c| c.flags).unwrap_or(&[]);
        if w.starts_with('-') && w.len() > 1 {
            if takes_value(w, flags) {
                if matches!(w, "-n" | "--namespace") {
                    namespace = before.get(i + 1).cloned();
                }
                i += 1;
            } else if let Some(ns) = w.strip_prefix("--namespace=") {
                namespace = Some(ns.to_string());
            }
            i += 1;
            continue;
        }
        let child = match command {
            None => COMMANDS.iter().find(|c| c.name == w),
            Some(c) => super::SUBCOMMANDS
                .iter()
                .filter(|(p, _)| *p == c.name)
                .flat_map(|(_, cs)| cs.iter())
                .find(|s| s.name == format!("{} {w}", c.name)),
        };
        match child {
            Some(c) if rest.is_empty() => command = Some(c),
            _ => rest.push(w),
        }
        i += 1;
    }
    let flags = command.map(|c| c.flags).unwrap_or(&[]);
    // A flag's value: namespaces after -n, manifests after -f.
    if let Some(prev) = before.last().map(String::as_str) {
        if takes_value(prev, flags) {
            return match prev {
                "-n" | "--namespace" => answer(names(ctx, "namespaces", "", current), NO_FILE_COMP),
                "-f" | "--filename" => answer(
                    vec!["json".into(), "yaml".into(), "yml".into()],
                    FILTER_FILE_EXT,
                ),
                _ => answer(vec![], DEFAULT),
            };
        }
    }
    if current.starts_with('-') {
        return answer(flag_candidates(current, flags), NO_FILE_COMP);
    }
    let Some(command) = command else {
        let mut verbs: Vec<String> = COMMANDS
            .iter()
            .map(|c| format!("{}\t{}", c.name, c.short))
            .chain(std::iter::once("help\tHelp about any command".to_string()))
            .filter(|c| c.starts_with(current))
            .collect();
        crate::sort::sort(&mut verbs);
        return answer(verbs, NO_FILE_COMP);
    };
    let children: Vec<String> = super::SUBCOMMANDS
        .iter()
        .filter(|(p, _)| *p == command.name)
        .flat_map(|(_, cs)| cs.iter())
        .filter_map(|s| {
            let word = s.name.rsplit(' ').next()?;
            word.starts_with(current)
                .then(|| format!("{word}\t{}", s.short))
        })
        .collect();
    if rest.is_empty() && !children.is_empty() {
        let mut children = children;
        crate::sort::sort(&mut children);
        return answer(children, NO_FILE_COMP);
    }
    let ns = namespace
        .or_else(|| super::config::context_namespace(ctx))
        .unwrap_or_else(|| ctx.namespace.clone());
    match (positional_kind(command.name), rest.as_slice()) {
        (Args::TypeThenNames, []) => {
            let types: Vec<String> = api::RESOURCES
                .iter()
                .map(|r| r.qualified_plural())
                .filter(|n| n.starts_with(current))
                .collect();
            answer(types, NO_FILE_COMP)
        }
        (Args::TypeThenNames, [kind, ..]) => answer(names(ctx, kind, &ns, current), NO_FILE_COMP),
        (Args::Names(resource), []) => answer(names(ctx, resource, &ns, current), NO_FILE_COMP),
        (Args::Names(_), _) => answer(vec![], NO_FILE_COMP),
        (Args::Nothing, _) => answer(vec![], DEFAULT),
    }
}

#[cfg(test)]
mod tests {
    use crate::Simulation;

    /// Through the sourced completion script in a real bash: its function
    /// calls `kubectl __complete`, here a stand-in replaying the engine's
    /// own answer, and offers the candidates without their descriptions.
    #[test]
    fn the_sourced_bash_script_reads_the_answer() {
        let mut sim = Simulation::new(1);
        let verbs = sim.run("kubectl __complete ge\n").stdout();
        let nodes = sim.run("kubectl __complete get nodes ''\n").stdout();
        let dir = std::env::temp_dir().join(format!("dinghy-complete-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let write = |name: &str, text: &str| {
            std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"))
        };
        write("completion.bash", super::super::misc::BASH_COMPLETION);
        write("verbs", &verbs);
        write("nodes", &nodes);
        // The stand-in answers by the last word, as the engine did above.
        write(
            "kubectl",
            "#!/bin/sh\nd=$(dirname \"$0\")\nfor w; do last=$w; done\nif [ \"$last\" = ge ]; then cat \"$d/verbs\"; else cat \"$d/nodes\"; fi\n",
        );
        let script = "chmod +x \"$1/kubectl\"; PATH=\"$1:$PATH\"; source \"$1/completion.bash\"; \
            COMP_WORDS=(kubectl ge); COMP_CWORD=1; __start_kubectl; echo \"${COMPREPLY[*]}\"; \
            COMP_WORDS=(kubectl get nodes ''); COMP_CWORD=3; __start_kubectl; echo \"${COMPREPLY[*]}\"";
        let Ok(out) = std::process::Command::new("bash")
            .args(["-c", script, "bash"])
            .arg(&dir)
            .output()
        else {
            eprintln!("bash not available: skipped");
            return;
        };
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "get\ncontrolplane node01\n",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn complete(sim: &mut Simulation, line: &str) -> (String, String) {
        let out = sim.run(&format!("{line}\n"));
        (out.stdout(), out.stderr())
    }

    #[test]
    fn cobra_protocol_for_verbs_types_names_and_flags() {
        let mut sim = Simulation::new(1);
        let (out, err) = complete(&mut sim, "kubectl __complete ge");
        assert_eq!(out, "get\tDisplay one or many resources\n:4\n");
        assert_eq!(
            err,
            "Completion ended with directive: ShellCompDirectiveNoFileComp\n"
        );
        let (out, _) = complete(&mut sim, "kubectl __complete get no");
        assert_eq!(out, "nodes\n:4\n");
        let (out, _) = complete(&mut sim, "kubectl __complete get nodes ''");
        assert_eq!(out, "controlplane\nnode01\n:4\n");
        let (out, _) = complete(&mut sim, "kubectl __complete get pods -n kube-system etcd");
        assert_eq!(out, "etcd-controlplane\n:4\n");
        let (out, _) = complete(&mut sim, "kubectl __complete logs -n kube-system kube-sch");
        assert_eq!(out, "kube-scheduler-controlplane\n:4\n");
        let (out, _) = complete(&mut sim, "kubectl __complete get -n kube-");
        assert_eq!(out, "kube-node-lease\nkube-public\nkube-system\n:4\n");
        let (out, _) = complete(&mut sim, "kubectl __complete rollout ''");
        assert!(out.starts_with("history\t"), "{out}");
        let (out, _) = complete(&mut sim, "kubectl __complete get --all-n");
        assert!(out.starts_with("--all-namespaces\t"), "{out}");
        let (out, err) = complete(&mut sim, "kubectl __complete apply -f ''");
        assert_eq!(out, "json\nyaml\nyml\n:8\n");
        assert!(err.contains("ShellCompDirectiveFilterFileExt"));
    }
}
