// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! What every controller needs: typed access to the resource table, label
//! selectors, owner references, pod readiness, `intstr` percentages and the
//! pod-template hash — the pieces of `k8s.io/kubernetes/pkg/controller` and
//! apimachinery the reconcilers share.

use crate::api::{object, resolve, Resource};
use crate::apiserver::{ApiServer, Change, DeleteOptions};
use crate::clock::{Duration, Time};
use crate::cluster::SyncContext;
use crate::events::{Event, EventType, Source};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The resource for a plural name (always in the table for the kinds used here).
pub fn res(plural: &str) -> Option<Resource> {
    resolve(plural).copied()
}

/// The objects as the watch cache holds them, shared rather than copied:
/// controllers read far more than they write.
pub fn list(api: &ApiServer, plural: &str, ns: Option<&str>) -> Vec<Arc<Value>> {
    res(plural)
        .map(|r| api.list_shared(&r, ns))
        .unwrap_or_default()
}

pub fn get(api: &ApiServer, plural: &str, ns: Option<&str>, name: &str) -> Option<Value> {
    res(plural).and_then(|r| api.get(&r, ns, name).ok())
}

/// [`get`] without copying: the cached object itself.
pub fn get_shared(
    api: &ApiServer,
    plural: &str,
    ns: Option<&str>,
    name: &str,
) -> Option<Arc<Value>> {
    res(plural).and_then(|r| api.get_shared(&r, ns, name))
}

pub fn create(
    api: &mut ApiServer,
    plural: &str,
    ns: Option<&str>,
    obj: Value,
    now: Time,
) -> Option<Value> {
    res(plural).and_then(|r| api.create(&r, ns, obj, now).ok())
}

pub fn update(api: &mut ApiServer, plural: &str, obj: Value) -> Option<Value> {
    let ns = object::namespace(&obj).map(String::from);
    res(plural).and_then(|r| api.update(&r, ns.as_deref(), obj).ok())
}

pub fn delete(api: &mut ApiServer, plural: &str, ns: Option<&str>, name: &str) -> bool {
    res(plural).is_some_and(|r| api.delete(&r, ns, name).is_ok())
}

/// Deletes a pod as the controllers do (`PodControl.DeletePod`): a plain
/// `DELETE` with default options, so a bound pod gets its grace period and
/// stays `Terminating` until its kubelet confirms.
pub fn delete_pod(api: &mut ApiServer, ns: &str, name: &str, now: Time) -> bool {
    res("pods").is_some_and(|r| {
        api.delete_with(&r, Some(ns), name, DeleteOptions::default(), now)
            .is_ok()
    })
}

/// Writes `obj` back only if it differs from `old` (idempotent reconcilers).
pub fn update_if_changed(
    api: &mut ApiServer,
    plural: &str,
    old: &Value,
    obj: Value,
) -> Option<Value> {
    if eq_ignoring_rv(old, &obj) {
        return None;
    }
    update(api, plural, obj)
}

/// `strip_rv(a) == strip_rv(b)` without copying either object.
pub fn eq_ignoring_rv(a: &Value, b: &Value) -> bool {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, va)| {
                    let Some(vb) = b.get(k) else { return false };
                    if k != "metadata" {
                        return va == vb;
                    }
                    match (va.as_object(), vb.as_object()) {
                        (Some(ma), Some(mb)) => {
                            let rv = "resourceVersion";
                            ma.iter().filter(|(k, _)| *k != rv).count()
                                == mb.iter().filter(|(k, _)| *k != rv).count()
                                && ma
                                    .iter()
                                    .filter(|(k, _)| *k != rv)
                                    .all(|(k, v)| mb.get(k) == Some(v))
                        }
                        _ => va == vb,
                    }
                })
        }
        _ => a == b,
    }
}

pub fn strip_rv(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("resourceVersion");
    }
    v
}

pub fn uid(obj: &Value) -> &str {
    object::str_at(obj, "metadata.uid").unwrap_or("")
}

pub fn i64_at(obj: &Value, path: &str) -> Option<i64> {
    object::at(obj, path).and_then(Value::as_i64)
}

pub fn is_deleting(obj: &Value) -> bool {
    object::at(obj, "metadata.deletionTimestamp").is_some_and(|v| !v.is_null())
}

pub fn created(obj: &Value) -> Time {
    object::str_at(obj, "metadata.creationTimestamp")
        .and_then(Time::parse_rfc3339)
        .unwrap_or_default()
}

/// An object's labels without copying them (empty when it has none): a
/// controller matches every pod of its own at each sync.
pub fn labels_ref(obj: &Value) -> &Map<String, Value> {
    static NONE: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    object::at(obj, "metadata.labels")
        .and_then(Value::as_object)
        .unwrap_or_else(|| NONE.get_or_init(Map::new))
}

pub fn labels(obj: &Value) -> Map<String, Value> {
    object::at(obj, "metadata.labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Does a `metav1.LabelSelector` select these labels? An empty selector
/// selects everything; a missing one (`None`) nothing.
pub fn selector_matches(selector: Option<&Value>, labels: &Map<String, Value>) -> bool {
    let Some(sel) = selector.filter(|s| s.is_object()) else {
        return false;
    };
    if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in ml {
            if labels.get(k) != Some(v) {
                return false;
            }
        }
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let have = labels.get(key).and_then(Value::as_str);
        let ok = match e.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => have.is_none_or(|h| !values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Whether a selector selects nothing at all: `{}` selects everything, which
/// controllers refuse (upstream: "empty selector is not allowed").
pub fn selector_is_empty(selector: Option<&Value>) -> bool {
    match selector {
        None => true,
        Some(s) => {
            s.get("matchLabels")
                .and_then(Value::as_object)
                .is_none_or(|m| m.is_empty())
                && s.get("matchExpressions")
                    .and_then(Value::as_array)
                    .is_none_or(|a| a.is_empty())
        }
    }
}

/// A plain `map[string]string` selector (ReplicationController, Service).
pub fn map_selector_matches(selector: Option<&Value>, labels: &Map<String, Value>) -> bool {
    match selector.and_then(Value::as_object) {
        Some(m) if !m.is_empty() => m.iter().all(|(k, v)| labels.get(k) == Some(v)),
        _ => false,
    }
}

/// The controller owner reference of an object, if any.
pub fn controller_of(obj: &Value) -> Option<&Value> {
    object::at(obj, "metadata.ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// Whether `change` is a write or delete of an object of `plural` (by
/// its key's resource segment, as the store files it).
pub fn is_change_of(change: &Change, plural: &str) -> bool {
    resolve(plural).is_some_and(|r| r.etcd_prefix.split('/').next() == Some(change.segment()))
}

/// The uids of `objects`: a controller remembers those of the owners it
/// synced, to tell which pod changes concern it.
pub fn uids(objects: &[Arc<Value>]) -> BTreeSet<String> {
    crate::sort::set(objects.iter().map(|o| uid(o).to_string()))
}

/// Whether a pod's change may concern a controller whose objects have the
/// uids `owners`: the pod, before or after, is controlled by one of them
/// (by uid, as `is_controlled_by` compares), or has no controller when
/// the controller `adopts` orphans. A pod another controller owns is none
/// of its business (`controller.PodControllerRefManager`).
pub fn pod_change_concerns(change: &Change, owners: &BTreeSet<String>, adopts: bool) -> bool {
    change.versions().any(|pod| match controller_of(pod) {
        None => adopts,
        Some(r) => r
            .get("uid")
            .and_then(Value::as_str)
            .is_some_and(|u| owners.contains(u)),
    })
}

pub fn is_controlled_by(obj: &Value, owner: &Value) -> bool {
    controller_of(obj)
        .and_then(|r| r.get("uid"))
        .and_then(Value::as_str)
        == Some(uid(owner))
}

/// The owner reference a controller puts on what it creates.
pub fn owner_ref(owner: &Value) -> Value {
    json!({
        "apiVersion": owner.get("apiVersion").cloned().unwrap_or(Value::Null),
        "blockOwnerDeletion": true,
        "controller": true,
        "kind": owner.get("kind").cloned().unwrap_or(Value::Null),
        "name": object::name(owner),
        "uid": uid(owner),
    })
}

/// Adds `owner` as controller of `obj` (adoption).
pub fn adopt(obj: &mut Value, owner: &Value) {
    let mut refs = object::at(obj, "metadata.ownerReferences")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    refs.push(owner_ref(owner));
    object::set(obj, "metadata.ownerReferences", Value::Array(refs));
}

/// Removes `owner`'s reference from `obj` (release, orphaning).
pub fn release(obj: &mut Value, owner_uid: &str) {
    let refs: Vec<Value> = object::at(obj, "metadata.ownerReferences")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.get("uid").and_then(Value::as_str) != Some(owner_uid))
        .collect();
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if refs.is_empty() {
            m.remove("ownerReferences");
        } else {
            m.insert("ownerReferences".into(), Value::Array(refs));
        }
    }
}

/// A condition of an object's `status.conditions` by type.
pub fn condition<'a>(obj: &'a Value, type_: &str) -> Option<&'a Value> {
    object::at(obj, "status.conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
}

pub fn condition_true(obj: &Value, type_: &str) -> bool {
    condition(obj, type_)
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
        == Some("True")
}

pub fn phase(pod: &Value) -> &str {
    object::str_at(pod, "status.phase").unwrap_or("")
}

pub fn pod_ready(pod: &Value) -> bool {
    condition_true(pod, "Ready")
}

/// Since when the pod has been Ready (its Ready condition's transition).
pub fn ready_since(pod: &Value) -> Option<Time> {
    let c = condition(pod, "Ready")?;
    if c.get("status").and_then(Value::as_str) != Some("True") {
        return None;
    }
    c.get("lastTransitionTime")
        .and_then(Value::as_str)
        .and_then(Time::parse_rfc3339)
}

/// `podutil.IsPodAvailable`: Ready for at least `min_ready` seconds.
pub fn pod_available(pod: &Value, min_ready: i64, now: Time) -> bool {
    if !pod_ready(pod) {
        return false;
    }
    min_ready <= 0 || ready_since(pod).is_some_and(|t| t + Duration::from_secs(min_ready) <= now)
}

/// When a ready pod becomes available, if later than `now`.
pub fn available_at(pod: &Value, min_ready: i64, now: Time) -> Option<Time> {
    let t = ready_since(pod)? + Duration::from_secs(min_ready);
    (min_ready > 0 && t > now).then_some(t)
}

/// `controller.IsPodActive`: not finished and not being deleted.
pub fn pod_active(pod: &Value) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && !is_deleting(pod)
}

/// `intstr.GetScaledValueFromIntOrPercent`.
pub fn scaled_value(v: Option<&Value>, total: i64, round_up: bool, default: i64) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(default),
        Some(Value::String(s)) => match s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
            Some(p) => {
                let prod = p.saturating_mul(total);
                if round_up {
                    (prod + 99).div_euclid(100)
                } else {
                    prod.div_euclid(100)
                }
            }
            None => s.parse().unwrap_or(default),
        },
        _ => default,
    }
}

/// JSON with object keys sorted: a stable printed form of a value.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            let inner: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        Value::String((*k).clone()),
                        canonical(&m[k.as_str()])
                    )
                })
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// FNV-32a, as Go's `hash/fnv`.
pub fn fnv32a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// apimachinery's `rand.SafeEncodeString`: each character mapped into the
/// suffix alphabet.
pub fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.chars()
        .map(|c| {
            ALPHANUMS
                .get(c as usize % ALPHANUMS.len())
                .map_or('b', |b| *b as char)
        })
        .collect()
}

/// `controller.ComputeHash`: FNV-32a over the template's printed form (here
/// its canonical JSON), the collision count appended little-endian, then the
/// decimal value safe-encoded — `7d4b9c5f8`-style.
pub fn compute_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut bytes = canonical(template).into_bytes();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(&(c as u32).to_le_bytes());
    }
    safe_encode(&fnv32a(&bytes).to_string())
}

/// Creates a pod for a controller and records the outcome on its owner,
/// as client-go's `RealPodControl.CreatePods` does for the ReplicaSet,
/// DaemonSet and Job controllers: `SuccessfulCreate` / `Created pod: x`, or
/// `FailedCreate` / `Error creating: …` with the error returned.
pub fn create_pod(
    ctx: &mut SyncContext<'_>,
    component: &str,
    owner: &Value,
    ns: &str,
    pod: Value,
) -> Result<(), String> {
    let Some(r) = res("pods") else {
        return Ok(());
    };
    match ctx.api.create(&r, Some(ns), pod, ctx.now) {
        Ok(p) => {
            let message = format!("Created pod: {}", object::name(&p));
            event(ctx, component, owner, false, "SuccessfulCreate", message);
            Ok(())
        }
        Err(e) => {
            let message = e.message();
            let text = format!("Error creating: {message}");
            event(ctx, component, owner, true, "FailedCreate", text);
            Err(message)
        }
    }
}

/// An event from a controller about an object.
pub fn event(
    ctx: &mut SyncContext<'_>,
    component: &str,
    regarding: &Value,
    warning: bool,
    reason: &str,
    message: String,
) {
    ctx.events.push(Event {
        regarding: object::reference(regarding),
        field_path: None,
        type_: if warning {
            EventType::Warning
        } else {
            EventType::Normal
        },
        reason: reason.into(),
        message,
        source: Source::component(component),
    });
}

/// A condition in wire form with both timestamps at `now`.
pub fn new_condition(type_: &str, status: &str, reason: &str, message: &str, now: Time) -> Value {
    json!({
        "lastTransitionTime": now.rfc3339(),
        "message": message,
        "reason": reason,
        "status": status,
        "type": type_,
    })
}

/// Sets a condition as upstream's `Set*Condition` helpers do: nothing changes
/// if status and reason are the same; the transition time stays when only the
/// reason changes; the condition moves to the end of the list.
pub fn set_condition(conds: &mut Vec<Value>, mut c: Value) {
    let type_ = c.get("type").cloned();
    if let Some(cur) = conds.iter().find(|x| x.get("type") == type_.as_ref()) {
        if cur.get("status") == c.get("status") && cur.get("reason") == c.get("reason") {
            return;
        }
        if cur.get("status") == c.get("status") {
            if let Some(t) = cur.get("lastTransitionTime") {
                c["lastTransitionTime"] = t.clone();
            }
        }
    }
    conds.retain(|x| x.get("type") != type_.as_ref());
    conds.push(c);
}

/// Which pods a selector picks in a namespace (active or not).
pub fn pods_in(api: &ApiServer, ns: &str) -> Vec<Arc<Value>> {
    list(api, "pods", Some(ns))
}

/// The pods of `ns` that `owner` controls, in key order: the watch
/// cache's index by controller uid (the one the ReplicaSet and DaemonSet
/// controllers read), not a scan of the namespace.
pub fn pods_controlled_by(api: &ApiServer, ns: &str, owner: &Value) -> Vec<Arc<Value>> {
    api.pods_for_controller(ns, uid(owner), false)
}

/// What a sync leaves that anyone can see: the store's revision, the
/// requests sent and the events recorded. Equal before and after, the sync
/// was quiet (the quiet skips of the Job and Deployment controllers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint(i64, u64, usize);

impl Footprint {
    pub fn of(ctx: &SyncContext<'_>) -> Self {
        Footprint(
            ctx.api.store().revision(),
            ctx.api.requests(),
            ctx.events.len(),
        )
    }
}

/// Whether two reads of the watch cache gave the very same objects, in the
/// same order (a changed object is a new `Arc`): a quiet sync's test.
pub fn same_objects(a: &[Arc<Value>], b: &[Arc<Value>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
}

/// Earliest of optional times.
pub fn earliest(a: Option<Time>, b: Option<Time>) -> Option<Time> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
pub mod testing {
    //! A bare apiserver with namespaces, and a loop that runs components
    //! until they stop writing — the cluster's settle, without the rest.
    use super::*;
    use crate::cluster::Component;
    use std::collections::BTreeMap;

    pub fn api() -> ApiServer {
        let mut api = ApiServer::new(1);
        for ns in ["default", "kube-system", "kube-node-lease"] {
            create(
                &mut api,
                "namespaces",
                None,
                json!({"metadata": {"name": ns}}),
                Time::EPOCH,
            );
        }
        api
    }

    pub fn settle(api: &mut ApiServer, comps: &mut [&mut dyn Component], now: Time) {
        let mut machines = BTreeMap::new();
        for _ in 0..64 {
            let before = api.store().revision();
            for c in comps.iter_mut() {
                let mut ctx = SyncContext {
                    api,
                    machines: &mut machines,
                    now,
                    events: Vec::new(),
                };
                c.sync(&mut ctx);
                for e in std::mem::take(&mut ctx.events) {
                    crate::events::record(ctx.api, now, &e);
                }
            }
            if api.store().revision() == before {
                return;
            }
        }
        panic!("components did not settle");
    }

    /// Marks a pod scheduled, running and ready, as a kubelet would.
    pub fn run_pod(api: &mut ApiServer, ns: &str, name: &str, node: &str, ip: &str, now: Time) {
        let Some(mut p) = get(api, "pods", Some(ns), name) else {
            return;
        };
        if object::str_at(&p, "spec.nodeName").is_none() {
            // As the scheduler does: through the binding subresource.
            if let Ok(b) = api.bind(ns, name, node, now) {
                p = b;
            }
            if let Some(b) = get(api, "pods", Some(ns), name) {
                p = b;
            }
        }
        p["status"] = json!({
            "phase": "Running",
            "podIP": ip,
            "conditions": [
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": now.rfc3339()},
                {"type": "Ready", "status": "True", "lastTransitionTime": now.rfc3339()},
            ],
        });
        update(api, "pods", p);
    }

    pub fn set_phase(api: &mut ApiServer, ns: &str, name: &str, phase: &str) {
        let Some(mut p) = get(api, "pods", Some(ns), name) else {
            return;
        };
        p["status"]["phase"] = json!(phase);
        update(api, "pods", p);
    }

    pub fn names(api: &ApiServer, plural: &str, ns: &str) -> Vec<String> {
        list(api, plural, Some(ns))
            .iter()
            .map(|o| object::name(o).to_string())
            .collect()
    }

    pub fn apply(api: &mut ApiServer, plural: &str, yaml: &str, now: Time) -> Value {
        let doc = crate::yaml::parse_documents(yaml)
            .ok()
            .and_then(|d| d.into_iter().next())
            .unwrap_or(Value::Null);
        match res(plural).map(|r| api.create(&r, Some("default"), doc, now)) {
            Some(Ok(v)) => v,
            Some(Err(e)) => panic!("{}", e.kubectl_text()),
            None => panic!("no resource {plural}"),
        }
    }

    pub fn events(api: &ApiServer, ns: &str) -> Vec<String> {
        list(api, "events", Some(ns))
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["reason"].as_str().unwrap_or(""),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_as_upstream() {
        assert_eq!(scaled_value(Some(&json!("25%")), 3, true, 0), 1);
        assert_eq!(scaled_value(Some(&json!("25%")), 3, false, 0), 0);
        assert_eq!(scaled_value(Some(&json!(2)), 3, false, 0), 2);
        assert_eq!(scaled_value(None, 3, false, 1), 1);
    }

    #[test]
    fn hash_is_stable_and_uses_the_suffix_alphabet() {
        let t = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "a", "image": "nginx"}]}});
        let t2 = json!({"spec": {"containers": [{"image": "nginx", "name": "a"}]}, "metadata": {"labels": {"app": "web"}}});
        assert_eq!(compute_hash(&t, None), compute_hash(&t2, None));
        assert_ne!(compute_hash(&t, None), compute_hash(&t, Some(1)));
        assert!(compute_hash(&t, None)
            .chars()
            .all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)));
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }

    #[test]
    fn selectors() {
        let l: Map<String, Value> =
            serde_json::from_value(json!({"app": "web", "tier": "fe"})).unwrap_or_default();
        assert!(selector_matches(
            Some(&json!({"matchLabels": {"app": "web"}})),
            &l
        ));
        assert!(selector_matches(
            Some(
                &json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe"]}]})
            ),
            &l
        ));
        assert!(!selector_matches(
            Some(&json!({"matchExpressions": [{"key": "x", "operator": "Exists"}]})),
            &l
        ));
        assert!(!selector_matches(None, &l));
        assert!(map_selector_matches(Some(&json!({"app": "web"})), &l));
    }
}
