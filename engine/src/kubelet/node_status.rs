// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The node's heartbeats: the Lease in `kube-node-lease` renewed every
//! 10 s (a quarter of its 40 s duration), and the Node's status posted
//! every 5 min (`nodeStatusReportFrequency`) or at once when its Ready
//! condition is not what the kubelet says (after the node-lifecycle
//! controller marked it `Unknown`) or when the running kubelet's version
//! is not the one the Node shows (after an upgrade and a restart).

use super::Kubelet;
use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::{Duration, Time};
use serde_json::{json, Value};

/// `nodeLeaseDurationSeconds`.
pub const LEASE_DURATION_SECONDS: i64 = 40;
/// The lease is renewed every quarter of its duration.
pub const RENEW_INTERVAL: Duration = Duration::from_secs(10);
/// `nodeStatusReportFrequency`.
pub const REPORT_FREQUENCY: Duration = Duration::from_secs(300);

pub(super) fn heartbeat(
    k: &mut Kubelet,
    api: &mut ApiServer,
    node: &str,
    version: &str,
    now: Time,
) {
    let Some(nodes) = resolve("nodes") else {
        return;
    };
    // The cached Node itself: it is copied only when its status is posted.
    let n = match api.get_shared(nodes, None, node) {
        Some(n) => n,
        // A deleted Node comes back only when the kubelet starts again;
        // a running one just fails to update its status.
        None if !k.registered => match register(k, api, node, now) {
            Some(n) => std::sync::Arc::new(n),
            None => return,
        },
        None => return,
    };
    if !k.registered {
        k.registered = true;
        if k.registration.is_none() {
            k.registration = Some(Value::clone(&n));
        }
    }
    if let Some(cidr) = object::str_at(&n, "spec.podCIDR") {
        if let Some((net, _)) = cidr.rsplit_once('.') {
            k.pod_cidr_prefix = format!("{net}.");
        }
    }
    if k.lease_renewed.is_none_or(|t| now >= t + RENEW_INTERVAL) {
        renew_lease(api, &n, node, now);
        k.lease_renewed = Some(now);
    }
    if let Some(t) = k.lease_renewed {
        k.wake(t + RENEW_INTERVAL);
    }
    let ready_true = object::at(&n, "status.conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True");
    let shown = object::str_at(&n, "status.nodeInfo.kubeletVersion") == Some(version);
    if k.status_posted.is_none_or(|t| now >= t + REPORT_FREQUENCY) || !ready_true || !shown {
        post_status(api, Value::clone(&n), version, now);
        k.status_posted = Some(now);
    }
    if let Some(t) = k.status_posted {
        k.wake(t + REPORT_FREQUENCY);
    }
}

/// `registerWithAPIServer`: the Node as the kubelet makes it — its own
/// labels and the attach-detach annotation (not the labels, taints or
/// kubeadm annotations added later by others), its addresses, capacity and
/// system info; the pod CIDR is the one the IPAM controller gives back
/// (the lowest free range, this node's old one).
fn register(k: &mut Kubelet, api: &mut ApiServer, node: &str, now: Time) -> Option<Value> {
    let nodes = resolve("nodes")?;
    let old = k.registration.as_ref()?;
    let mut labels = serde_json::Map::new();
    for key in [
        "beta.kubernetes.io/arch",
        "beta.kubernetes.io/os",
        "kubernetes.io/arch",
        "kubernetes.io/hostname",
        "kubernetes.io/os",
    ] {
        if let Some(v) = old.pointer("/metadata/labels").and_then(|l| l.get(key)) {
            labels.insert(key.into(), v.clone());
        }
    }
    let mut spec = json!({});
    for key in ["podCIDR", "podCIDRs"] {
        if let Some(v) = old.pointer("/spec").and_then(|s| s.get(key)) {
            spec[key] = v.clone();
        }
    }
    let mut status = json!({});
    for key in [
        "addresses",
        "allocatable",
        "capacity",
        "daemonEndpoints",
        "nodeInfo",
    ] {
        if let Some(v) = old.pointer("/status").and_then(|s| s.get(key)) {
            status[key] = v.clone();
        }
    }
    let body = json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": node,
            "labels": labels,
            "annotations": {
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": status,
    });
    api.create(nodes, None, body, now).ok()
}

fn renew_lease(api: &mut ApiServer, n: &Value, node: &str, now: Time) {
    let Some(leases) = resolve("leases") else {
        return;
    };
    match api.get(leases, Some("kube-node-lease"), node) {
        Ok(mut l) => {
            l["spec"]["renewTime"] = json!(now.rfc3339_micro());
            let _ = api.update(leases, Some("kube-node-lease"), l);
        }
        Err(_) => {
            let lease = json!({
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {
                    "name": node,
                    "namespace": "kube-node-lease",
                    "ownerReferences": [{
                        "apiVersion": "v1",
                        "kind": "Node",
                        "name": node,
                        "uid": object::str_at(n, "metadata.uid").unwrap_or(""),
                    }],
                },
                "spec": {
                    "holderIdentity": node,
                    "leaseDurationSeconds": LEASE_DURATION_SECONDS,
                    "renewTime": now.rfc3339_micro(),
                },
            });
            let _ = api.create(leases, Some("kube-node-lease"), lease, now);
        }
    }
}

/// The node conditions as a healthy kubelet reports them.
fn post_status(api: &mut ApiServer, mut n: Value, version: &str, now: Time) {
    let Some(nodes) = resolve("nodes") else {
        return;
    };
    let healthy = [
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        (
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
    ];
    let old: Vec<Value> = object::at(&n, "status.conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let conditions: Vec<Value> = healthy
        .iter()
        .map(|(type_, status, reason, message)| {
            let prev = old.iter().find(|c| c["type"] == *type_);
            let since = prev
                .filter(|c| c["status"] == *status)
                .and_then(|c| c.get("lastTransitionTime").cloned())
                .unwrap_or_else(|| json!(now.rfc3339()));
            json!({
                "lastHeartbeatTime": now.rfc3339(),
                "lastTransitionTime": since,
                "message": message,
                "reason": reason,
                "status": status,
                "type": type_,
            })
        })
        .collect();
    n["status"]["conditions"] = json!(conditions);
    n["status"]["nodeInfo"]["kubeletVersion"] = json!(version);
    if let Some(m) = n.pointer_mut("/metadata").and_then(Value::as_object_mut) {
        m.remove("resourceVersion");
    }
    let _ = api.update_status(nodes, None, n);
}
