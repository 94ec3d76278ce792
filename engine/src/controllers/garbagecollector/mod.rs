//! The garbage collector (`pkg/controller/garbagecollector`): it follows
//! `metadata.ownerReferences`.
//!
//! - A dependent whose owners are all gone is deleted (background: it goes
//!   at once, and its own dependents follow in later passes; pods get their
//!   grace period). References to missing owners are dropped when another
//!   owner remains.
//! - An owner deleted with `propagationPolicy: Orphan` carries the `orphan`
//!   finalizer: its dependents lose their reference to it, then the
//!   finalizer goes and so does the owner.
//! - An owner deleted with `Foreground` carries `foregroundDeletion`: its
//!   dependents are deleted first, and the owner goes only when no
//!   dependent with `blockOwnerDeletion: true` is left.

use super::util;
use crate::api::{object, Resource, RESOURCES};
use crate::apiserver::{ApiServer, DeleteOptions, Propagation};
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use crate::maps::BoxedMap;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

#[derive(Debug, Default)]
pub struct GarbageCollector {
    /// The [ownership stamp] its last sync started from, when that sync
    /// asked the apiserver for nothing. Its decisions read only what the
    /// stamp covers, so while it stays a sync would ask for nothing again:
    /// it is skipped (pod status updates, most of a busy cluster's writes,
    /// leave it). After a sync that wrote, or tried to, the next one runs.
    ///
    /// [ownership stamp]: crate::apiserver::ApiServer::ownership_stamp
    quiet_at: Option<u64>,
    /// The objects and their ownership as last taken in, kept from the
    /// apiserver's changes rather than listed again at every pass (the
    /// real collector's graph builder, fed by its informers); `None` until
    /// the first pass, and again whenever the changes cannot be followed.
    graph: Option<Graph>,
    /// The nodes a pass must look at: what changed since, as the real
    /// collector's `attemptToDelete` queue holds them.
    dirty: BTreeSet<NodeKey>,
    /// How many nodes the last pass looked at, and how many times the
    /// graph was listed (the tests' measures of what passes cost).
    looked_at: usize,
    listings: u64,
}

impl GarbageCollector {
    pub fn new() -> Self {
        Self::default()
    }
}

/// A node of the graph: its kind's place in [`Kinds::all`], in three
/// digits, then its key (see [`node_key`]). Ordered as strings, the nodes
/// come in the order a listing of every kind meets the objects.
///
/// A string rather than a `(usize, String)` pair for the wasm bundle's
/// size (issue 11): `BTreeMap`'s code is generated per key type, and the
/// graph's maps and sets then share that of the string-keyed ones.
type NodeKey = String;

/// The node of the object at `key` of the kind at `kind` in
/// [`Kinds::all`]. The index has a fixed width (there are far fewer than
/// a thousand kinds), so the string order is the pair's.
fn node_key(kind: usize, key: &str) -> NodeKey {
    format!("{kind:03}{key}")
}

/// The kinds the collector watches, resolved once.
struct Kinds {
    /// Each storage once; no virtual kinds, no Events.
    all: Vec<&'static Resource>,
    /// Each kind's key prefix (`/registry/pods/`).
    prefixes: Vec<String>,
    /// The kinds by the first segment of their prefix (a change's
    /// `segment`). Boxed (`maps::BoxedMap`): a `&str` key had its own
    /// copy of BTreeMap's code in the wasm bundle.
    by_segment: BoxedMap<Vec<usize>>,
}

fn kinds() -> &'static Kinds {
    static KINDS: OnceLock<Kinds> = OnceLock::new();
    KINDS.get_or_init(|| {
        let mut seen = BTreeSet::new();
        let all: Vec<&'static Resource> = RESOURCES
            .iter()
            .filter(|r| !matches!(r.plural, "bindings" | "events"))
            .filter(|r| seen.insert(r.etcd_prefix))
            .collect();
        let mut by_segment: BoxedMap<Vec<usize>> = BoxedMap::new();
        for (i, r) in all.iter().enumerate() {
            let seg = r.etcd_prefix.split('/').next().unwrap_or_default();
            by_segment.entry(seg.to_string()).or_default().push(i);
        }
        Kinds {
            prefixes: all.iter().map(|r| r.prefix(None)).collect(),
            all,
            by_segment,
        }
    })
}

fn refs(obj: &Value) -> &[Value] {
    // Two lookups rather than `pointer`'s parse of a path: references are
    // read at every change of an object.
    obj.get("metadata")
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn has_finalizer(obj: &Value, f: &str) -> bool {
    finalizers(obj).iter().any(|x| x == f)
}

fn finalizers(obj: &Value) -> Vec<String> {
    object::at(obj, "metadata.finalizers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Being deleted with a finalizer the collector acts on: its decision
/// reads its dependents, so it is looked at in every pass.
fn finalizing(obj: &Value) -> bool {
    util::is_deleting(obj)
        && (has_finalizer(obj, "orphan") || has_finalizer(obj, "foregroundDeletion"))
}

fn ref_uid(r: &Value) -> &str {
    r.get("uid").and_then(Value::as_str).unwrap_or("")
}

/// What of an object the collector reads, in its metadata: its
/// identity, owners, deletion and finalizers (the graph's edges and marks).
const READ: [&str; 6] = [
    "uid",
    "name",
    "namespace",
    "ownerReferences",
    "deletionTimestamp",
    "finalizers",
];

/// Whether the collector reads the same of both (asked of every change).
fn same_ownership(old: &Value, new: &Value) -> bool {
    let (old, new) = (old.get("metadata"), new.get("metadata"));
    READ.iter()
        .all(|f| old.and_then(|m| m.get(f)) == new.and_then(|m| m.get(f)))
}

/// The stored objects and the ownership between them.
#[derive(Debug, Default, PartialEq)]
struct Graph {
    /// The apiserver's change count taken in.
    count: u64,
    nodes: BTreeMap<NodeKey, Arc<Value>>,
    /// The nodes of each uid: one, unless an object was copied with its
    /// uid (then the last in listing order is the owner, as a map built
    /// from a listing keeps it).
    by_uid: BTreeMap<String, BTreeSet<NodeKey>>,
    /// For each uid an ownerReference names: the nodes naming it, and how
    /// many of their references do. (Boxed: the map shares `BTreeMap`'s
    /// code with the other boxed maps, `maps::BoxedMap`.)
    dependents: crate::maps::BoxedMap<BTreeMap<NodeKey, usize>>,
    /// The nodes being deleted with the `orphan` or `foregroundDeletion`
    /// finalizer.
    finalizing: BTreeSet<NodeKey>,
}

impl Graph {
    /// Every object of every kind, listed.
    fn list(api: &ApiServer) -> Graph {
        let mut g = Graph {
            count: api.change_count(),
            ..Graph::default()
        };
        for (i, res) in kinds().all.iter().enumerate() {
            for (key, obj) in api.list_keyed(res) {
                g.insert(node_key(i, &key), obj);
            }
        }
        g
    }

    fn insert(&mut self, at: NodeKey, obj: Arc<Value>) {
        self.by_uid
            .entry(util::uid(&obj).to_string())
            .or_default()
            .insert(at.clone());
        for r in refs(&obj) {
            *self
                .dependents
                .entry(ref_uid(r).to_string())
                .or_default()
                .entry(at.clone())
                .or_default() += 1;
        }
        if finalizing(&obj) {
            self.finalizing.insert(at.clone());
        }
        self.nodes.insert(at, obj);
    }

    fn remove(&mut self, at: &NodeKey) -> Option<Arc<Value>> {
        let obj = self.nodes.remove(at)?;
        let uid = util::uid(&obj);
        if let Some(set) = self.by_uid.get_mut(uid) {
            set.remove(at);
            if set.is_empty() {
                self.by_uid.remove(uid);
            }
        }
        for r in refs(&obj) {
            let uid = ref_uid(r);
            let Some(deps) = self.dependents.get_mut(uid) else {
                continue;
            };
            if let Some(n) = deps.get_mut(at) {
                *n -= 1;
                if *n == 0 {
                    deps.remove(at);
                }
            }
            if deps.is_empty() {
                self.dependents.remove(uid);
            }
        }
        self.finalizing.remove(at);
        Some(obj)
    }

    /// Takes in the changes since the graph's count, and adds to `dirty`
    /// the nodes whose decision they may change: the object itself when
    /// its ownership changed, and the dependents of its uid (their owner
    /// came, went or changed). `false` when the changes cannot be
    /// followed (the journal does not reach back, or the store was
    /// reloaded): then the graph must be listed again.
    fn take_in(&mut self, api: &ApiServer, dirty: &mut BTreeSet<NodeKey>) -> bool {
        let kinds = kinds();
        let known = api.any_change_since(self.count, |change| {
            let Some(ids) = kinds.by_segment.get(change.segment()) else {
                return false;
            };
            for &i in ids.iter() {
                if !kinds
                    .prefixes
                    .get(i)
                    .is_some_and(|p| change.key.starts_with(p.as_str()))
                {
                    continue;
                }
                let at = node_key(i, &change.key);
                let old = self.remove(&at);
                let changed = match (&old, &change.new) {
                    (Some(o), Some(n)) => !same_ownership(o, n),
                    (None, None) => false,
                    _ => true,
                };
                if let Some(new) = &change.new {
                    self.insert(at.clone(), Arc::clone(new));
                }
                if changed {
                    let uids = old.iter().chain(&change.new).map(|o| util::uid(o));
                    for uid in uids {
                        if let Some(deps) = self.dependents.get(uid) {
                            dirty.extend(deps.keys().cloned());
                        }
                    }
                    if change.new.is_some() {
                        dirty.insert(at);
                    }
                }
            }
            false
        });
        self.count = api.change_count();
        known.is_some()
    }

    fn res(at: &NodeKey) -> Option<&'static Resource> {
        let kind = at.get(..3)?.parse::<usize>().ok()?;
        kinds().all.get(kind).copied()
    }

    /// The owner a reference names, if it exists: the object of its uid,
    /// of its kind and name, in the dependent's namespace when the owner
    /// is namespaced.
    fn owner_exists(&self, dep: &Value, r: &Value) -> bool {
        let Some(at) = self.by_uid.get(ref_uid(r)).and_then(|s| s.last()) else {
            return false;
        };
        let (Some(res), Some(o)) = (Graph::res(at), self.nodes.get(at)) else {
            return false;
        };
        res.kind == r.get("kind").and_then(Value::as_str).unwrap_or("")
            && object::name(o) == r.get("name").and_then(Value::as_str).unwrap_or("")
            && (!res.namespaced || object::namespace(o) == object::namespace(dep))
    }

    /// The dependents of `uid`, a node once per reference naming it.
    fn dependents_of(&self, uid: &str) -> Vec<(&NodeKey, &Value)> {
        let Some(deps) = self.dependents.get(uid) else {
            return Vec::new();
        };
        deps.iter()
            .filter_map(|(at, &n)| self.nodes.get(at).map(|o| (at, &**o, n)))
            .flat_map(|(at, o, n)| std::iter::repeat_n((at, o), n))
            .collect()
    }

    /// What the collector asks of the apiserver for the nodes `looked_at`
    /// (in graph order), from the graph as it is.
    fn decide<'a>(&self, looked_at: impl Iterator<Item = &'a NodeKey>) -> Vec<Action> {
        let mut out = Vec::new();
        for at in looked_at {
            let Some(n) = self.nodes.get(at) else {
                continue;
            };
            let uid = util::uid(n);
            let deleting = util::is_deleting(n);
            if deleting && has_finalizer(n, "orphan") {
                for (d, _) in self.dependents_of(uid) {
                    out.push(Action::Release {
                        dependent: d.clone(),
                        owner: uid.to_string(),
                    });
                }
                out.push(Action::RemoveFinalizer(at.clone(), "orphan"));
                continue;
            }
            if deleting && has_finalizer(n, "foregroundDeletion") {
                let mut blocking = 0;
                for (d, dep) in self.dependents_of(uid) {
                    let blocks = refs(dep).iter().any(|r| {
                        ref_uid(r) == uid
                            && r.get("blockOwnerDeletion").and_then(Value::as_bool) == Some(true)
                    });
                    if blocks {
                        blocking += 1;
                    }
                    if !util::is_deleting(dep) {
                        // A dependent with dependents of its own is deleted in
                        // the foreground too, so the wait is recursive.
                        let policy = if self.dependents.contains_key(util::uid(dep)) {
                            Propagation::Foreground
                        } else {
                            Propagation::Background
                        };
                        out.push(Action::Delete(d.clone(), policy));
                    }
                }
                if blocking == 0 {
                    out.push(Action::RemoveFinalizer(at.clone(), "foregroundDeletion"));
                }
                continue;
            }
            let refs = refs(n);
            if refs.is_empty() {
                continue;
            }
            let (alive, dangling): (Vec<&Value>, Vec<&Value>) =
                refs.iter().partition(|r| self.owner_exists(n, r));
            if alive.is_empty() {
                if !deleting {
                    out.push(Action::Delete(at.clone(), Propagation::Background));
                }
            } else if !dangling.is_empty() {
                out.push(Action::KeepOwners(
                    at.clone(),
                    alive.into_iter().cloned().collect(),
                ));
            }
        }
        out
    }
}

/// One request of a pass.
#[derive(Debug, PartialEq)]
enum Action {
    /// The dependent of an owner deleted with `orphan` loses its
    /// reference to it.
    Release {
        dependent: NodeKey,
        owner: String,
    },
    /// The finalizer goes (with none left, the object too).
    RemoveFinalizer(NodeKey, &'static str),
    Delete(NodeKey, Propagation),
    /// Only the references to owners that exist stay.
    KeepOwners(NodeKey, Vec<Value>),
}

impl Component for GarbageCollector {
    fn name(&self) -> String {
        "garbage-collector-controller".into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let stamp = ctx.api.ownership_stamp();
        if self.quiet_at == Some(stamp) {
            return;
        }
        let asked = self.collect(ctx);
        self.quiet_at = (!asked).then_some(stamp);
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }

    /// A lease renewal or a status update leaves the graph as it was (see
    /// [`READ`]).
    fn concerns(
        &self,
        _api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        if util::is_change_of(change, "events") {
            // Not in the graph (see `kinds`).
            return false;
        }
        let (Some(old), Some(new)) = (&change.old, &change.new) else {
            return true;
        };
        !same_ownership(old, new)
    }
}

impl GarbageCollector {
    /// One pass: the graph brought up to date, then the nodes that may
    /// call for a request looked at — the changed ones, those whose
    /// owner changed, those being finalized, and those a request was
    /// sent for last time (it may have failed) — in the order a pass
    /// over every object would meet them. Whether it asked the apiserver
    /// to change something.
    fn collect(&mut self, ctx: &mut SyncContext<'_>) -> bool {
        let mut dirty = std::mem::take(&mut self.dirty);
        let followed = self
            .graph
            .take()
            .and_then(|mut g| g.take_in(ctx.api, &mut dirty).then_some(g));
        let graph = match followed {
            Some(g) => g,
            None => {
                self.listings += 1;
                let g = Graph::list(ctx.api);
                dirty = crate::sort::set(g.nodes.keys().cloned());
                g
            }
        };
        dirty.extend(graph.finalizing.iter().cloned());
        self.looked_at = dirty.len();
        let actions = graph.decide(dirty.iter());
        // Every test checks the graph against a listing, and that a pass
        // over every object would ask exactly this.
        #[cfg(test)]
        {
            let listed = Graph::list(ctx.api);
            assert!(graph == listed, "the collector's graph is not the store's");
            assert_eq!(
                listed.decide(listed.nodes.keys()),
                actions,
                "a pass over every object asks otherwise"
            );
        }
        for a in &actions {
            self.act(ctx, &graph, a);
        }
        self.dirty = crate::sort::set(actions.iter().map(|a| match a {
            Action::Release { dependent: at, .. }
            | Action::RemoveFinalizer(at, _)
            | Action::Delete(at, _)
            | Action::KeepOwners(at, _) => at.clone(),
        }));
        self.graph = Some(graph);
        !actions.is_empty()
    }

    fn act(&self, ctx: &mut SyncContext<'_>, graph: &Graph, action: &Action) {
        let node = |at: &NodeKey| Some((Graph::res(at)?, graph.nodes.get(at)?));
        match action {
            Action::Release { dependent, owner } => {
                if let Some((res, d)) = node(dependent) {
                    let mut obj = Value::clone(d);
                    util::release(&mut obj, owner);
                    let _ = ctx.api.update(res, object::namespace(d), obj);
                }
            }
            Action::RemoveFinalizer(at, f) => {
                if let Some((res, n)) = node(at) {
                    remove_finalizer(ctx, res, n, f);
                }
            }
            Action::Delete(at, policy) => {
                if let Some((res, n)) = node(at) {
                    let _ = ctx.api.delete_with(
                        res,
                        object::namespace(n),
                        object::name(n),
                        DeleteOptions {
                            propagation_policy: Some(*policy),
                            ..Default::default()
                        },
                        ctx.now,
                    );
                }
            }
            Action::KeepOwners(at, keep) => {
                if let Some((res, n)) = node(at) {
                    let mut obj = Value::clone(n);
                    object::set(&mut obj, "metadata.ownerReferences", json!(keep));
                    let _ = ctx.api.update(res, object::namespace(n), obj);
                }
            }
        }
    }
}

/// Drops one finalizer; with none left the apiserver removes the object.
fn remove_finalizer(ctx: &mut SyncContext<'_>, res: &Resource, n: &Value, f: &str) {
    let Ok(mut obj) = ctx.api.get(res, object::namespace(n), object::name(n)) else {
        return;
    };
    let left: Vec<String> = finalizers(&obj).into_iter().filter(|x| x != f).collect();
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if left.is_empty() {
            m.remove("finalizers");
        } else {
            m.insert("finalizers".into(), json!(left));
        }
    }
    let _ = ctx.api.update(res, object::namespace(n), obj);
}

#[cfg(test)]
mod tests;
