//! The node lifecycle controller (`pkg/controller/nodelifecycle`) and the
//! taint eviction controller (`pkg/controller/tainteviction`).
//!
//! A kubelet proves it is alive by renewing its Lease in `kube-node-lease`
//! (and by posting node status). When neither has happened for
//! `--node-monitor-grace-period` (50 s in v1.33), the node's conditions turn
//! `Unknown` ("Kubelet stopped posting node status."), its pods are marked
//! not ready, and it gets the `node.kubernetes.io/unreachable` taints (a
//! kubelet reporting `Ready=False` gets `not-ready` instead). A cordoned node
//! gets `node.kubernetes.io/unschedulable:NoSchedule`. The taint eviction
//! controller then deletes the pods that do not tolerate the `NoExecute`
//! taint, each when its `tolerationSeconds` (300 s from the
//! DefaultTolerationSeconds admission) run out.

pub mod eviction;

use super::util::{self, event};
use crate::api::object;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// `--node-monitor-grace-period`, v1.33's default.
pub const NODE_MONITOR_GRACE_PERIOD: Duration = Duration::from_secs(50);
/// `--node-monitor-period`: how often the controller looks at the nodes.
pub const NODE_MONITOR_PERIOD: Duration = Duration::from_secs(5);

pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

const COMPONENT: &str = "node-controller";

/// The conditions a silent kubelet's node has set to `Unknown`.
const CONDITIONS: [&str; 4] = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

#[derive(Debug, Default)]
pub struct NodeLifecycleController {
    wakeup: Option<Time>,
    /// The apiserver's change count its last sync started from: the nodes
    /// and Leases changed since are the ones to look at again (the real
    /// controller's informers deliver those; its monitor loop then reads
    /// every node, but a node whose Node and Lease did not change and whose
    /// grace period has not run out would come out the same). `None`
    /// before the first sync: every node is looked at.
    seen: Option<u64>,
    /// Per node, when its last look said to look again with nothing
    /// changed: when its silence will be noticed, or (a node already lost)
    /// at every sync. A node without a Lease waits for a change. (Read
    /// whole for the nodes due and the wake-up: a cluster has few nodes,
    /// and a second map by time would be one more copy of `BTreeMap`'s
    /// code in the wasm bundle, issue 11; boxed for the same reason,
    /// `maps::BoxedMap`.)
    next: crate::maps::BoxedMap<Time>,
}

impl NodeLifecycleController {
    pub fn new() -> Self {
        Self::default()
    }
}

/// The first monitor tick at or after `t` (ticks every 5 s from the epoch).
fn tick_at_or_after(t: Time) -> Time {
    let p = NODE_MONITOR_PERIOD.as_millis();
    let since = t.0 - Time::EPOCH.0;
    Time(Time::EPOCH.0 + (since + p - 1).div_euclid(p) * p)
}

fn time_at(v: Option<&Value>) -> Option<Time> {
    v.and_then(Value::as_str).and_then(Time::parse_rfc3339)
}

/// The node's last sign of life: its Lease's renewal or its Ready
/// condition's heartbeat, whichever is later. `None` while the node has
/// no Lease: its kubelet has not started monitoring yet.
pub fn last_heartbeat(api: &crate::apiserver::ApiServer, node: &Value) -> Option<Time> {
    let lease = util::get_shared(api, "leases", Some("kube-node-lease"), object::name(node))?;
    let renew = time_at(object::at(&lease, "spec.renewTime"));
    let posted = util::condition(node, "Ready").and_then(|c| time_at(c.get("lastHeartbeatTime")));
    match (renew, posted) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

fn taints(node: &Value) -> Vec<Value> {
    object::at(node, "spec.taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn is_taint(t: &Value, key: &str, effect: &str) -> bool {
    t.get("key").and_then(Value::as_str) == Some(key)
        && t.get("effect").and_then(Value::as_str) == Some(effect)
}

impl Component for NodeLifecycleController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let count = ctx.api.change_count();
        match self.changed_since_last(ctx) {
            Some(names) => {
                // Changed or due, in name order (the full walk's order).
                let due = self.next.iter().filter(|(_, t)| ***t <= ctx.now);
                let mut names = names;
                names.extend(due.map(|(n, _)| n.clone()));
                for name in &names {
                    let node = util::get_shared(ctx.api, "nodes", None, name);
                    self.look(ctx, name, node);
                }
                #[cfg(test)]
                self.check_skipped(ctx, &names);
            }
            None => {
                self.next.clear();
                for node in util::list(ctx.api, "nodes", None) {
                    let name = object::name(&node).to_string();
                    self.look(ctx, &name, Some(node));
                }
            }
        }
        self.seen = Some(count);
        self.wakeup = self
            .next
            .values()
            .map(|t| **t)
            .filter(|t| *t > ctx.now)
            .min();
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }
}

impl NodeLifecycleController {
    /// The names of the nodes whose Node or Lease (in `kube-node-lease`)
    /// changed since the last sync; `None` when every node must be looked
    /// at (the first sync, a journal that no longer reaches that far back,
    /// a restored store).
    fn changed_since_last(&self, ctx: &SyncContext<'_>) -> Option<BTreeSet<String>> {
        let since = self.seen?;
        let mut names = BTreeSet::new();
        let known = ctx.api.any_change_since(since, |change| {
            let name = match change.segment() {
                "minions" => change.key.rsplit('/').next(),
                "leases" => change
                    .key
                    .strip_prefix("/registry/leases/kube-node-lease/")
                    .filter(|n| !n.contains('/')),
                _ => None,
            };
            names.extend(name.map(String::from));
            false
        });
        known.map(|_| names)
    }

    /// Looks at the node `name` (gone: `None`) and files when to look
    /// again.
    fn look(&mut self, ctx: &mut SyncContext<'_>, name: &str, node: Option<Arc<Value>>) {
        self.next.remove(name);
        let Some(node) = node else { return };
        if let Some(t) = self.sync_node(ctx, node) {
            self.next.insert(name.to_string(), Box::new(t));
        }
    }

    /// `node` is the watch cache's: copied only to be written. Returns
    /// when to look at it again with nothing changed: when its silence
    /// will be noticed, or now (a lost node: at every sync, as before).
    fn sync_node(&mut self, ctx: &mut SyncContext<'_>, node: Arc<Value>) -> Option<Time> {
        let name = object::name(&node).to_string();
        let mut node = node;
        let mut next = None;
        if let Some(beat) = last_heartbeat(ctx.api, &node) {
            let deadline = beat + NODE_MONITOR_GRACE_PERIOD;
            // The controller notices at its next monitor tick after the deadline.
            let noticed = tick_at_or_after(deadline);
            if ctx.now >= noticed {
                node = self.mark_unknown(ctx, node);
                next = Some(ctx.now);
            } else {
                next = Some(noticed);
            }
        }
        self.taint(ctx, &name, &node);
        next
    }

    /// Test builds: every node the sync did not look at (not changed, not
    /// due) would have come out the same: no write, request or event, and
    /// the same time to look again.
    #[cfg(test)]
    fn check_skipped(&mut self, ctx: &mut SyncContext<'_>, looked: &BTreeSet<String>) {
        for node in util::list(ctx.api, "nodes", None) {
            let name = object::name(&node).to_string();
            if looked.contains(&name) {
                continue;
            }
            let before = util::Footprint::of(ctx);
            let next = self.sync_node(ctx, node);
            assert_eq!(
                before,
                util::Footprint::of(ctx),
                "node-controller skipped {name}, but a look would have written"
            );
            assert_eq!(
                next,
                self.next.get(&name).map(|t| **t),
                "node-controller skipped {name}, but would look again at another time"
            );
        }
    }

    /// Turns the node's conditions `Unknown` (once), marks its pods not
    /// ready and says so.
    #[allow(clippy::indexing_slicing)] // serde_json::Value: a missing key reads as Null; writes go into JSON objects (built here or from the store)
    fn mark_unknown(&mut self, ctx: &mut SyncContext<'_>, node: Arc<Value>) -> Arc<Value> {
        let was_ready = util::condition_true(&node, "Ready");
        let mut conds: Vec<Value> = object::at(&node, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut changed = false;
        for c in conds.iter_mut() {
            let t = c.get("type").and_then(Value::as_str).unwrap_or("");
            if CONDITIONS.contains(&t) && c.get("status").and_then(Value::as_str) != Some("Unknown")
            {
                c["status"] = json!("Unknown");
                c["reason"] = json!("NodeStatusUnknown");
                c["message"] = json!("Kubelet stopped posting node status.");
                c["lastTransitionTime"] = json!(ctx.now.rfc3339());
                changed = true;
            }
        }
        if !changed {
            return node;
        }
        let mut new = Value::clone(&node);
        new["status"]["conditions"] = Value::Array(conds);
        let Some(r) = util::res("nodes") else {
            return node;
        };
        let Ok(updated) = ctx.api.update_status(&r, None, new) else {
            return node;
        };
        let name = object::name(&updated).to_string();
        if was_ready {
            event(
                ctx,
                COMPONENT,
                &updated,
                false,
                "NodeNotReady",
                format!("Node {name} status is now: NodeNotReady"),
            );
            mark_pods_not_ready(ctx, &name);
        }
        Arc::new(updated)
    }

    /// The taints that follow the Ready condition and `spec.unschedulable`
    /// (`doNoScheduleTaintingPass`, `doNoExecuteTaintingPass`).
    fn taint(&mut self, ctx: &mut SyncContext<'_>, name: &str, node: &Value) {
        let ready = util::condition(node, "Ready")
            .and_then(|c| c.get("status"))
            .and_then(Value::as_str)
            .unwrap_or("Unknown");
        let mut want: Vec<(&str, &str)> = Vec::new();
        match ready {
            "False" => want.extend([(NOT_READY, "NoSchedule"), (NOT_READY, "NoExecute")]),
            "Unknown" if util::condition(node, "Ready").is_some() => {
                want.extend([(UNREACHABLE, "NoSchedule"), (UNREACHABLE, "NoExecute")])
            }
            _ => {}
        }
        if object::at(node, "spec.unschedulable").and_then(Value::as_bool) == Some(true) {
            want.push((UNSCHEDULABLE, "NoSchedule"));
        }
        let ours = [
            (NOT_READY, "NoSchedule"),
            (NOT_READY, "NoExecute"),
            (UNREACHABLE, "NoSchedule"),
            (UNREACHABLE, "NoExecute"),
            (UNSCHEDULABLE, "NoSchedule"),
        ];
        let current = taints(node);
        let mut next: Vec<Value> = current
            .iter()
            .filter(|t| {
                !ours
                    .iter()
                    .any(|(k, e)| is_taint(t, k, e) && !want.contains(&(k, e)))
            })
            .cloned()
            .collect();
        for (k, e) in &want {
            if !next.iter().any(|t| is_taint(t, k, e)) {
                next.push(json!({"effect": e, "key": k, "timeAdded": ctx.now.rfc3339()}));
            }
        }
        if next == current {
            return;
        }
        let Some(mut fresh) = util::get(ctx.api, "nodes", None, name) else {
            return;
        };
        if next.is_empty() {
            if let Some(spec) = fresh.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("taints");
            }
        } else {
            object::set(&mut fresh, "spec.taints", Value::Array(next));
        }
        util::update(ctx.api, "nodes", fresh);
    }
}

/// `MarkPodsNotReady`: the pods on a lost node are no longer Ready, so
/// Services stop sending them traffic.
fn mark_pods_not_ready(ctx: &mut SyncContext<'_>, node: &str) {
    let Some(r) = util::res("pods") else { return };
    for pod in util::list(ctx.api, "pods", None) {
        if object::str_at(&pod, "spec.nodeName") != Some(node) || !util::pod_ready(&pod) {
            continue;
        }
        let mut p = Value::clone(&pod);
        if let Some(conds) = p
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
        {
            for c in conds.iter_mut() {
                if c.get("type").and_then(Value::as_str) == Some("Ready") {
                    c["status"] = json!("False");
                    c["lastTransitionTime"] = json!(ctx.now.rfc3339());
                }
            }
        }
        let ns = object::namespace(&pod).map(String::from);
        if let Ok(updated) = ctx.api.update_status(&r, ns.as_deref(), p) {
            event(
                ctx,
                COMPONENT,
                &updated,
                true,
                "NodeNotReady",
                "Node is not ready".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests;
