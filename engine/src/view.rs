//! A plain-data picture of the cluster for user interfaces: nodes with
//! their allocation, pods with the status kubectl would print, recent
//! events. Computed from the apiserver, as a dashboard reads the API.

use crate::api::{object, resolve};
use crate::cluster::Cluster;
use crate::kubectl::printers::duration;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// `Ready`, `NotReady`, `Unknown`, with `,SchedulingDisabled` when cordoned.
    pub status: String,
    pub roles: Vec<String>,
    pub taints: Vec<String>,
    /// Requested / allocatable, in millicores and bytes.
    pub cpu_requested_milli: i64,
    pub cpu_allocatable_milli: i64,
    pub memory_requested: i64,
    pub memory_allocatable: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    /// Empty while the pod waits for the scheduler.
    pub node: String,
    /// What `kubectl get pods` prints in STATUS.
    pub status: String,
    pub ready: String,
    pub restarts: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventView {
    pub last_seen: String,
    pub type_: String,
    pub reason: String,
    pub object: String,
    pub message: String,
    pub namespace: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterView {
    pub nodes: Vec<NodeView>,
    pub pods: Vec<PodView>,
    /// Newest last.
    pub events: Vec<EventView>,
    pub namespaces: Vec<String>,
}

/// `100m` → 100, `2` → 2000, `1.5` → 1500.
pub fn cpu_milli(q: &str) -> i64 {
    if let Some(m) = q.strip_suffix('m') {
        return m.parse().unwrap_or(0);
    }
    q.parse::<f64>()
        .map(|v| (v * 1000.0).round() as i64)
        .unwrap_or(0)
}

/// `128Mi`, `1Gi`, `4015912Ki`, `500M`, `1e9` → bytes.
pub fn memory_bytes(q: &str) -> i64 {
    let units: [(&str, f64); 12] = [
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Ti", 1024.0f64.powi(4)),
        ("Pi", 1024.0f64.powi(5)),
        ("Ei", 1024.0f64.powi(6)),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (suffix, factor) in units {
        if let Some(n) = q.strip_suffix(suffix) {
            return n.parse::<f64>().map(|v| (v * factor) as i64).unwrap_or(0);
        }
    }
    q.parse::<f64>().map(|v| v as i64).unwrap_or(0)
}

fn pod_status(pod: &Value) -> String {
    if object::str_at(pod, "metadata.deletionTimestamp").is_some() {
        return "Terminating".into();
    }
    if let Some(reason) = object::str_at(pod, "status.reason") {
        return reason.to_string();
    }
    let statuses = object::at(pod, "status.containerStatuses")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for s in &statuses {
        if let Some(r) = s.pointer("/state/waiting/reason").and_then(Value::as_str) {
            return r.to_string();
        }
        if let Some(r) = s
            .pointer("/state/terminated/reason")
            .and_then(Value::as_str)
        {
            return r.to_string();
        }
    }
    let phase = object::str_at(pod, "status.phase").unwrap_or("Pending");
    if phase == "Pending" && object::str_at(pod, "spec.nodeName").is_some() {
        return "ContainerCreating".into();
    }
    phase.to_string()
}

pub fn view(cluster: &Cluster) -> ClusterView {
    let api = &cluster.apiserver;
    let now = cluster.now();
    let list =
        |r: &str, ns: Option<&str>| resolve(r).map(|res| api.list(res, ns)).unwrap_or_default();
    let pods_raw = list("pods", None);
    let nodes = list("nodes", None)
        .iter()
        .map(|n| {
            let name = object::name(n).to_string();
            let ready = object::at(n, "status.conditions")
                .and_then(Value::as_array)
                .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
                .map(|c| match c["status"].as_str() {
                    Some("True") => "Ready",
                    Some("False") => "NotReady",
                    _ => "Unknown",
                })
                .unwrap_or("Unknown");
            let mut status = ready.to_string();
            if object::at(n, "spec.unschedulable").and_then(Value::as_bool) == Some(true) {
                status.push_str(",SchedulingDisabled");
            }
            let roles = object::string_map(n, "metadata.labels")
                .into_iter()
                .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(String::from))
                .collect();
            let taints = object::at(n, "spec.taints")
                .and_then(Value::as_array)
                .map(|ts| {
                    ts.iter()
                        .map(|t| {
                            let key = t["key"].as_str().unwrap_or("");
                            let effect = t["effect"].as_str().unwrap_or("");
                            match t["value"].as_str() {
                                Some(v) if !v.is_empty() => format!("{key}={v}:{effect}"),
                                _ => format!("{key}:{effect}"),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let (mut cpu, mut mem) = (0, 0);
            for p in pods_raw
                .iter()
                .filter(|p| object::str_at(p, "spec.nodeName") == Some(name.as_str()))
            {
                let phase = object::str_at(p, "status.phase").unwrap_or("");
                if phase == "Succeeded" || phase == "Failed" {
                    continue;
                }
                for c in object::at(p, "spec.containers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    cpu += c
                        .pointer("/resources/requests/cpu")
                        .and_then(Value::as_str)
                        .map(cpu_milli)
                        .unwrap_or(0);
                    mem += c
                        .pointer("/resources/requests/memory")
                        .and_then(Value::as_str)
                        .map(memory_bytes)
                        .unwrap_or(0);
                }
            }
            NodeView {
                name,
                status,
                roles,
                taints,
                cpu_requested_milli: cpu,
                cpu_allocatable_milli: object::str_at(n, "status.allocatable.cpu")
                    .map(cpu_milli)
                    .unwrap_or(0),
                memory_requested: mem,
                memory_allocatable: object::str_at(n, "status.allocatable.memory")
                    .map(memory_bytes)
                    .unwrap_or(0),
            }
        })
        .collect();
    let pods = pods_raw
        .iter()
        .map(|p| {
            let statuses = object::at(p, "status.containerStatuses")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let total = object::at(p, "spec.containers")
                .and_then(Value::as_array)
                .map(Vec::len)
                .unwrap_or(0);
            let ready = statuses.iter().filter(|s| s["ready"] == true).count();
            PodView {
                namespace: object::namespace(p).unwrap_or("").to_string(),
                name: object::name(p).to_string(),
                node: object::str_at(p, "spec.nodeName").unwrap_or("").to_string(),
                status: pod_status(p),
                ready: format!("{ready}/{total}"),
                restarts: statuses
                    .iter()
                    .filter_map(|s| s["restartCount"].as_i64())
                    .sum(),
            }
        })
        .collect();
    let mut events: Vec<(String, EventView)> = list("events", None)
        .iter()
        .map(|e| {
            let last = object::str_at(e, "lastTimestamp")
                .or_else(|| object::str_at(e, "eventTime"))
                .unwrap_or("")
                .to_string();
            let age = crate::clock::Time::parse_rfc3339(&last)
                .map(|t| duration::human(now - t))
                .unwrap_or_else(|| "<unknown>".into());
            let kind = object::str_at(e, "involvedObject.kind")
                .unwrap_or("")
                .to_ascii_lowercase();
            (
                last,
                EventView {
                    last_seen: age,
                    type_: object::str_at(e, "type").unwrap_or("").to_string(),
                    reason: object::str_at(e, "reason").unwrap_or("").to_string(),
                    object: format!(
                        "{kind}/{}",
                        object::str_at(e, "involvedObject.name").unwrap_or("")
                    ),
                    message: object::str_at(e, "message").unwrap_or("").to_string(),
                    namespace: object::namespace(e).unwrap_or("").to_string(),
                },
            )
        })
        .collect();
    crate::sort::sort_by(&mut events, |a, b| a.0.cmp(&b.0));
    let namespaces = list("namespaces", None)
        .iter()
        .map(|n| object::name(n).to_string())
        .collect();
    ClusterView {
        nodes,
        pods,
        events: events.into_iter().map(|(_, e)| e).collect(),
        namespaces,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(cpu_milli("100m"), 100);
        assert_eq!(cpu_milli("2"), 2000);
        assert_eq!(cpu_milli("0.5"), 500);
        assert_eq!(memory_bytes("128Mi"), 128 * 1024 * 1024);
        assert_eq!(memory_bytes("4015912Ki"), 4_015_912 * 1024);
        assert_eq!(memory_bytes("1G"), 1_000_000_000);
    }

    #[test]
    fn default_cluster_picture() {
        let v = view(&Cluster::new(1));
        assert_eq!(
            v.nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
            vec!["controlplane", "node01"]
        );
        assert_eq!(
            v.nodes[0].taints,
            vec!["node-role.kubernetes.io/control-plane:NoSchedule"]
        );
        assert!(v
            .pods
            .iter()
            .any(|p| p.name == "kube-scheduler-controlplane"
                && p.status == "Running"
                && p.node == "controlplane"));
        assert_eq!(v.nodes[0].cpu_allocatable_milli, 2000);
        assert!(
            v.nodes[0].cpu_requested_milli >= 650,
            "control plane requests: {}",
            v.nodes[0].cpu_requested_milli
        );
    }
}
