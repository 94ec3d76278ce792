//! kube-scheduler v1.33, simulated: the scheduling framework and its
//! default plugins (laid out as upstream's
//! `pkg/scheduler/framework/plugins/`), the scheduling queue, a cache of
//! per-node state updated incrementally, preemption, profiles from a
//! `KubeSchedulerConfiguration`, and explanations of every decision.
//!
//! A [`Scheduler`] is one profile under one name (`default-scheduler`); it
//! takes the pods whose `spec.schedulerName` is its name. The cluster loop
//! calls [`Scheduler::schedule_pending`] when the store changed or at
//! [`Scheduler::next_wakeup`], and records the events it returns.
//!
//! **Determinism.** Upstream picks randomly among the nodes with the best
//! score and starts each search at a rotating offset. Here the rotation is
//! kept (the search starts where the previous one stopped, as upstream's
//! `nextStartNodeIndex`), and ties go to the first best node in evaluation
//! order — the same cluster and inputs always give the same placements.

pub mod bench;
pub mod cache;
pub mod component;
pub mod config;
pub mod explain;
pub mod framework;
pub mod messages;
pub mod plugins;
pub mod profile;
pub mod queue;
pub mod types;

pub use explain::Explanation;
pub use profile::Profile;

pub use component::KubeScheduler;

use crate::api::resolve;
use crate::apiserver::ApiServer;
use crate::clock::Time;
use crate::events::{Event, EventType, Source};
use cache::Cache;
use framework::{
    num_feasible_nodes_to_find, Code, CycleState, Framework, NodeStatuses, PostFilterResult, Status,
};
use queue::{ClusterEvent, QState, SchedulingQueue};
use serde_json::{json, Value};
use std::collections::HashSet;
use types::{NodeInfo, PodInfo};

/// How a scheduling attempt ended.
#[derive(Debug)]
pub enum Outcome {
    Scheduled {
        node: String,
    },
    Failed {
        /// The FailedScheduling message (preemption part included).
        message: String,
        rejected_by: Vec<&'static str>,
        post_filter: Option<PostFilterResult>,
    },
}

/// One scheduling cycle's decision, before binding.
#[derive(Debug)]
pub struct Decision {
    pub outcome: Outcome,
    /// Nodes looked at by Filter.
    pub evaluated: usize,
}

#[derive(Debug)]
pub struct Scheduler {
    name: String,
    /// The hostname of the process (its events' reporting instance).
    host: String,
    profile: Profile,
    fw: Framework,
    cache: Cache,
    queue: SchedulingQueue,
    last_revision: i64,
    /// The watch cache's epoch at the last refresh: when it moves (the
    /// store was replaced), the change log cannot say what changed.
    last_epoch: u64,
    next_start_node_index: usize,
}

/// The scheduling algorithm (`schedulePod`): PreFilter, Filter over the
/// nodes from `start` until enough feasible ones are found, PostFilter when
/// none is, then PreScore, Score, NormalizeScore, weights, and the best
/// node. `start` moves past the nodes looked at.
pub fn schedule_pod(fw: &Framework, cache: &Cache, pod: &PodInfo, start: &mut usize) -> Decision {
    let n = cache.nodes.len();
    if n == 0 {
        return Decision {
            outcome: Outcome::Failed {
                message: messages::NO_NODES.into(),
                rejected_by: vec![],
                post_filter: None,
            },
            evaluated: 0,
        };
    }
    let mut state = CycleState::default();
    let pre = fw.run_pre_filters(&mut state, pod, cache);
    if !pre.is_success() {
        // Every node gets the PreFilter's status.
        let statuses: NodeStatuses = (0..n).map(|i| (i, pre.clone())).collect();
        let (pf, post_msg) = run_post_filter(fw, &state, pod, cache, &statuses);
        let d = messages::Diagnosis {
            node_reasons: vec![pre.reasons.clone(); n],
            pre_filter_msg: pre.message(),
            post_filter_msg: post_msg,
            ..Default::default()
        };
        return Decision {
            outcome: Outcome::Failed {
                message: messages::fit_error(n, &d),
                rejected_by: vec![pre.plugin],
                post_filter: pf,
            },
            evaluated: 0,
        };
    }
    // The nominated node first: if it fits, it is the one.
    if !pod.nominated_node_name.is_empty() {
        if let Some(node) = cache.node(&pod.nominated_node_name) {
            if fw.run_filters(&state, pod, node, cache).is_success() {
                return Decision {
                    outcome: Outcome::Scheduled {
                        node: node.name.clone(),
                    },
                    evaluated: 1,
                };
            }
        }
    }
    let want = num_feasible_nodes_to_find(fw.percentage_of_nodes_to_score, n);
    let mut feasible: Vec<&NodeInfo> = Vec::with_capacity(want.min(n));
    let mut statuses: NodeStatuses = Vec::new();
    let filters = fw.active_filters(&state);
    let begin = *start % n;
    let mut processed = 0;
    for k in 0..n {
        if feasible.len() >= want {
            break;
        }
        let idx = (begin + k) % n;
        let Some(node) = cache.nodes.get(idx) else {
            continue;
        };
        processed += 1;
        let st = Framework::run_active_filters(&filters, &state, pod, node, cache);
        if st.is_success() {
            feasible.push(node);
        } else {
            statuses.push((idx, st));
        }
    }
    *start = (begin + processed) % n;
    if feasible.is_empty() {
        let (pf, post_msg) = run_post_filter(fw, &state, pod, cache, &statuses);
        let mut rejected_by: Vec<&'static str> = statuses.iter().map(|(_, s)| s.plugin).collect();
        crate::sort::sort(&mut rejected_by);
        rejected_by.dedup();
        let d = messages::Diagnosis {
            node_reasons: statuses.iter().map(|(_, s)| s.reasons.clone()).collect(),
            post_filter_msg: post_msg,
            ..Default::default()
        };
        return Decision {
            outcome: Outcome::Failed {
                message: messages::fit_error(n, &d),
                rejected_by,
                post_filter: pf,
            },
            evaluated: processed,
        };
    }
    if feasible.len() == 1 {
        let node = feasible.first().map(|n| n.name.clone()).unwrap_or_default();
        return Decision {
            outcome: Outcome::Scheduled { node },
            evaluated: processed,
        };
    }
    fw.run_pre_scores(&mut state, pod, &feasible, cache);
    let scores = fw.run_scores(&state, pod, &feasible, cache);
    let mut best: Option<(i64, usize)> = None;
    for i in 0..feasible.len() {
        let total: i64 = scores
            .iter()
            .map(|s| s.normalized.get(i).copied().unwrap_or(0) * s.weight)
            .sum();
        if best.is_none_or(|(b, _)| total > b) {
            best = Some((total, i));
        }
    }
    let node = best
        .and_then(|(_, i)| feasible.get(i))
        .map(|n| n.name.clone())
        .unwrap_or_default();
    Decision {
        outcome: Outcome::Scheduled { node },
        evaluated: processed,
    }
}

fn run_post_filter(
    fw: &Framework,
    state: &CycleState,
    pod: &PodInfo,
    cache: &Cache,
    statuses: &NodeStatuses,
) -> (Option<PostFilterResult>, String) {
    let mut msgs = Vec::new();
    for p in &fw.post_filter {
        let (r, st) = p.post_filter(state, pod, cache, fw, statuses);
        if st.is_success() {
            return (r, String::new());
        }
        msgs.push(st.message());
        if st.code != Code::Unschedulable {
            return (r, msgs.join(" "));
        }
        if r.is_some() {
            return (r, msgs.join(" "));
        }
    }
    (None, msgs.join(" "))
}

fn regarding(p: &PodInfo) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": p.name, "namespace": p.namespace, "uid": p.uid, "resourceVersion": p.resource_version},
    })
}

impl Scheduler {
    pub fn new(name: &str, profile: Profile) -> Self {
        let fw = profile.framework(name);
        Scheduler {
            name: name.to_string(),
            host: "controlplane".into(),
            profile,
            fw,
            cache: Cache::default(),
            queue: SchedulingQueue::default(),
            last_revision: -1,
            last_epoch: 0,
            next_start_node_index: 0,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The same scheduler run by a process with another hostname.
    pub fn on_host(mut self, host: &str) -> Self {
        self.host = host.to_string();
        self
    }

    fn source(&self) -> Source {
        Source::scheduler_on(&self.name, &self.host)
    }

    /// Brings the cache and the queue up to date with the apiserver.
    ///
    /// Like the real scheduler's informers, it takes in only what changed
    /// since the last refresh (the store's change log says which keys), so
    /// that a round costs the changes, not every pod and node of the
    /// cluster. When the log cannot tell (the first refresh, compaction, a
    /// restored store) it reads everything, with the same outcome.
    fn refresh(&mut self, api: &ApiServer, now: Time) {
        let rev = api.store().revision();
        if rev == self.last_revision {
            return;
        }
        let epoch = api.cache_epoch();
        let changed =
            (self.last_revision >= 0 && rev > self.last_revision && epoch == self.last_epoch)
                .then(|| api.keys_changed_since(self.last_revision + 1))
                .flatten();
        self.last_revision = rev;
        self.last_epoch = epoch;
        let mut events: Vec<ClusterEvent> = Vec::new();
        match changed {
            Some(keys) => self.refresh_changed(api, &keys, now, &mut events),
            None => self.refresh_all(api, now, &mut events),
        }
        events.dedup();
        for ev in events {
            self.queue.on_event(ev, now);
        }
    }

    /// [`Scheduler::refresh`] from the keys that changed, in key order.
    fn refresh_changed(
        &mut self,
        api: &ApiServer,
        keys: &std::collections::BTreeSet<String>,
        now: Time,
        events: &mut Vec<ClusterEvent>,
    ) {
        let under = |prefix: &'static str| {
            keys.range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |k| k.starts_with(prefix))
        };
        let mut gone_nodes = Vec::new();
        for key in under("/registry/minions/") {
            match api.get_by_key(key) {
                Some(v) => {
                    if self.cache.upsert_node(NodeInfo::parse(&v)) {
                        events.push(ClusterEvent::NodeAddOrUpdate);
                    }
                }
                None => gone_nodes.push(key.trim_start_matches("/registry/minions/").to_string()),
            }
        }
        for g in gone_nodes {
            self.cache.remove_node(&g);
        }
        if under("/registry/namespaces/").next().is_some() {
            self.refresh_namespaces(api);
        }
        if under("/registry/persistentvolumeclaims/").next().is_some()
            || under("/registry/persistentvolumes/").next().is_some()
            || under("/registry/storageclasses/").next().is_some()
        {
            self.refresh_storage(api, events);
        }
        let mut gone_pods = Vec::new();
        for key in under("/registry/pods/") {
            let short = key.trim_start_matches("/registry/pods/");
            match api.get_by_key(key) {
                Some(v) => self.take_pod(short.to_string(), &v, now, events),
                None => gone_pods.push(short.to_string()),
            }
        }
        for k in gone_pods {
            self.queue.pods.remove(&k);
            if self.cache.remove_pod(&k).is_some() {
                events.push(ClusterEvent::AssignedPodDelete);
            }
        }
    }

    /// [`Scheduler::refresh`] from every node and pod.
    fn refresh_all(&mut self, api: &ApiServer, now: Time, events: &mut Vec<ClusterEvent>) {
        if let Some(res) = resolve("nodes") {
            let mut seen = HashSet::new();
            for v in api.list_shared(res, None) {
                let n = NodeInfo::parse(&v);
                seen.insert(n.name.clone());
                if self.cache.upsert_node(n) {
                    events.push(ClusterEvent::NodeAddOrUpdate);
                }
            }
            let gone: Vec<String> = self
                .cache
                .nodes
                .iter()
                .map(|n| n.name.clone())
                .filter(|n| !seen.contains(n))
                .collect();
            for g in gone {
                self.cache.remove_node(&g);
            }
        }
        self.refresh_namespaces(api);
        self.refresh_storage(api, events);
        if let Some(res) = resolve("pods") {
            let mut seen: HashSet<String> = HashSet::new();
            // The cached pods themselves; only a changed one is parsed.
            for v in api.list_shared(res, None) {
                let ns = crate::api::object::namespace(&v).unwrap_or("default");
                let key = format!("{}/{}", ns, crate::api::object::name(&v));
                seen.insert(key.clone());
                self.take_pod(key, &v, now, events);
            }
            let gone: Vec<String> = self
                .cache
                .assigned
                .keys()
                .filter(|k| !seen.contains(*k))
                .cloned()
                .collect();
            for k in gone {
                self.cache.remove_pod(&k);
                events.push(ClusterEvent::AssignedPodDelete);
            }
            self.queue.pods.retain(|k, _| seen.contains(k));
        }
    }

    fn refresh_namespaces(&mut self, api: &ApiServer) {
        if let Some(res) = resolve("namespaces") {
            self.cache.namespaces = api
                .list_shared(res, None)
                .iter()
                .map(|ns| {
                    (
                        crate::api::object::name(ns).to_string(),
                        types::labels_of(ns.pointer("/metadata/labels")),
                    )
                })
                .collect();
        }
    }

    fn refresh_storage(&mut self, api: &ApiServer, events: &mut Vec<ClusterEvent>) {
        let mut storage_changed = false;
        for (plural, ns_scoped) in [
            ("persistentvolumeclaims", true),
            ("persistentvolumes", false),
            ("storageclasses", false),
        ] {
            let Some(res) = resolve(plural) else { continue };
            let map: std::collections::HashMap<String, Value> = api
                .list(res, None)
                .into_iter()
                .map(|v| {
                    let name = crate::api::object::name(&v).to_string();
                    let key = if ns_scoped {
                        format!(
                            "{}/{}",
                            crate::api::object::namespace(&v).unwrap_or("default"),
                            name
                        )
                    } else {
                        name
                    };
                    (key, v)
                })
                .collect();
            let slot = match plural {
                "persistentvolumeclaims" => &mut self.cache.pvcs,
                "persistentvolumes" => &mut self.cache.pvs,
                _ => &mut self.cache.storage_classes,
            };
            if *slot != map {
                *slot = map;
                storage_changed = true;
            }
        }
        if storage_changed {
            events.push(ClusterEvent::StorageChange);
        }
    }

    /// Takes in one pod (`namespace/name`) as it is now: into the cache
    /// when bound, into the queue when it waits for this scheduler.
    fn take_pod(&mut self, key: String, v: &Value, now: Time, events: &mut Vec<ClusterEvent>) {
        let rv = crate::api::object::str_at(v, "metadata.resourceVersion").unwrap_or("");
        if self
            .cache
            .assigned
            .get(&key)
            .is_some_and(|p| p.resource_version == rv)
            || self.queue.is_current(&key, rv)
        {
            return;
        }
        let p = PodInfo::parse(v);
        if !p.node_name.is_empty() {
            self.queue.remove(&key);
            if p.is_terminal() {
                if self.cache.remove_pod(&key).is_some() {
                    events.push(ClusterEvent::AssignedPodDelete);
                }
                return;
            }
            let was = self.cache.assigned.contains_key(&key);
            self.cache.add_pod(p);
            if !was {
                events.push(ClusterEvent::AssignedPodAdd);
            }
            return;
        }
        if self.cache.remove_pod(&key).is_some() {
            events.push(ClusterEvent::AssignedPodDelete);
        }
        if p.scheduler_name != self.name || p.deleting || p.is_terminal() {
            self.queue.remove(&key);
            return;
        }
        let gated = self
            .fw
            .pre_enqueue
            .iter()
            .any(|pl| !pl.pre_enqueue(&p).is_success());
        self.queue.upsert(p, gated, now);
    }

    /// Schedules every pod whose turn has come at `now`, binding through
    /// the apiserver, and returns the events to record.
    pub fn schedule_pending(&mut self, api: &mut ApiServer, now: Time) -> Vec<Event> {
        self.refresh(api, now);
        let mut events = Vec::new();
        self.mark_gated(api, now);
        let ready = self.queue.ready(now, &*self.fw.queue_sort);
        for key in ready {
            let Some(q) = self.queue.pods.get(&key) else {
                continue;
            };
            let pod = q.pod.clone();
            let decision =
                schedule_pod(&self.fw, &self.cache, &pod, &mut self.next_start_node_index);
            match decision.outcome {
                Outcome::Scheduled { node } => match self.bind(api, &pod, &node, now) {
                    Ok(()) => {
                        self.queue.remove(&key);
                        events.push(Event {
                            regarding: regarding(&pod),
                            field_path: None,
                            type_: EventType::Normal,
                            reason: "Scheduled".into(),
                            message: messages::scheduled(&pod.namespace, &pod.name, &node),
                            source: self.source(),
                        });
                    }
                    Err(msg) => {
                        let rv =
                            self.write_unschedulable(api, &pod, &msg, "SchedulerError", None, now);
                        self.queue.failed(&key, now, vec![], rv);
                        events.push(self.failed_event(&pod, msg));
                    }
                },
                Outcome::Failed {
                    message,
                    rejected_by,
                    post_filter,
                } => {
                    let mut nominated = None;
                    if let Some(pf) = post_filter {
                        for (ns, name, uid) in &pf.victims {
                            if let Some(ev) = self.evict(
                                api,
                                ns,
                                name,
                                uid,
                                &pod,
                                pf.nominated_node_name.as_deref().unwrap_or(""),
                                now,
                            ) {
                                events.push(ev);
                            }
                        }
                        nominated = pf.nominated_node_name;
                    }
                    let rv = self.write_unschedulable(
                        api,
                        &pod,
                        &message,
                        "Unschedulable",
                        nominated,
                        now,
                    );
                    self.queue.failed(&key, now, rejected_by, rv);
                    events.push(self.failed_event(&pod, message));
                }
            }
        }
        // Our own writes are in the store now; the next refresh sees them by resourceVersion.
        events
    }

    fn failed_event(&self, pod: &PodInfo, message: String) -> Event {
        Event {
            regarding: regarding(pod),
            field_path: None,
            type_: EventType::Warning,
            reason: "FailedScheduling".into(),
            message,
            source: self.source(),
        }
    }

    /// Assume (into the cache), Reserve, Permit, PreBind, Bind; undone on failure.
    fn bind(
        &mut self,
        api: &mut ApiServer,
        pod: &PodInfo,
        node: &str,
        now: Time,
    ) -> Result<(), String> {
        let mut assumed = pod.clone();
        assumed.node_name = node.to_string();
        assumed.nominated_node_name.clear();
        let key = pod.key();
        self.cache.add_pod(assumed);
        let mut state = CycleState::default();
        let fail = |this: &mut Scheduler, state: &mut CycleState, msg: String| {
            for r in &this.fw.reserve {
                r.unreserve(state, pod, node);
            }
            this.cache.remove_pod(&key);
            Err(msg)
        };
        for r in &self.fw.reserve {
            let st = r.reserve(&mut state, pod, node);
            if !st.is_success() {
                return fail(self, &mut state, st.message());
            }
        }
        for p in &self.fw.permit {
            let st = p.permit(&mut state, pod, node);
            if st.is_rejected() || st.code == Code::Error {
                return fail(self, &mut state, st.message());
            }
        }
        for p in &self.fw.pre_bind {
            let st = p.pre_bind(api, &self.cache, pod, node, now);
            if !st.is_success() {
                let msg = format!("running PreBind plugin \"{}\": {}", p.name(), st.message());
                return fail(self, &mut state, msg);
            }
        }
        for b in &self.fw.bind {
            let st = b.bind(api, pod, node, now);
            if st.is_skip() {
                continue;
            }
            if st.is_success() {
                return Ok(());
            }
            return fail(
                self,
                &mut state,
                messages::binding_rejected(b.name(), &st.message()),
            );
        }
        fail(self, &mut state, "no bind plugin bound the pod".into())
    }

    /// Deletes a preemption victim (with its `DisruptionTarget` condition
    /// first, as the preemptor does) and says so on the victim.
    #[allow(clippy::too_many_arguments)]
    fn evict(
        &mut self,
        api: &mut ApiServer,
        ns: &str,
        name: &str,
        uid: &str,
        preemptor: &PodInfo,
        node: &str,
        now: Time,
    ) -> Option<Event> {
        let pods = resolve("pods")?;
        let mut victim = api.get(pods, Some(ns), name).ok()?;
        if victim.pointer("/metadata/uid").and_then(Value::as_str) != Some(uid) {
            return None;
        }
        plugins::defaultbinder::set_condition(
            &mut victim,
            json!({"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                   "message": format!("{}: preempting to accommodate a higher priority pod", self.name),
                   "lastProbeTime": null, "lastTransitionTime": now.rfc3339()}),
        );
        let victim = api
            .update_status(pods, Some(ns), victim.clone())
            .unwrap_or(victim);
        // Graceful, as the preemptor deletes: the victim keeps its node's
        // resources until its kubelet has stopped it.
        api.delete_with(
            pods,
            Some(ns),
            name,
            crate::apiserver::DeleteOptions::default(),
            now,
        )
        .ok()?;
        // The victim stays in the cache until the store says it is gone:
        // that deletion is the AssignedPodDelete event which moves the
        // preemptor (waiting as unschedulable) back to the queue.
        Some(Event {
            regarding: victim,
            field_path: None,
            type_: EventType::Normal,
            reason: "Preempted".into(),
            message: messages::preempted(&preemptor.uid, node),
            source: self.source(),
        })
    }

    /// Writes `PodScheduled=False` (and a nomination) when it changed;
    /// returns the new resourceVersion.
    fn write_unschedulable(
        &mut self,
        api: &mut ApiServer,
        pod: &PodInfo,
        message: &str,
        reason: &str,
        nominated: Option<String>,
        now: Time,
    ) -> Option<String> {
        let pods = resolve("pods")?;
        let mut obj = api.get(pods, Some(&pod.namespace), &pod.name).ok()?;
        let current = obj
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .and_then(|l| {
                l.iter()
                    .find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"))
            })
            .cloned();
        let same = current.as_ref().is_some_and(|c| {
            c.get("status").and_then(Value::as_str) == Some("False")
                && c.get("reason").and_then(Value::as_str) == Some(reason)
                && c.get("message").and_then(Value::as_str) == Some(message)
        });
        let nominated_changed = nominated.as_ref().is_some_and(|n| {
            obj.pointer("/status/nominatedNodeName")
                .and_then(Value::as_str)
                .unwrap_or("")
                != n
        });
        if same && !nominated_changed {
            return None;
        }
        let transition = match &current {
            Some(c) if c.get("status").and_then(Value::as_str) == Some("False") => c
                .get("lastTransitionTime")
                .cloned()
                .unwrap_or(json!(now.rfc3339())),
            _ => json!(now.rfc3339()),
        };
        plugins::defaultbinder::set_condition(
            &mut obj,
            json!({"type": "PodScheduled", "status": "False", "lastProbeTime": null, "lastTransitionTime": transition, "reason": reason, "message": message}),
        );
        if let Some(n) = nominated {
            if n.is_empty() {
                if let Some(st) = obj.get_mut("status").and_then(Value::as_object_mut) {
                    st.remove("nominatedNodeName");
                }
            } else {
                crate::api::object::set(&mut obj, "status.nominatedNodeName", json!(n));
            }
        }
        let updated = api.update_status(pods, Some(&pod.namespace), obj).ok()?;
        crate::api::object::str_at(&updated, "metadata.resourceVersion").map(str::to_string)
    }

    /// Gated pods get `PodScheduled=False` with reason `SchedulingGated`
    /// (the apiserver sets it on create in Kubernetes; written here when missing).
    fn mark_gated(&mut self, api: &mut ApiServer, now: Time) {
        let gated: Vec<PodInfo> = self
            .queue
            .pods
            .values()
            .filter(|q| q.state == QState::Gated && q.own_rv != q.pod.resource_version)
            .map(|q| q.pod.clone())
            .collect();
        for p in gated {
            if let Some(rv) = self.write_unschedulable(
                api,
                &p,
                messages::SCHEDULING_GATED_MESSAGE,
                "SchedulingGated",
                None,
                now,
            ) {
                if let Some(q) = self.queue.pods.get_mut(&p.key()) {
                    q.own_rv = rv;
                }
            } else if let Some(q) = self.queue.pods.get_mut(&p.key()) {
                q.own_rv = q.pod.resource_version.clone();
            }
        }
    }

    /// The earliest backoff expiry (or unschedulable-pool flush) of a waiting pod.
    pub fn next_wakeup(&self) -> Option<Time> {
        self.queue.next_wakeup()
    }

    /// Why `ns/pod` goes (or went) where it does, against the cache as of
    /// the last [`Scheduler::schedule_pending`]: every node, every Filter
    /// plugin's verdict, every Score plugin's raw, normalized and weighted
    /// score, the choice. Every node is considered (no sampling).
    pub fn explain(&self, api: &ApiServer, ns: &str, pod: &str) -> Option<Explanation> {
        let res = resolve("pods")?;
        let obj = api.get(res, Some(ns), pod).ok()?;
        let mut p = PodInfo::parse(&obj);
        let bound_to = (!p.node_name.is_empty()).then(|| p.node_name.clone());
        let mut cache_copy;
        let cache: &Cache = if self.cache.assigned.contains_key(&p.key()) {
            cache_copy = self.cache.clone();
            cache_copy.remove_pod(&p.key());
            &cache_copy
        } else {
            &self.cache
        };
        p.node_name.clear();
        Some(explain_with(&self.fw, cache, &p, bound_to))
    }
}

fn verdict(st: &Status) -> explain::Verdict {
    explain::Verdict {
        plugin: st.plugin.to_string(),
        code: st.code.as_str().to_string(),
        reasons: st.reasons.clone(),
    }
}

/// The explanation of scheduling `pod` against `cache`.
pub fn explain_with(
    fw: &Framework,
    cache: &Cache,
    pod: &PodInfo,
    bound_to: Option<String>,
) -> Explanation {
    let mut state = CycleState::default();
    let mut pre_filter = Vec::new();
    let mut pre_failed: Option<Status> = None;
    for pl in &fw.pre_filter {
        let st = pl.pre_filter(&mut state, pod, cache).with_plugin(pl.name());
        if st.is_skip() {
            state.skip_filter.push(pl.name());
        } else if !st.is_success() && pre_failed.is_none() {
            pre_failed = Some(st.clone());
        }
        pre_filter.push(verdict(&st));
        if pre_failed.is_some() {
            break;
        }
    }
    let mut nodes: Vec<explain::NodeExplanation> = Vec::new();
    let mut feasible: Vec<&NodeInfo> = Vec::new();
    let mut statuses: NodeStatuses = Vec::new();
    for (i, node) in cache.nodes.iter().enumerate() {
        let (filters, first) = match &pre_failed {
            Some(st) => (vec![], Some(st.clone())),
            None => {
                let all = fw.run_all_filters(&state, pod, node, cache);
                let first = all
                    .iter()
                    .find(|s| !s.is_success() && !s.is_skip())
                    .cloned();
                (all, first)
            }
        };
        if first.is_none() {
            feasible.push(node);
        } else if let Some(f) = &first {
            statuses.push((i, f.clone()));
        }
        nodes.push(explain::NodeExplanation {
            node: node.name.clone(),
            filters: filters.iter().map(verdict).collect(),
            rejected_by: first.as_ref().map(|s| s.plugin.to_string()),
            feasible: first.is_none(),
            scores: vec![],
            total: 0,
        });
    }
    let mut chosen = None;
    let mut message = None;
    if feasible.is_empty() {
        let d = messages::Diagnosis {
            node_reasons: statuses.iter().map(|(_, s)| s.reasons.clone()).collect(),
            pre_filter_msg: pre_failed.as_ref().map(|s| s.message()).unwrap_or_default(),
            ..Default::default()
        };
        message = Some(if cache.nodes.is_empty() {
            messages::NO_NODES.to_string()
        } else {
            messages::fit_error(cache.nodes.len(), &d)
        });
    } else {
        fw.run_pre_scores(&mut state, pod, &feasible, cache);
        let scores = fw.run_scores(&state, pod, &feasible, cache);
        let mut best: Option<(i64, String)> = None;
        for (i, node) in feasible.iter().enumerate() {
            let lines: Vec<explain::ScoreLine> = scores
                .iter()
                .map(|s| {
                    let normalized = s.normalized.get(i).copied().unwrap_or(0);
                    explain::ScoreLine {
                        plugin: s.plugin.to_string(),
                        raw: s.raw.get(i).copied().unwrap_or(0),
                        normalized,
                        weight: s.weight,
                        weighted: normalized * s.weight,
                    }
                })
                .collect();
            let total = lines.iter().map(|l| l.weighted).sum();
            if best.as_ref().is_none_or(|(b, _)| total > *b) {
                best = Some((total, node.name.clone()));
            }
            if let Some(ne) = nodes.iter_mut().find(|n| n.node == node.name) {
                ne.scores = lines;
                ne.total = total;
            }
        }
        chosen = best.map(|(_, n)| n);
    }
    Explanation {
        pod: pod.key(),
        scheduler_name: fw.scheduler_name.clone(),
        bound_to,
        pre_filter,
        nodes,
        chosen,
        message,
    }
}

#[cfg(test)]
mod tests;
