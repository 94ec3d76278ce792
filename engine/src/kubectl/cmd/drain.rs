// Indexing is safe in this module: msgs[0] only when msgs.len() == 1.
#![allow(clippy::indexing_slicing)]
//! `kubectl cordon`, `uncordon` and `drain`. Drain cordons, sorts the
//! node's pods through kubectl's filters (DaemonSet-managed, mirror,
//! local storage, unreplicated — in that order, the first refusal wins),
//! refuses with the real aggregated message, or evicts the pods through
//! the eviction subresource and waits for them to go.

use super::common::{dry_run, print, DryRun};
use super::select::{select, Allow, Item};
use crate::api::{self, object};
use crate::clock::{Duration, Time};
use crate::kubectl::flags::{Flag, Parsed};
use crate::kubectl::{Command, Context, Job};
use crate::output::Output;
use serde_json::{json, Value};

pub const CORDON: Command = Command {
    name: "cordon",
    short: "Mark node as unschedulable",
    usage: "kubectl cordon NODE [options]",
    flags: &[
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
    ],
    run: run_cordon,
};

pub const UNCORDON: Command = Command {
    name: "uncordon",
    short: "Mark node as schedulable",
    usage: "kubectl uncordon NODE [options]",
    flags: &[
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
    ],
    run: run_uncordon,
};

pub const DRAIN: Command = Command {
    name: "drain",
    short: "Drain node in preparation for maintenance",
    usage: "kubectl drain NODE [options]",
    flags: &[
        Flag::int("chunk-size", "500", "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future."),
        Flag::bool("delete-emptydir-data", "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)."),
        Flag::bool("disable-eviction", "Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution."),
        Flag::string("dry-run", "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource."),
        Flag::bool("force", "Continue even if there are pods that do not declare a controller."),
        Flag::int("grace-period", "-1", "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used."),
        Flag::bool("ignore-daemonsets", "Ignore DaemonSet-managed pods."),
        Flag::string("pod-selector", "", "Label selector to filter pods on the node"),
        Flag::string("selector", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l'),
        Flag::int("skip-wait-for-delete-timeout", "0", "If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip."),
        Flag::duration("timeout", "0s", "The length of time to wait before giving up, zero means infinite"),
    ],
    run: run_drain,
};

fn run_cordon(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    match nodes(ctx, p, "cordon") {
        Ok(items) => {
            let dry = dry_run(p).unwrap_or(DryRun::None);
            if cordon(ctx, p, &items, true, dry, &mut out).is_err() {
                out.status = 1;
            }
            out
        }
        Err(e) => out.fail(e),
    }
}

fn run_uncordon(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    let mut out = Output::default();
    match nodes(ctx, p, "uncordon") {
        Ok(items) => {
            let dry = dry_run(p).unwrap_or(DryRun::None);
            if cordon(ctx, p, &items, false, dry, &mut out).is_err() {
                out.status = 1;
            }
            out
        }
        Err(e) => out.fail(e),
    }
}

/// The nodes named (one name, or `-l`).
fn nodes(ctx: &mut Context<'_>, p: &Parsed, verb: &str) -> Result<Vec<Item>, String> {
    dry_run(p)?;
    let selector = p.is_set("selector");
    if p.args.len() > 1 || (p.args.is_empty() && !selector) {
        return Err(format!(
            "error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples"
        ));
    }
    if !p.args.is_empty() && selector {
        return Err(format!("error: error: cannot specify both a node name and a --selector option\nSee 'kubectl {verb} -h' for help and examples"));
    }
    let mut args = vec!["nodes".to_string()];
    args.extend(p.args.iter().cloned());
    let sel = select(
        ctx,
        p,
        &args,
        Allow {
            selectors: true,
            bare_type: false,
            ..Allow::default()
        },
    )?;
    if let Some(e) = sel.errors.into_iter().next() {
        return Err(e);
    }
    Ok(sel.items)
}

fn cordon(
    ctx: &mut Context<'_>,
    p: &Parsed,
    items: &[Item],
    desired: bool,
    dry: DryRun,
    out: &mut Output,
) -> Result<(), ()> {
    let mut failed = false;
    for item in items {
        let current = object::at(&item.obj, "spec.unschedulable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let word = if desired { "cordon" } else { "uncordon" };
        if current == desired {
            print(out, p, &item.obj, &format!("already {word}ed"), dry);
            continue;
        }
        let mut obj = item.obj.clone();
        if desired {
            object::set(&mut obj, "spec.unschedulable", json!(true));
        } else if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("unschedulable");
        }
        if dry == DryRun::None {
            match ctx.cluster.apiserver.update(item.res, None, obj.clone()) {
                Ok(o) => obj = o,
                Err(e) => {
                    out.err(format!(
                        "error: unable to {word} node \"{}\": {}\n",
                        item.name,
                        e.message()
                    ));
                    failed = true;
                    continue;
                }
            }
        }
        print(out, p, &obj, &format!("{word}ed"), dry);
    }
    if failed {
        Err(())
    } else {
        Ok(())
    }
}

const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
const UNMANAGED_FATAL: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Okay,
    Skip,
    Warning(bool, String),
    Error(String),
}

impl Status {
    fn deletes(&self) -> bool {
        matches!(self, Status::Okay | Status::Warning(true, _))
    }
}

fn controller_of(pod: &Value) -> Option<(String, String)> {
    object::at(pod, "metadata.ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|r| {
            (
                object::str_at(r, "kind").unwrap_or("").to_string(),
                object::str_at(r, "name").unwrap_or("").to_string(),
            )
        })
}

fn finished(pod: &Value) -> bool {
    matches!(
        object::str_at(pod, "status.phase"),
        Some("Succeeded" | "Failed")
    )
}

/// kubectl's filter chain for one pod; the first status that does not
/// delete ends it.
fn filter(ctx: &Context<'_>, p: &Parsed, pod: &Value) -> Status {
    let ns = object::namespace(pod).unwrap_or("default");
    let filters: [&dyn Fn() -> Status; 4] = [
        &|| match controller_of(pod) {
            Some((kind, name)) if kind == "DaemonSet" && !finished(pod) => {
                let ds = api::resolve("daemonsets.apps");
                let exists =
                    ds.is_some_and(|r| ctx.cluster.apiserver.get(r, Some(ns), &name).is_ok());
                if !exists {
                    let msg = format!("daemonsets.apps \"{name}\" not found");
                    return if p.bool("force") {
                        Status::Warning(true, msg)
                    } else {
                        Status::Error(msg)
                    };
                }
                if p.bool("ignore-daemonsets") {
                    Status::Warning(false, DAEMONSET_WARNING.into())
                } else {
                    Status::Error(DAEMONSET_FATAL.into())
                }
            }
            _ => Status::Okay,
        },
        &|| {
            if object::at(pod, "metadata.annotations")
                .and_then(|a| a.get("kubernetes.io/config.mirror"))
                .is_some()
            {
                Status::Skip
            } else {
                Status::Okay
            }
        },
        &|| {
            let local = object::at(pod, "spec.volumes")
                .and_then(Value::as_array)
                .is_some_and(|vs| vs.iter().any(|v| v.get("emptyDir").is_some()));
            if !local || finished(pod) {
                Status::Okay
            } else if p.bool("delete-emptydir-data") {
                Status::Warning(true, LOCAL_STORAGE_WARNING.into())
            } else {
                Status::Error(LOCAL_STORAGE_FATAL.into())
            }
        },
        &|| {
            if finished(pod) || controller_of(pod).is_some() {
                Status::Okay
            } else if p.bool("force") {
                Status::Warning(true, UNMANAGED_WARNING.into())
            } else {
                Status::Error(UNMANAGED_FATAL.into())
            }
        },
    ];
    let mut status = Status::Okay;
    for f in filters {
        status = f();
        if !status.deletes() {
            break;
        }
    }
    status
}

/// Groups `ns/name` by message, in the order messages first appear.
fn grouped<'a>(items: impl Iterator<Item = (&'a str, String)>) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (msg, pod) in items {
        match groups.iter_mut().find(|(m, _)| m == msg) {
            Some((_, pods)) => pods.push(pod),
            None => groups.push((msg.to_string(), vec![pod])),
        }
    }
    groups
}

fn run_drain(ctx: &mut Context<'_>, p: &Parsed) -> Output {
    if let Some(Job::Drain(state)) = ctx.job.take() {
        return resume(ctx, p, state);
    }
    let mut out = Output::default();
    let items = match nodes(ctx, p, "drain") {
        Ok(i) => i,
        Err(e) => return out.fail(e),
    };
    let dry = dry_run(p).unwrap_or(DryRun::None);
    if cordon(ctx, p, &items, true, dry, &mut out).is_err() {
        out.status = 1;
        return out;
    }
    let Some(pods_res) = api::resolve("pods") else {
        return out.fail("error: the server doesn't have a resource type \"pods\"");
    };
    let mut remaining = Vec::new();
    let mut fatal: Vec<String> = Vec::new();
    let one = items.len() == 1;
    for node in &items {
        let pods = pods_on_node(ctx, p, pods_res, &node.name);
        let statuses: Vec<(Value, Status)> = pods
            .into_iter()
            .map(|pod| {
                let s = filter(ctx, p, &pod);
                (pod, s)
            })
            .collect();
        let id = |pod: &Value| {
            format!(
                "{}/{}",
                object::namespace(pod).unwrap_or(""),
                object::name(pod)
            )
        };
        let errors = grouped(statuses.iter().filter_map(|(pod, s)| match s {
            Status::Error(m) => Some((m.as_str(), id(pod))),
            _ => None,
        }));
        if !errors.is_empty() {
            let msgs: Vec<String> = errors
                .iter()
                .map(|(m, pods)| format!("cannot delete {m}: {}", pods.join(", ")))
                .collect();
            let joined = if msgs.len() == 1 {
                msgs[0].clone()
            } else {
                format!("[{}]", msgs.join(", "))
            };
            out.err(format!(
                "error: unable to drain node \"{}\" due to error: {joined}, continuing command...\n",
                node.name
            ));
            remaining.push(node.name.clone());
            fatal.extend(msgs);
            continue;
        }
        let warnings = grouped(statuses.iter().filter_map(|(pod, s)| match s {
            Status::Warning(_, m) => Some((m.as_str(), id(pod))),
            _ => None,
        }));
        if !warnings.is_empty() {
            let text: Vec<String> = warnings
                .iter()
                .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
                .collect();
            out.err(format!("Warning: {}\n", text.join("; ")));
        }
        let to_evict: Vec<&Value> = statuses
            .iter()
            .filter(|(_, s)| s.deletes())
            .map(|(pod, _)| pod)
            .collect();
        if dry == DryRun::Client {
            for pod in &to_evict {
                out.out(format!("evicting pod {} (dry run)\n", id(pod)));
            }
            print(&mut out, p, &node.obj, "drained", dry);
            continue;
        }
        let mut state = Evicting::new(ctx, p, node, &to_evict);
        let result = if ctx.interactive && one {
            // In the browser the drain holds the terminal and waits a
            // second a tick, for as long as it takes (or its --timeout).
            match look(ctx, p, pods_res, &mut state, &mut out) {
                Some(r) => r,
                None => {
                    ctx.job = Some(Job::Drain(state));
                    return out;
                }
            }
        } else {
            evict_and_wait(ctx, p, pods_res, &mut state, &mut out)
        };
        let done = Done {
            remaining: &mut remaining,
            fatal: &mut fatal,
            dry,
        };
        if !node_done(ctx, p, pods_res, &state, result, &mut out, done) {
            return out;
        }
    }
    report(&mut out, &remaining, &fatal);
    out
}

/// The drainer's list: the node's pods that match --pod-selector.
fn pods_on_node(
    ctx: &mut Context<'_>,
    p: &Parsed,
    pods_res: &api::Resource,
    node: &str,
) -> Vec<Value> {
    ctx.cluster
        .apiserver
        .list_filtered(
            pods_res,
            None,
            p.string("pod-selector").filter(|s| !s.is_empty()),
            Some(&format!("spec.nodeName={node}")),
        )
        .unwrap_or_default()
}

/// The drain job's next second: one more look at its pods.
fn resume(ctx: &mut Context<'_>, p: &Parsed, mut state: Evicting) -> Output {
    let mut out = Output::default();
    let Some(pods_res) = api::resolve("pods") else {
        return out.fail("error: the server doesn't have a resource type \"pods\"");
    };
    let Some(result) = look(ctx, p, pods_res, &mut state, &mut out) else {
        ctx.job = Some(Job::Drain(state));
        return out;
    };
    let (mut remaining, mut fatal) = (Vec::new(), Vec::new());
    let done = Done {
        remaining: &mut remaining,
        fatal: &mut fatal,
        dry: dry_run(p).unwrap_or(DryRun::None),
    };
    if node_done(ctx, p, pods_res, &state, result, &mut out, done) {
        report(&mut out, &remaining, &fatal);
    }
    out
}

/// Where `node_done` records an undrained node, and the dry-run mode.
struct Done<'a> {
    remaining: &'a mut Vec<String>,
    fatal: &'a mut Vec<String>,
    dry: DryRun,
}

/// What kubectl prints once a node's pods are gone (`drained`) or its
/// eviction failed; false when interrupted (nothing more is printed).
fn node_done(
    ctx: &mut Context<'_>,
    p: &Parsed,
    pods_res: &api::Resource,
    state: &Evicting,
    result: Result<(), Vec<String>>,
    out: &mut Output,
    done: Done<'_>,
) -> bool {
    match result {
        Ok(()) => {
            print(out, p, &state.node, "drained", done.dry);
            true
        }
        // Interrupted: nothing more is printed.
        Err(errs) if errs.is_empty() => false,
        Err(errs) => {
            // deleteOrEvictPodsSimple: what is left on the node.
            let joined = if errs.len() == 1 {
                errs.concat()
            } else {
                format!("[{}]", errs.join(", "))
            };
            let node = object::name(&state.node);
            let left: Vec<String> = pods_on_node(ctx, p, pods_res, node)
                .iter()
                .filter(|pod| filter(ctx, p, pod).deletes())
                .map(|pod| format!("pod/{}\n", object::name(pod)))
                .collect();
            if !left.is_empty() {
                out.err(format!(
                    "There are pending pods in node \"{node}\" when an error occurred: {joined}\n{}",
                    left.concat()
                ));
            }
            out.err(format!(
                "error: unable to drain node \"{node}\" due to error: {joined}, continuing command...\n"
            ));
            done.remaining.push(node.to_string());
            done.fatal.extend(errs);
            true
        }
    }
}

/// The nodes left undrained, and the errors that left them.
fn report(out: &mut Output, remaining: &[String], fatal: &[String]) {
    if !remaining.is_empty() {
        out.err("There are pending nodes to be drained:\n");
        for n in remaining {
            out.err(format!(" {n}\n"));
        }
        for m in fatal {
            out.err(format!("{m}\n"));
        }
        out.status = 1;
    }
}

/// `kubectl drain`'s eviction loop between two looks (plain data, so the
/// browser's drain job can hold it between ticks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evicting {
    /// The node drained.
    node: Value,
    /// Per pod: the next eviction attempt (None: waiting for it to go).
    pending: Vec<(Value, Option<Time>)>,
    /// The errors kubectl aggregates.
    errs: Vec<String>,
    /// When `--timeout` runs out (none: no limit).
    limit: Option<Time>,
}

impl Evicting {
    fn new(ctx: &Context<'_>, p: &Parsed, node: &Item, pods: &[&Value]) -> Self {
        let start = ctx.cluster.now();
        let timeout = timeout_ms(p);
        Evicting {
            node: node.obj.clone(),
            pending: pods.iter().map(|p| ((*p).clone(), Some(start))).collect(),
            errs: Vec::new(),
            limit: (timeout > 0).then(|| start + Duration::from_millis(timeout)),
        }
    }
}

/// `--timeout` in milliseconds (0: no limit).
fn timeout_ms(p: &Parsed) -> i64 {
    p.string("timeout")
        .and_then(crate::kubectl::flags::go_duration_ms)
        .unwrap_or(0)
}

/// `Helper.evictPods` (or `deletePods` with `--disable-eviction`) at once,
/// as `dinghy shell` runs it: looks a second apart until the pods are gone.
/// `Err` holds the errors kubectl aggregates.
fn evict_and_wait(
    ctx: &mut Context<'_>,
    p: &Parsed,
    pods_res: &api::Resource,
    state: &mut Evicting,
    out: &mut Output,
) -> Result<(), Vec<String>> {
    // A drain with no limit that never ends would never return here: after
    // 10 minutes it stops as if interrupted (^C). (In the browser it is a
    // job that waits until Ctrl-C.)
    const CAP: Duration = Duration::from_secs(600);
    let cap = ctx.cluster.now() + CAP;
    loop {
        let now = ctx.cluster.now();
        if let Some(result) = look(ctx, p, pods_res, state, out) {
            return result;
        }
        if state.limit.is_none() && now >= cap {
            out.status = 130;
            return Err(std::mem::take(&mut state.errs));
        }
        ctx.cluster.step(Duration::from_secs(1));
    }
}

/// One look of the eviction loop: every pod is evicted, a refusal (429, a
/// PodDisruptionBudget) retried every 5 s, then waited for until gone, all
/// under `--timeout`. The pods go at once, as kubectl's goroutines do.
/// `Some` when the loop has ended: `Err` holds the errors kubectl aggregates.
fn look(
    ctx: &mut Context<'_>,
    p: &Parsed,
    pods_res: &api::Resource,
    state: &mut Evicting,
    out: &mut Output,
) -> Option<Result<(), Vec<String>>> {
    let delete = p.bool("disable-eviction");
    let timeout = timeout_ms(p);
    let timeout_text = crate::kubelet::images::go_duration(timeout);
    let now = ctx.cluster.now();
    let timed_out = state.limit.is_some_and(|l| now >= l);
    let mut next = Vec::new();
    for (pod, attempt) in std::mem::take(&mut state.pending) {
        let (ns, name) = (
            object::namespace(&pod).unwrap_or("default").to_string(),
            object::name(&pod).to_string(),
        );
        match attempt {
            Some(at) if at <= now => {
                if !delete {
                    out.out(format!("evicting pod {ns}/{name}\n"));
                }
                if timed_out {
                    state.errs.push(format!("error when evicting pods/\"{name}\" -n \"{ns}\": global timeout reached: {timeout_text}"));
                    continue;
                }
                let r = if delete {
                    ctx.cluster.apiserver.delete_with(
                        pods_res,
                        Some(&ns),
                        &name,
                        Default::default(),
                        now,
                    )
                } else {
                    ctx.cluster.apiserver.evict(&ns, &name, now)
                };
                match r {
                    Ok(_) => next.push((pod, None)),
                    Err(e) if e.code() == 404 => {}
                    Err(e) if e.code() == 429 && !delete => {
                        out.err(format!(
                            "error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {}\n",
                            e.message()
                        ));
                        next.push((pod, Some(now + Duration::from_secs(5))));
                    }
                    Err(e) => state.errs.push(format!(
                        "error when evicting pods/\"{name}\" -n \"{ns}\": {}",
                        e.message()
                    )),
                }
            }
            Some(_) => next.push((pod, attempt)),
            None => {
                let gone = ctx
                    .cluster
                    .apiserver
                    .get(pods_res, Some(&ns), &name)
                    .map(|o| {
                        object::str_at(&o, "metadata.uid") != object::str_at(&pod, "metadata.uid")
                    })
                    .unwrap_or(true);
                if gone {
                    print(
                        out,
                        p,
                        &pod,
                        if delete { "deleted" } else { "evicted" },
                        DryRun::None,
                    );
                } else if timed_out {
                    // deletePods waits for all pods at once: one bare error.
                    let e = if delete {
                        "context deadline exceeded".to_string()
                    } else {
                        format!("error when waiting for pod \"{name}\" in namespace \"{ns}\" to terminate: context deadline exceeded")
                    };
                    if !state.errs.contains(&e) {
                        state.errs.push(e);
                    }
                } else {
                    next.push((pod, None));
                }
            }
        }
    }
    state.pending = next;
    // Evictions just made: let the cluster act before the first poll.
    if state.pending.iter().any(|(_, a)| a.is_none()) {
        ctx.cluster.settle();
    }
    if !state.pending.is_empty() {
        return None;
    }
    Some(if state.errs.is_empty() {
        Ok(())
    } else {
        Err(std::mem::take(&mut state.errs))
    })
}
