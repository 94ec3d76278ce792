// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The ReplicaSet and ReplicationController controllers
//! (`pkg/controller/replicaset`): keep `replicas` pods matching the selector,
//! adopting orphans and releasing pods whose labels no longer match.

use super::journal::Keys;
use super::util::{self, event};
use super::workqueue::RateLimiter;
use crate::api::object;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use crate::maps::BoxedMap;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
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
    seen: BoxedMap<Seen>,
    /// Per ReplicaSet uid, what its last sync learnt of each pod it read
    /// (see [`Facts`]).
    facts: BoxedMap<PodFacts>,
    /// The apiserver's change count the last sync started from: the
    /// ReplicaSets to look at again are those the changes since name (its
    /// own, its pods', an orphan of its namespace) and those whose wake-up
    /// came, as the real controller's workqueue holds the keys its
    /// informers' events enqueued. `None` before the first sync, or after
    /// one that could not tell (every ReplicaSet is looked at).
    since: Option<u64>,
    /// Every ReplicaSet's key by uid, kept from the changes.
    keys: Keys,
}

/// What a sync needs to know of a pod, read from its JSON: a pure
/// function of the pod and of the ReplicaSet's uid, selector and template
/// labels. A ReplicaSet is synced again whenever one of its hundred pods
/// changes, and each such sync read every pod's owner references,
/// labels, phase and conditions again, though the other ninety-nine were
/// the very same objects: the watch cache's `Arc`s, which a write
/// replaces and never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Facts {
    /// Its controller is this ReplicaSet.
    mine: bool,
    /// The selector selects it.
    matches: bool,
    /// It has a controller (this ReplicaSet or another).
    controlled: bool,
    deleting: bool,
    /// `controller.IsPodActive`.
    active: bool,
    /// It carries every label of the template (`fullyLabeledReplicas`).
    full: bool,
    ready: bool,
    /// Since when it is Ready (`util::ready_since`).
    ready_since: Option<Time>,
}

/// One ReplicaSet's [`Facts`] at its last read of its pods: each cached
/// pod object read (held, so that no other object takes its address) with
/// its facts, in key order as the watch cache lists them, and the selector
/// and template labels they were read against. The next read walks both
/// lists side by side: a pod that is the very same object keeps its facts,
/// and only the pods written since are read again.
#[derive(Debug, Default)]
struct PodFacts {
    selection: (Option<Value>, Option<Value>),
    pods: Vec<(Arc<Value>, Facts)>,
}

/// What of a ReplicaSet the [`Facts`] of its pods depend on (besides its
/// uid): its selector and its template's labels.
fn selection(rs: &Value) -> (Option<&Value>, Option<&Value>) {
    (
        object::at(rs, "spec.selector"),
        object::at(rs, "spec.template.metadata.labels"),
    )
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
            facts: BTreeMap::new(),
            since: None,
            keys: Keys::default(),
        }
    }

    /// The keys of the ReplicaSets a change since the last sync concerns
    /// or whose wake-up is due at `now`, in key order; `None` when the
    /// journal cannot tell. Takes in the ReplicaSets created and deleted.
    fn dirty(&mut self, api: &crate::apiserver::ApiServer, now: Time) -> Option<BTreeSet<String>> {
        let since = self.since?;
        let named = self
            .keys
            .read_changes(api, since, self.plural(), "pods", |_| ())?;
        for uid in &named.gone {
            // Gone: so is what was kept for it.
            self.owners.remove(uid);
            self.failures.retain(|u| u != uid.as_str());
            self.seen.remove(uid);
            self.facts.remove(uid);
        }
        self.owners.extend(
            named
                .uids
                .iter()
                .filter(|u| self.keys.get(u).is_some())
                .cloned(),
        );
        let mut dirty = self.keys.of_named(&named);
        for (uid, s) in &self.seen {
            if s.wakeup.is_some_and(|t| t <= now) {
                dirty.extend(self.keys.get(uid).cloned());
            }
        }
        Some(dirty)
    }

    /// Syncs `rs` unless it and the pods it reads are as its last sync
    /// saw them and its wake-up has not come.
    fn sync_if_changed(&mut self, ctx: &mut SyncContext<'_>, rs: &Arc<Value>) {
        let ns = object::namespace(rs).unwrap_or("default");
        let uid = util::uid(rs);
        // Taken before the sync: its own writes make it run once more.
        let pods = ctx.api.controller_pods_stamp(ns, uid, true);
        if self.unchanged(rs, pods, ctx.now) {
            return;
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

    /// Whether `rs`, with its pods at stamp `pods`, is as its last sync saw
    /// it, and its wake-up has not come: a sync would do nothing.
    fn unchanged(&self, rs: &Arc<Value>, pods: u64, now: Time) -> bool {
        self.seen.get(util::uid(rs)).is_some_and(|s| {
            Arc::ptr_eq(&s.rs, rs) && s.pods == pods && s.wakeup.is_none_or(|t| t > now)
        })
    }

    /// Test builds: every ReplicaSet a sync did not look at would have been
    /// skipped anyway, and the uids kept from the changes are every
    /// ReplicaSet's.
    #[cfg(test)]
    fn check_skipped(
        &self,
        api: &crate::apiserver::ApiServer,
        looked: &BTreeSet<String>,
        now: Time,
    ) {
        let all = util::list(api, self.plural(), None);
        assert_eq!(
            self.owners,
            util::uids(&all),
            "{}: owners",
            self.component()
        );
        for rs in &all {
            let ns = object::namespace(rs).unwrap_or("default");
            let key = format!("{ns}/{}", object::name(rs));
            assert_eq!(self.keys.get(util::uid(rs)), Some(&key));
            if looked.contains(&key) {
                continue;
            }
            let pods = api.controller_pods_stamp(ns, util::uid(rs), true);
            assert!(
                self.unchanged(rs, pods, now),
                "{} did not look at {key}, which changed",
                self.component()
            );
        }
    }

    /// The [`Facts`] of `pod` for `rs`, read from its JSON.
    fn read_facts(&self, rs: &Value, pod: &Value) -> Facts {
        let labels = util::labels_ref(pod);
        let full = object::at(rs, "spec.template.metadata.labels")
            .and_then(Value::as_object)
            .is_none_or(|t| t.iter().all(|(k, v)| labels.get(k) == Some(v)));
        Facts {
            mine: util::is_controlled_by(pod, rs),
            matches: self.selects(rs, pod),
            controlled: util::controller_of(pod).is_some(),
            deleting: util::is_deleting(pod),
            active: util::pod_active(pod),
            full,
            ready: util::pod_ready(pod),
            ready_since: util::ready_since(pod),
        }
    }

    /// The [`Facts`] of `pods` for `rs`, in order: those of a pod object
    /// read before (against the same selector and template labels) as they
    /// were, the others read now. Only these pods' are kept.
    fn facts(&mut self, rs: &Value, pods: &[Arc<Value>]) -> Vec<Facts> {
        let uid = util::uid(rs);
        let mut cached = self.facts.remove(uid).unwrap_or_default();
        let (selector, template) = selection(rs);
        if cached.selection.0.as_ref() != selector || cached.selection.1.as_ref() != template {
            *cached = PodFacts {
                selection: (selector.cloned(), template.cloned()),
                ..PodFacts::default()
            };
        }
        // Both lists are in key order, and the pods of one namespace:
        // in name order. Most syncs change a few pods of a hundred; a map
        // of the facts by pod, built or searched at each sync, was most
        // of the sync's cost.
        let mut before = std::mem::take(&mut cached.pods).into_iter().peekable();
        let mut kept = Vec::with_capacity(pods.len());
        for pod in pods {
            let mut known = None;
            while let Some((p, f)) = before.peek() {
                if Arc::ptr_eq(p, pod) {
                    known = Some(*f);
                    before.next();
                    break;
                }
                match object::name(p).cmp(object::name(pod)) {
                    // Gone (or not read this time: an orphan).
                    std::cmp::Ordering::Less => {
                        before.next();
                    }
                    // Written since: read again.
                    std::cmp::Ordering::Equal => {
                        before.next();
                        break;
                    }
                    // New.
                    std::cmp::Ordering::Greater => break,
                }
            }
            let f = known.unwrap_or_else(|| self.read_facts(rs, pod));
            #[cfg(test)]
            assert_eq!(f, self.read_facts(rs, pod), "stale facts of a pod");
            kept.push((Arc::clone(pod), f));
        }
        let out = kept.iter().map(|(_, f)| *f).collect();
        cached.pods = kept;
        self.facts.insert(uid.to_string(), cached);
        out
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
        let count = ctx.api.change_count();
        match self.dirty(ctx.api, ctx.now) {
            Some(keys) => {
                for key in &keys {
                    let (ns, name) = key.split_once('/').unwrap_or_default();
                    if let Some(rs) = util::get_shared(ctx.api, self.plural(), Some(ns), name) {
                        self.sync_if_changed(ctx, &rs);
                    }
                }
                #[cfg(test)]
                self.check_skipped(ctx.api, &keys, ctx.now);
            }
            None => {
                let all = util::list(ctx.api, self.plural(), None);
                let uids = crate::sort::set(all.iter().map(|rs| util::uid(rs)));
                // A deleted ReplicaSet's back-off goes with it.
                self.failures.retain(|uid| uids.contains(uid));
                self.seen.retain(|uid, _| uids.contains(uid.as_str()));
                self.facts.retain(|uid, _| uids.contains(uid.as_str()));
                self.owners = util::uids(&all);
                self.keys = Keys::of(&all);
                for rs in &all {
                    self.sync_if_changed(ctx, rs);
                }
            }
        }
        self.since = Some(count);
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
        let mut owned: Vec<(Arc<Value>, Facts)> = Vec::new();
        let pods = ctx.api.pods_for_controller(&ns, &rs_uid, true);
        let facts = self.facts(rs, &pods);
        for (pod, f) in pods.into_iter().zip(facts) {
            let (mine, matches) = (f.mine, f.matches);
            if mine && !matches && !f.deleting {
                // Release: the pod's labels no longer match.
                let mut p = Value::clone(&pod);
                util::release(&mut p, &rs_uid);
                util::update(ctx.api, "pods", p);
                continue;
            }
            if !mine
                && matches
                && !f.controlled
                && !f.deleting
                && !util::is_deleting(rs)
                && !self.selector_empty(rs)
            {
                let mut p = Value::clone(&pod);
                util::adopt(&mut p, rs);
                if let Some(p) = util::update(ctx.api, "pods", p) {
                    let f = self.read_facts(rs, &p);
                    owned.push((Arc::new(p), f));
                }
                continue;
            }
            if mine {
                owned.push((pod, f));
            }
        }
        let active: Vec<&Value> = owned
            .iter()
            .filter(|(_, f)| f.active)
            .map(|(p, _)| &**p)
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
        let pods = util::pods_controlled_by(ctx.api, ns, &rs);
        let facts = self.facts(&rs, &pods);
        let (mut replicas, mut full, mut ready, mut avail) = (0, 0, 0, 0);
        for f in facts.iter().filter(|f| f.active) {
            replicas += 1;
            if f.full {
                full += 1;
            }
            if f.ready {
                ready += 1;
                // util::pod_available and util::available_at, from the facts.
                let since = f.ready_since;
                let available = min_ready <= 0
                    || since.is_some_and(|t| t + Duration::from_secs(min_ready) <= ctx.now);
                if available {
                    avail += 1;
                } else {
                    let at = since
                        .map(|t| t + Duration::from_secs(min_ready))
                        .filter(|t| min_ready > 0 && *t > ctx.now);
                    self.wakeup = util::earliest(self.wakeup, at);
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
        status.insert("replicas".into(), json!(replicas));
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
