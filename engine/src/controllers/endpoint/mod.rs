// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The Endpoints and EndpointSlice controllers (`pkg/controller/endpoint`,
//! `pkg/controller/endpointslice`): for each Service with a selector, the
//! pods it selects that have an IP become its endpoints — ready ones as
//! `addresses`, the others as `notReadyAddresses` — with the Service's
//! ports resolved against the containers' (a named `targetPort` looks the
//! name up in each pod). The slice also lists terminating pods, with their
//! `ready`/`serving`/`terminating` conditions. Services without a selector
//! are left to whoever manages their Endpoints.

use super::util;
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Map, Value};
use std::sync::Arc;

const TRIGGER: &str = "endpoints.kubernetes.io/last-change-trigger-time";
const MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";
const SLICE_MANAGER: &str = "endpointslice-controller.k8s.io";
const SERVICE_NAME: &str = "kubernetes.io/service-name";

#[derive(Debug, Default)]
pub struct EndpointsController;

impl EndpointsController {
    pub fn new() -> Self {
        Self
    }
}

/// One pod as an endpoint of a Service.
struct Member {
    pod: Value,
    ip: String,
    ready: bool,
    terminating: bool,
}

/// The port a Service port targets on this pod (`podutil.FindPort`).
fn find_port(pod: &Value, target: Option<&Value>, port: i64) -> Option<i64> {
    match target {
        None => Some(port),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(name)) => {
            if let Ok(n) = name.parse::<i64>() {
                return Some(n);
            }
            object::at(pod, "spec.containers")
                .and_then(Value::as_array)?
                .iter()
                .flat_map(|c| {
                    c.get("ports")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
                .and_then(|p| p.get("containerPort").and_then(Value::as_i64))
        }
        _ => None,
    }
}

fn target_ref(pod: &Value) -> Value {
    json!({
        "kind": "Pod",
        "name": object::name(pod),
        "namespace": object::namespace(pod).unwrap_or("default"),
        "uid": util::uid(pod),
    })
}

/// Orders IPv4 strings numerically (10.244.1.10 after 10.244.1.9).
fn ip_key(ip: &str) -> Vec<u32> {
    ip.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

impl Component for EndpointsController {
    fn name(&self) -> String {
        "endpoint-controller".into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    /// It reads the Services, their Endpoints and EndpointSlices, and the
    /// pods a Service of their namespace selects (before or after the
    /// change; the Services are as at its last sync, or their change
    /// concerns it anyway).
    fn concerns(
        &self,
        api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        if !util::is_change_of(change, "pods") {
            return ["services", "endpoints", "endpointslices"]
                .iter()
                .any(|r| util::is_change_of(change, r));
        }
        // The namespace as `pods_in` lists it: the key's.
        let Some(ns) = change
            .key
            .strip_prefix("/registry/pods/")
            .and_then(|rest| rest.split('/').next())
        else {
            return true;
        };
        let services = util::list(api, "services", Some(ns));
        change.versions().any(|pod| {
            let labels = util::labels(pod);
            services
                .iter()
                .any(|svc| util::map_selector_matches(object::at(svc, "spec.selector"), &labels))
        })
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let services = util::list(ctx.api, "services", None);
        // Endpoints this controller wrote whose Service is gone go too.
        for ep in util::list(ctx.api, "endpoints", None) {
            let ns = object::namespace(&ep).unwrap_or("default").to_string();
            let ours = object::at(&ep, "metadata.annotations")
                .and_then(|a| a.get(TRIGGER))
                .is_some();
            let has_service = services.iter().any(|s| {
                object::name(s) == object::name(&ep) && object::namespace(s) == Some(ns.as_str())
            });
            if ours && !has_service {
                util::delete(ctx.api, "endpoints", Some(&ns), object::name(&ep));
            }
        }
        for svc in services {
            let Some(selector) = object::at(&svc, "spec.selector")
                .filter(|s| s.as_object().is_some_and(|m| !m.is_empty()))
            else {
                continue;
            };
            if util::is_deleting(&svc) {
                continue;
            }
            let selector = selector.clone();
            let ns = object::namespace(&svc).unwrap_or("default").to_string();
            let publish_not_ready = object::at(&svc, "spec.publishNotReadyAddresses")
                .and_then(Value::as_bool)
                == Some(true);
            let mut members: Vec<Member> = util::pods_in(ctx.api, &ns)
                .into_iter()
                .filter(|p| util::map_selector_matches(Some(&selector), &util::labels(p)))
                .filter(|p| !matches!(util::phase(p), "Succeeded" | "Failed"))
                .filter_map(|p| {
                    let ip = object::str_at(&p, "status.podIP")
                        .filter(|i| !i.is_empty())?
                        .to_string();
                    Some(Member {
                        ready: util::pod_ready(&p) || publish_not_ready,
                        terminating: util::is_deleting(&p),
                        ip,
                        pod: Arc::unwrap_or_clone(p),
                    })
                })
                .collect();
            crate::sort::sort_by(&mut members, |a, b| {
                ip_key(&a.ip)
                    .cmp(&ip_key(&b.ip))
                    .then(util::uid(&a.pod).cmp(util::uid(&b.pod)))
            });
            sync_endpoints(ctx, &svc, &ns, &members, publish_not_ready);
            sync_slice(ctx, &svc, &ns, &members);
        }
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }
}

fn service_ports(svc: &Value) -> Vec<Value> {
    object::at(svc, "spec.ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn sync_endpoints(
    ctx: &mut SyncContext<'_>,
    svc: &Value,
    ns: &str,
    members: &[Member],
    publish_not_ready: bool,
) {
    let name = object::name(svc).to_string();
    // Pods whose target ports resolve alike share a subset.
    let mut subsets: Vec<(Vec<Value>, Vec<Value>, Vec<Value>)> = Vec::new();
    for m in members
        .iter()
        .filter(|m| !m.terminating || publish_not_ready)
    {
        let mut ports = Vec::new();
        for sp in service_ports(svc) {
            let port = sp.get("port").and_then(Value::as_i64).unwrap_or(0);
            let Some(p) = find_port(&m.pod, sp.get("targetPort"), port) else {
                continue;
            };
            let mut ep = Map::new();
            if let Some(n) = sp
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
            {
                ep.insert("name".into(), json!(n));
            }
            ep.insert("port".into(), json!(p));
            ep.insert(
                "protocol".into(),
                sp.get("protocol").cloned().unwrap_or(json!("TCP")),
            );
            ports.push(Value::Object(ep));
        }
        let mut addr = json!({"ip": m.ip});
        if let Some(n) = object::str_at(&m.pod, "spec.nodeName") {
            addr["nodeName"] = json!(n);
        }
        addr["targetRef"] = target_ref(&m.pod);
        let slot = match subsets.iter_mut().find(|s| s.2 == ports) {
            Some(s) => s,
            None => {
                subsets.push((Vec::new(), Vec::new(), ports));
                let Some(last) = subsets.last_mut() else {
                    continue;
                };
                last
            }
        };
        if m.ready {
            slot.0.push(addr);
        } else {
            slot.1.push(addr);
        }
    }
    let subsets: Vec<Value> = subsets
        .into_iter()
        .map(|(ready, not_ready, ports)| {
            let mut s = Map::new();
            if !ready.is_empty() {
                s.insert("addresses".into(), Value::Array(ready));
            }
            if !not_ready.is_empty() {
                s.insert("notReadyAddresses".into(), Value::Array(not_ready));
            }
            if !ports.is_empty() {
                s.insert("ports".into(), Value::Array(ports));
            }
            Value::Object(s)
        })
        .collect();
    let labels = object::at(svc, "metadata.labels").cloned();
    match util::get(ctx.api, "endpoints", Some(ns), &name) {
        None => {
            let mut ep = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "annotations": {TRIGGER: ctx.now.rfc3339()}}});
            if let Some(l) = labels {
                ep["metadata"]["labels"] = l;
            }
            if !subsets.is_empty() {
                ep["subsets"] = Value::Array(subsets);
            }
            util::create(ctx.api, "endpoints", Some(ns), ep, ctx.now);
        }
        Some(cur) => {
            let have = cur.get("subsets").cloned().unwrap_or(json!([]));
            if have == Value::Array(subsets.clone())
                && object::at(&cur, "metadata.labels") == labels.as_ref()
            {
                return;
            }
            let mut ep = cur.clone();
            if subsets.is_empty() {
                if let Some(m) = ep.as_object_mut() {
                    m.remove("subsets");
                }
            } else {
                ep["subsets"] = Value::Array(subsets);
            }
            match labels {
                Some(l) => ep["metadata"]["labels"] = l,
                None => {
                    if let Some(m) = ep["metadata"].as_object_mut() {
                        m.remove("labels");
                    }
                }
            }
            ep["metadata"]["annotations"][TRIGGER] = json!(ctx.now.rfc3339());
            util::update(ctx.api, "endpoints", ep);
        }
    }
}

fn sync_slice(ctx: &mut SyncContext<'_>, svc: &Value, ns: &str, members: &[Member]) {
    let name = object::name(svc).to_string();
    let endpoints: Vec<Value> = members
        .iter()
        .map(|m| {
            let serving = util::pod_ready(&m.pod);
            let mut e = json!({
                "addresses": [m.ip],
                "conditions": {
                    "ready": m.ready && !m.terminating,
                    "serving": serving || m.ready,
                    "terminating": m.terminating,
                },
            });
            if let Some(n) = object::str_at(&m.pod, "spec.nodeName") {
                e["nodeName"] = json!(n);
            }
            e["targetRef"] = target_ref(&m.pod);
            e
        })
        .collect();
    // The slice's ports come from the first pod (upstream groups pods by
    // their resolved ports; one group covers the usual case).
    let ports: Vec<Value> = service_ports(svc)
        .iter()
        .map(|sp| {
            let port = sp.get("port").and_then(Value::as_i64).unwrap_or(0);
            let resolved = members
                .first()
                .and_then(|m| find_port(&m.pod, sp.get("targetPort"), port));
            let mut p = json!({
                "name": sp.get("name").and_then(Value::as_str).unwrap_or(""),
                "protocol": sp.get("protocol").cloned().unwrap_or(json!("TCP")),
            });
            if let Some(n) = resolved {
                p["port"] = json!(n);
            }
            p
        })
        .collect();
    let mut labels = object::at(svc, "metadata.labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(MANAGED_BY.into(), json!(SLICE_MANAGER));
    labels.insert(SERVICE_NAME.into(), json!(name));
    let existing = util::list(ctx.api, "endpointslices", Some(ns))
        .into_iter()
        .find(|s| {
            util::labels(s).get(SERVICE_NAME).and_then(Value::as_str) == Some(name.as_str())
                && util::labels(s).get(MANAGED_BY).and_then(Value::as_str) == Some(SLICE_MANAGER)
        });
    match existing {
        None => {
            let mut s = json!({
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": {
                    "generateName": format!("{name}-"),
                    "labels": labels,
                    "annotations": {TRIGGER: ctx.now.rfc3339()},
                    "ownerReferences": [util::owner_ref(svc)],
                },
                "addressType": "IPv4",
                "ports": ports,
            });
            s["endpoints"] = Value::Array(endpoints);
            util::create(ctx.api, "endpointslices", Some(ns), s, ctx.now);
        }
        Some(cur) => {
            let same = cur.get("endpoints").cloned().unwrap_or(json!([]))
                == Value::Array(endpoints.clone())
                && cur.get("ports") == Some(&Value::Array(ports.clone()))
                && object::at(&cur, "metadata.labels") == Some(&Value::Object(labels.clone()));
            if same {
                return;
            }
            let mut s = Value::clone(&cur);
            s["endpoints"] = Value::Array(endpoints);
            s["ports"] = Value::Array(ports);
            s["metadata"]["labels"] = Value::Object(labels);
            s["metadata"]["annotations"][TRIGGER] = json!(ctx.now.rfc3339());
            util::update(ctx.api, "endpointslices", s);
        }
    }
}

#[cfg(test)]
mod tests;
