// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The pod garbage collector (`pkg/controller/podgc`), for pods bound to a
//! node that no longer exists: a node missing from the node list is
//! quarantined for 40 s (`quarantineTime`), and if it is still gone its
//! pods are marked `Failed` with a `DisruptionTarget` condition
//! (`DeletionByPodGC`) and deleted with a grace period of 0 — no kubelet
//! will ever confirm them. This is what removes a DaemonSet's pod from a
//! deleted node: the DaemonSet controller leaves bound pods to it.

use super::util;
use crate::api::object;
use crate::apiserver::DeleteOptions;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const COMPONENT: &str = "pod-garbage-collector";
/// How long a node must stay missing before its pods go.
const QUARANTINE: Duration = Duration::from_secs(40);

#[derive(Debug, Default)]
pub struct PodGcController {
    /// Nodes pods are bound to but that were not found, with when that was
    /// first seen. Boxed, for the bundle's size (`maps::BoxedMap`).
    missing_since: crate::maps::BoxedMap<Time>,
    wakeup: Option<Time>,
}

impl PodGcController {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Component for PodGcController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let now = ctx.now;
        // The pods bound to a node, from the apiserver's index of pods by
        // node, rather than a walk over every pod of the cluster per sync.
        let mut orphans: BTreeMap<String, Vec<std::sync::Arc<Value>>> = BTreeMap::new();
        for node in ctx.api.nodes_with_pods() {
            let exists = util::get_shared(ctx.api, "nodes", None, &node).is_some();
            if node.is_empty() || exists {
                continue;
            }
            let pods = ctx.api.pods_on_node(&node);
            orphans.insert(node, pods);
        }
        self.missing_since.retain(|n, _| orphans.contains_key(n));
        self.wakeup = None;
        for (node, pods) in orphans {
            let since = **self.missing_since.entry(node).or_insert(Box::new(now));
            let due = since + QUARANTINE;
            if now < due {
                self.wakeup = util::earliest(self.wakeup, Some(due));
                continue;
            }
            for pod in pods {
                mark_failed_and_delete(ctx, std::sync::Arc::unwrap_or_clone(pod));
            }
        }
    }

    fn next_wakeup(&self, now: Time) -> Option<Time> {
        self.wakeup.filter(|t| *t > now)
    }
}

/// `markFailedAndDeletePodWithCondition`.
fn mark_failed_and_delete(ctx: &mut SyncContext<'_>, pod: Value) {
    let Some(res) = util::res("pods") else {
        return;
    };
    let ns = object::namespace(&pod).unwrap_or("default").to_string();
    let name = object::name(&pod).to_string();
    if !matches!(util::phase(&pod), "Succeeded" | "Failed") {
        let mut failed = pod.clone();
        failed["status"]["phase"] = json!("Failed");
        let mut conds: Vec<Value> = object::at(&pod, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        conds.retain(|c| object::str_at(c, "type") != Some("DisruptionTarget"));
        conds.push(
            json!({"lastProbeTime": null, "lastTransitionTime": ctx.now.rfc3339(),
            "message": "PodGC: node no longer exists", "reason": "DeletionByPodGC",
            "status": "True", "type": "DisruptionTarget"}),
        );
        failed["status"]["conditions"] = Value::Array(conds);
        let _ = ctx.api.update_status(&res, Some(&ns), failed);
    }
    let force = DeleteOptions {
        grace_period_seconds: Some(0),
        ..Default::default()
    };
    let _ = ctx.api.delete_with(&res, Some(&ns), &name, force, ctx.now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Cluster;

    /// A pod bound to a deleted node stays for the 40 s quarantine, then
    /// goes at once (grace 0); a pod on a live node is left alone.
    #[test]
    fn pods_of_a_deleted_node_go_after_the_quarantine() {
        let mut c = Cluster::new(1);
        let now = c.now();
        for (name, node) in [("on-node01", "node01"), ("on-controlplane", "controlplane")] {
            let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                "spec": {"nodeName": node, "tolerations": [{"operator": "Exists"}],
                    "containers": [{"name": "c", "image": "nginx"}]}});
            util::create(&mut c.apiserver, "pods", Some("default"), pod, now);
        }
        c.step(Duration::from_secs(10));
        util::delete(&mut c.apiserver, "nodes", None, "node01");
        c.settle();
        let names = |c: &Cluster| -> Vec<String> {
            util::list(&c.apiserver, "pods", Some("default"))
                .iter()
                .map(|p| object::name(p).to_string())
                .collect()
        };
        c.step(Duration::from_secs(39));
        assert_eq!(names(&c), ["on-controlplane", "on-node01"]);
        c.step(Duration::from_secs(1));
        assert_eq!(names(&c), ["on-controlplane"]);
    }
}
