// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The DaemonSet controller (`pkg/controller/daemon`): one pod per eligible
//! node, created with a required node affinity on `metadata.name` so the
//! default scheduler binds it there; the DaemonSet tolerations; RollingUpdate
//! (maxUnavailable) and OnDelete; status counts.

use super::util::{self, event};
use super::workqueue::RateLimiter;
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

const COMPONENT: &str = "daemonset-controller";

#[derive(Debug)]
pub struct DaemonSetController {
    wakeup: Option<Time>,
    /// A DaemonSet whose pod creation was refused is retried with the
    /// workqueue's back-off (5 ms doubling to 1000 s), not at every sync.
    failures: RateLimiter,
    /// The uids of the DaemonSets at the last sync: the pods they control
    /// concern it.
    owners: std::collections::BTreeSet<String>,
    /// Per DaemonSet uid, what its last sync started from: the object, the
    /// stamps of its pods (its own and the namespace's orphans) and of the
    /// Nodes, and the wake-up it asked for. A sync reads nothing else (but
    /// the clock, through that wake-up, and its own back-off), so while
    /// they stay it would write nothing: it is skipped (as the
    /// ReplicaSet controller's are).
    seen: crate::maps::BoxedMap<Seen>,
}

/// What one DaemonSet's last sync started from (see `seen`).
#[derive(Debug)]
struct Seen {
    ds: Arc<Value>,
    pods: u64,
    nodes: u64,
    wakeup: Option<Time>,
}

impl Default for DaemonSetController {
    fn default() -> Self {
        DaemonSetController {
            wakeup: None,
            failures: RateLimiter::default_controller(),
            owners: Default::default(),
            seen: BTreeMap::new(),
        }
    }
}

impl DaemonSetController {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Component for DaemonSetController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }
    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let all = util::list(ctx.api, "daemonsets", None);
        let uids = crate::sort::set(all.iter().map(|ds| util::uid(ds)));
        self.failures.retain(|uid| uids.contains(uid));
        self.seen.retain(|uid, _| uids.contains(uid.as_str()));
        self.owners = util::uids(&all);
        let Some(nodes_res) = util::res("nodes") else {
            return;
        };
        // Taken before the syncs: their own writes make them run once more.
        let nodes_stamp = ctx.api.changes_of(&[&nodes_res]);
        let mut nodes: Option<Vec<Arc<Value>>> = None;
        for ds in all {
            let ns = object::namespace(&ds).unwrap_or("default");
            let uid = util::uid(&ds).to_string();
            let pods = ctx.api.controller_pods_stamp(ns, &uid, true);
            let unchanged = self.seen.get(&uid).is_some_and(|s| {
                Arc::ptr_eq(&s.ds, &ds)
                    && s.pods == pods
                    && s.nodes == nodes_stamp
                    && s.wakeup.is_none_or(|t| t > ctx.now)
            });
            if unchanged {
                continue;
            }
            let nodes = nodes.get_or_insert_with(|| util::list(ctx.api, "nodes", None));
            self.wakeup = None;
            self.sync_one(ctx, Value::clone(&ds), nodes);
            let seen = Seen {
                ds,
                pods,
                nodes: nodes_stamp,
                wakeup: self.wakeup,
            };
            self.seen.insert(uid, Box::new(seen));
        }
        self.wakeup = self.seen.values().filter_map(|s| s.wakeup).min();
    }
    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }

    /// It reads the DaemonSets, the nodes, and the pods they control or
    /// could adopt.
    fn concerns(
        &self,
        _api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        if util::is_change_of(change, "pods") {
            return util::pod_change_concerns(change, &self.owners, true);
        }
        util::is_change_of(change, "daemonsets") || util::is_change_of(change, "nodes")
    }
}

/// The tolerations the controller adds to every DaemonSet pod
/// (`util.AddOrUpdateDaemonPodTolerations`).
pub fn default_tolerations(host_network: bool) -> Vec<Value> {
    let mut t = vec![
        json!({"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"}),
        json!({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"}),
        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure", "operator": "Exists"}),
        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure", "operator": "Exists"}),
        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/pid-pressure", "operator": "Exists"}),
        json!({"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "operator": "Exists"}),
    ];
    if host_network {
        t.push(json!({"effect": "NoSchedule", "key": "node.kubernetes.io/network-unavailable", "operator": "Exists"}));
    }
    t
}

/// Does a toleration tolerate a taint (`v1.Toleration.ToleratesTaint`)?
pub fn tolerates(tol: &Value, taint: &Value) -> bool {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let effect = s(tol, "effect");
    if !effect.is_empty() && effect != s(taint, "effect") {
        return false;
    }
    let key = s(tol, "key");
    if !key.is_empty() && key != s(taint, "key") {
        return false;
    }
    match s(tol, "operator").as_str() {
        "Exists" => true,
        "" | "Equal" => s(tol, "value") == s(taint, "value"),
        _ => false,
    }
}

/// `nodeSelectorTerms` matching against a node (labels and `metadata.name` fields).
pub fn node_selector_terms_match(terms: &[Value], node: &Value) -> bool {
    let labels = util::labels(node);
    let req_match = |r: &Value, value: Option<&str>| -> bool {
        let values: Vec<&str> = r
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match r.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => value.is_some_and(|v| values.contains(&v)),
            "NotIn" => value.is_none_or(|v| !values.contains(&v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            "Gt" | "Lt" => {
                let (Some(v), Some(w)) = (
                    value.and_then(|v| v.parse::<i64>().ok()),
                    values.first().and_then(|w| w.parse::<i64>().ok()),
                ) else {
                    return false;
                };
                if r["operator"] == "Gt" {
                    v > w
                } else {
                    v < w
                }
            }
            _ => false,
        }
    };
    terms.iter().any(|term| {
        let exprs = term.get("matchExpressions").and_then(Value::as_array);
        let fields = term.get("matchFields").and_then(Value::as_array);
        if exprs.is_none_or(|e| e.is_empty()) && fields.is_none_or(|f| f.is_empty()) {
            return false;
        }
        exprs.into_iter().flatten().all(|r| {
            let key = r.get("key").and_then(Value::as_str).unwrap_or("");
            req_match(r, labels.get(key).and_then(Value::as_str))
        }) && fields.into_iter().flatten().all(|r| {
            let v = (r.get("key").and_then(Value::as_str) == Some("metadata.name"))
                .then(|| object::name(node));
            req_match(r, v)
        })
    })
}

/// Whether the DaemonSet should run a pod on this node (`NodeShouldRunDaemonPod`).
fn should_run(ds: &Value, node: &Value) -> bool {
    let spec = object::at(ds, "spec.template.spec")
        .cloned()
        .unwrap_or(json!({}));
    let labels = util::labels(node);
    if let Some(sel) = spec.get("nodeSelector").and_then(Value::as_object) {
        if !sel.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
    }
    if let Some(terms) = spec
        .pointer("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)
    {
        if !node_selector_terms_match(terms, node) {
            return false;
        }
    }
    let host_network = spec.get("hostNetwork").and_then(Value::as_bool) == Some(true);
    let mut tols: Vec<Value> = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    tols.extend(default_tolerations(host_network));
    object::at(node, "spec.taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| {
            matches!(
                t.get("effect").and_then(Value::as_str),
                Some("NoSchedule" | "NoExecute")
            )
        })
        .all(|t| tols.iter().any(|tol| tolerates(tol, t)))
}

/// The node a DaemonSet pod is for: `spec.nodeName`, or its `metadata.name` affinity.
fn pod_node(pod: &Value) -> Option<String> {
    if let Some(n) = object::str_at(pod, "spec.nodeName").filter(|n| !n.is_empty()) {
        return Some(n.to_string());
    }
    pod.pointer("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)?
        .iter()
        .flat_map(|t| t.get("matchFields").and_then(Value::as_array).cloned().unwrap_or_default())
        .find(|f| f.get("key").and_then(Value::as_str) == Some("metadata.name"))
        .and_then(|f| f.pointer("/values/0").and_then(Value::as_str).map(String::from))
}

impl DaemonSetController {
    fn sync_one(&mut self, ctx: &mut SyncContext<'_>, ds: Value, nodes: &[Arc<Value>]) {
        let ns = object::namespace(&ds).unwrap_or("default").to_string();
        if util::selector_is_empty(object::at(&ds, "spec.selector")) {
            return;
        }
        let template = object::at(&ds, "spec.template")
            .cloned()
            .unwrap_or(json!({}));
        let hash = util::compute_hash(&template, util::i64_at(&ds, "status.collisionCount"));
        let generation = util::i64_at(&ds, "metadata.generation").unwrap_or(1);
        let min_ready = util::i64_at(&ds, "spec.minReadySeconds").unwrap_or(0);
        let mut by_node: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        // Its own pods and the orphans: a pod another controller owns is
        // never adopted here.
        for pod in ctx
            .api
            .pods_for_controller(&ns, util::uid(&ds), true)
            .into_iter()
            .map(Arc::unwrap_or_clone)
        {
            let mine = util::is_controlled_by(&pod, &ds);
            let matches =
                util::selector_matches(object::at(&ds, "spec.selector"), &util::labels(&pod));
            let pod = if !mine
                && matches
                && util::controller_of(&pod).is_none()
                && !util::is_deleting(&pod)
            {
                let mut p = pod.clone();
                util::adopt(&mut p, &ds);
                match util::update(ctx.api, "pods", p) {
                    Some(p) => p,
                    None => continue,
                }
            } else if mine {
                pod
            } else {
                continue;
            };
            if let Some(n) = pod_node(&pod) {
                by_node.entry(n).or_default().push(pod);
            }
        }
        let updated = |p: &Value| {
            let l = util::labels(p);
            l.get("controller-revision-hash").and_then(Value::as_str) == Some(hash.as_str())
                || l.get("pod-template-generation").and_then(Value::as_str)
                    == Some(generation.to_string().as_str())
        };
        let deleting = util::is_deleting(&ds);
        let (mut desired, mut current, mut misscheduled, mut ready, mut avail, mut up_to_date) =
            (0, 0, 0, 0, 0, 0);
        let mut to_create = Vec::new();
        let mut to_delete = Vec::new();
        let mut stale = Vec::new();
        let node_names: Vec<String> = nodes.iter().map(|n| object::name(n).to_string()).collect();
        for node in nodes {
            let name = object::name(node).to_string();
            let run = should_run(&ds, node);
            let pods: Vec<Value> = by_node.get(&name).cloned().unwrap_or_default();
            let live: Vec<&Value> = pods.iter().filter(|p| !util::is_deleting(p)).collect();
            if run {
                desired += 1;
                // Failed pods are deleted and replaced.
                for p in live.iter().filter(|p| util::phase(p) == "Failed") {
                    to_delete.push(object::name(p).to_string());
                }
                let ok: Vec<&&Value> = live.iter().filter(|p| util::phase(p) != "Failed").collect();
                if ok.is_empty() {
                    if pods.iter().all(util::is_deleting) {
                        to_create.push(name.clone());
                    }
                } else {
                    current += 1;
                    // Extra pods on one node: keep the oldest.
                    let mut sorted = ok.clone();
                    crate::sort::sort_by_key(&mut sorted, |p| {
                        (util::created(p), object::name(p).to_string())
                    });
                    for extra in sorted.iter().skip(1) {
                        to_delete.push(object::name(extra).to_string());
                    }
                    if let Some(p) = sorted.first() {
                        if util::pod_ready(p) {
                            ready += 1;
                        }
                        if util::pod_available(p, min_ready, ctx.now) {
                            avail += 1;
                        } else {
                            self.wakeup = util::earliest(
                                self.wakeup,
                                util::available_at(p, min_ready, ctx.now),
                            );
                        }
                        if updated(p) {
                            up_to_date += 1;
                        } else {
                            stale.push(((**p).clone(), util::pod_available(p, min_ready, ctx.now)));
                        }
                    }
                }
            } else if !live.is_empty() {
                misscheduled += 1;
                for p in live {
                    to_delete.push(object::name(p).to_string());
                }
            }
        }
        // `getUnscheduledPodsWithoutNode`: only pods not yet bound to the
        // missing node; bound ones are the pod GC's (after its quarantine).
        for (node, pods) in &by_node {
            if !node_names.contains(node) {
                for p in pods
                    .iter()
                    .filter(|p| !util::is_deleting(p))
                    .filter(|p| object::str_at(p, "spec.nodeName").is_none_or(str::is_empty))
                {
                    to_delete.push(object::name(p).to_string());
                }
            }
        }
        if !deleting {
            let uid = util::uid(&ds).to_string();
            match self.failures.waiting(&uid, generation, ctx.now) {
                Some(at) if !to_create.is_empty() => {
                    self.wakeup = util::earliest(self.wakeup, Some(at));
                }
                _ => {
                    // Stop at the first refusal and back off (syncNodes
                    // returns the error; the key is re-added rate-limited).
                    let created = to_create
                        .iter()
                        .all(|node| self.create_pod(ctx, &ds, &ns, node, &hash, generation));
                    if created {
                        self.failures.forget(&uid);
                    } else {
                        let at = self.failures.failed(&uid, generation, ctx.now);
                        self.wakeup = util::earliest(self.wakeup, Some(at));
                    }
                }
            }
            // RollingUpdate: replace stale pods, at most maxUnavailable unavailable at once.
            if object::str_at(&ds, "spec.updateStrategy.type").unwrap_or("RollingUpdate")
                == "RollingUpdate"
            {
                let max_unavail = util::scaled_value(
                    object::at(&ds, "spec.updateStrategy.rollingUpdate.maxUnavailable"),
                    desired,
                    true,
                    1,
                )
                .max(0);
                let mut unavailable = desired - avail;
                for (p, available) in stale {
                    if !available {
                        to_delete.push(object::name(&p).to_string());
                    } else if unavailable < max_unavail {
                        unavailable += 1;
                        to_delete.push(object::name(&p).to_string());
                    }
                }
            }
            crate::sort::sort(&mut to_delete);
            to_delete.dedup();
            for name in to_delete {
                if util::delete_pod(ctx.api, &ns, &name, ctx.now) {
                    event(
                        ctx,
                        COMPONENT,
                        &ds,
                        false,
                        "SuccessfulDelete",
                        format!("Deleted pod: {name}"),
                    );
                }
            }
        }
        let Some(ds) = util::get(ctx.api, "daemonsets", Some(&ns), object::name(&ds)) else {
            return;
        };
        let mut status = serde_json::Map::new();
        if let Some(c) = object::at(&ds, "status.collisionCount") {
            status.insert("collisionCount".into(), c.clone());
        }
        status.insert("currentNumberScheduled".into(), json!(current));
        status.insert("desiredNumberScheduled".into(), json!(desired));
        if avail > 0 {
            status.insert("numberAvailable".into(), json!(avail));
        }
        status.insert("numberMisscheduled".into(), json!(misscheduled));
        status.insert("numberReady".into(), json!(ready));
        if desired - avail > 0 {
            status.insert("numberUnavailable".into(), json!(desired - avail));
        }
        status.insert("observedGeneration".into(), json!(generation));
        if up_to_date > 0 {
            status.insert("updatedNumberScheduled".into(), json!(up_to_date));
        }
        let mut new = ds.clone();
        new["status"] = Value::Object(status);
        util::update_if_changed(ctx.api, "daemonsets", &ds, new);
    }

    fn create_pod(
        &self,
        ctx: &mut SyncContext<'_>,
        ds: &Value,
        ns: &str,
        node: &str,
        hash: &str,
        generation: i64,
    ) -> bool {
        let template = object::at(ds, "spec.template")
            .cloned()
            .unwrap_or(json!({}));
        let mut meta = template
            .get("metadata")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(json!({}));
        let mut spec = template
            .get("spec")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(json!({}));
        if let Some(m) = meta.as_object_mut() {
            m.remove("name");
            m.remove("creationTimestamp");
        }
        meta["generateName"] = json!(format!("{}-", object::name(ds)));
        meta["namespace"] = json!(ns);
        meta["labels"]["controller-revision-hash"] = json!(hash);
        meta["labels"]["pod-template-generation"] = json!(generation.to_string());
        meta["ownerReferences"] = json!([util::owner_ref(ds)]);
        // Required node affinity on the node's name; other required terms are replaced.
        spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = json!({
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]
        });
        let host_network = spec.get("hostNetwork").and_then(Value::as_bool) == Some(true);
        let mut tols: Vec<Value> = spec
            .get("tolerations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for t in default_tolerations(host_network) {
            if !tols
                .iter()
                .any(|x| x.get("key") == t.get("key") && x.get("effect") == t.get("effect"))
            {
                tols.push(t);
            }
        }
        spec["tolerations"] = Value::Array(tols);
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
        util::create_pod(ctx, COMPONENT, ds, ns, pod).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::*;
    use super::*;

    fn node(api: &mut crate::apiserver::ApiServer, name: &str, taints: Value) {
        util::create(
            api,
            "nodes",
            None,
            json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}, "spec": {"taints": taints}}),
            Time::EPOCH,
        );
    }

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: mon\nspec:\n  selector:\n    matchLabels:\n      app: mon\n  template:\n    metadata:\n      labels:\n        app: mon\n    spec:\n      containers:\n      - name: a\n        image: busybox\n";

    #[test]
    fn one_pod_per_eligible_node_following_nodes() {
        let mut api = api();
        let t = Time::EPOCH;
        node(
            &mut api,
            "controlplane",
            json!([{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
        );
        node(&mut api, "node01", json!([]));
        apply(&mut api, "daemonsets", DS, t);
        let mut c = DaemonSetController::new();
        settle(&mut api, &mut [&mut c], t);
        let pods = util::list(&api, "pods", Some("default"));
        assert_eq!(pods.len(), 1);
        assert_eq!(pod_node(&pods[0]).as_deref(), Some("node01"));
        let tols = pods[0]["spec"]["tolerations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(tols.len(), 6);
        assert_eq!(
            pods[0]["metadata"]["labels"]["pod-template-generation"],
            "1"
        );
        node(&mut api, "node02", json!([]));
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(util::list(&api, "pods", Some("default")).len(), 2);
        let ds = util::get(&api, "daemonsets", Some("default"), "mon").unwrap_or_default();
        assert_eq!(ds["status"]["desiredNumberScheduled"], 2);
        assert_eq!(ds["status"]["numberUnavailable"], 2);
        util::delete(&mut api, "nodes", None, "node02");
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(util::list(&api, "pods", Some("default")).len(), 1);
        // With nothing else changed, its pod's readiness reaches the status
        // (a DaemonSet skipped while its inputs stay must not miss it).
        let pod = util::list(&api, "pods", Some("default"))[0]["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        run_pod(&mut api, "default", &pod, "node01", "10.244.1.2", t);
        settle(&mut api, &mut [&mut c], t);
        let ds = util::get(&api, "daemonsets", Some("default"), "mon").unwrap_or_default();
        assert_eq!(ds["status"]["numberReady"], 1);
    }

    #[test]
    fn rolling_update_replaces_pods() {
        let mut api = api();
        let t = Time::EPOCH;
        node(&mut api, "node01", json!([]));
        node(&mut api, "node02", json!([]));
        apply(&mut api, "daemonsets", DS, t);
        let mut c = DaemonSetController::new();
        settle(&mut api, &mut [&mut c], t);
        for (i, p) in util::list(&api, "pods", Some("default")).iter().enumerate() {
            let n = pod_node(p).unwrap_or_default();
            run_pod(
                &mut api,
                "default",
                object::name(p),
                &n,
                &format!("10.0.0.{i}"),
                t,
            );
        }
        let mut ds = util::get(&api, "daemonsets", Some("default"), "mon").unwrap_or_default();
        ds["spec"]["template"]["spec"]["containers"][0]["image"] = json!("busybox:2");
        util::update(&mut api, "daemonsets", ds);
        let t = t + crate::clock::Duration::from_secs(1);
        settle(&mut api, &mut [&mut c], t);
        // maxUnavailable 1: one replaced, the new one not yet ready, so the other waits.
        let all = util::list(&api, "pods", Some("default"));
        // The replaced pod terminates gracefully (its kubelet confirms later).
        assert_eq!(all.iter().filter(|p| util::is_deleting(p)).count(), 1);
        let pods: Vec<&Value> = all
            .iter()
            .filter(|p| !util::is_deleting(p))
            .map(|p| &**p)
            .collect();
        let gens: Vec<String> = pods
            .iter()
            .map(|p| {
                p["metadata"]["labels"]["pod-template-generation"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        assert_eq!(pods.len(), 2, "{gens:?}");
        assert!(
            gens.contains(&"1".to_string()) && gens.contains(&"2".to_string()),
            "{gens:?}"
        );
    }
}
