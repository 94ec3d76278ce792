//! `LimitRanger`: the namespace's LimitRanges fill in container requests
//! and limits (`defaultRequest`, `default`) when mutating, and enforce
//! `min`, `max` and `maxLimitRequestRatio` per Container and per Pod when
//! validating, with v1.33's messages.

use super::quantity::Q;
use crate::etcd::Store;
use serde_json::{json, Map, Value};

const ANNOTATION: &str = "kubernetes.io/limit-ranger";

fn limit_items(store: &Store, ns: &str) -> Vec<Value> {
    super::objects(store, "limitranges", Some(ns))
        .into_iter()
        .flat_map(|lr| {
            lr.pointer("/spec/limits")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn map_of(v: Option<&Value>) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = v
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    crate::sort::sort_by(&mut out, |a, b| a.0.cmp(&b.0));
    out
}

/// `LimitRangeItem` defaulting, as the stored object has it: `default`
/// falls back to `max`, `defaultRequest` to `default`, then to `min`.
pub fn default_item(item: &mut Value) {
    if item.get("type").and_then(Value::as_str) != Some("Container") {
        return;
    }
    let Some(m) = item.as_object_mut() else {
        return;
    };
    let get = |m: &Map<String, Value>, k: &str| {
        m.get(k)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let mut default = get(m, "default");
    for (k, v) in get(m, "max") {
        default.entry(k).or_insert(v);
    }
    let mut request = get(m, "defaultRequest");
    for (k, v) in default.iter() {
        request.entry(k.clone()).or_insert(v.clone());
    }
    for (k, v) in get(m, "min") {
        request.entry(k).or_insert(v);
    }
    if !default.is_empty() {
        m.insert("default".into(), Value::Object(default));
    }
    if !request.is_empty() {
        m.insert("defaultRequest".into(), Value::Object(request));
    }
}

/// Mutating: default requests and limits for containers without them.
pub fn mutate(store: &Store, pod: &mut Value, ns: &str) -> Vec<String> {
    let mut limits = Map::new();
    let mut requests = Map::new();
    for mut item in limit_items(store, ns) {
        default_item(&mut item);
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        for (k, v) in map_of(item.get("default")) {
            limits.insert(k, v);
        }
        for (k, v) in map_of(item.get("defaultRequest")) {
            requests.insert(k, v);
        }
    }
    if limits.is_empty() && requests.is_empty() {
        return vec![];
    }
    let mut notes = Vec::new();
    let Some(spec) = pod.get_mut("spec") else {
        return vec![];
    };
    for key in ["initContainers", "containers"] {
        let Some(cs) = spec.get_mut(key).and_then(Value::as_array_mut) else {
            continue;
        };
        for c in cs.iter_mut() {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let Some(cm) = c.as_object_mut() else {
                continue;
            };
            let res = cm.entry("resources").or_insert_with(|| json!({}));
            let Some(rm) = res.as_object_mut() else {
                continue;
            };
            let mut set = |bucket: &str, defaults: &Map<String, Value>| {
                let b = rm.entry(bucket).or_insert_with(|| json!({}));
                let mut names = Vec::new();
                if let Some(bm) = b.as_object_mut() {
                    for (k, v) in defaults {
                        if !bm.contains_key(k) {
                            bm.insert(k.clone(), v.clone());
                            names.push(k.clone());
                        }
                    }
                }
                if b.as_object().is_some_and(Map::is_empty) {
                    rm.remove(bucket);
                }
                crate::sort::sort(&mut names);
                names
            };
            let lim = set("limits", &limits);
            let req = set("requests", &requests);
            if !req.is_empty() {
                notes.push(format!("{} request for container {name}", req.join(", ")));
            }
            if !lim.is_empty() {
                notes.push(format!("{} limit for container {name}", lim.join(", ")));
            }
        }
    }
    if !notes.is_empty() {
        let text = format!("LimitRanger plugin set: {}", notes.join("; "));
        if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
            let ann = meta.entry("annotations").or_insert_with(|| json!({}));
            if let Some(a) = ann.as_object_mut() {
                a.insert(ANNOTATION.into(), json!(text));
            }
        }
    }
    notes
}

fn bucket(c: &Value, b: &str) -> Vec<(String, Q)> {
    map_of(c.pointer(&format!("/resources/{b}")))
        .into_iter()
        .filter_map(|(k, v)| Q::of(&v).map(|q| (k, q)))
        .collect()
}

fn find(list: &[(String, Q)], k: &str) -> Option<Q> {
    list.iter().find(|(n, _)| n == k).map(|(_, q)| *q)
}

fn check(ty: &str, item: &Value, req: &[(String, Q)], lim: &[(String, Q)], errs: &mut Vec<String>) {
    for (k, v) in map_of(item.get("min")) {
        let Some(e) = Q::of(&v) else { continue };
        match (find(req, &k), find(lim, &k)) {
            (None, _) => errs.push(format!(
                "minimum {k} usage per {ty} is {e}.  No request is specified"
            )),
            (Some(r), _) if r.milli < e.milli => errs.push(format!(
                "minimum {k} usage per {ty} is {e}, but request is {r}"
            )),
            (_, Some(l)) if l.milli < e.milli => errs.push(format!(
                "minimum {k} usage per {ty} is {e}, but limit is {l}"
            )),
            _ => {}
        }
    }
    for (k, v) in map_of(item.get("max")) {
        let Some(e) = Q::of(&v) else { continue };
        match (find(req, &k), find(lim, &k)) {
            (_, None) => errs.push(format!(
                "maximum {k} usage per {ty} is {e}.  No limit is specified"
            )),
            (_, Some(l)) if l.milli > e.milli => errs.push(format!(
                "maximum {k} usage per {ty} is {e}, but limit is {l}"
            )),
            (Some(r), _) if r.milli > e.milli => errs.push(format!(
                "maximum {k} usage per {ty} is {e}, but request is {r}"
            )),
            _ => {}
        }
    }
    for (k, v) in map_of(item.get("maxLimitRequestRatio")) {
        let Some(e) = Q::of(&v) else { continue };
        let r = find(req, &k).filter(|r| r.milli != 0);
        let l = find(lim, &k).filter(|l| l.milli != 0);
        match (r, l) {
            (None, _) => errs.push(format!("{k} max limit to request ratio per {ty} is {e}, but no request is specified or request is 0")),
            (_, None) => errs.push(format!("{k} max limit to request ratio per {ty} is {e}, but no limit is specified or limit is 0")),
            (Some(r), Some(l)) => {
                let ratio = l.milli as f64 / r.milli as f64;
                if ratio * 1000.0 > e.milli as f64 {
                    errs.push(format!("{k} max limit to request ratio per {ty} is {e}, but provided ratio is {ratio:.6}"));
                }
            }
        }
    }
}

/// Pod totals: the sum over containers, or the largest init container if larger.
fn pod_total(spec: &Value, b: &str) -> Vec<(String, Q)> {
    let mut total: Vec<(String, Q)> = Vec::new();
    for c in spec
        .get("containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (k, q) in bucket(c, b) {
            match total.iter_mut().find(|(n, _)| *n == k) {
                Some((_, t)) => *t = t.plus(q),
                None => total.push((k, q)),
            }
        }
    }
    for c in spec
        .get("initContainers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (k, q) in bucket(c, b) {
            match total.iter_mut().find(|(n, _)| *n == k) {
                Some((_, t)) if q.milli > t.milli => *t = q,
                Some(_) => {}
                None => total.push((k, q)),
            }
        }
    }
    total
}

/// Validating: `Err` is the text after `pods "x" is forbidden: `.
pub fn validate(store: &Store, pod: &Value, ns: &str) -> Result<Vec<String>, String> {
    let items = limit_items(store, ns);
    if items.is_empty() {
        return Ok(vec![]);
    }
    let null = Value::Null;
    let spec = pod.get("spec").unwrap_or(&null);
    let mut errs = Vec::new();
    for item in &items {
        match item.get("type").and_then(Value::as_str) {
            Some("Container") => {
                for key in ["containers", "initContainers"] {
                    for c in spec
                        .get(key)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        check(
                            "Container",
                            item,
                            &bucket(c, "requests"),
                            &bucket(c, "limits"),
                            &mut errs,
                        );
                    }
                }
            }
            Some("Pod") => check(
                "Pod",
                item,
                &pod_total(spec, "requests"),
                &pod_total(spec, "limits"),
                &mut errs,
            ),
            _ => {}
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    match seen.len() {
        0 => Ok(vec![format!(
            "within the limits of {} LimitRange item(s)",
            items.len()
        )]),
        1 => Err(seen.concat()),
        _ => Err(format!("[{}]", seen.join(", "))),
    }
}
