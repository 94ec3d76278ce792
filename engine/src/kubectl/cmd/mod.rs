//! One module per kubectl verb, and the subcommands some verbs have
//! (`create deployment`, `create secret generic`, `set image`).

pub mod apply;
pub mod autoscale;
pub mod certificate;
pub mod common;
pub mod complete;
pub mod config;
pub mod cp;
pub mod create;
pub mod delete;
pub mod describe;
pub mod drain;
pub mod edit;
pub mod events;
pub mod exec;
pub mod expose;
pub mod get;
pub mod label;
pub mod logs;
pub mod misc;
pub mod patch;
pub mod rbac;
pub mod replace;
pub mod rollout;
pub mod run;
pub mod scale;
pub mod select;
pub mod set;
pub mod taint;
pub mod top;
pub mod version;
pub mod wait;

#[cfg(test)]
mod golden_tests;

use super::flags::{Flag, FlagKind, GLOBAL};
use super::Command;

/// The subcommands of a command, by the command's full name. A subcommand's
/// `name` is its full path (`create secret generic`), which is what cobra
/// prints in `See 'kubectl create secret generic -h'`.
pub const SUBCOMMANDS: &[(&str, &[Command])] = &[
    ("create", create::SUBCOMMANDS),
    ("create secret", create::SECRET_SUBCOMMANDS),
    ("create service", create::SERVICE_SUBCOMMANDS),
    ("rollout", rollout::SUBCOMMANDS),
    ("config", config::SUBCOMMANDS),
    ("set", patch::SET_SUBCOMMANDS),
    ("auth", misc::AUTH_SUBCOMMANDS),
    ("certificate", certificate::SUBCOMMANDS),
    ("top", misc::TOP_SUBCOMMANDS),
];

/// A command group given words that name none of its commands: kubectl's
/// `DefaultSubCommandRun` refuses them all, quoted as one.
pub fn unknown_subcommand(p: &super::flags::Parsed, path: &str) -> crate::output::Output {
    crate::output::Output::default().fail(format!(
        "error: unknown command {}\nSee 'kubectl {path} -h' for help and examples",
        crate::go::quote(&p.args.join(" "))
    ))
}

/// Other names cobra accepts for a subcommand (its `Aliases`).
const ALIASES: &[(&str, &str)] = &[
    ("create deploy", "create deployment"),
    ("create svc", "create service"),
    ("create cm", "create configmap"),
    ("create ns", "create namespace"),
    ("create sa", "create serviceaccount"),
    ("create resourcequota", "create quota"),
    ("create pc", "create priorityclass"),
    ("create pdb", "create poddisruptionbudget"),
    ("create cj", "create cronjob"),
    ("create ing", "create ingress"),
    ("set sa", "set serviceaccount"),
    ("top nodes", "top node"),
    ("top no", "top node"),
    ("top pods", "top pod"),
    ("top po", "top pod"),
];

fn child(parent: &str, word: &str) -> Option<&'static Command> {
    let full = format!("{parent} {word}");
    let full = ALIASES
        .iter()
        .find(|(a, _)| *a == full)
        .map(|(_, c)| c.to_string())
        .unwrap_or(full);
    SUBCOMMANDS
        .iter()
        .filter(|(p, _)| *p == parent)
        .flat_map(|(_, cs)| cs.iter())
        .find(|c| c.name == full)
}

/// The position of the first argument that is not a flag or a flag's value,
/// as cobra finds a subcommand (`kubectl create -n dev deployment web`).
fn first_word(args: &[String], flags: &[Flag]) -> Option<usize> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" {
            return None;
        }
        if let Some(body) = a.strip_prefix("--") {
            let takes_value = !body.contains('=')
                && flags
                    .iter()
                    .chain(GLOBAL)
                    .any(|f| f.long == body && f.kind != FlagKind::Bool);
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let takes_value = a.chars().count() == 2
                && a.chars().nth(1).is_some_and(|c| {
                    flags
                        .iter()
                        .chain(GLOBAL)
                        .any(|f| f.short == Some(c) && f.kind != FlagKind::Bool)
                });
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        return Some(i);
    }
    None
}

/// Walks down to the subcommand the arguments name: returns it and the
/// arguments left for it. A command without subcommands is returned as is.
pub fn resolve(command: &'static Command, args: &[String]) -> (&'static Command, Vec<String>) {
    let mut command = command;
    let mut args = args.to_vec();
    loop {
        if !SUBCOMMANDS.iter().any(|(p, _)| *p == command.name) {
            return (command, args);
        }
        let Some((i, word)) =
            first_word(&args, command.flags).and_then(|i| Some((i, args.get(i)?)))
        else {
            return (command, args);
        };
        match child(command.name, word) {
            Some(c) => {
                args.remove(i);
                command = c;
            }
            None => return (command, args),
        }
    }
}
