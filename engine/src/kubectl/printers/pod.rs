//! Pods: READY, STATUS, RESTARTS as `printPod` computes them.

use super::{arr, s, wide, Cell, Column, NAME};
use crate::api::object;
use crate::clock::Time;
use serde_json::Value;

/// The pod table. Only the [`Cell::OfPodAt`] cells (RESTARTS' `(5m ago)`,
/// AGE) read the clock: every other cell depends on the object alone,
/// which is what lets a listing keep them from one `get` to the next
/// (`rows_cache.rs`).
pub const POD: &[Column] = &[
    NAME,
    of_summary("READY", Cell::OfPod(ready)),
    of_summary("STATUS", Cell::OfPod(status)),
    of_summary("RESTARTS", Cell::OfPodAt(restarts)),
    of_summary("AGE", Cell::OfPodAt(age)),
    wide("IP", ip),
    wide("NODE", node),
    wide("NOMINATED NODE", nominated),
    wide("READINESS GATES", readiness_gates),
];

/// A column computed from the row's [`Summary`].
const fn of_summary(header: &'static str, cell: Cell) -> Column {
    Column {
        header,
        wide: false,
        is_name: false,
        cell,
    }
}

/// What `printPod` derives from a pod's status.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    pub ready: usize,
    pub total: usize,
    pub reason: String,
    pub restarts: i64,
    /// The latest `lastState.terminated.finishedAt` among the counted containers.
    pub last_restart: Option<Time>,
    /// `metadata.creationTimestamp`, `None` when unset or unreadable (AGE
    /// is then `<unknown>`).
    pub created: Option<Time>,
}

fn is_restartable_init(init_specs: &[Value], name: &str) -> bool {
    init_specs
        .iter()
        .any(|c| s(c, "name") == name && s(c, "restartPolicy") == "Always")
}

fn finished_at(c: &Value) -> Option<Time> {
    object::str_at(c, "lastState.terminated.finishedAt").and_then(Time::parse_rfc3339)
}

fn later(a: Option<Time>, b: Option<Time>) -> Option<Time> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn condition_true(conditions: &[Value], t: &str) -> bool {
    conditions
        .iter()
        .any(|c| s(c, "type") == t && s(c, "status") == "True")
}

/// Stands in for a missing `spec`, `status` or `state`: every field of it is missing.
static MISSING: Value = Value::Null;

/// The object at `key` of `v`, or [`MISSING`].
fn part<'a>(v: &'a Value, key: &str) -> &'a Value {
    object::at(v, key).unwrap_or(&MISSING)
}

/// `printPod`'s derivation. The pod's `spec` and `status` (and each
/// container status's `state`) are found once and read from there: a
/// listing summarizes every pod, and each dotted path would walk down
/// from the top again.
pub fn summarize(pod: &Value) -> Summary {
    let spec = part(pod, "spec");
    let status = part(pod, "status");
    let mut restarts = 0i64;
    let mut restartable_restarts = 0i64;
    let mut total = arr(spec, "containers").len();
    let mut ready = 0usize;
    let mut last_restart: Option<Time> = None;
    let mut last_restartable: Option<Time> = None;
    let phase = s(status, "phase");
    let status_reason = s(status, "reason");
    let mut reason = phase.to_string();
    if !status_reason.is_empty() {
        reason = status_reason.to_string();
    }
    let conditions = arr(status, "conditions");
    for c in conditions {
        if s(c, "type") == "PodScheduled" && s(c, "reason") == "SchedulingGated" {
            reason = "SchedulingGated".into();
        }
    }
    let init_specs = arr(spec, "initContainers");
    total += init_specs
        .iter()
        .filter(|c| s(c, "restartPolicy") == "Always")
        .count();

    let mut initializing = false;
    for (i, c) in arr(status, "initContainerStatuses").iter().enumerate() {
        restarts += super::int(c, "restartCount");
        last_restart = later(last_restart, finished_at(c));
        let restartable = is_restartable_init(init_specs, s(c, "name"));
        if restartable {
            restartable_restarts += super::int(c, "restartCount");
            last_restartable = later(last_restartable, finished_at(c));
        }
        let state = part(c, "state");
        let terminated = object::at(state, "terminated");
        let waiting_reason = s(state, "waiting.reason");
        if terminated.is_some() && super::int(state, "terminated.exitCode") == 0 {
            continue;
        }
        if restartable && object::at(c, "started").and_then(Value::as_bool) == Some(true) {
            if object::at(c, "ready").and_then(Value::as_bool) == Some(true) {
                ready += 1;
            }
            continue;
        }
        if terminated.is_some() {
            let r = s(state, "terminated.reason");
            reason = if r.is_empty() {
                let signal = super::int(state, "terminated.signal");
                if signal != 0 {
                    format!("Init:Signal:{signal}")
                } else {
                    format!("Init:ExitCode:{}", super::int(state, "terminated.exitCode"))
                }
            } else {
                format!("Init:{r}")
            };
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_true(conditions, "Initialized") {
        restarts = restartable_restarts;
        last_restart = last_restartable;
        let mut has_running = false;
        for c in arr(status, "containerStatuses").iter().rev() {
            restarts += super::int(c, "restartCount");
            last_restart = later(last_restart, finished_at(c));
            let state = part(c, "state");
            let waiting = s(state, "waiting.reason");
            let terminated = object::at(state, "terminated");
            let term_reason = s(state, "terminated.reason");
            if object::at(state, "waiting").is_some() && !waiting.is_empty() {
                reason = waiting.to_string();
            } else if terminated.is_some() && !term_reason.is_empty() {
                reason = term_reason.to_string();
            } else if terminated.is_some() {
                let signal = super::int(state, "terminated.signal");
                reason = if signal != 0 {
                    format!("Signal:{signal}")
                } else {
                    format!("ExitCode:{}", super::int(state, "terminated.exitCode"))
                };
            } else if object::at(c, "ready").and_then(Value::as_bool) == Some(true)
                && object::at(state, "running").is_some()
            {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(conditions, "Ready") {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }

    let deleting = object::at(pod, "metadata.deletionTimestamp").is_some_and(|v| !v.is_null());
    if deleting && status_reason == "NodeLost" {
        reason = "Unknown".into();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    let created = object::str_at(pod, "metadata.creationTimestamp")
        .filter(|t| !t.is_empty())
        .and_then(Time::parse_rfc3339);
    Summary {
        ready,
        total,
        reason,
        restarts,
        last_restart,
        created,
    }
}

fn ready(sum: &Summary) -> String {
    format!("{}/{}", sum.ready, sum.total)
}

fn status(sum: &Summary) -> String {
    sum.reason.clone()
}

fn restarts(sum: &Summary, now: Time) -> String {
    match sum.last_restart {
        Some(t) if sum.restarts != 0 => {
            format!("{} ({} ago)", sum.restarts, super::duration::human(now - t))
        }
        _ => sum.restarts.to_string(),
    }
}

/// AGE, as [`super::age`] prints it from the object.
fn age(sum: &Summary, now: Time) -> String {
    match sum.created {
        Some(t) => super::duration::human(now - t),
        None => "<unknown>".into(),
    }
}

fn or_none(v: &str) -> String {
    if v.is_empty() {
        "<none>".into()
    } else {
        v.to_string()
    }
}

fn ip(pod: &Value, _: Time) -> String {
    or_none(
        arr(pod, "status.podIPs")
            .first()
            .map(|p| s(p, "ip"))
            .unwrap_or(""),
    )
}

fn node(pod: &Value, _: Time) -> String {
    or_none(s(pod, "spec.nodeName"))
}

fn nominated(pod: &Value, _: Time) -> String {
    or_none(s(pod, "status.nominatedNodeName"))
}

fn readiness_gates(pod: &Value, _: Time) -> String {
    let gates = arr(pod, "spec.readinessGates");
    if gates.is_empty() {
        return "<none>".into();
    }
    let conditions = arr(pod, "status.conditions");
    let true_count = gates
        .iter()
        .filter(|g| {
            conditions
                .iter()
                .find(|c| s(c, "type") == s(g, "conditionType"))
                .is_some_and(|c| s(c, "status") == "True")
        })
        .count();
    format!("{true_count}/{}", gates.len())
}
