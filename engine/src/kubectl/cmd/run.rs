//! `kubectl run`: a pod from an image, with `--expose` for a ClusterIP
//! Service in front of it. There is no interactive attach in the
//! simulation: with `-i`/`-t` the pod is created, a command that ends soon
//! shows its output (as kubectl's attach falls back to the logs), and
//! kubectl's end-of-session lines are printed (`pod "x" deleted` with
//! `--rm`).

use super::common::{self, create_error, dry_run, print, usage_error, DryRun};
use crate::api;
use crate::clock::{Duration, Time};
use crate::controllers::util::{phase, pod_ready};
use crate::kubectl::flags::{go_duration_ms, Flag, Parsed};
use crate::kubectl::{Command, Context};
use crate::kubelet::server;
use crate::output::Output;
use serde_json::{json, Map, Value};

pub const COMMAND: Command = Command {
    name: "run",
    short: "Run a particular image on the cluster",
    usage: "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    // The deletion flags (--cascade, --force, --grace-period, --timeout,
    // --wait, -f/-k/-R) come with kubectl's DeleteFlags but run ignores
    // them: its --rm deletes with the pod's own grace period, no wait.
    flags: &[
        Flag::bool("allow-missing-template-keys", "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.").default("true").unsupported(),
        Flag::strings("annotations", "Annotations to apply to the pod."),
        Flag::bool("attach", "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned."),
        Flag::string("cascade", "background", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background."),
        Flag::bool("command", "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::strings("env", "Environment variables to set in the container."),
        Flag::bool("expose", "If true, create a ClusterIP service associated with the pod.  Requires `--port`."),
        Flag::string("field-manager", "kubectl-run", "Name of the manager used to track field ownership."),
        Flag::strings("filename", "to use to replace the resource.").short('f'),
        Flag::bool("force", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
        Flag::int("grace-period", "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
        Flag::string("image", "", "The image for the container to run."),
        Flag::string("image-pull-policy", "", "The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server."),
        Flag::string("kustomize", "", "Process a kustomization directory. This flag can't be used together with -f or -R.").short('k'),
        Flag::string("labels", "", "Comma separated labels to apply to the pod. Will override previous values.").short('l'),
        Flag::bool("leave-stdin-open", "If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.").unsupported(),
        Flag::string("output", "", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
        Flag::string("override-type", "merge", "The method used to override the generated object: json, merge, or strategic."),
        Flag::string("overrides", "", "An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field."),
        Flag::duration("pod-running-timeout", "1m0s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
        Flag::string("port", "", "The port that this container exposes."),
        Flag::bool("privileged", "If true, run the container in privileged mode."),
        Flag::bool("quiet", "If true, suppress prompt messages.").short('q'),
        Flag::bool("recursive", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
        Flag::string("restart", "Always", "The restart policy for this Pod.  Legal values [Always, OnFailure, Never]."),
        Flag::bool("rm", "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'."),
        Flag::bool("save-config", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
        Flag::bool("show-managed-fields", "If true, keep the managedFields when printing objects in JSON or YAML format.").unsupported(),
        Flag::bool("stdin", "Keep stdin open on the container in the pod, even if nothing is attached.").short('i'),
        Flag::string("template", "", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].").unsupported(),
        Flag::duration("timeout", "0s", "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
        Flag::bool("tty", "Allocate a TTY for the container in the pod.").short('t'),
        Flag::bool("wait", "If true, wait for resources to be gone before returning. This waits for finalizers."),
    ],
    run,
};

fn fail(msg: String) -> Output {
    Output::default().fail(msg)
}

/// `--overrides` applied as `--override-type` says (kubectl's
/// `cmdutil.Overrider`): a JSON merge patch, a strategic merge patch or an
/// RFC 6902 JSON patch of the generated object.
pub fn apply_overrides(obj: &mut Value, p: &Parsed) -> Result<(), String> {
    let Some(o) = p.string("overrides").filter(|o| !o.is_empty()) else {
        return Ok(());
    };
    let patch: Value =
        serde_json::from_str(o).map_err(|e| format!("error: Invalid JSON Patch: {e}"))?;
    match p.string("override-type").unwrap_or("merge") {
        "merge" => merge_patch(obj, &patch),
        "strategic" => {
            let kind = obj["kind"].as_str().unwrap_or("").to_string();
            *obj = crate::apiserver::strategic_merge(&kind, obj, &patch, &mut Vec::new());
        }
        "json" => {
            *obj = crate::apiserver::json_patch(obj, &patch)
                .map_err(|e| format!("error: {}", e.message()))?;
        }
        other => return Err(format!("error: invalid override type: {other}")),
    }
    Ok(())
}

/// RFC 7386 JSON merge patch (`--override-type=merge`).
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(pm) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(tm) = target {
        for (k, v) in pm {
            if v.is_null() {
                tm.remove(k);
            } else {
                merge_patch(tm.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

fn labels_from(spec: &str) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    for kv in spec.split(',') {
        match kv.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                m.insert(k.to_string(), json!(v));
            }
            _ => return Err(format!("error: unexpected label spec: {kv}")),
        }
    }
    Ok(m)
}

fn run(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let Some(name) = p.args.first().cloned() else {
        return fail(usage_error("NAME is required for run", "run"));
    };
    let image = match p.string("image") {
        Some(i) if !i.is_empty() => i.to_string(),
        _ => return fail("error: required flag(s) \"image\" not set".into()),
    };
    // cmdutil.GetPodRunningTimeoutFlag, read in Complete before the
    // restart policy is looked at.
    let pod_running_timeout = match go_duration_ms(p.string("pod-running-timeout").unwrap_or("1m"))
    {
        Some(ms) if ms > 0 => Duration::from_millis(ms),
        _ => {
            return fail(usage_error(
                "--pod-running-timeout must be higher than zero",
                "run",
            ))
        }
    };
    let restart = p.string("restart").unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return fail(usage_error(
            &format!("invalid restart policy: {restart}"),
            "run",
        ));
    }
    let interactive = p.bool("stdin") || p.bool("attach");
    if p.bool("tty") && !p.bool("stdin") {
        return fail(usage_error(
            "-i/--stdin is required for containers with -t/--tty=true",
            "run",
        ));
    }
    if p.bool("rm") && !interactive {
        return fail(usage_error(
            "--rm should only be used for attached containers",
            "run",
        ));
    }
    let dry = match dry_run(p) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    if dry != DryRun::None && (interactive || p.bool("tty")) {
        return fail(usage_error("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)", "run"));
    }
    if let Err(e) = common::check_output(p) {
        return fail(e);
    }
    let port = p.string("port").unwrap_or("");
    if p.bool("expose") && port.is_empty() {
        return fail(usage_error(
            "--port must be set when exposing a service",
            "run",
        ));
    }
    let port_n = if port.is_empty() {
        None
    } else {
        match port.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return fail(format!(
                    "error: strconv.Atoi: parsing {port:?}: invalid syntax"
                ))
            }
        }
    };
    let labels = match p.string("labels").filter(|l| !l.is_empty()) {
        Some(l) => match labels_from(l) {
            Ok(m) => m,
            Err(e) => return fail(e),
        },
        None => {
            let mut m = Map::new();
            m.insert("run".into(), json!(name));
            m
        }
    };
    let mut env = Vec::new();
    for e in p.strings("env") {
        let Some((k, v)) = e.split_once('=') else {
            return fail(format!("error: invalid env: {e}"));
        };
        env.push(json!({ "name": k, "value": v }));
    }
    let extra: Vec<String> = p
        .args
        .iter()
        .skip(1)
        .cloned()
        .chain(p.after_dashes.clone().unwrap_or_default())
        .collect();
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(image));
    if !extra.is_empty() {
        let field = if p.bool("command") { "command" } else { "args" };
        c.insert(field.into(), json!(extra));
    }
    if let Some(n) = port_n {
        c.insert("ports".into(), json!([{ "containerPort": n }]));
    }
    if !env.is_empty() {
        c.insert("env".into(), Value::Array(env));
    }
    c.insert("resources".into(), json!({}));
    if let Some(policy) = p.string("image-pull-policy").filter(|s| !s.is_empty()) {
        c.insert("imagePullPolicy".into(), json!(policy));
    }
    if p.bool("privileged") {
        c.insert("securityContext".into(), json!({ "privileged": true }));
    }
    if p.bool("stdin") {
        c.insert("stdin".into(), json!(true));
        if !p.bool("attach") || p.bool("rm") {
            c.insert("stdinOnce".into(), json!(true));
        }
    }
    if p.bool("tty") {
        c.insert("tty".into(), json!(true));
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    if p.is_set("namespace") {
        metadata.insert("namespace".into(), json!(ctx.namespace));
    }
    metadata.insert("creationTimestamp".into(), Value::Null);
    metadata.insert("labels".into(), Value::Object(labels.clone()));
    let annotations = p.strings("annotations");
    if !annotations.is_empty() {
        let mut a = Map::new();
        for kv in annotations {
            let (k, v) = kv.split_once('=').unwrap_or((&kv, ""));
            a.insert(k.to_string(), json!(v));
        }
        metadata.insert("annotations".into(), Value::Object(a));
    }
    let mut pod = json!({
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": Value::Object(metadata),
        "spec": {
            "containers": [Value::Object(c)],
            "restartPolicy": restart,
            "dnsPolicy": "ClusterFirst",
        },
        "status": {},
    });
    if let Err(e) = apply_overrides(&mut pod, p) {
        return fail(e);
    }
    let mut out = Output::default();
    if p.bool("expose") {
        let svc = json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": { "name": name, "creationTimestamp": null },
            "spec": {
                "ports": [{ "protocol": "TCP", "port": port_n, "targetPort": port_n }],
                "selector": Value::Object(labels),
            },
            "status": { "loadBalancer": {} },
        });
        if interactive {
            // run.go prints what it created only when it does not attach,
            // and an attached run goes on past a Service it failed to create.
            emit(ctx, p, dry, svc, &mut Output::default());
        } else if !emit(ctx, p, dry, svc, &mut out) {
            return out;
        }
        if !interactive && matches!(p.string("output"), Some("yaml")) {
            out.out("---\n");
        }
    }
    if interactive {
        let mut pod = pod;
        if dry != DryRun::Client {
            super::common::save_config(p, &mut pod);
        }
        return attach(ctx, p, pod, &name, pod_running_timeout, out);
    }
    // The second `---` before the pod is the YAML printer's own (it writes
    // one before every object but the first).
    emit(ctx, p, dry, pod, &mut out);
    out
}

/// Prints or creates one object; false if it failed (the error is in `out`).
fn emit(ctx: &mut Context<'_>, p: &Parsed, dry: DryRun, mut obj: Value, out: &mut Output) -> bool {
    // run annotates only what it sends (never on a client dry run).
    if dry != DryRun::Client {
        super::common::save_config(p, &mut obj);
    }
    if dry == DryRun::Client {
        print(out, p, &obj, "created", dry);
        return true;
    }
    let kind = crate::api::object::str_at(&obj, "kind").unwrap_or("");
    let Some(res) = api::for_kind("v1", kind) else {
        return false;
    };
    let ns = ctx.namespace.clone();
    let now = ctx.cluster.now();
    match ctx
        .cluster
        .apiserver
        .create(res, Some(&ns), common::strip_client_nulls(obj), now)
    {
        Ok(created) => {
            print(out, p, &created, "created", dry);
            true
        }
        Err(e) => {
            out.err(format!("{}\n", create_error(&e, None)));
            out.status = 1;
            false
        }
    }
}

/// How the pod `kubectl run --attach` waits for stands, read the way
/// kubectl's watch conditions read it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PodState {
    /// Gone (deleted while waiting).
    Gone,
    /// Not yet running and ready.
    Starting,
    /// Running with the Ready condition true: kubectl attaches.
    RunningAndReady,
    /// Phase Succeeded or Failed.
    Completed,
}

fn pod_state(pod: Option<&Value>) -> PodState {
    let Some(pod) = pod else {
        return PodState::Gone;
    };
    match phase(pod) {
        "Succeeded" | "Failed" => PodState::Completed,
        "Running" if pod_ready(pod) => PodState::RunningAndReady,
        _ => PodState::Starting,
    }
}

/// Whether the process an attached session follows has ended, and whether
/// its output is now the previous instance's (the container was started
/// again under restartPolicy Always or OnFailure).
fn process_ended(pod: &Value, container: &str) -> Option<bool> {
    if pod_state(Some(pod)) == PodState::Completed {
        return Some(false);
    }
    let c = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(container))?;
    if c.pointer("/state/terminated").is_some() {
        Some(false)
    } else if c.pointer("/lastState/terminated").is_some() {
        Some(true)
    } else {
        None
    }
}

/// How long an attached process is followed before the session is given
/// up: this simulation has no terminal to hold open for it, so a process
/// that keeps running (a shell, a server) ends the session after this.
const ATTACH_GRACE: Duration = Duration::from_secs(10);

/// `--attach` (the default with `-i`): run.go's attach path. The pod is
/// created, then kubectl waits up to --pod-running-timeout for it to be
/// running and ready (`podRunningAndReady`) and attaches, or shows its logs
/// if it has already completed; with restartPolicy Never or OnFailure it
/// then waits for the pod to finish and exits with the container's code.
/// `--rm` deletes what was created on the way out (a deferred call in
/// kubectl), so `pod "x" deleted` comes before any error.
///
/// The waits step the cluster from wakeup to wakeup (`step_until`), the
/// way a watch waits: a settle per simulated second made one `run -i` cost
/// seconds of real time over a large cluster.
fn attach(
    ctx: &mut Context<'_>,
    p: &Parsed,
    pod: Value,
    name: &str,
    pod_running_timeout: Duration,
    mut out: Output,
) -> Output {
    let Some(res) = api::resolve("pods") else {
        return out;
    };
    let ns = ctx.namespace.clone();
    let now = ctx.cluster.now();
    if let Err(e) =
        ctx.cluster
            .apiserver
            .create(res, Some(&ns), common::strip_client_nulls(pod), now)
    {
        out.err(format!("{}\n", create_error(&e, None)));
        out.status = 1;
        return out;
    }
    let error = attach_and_wait(ctx, p, res, &ns, name, pod_running_timeout, &mut out);
    if p.bool("rm") {
        if ctx.cluster.apiserver.delete(res, Some(&ns), name).is_ok() {
            out.out(format!("pod \"{name}\" deleted\n"));
        }
        if p.bool("expose") {
            if let Some(svc) = api::resolve("services") {
                if ctx.cluster.apiserver.delete(svc, Some(&ns), name).is_ok() {
                    out.out(format!("service \"{name}\" deleted\n"));
                }
            }
        }
    }
    if let Some((message, code)) = error {
        out.err(message);
        out.status = code;
    }
    out
}

/// The wait, attach and exit-code steps; returns the error kubectl would
/// print (with its exit code) after the deferred deletion.
fn attach_and_wait(
    ctx: &mut Context<'_>,
    p: &Parsed,
    res: &'static api::Resource,
    ns: &str,
    name: &str,
    timeout: Duration,
    out: &mut Output,
) -> Option<(String, i32)> {
    const TIMED_OUT: &str = "error: timed out waiting for the condition\n";
    // The watch conditions' NotFound for a deleted pod names no pod.
    const GONE: &str = "Error from server (NotFound): pods \"\" not found\n";
    let get = |cluster: &crate::cluster::Cluster| cluster.apiserver.get(res, Some(ns), name).ok();
    let state = |cluster: &crate::cluster::Cluster| pod_state(get(cluster).as_ref());
    if !ctx
        .cluster
        .step_until(timeout, |cluster| state(cluster) != PodState::Starting)
    {
        return Some((TIMED_OUT.into(), 1));
    }
    let restart = p.string("restart").unwrap_or("Always");
    match state(ctx.cluster) {
        PodState::Gone | PodState::Starting => return Some((GONE.into(), 1)),
        PodState::Completed => print_logs(ctx, ns, name, false, None, out),
        PodState::RunningAndReady => {
            // attach.go: the prompt hint, the session, and the reattach
            // hint for a pod that will start the process again.
            let quiet = p.bool("quiet");
            if !quiet {
                out.err("If you don't see a command prompt, try pressing enter.\n");
            }
            // The session sees what the process writes from now on (v1.33
            // shows no logs from before the attach).
            let attached_at = ctx.cluster.now();
            let followed = ctx.cluster.step_until(ATTACH_GRACE, |cluster| {
                get(cluster).is_some_and(|pod| process_ended(&pod, name).is_some())
            });
            let previous = get(ctx.cluster)
                .and_then(|pod| process_ended(&pod, name))
                .unwrap_or(false);
            print_logs(ctx, ns, name, previous, Some(attached_at), out);
            if !quiet && p.bool("stdin") && p.bool("tty") && restart == "Always" {
                out.out(format!(
                    "Session ended, resume using 'kubectl attach {name} -c {name} -i -t' command when the pod is running\n"
                ));
            }
            if !followed {
                // The process is still running: a real session would hold
                // the terminal until it ends; this one stops here.
                return None;
            }
        }
    }
    if !matches!(restart, "Never" | "OnFailure") {
        return None;
    }
    let succeeded_only = restart == "OnFailure";
    let finished = |cluster: &crate::cluster::Cluster| {
        get(cluster).is_none_or(|pod| match phase(&pod) {
            "Succeeded" => true,
            "Failed" => !succeeded_only,
            _ => false,
        })
    };
    if !ctx.cluster.step_until(timeout, finished) {
        return Some((TIMED_OUT.into(), 1));
    }
    let Some(pod) = get(ctx.cluster) else {
        return Some((GONE.into(), 1));
    };
    match phase(&pod) {
        "Succeeded" => None,
        "Failed" => {
            let terminated = pod.pointer("/status/containerStatuses/0/state/terminated");
            let code = terminated
                .and_then(|t| t.get("exitCode"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            match terminated {
                Some(t) if code != 0 => {
                    let field = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("");
                    let mut message = format!(
                        "pod {ns}/{name} terminated ({})\n{}",
                        field("reason"),
                        field("message")
                    );
                    if !message.ends_with('\n') {
                        message.push('\n');
                    }
                    Some((message, i32::try_from(code).unwrap_or(1)))
                }
                _ => Some((
                    format!("error: pod {ns}/{name} failed with unknown exit code\n"),
                    1,
                )),
            }
        }
        other => Some((format!("error: pod {ns}/{name} left in phase {other}\n"), 1)),
    }
}

/// The container's log, as kubectl's logOpts prints it.
fn print_logs(
    ctx: &mut Context<'_>,
    ns: &str,
    name: &str,
    previous: bool,
    after: Option<Time>,
    out: &mut Output,
) {
    let Ok(t) = server::target(&ctx.cluster.apiserver, ns, name, None) else {
        return;
    };
    let now = ctx.cluster.now();
    let cluster = &mut *ctx.cluster;
    if let Ok(lines) = server::logs(&cluster.apiserver, &mut cluster.machines, &t, previous, now) {
        for (at, l) in lines {
            if after.is_none_or(|a| at > a) {
                out.out(format!("{l}\n"));
            }
        }
    }
}
