//! The container runtime (containerd) of one node, as plain data kept on
//! the machine: the images it holds, the pod sandboxes and the containers
//! with what their processes do. The kubelet drives it; `crictl`,
//! `kubectl logs` and `kubectl exec` read it. Containers keep running when
//! the kubelet stops, as on a real node.

use super::container::{Outcome, RunCtx};
use crate::clock::{Duration, Time};
use std::collections::BTreeSet;

/// A pod sandbox (the pause container and the pod's network namespace).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sandbox {
    /// 64 hex characters.
    pub id: String,
    pub pod_uid: String,
    pub pod_name: String,
    pub namespace: String,
    pub attempt: u32,
    pub created: Time,
    pub ip: String,
    /// `SANDBOX_READY` until the kubelet stops it.
    pub ready: bool,
}

/// One container instance (an attempt of a container of a pod).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    /// 64 hex characters (the status shows `containerd://` + this).
    pub id: String,
    pub sandbox_id: String,
    pub pod_uid: String,
    pub pod_name: String,
    pub namespace: String,
    pub name: String,
    pub attempt: u32,
    /// The image as containerd names it (`docker.io/library/nginx:latest`).
    pub image: String,
    /// `docker.io/library/nginx@sha256:…`
    pub image_id: String,
    pub created: Time,
    pub started: Time,
    /// What the process was started with, to run it further.
    pub ctx: RunCtx,
    /// What the process does, computed up to `horizon` ms after `started`.
    pub outcome: Outcome,
    pub horizon: i64,
    /// How many of `outcome.ops` are applied to the node's files.
    pub ops_applied: usize,
    /// The container's volume mounts (for its file view).
    pub mounts: Vec<super::env::Mount>,
    /// SIGTERM sent at this time (a kill with a grace period).
    pub stop_requested: Option<(Time, Duration)>,
    /// The process ended: when, exit code, reason (`Completed`, `Error`,
    /// `OOMKilled`).
    pub exited: Option<(Time, i32, String)>,
    /// The runtime's message for a container that could not start.
    pub message: Option<String>,
    /// `resources.limits` as the cgroup enforces them.
    pub limits: super::usage::Limits,
}

impl Container {
    /// When the process exits by itself, if it does within its horizon.
    pub fn natural_exit(&self) -> Option<(Time, i32)> {
        self.outcome
            .exit
            .map(|(ms, code)| (self.started + Duration::from_millis(ms), code))
    }

    /// When a requested stop ends the process, and with which code:
    /// a SIGTERM handler exits 0; otherwise SIGKILL at the grace period's end.
    pub fn stop_exit(&self) -> Option<(Time, i32)> {
        let (at, grace) = self.stop_requested?;
        Some(match self.outcome.sigterm_exit {
            Some(ms) if ms <= grace.as_millis() => (at + Duration::from_millis(ms), 0),
            _ => (at + grace, 137),
        })
    }

    /// When the kernel's OOM killer ends the process (its memory outgrows
    /// the memory limit), if it does.
    pub fn oom_kill(&self) -> Option<Time> {
        self.limits
            .oom_after(super::usage::peak_memory(self), self.outcome.memory_extra)
            .map(|ms| self.started + Duration::from_millis(ms))
            .filter(|t| self.natural_exit().is_none_or(|(e, _)| *t < e))
    }

    /// The process's exit as seen at `now`, if it has exited by then.
    pub fn exit_by(&self, now: Time) -> Option<(Time, i32)> {
        if let Some((t, c, _)) = &self.exited {
            return Some((*t, *c));
        }
        let candidates = [
            self.natural_exit(),
            self.stop_exit(),
            self.oom_kill().map(|t| (t, 137)),
        ];
        candidates
            .into_iter()
            .flatten()
            .filter(|(t, _)| *t <= now)
            .min_by_key(|(t, _)| *t)
    }

    /// The log lines written by `now` (or by the exit).
    pub fn logs_until(&self, now: Time) -> Vec<(Time, &str)> {
        let end = self.exited.as_ref().map(|e| e.0).unwrap_or(now).min(now);
        self.outcome
            .logs
            .iter()
            .map(|(ms, l)| (self.started + Duration::from_millis(*ms), l.as_str()))
            .filter(|(t, _)| *t <= end)
            .collect()
    }

    pub fn running(&self) -> bool {
        self.exited.is_none()
    }
}

/// containerd's state on one node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Runtime {
    /// Image references present (`docker.io/library/nginx:latest`).
    pub images: BTreeSet<String>,
    pub sandboxes: Vec<Sandbox>,
    pub containers: Vec<Container>,
    /// What each metrics-server process on the node holds in memory, by
    /// container ID (gone with the process, as its scrapes are). Boxed,
    /// for the bundle's size (`maps::BoxedMap`).
    pub metrics: crate::maps::BoxedMap<crate::metrics::store::Store>,
}

impl Runtime {
    pub fn has_image(&self, reference: &str) -> bool {
        self.images.contains(reference)
    }

    /// The containers of a pod, oldest first.
    pub fn pod_containers<'a>(&'a self, pod_uid: &'a str) -> impl Iterator<Item = &'a Container> {
        self.containers.iter().filter(move |c| c.pod_uid == pod_uid)
    }

    /// The latest attempt of a pod's container, and the one before it.
    pub fn latest(&self, pod_uid: &str, name: &str) -> (Option<&Container>, Option<&Container>) {
        let mut v: Vec<&Container> = self
            .containers
            .iter()
            .filter(|c| c.pod_uid == pod_uid && c.name == name)
            .collect();
        crate::sort::sort_by_key(&mut v, |c| c.attempt);
        let last = v.pop();
        (last, v.pop())
    }

    pub fn container_mut(&mut self, id: &str) -> Option<&mut Container> {
        self.containers.iter_mut().find(|c| c.id == id)
    }

    pub fn sandbox(&self, pod_uid: &str) -> Option<&Sandbox> {
        self.sandboxes.iter().rev().find(|s| s.pod_uid == pod_uid)
    }

    /// Removes a pod's sandboxes and containers (garbage collection after
    /// the pod is gone).
    pub fn remove_pod(&mut self, pod_uid: &str) {
        self.sandboxes.retain(|s| s.pod_uid != pod_uid);
        self.containers.retain(|c| c.pod_uid != pod_uid);
    }
}
