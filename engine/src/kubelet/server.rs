//! The kubelet's API on port 10250, as the apiserver proxies to it:
//! `containerLogs` (`kubectl logs`) and `exec` (`kubectl exec`). Errors are
//! in the words the apiserver returns them (kubectl prints them after
//! `Error from server (BadRequest): `).

use super::container::{self, RunCtx};
use super::env;
use super::runtime::Container;
use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::Time;
use crate::node::Machine;
use serde_json::Value;
use std::collections::BTreeMap;

/// Why a request to the kubelet failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// `Error from server (NotFound): pods "x" not found`.
    NotFound(String),
    /// `Error from server (BadRequest): …`.
    BadRequest(String),
    /// The kubelet does not answer (`Error from server: Get "https://…"`).
    Unreachable(String),
    /// A plain `error: …` from kubectl itself.
    Client(String),
}

impl Error {
    pub fn kubectl_text(&self) -> String {
        match self {
            Error::NotFound(m) => format!("Error from server (NotFound): {m}"),
            Error::BadRequest(m) => format!("Error from server (BadRequest): {m}"),
            Error::Unreachable(m) => format!("Error from server: {m}"),
            Error::Client(m) => format!("error: {m}"),
        }
    }
}

/// The pod, its node's machine, and the container name to use.
pub struct Target {
    pub pod: Value,
    pub container: String,
    /// `Defaulted container "a" out of: a, b` when there was a choice.
    pub defaulted: Option<String>,
}

/// Finds a pod and picks its container as kubectl does (`-c`, the
/// `kubectl.kubernetes.io/default-container` annotation, or the first).
pub fn target(
    api: &ApiServer,
    ns: &str,
    pod: &str,
    container: Option<&str>,
) -> Result<Target, Error> {
    let res = resolve("pods").ok_or_else(|| Error::NotFound(format!("pods {pod:?} not found")))?;
    let p = api
        .get(res, Some(ns), pod)
        .map_err(|_| Error::NotFound(format!("pods {pod:?} not found")))?;
    let names = |path: &str| -> Vec<String> {
        object::at(&p, path)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("name").and_then(Value::as_str).map(String::from))
            .collect()
    };
    let apps = names("spec.containers");
    let inits = names("spec.initContainers");
    let eph = names("spec.ephemeralContainers");
    if let Some(c) = container {
        if !apps.iter().chain(&inits).chain(&eph).any(|n| n == c) {
            return Err(Error::BadRequest(format!(
                "container {c} is not valid for pod {pod}"
            )));
        }
        return Ok(Target {
            pod: p,
            container: c.to_string(),
            defaulted: None,
        });
    }
    let annotated = object::str_at(
        &p,
        "metadata.annotations.kubectl\\.kubernetes\\.io/default-container",
    )
    .map(String::from)
    .or_else(|| {
        object::at(&p, "metadata.annotations")
            .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
            .and_then(Value::as_str)
            .map(String::from)
    })
    .filter(|a| apps.contains(a));
    let first = annotated
        .clone()
        .or_else(|| apps.first().cloned())
        .unwrap_or_default();
    let total = apps.len() + inits.len() + eph.len();
    let defaulted = (annotated.is_none() && total > 1).then(|| {
        let mut all: Vec<String> = apps.clone();
        all.extend(inits.iter().map(|i| format!("{i} (init)")));
        all.extend(eph.iter().map(|e| format!("{e} (ephem)")));
        format!("Defaulted container {first:?} out of: {}", all.join(", "))
    });
    Ok(Target {
        pod: p,
        container: first,
        defaulted,
    })
}

fn machine_of<'a>(
    machines: &'a mut BTreeMap<String, Machine>,
    pod: &Value,
    path: &str,
) -> Result<&'a mut Machine, Error> {
    let node = object::str_at(pod, "spec.nodeName").unwrap_or("");
    let m = machines.get_mut(node).ok_or_else(|| {
        Error::BadRequest(format!(
            "pod {} does not have a host assigned",
            object::name(pod)
        ))
    })?;
    if !m.kubelet_running {
        return Err(Error::Unreachable(format!(
            "Get \"https://{}:10250/{path}\": dial tcp {}:10250: connect: connection refused",
            m.ip, m.ip
        )));
    }
    Ok(m)
}

/// The container's status reason when it is waiting (for the errors).
fn waiting_reason(pod: &Value, name: &str) -> Option<String> {
    ["status.containerStatuses", "status.initContainerStatuses"]
        .iter()
        .filter_map(|p| object::at(pod, p).and_then(Value::as_array))
        .flatten()
        .find(|s| s.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|s| s.pointer("/state/waiting/reason"))
        .and_then(Value::as_str)
        .map(String::from)
}

/// `GET /containerLogs/ns/pod/container`: the log lines up to `now`.
pub fn logs(
    api: &ApiServer,
    machines: &mut BTreeMap<String, Machine>,
    t: &Target,
    previous: bool,
    now: Time,
) -> Result<Vec<(Time, String)>, Error> {
    let pod_name = object::name(&t.pod).to_string();
    let ns = object::namespace(&t.pod).unwrap_or("default").to_string();
    let c = &t.container;
    let path = format!("containerLogs/{ns}/{pod_name}/{c}");
    // A mirror pod's containers run under the static pod's hash.
    let uid = super::static_pods::kubelet_uid(&t.pod);
    let _ = api;
    if object::str_at(&t.pod, "spec.nodeName")
        .unwrap_or("")
        .is_empty()
    {
        // A pod on no node has no log location: the stream is empty.
        return Ok(Vec::new());
    }
    let m = machine_of(machines, &t.pod, &path)?;
    // Which instance, as the kubelet's `validateContainerLogStatus` picks it.
    let status = ["status.containerStatuses", "status.initContainerStatuses"]
        .iter()
        .filter_map(|p| object::at(&t.pod, p).and_then(Value::as_array))
        .flatten()
        .find(|s| s.get("name").and_then(Value::as_str) == Some(c.as_str()));
    let id_at = |p: &str| {
        status
            .and_then(|s| s.pointer(p))
            .and_then(Value::as_str)
            .map(|i| i.trim_start_matches("containerd://").to_string())
    };
    let id = if previous {
        id_at("/lastState/terminated/containerID")
    } else {
        id_at("/state/running/containerID")
            .or_else(|| id_at("/state/terminated/containerID"))
            .or_else(|| {
                status
                    .filter(|s| s.pointer("/state/running").is_some())
                    .and_then(|s| s.get("containerID"))
                    .and_then(Value::as_str)
                    .map(|i| i.trim_start_matches("containerd://").to_string())
            })
            .or_else(|| id_at("/lastState/terminated/containerID"))
    };
    let _ = &uid;
    let chosen: Option<&Container> =
        id.and_then(|id| m.runtime.containers.iter().find(|k| k.id == id));
    match chosen {
        Some(k) => Ok(k
            .logs_until(now)
            .into_iter()
            .map(|(t, l)| (t, l.to_string()))
            .collect()),
        None if previous => Err(Error::BadRequest(format!(
            "previous terminated container {c:?} in pod {pod_name:?} not found"
        ))),
        None => {
            let reason = waiting_reason(&t.pod, c).unwrap_or_else(|| "ContainerCreating".into());
            let why = match reason.as_str() {
                "ErrImagePull" | "ImagePullBackOff" => {
                    "trying and failing to pull image".to_string()
                }
                "PodInitializing" | "ContainerCreating" => reason,
                other => other.to_string(),
            };
            Err(Error::BadRequest(format!(
                "container {c:?} in pod {pod_name:?} is waiting to start: {why}"
            )))
        }
    }
}

/// What an exec'd command did.
pub struct ExecResult {
    pub output: String,
    pub code: i32,
}

/// `POST /exec/ns/pod/container`: runs the command in the container's
/// environment and files; its file changes stay in the container.
pub fn exec(
    machines: &mut BTreeMap<String, Machine>,
    t: &Target,
    argv: &[String],
    now: Time,
) -> Result<ExecResult, Error> {
    let pod_name = object::name(&t.pod).to_string();
    let ns = object::namespace(&t.pod).unwrap_or("default").to_string();
    let c = &t.container;
    // A mirror pod's containers run under the static pod's hash.
    let uid = super::static_pods::kubelet_uid(&t.pod);
    let path = format!("exec/{ns}/{pod_name}/{c}");
    let not_running = || {
        Error::Client(format!(
            "unable to upgrade connection: container not found ({c:?})"
        ))
    };
    if object::str_at(&t.pod, "spec.nodeName")
        .unwrap_or("")
        .is_empty()
    {
        return Err(not_running());
    }
    let m = machine_of(machines, &t.pod, &path)?;
    let Some(k) = m.runtime.latest(&uid, c).0.filter(|k| k.running()).cloned() else {
        return Err(not_running());
    };
    let ctx = RunCtx {
        argv: argv.to_vec(),
        start: now,
        ..k.ctx.clone()
    };
    let out = {
        let view = env::View::new(
            &m.fs,
            &k.mounts,
            &k.id,
            k.ctx.kind,
            &k.ctx.hostname,
            &k.ctx.pod_ip,
            &k.namespace,
        );
        container::run(&ctx, &view, 60_000)
    };
    if let Some(err) = out.start_error {
        let first = argv.first().cloned().unwrap_or_default();
        let detail = err
            .split_once("unable to start container process: ")
            .map(|(_, d)| d.to_string())
            .unwrap_or(err);
        let _ = first;
        return Err(Error::Client(format!(
            "Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{}\": OCI runtime exec failed: exec failed: unable to start container process: {detail}",
            &k.id
        )));
    }
    let rootfs = format!("{}/rootfs", env::task_dir(&k.id));
    for (_, op) in &out.ops {
        env::apply(&mut m.fs, &k.mounts, &rootfs, op);
    }
    let mut output = String::new();
    for (_, l) in &out.logs {
        output.push_str(l);
        output.push('\n');
    }
    Ok(ExecResult {
        output,
        code: out.exit.map(|e| e.1).unwrap_or(0),
    })
}
