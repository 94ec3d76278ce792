//! The Metrics API (`metrics.k8s.io/v1beta1`) as the apiserver serves it by
//! proxying to metrics-server: found through the `v1beta1.metrics.k8s.io`
//! APIService, its Service's ready endpoint, and that pod's running
//! metrics-server process. kubectl top and the HPA controller read it.

use super::server::is_metrics_server;
use super::store::Store;
use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::{Duration, Time};
use crate::node::Machine;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The APIService metrics-server registers.
pub const APISERVICE: &str = "v1beta1.metrics.k8s.io";

/// Whether discovery lists `metrics.k8s.io` (its APIService is Available).
pub fn available(api: &ApiServer) -> bool {
    resolve("apiservices")
        .and_then(|r| api.get(r, None, APISERVICE).ok())
        .is_some_and(|a| {
            object::at(&a, "status.conditions")
                .and_then(Value::as_array)
                .is_some_and(|cs| {
                    cs.iter().any(|c| {
                        object::str_at(c, "type") == Some("Available")
                            && object::str_at(c, "status") == Some("True")
                    })
                })
        })
}

/// The store of the metrics-server process the API proxies to.
pub fn store<'a>(api: &ApiServer, machines: &'a BTreeMap<String, Machine>) -> Option<&'a Store> {
    let svc = resolve("apiservices").and_then(|r| api.get(r, None, APISERVICE).ok())?;
    let ns = object::str_at(&svc, "spec.service.namespace")?;
    let name = object::str_at(&svc, "spec.service.name")?;
    let ep = api.get(resolve("endpoints")?, Some(ns), name).ok()?;
    let addresses: Vec<Value> = object::at(&ep, "subsets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|s| {
            s.get("addresses")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    addresses.iter().find_map(|a| {
        let uid = object::str_at(a, "targetRef.uid")?;
        let node = object::str_at(a, "nodeName")?;
        let m = machines.get(node)?;
        m.runtime
            .containers
            .iter()
            .filter(|c| c.pod_uid == uid && is_metrics_server(c) && c.running())
            .find_map(|c| m.runtime.metrics.get(&c.id).map(|s| &**s))
    })
}

/// One NodeMetrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeMetrics {
    pub name: String,
    pub timestamp: Time,
    pub window: Duration,
    pub cpu_nano: u64,
    pub memory: u64,
}

/// One container's usage in a PodMetrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerMetrics {
    pub name: String,
    pub cpu_nano: u64,
    pub memory: u64,
}

/// One PodMetrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodMetrics {
    pub namespace: String,
    pub name: String,
    pub timestamp: Time,
    pub window: Duration,
    pub containers: Vec<ContainerMetrics>,
}

impl PodMetrics {
    pub fn cpu_nano(&self) -> u64 {
        self.containers.iter().map(|c| c.cpu_nano).sum()
    }

    pub fn memory(&self) -> u64 {
        self.containers.iter().map(|c| c.memory).sum()
    }
}

/// The metrics of these nodes (those metrics-server has two points for).
pub fn nodes(store: &Store, names: &[String]) -> Vec<NodeMetrics> {
    names
        .iter()
        .filter_map(|n| {
            let s = store.nodes.get(n)?;
            Some(NodeMetrics {
                name: n.clone(),
                timestamp: s.last.ts,
                window: s.window()?,
                cpu_nano: s.last.cpu_nano,
                memory: s.last.memory,
            })
        })
        .collect()
}

/// The metrics of these pods (`(namespace, name)`), for those served.
pub fn pods(store: &Store, keys: &[(String, String)]) -> Vec<PodMetrics> {
    keys.iter()
        .filter_map(|k| {
            let cs = store.pod(k)?;
            // The earliest container sample stamps the pod.
            let (ts, window) = cs
                .values()
                .filter_map(|s| Some((s.last.ts, s.window()?)))
                .min_by_key(|(t, _)| *t)?;
            Some(PodMetrics {
                namespace: k.0.clone(),
                name: k.1.clone(),
                timestamp: ts,
                window,
                containers: cs
                    .iter()
                    .map(|(n, s)| ContainerMetrics {
                        name: n.clone(),
                        cpu_nano: s.last.cpu_nano,
                        memory: s.last.memory,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// A Go duration as metrics-server prints a window (`15.2s`, `1m0.5s`).
pub fn go_duration(d: Duration) -> String {
    let ms = d.as_millis();
    let (m, rest) = (ms / 60_000, ms % 60_000);
    let secs = if rest % 1000 == 0 {
        format!("{}s", rest / 1000)
    } else {
        format!("{}", rest as f64 / 1000.0)
            .trim_end_matches('0')
            .to_string()
            + "s"
    };
    if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

/// A NodeMetrics object as the API returns it.
pub fn node_object(m: &NodeMetrics, labels: &Value, created: Time) -> Value {
    json!({
        "kind": "NodeMetrics",
        "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {"name": m.name, "creationTimestamp": created.rfc3339(), "labels": labels},
        "timestamp": m.timestamp.rfc3339(),
        "window": go_duration(m.window),
        "usage": {"cpu": format!("{}n", m.cpu_nano), "memory": format!("{}Ki", m.memory / 1024)},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_print_like_go() {
        assert_eq!(go_duration(Duration::from_millis(15_000)), "15s");
        assert_eq!(go_duration(Duration::from_millis(14_250)), "14.25s");
        assert_eq!(go_duration(Duration::from_millis(75_500)), "1m15.5s");
    }
}
