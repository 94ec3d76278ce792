// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The ReplicaSet and ReplicationController controllers
//! (`pkg/controller/replicaset`): keep `replicas` pods matching the selector,
//! adopting orphans and releasing pods whose labels no longer match.

use super::util::{self, event};
use super::workqueue::RateLimiter;
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which of the two kinds this instance manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    ReplicaSet,
    ReplicationController,
}

#[derive(Debug)]
pub struct ReplicaSetController {
    kind: Kind,
    wakeup: Option<Time>,
    /// Failed creates back off per ReplicaSet uid as the real controller's
    /// workqueue does (`AddRateLimited`, 5 ms doubling to 1000 s): a
    /// forbidden pod is retried a handful of times a minute, not on every
    /// sync; a spec change (new generation) is retried at once.
    failures: RateLimiter,
    /// The uids of the ReplicaSets (or ReplicationControllers) at the last
    /// sync: the pods they control concern it.
    owners: std::collections::BTreeSet<String>,
    /// Per ReplicaSet uid, what its last sync started from: the object,
    /// the stamp of the pods it reads (its own and the namespace's orphans,
    /// [`ApiServer::controller_pods_stamp`]) and the wake-up it asked for.
    /// A sync reads nothing else (but the clock, through that wake-up, and
    /// the back-off, its own), so while these stay it would write nothing:
    /// it is skipped, as the real controller's workqueue holds only the
    /// ReplicaSets an informer event named.
    ///
    /// [`ApiServer::controller_pods_stamp`]: crate::apiserver::ApiServer::controller_pods_stamp
    seen: crate::maps::BoxedMap<Seen>,
}

/// What one ReplicaSet's last sync started from (see `seen`).
#[derive(Debug)]
struct Seen {
    rs: Arc<Value>,
    pods: u64,
    wakeup: Option<Time>,
}

/// What a sync's manageReplicas did, for the ReplicaFailure condition.
enum Manage {
    /// Backing off: the key is not in the queue; the status keeps its
    /// condition as it is.
    Waiting,
    Succeeded,
    Failed(String),
}

impl ReplicaSetController {
    pub fn new(kind: Kind) -> Self {
        ReplicaSetController {
            kind,
            wakeup: None,
            failures: RateLimiter::default_controller(),
            owners: Default::default(),
            seen: BTreeMap::new(),
        }
    }
    fn plural(&self) -> &'static str {
        match self.kind {
            Kind::ReplicaSet => "replicasets",
            Kind::ReplicationController => "replicationcontrollers",
        }
    }
    fn component(&self) -> &'static str {
        match self.kind {
            Kind::ReplicaSet => "replicaset-controller",
            Kind::ReplicationController => "replication-controller",
        }
    }
    fn selects(&self, rs: &Value, pod: &Value) -> bool {
        let labels = util::labels_ref(pod);
        match self.kind {
            Kind::ReplicaSet => util::selector_matches(object::at(rs, "spec.selector"), labels),
            Kind::ReplicationController => {
                let sel = object::at(rs, "spec.selector")
                    .or_else(|| object::at(rs, "spec.template.metadata.labels"));
                util::map_selector_matches(sel, labels)
            }
        }
    }
    fn selector_empty(&self, rs: &Value) -> bool {
        match self.kind {
            Kind::ReplicaSet => util::selector_is_empty(object::at(rs, "spec.selector")),
            Kind::ReplicationController => false,
        }
    }
}

impl Component for ReplicaSetController {
    fn name(&self) -> String {
        self.component().into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let all = util::list(ctx.api, self.plural(), None);
        let uids = crate::sort::set(all.iter().map(|rs| util::uid(rs)));
        // A deleted ReplicaSet's back-off goes with it.
        self.failures.retain(|uid| uids.contains(uid));
        self.seen.retain(|uid, _| uids.contains(uid.as_str()));
        self.owners = util::uids(&all);
        for rs in &all {
            let ns = object::namespace(rs).unwrap_or("default");
            let uid = util::uid(rs);
            // Taken before the sync: its own writes make it run once more.
            let pods = ctx.api.controller_pods_stamp(ns, uid, true);
            let unchanged = self.seen.get(uid).is_some_and(|s| {
                Arc::ptr_eq(&s.rs, rs) && s.pods == pods && s.wakeup.is_none_or(|t| t > ctx.now)
            });
            if unchanged {
                continue;
            }
            self.wakeup = None;
            self.sync_one(ctx, rs);
            let seen = Seen {
                rs: Arc::clone(rs),
                pods,
                wakeup: self.wakeup,
            };
            self.seen.insert(uid.to_string(), Box::new(seen));
        }
        self.wakeup = self.seen.values().filter_map(|s| s.wakeup).min();
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }

    /// It reads its own kind and the pods it controls or could adopt.
    fn concerns(
        &self,
        _api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        if util::is_change_of(change, "pods") {
            return util::pod_change_concerns(change, &self.owners, true);
        }
        util::is_change_of(change, self.plural())
    }
}

/// Sort key for deletion (`controller.ActivePodsWithRanks`): unscheduled,
/// pending, unknown, not ready, more pods on the same node, ready for less
/// time, more restarts, newer — first.
type Rank = (
    u8,
    u8,
    u8,
    std::cmp::Reverse<usize>,
    std::cmp::Reverse<Time>,
    std::cmp::Reverse<i64>,
    std::cmp::Reverse<Time>,
    String,
);

fn deletion_rank(pod: &Value, colocated: usize) -> Rank {
    let assigned = u8::from(object::str_at(pod, "spec.nodeName").is_some_and(|n| !n.is_empty()));
    let phase = match util::phase(pod) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };
    let ready = u8::from(util::pod_ready(pod));
    let since = util::ready_since(pod).unwrap_or_default();
    let restarts: i64 = object::at(pod, "status.containerStatuses")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
                .sum()
        })
        .unwrap_or(0);
    (
        assigned,
        phase,
        ready,
        std::cmp::Reverse(colocated),
        std::cmp::Reverse(since),
        std::cmp::Reverse(restarts),
        std::cmp::Reverse(util::created(pod)),
        object::name(pod).to_string(),
    )
}

impl ReplicaSetController {
    fn sync_one(&mut self, ctx: &mut SyncContext<'_>, rs: &Value) {
        let ns = object::namespace(rs).unwrap_or("default").to_string();
        let rs_uid = util::uid(rs).to_string();
        // The cached pods themselves: only a pod that is written is copied.
        // Its own pods and the orphans: a pod another controller owns is
        // neither released nor adopted here.
        let mut owned: Vec<Arc<Value>> = Vec::new();
        for pod in ctx.api.pods_for_controller(&ns, &rs_uid, true) {
            let mine = util::is_controlled_by(&pod, rs);
            let matches = self.selects(rs, &pod);
            if mine && !matches && !util::is_deleting(&pod) {
                // Release: the pod's labels no longer match.
                let mut p = Value::clone(&pod);
                util::release(&mut p, &rs_uid);
                util::update(ctx.api, "pods", p);
                continue;
            }
            if !mine
                && matches
                && util::controller_of(&pod).is_none()
                && !util::is_deleting(&pod)
                && !util::is_deleting(rs)
                && !self.selector_empty(rs)
            {
                let mut p = Value::clone(&pod);
                util::adopt(&mut p, rs);
                if let Some(p) = util::update(ctx.api, "pods", p) {
                    owned.push(Arc::new(p));
                }
                continue;
            }
            if mine {
                owned.push(pod);
            }
        }
        let active: Vec<&Value> = owned
            .iter()
            .map(|p| &**p)
            .filter(|p| util::pod_active(p))
            .collect();
        let want = util::i64_at(rs, "spec.replicas").unwrap_or(1).max(0) as usize;
        let generation = util::i64_at(rs, "metadata.generation").unwrap_or(0);
        let mut outcome = Manage::Succeeded;
        if !util::is_deleting(rs) && !self.selector_empty(rs) {
            if active.len() < want {
                if let Some(at) = self.failures.waiting(&rs_uid, generation, ctx.now) {
                    self.wakeup = util::earliest(self.wakeup, Some(at));
                    outcome = Manage::Waiting;
                } else {
                    // Stop at the first error, as slowStartBatch does.
                    for _ in 0..(want - active.len()).min(500) {
                        if let Err(e) = self.create_pod(ctx, rs, &ns) {
                            let at = self.failures.failed(&rs_uid, generation, ctx.now);
                            self.wakeup = util::earliest(self.wakeup, Some(at));
                            outcome = Manage::Failed(e);
                            break;
                        }
                    }
                }
            } else if active.len() > want {
                let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
                for p in &active {
                    *per_node
                        .entry(object::str_at(p, "spec.nodeName").unwrap_or("").to_string())
                        .or_default() += 1;
                }
                let mut ranked: Vec<&&Value> = active.iter().collect();
                crate::sort::sort_by_key(&mut ranked, |p| {
                    let node = object::str_at(p, "spec.nodeName").unwrap_or("");
                    deletion_rank(
                        p,
                        if node.is_empty() {
                            0
                        } else {
                            per_node.get(node).copied().unwrap_or(0)
                        },
                    )
                });
                for p in ranked.into_iter().take(active.len() - want) {
                    let name = object::name(p).to_string();
                    if util::delete_pod(ctx.api, &ns, &name, ctx.now) {
                        event(
                            ctx,
                            self.component(),
                            rs,
                            false,
                            "SuccessfulDelete",
                            format!("Deleted pod: {name}"),
                        );
                    }
                }
            }
        }
        if matches!(outcome, Manage::Succeeded) {
            self.failures.forget(&rs_uid);
        }
        self.update_status(ctx, rs, &ns, outcome);
    }

    /// Creates one pod from the template; the error is the apiserver's
    /// message.
    fn create_pod(
        &mut self,
        ctx: &mut SyncContext<'_>,
        rs: &Value,
        ns: &str,
    ) -> Result<(), String> {
        let template = object::at(rs, "spec.template")
            .cloned()
            .unwrap_or(json!({}));
        let mut pod = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": template.get("metadata").cloned().unwrap_or(json!({})),
            "spec": template.get("spec").cloned().unwrap_or(json!({})),
        });
        if !pod["metadata"].is_object() {
            pod["metadata"] = json!({});
        }
        if let Some(m) = pod["metadata"].as_object_mut() {
            m.remove("name");
            m.remove("creationTimestamp");
            m.insert(
                "generateName".into(),
                json!(format!("{}-", object::name(rs))),
            );
            m.insert("namespace".into(), json!(ns));
            m.insert("ownerReferences".into(), json!([util::owner_ref(rs)]));
        }
        util::create_pod(ctx, self.component(), rs, ns, pod)
    }

    /// `manage`: what this sync's pod creation did.
    fn update_status(&mut self, ctx: &mut SyncContext<'_>, rs: &Value, ns: &str, manage: Manage) {
        let Some(rs) = util::get_shared(ctx.api, self.plural(), Some(ns), object::name(rs)) else {
            return;
        };
        let min_ready = util::i64_at(&rs, "spec.minReadySeconds").unwrap_or(0);
        let template_labels = object::at(&rs, "spec.template.metadata.labels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let pods: Vec<Arc<Value>> = util::pods_controlled_by(ctx.api, ns, &rs)
            .into_iter()
            .filter(|p| util::pod_active(p))
            .collect();
        let (mut full, mut ready, mut avail) = (0, 0, 0);
        for p in &pods {
            let l = util::labels_ref(p);
            if template_labels.iter().all(|(k, v)| l.get(k) == Some(v)) {
                full += 1;
            }
            if util::pod_ready(p) {
                ready += 1;
                if util::pod_available(p, min_ready, ctx.now) {
                    avail += 1;
                } else {
                    self.wakeup =
                        util::earliest(self.wakeup, util::available_at(p, min_ready, ctx.now));
                }
            }
        }
        let mut status = serde_json::Map::new();
        if avail > 0 {
            status.insert("availableReplicas".into(), json!(avail));
        }
        // calculateStatus: a failed create adds the ReplicaFailure
        // condition (once; its message stays the first error), a successful
        // sync removes it.
        let mut conditions: Vec<Value> = object::at(&rs, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let failing = util::condition(&rs, "ReplicaFailure").is_some();
        match manage {
            Manage::Failed(message) if !failing => conditions.push(json!({
                "lastTransitionTime": ctx.now.rfc3339(),
                "message": message,
                "reason": "FailedCreate",
                "status": "True",
                "type": "ReplicaFailure",
            })),
            Manage::Succeeded if failing => conditions
                .retain(|c| c.get("type").and_then(Value::as_str) != Some("ReplicaFailure")),
            _ => {}
        }
        if !conditions.is_empty() {
            status.insert("conditions".into(), Value::Array(conditions));
        }
        if full > 0 {
            status.insert("fullyLabeledReplicas".into(), json!(full));
        }
        if let Some(g) = object::at(&rs, "metadata.generation") {
            status.insert("observedGeneration".into(), g.clone());
        }
        if ready > 0 {
            status.insert("readyReplicas".into(), json!(ready));
        }
        status.insert("replicas".into(), json!(pods.len()));
        let status = Value::Object(status);
        // Compared before copying: an unchanged status is not written.
        if rs.get("status") == Some(&status) {
            return;
        }
        let mut new = Value::clone(&rs);
        new["status"] = status;
        util::update_if_changed(ctx.api, self.plural(), &rs, new);
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::*;
    use super::*;

    const RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";

    #[test]
    fn creates_scales_adopts_and_releases() {
        let mut api = api();
        let t = Time::EPOCH;
        apply(&mut api, "pods", "metadata:\n  name: orphan\n  labels:\n    app: web\nspec:\n  containers:\n  - name: a\n    image: nginx\n", t);
        apply(&mut api, "replicasets", RS, t);
        let mut c = ReplicaSetController::new(Kind::ReplicaSet);
        settle(&mut api, &mut [&mut c], t);
        let pods = names(&api, "pods", "default");
        assert_eq!(pods.len(), 3, "{pods:?}");
        assert!(pods.contains(&"orphan".to_string()));
        assert!(pods
            .iter()
            .all(|p| p == "orphan" || (p.starts_with("web-") && p.len() == 9)));
        let orphan = util::get(&api, "pods", Some("default"), "orphan").unwrap_or_default();
        assert_eq!(
            orphan["metadata"]["ownerReferences"][0]["kind"],
            "ReplicaSet"
        );
        assert_eq!(
            orphan["metadata"]["ownerReferences"][0]["blockOwnerDeletion"],
            true
        );
        let ev = events(&api, "default");
        assert!(
            ev.iter()
                .any(|e| e.starts_with("SuccessfulCreate Created pod: web-")),
            "{ev:?}"
        );
        // Relabel the orphan: released, and replaced.
        let mut o = orphan;
        o["metadata"]["labels"]["app"] = json!("other");
        util::update(&mut api, "pods", o);
        settle(&mut api, &mut [&mut c], t);
        let orphan = util::get(&api, "pods", Some("default"), "orphan").unwrap_or_default();
        assert!(orphan["metadata"].get("ownerReferences").is_none());
        assert_eq!(names(&api, "pods", "default").len(), 4);
        // Make one ready; scale to 1: the ready one stays.
        let keep = names(&api, "pods", "default")
            .into_iter()
            .find(|n| n != "orphan")
            .unwrap_or_default();
        run_pod(&mut api, "default", &keep, "node01", "10.244.1.2", t);
        let mut rs = util::get(&api, "replicasets", Some("default"), "web").unwrap_or_default();
        rs["spec"]["replicas"] = json!(1);
        util::update(&mut api, "replicasets", rs);
        let t = t + crate::clock::Duration::from_secs(5);
        settle(&mut api, &mut [&mut c], t);
        let pods = names(&api, "pods", "default");
        assert_eq!(
            pods,
            vec!["orphan".to_string(), keep.clone()]
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        let rs = util::get(&api, "replicasets", Some("default"), "web").unwrap_or_default();
        assert_eq!(
            rs["status"],
            json!({"availableReplicas": 1, "fullyLabeledReplicas": 1, "observedGeneration": 2, "readyReplicas": 1, "replicas": 1})
        );
        assert!(events(&api, "default")
            .iter()
            .any(|e| e.starts_with("SuccessfulDelete Deleted pod: web-")));
    }

    /// A ReplicaSet whose last sync saw nothing to do is skipped until
    /// something it reads changes; each change below must still reach it
    /// (a stale skip would leave the count wrong).
    #[test]
    fn a_quiet_replicaset_still_sees_every_change_to_its_pods() {
        let mut api = api();
        let t = Time::EPOCH;
        apply(&mut api, "replicasets", RS, t);
        let mut c = ReplicaSetController::new(Kind::ReplicaSet);
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(names(&api, "pods", "default").len(), 3);
        let rev = api.store().revision();
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(api.store().revision(), rev, "quiet");
        // A pod of another namespace and an unrelated pod: nothing to do.
        apply(&mut api, "pods", "metadata:\n  name: other\n  labels:\n    app: db\nspec:\n  containers:\n  - name: a\n    image: nginx\n", t);
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(names(&api, "pods", "default").len(), 4);
        // A new matching orphan: adopted, and then, as the newest of four
        // unscheduled pods, the one deleted.
        apply(&mut api, "pods", "metadata:\n  name: stray\n  labels:\n    app: web\nspec:\n  containers:\n  - name: a\n    image: nginx\n", t);
        settle(&mut api, &mut [&mut c], t);
        assert!(util::get(&api, "pods", Some("default"), "stray").is_none());
        assert!(events(&api, "default")
            .iter()
            .any(|e| e == "SuccessfulDelete Deleted pod: stray"));
        let owned = |api: &crate::apiserver::ApiServer| {
            util::list(api, "pods", Some("default"))
                .iter()
                .filter(|p| p["metadata"]["ownerReferences"][0]["name"] == "web")
                .filter(|p| !util::is_deleting(p))
                .count()
        };
        assert_eq!(owned(&api), 3);
        // One of its pods deleted outright: replaced.
        let victim = names(&api, "pods", "default")
            .into_iter()
            .find(|n| n.starts_with("web-"))
            .unwrap_or_default();
        if let Some(pods) = util::res("pods") {
            let _ = api.delete(&pods, Some("default"), &victim);
        }
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(owned(&api), 3);
        // Its status follows a pod's readiness, with the ReplicaSet unchanged.
        let ready = names(&api, "pods", "default")
            .into_iter()
            .find(|n| n.starts_with("web-"))
            .unwrap_or_default();
        run_pod(&mut api, "default", &ready, "node01", "10.244.1.2", t);
        settle(&mut api, &mut [&mut c], t);
        let rs = util::get(&api, "replicasets", Some("default"), "web").unwrap_or_default();
        assert_eq!(rs["status"]["readyReplicas"], 1);
    }

    #[test]
    fn replication_controller_uses_map_selector() {
        let mut api = api();
        let t = Time::EPOCH;
        apply(&mut api, "replicationcontrollers", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n  replicas: 2\n  selector:\n    app: rc\n  template:\n    metadata:\n      labels:\n        app: rc\n    spec:\n      containers:\n      - name: a\n        image: nginx\n", t);
        let mut c = ReplicaSetController::new(Kind::ReplicationController);
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(names(&api, "pods", "default").len(), 2);
        let rc =
            util::get(&api, "replicationcontrollers", Some("default"), "rc").unwrap_or_default();
        assert_eq!(rc["status"]["replicas"], 2);
    }
}
