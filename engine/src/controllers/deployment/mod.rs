// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The Deployment controller (`pkg/controller/deployment`): one ReplicaSet
//! per pod template, named `<deployment>-<pod-template-hash>`; RollingUpdate
//! within maxSurge/maxUnavailable, Recreate, revisions and history cleanup,
//! rollback (the template set back to an old ReplicaSet's), pause, and the
//! Progressing/Available conditions.

use super::journal::{self, Keys};
use super::util::{self, event};
use crate::api::object;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::ops::Bound::{Excluded, Unbounded};
use std::sync::Arc;

const COMPONENT: &str = "deployment-controller";
const REVISION: &str = "deployment.kubernetes.io/revision";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
const HASH_LABEL: &str = "pod-template-hash";

#[derive(Debug, Default)]
pub struct DeploymentController {
    wakeup: Option<Time>,
    /// The uids of every ReplicaSet, kept from the changes: the pods they
    /// control concern it (a Recreate rollout waits for the old ones).
    replica_sets: BTreeSet<String>,
    /// By Deployment uid: what its last sync read, when that sync sent no
    /// request and recorded no event, and the wake-up it asked.
    quiet: crate::maps::BoxedMap<Quiet>,
    /// Set by a sync: the first moment the clock alone may change what a
    /// sync from the same objects does (a progress deadline passing).
    stale_at: Option<Time>,
    /// The apiserver's change count the last sync started from: the
    /// Deployments to look at again are those the changes since name (see
    /// [`journal`]; any pod's for a Recreate one), those whose last sync
    /// was not quiet and those whose quiet went stale, as the real
    /// controller's workqueue holds the keys its informers' events
    /// enqueued. `None` before the first sync, or after one that could not
    /// tell (every Deployment is looked at).
    since: Option<u64>,
    /// Every Deployment's key by uid, kept from the changes.
    keys: Keys,
    /// The keys of the Deployments whose last sync was not quiet.
    busy: BTreeSet<String>,
}

/// A quiet sync of one Deployment (see `DeploymentController::quiet`).
/// Another from the same objects before `stale_at` would be quiet too
/// and ask the same wake-up: it is skipped, and its wake-up kept.
#[derive(Debug)]
struct Quiet {
    read: Read,
    wakeup: Option<Time>,
    stale_at: Option<Time>,
}

/// What one Deployment's sync reads: the Deployment, the ReplicaSets of
/// its namespace it controls and the orphans (it adopts and releases
/// those: the watch cache's index, not a scan of the namespace, which
/// made every sync of every Deployment cost the namespace's ReplicaSets),
/// and for a Recreate rollout the pods (it waits for the old ones to go).
/// The watch cache's objects themselves: a changed object is another one.
/// Its sync decides from these alone (the time matters only where it asks
/// a wake-up), so a sync from the same as a quiet one would be quiet too,
/// and is skipped, as the real controller's work queue holds only the
/// Deployments an informer's event touched.
#[derive(Debug)]
struct Read {
    deployment: Arc<Value>,
    replica_sets: Vec<Arc<Value>>,
    pods: Option<u64>,
}

impl Read {
    fn of(api: &crate::apiserver::ApiServer, d: &Arc<Value>) -> Read {
        let ns = object::namespace(d).unwrap_or("default");
        let replica_sets = api.replicasets_for_controller(ns, util::uid(d), true);
        let recreate = object::str_at(d, "spec.strategy.type") == Some("Recreate");
        let pods = util::res("pods")
            .filter(|_| recreate)
            .map(|r| api.changes_of(&[&r]));
        Read {
            deployment: Arc::clone(d),
            replica_sets,
            pods,
        }
    }

    fn same(&self, other: &Read) -> bool {
        Arc::ptr_eq(&self.deployment, &other.deployment)
            && util::same_objects(&self.replica_sets, &other.replica_sets)
            && self.pods == other.pods
    }
}

impl DeploymentController {
    pub fn new() -> Self {
        Self::default()
    }
}

impl DeploymentController {
    /// Syncs `d` unless what it reads is as its last quiet sync saw it and
    /// that has not gone stale; the wake-up of a sync that was not quiet
    /// joins `asked`.
    fn visit(&mut self, ctx: &mut SyncContext<'_>, d: Arc<Value>, asked: &mut Option<Time>) {
        let uid = util::uid(&d).to_string();
        let key = journal::key_of(&d);
        let read = Read::of(ctx.api, &d);
        if self.skips(&uid, &read, ctx.now) {
            return;
        }
        self.quiet.remove(&uid);
        let before = util::Footprint::of(ctx);
        self.wakeup = None;
        self.stale_at = None;
        self.sync_one(ctx, Arc::unwrap_or_clone(d));
        let wakeup = self.wakeup;
        if util::Footprint::of(ctx) == before {
            self.busy.remove(&key);
            let stale_at = util::earliest(self.stale_at, wakeup);
            self.quiet.insert(
                uid,
                Box::new(Quiet {
                    read,
                    wakeup,
                    stale_at,
                }),
            );
        } else {
            self.busy.insert(key);
            *asked = util::earliest(*asked, wakeup);
        }
    }

    /// Whether the Deployment of `uid`, reading `read`, would be quiet as
    /// its last sync was.
    fn skips(&self, uid: &str, read: &Read, now: Time) -> bool {
        self.quiet
            .get(uid)
            .is_some_and(|q| q.read.same(read) && q.stale_at.is_none_or(|t| t > now))
    }

    /// The keys of the Deployments to look at (see `since`); `None` when
    /// the journal cannot tell.
    fn dirty(&mut self, ctx: &SyncContext<'_>, since: u64) -> Option<BTreeSet<String>> {
        let mut keys = self.named(ctx, since)?;
        keys.extend(self.busy.iter().cloned());
        for (uid, q) in &self.quiet {
            if q.stale_at.is_some_and(|t| t <= ctx.now) {
                keys.extend(self.keys.get(uid).cloned());
            }
        }
        Some(keys)
    }

    /// The keys of the Deployments the changes after `since` name: a
    /// change of the Deployment or of a ReplicaSet it controls, of an
    /// orphan ReplicaSet of its namespace, and of any pod for a Recreate
    /// one (what [`Read`] reads). Takes in the Deployments and ReplicaSets
    /// created and deleted.
    fn named(&mut self, ctx: &SyncContext<'_>, since: u64) -> Option<BTreeSet<String>> {
        let mut pods = false;
        let replica_sets = &mut self.replica_sets;
        let named =
            self.keys
                .read_changes(ctx.api, since, "deployments", "replicasets", |change| {
                    if util::is_change_of(change, "replicasets") {
                        if let Some(o) = &change.old {
                            replica_sets.remove(util::uid(o));
                        }
                        if let Some(o) = &change.new {
                            replica_sets.insert(util::uid(o).to_string());
                        }
                    } else if util::is_change_of(change, "pods") {
                        pods = true;
                    }
                })?;
        for uid in &named.gone {
            self.quiet.remove(uid);
        }
        let mut keys = self.keys.of_named(&named);
        if pods {
            for (uid, q) in &self.quiet {
                if q.read.pods.is_some() {
                    keys.extend(self.keys.get(uid).cloned());
                }
            }
        }
        Some(keys)
    }

    /// Test builds: every Deployment a sync did not look at would have
    /// been skipped, and the uids and keys kept from the changes are
    /// every Deployment's and ReplicaSet's.
    #[cfg(test)]
    fn check_skipped(&self, ctx: &SyncContext<'_>, looked: &BTreeSet<String>) {
        let all = util::list(ctx.api, "deployments", None);
        assert_eq!(
            self.replica_sets,
            util::uids(&util::list(ctx.api, "replicasets", None)),
            "deployment-controller: ReplicaSet uids"
        );
        assert_eq!(
            self.keys.uids().cloned().collect::<BTreeSet<_>>(),
            util::uids(&all),
            "deployment-controller: uids"
        );
        for d in &all {
            let key = journal::key_of(d);
            assert_eq!(self.keys.get(util::uid(d)), Some(&key));
            if !looked.contains(&key) {
                assert!(
                    self.skips(util::uid(d), &Read::of(ctx.api, d), ctx.now),
                    "deployment-controller did not look at {key}, which changed"
                );
            }
        }
    }
}

impl Component for DeploymentController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }
    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let count = ctx.api.change_count();
        let mut asked = None;
        match self.since.and_then(|since| self.dirty(ctx, since)) {
            Some(mut keys) => {
                // In key order, as a scan would meet them; a sync's own
                // writes may name a Deployment further on (an orphan
                // adopted), which a scan would then sync too.
                let mut after: Option<String> = None;
                while let Some(key) = match &after {
                    Some(k) => keys.range::<String, _>((Excluded(k), Unbounded)).next(),
                    None => keys.iter().next(),
                }
                .cloned()
                {
                    let (ns, name) = key.split_once('/').unwrap_or_default();
                    if let Some(d) = util::get_shared(ctx.api, "deployments", Some(ns), name) {
                        let before = ctx.api.change_count();
                        self.visit(ctx, d, &mut asked);
                        if ctx.api.change_count() != before {
                            match self.named(ctx, before) {
                                Some(more) => keys.extend(more),
                                None => keys.extend(self.keys.keys().cloned()),
                            }
                        }
                    }
                    after = Some(key);
                }
                #[cfg(test)]
                self.check_skipped(ctx, &keys);
            }
            None => {
                let all = util::list(ctx.api, "deployments", None);
                self.replica_sets = util::uids(&util::list(ctx.api, "replicasets", None));
                self.keys = Keys::of(&all);
                let uids = crate::sort::set(all.iter().map(|d| util::uid(d)));
                self.quiet.retain(|uid, _| uids.contains(uid.as_str()));
                self.busy.clear();
                for d in all {
                    self.visit(ctx, d, &mut asked);
                }
            }
        }
        self.since = Some(count);
        self.wakeup = self
            .quiet
            .values()
            .map(|q| q.wakeup)
            .fold(asked, util::earliest);
    }
    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }

    /// It reads the Deployments, every ReplicaSet (it adopts orphans),
    /// and the pods ReplicaSets control.
    fn concerns(
        &self,
        _api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        if util::is_change_of(change, "pods") {
            return util::pod_change_concerns(change, &self.replica_sets, false);
        }
        util::is_change_of(change, "deployments") || util::is_change_of(change, "replicasets")
    }
}

fn replicas(o: &Value) -> i64 {
    util::i64_at(o, "spec.replicas").unwrap_or(1).max(0)
}
fn status_i(o: &Value, f: &str) -> i64 {
    util::i64_at(o, &format!("status.{f}")).unwrap_or(0)
}
fn revision(rs: &Value) -> i64 {
    object::at(rs, "metadata.annotations")
        .and_then(|a| a.get(REVISION))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The template without its `pod-template-hash` label (`EqualIgnoreHash`).
fn without_hash(t: &Value) -> Value {
    let mut t = t.clone();
    if let Some(l) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        l.remove(HASH_LABEL);
        if l.is_empty() {
            if let Some(m) = t.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("labels");
            }
        }
    }
    t
}

/// (maxSurge, maxUnavailable) resolved as upstream: surge rounded up,
/// unavailable down, and never both zero.
fn surge_unavailable(d: &Value) -> (i64, i64) {
    if object::str_at(d, "spec.strategy.type") == Some("Recreate") {
        return (0, 0);
    }
    let n = replicas(d);
    let ru = object::at(d, "spec.strategy.rollingUpdate");
    let surge = util::scaled_value(
        ru.and_then(|r| r.get("maxSurge")),
        n,
        true,
        (n * 25 + 99) / 100,
    );
    let mut unavail = util::scaled_value(
        ru.and_then(|r| r.get("maxUnavailable")),
        n,
        false,
        n * 25 / 100,
    );
    if surge == 0 && unavail == 0 {
        unavail = 1;
    }
    (surge, unavail.min(n))
}

impl DeploymentController {
    fn scale_rs(&self, ctx: &mut SyncContext<'_>, d: &Value, rs: &mut Value, to: i64) -> bool {
        let from = replicas(rs);
        let (surge, _) = surge_unavailable(d);
        let mut new = rs.clone();
        new["spec"]["replicas"] = json!(to);
        new["metadata"]["annotations"][DESIRED] = json!(replicas(d).to_string());
        new["metadata"]["annotations"][MAX_REPLICAS] = json!((replicas(d) + surge).to_string());
        if let Some(u) = util::update_if_changed(ctx.api, "replicasets", rs, new) {
            *rs = u;
            if from != to {
                let dir = if to > from { "up" } else { "down" };
                event(
                    ctx,
                    COMPONENT,
                    d,
                    false,
                    "ScalingReplicaSet",
                    format!(
                        "Scaled {dir} replica set {} from {from} to {to}",
                        object::name(rs)
                    ),
                );
                return true;
            }
        }
        false
    }

    fn sync_one(&mut self, ctx: &mut SyncContext<'_>, d: Value) {
        let ns = object::namespace(&d).unwrap_or("default").to_string();
        let name = object::name(&d).to_string();
        if util::is_deleting(&d) || util::selector_is_empty(object::at(&d, "spec.selector")) {
            return;
        }
        let d_uid = util::uid(&d).to_string();
        // Claim ReplicaSets: adopt orphans, release those that stopped matching.
        let mut rss = Vec::new();
        // Only its own and the orphans can be claimed or released: the
        // index holds those, in the order a scan of the namespace meets them.
        for rs in ctx.api.replicasets_for_controller(&ns, &d_uid, true) {
            let mine = util::is_controlled_by(&rs, &d);
            let matches =
                util::selector_matches(object::at(&d, "spec.selector"), &util::labels(&rs));
            if mine && !matches {
                let mut r = Value::clone(&rs);
                util::release(&mut r, &d_uid);
                util::update(ctx.api, "replicasets", r);
            } else if !mine
                && matches
                && util::controller_of(&rs).is_none()
                && !util::is_deleting(&rs)
            {
                let mut r = Value::clone(&rs);
                util::adopt(&mut r, &d);
                if let Some(r) = util::update(ctx.api, "replicasets", r) {
                    rss.push(r);
                }
            } else if mine {
                rss.push(Arc::unwrap_or_clone(rs));
            }
        }
        crate::sort::sort_by_key(&mut rss, |r| {
            (util::created(r), object::name(r).to_string())
        });
        let template = object::at(&d, "spec.template")
            .cloned()
            .unwrap_or(json!({}));
        let new_idx = rss.iter().position(|r| {
            object::at(r, "spec.template").map(without_hash).as_ref()
                == Some(&without_hash(&template))
        });
        let paused = object::at(&d, "spec.paused").and_then(Value::as_bool) == Some(true);
        let mut conds: Vec<Value> = object::at(&d, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let deadline =
            util::i64_at(&d, "spec.progressDeadlineSeconds").filter(|s| *s != i64::from(i32::MAX));
        // Pause/resume conditions.
        let prog_reason = conds
            .iter()
            .find(|c| c["type"] == "Progressing")
            .and_then(|c| c["reason"].as_str())
            .map(String::from);
        if deadline.is_some() {
            if paused && prog_reason.as_deref() != Some("DeploymentPaused") {
                set_prog(
                    &mut conds,
                    "Unknown",
                    "DeploymentPaused",
                    "Deployment is paused",
                    ctx.now,
                );
            } else if !paused && prog_reason.as_deref() == Some("DeploymentPaused") {
                set_prog(
                    &mut conds,
                    "Unknown",
                    "DeploymentResumed",
                    "Deployment is resumed",
                    ctx.now,
                );
            }
        }
        let max_old_rev = rss
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != new_idx)
            .map(|(_, r)| revision(r))
            .max()
            .unwrap_or(0);
        let new_revision = max_old_rev + 1;
        let mut new_rs: Option<Value> = new_idx.and_then(|i| rss.get(i).cloned());
        let mut olds: Vec<Value> = rss
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != new_idx)
            .map(|(_, r)| r.clone())
            .collect();
        let (surge, max_unavail) = surge_unavailable(&d);
        let want = replicas(&d);
        let recreate = object::str_at(&d, "spec.strategy.type") == Some("Recreate");

        // The new ReplicaSet's revision (a rollback makes an old one new again).
        if let Some(rs) = new_rs.as_mut() {
            // Annotations added to the Deployment after the rollout began
            // (`kubectl annotate … kubernetes.io/change-cause=…`) follow.
            let copied = copied_annotations(&d);
            let stale = copied.iter().any(|(k, v)| {
                object::at(rs, "metadata.annotations").and_then(|a| a.get(k)) != Some(v)
            });
            if stale && !paused {
                let mut r = Value::clone(rs);
                for (k, v) in copied {
                    r["metadata"]["annotations"][k] = v;
                }
                if let Some(u) = util::update(ctx.api, "replicasets", r) {
                    *rs = u;
                }
            }
            if revision(rs) < new_revision && !paused {
                let mut r = Value::clone(rs);
                let old = revision(rs);
                r["metadata"]["annotations"][REVISION] = json!(new_revision.to_string());
                if old > 0 {
                    let hist = object::at(rs, "metadata.annotations")
                        .and_then(|a| a.get(REVISION_HISTORY))
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(|h| format!("{h},{old}"))
                        .unwrap_or(old.to_string());
                    r["metadata"]["annotations"][REVISION_HISTORY] = json!(hist);
                }
                if let Some(u) = util::update(ctx.api, "replicasets", r) {
                    *rs = u;
                }
            }
            if deadline.is_some() && !conds.iter().any(|c| c["type"] == "Progressing") {
                set_prog(
                    &mut conds,
                    "True",
                    "FoundNewReplicaSet",
                    &format!("Found new replica set \"{}\"", object::name(rs)),
                    ctx.now,
                );
            }
        }

        let active_count = rss.iter().filter(|r| replicas(r) > 0).count();
        let scaling_event = rss.iter().any(|r| {
            replicas(r) > 0
                && object::at(r, "metadata.annotations")
                    .and_then(|a| a.get(DESIRED))
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<i64>().ok())
                    .is_some_and(|n| n != want)
        });
        if paused || (scaling_event && active_count > 1) {
            // `sync`: scale only (proportionally when several are active).
            self.proportional_scale(ctx, &d, &mut new_rs, &mut olds, want, surge);
        } else if recreate {
            let mut scaled_down = false;
            for rs in olds.iter_mut() {
                if replicas(rs) > 0 {
                    scaled_down |= self.scale_rs(ctx, &d, rs, 0);
                }
            }
            let old_pods_running = !scaled_down
                && util::pods_in(ctx.api, &ns).iter().any(|p| {
                    olds.iter().any(|r| util::is_controlled_by(p, r))
                        && !matches!(util::phase(p), "Succeeded" | "Failed")
                });
            if !scaled_down && !old_pods_running {
                if new_rs.is_none() {
                    new_rs = self.create_rs(ctx, &d, &template, new_revision, 0, &mut conds, &rss);
                }
                if let Some(rs) = new_rs.as_mut() {
                    if replicas(rs) != want {
                        self.scale_rs(ctx, &d, rs, want);
                    }
                }
            }
        } else {
            // RollingUpdate.
            let all_spec: i64 = rss.iter().map(replicas).sum();
            let new_target = |cur_new: i64, all: i64| -> i64 {
                if cur_new >= want {
                    return want;
                }
                let max_total = want + surge;
                if all >= max_total {
                    return cur_new;
                }
                cur_new + (max_total - all).min(want - cur_new)
            };
            match new_rs.as_mut() {
                None => {
                    let n = new_target(0, all_spec);
                    new_rs = self.create_rs(ctx, &d, &template, new_revision, n, &mut conds, &rss);
                }
                Some(rs) => {
                    let cur = replicas(rs);
                    let to = if cur > want {
                        want
                    } else {
                        new_target(cur, all_spec)
                    };
                    if to != cur {
                        self.scale_rs(ctx, &d, rs, to);
                    } else {
                        self.scale_rs(ctx, &d, rs, cur);
                    }
                }
            }
            // Old ReplicaSets down, keeping minAvailable.
            let old_total: i64 = olds.iter().map(replicas).sum();
            if old_total > 0 {
                let all: i64 = olds.iter().map(replicas).sum::<i64>()
                    + new_rs.as_ref().map(replicas).unwrap_or(0);
                let min_available = want - max_unavail;
                let new_unavail = new_rs
                    .as_ref()
                    .map(|r| replicas(r) - status_i(r, "availableReplicas"))
                    .unwrap_or(0)
                    .max(0);
                let mut max_down = all - min_available - new_unavail;
                if max_down > 0 {
                    // Unhealthy replicas first.
                    for rs in olds.iter_mut() {
                        if max_down <= 0 {
                            break;
                        }
                        let unhealthy = replicas(rs) - status_i(rs, "availableReplicas");
                        if unhealthy <= 0 {
                            continue;
                        }
                        let down = unhealthy.min(max_down);
                        let to = replicas(rs) - down;
                        self.scale_rs(ctx, &d, rs, to);
                        max_down -= down;
                    }
                    let available: i64 = olds
                        .iter()
                        .chain(new_rs.iter())
                        .map(|r| status_i(r, "availableReplicas"))
                        .sum();
                    if available > min_available {
                        let mut total_down = (available - min_available).min(max_down.max(0));
                        for rs in olds.iter_mut() {
                            if total_down <= 0 {
                                break;
                            }
                            if replicas(rs) == 0 {
                                continue;
                            }
                            let down = replicas(rs).min(total_down);
                            let to = replicas(rs) - down;
                            self.scale_rs(ctx, &d, rs, to);
                            total_down -= down;
                        }
                    }
                }
            }
            for rs in olds.iter_mut() {
                if replicas(rs) == 0 {
                    self.scale_rs(ctx, &d, rs, 0);
                }
            }
        }
        // Fresh status of every ReplicaSet after the scaling above.
        let olds: Vec<Value> = olds
            .iter()
            .filter_map(|r| util::get(ctx.api, "replicasets", Some(&ns), object::name(r)))
            .collect();
        let new_rs =
            new_rs.and_then(|r| util::get(ctx.api, "replicasets", Some(&ns), object::name(&r)));
        let mut d = util::get(ctx.api, "deployments", Some(&ns), &name).unwrap_or(d);
        let old_d = d.clone();
        if let Some(rs) = &new_rs {
            let rev = revision(rs);
            let have = object::at(&d, "metadata.annotations")
                .and_then(|a| a.get(REVISION))
                .and_then(Value::as_str);
            if rev > 0 && have != Some(rev.to_string().as_str()) {
                d["metadata"]["annotations"][REVISION] = json!(rev.to_string());
            }
        }
        let all: Vec<&Value> = olds.iter().chain(new_rs.iter()).collect();
        let sum = |f: &str| -> i64 { all.iter().map(|r| status_i(r, f)).sum() };
        let (total, ready, avail) = (
            sum("replicas"),
            sum("readyReplicas"),
            sum("availableReplicas"),
        );
        let updated = new_rs
            .as_ref()
            .map(|r| status_i(r, "replicas"))
            .unwrap_or(0);
        let generation = util::i64_at(&d, "metadata.generation").unwrap_or(0);
        let min_avail = want - max_unavail;
        if avail >= min_avail {
            util::set_condition(
                &mut conds,
                cond(
                    "Available",
                    "True",
                    "MinimumReplicasAvailable",
                    "Deployment has minimum availability.",
                    ctx.now,
                ),
            );
        } else {
            util::set_condition(
                &mut conds,
                cond(
                    "Available",
                    "False",
                    "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.",
                    ctx.now,
                ),
            );
        }
        if let (Some(secs), false) = (deadline, paused) {
            let cur = conds.iter().find(|c| c["type"] == "Progressing").cloned();
            let complete_already = total == updated
                && cur
                    .as_ref()
                    .is_some_and(|c| c["reason"] == "NewReplicaSetAvailable");
            if !complete_already {
                let rs_name = new_rs.as_ref().map(|r| object::name(r).to_string());
                let complete = updated == want && total == want && avail == want;
                let old_total: i64 = olds.iter().map(|r| status_i(r, "replicas")).sum();
                let old_old: i64 =
                    status_i(&old_d, "replicas") - status_i(&old_d, "updatedReplicas");
                let progressing = updated > status_i(&old_d, "updatedReplicas")
                    || old_total < old_old
                    || ready > status_i(&old_d, "readyReplicas")
                    || avail > status_i(&old_d, "availableReplicas");
                if complete {
                    let msg = match &rs_name {
                        Some(n) => format!("ReplicaSet \"{n}\" has successfully progressed."),
                        None => format!("Deployment \"{name}\" has successfully progressed."),
                    };
                    set_prog(&mut conds, "True", "NewReplicaSetAvailable", &msg, ctx.now);
                } else if progressing {
                    let msg = match &rs_name {
                        Some(n) => format!("ReplicaSet \"{n}\" is progressing."),
                        None => format!("Deployment \"{name}\" is progressing."),
                    };
                    let mut c = cond("Progressing", "True", "ReplicaSetUpdated", &msg, ctx.now);
                    if let Some(cur) = cur.as_ref().filter(|c| c["status"] == "True") {
                        c["lastTransitionTime"] = cur["lastTransitionTime"].clone();
                    }
                    conds.retain(|c| c["type"] != "Progressing");
                    conds.push(c);
                } else if let Some(cur) = cur {
                    let from = cur["lastUpdateTime"].as_str().and_then(Time::parse_rfc3339);
                    // From the first millisecond past the deadline, the
                    // same objects time out (without a time, any moment on
                    // may differ).
                    self.stale_at = util::earliest(
                        self.stale_at,
                        Some(from.map_or(ctx.now, |f| {
                            f + Duration::from_secs(secs) + Duration::from_millis(1)
                        })),
                    );
                    let from = from.unwrap_or(ctx.now);
                    let timed_out = cur["reason"] == "ProgressDeadlineExceeded"
                        || (cur["reason"] != "NewReplicaSetAvailable"
                            && from + Duration::from_secs(secs) < ctx.now);
                    if timed_out {
                        let msg = match &rs_name {
                            Some(n) => format!("ReplicaSet \"{n}\" has timed out progressing."),
                            None => format!("Deployment \"{name}\" has timed out progressing."),
                        };
                        set_prog(
                            &mut conds,
                            "False",
                            "ProgressDeadlineExceeded",
                            &msg,
                            ctx.now,
                        );
                    } else if cur["reason"] != "NewReplicaSetAvailable" {
                        // Woken just after the deadline passes.
                        self.wakeup = util::earliest(
                            self.wakeup,
                            Some(from + Duration::from_secs(secs) + Duration::from_millis(1000)),
                        );
                    }
                }
            }
        }
        // getReplicaFailures: the new ReplicaSet's ReplicaFailure condition
        // (else an old one's) becomes the Deployment's, so `describe
        // deployment` shows why pods are missing (a quota, a missing
        // ServiceAccount).
        let failure = new_rs
            .iter()
            .chain(olds.iter())
            .find_map(|r| util::condition(r, "ReplicaFailure").cloned());
        match failure {
            Some(f) => {
                let at = f.get("lastTransitionTime").cloned().unwrap_or(Value::Null);
                util::set_condition(
                    &mut conds,
                    json!({
                        "lastTransitionTime": at,
                        "lastUpdateTime": at,
                        "message": f.get("message").cloned().unwrap_or(Value::Null),
                        "reason": f.get("reason").cloned().unwrap_or(Value::Null),
                        "status": f.get("status").cloned().unwrap_or(Value::Null),
                        "type": "ReplicaFailure",
                    }),
                );
            }
            None => conds.retain(|c| c["type"] != "ReplicaFailure"),
        }
        // Old ReplicaSets beyond revisionHistoryLimit, once the rollout is done.
        let limit = util::i64_at(&d, "spec.revisionHistoryLimit")
            .unwrap_or(10)
            .max(0) as usize;
        let done = updated == want && total == want && avail == want;
        if done || paused {
            let mut dead: Vec<&Value> = olds
                .iter()
                .filter(|r| {
                    replicas(r) == 0 && status_i(r, "replicas") == 0 && !util::is_deleting(r)
                })
                .collect();
            if dead.len() > limit {
                crate::sort::sort_by_key(&mut dead, |r| (revision(r), util::created(r)));
                let n = dead.len() - limit;
                for r in dead.into_iter().take(n) {
                    util::delete(ctx.api, "replicasets", Some(&ns), object::name(r));
                }
            }
        }
        let mut status = serde_json::Map::new();
        if avail > 0 {
            status.insert("availableReplicas".into(), json!(avail));
        }
        if let Some(c) = object::at(&d, "status.collisionCount") {
            status.insert("collisionCount".into(), c.clone());
        }
        if !conds.is_empty() {
            status.insert("conditions".into(), Value::Array(conds));
        }
        status.insert("observedGeneration".into(), json!(generation));
        if ready > 0 {
            status.insert("readyReplicas".into(), json!(ready));
        }
        if total > 0 {
            status.insert("replicas".into(), json!(total));
        }
        if want - avail > 0 {
            status.insert("unavailableReplicas".into(), json!(want - avail));
        }
        if updated > 0 {
            status.insert("updatedReplicas".into(), json!(updated));
        }
        d["status"] = Value::Object(status);
        util::update_if_changed(ctx.api, "deployments", &old_d, d);
    }

    #[allow(clippy::too_many_arguments)]
    fn create_rs(
        &self,
        ctx: &mut SyncContext<'_>,
        d: &Value,
        template: &Value,
        revision: i64,
        n: i64,
        conds: &mut Vec<Value>,
        existing: &[Value],
    ) -> Option<Value> {
        let ns = object::namespace(d).unwrap_or("default").to_string();
        let mut collision = util::i64_at(d, "status.collisionCount");
        for _ in 0..5 {
            let hash = util::compute_hash(template, collision);
            let name = format!("{}-{hash}", object::name(d));
            if existing.iter().any(|r| object::name(r) == name)
                || util::get(ctx.api, "replicasets", Some(&ns), &name).is_some()
            {
                // A name collision with a different template: bump collisionCount.
                let c = collision.unwrap_or(0) + 1;
                collision = Some(c);
                if let Some(mut dd) = util::get(ctx.api, "deployments", Some(&ns), object::name(d))
                {
                    dd["status"]["collisionCount"] = json!(c);
                    util::update(ctx.api, "deployments", dd);
                }
                continue;
            }
            let mut t = template.clone();
            t["metadata"]["labels"][HASH_LABEL] = json!(hash);
            let mut selector = object::at(d, "spec.selector").cloned().unwrap_or(json!({}));
            selector["matchLabels"][HASH_LABEL] = json!(hash);
            let mut labels = object::at(template, "metadata.labels")
                .cloned()
                .unwrap_or(json!({}));
            labels[HASH_LABEL] = json!(hash);
            let mut annotations = copied_annotations(d);
            let (surge, _) = surge_unavailable(d);
            annotations.insert(DESIRED.into(), json!(replicas(d).to_string()));
            annotations.insert(
                MAX_REPLICAS.into(),
                json!((replicas(d) + surge).to_string()),
            );
            annotations.insert(REVISION.into(), json!(revision.to_string()));
            let mut spec = json!({"replicas": n, "selector": selector, "template": t});
            if let Some(m) = util::i64_at(d, "spec.minReadySeconds").filter(|m| *m > 0) {
                spec["minReadySeconds"] = json!(m);
            }
            let rs = json!({
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": annotations, "ownerReferences": [util::owner_ref(d)]},
                "spec": spec,
            });
            let created = util::create(ctx.api, "replicasets", Some(&ns), rs, ctx.now)?;
            if n > 0 {
                event(
                    ctx,
                    COMPONENT,
                    d,
                    false,
                    "ScalingReplicaSet",
                    format!("Scaled up replica set {name} from 0 to {n}"),
                );
            }
            if util::i64_at(d, "spec.progressDeadlineSeconds")
                .is_some_and(|s| s != i64::from(i32::MAX))
            {
                set_prog(
                    conds,
                    "True",
                    "NewReplicaSetCreated",
                    &format!("Created new replica set \"{name}\""),
                    ctx.now,
                );
            }
            return Some(created);
        }
        None
    }

    /// `dc.scale`: a replicas change while several ReplicaSets are active
    /// (or the Deployment is paused) is spread in proportion to their sizes.
    fn proportional_scale(
        &self,
        ctx: &mut SyncContext<'_>,
        d: &Value,
        new_rs: &mut Option<Value>,
        olds: &mut [Value],
        want: i64,
        surge: i64,
    ) {
        let active: i64 = olds
            .iter()
            .chain(new_rs.iter())
            .filter(|r| replicas(r) > 0)
            .count() as i64;
        if active <= 1 {
            let target = new_rs
                .iter_mut()
                .chain(olds.iter_mut())
                .find(|r| replicas(r) > 0);
            if let Some(rs) = target {
                self.scale_rs(ctx, d, rs, want);
            } else if let Some(rs) = new_rs.as_mut() {
                self.scale_rs(ctx, d, rs, want);
            }
            return;
        }
        let all: i64 = olds.iter().chain(new_rs.iter()).map(replicas).sum();
        let allowed = want + surge;
        let to_add = allowed - all;
        if to_add == 0 {
            return;
        }
        let mut rs_list: Vec<&mut Value> = new_rs
            .iter_mut()
            .chain(olds.iter_mut())
            .filter(|r| replicas(r) > 0)
            .collect();
        // Largest first, newest first on ties.
        crate::sort::sort_by_key(&mut rs_list, |r| {
            (
                std::cmp::Reverse(replicas(r)),
                std::cmp::Reverse(util::created(r)),
            )
        });
        let mut added = 0;
        let mut targets: Vec<i64> = Vec::new();
        for r in rs_list.iter() {
            let share = if all > 0 {
                replicas(r) * to_add / all
            } else {
                0
            };
            let share = if to_add > 0 {
                share.min(to_add - added)
            } else {
                share.max(to_add - added)
            };
            added += share;
            targets.push(replicas(r) + share);
        }
        if let Some(first) = targets.first_mut() {
            *first = (*first + to_add - added).max(0);
        }
        for (r, t) in rs_list.into_iter().zip(targets) {
            self.scale_rs(ctx, d, r, t);
        }
    }
}

/// The Deployment's annotations a ReplicaSet carries
/// (`copyDeploymentAnnotationsToReplicaSet`): all but the controller's own
/// bookkeeping and `last-applied-configuration`. This is how
/// `kubernetes.io/change-cause` reaches `kubectl rollout history`.
fn copied_annotations(d: &Value) -> serde_json::Map<String, Value> {
    let mut annotations = serde_json::Map::new();
    if let Some(a) = object::at(d, "metadata.annotations").and_then(Value::as_object) {
        for (k, v) in a {
            if !matches!(
                k.as_str(),
                "kubectl.kubernetes.io/last-applied-configuration"
                    | REVISION
                    | REVISION_HISTORY
                    | DESIRED
                    | MAX_REPLICAS
                    | "deprecated.deployment.rollback.to"
            ) {
                annotations.insert(k.clone(), v.clone());
            }
        }
    }
    annotations
}

fn cond(type_: &str, status: &str, reason: &str, msg: &str, now: Time) -> Value {
    json!({
        "lastTransitionTime": now.rfc3339(),
        "lastUpdateTime": now.rfc3339(),
        "message": msg,
        "reason": reason,
        "status": status,
        "type": type_,
    })
}

fn set_prog(conds: &mut Vec<Value>, status: &str, reason: &str, msg: &str, now: Time) {
    util::set_condition(conds, cond("Progressing", status, reason, msg, now));
}

#[cfg(test)]
mod tests;
