// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The pod status the kubelet reports (`generateAPIPodStatus`): container
//! statuses from the runtime and the worker, the phase (`getPhase`), the
//! conditions in the kubelet's order, written through `pods/status` only
//! when something changed.

use super::runtime::Container;
use super::{cname, restart_policy, specs, Slot, Worker};
use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::Time;
use crate::node::Machine;
use serde_json::{json, Map, Value};

/// Everything a pod's status is computed from but the time: the pod object
/// (its resourceVersion, in the store the apiserver serves now), the
/// worker's slots, probe results, start time and address, the pod's
/// containers (an ID stands for everything fixed at creation; only the
/// exit changes later), its sandbox and the node's address. The time
/// enters only a condition whose status changes, and then the status is
/// written, which changes the pod: so a report from the same key as one
/// that wrote nothing would write nothing.
type Exit = (Time, i32, String);

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ReportKey {
    epoch: u64,
    resource_version: String,
    slots: Vec<(String, Slot)>,
    probes: Vec<(String, bool, bool)>,
    /// Each container's ID and exit (when, code, reason).
    containers: Vec<(String, Option<Exit>)>,
    sandbox: Option<bool>,
    seen: Time,
    ip: String,
    host_ip: String,
}

impl ReportKey {
    pub fn of(w: &Worker, api: &ApiServer, machine: &Machine, pod: &Value) -> Self {
        ReportKey {
            epoch: api.cache_epoch(),
            resource_version: object::str_at(pod, "metadata.resourceVersion")
                .unwrap_or("")
                .to_string(),
            slots: w
                .slots
                .iter()
                .map(|(k, v)| (k.clone(), (**v).clone()))
                .collect(),
            probes: w
                .probes
                .iter()
                .map(|(k, p)| (k.clone(), p.started, p.ready))
                .collect(),
            containers: machine
                .runtime
                .pod_containers(&w.uid)
                .map(|c| (c.id.clone(), c.exited.clone()))
                .collect(),
            sandbox: machine.runtime.sandbox(&w.uid).map(|s| s.ready),
            seen: w.seen,
            ip: w.ip.clone(),
            host_ip: machine.ip.clone(),
        }
    }
}

fn terminated(c: &Container) -> Option<Value> {
    let (t, code, reason) = c.exited.as_ref()?;
    let mut v = json!({
        "containerID": format!("containerd://{}", c.id),
        "exitCode": code,
        "finishedAt": t.rfc3339(),
        "reason": reason,
        "startedAt": c.started.rfc3339(),
    });
    if let Some(m) = &c.message {
        v["message"] = json!(m);
    }
    Some(v)
}

fn volume_mounts(spec: &Value) -> Option<Value> {
    let mounts = spec.get("volumeMounts").and_then(Value::as_array)?;
    Some(Value::Array(
        mounts
            .iter()
            .map(|m| {
                let mut v = json!({ "mountPath": m.get("mountPath").cloned().unwrap_or(Value::Null), "name": m.get("name").cloned().unwrap_or(Value::Null) });
                if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                    v["readOnly"] = json!(true);
                    v["recursiveReadOnly"] = json!("Disabled");
                }
                v
            })
            .collect(),
    ))
}

/// One container's status.
/// `has_inits`: the pod has init containers, so a container not created yet
/// waits as `PodInitializing` (the kubelet's default waiting state then).
fn container_status(
    w: &Worker,
    machine: &Machine,
    spec: &Value,
    init: bool,
    has_inits: bool,
) -> Value {
    let name = cname(spec);
    let (last, prev) = machine.runtime.latest(&w.uid, name);
    let slot = w.slots.get(name).map_or(Slot::Idle, |s| (**s).clone());
    let probe = w.probes.get(name);
    let mut st = Map::new();
    let waiting = |reason: &str, message: Option<&str>| {
        let mut v = json!({ "reason": reason });
        if let Some(m) = message {
            v["message"] = json!(m);
        }
        json!({ "waiting": v })
    };
    let (state, last_state) = match (&slot, last) {
        (
            Slot::PullFailed {
                reason, message, ..
            },
            l,
        ) => (waiting(reason, Some(message)), l.and_then(terminated)),
        (Slot::ConfigError { message, .. }, l) => (
            waiting("CreateContainerConfigError", Some(message)),
            l.and_then(terminated),
        ),
        (Slot::CrashBackOff { backoff, .. }, l) => (
            waiting(
                "CrashLoopBackOff",
                Some(&format!(
                    "back-off {}s restarting failed container={name} pod={}_{}({})",
                    backoff.as_secs(),
                    w.name,
                    w.namespace,
                    w.uid
                )),
            ),
            l.and_then(terminated),
        ),
        (_, Some(l)) if l.running() => (
            json!({ "running": { "startedAt": l.started.rfc3339() } }),
            prev.and_then(terminated),
        ),
        (Slot::Started | Slot::Done, Some(l)) => (
            json!({ "terminated": terminated(l) }),
            prev.and_then(terminated),
        ),
        (_, Some(l)) => (
            // Exited and about to be started again: the runtime still
            // reports the exited instance (`Error`, `Completed`).
            json!({ "terminated": terminated(l) }),
            prev.and_then(terminated),
        ),
        (_, None) => (
            if init || has_inits {
                waiting("PodInitializing", None)
            } else {
                waiting("ContainerCreating", None)
            },
            None,
        ),
    };
    let running = state.get("running").is_some();
    let sidecar = spec.get("restartPolicy").and_then(Value::as_str) == Some("Always");
    let started = running && probe.is_none_or(|p| p.started);
    let ready = if init && !sidecar {
        state
            .pointer("/terminated/exitCode")
            .and_then(Value::as_i64)
            == Some(0)
    } else {
        started && probe.is_none_or(|p| p.ready)
    };
    if let Some(l) = last {
        st.insert(
            "containerID".into(),
            json!(format!("containerd://{}", l.id)),
        );
        st.insert("image".into(), json!(l.image));
        st.insert("imageID".into(), json!(l.image_id));
    } else {
        st.insert(
            "image".into(),
            spec.get("image").cloned().unwrap_or(Value::Null),
        );
        st.insert("imageID".into(), json!(""));
    }
    st.insert(
        "lastState".into(),
        match last_state {
            Some(t) => json!({ "terminated": t }),
            None => json!({}),
        },
    );
    st.insert("name".into(), json!(name));
    st.insert("ready".into(), json!(ready));
    st.insert(
        "restartCount".into(),
        json!(last.map(|l| l.attempt).unwrap_or(0)),
    );
    st.insert("started".into(), json!(started));
    st.insert("state".into(), state);
    if let Some(m) = volume_mounts(spec) {
        st.insert("volumeMounts".into(), m);
    }
    Value::Object(st)
}

/// `getPhase`.
fn phase(
    pod: &Value,
    inits: &[Value],
    init_statuses: &[Value],
    statuses: &[Value],
) -> &'static str {
    let policy = restart_policy(pod);
    let mut pending_init = 0;
    for (spec, s) in inits.iter().zip(init_statuses) {
        let sidecar = spec.get("restartPolicy").and_then(Value::as_str) == Some("Always");
        if sidecar {
            if s.get("started").and_then(Value::as_bool) != Some(true) {
                pending_init += 1;
            }
            continue;
        }
        match s
            .pointer("/state/terminated/exitCode")
            .and_then(Value::as_i64)
        {
            Some(0) => {}
            Some(_) if policy == "Never" => return "Failed",
            _ => pending_init += 1,
        }
    }
    if pending_init > 0 {
        return "Pending";
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for s in statuses {
        if s.pointer("/state/running").is_some() {
            running += 1;
        } else if let Some(code) = s
            .pointer("/state/terminated/exitCode")
            .and_then(Value::as_i64)
        {
            stopped += 1;
            if code == 0 {
                succeeded += 1;
            }
        } else if s.pointer("/lastState/terminated").is_some() {
            stopped += 1;
        } else {
            waiting += 1;
        }
    }
    if waiting > 0 {
        "Pending"
    } else if running > 0 {
        "Running"
    } else if stopped > 0 {
        if policy == "Always" {
            "Running"
        } else if stopped == succeeded {
            "Succeeded"
        } else if policy == "Never" {
            "Failed"
        } else {
            "Running"
        }
    } else {
        "Pending"
    }
}

fn condition(
    old: &[Value],
    type_: &str,
    ok: bool,
    reason: Option<&str>,
    message: Option<String>,
    now: Time,
) -> Value {
    let status = if ok { "True" } else { "False" };
    let since = old
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
        .filter(|c| c.get("status").and_then(Value::as_str) == Some(status))
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or_else(|| json!(now.rfc3339()));
    let mut c = json!({ "lastProbeTime": null, "lastTransitionTime": since, "status": status, "type": type_ });
    if !ok {
        if let Some(r) = reason {
            c["reason"] = json!(r);
        }
        if let Some(m) = message {
            c["message"] = json!(m);
        }
    }
    c
}

/// Computes the pod's status and writes it if it changed (the status
/// manager's `SetPodStatus`). Returns the [`ReportKey`] from which a
/// report would write nothing, to skip the next one from the same inputs:
/// `key` when the status was already as computed; after a write, `key` at
/// the written object's resourceVersion, as the status manager compares
/// its next status with the one it last set: the pod as written holds
/// exactly that status, and the status computed from it with the same
/// other inputs is that status again (each condition's time is the old
/// one's while its status stays). `None` when it cannot tell (the write
/// failed).
pub(super) fn report(
    w: &Worker,
    api: &mut ApiServer,
    machine: &Machine,
    pod: &Value,
    now: Time,
    key: ReportKey,
) -> Option<ReportKey> {
    let status = status(w, machine, pod, now);
    if pod.get("status") == Some(&status) {
        return Some(key);
    }
    let res = resolve("pods")?;
    // The body: the status, and what else `pods/status` takes of it (the
    // labels and annotations, as they are); no resourceVersion, so no
    // precondition. A copy of the whole pod was made for these before.
    let mut meta = Map::new();
    for k in ["name", "namespace", "labels", "annotations"] {
        if let Some(v) = pod.get("metadata").and_then(|m| m.get(k)) {
            meta.insert(k.into(), v.clone());
        }
    }
    let body = json!({ "metadata": meta, "status": status });
    let written = api.update_status(res, Some(&w.namespace), body).ok()?;
    // `pods/status` keeps the stored spec: the status was computed from
    // it unless the cached pod was behind the store.
    (written.get("spec") == pod.get("spec")).then(|| ReportKey {
        resource_version: object::str_at(&written, "metadata.resourceVersion")
            .unwrap_or("")
            .to_string(),
        ..key
    })
}

/// The pod's status as the kubelet computes it now (`generateAPIPodStatus`).
pub(super) fn status(w: &Worker, machine: &Machine, pod: &Value, now: Time) -> Value {
    let (inits, apps) = specs(pod);
    let init_statuses: Vec<Value> = inits
        .iter()
        .map(|c| container_status(w, machine, c, true, true))
        .collect();
    let statuses: Vec<Value> = apps
        .iter()
        .map(|c| container_status(w, machine, c, false, !inits.is_empty()))
        .collect();
    let phase = phase(pod, inits, &init_statuses, &statuses);
    let old: Vec<Value> = object::at(pod, "status.conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let sandbox_ready = machine.runtime.sandbox(&w.uid).is_some_and(|s| s.ready)
        && !matches!(phase, "Succeeded" | "Failed");
    let incomplete: Vec<&str> = inits
        .iter()
        .zip(&init_statuses)
        .filter(|(spec, s)| {
            let sidecar = spec.get("restartPolicy").and_then(Value::as_str) == Some("Always");
            if sidecar {
                s.get("started").and_then(Value::as_bool) != Some(true)
            } else {
                s.pointer("/state/terminated/exitCode")
                    .and_then(Value::as_i64)
                    != Some(0)
            }
        })
        .map(|(spec, _)| cname(spec))
        .collect();
    let initialized = incomplete.is_empty();
    let unready: Vec<&str> = inits
        .iter()
        .zip(&init_statuses)
        .filter(|(spec, _)| spec.get("restartPolicy").and_then(Value::as_str) == Some("Always"))
        .chain(apps.iter().zip(&statuses))
        .filter(|(_, s)| s.get("ready").and_then(Value::as_bool) != Some(true))
        .map(|(spec, _)| cname(spec))
        .collect();
    let containers_ready = unready.is_empty();
    let (ready_reason, ready_message) = if phase == "Succeeded" {
        ("PodCompleted", None)
    } else if !initialized {
        (
            "ContainersNotInitialized",
            Some(format!(
                "containers with incomplete status: [{}]",
                incomplete.join(" ")
            )),
        )
    } else {
        (
            "ContainersNotReady",
            Some(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            )),
        )
    };
    let scheduled_since = old
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"))
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or_else(|| json!(w.seen.rfc3339()));
    let mut scheduled = condition(&old, "PodScheduled", true, None, None, now);
    scheduled["lastTransitionTime"] = scheduled_since;
    let conditions = vec![
        condition(
            &old,
            "PodReadyToStartContainers",
            sandbox_ready,
            None,
            None,
            now,
        ),
        condition(
            &old,
            "Initialized",
            initialized,
            Some("ContainersNotInitialized"),
            (!initialized).then(|| {
                format!(
                    "containers with incomplete status: [{}]",
                    incomplete.join(" ")
                )
            }),
            now,
        ),
        condition(
            &old,
            "Ready",
            containers_ready && initialized && phase != "Succeeded",
            Some(ready_reason),
            ready_message.clone(),
            now,
        ),
        condition(
            &old,
            "ContainersReady",
            containers_ready && phase != "Succeeded",
            Some(ready_reason),
            ready_message,
            now,
        ),
        scheduled,
    ];
    let host_ip = machine.ip.clone();
    // The lists go in as they are: `json!` would copy each (through
    // `to_value`) only to drop the original.
    let mut status = json!({
        "conditions": null,
        "hostIP": host_ip,
        "hostIPs": [{ "ip": host_ip }],
        "phase": phase,
        "qosClass": pod.pointer("/status/qosClass").cloned().unwrap_or(json!("BestEffort")),
        "startTime": w.seen.rfc3339(),
    });
    status["conditions"] = Value::Array(conditions);
    if !statuses.is_empty() {
        status["containerStatuses"] = Value::Array(statuses);
    }
    if !init_statuses.is_empty() {
        status["initContainerStatuses"] = Value::Array(init_statuses);
    }
    if machine.runtime.sandbox(&w.uid).is_some() {
        status["podIP"] = json!(w.ip);
        status["podIPs"] = json!([{ "ip": w.ip }]);
    }
    if let Some(n) = pod.pointer("/status/nominatedNodeName") {
        status["nominatedNodeName"] = n.clone();
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubelet::runtime::Sandbox;

    #[test]
    fn the_report_key_moves_with_every_input_of_the_status() {
        let api = ApiServer::new(1);
        let mut machine = Machine::new("node01", "192.168.100.11", false);
        let mut w = Worker {
            uid: "u1".into(),
            namespace: "default".into(),
            name: "web".into(),
            seen: Time::EPOCH,
            sandbox_at: Time::EPOCH,
            ip: "10.244.1.2".into(),
            slots: [("web".to_string(), Box::new(Slot::Started))]
                .into_iter()
                .collect(),
            killing: false,
            probes: std::collections::BTreeMap::new(),
            mounts: Default::default(),
            reported: None,
        };
        let pod = json!({"metadata": {"name": "web", "resourceVersion": "7"}});
        let key = |w: &Worker, m: &Machine, p: &Value| ReportKey::of(w, &api, m, p);
        let first = key(&w, &machine, &pod);
        assert_eq!(key(&w, &machine, &pod), first, "same inputs, same key");
        // The pod object changed (its status written, say).
        let newer = json!({"metadata": {"name": "web", "resourceVersion": "8"}});
        assert_ne!(key(&w, &machine, &newer), first);
        // The sandbox came up, then stopped.
        machine.runtime.sandboxes.push(Sandbox {
            id: "s".into(),
            pod_uid: "u1".into(),
            pod_name: "web".into(),
            namespace: "default".into(),
            attempt: 0,
            created: Time::EPOCH,
            ip: w.ip.clone(),
            ready: true,
        });
        let up = key(&w, &machine, &pod);
        assert_ne!(up, first);
        if let Some(s) = machine.runtime.sandboxes.first_mut() {
            s.ready = false;
        }
        assert_ne!(key(&w, &machine, &pod), up);
        // A probe result flipped.
        let before = key(&w, &machine, &pod);
        w.probes.insert("web".into(), Default::default());
        let probed = key(&w, &machine, &pod);
        assert_ne!(probed, before);
        if let Some(p) = w.probes.get_mut("web") {
            p.ready = true;
        }
        assert_ne!(key(&w, &machine, &pod), probed);
        // The container's slot moved on.
        let before = key(&w, &machine, &pod);
        w.slots.insert("web".into(), Box::new(Slot::Done));
        assert_ne!(key(&w, &machine, &pod), before);
    }
}
