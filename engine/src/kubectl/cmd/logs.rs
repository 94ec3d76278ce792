// Indexing is safe in this module: pods[0] after the empty case has returned.
#![allow(clippy::indexing_slicing)]
//! `kubectl logs`: a container's log through the kubelet of its node
//! (`--previous`, `-c`, `--tail`, `--timestamps`, `--all-containers`,
//! `--prefix`, `-l`, `TYPE/NAME`, `--since`, `--limit-bytes`; `-f` prints what there is so far and returns, as the
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
        Flag::bool("all-pods", "Get logs from all pod(s). Sets prefix to true."),
        Flag::string("container", "", "Print the logs of this container").short('c'),
        Flag::bool("follow", "Specify if the logs should be streamed.").short('f'),
        Flag::bool("ignore-errors", "If watching / following pod logs, allow for any errors that occur to be non-fatal").unsupported(),
        Flag::bool("insecure-skip-tls-verify-backend", "Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired.").unsupported(),
        Flag::int("limit-bytes", "0", "Maximum bytes of logs to return. Defaults to no limit."),
        Flag::int("max-log-requests", "5", "Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5."),
        Flag::duration("pod-running-timeout", "20s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running").unsupported(),
        Flag::bool("prefix", "Prefix each log line with the log source (pod name and container name)"),
        Flag::bool("previous", "If true, print the logs for the previous instance of the container in a pod if it exists.").short('p'),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::duration("since", "0s", "Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used."),
        Flag::string("since-time", "", "Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used."),
        Flag::int("tail", "-1", "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided."),
        Flag::bool("timestamps", "Include timestamps on each line in the log output"),
    ],
    run,
};

const EXPECTED: &str = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

/// Which log lines a request asks for (`PodLogOptions`).
struct Window {
    tail: i64,
    since: Option<crate::clock::Time>,
    limit_bytes: usize,
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let out = Output::default();
    // `--all-pods`: every pod of the object, each line prefixed.
    let mut implied = p.clone();
    if p.bool("all-pods") {
        implied.imply("prefix", "true");
    }
    let p = &implied;
    let selector = p.string("selector").filter(|s| !s.is_empty());
    let container = p.string("container").filter(|c| !c.is_empty());
    if selector.is_some() && !p.args.is_empty() {
        return out.fail("error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples");
    }
    let window = match window(ctx, p, selector.is_some()) {
        Ok(w) => w,
        Err(e) => return out.fail(e),
    };
    if let Some(sel) = selector {
        return by_selector(ctx, p, sel, container, &window);
    }
    match p.args.as_slice() {
        [one] => match one.split_once('/') {
            Some((kind, name)) if !matches!(kind, "pod" | "pods" | "po") => {
                by_controller(ctx, p, kind, name, container, &window)
            }
            Some((_, name)) => logs_of(ctx, p, name, container, &window),
            None => logs_of(ctx, p, one, container, &window),
        },
        // `kubectl logs POD CONTAINER`, the old form.
        [pod, c] if container.is_none() => logs_of(ctx, p, pod, Some(c.as_str()), &window),
        [_, _] => out.fail("error: only one of -c or an inline [CONTAINER] arg is allowed"),
        _ => out.fail(EXPECTED),
    }
}

/// `--tail`, `--since`, `--since-time`, `--limit-bytes`, checked as
/// kubectl's `Validate` does.
fn window(ctx: &Context<'_>, p: &Parsed, selector: bool) -> Result<Window, String> {
    let int = |k: &str| p.string(k).and_then(|s| s.parse::<i64>().ok());
    // With a selector kubectl asks for the last 10 lines unless told.
    let tail = int("tail")
        .filter(|_| p.is_set("tail"))
        .unwrap_or(if selector { 10 } else { -1 });
    if tail < -1 {
        return Err("error: --tail must be greater than or equal to -1".into());
    }
    let limit = int("limit-bytes").unwrap_or(0);
    if limit < 0 {
        return Err("error: --limit-bytes must be greater than 0".into());
    }
    if p.is_set("since") && p.is_set("since-time") {
        return Err("error: at most one of `sinceTime` or `sinceSeconds` may be specified".into());
    }
    let now = ctx.cluster.now();
    let mut since = None;
    if let Some(s) = p.string("since").filter(|_| p.is_set("since")) {
        let ms = crate::kubectl::flags::go_duration_ms(s).ok_or_else(|| {
            format!("error: invalid argument \"{s}\" for \"--since\" flag: time: invalid duration \"{s}\"\nSee 'kubectl logs --help' for usage.")
        })?;
        if ms < 0 {
            return Err("error: --since must be greater than 0".into());
        }
        // The kubelet counts whole seconds (`sinceSeconds`).
        since = Some(crate::clock::Time(now.0 - (ms + 999) / 1000 * 1000));
    }
    if let Some(s) = p.string("since-time").filter(|s| !s.is_empty()) {
        since = Some(crate::clock::Time::parse_rfc3339(s).ok_or_else(|| {
            format!("error: parsing time \"{s}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{s}\" as \"2006\"")
        })?);
    }
    Ok(Window {
        tail,
        since,
        limit_bytes: limit as usize,
    })
}

/// `kubectl logs -l SELECTOR`: every matching pod, one after the other
/// (all of them at once with `-f`, up to `--max-log-requests`).
fn by_selector(
    ctx: &mut Context<'_>,
    p: &Parsed,
    selector: &str,
    container: Option<&str>,
    window: &Window,
) -> Output {
    let mut out = Output::default();
    let ns = ctx.namespace.clone();
    let Some(res) = crate::api::resolve("pods") else {
        return out;
    };
    let pods = match ctx
        .cluster
        .apiserver
        .list_filtered(res, Some(&ns), Some(selector), None)
    {
        Ok(pods) => pods,
        Err(e) => return out.fail(e.kubectl_text()),
    };
    if pods.is_empty() {
        out.err(format!("No resources found in {ns} namespace.\n"));
        return out;
    }
    let streams: usize = pods
        .iter()
        .map(|pod| {
            if p.bool("all-containers") {
                all_containers(pod).len()
            } else {
                1
            }
        })
        .sum();
    let max = p
        .string("max-log-requests")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(5);
    if p.bool("follow") && streams > 1 && streams > max {
        return out.fail(format!("error: you are attempting to follow {streams} log streams, but maximum allowed concurrency is {max}, use --max-log-requests to increase the limit"));
    }
    for pod in pods {
        let name = crate::api::object::name(&pod).to_string();
        let one = logs_of(ctx, p, &name, container, window);
        let failed = one.status != 0;
        out.chunks.extend(one.chunks);
        if failed {
            out.status = 1;
            return out;
        }
    }
    out
}

/// `kubectl logs deploy/web` (rs/, job/, sts/, ds/, svc/): the first pod
/// of the object's selector, as kubectl's `GetFirstPod` sorts them.
fn by_controller(
    ctx: &mut Context<'_>,
    p: &Parsed,
    kind: &str,
    name: &str,
    container: Option<&str>,
    window: &Window,
) -> Output {
    let mut out = Output::default();
    let res = match super::common::resolve_type(kind) {
        Ok(r) => r,
        Err(e) => return out.fail(e),
    };
    let ns = ctx.namespace.clone();
    let obj = match ctx.cluster.apiserver.get(res, Some(&ns), name) {
        Ok(o) => o,
        Err(e) => return out.fail(e.kubectl_text()),
    };
    let selector = match (res.kind, crate::api::object::at(&obj, "spec.selector")) {
        ("Service" | "ReplicationController", Some(serde_json::Value::Object(m))) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join(","),
        ("Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job", Some(sel)) => {
            crate::kubectl::printers::selector_string(Some(sel))
        }
        _ => {
            return out.fail(format!(
                "error: cannot get the logs from {}",
                crate::api::object::str_at(&obj, "kind")
                    .map(|k| format!("*v1.{k}"))
                    .unwrap_or_else(|| res.kind.to_string())
            ))
        }
    };
    let Some(pods_res) = crate::api::resolve("pods") else {
        return out;
    };
    let mut pods = ctx
        .cluster
        .apiserver
        .list_filtered(pods_res, Some(&ns), Some(&selector), None)
        .unwrap_or_default();
    if pods.is_empty() {
        return out.fail("error: timed out waiting for the condition");
    }
    crate::sort::sort_by_key(&mut pods, |pod| {
        let str_at = |k: &str| crate::api::object::str_at(pod, k).unwrap_or("").to_string();
        let phase_rank = match str_at("status.phase").as_str() {
            "Running" => 0,
            "Unknown" => 1,
            "Pending" => 2,
            _ => 3,
        };
        (
            str_at("spec.nodeName").is_empty(),
            phase_rank,
            str_at("metadata.creationTimestamp"),
            str_at("metadata.name"),
        )
    });
    if p.bool("all-pods") {
        for pod in &pods {
            let name = crate::api::object::name(pod).to_string();
            let one = logs_of(ctx, p, &name, container, window);
            let failed = one.status != 0;
            out.chunks.extend(one.chunks);
            if failed {
                out.status = 1;
                return out;
            }
        }
        return out;
    }
    let first = crate::api::object::name(&pods[0]).to_string();
    if pods.len() > 1 {
        out.err(format!("Found {} pods, using pod/{first}\n", pods.len()));
    }
    let one = logs_of(ctx, p, &first, container, window);
    out.chunks.extend(one.chunks);
    out.status = one.status;
    out
}

/// The names of a pod's init and regular containers, in order.
fn all_containers(pod: &serde_json::Value) -> Vec<String> {
    ["spec.initContainers", "spec.containers"]
        .iter()
        .filter_map(|k| crate::api::object::at(pod, k).and_then(serde_json::Value::as_array))
        .flatten()
        .filter_map(|c| {
            c.get("name")
                .and_then(serde_json::Value::as_str)
                .map(String::from)
        })
        .collect()
}

fn logs_of(
    ctx: &mut Context<'_>,
    p: &Parsed,
    name: &str,
    container: Option<&str>,
    window: &Window,
) -> Output {
    let mut out = Output::default();
    let now = ctx.cluster.now();
    let ns = ctx.namespace.clone();
    let t = match server::target(&ctx.cluster.apiserver, &ns, name, container) {
        Ok(t) => t,
        Err(e) => return out.fail(e.kubectl_text()),
    };
    let containers: Vec<String> = if p.bool("all-containers") {
        all_containers(&t.pod)
    } else {
        if let Some(d) = &t.defaulted {
            out.err(format!("{d}\n"));
        }
        vec![t.container.clone()]
    };
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
                let lines: Vec<_> = lines
                    .into_iter()
                    .filter(|(at, _)| window.since.is_none_or(|s| *at >= s))
                    .collect();
                let skip = if window.tail >= 0 {
                    lines.len().saturating_sub(window.tail as usize)
                } else {
                    0
                };
                // `limitBytes` cuts the container's stream, prefix excluded.
                let mut budget = if window.limit_bytes > 0 {
                    window.limit_bytes
                } else {
                    usize::MAX
                };
                for (at, line) in lines.into_iter().skip(skip) {
                    if budget == 0 {
                        break;
                    }
                    let mut body = String::new();
                    if p.bool("timestamps") {
                        body.push_str(&format!("{} ", at.rfc3339_micro().replace('Z', "000Z")));
                    }
                    body.push_str(&line);
                    body.push('\n');
                    if body.len() > budget {
                        let mut cut = budget;
                        while !body.is_char_boundary(cut) {
                            cut -= 1;
                        }
                        body.truncate(cut);
                    }
                    budget -= body.len();
                    let mut text = String::new();
                    if p.bool("prefix") {
                        text.push_str(&format!("[pod/{name}/{c}] "));
                    }
                    text.push_str(&body);
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
