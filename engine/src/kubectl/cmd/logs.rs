//! `kubectl logs`: a container's log through the kubelet of its node
//! (`--previous`, `-c`, `--tail`, `--timestamps`, `--all-containers`,
//! `--prefix`; `-f` prints what there is so far and returns, as the
//! simulated terminal cannot wait on a stream).

use super::super::{flags::Flag, flags::Parsed, Command, Context};
use crate::kubelet::server::{self, Error};
use crate::output::Output;

pub const COMMAND: Command = Command {
    name: "logs",
    short: "Print the logs for a container in a pod",
    usage: "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    flags: &[
        Flag::bool("all-containers", "Get all containers' logs in the pod(s)."),
        Flag::string("container", "", "Print the logs of this container").short('c'),
        Flag::bool("follow", "Specify if the logs should be streamed.").short('f'),
        Flag::bool("prefix", "Prefix each log line with the log source (pod name and container name)"),
        Flag::bool("previous", "If true, print the logs for the previous instance of the container in a pod if it exists.").short('p'),
        Flag::int("tail", "-1", "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided."),
        Flag::bool("timestamps", "Include timestamps on each line in the log output"),
    ],
    run,
};

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    let name = match p.args.as_slice() {
        [one] => one.strip_prefix("pod/").or_else(|| one.strip_prefix("pods/")).unwrap_or(one).to_string(),
        [] => {
            return out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples")
        }
        [_, c] if !p.is_set("container") => {
            // `kubectl logs POD CONTAINER`, the old form.
            return logs_of(ctx, p, &p.args[0], Some(c.as_str()));
        }
        _ => {
            return out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples")
        }
    };
    let container = p.string("container").filter(|c| !c.is_empty());
    logs_of(ctx, p, &name, container)
}

fn logs_of(ctx: &mut Context<'_>, p: &Parsed, name: &str, container: Option<&str>) -> Output {
    let mut out = Output::default();
    let now = ctx.cluster.now();
    let ns = ctx.namespace.clone();
    let t = match server::target(&ctx.cluster.apiserver, &ns, name, container) {
        Ok(t) => t,
        Err(e) => return out.fail(e.kubectl_text()),
    };
    let containers: Vec<String> = if p.bool("all-containers") {
        ["spec.initContainers", "spec.containers"]
            .iter()
            .filter_map(|k| crate::api::object::at(&t.pod, k).and_then(serde_json::Value::as_array))
            .flatten()
            .filter_map(|c| {
                c.get("name")
                    .and_then(serde_json::Value::as_str)
                    .map(String::from)
            })
            .collect()
    } else {
        if let Some(d) = &t.defaulted {
            out.err(format!("{d}\n"));
        }
        vec![t.container.clone()]
    };
    let tail = p
        .string("tail")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(-1);
    for c in containers {
        let one = server::Target {
            pod: t.pod.clone(),
            container: c.clone(),
            defaulted: None,
        };
        let Context { cluster, .. } = ctx;
        let machines = &mut cluster.machines;
        match server::logs(&cluster.apiserver, machines, &one, p.bool("previous"), now) {
            Ok(lines) => {
                let skip = if tail >= 0 {
                    lines.len().saturating_sub(tail as usize)
                } else {
                    0
                };
                for (at, line) in lines.into_iter().skip(skip) {
                    let mut text = String::new();
                    if p.bool("prefix") {
                        text.push_str(&format!("[pod/{name}/{c}] "));
                    }
                    if p.bool("timestamps") {
                        text.push_str(&format!("{} ", at.rfc3339_micro().replace('Z', "000Z")));
                    }
                    text.push_str(&line);
                    text.push('\n');
                    out.out(text);
                }
            }
            Err(
                e @ (Error::NotFound(_)
                | Error::BadRequest(_)
                | Error::Unreachable(_)
                | Error::Client(_)),
            ) => {
                return out.fail(e.kubectl_text());
            }
        }
    }
    out
}
