// Indexing is safe in this module: argv[0] only when argv.len() == 1.
#![allow(clippy::indexing_slicing)]
//! `kubectl exec POD [-c CONTAINER] -- COMMAND [args...]`: runs a command
//! in a running container, through its node's kubelet. What the command
//! prints and its exit status come from the container model; the files it
//! writes stay in the container. `-it sh` cannot be interactive in this
//! terminal: it says so instead of hanging.

use super::super::{flags::Flag, flags::Parsed, Command, Context};
use crate::kubelet::server;
use crate::output::Output;

pub const COMMAND: Command = Command {
    name: "exec",
    short: "Execute a command in a container",
    usage: "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    flags: &[
        Flag::string("container", "", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen").short('c'),
        Flag::strings("filename", "to use to exec into the resource").short('f').unsupported(),
        Flag::duration("pod-running-timeout", "1m0s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running").unsupported(),
        Flag::bool("quiet", "Only print output from the remote session").short('q'),
        Flag::bool("stdin", "Pass stdin to the container").short('i'),
        Flag::bool("tty", "Stdin is a TTY").short('t'),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    let Some(name) = p.args.first() else {
        return out.fail("error: pod, type/name or --filename must be specified");
    };
    let name = name
        .strip_prefix("pod/")
        .or_else(|| name.strip_prefix("pods/"))
        .unwrap_or(name)
        .to_string();
    let argv: Vec<String> = match &p.after_dashes {
        Some(a) if !a.is_empty() => a.clone(),
        _ if p.args.len() > 1 => {
            return out.fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
        }
        _ => {
            return out.fail("error: you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples");
        }
    };
    let ns = ctx.namespace.clone();
    let container = p.string("container").filter(|c| !c.is_empty());
    let t = match server::target(&ctx.cluster.apiserver, &ns, &name, container) {
        Ok(t) => t,
        Err(e) => return out.fail(e.kubectl_text()),
    };
    if let Some(d) = &t.defaulted {
        if !p.bool("quiet") {
            out.err(format!("{d}\n"));
        }
    }
    let shells = ["sh", "/bin/sh", "bash", "/bin/bash", "ash", "/bin/ash"];
    if p.bool("stdin") && argv.len() == 1 && shells.contains(&argv[0].as_str()) {
        return out.fail(
            "error: an interactive shell is not available in this terminal; run commands with `kubectl exec POD -- COMMAND`",
        );
    }
    if let Some(r) = crate::network::exec_in_pod(ctx.cluster, &t.pod, &t.container, &argv) {
        out.err(r.head);
        out.out(r.out);
        out.err(r.err);
        if r.code != 0 {
            out = out.fail(format!("command terminated with exit code {}", r.code));
            out.status = r.code;
        }
        return out;
    }
    let now = ctx.cluster.now();
    match server::exec(&mut ctx.cluster.machines, &t, &argv, now) {
        Ok(r) => {
            out.out(r.output);
            if r.code != 0 {
                out = out.fail(format!("command terminated with exit code {}", r.code));
                out.status = r.code;
            }
            out
        }
        Err(e) => out.fail(e.kubectl_text()),
    }
}
