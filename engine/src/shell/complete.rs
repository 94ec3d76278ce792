//! Tab completion for the terminal: command names, file paths, and — for
//! `kubectl` (and its alias `k`) — verbs, resource types and short names,
//! names of live objects, and flags, all from the same data the parsers use.

use super::{commands::PROGRAMS, session_fs, Session};
use crate::api::{self, object};
use crate::cluster::Cluster;
use crate::kubectl::{self, flags};
use crate::node::fs;

/// Candidates for the last word of `line` (the text left of the cursor).
/// Each candidate is the whole word; the caller replaces the last word.
pub fn complete(session: &Session, cluster: &Cluster, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let current = if line.ends_with(char::is_whitespace) {
        ""
    } else {
        words.last().copied().unwrap_or("")
    };
    let before: Vec<&str> = if current.is_empty() {
        words.clone()
    } else {
        words
            .split_last()
            .map(|(_, init)| init.to_vec())
            .unwrap_or_default()
    };
    let mut out: Vec<String> = match before.first() {
        None => {
            let mut c: Vec<String> = PROGRAMS.iter().map(|p| p.to_string()).collect();
            c.extend(session.aliases.keys().cloned());
            c.into_iter().filter(|p| p.starts_with(current)).collect()
        }
        // kubectl's completion serves every command registered for it with
        // `complete -F __start_kubectl NAME` (`kubectl` and `k` by default,
        // as the lab environments' ~/.bashrc does), as in bash.
        Some(first)
            if session
                .completions
                .get(*first)
                .is_some_and(|c| c.function == "__start_kubectl") =>
        {
            kubectl_candidates(
                session,
                cluster,
                before.get(1..).unwrap_or_default(),
                current,
            )
        }
        Some(_) => paths(session, cluster, current),
    };
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

fn kubectl_candidates(
    session: &Session,
    cluster: &Cluster,
    before: &[&str],
    current: &str,
) -> Vec<String> {
    let positional: Vec<&str> = before
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let Some(verb) = positional.first() else {
        if current.starts_with('-') {
            return flags::complete(current, &[]);
        }
        return kubectl::COMMANDS
            .iter()
            .map(|c| c.name.to_string())
            .filter(|n| n.starts_with(current))
            .collect();
    };
    let command = kubectl::COMMANDS.iter().find(|c| c.name == *verb);
    if current.starts_with("--") {
        return flags::complete(current, command.map(|c| c.flags).unwrap_or(&[]));
    }
    if before
        .last()
        .is_some_and(|w| *w == "-f" || *w == "--filename")
    {
        return paths(session, cluster, current);
    }
    if before
        .last()
        .is_some_and(|w| *w == "-n" || *w == "--namespace")
    {
        return names(cluster, "namespaces", None, current);
    }
    match positional.len() {
        // `kubectl get <TAB>`: resource types.
        1 => {
            let mut c: Vec<String> = Vec::new();
            for r in api::RESOURCES {
                c.push(r.plural.to_string());
                c.extend(r.short_names.iter().map(|s| s.to_string()));
            }
            if *verb == "get" {
                c.push("all".into());
            }
            c.into_iter().filter(|n| n.starts_with(current)).collect()
        }
        // `kubectl get pods <TAB>`: live names in the namespace.
        _ => {
            let ns = namespace_of(before).unwrap_or_else(|| session.namespace.clone());
            names(
                cluster,
                positional.get(1).copied().unwrap_or(""),
                Some(&ns),
                current,
            )
        }
    }
}

fn namespace_of(words: &[&str]) -> Option<String> {
    words
        .windows(2)
        .find_map(|w| match w {
            [flag, ns] if *flag == "-n" || *flag == "--namespace" => Some(ns.to_string()),
            _ => None,
        })
        .or_else(|| {
            words
                .iter()
                .find_map(|w| w.strip_prefix("--namespace=").map(String::from))
        })
}

fn names(cluster: &Cluster, resource: &str, ns: Option<&str>, current: &str) -> Vec<String> {
    let Some(res) = api::resolve(resource) else {
        return vec![];
    };
    let ns = if res.namespaced { ns } else { None };
    cluster
        .apiserver
        .list(res, ns)
        .iter()
        .map(|o| object::name(o).to_string())
        .filter(|n| n.starts_with(current))
        .collect()
}

fn paths(session: &Session, cluster: &Cluster, current: &str) -> Vec<String> {
    let Some(fsys) = session_fs(session, cluster) else {
        return vec![];
    };
    let (dir_part, prefix) = match current.rfind('/') {
        Some(i) => (&current[..=i], &current[i + 1..]),
        None => ("", current),
    };
    let dir = fs::normalize(
        &session.cwd,
        if dir_part.is_empty() { "." } else { dir_part },
    );
    fsys.list(&dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.starts_with(prefix) && (!n.starts_with('.') || prefix.starts_with('.')))
        .map(|n| {
            let full = fs::normalize(&dir, &n);
            let slash = if fsys.is_dir(&full) { "/" } else { "" };
            format!("{dir_part}{n}{slash}")
        })
        .collect()
}

/// The longest prefix all candidates share (what a first Tab inserts).
pub fn common_prefix(candidates: &[String]) -> String {
    let Some((first, others)) = candidates.split_first() else {
        return String::new();
    };
    let mut len = first.len();
    for c in others {
        len = first
            .char_indices()
            .zip(c.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    first[..len].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(line: &str) -> Vec<String> {
        let cluster = Cluster::new(1);
        complete(&Session::new("controlplane"), &cluster, line)
    }

    #[test]
    fn commands_paths_and_kubectl() {
        assert_eq!(c("kubec"), vec!["kubectl"]);
        assert_eq!(c("kubectl ge"), vec!["get"]);
        assert!(c("kubectl get ").contains(&"pods".to_string()));
        assert_eq!(c("k get no"), vec!["no", "nodes"]);
        assert_eq!(c("kubectl get nodes n"), vec!["node01"]);
        assert_eq!(
            c("kubectl get pods -n kube-system kube-sc"),
            vec!["kube-scheduler-controlplane"]
        );
        assert_eq!(
            c("kubectl get pods -n kube-"),
            vec!["kube-node-lease", "kube-public", "kube-system"]
        );
        assert_eq!(c("kubectl get pods --all-n"), vec!["--all-namespaces"]);
        assert_eq!(
            c("cat /etc/kubernetes/manifests/kube-s"),
            vec!["/etc/kubernetes/manifests/kube-scheduler.yaml"]
        );
        assert_eq!(c("cd /etc/kub"), vec!["/etc/kubernetes/"]);
        assert_eq!(
            common_prefix(&["kube-node-lease".into(), "kube-public".into()]),
            "kube-"
        );
    }

    #[test]
    fn an_alias_completes_like_kubectl_once_registered_with_complete() {
        let mut sim = crate::Simulation::new(1);
        sim.run("alias kc=kubectl\n");
        // Without `complete`, bash falls back to file names (none match here).
        assert_eq!(sim.complete("kc get no"), Vec::<String>::new());
        sim.run("complete -o default -F __start_kubectl kc\n");
        assert_eq!(sim.complete("kc get no"), vec!["no", "nodes"]);
        sim.run("complete -r k\n");
        assert_eq!(sim.complete("k get no"), Vec::<String>::new());
        sim.run("source <(kubectl completion bash)\n");
        assert_eq!(sim.complete("kubectl ge"), vec!["get"]);
    }
}
