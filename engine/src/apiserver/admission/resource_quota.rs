//! `ResourceQuota`: a new object must fit every quota of its namespace.
//! Usage is counted from the stored objects (standing in for the
//! resourcequota controller), and an admitted create writes the quota's
//! `status.used` with it. Texts as v1.33's: `exceeded quota: q, requested:
//! requests.cpu=200m, used: requests.cpu=900m, limited: requests.cpu=1`,
//! `failed quota: q: must specify limits.cpu for: web; …`.

use super::quantity::Q;
use crate::api::{resolve, Resource, RESOURCES};
use crate::etcd::Store;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Boxed, to share a map's code with the engine's other maps (`crate::maps`).
type Usage = crate::maps::BoxedMap<Q>;

/// The core resources quota counts under their legacy names.
const LEGACY: &[&str] = &[
    "pods",
    "services",
    "configmaps",
    "secrets",
    "persistentvolumeclaims",
    "replicationcontrollers",
    "resourcequotas",
];

const COMPUTE: &[&str] = &[
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

fn count_name(res: &Resource) -> String {
    if res.group.is_empty() {
        format!("count/{}", res.plural)
    } else {
        format!("count/{}.{}", res.plural, res.group)
    }
}

fn container_usage(c: &Value) -> Usage {
    let mut u = Usage::new();
    for (bucket, prefix) in [("requests", "requests."), ("limits", "limits.")] {
        for r in ["cpu", "memory", "ephemeral-storage"] {
            if let Some(q) = c
                .pointer(&format!("/resources/{bucket}/{r}"))
                .and_then(Q::of)
            {
                u.insert(format!("{prefix}{r}"), Box::new(q));
                if bucket == "requests" && r != "ephemeral-storage" {
                    u.insert(r.to_string(), Box::new(q));
                }
            }
        }
    }
    u
}

fn pod_terminal(pod: &Value) -> bool {
    matches!(
        pod.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    )
}

/// What one object uses.
pub fn usage(res: &Resource, obj: &Value) -> Usage {
    let mut u = Usage::new();
    u.insert(count_name(res), Box::new(Q::count(1)));
    if res.group.is_empty() && LEGACY.contains(&res.plural) {
        u.insert(res.plural.to_string(), Box::new(Q::count(1)));
    }
    match res.kind {
        "Pod" => {
            if pod_terminal(obj) {
                return Usage::new();
            }
            let null = Value::Null;
            let spec = obj.get("spec").unwrap_or(&null);
            for c in spec
                .get("containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for (k, q) in container_usage(c) {
                    let e = u.entry(k).or_insert_with(|| Box::new(Q::count(0)));
                    **e = e.plus(*q);
                }
            }
            for c in spec
                .get("initContainers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for (k, q) in container_usage(c) {
                    let e = u.entry(k).or_insert_with(|| q.clone());
                    if q.milli > e.milli {
                        **e = *q;
                    }
                }
            }
        }
        "Service" => {
            let ty = obj
                .pointer("/spec/type")
                .and_then(Value::as_str)
                .unwrap_or("ClusterIP");
            if ty == "LoadBalancer" {
                u.insert("services.loadbalancers".into(), Box::new(Q::count(1)));
            }
            if ty == "NodePort" || ty == "LoadBalancer" {
                let n = obj
                    .pointer("/spec/ports")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                u.insert("services.nodeports".into(), Box::new(Q::count(n as i128)));
            }
        }
        "PersistentVolumeClaim" => {
            if let Some(q) = obj
                .pointer("/spec/resources/requests/storage")
                .and_then(Q::of)
            {
                u.insert("requests.storage".into(), Box::new(q));
            }
        }
        _ => {}
    }
    u
}

/// What a namespace uses now, for the resource names a quota tracks.
fn namespace_usage(store: &Store, ns: &str, tracked: &[String]) -> Usage {
    let mut total = Usage::new();
    for res in RESOURCES {
        if !res.namespaced || res.group == "events.k8s.io" {
            continue;
        }
        // Only resources whose usage a tracked name can include.
        let relevant = tracked.iter().any(|t| {
            *t == count_name(res)
                || (res.group.is_empty() && t == res.plural)
                || (res.kind == "Pod" && COMPUTE.contains(&t.as_str()))
                || (res.kind == "Pod" && t.ends_with("ephemeral-storage"))
                || (res.kind == "Service" && t.starts_with("services."))
                || (res.kind == "PersistentVolumeClaim" && t == "requests.storage")
        });
        if !relevant {
            continue;
        }
        for obj in super::objects(store, res.plural, Some(ns)) {
            for (k, q) in usage(res, &obj) {
                let e = total.entry(k).or_insert_with(|| Box::new(Q::count(0)));
                **e = e.plus(*q);
            }
        }
    }
    total
}

fn hard_of(quota: &Value) -> Vec<(String, Q)> {
    quota
        .pointer("/spec/hard")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Q::of(v).map(|q| (k.clone(), q)))
                .collect()
        })
        .unwrap_or_default()
}

fn pretty(items: &[(String, Q)]) -> String {
    let parts: Vec<String> = items.iter().map(|(k, q)| format!("{k}={q}")).collect();
    parts.join(",")
}

/// The quota's status for a usage: `hard` as given, `used` for each hard name.
pub fn status(quota: &Value, used: &Usage) -> Value {
    let hard = quota.pointer("/spec/hard").cloned().unwrap_or(json!({}));
    let mut u = Map::new();
    for (k, h) in hard_of(quota) {
        let q = used.get(&k).map(|q| **q).unwrap_or(Q::count(0));
        u.insert(
            k,
            json!(Q {
                milli: q.milli,
                binary: q.binary || h.binary
            }
            .to_string()),
        );
    }
    json!({"hard": hard, "used": u})
}

/// The status a quota has in a namespace now.
pub fn status_now(store: &Store, ns: &str, quota: &Value) -> Value {
    let tracked: Vec<String> = hard_of(quota).into_iter().map(|(k, _)| k).collect();
    status(quota, &namespace_usage(store, ns, &tracked))
}

/// The quota `status` every quota in a namespace should have now.
pub fn refresh(store: &Store, ns: &str) -> Vec<(String, Value)> {
    let Some(rq) = resolve("resourcequotas") else {
        return vec![];
    };
    let mut out = Vec::new();
    for mut quota in super::objects(store, "resourcequotas", Some(ns)) {
        let tracked: Vec<String> = hard_of(&quota).into_iter().map(|(k, _)| k).collect();
        let used = namespace_usage(store, ns, &tracked);
        let st = status(&quota, &used);
        if quota.get("status") != Some(&st) {
            let name = quota
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if let Some(m) = quota.as_object_mut() {
                m.insert("status".into(), st);
            }
            out.push((rq.key(Some(ns), &name), quota));
        }
    }
    out
}

/// Admits a new object. `Ok` carries the quotas to write with their new
/// usage and a note per quota; `Err` the text after `is forbidden: `.
#[allow(clippy::type_complexity)]
pub fn validate(
    store: &Store,
    res: &Resource,
    obj: &Value,
    ns: &str,
) -> Result<(Vec<(String, Value)>, Vec<String>), String> {
    let quotas = super::objects(store, "resourcequotas", Some(ns));
    let Some(rq) = resolve("resourcequotas") else {
        return Ok((vec![], vec![]));
    };
    let requested_all = usage(res, obj);
    let mut writes = Vec::new();
    let mut notes = Vec::new();
    for quota in quotas {
        let name = quota
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let hard = hard_of(&quota);
        let tracked: Vec<String> = hard.iter().map(|(k, _)| k.clone()).collect();
        // Pods must say what a compute quota tracks, container by container.
        if res.kind == "Pod" {
            let required: Vec<&str> = COMPUTE
                .iter()
                .copied()
                .filter(|c| tracked.iter().any(|t| t == c))
                .collect();
            let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for key in ["containers", "initContainers"] {
                for c in obj
                    .pointer(&format!("/spec/{key}"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let u = container_usage(c);
                    for r in &required {
                        if !u.contains_key(*r) {
                            let cname = c
                                .get("name")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_string();
                            missing.entry(r.to_string()).or_default().push(cname);
                        }
                    }
                }
            }
            if !missing.is_empty() {
                let parts: Vec<String> = missing
                    .iter_mut()
                    .map(|(r, names)| {
                        crate::sort::sort(names);
                        names.dedup();
                        format!("{r} for: {}", names.join(","))
                    })
                    .collect();
                return Err(format!(
                    "failed quota: {name}: must specify {}",
                    parts.join("; ")
                ));
            }
        }
        let requested: Vec<(String, Q)> = requested_all
            .iter()
            .filter(|(k, q)| tracked.contains(k) && q.milli != 0)
            .map(|(k, q)| (k.clone(), **q))
            .collect();
        if requested.is_empty() {
            continue;
        }
        let used = namespace_usage(store, ns, &tracked);
        let mut exceeded = Vec::new();
        for (k, q) in &requested {
            let u = used.get(k).map(|q| **q).unwrap_or(Q::count(0));
            if let Some((_, h)) = hard.iter().find(|(n, _)| n == k) {
                if u.milli.saturating_add(q.milli) > h.milli {
                    exceeded.push(k.clone());
                }
            }
        }
        if !exceeded.is_empty() {
            crate::sort::sort(&mut exceeded);
            let pick = |src: &dyn Fn(&str) -> Q| -> Vec<(String, Q)> {
                exceeded.iter().map(|k| (k.clone(), src(k))).collect()
            };
            let hard_q = |k: &str| {
                hard.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, q)| *q)
                    .unwrap_or(Q::count(0))
            };
            let req = pick(&|k| {
                requested
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, q)| *q)
                    .unwrap_or(Q::count(0))
            });
            let usd = pick(&|k| {
                let u = used.get(k).map(|q| **q).unwrap_or(Q::count(0));
                Q {
                    milli: u.milli,
                    binary: u.binary || hard_q(k).binary,
                }
            });
            let lim = pick(&hard_q);
            return Err(format!(
                "exceeded quota: {name}, requested: {}, used: {}, limited: {}",
                pretty(&req),
                pretty(&usd),
                pretty(&lim)
            ));
        }
        let mut new_used = used.clone();
        for (k, q) in &requested {
            let e = new_used
                .entry(k.clone())
                .or_insert_with(|| Box::new(Q::count(0)));
            **e = e.plus(*q);
        }
        let mut updated = quota.clone();
        if let Some(m) = updated.as_object_mut() {
            m.insert("status".into(), status(&quota, &new_used));
        }
        notes.push(format!("quota {name}: +{}", pretty(&requested)));
        writes.push((rq.key(Some(ns), &name), updated));
    }
    Ok((writes, notes))
}
