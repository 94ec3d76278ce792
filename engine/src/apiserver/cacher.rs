//! The watch cache (kube-apiserver's "cacher", `k8s.io/apiserver/pkg/storage/cacher`):
//! the decoded objects of the store, kept current by replaying the store's
//! change log, so that gets and lists cost a lookup instead of a JSON parse
//! per object. The store stays the truth — `etcdctl` reads it, and every
//! write still goes to it — the cache only follows it.
//!
//! It follows lazily: a read first replays the log from the revision the
//! cache last saw. When the log no longer reaches that far (compaction), or
//! the store was replaced (a snapshot restore), the cache reloads the whole
//! store, as the real cacher relists when its watch is too old.
//!
//! Each cached object already carries its `metadata.resourceVersion` (the
//! key's `mod_revision`), exactly what a read from the store returned.
//!
//! Events are not cached, as kube-apiserver caches none by default
//! (`DefaultWatchCacheSizes`: a watch cache of size 0 for `events`, in
//! both API groups): a read of an Event decodes it from the store. The
//! cache only files each Event's key under the object it is about, with a
//! digest of what the recorder's search for a repeat compares
//! (`events_about`), so that the search decodes only the Events that
//! may be a repeat, not every Event about the object.

use super::fitted;
use crate::api::object;
use crate::etcd::{KeyValue, Store};
use crate::maps::BoxedMap;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

#[derive(Debug, Default)]
pub(crate) struct Cacher {
    /// The store revision the cache reflects; `None` before the first load.
    revision: Option<i64>,
    /// Live keys, in key order (the store's order), decoded.
    objects: Objects,
    /// The pods bound to each node (`spec.nodeName`), the index behind the
    /// kubelet's `fieldSelector=spec.nodeName=…` watch.
    pods_by_node: BoxedMap<Objects>,
    /// How many changes the cache has taken in (each put or delete it
    /// replayed, each reload): a count that never repeats, unlike the
    /// store's revision, which a restored store may take back.
    changes: u64,
    /// For each resource (the key's segment after `/registry/`), the count
    /// of its last change: a component that reads only some resources can
    /// tell whether one of them changed, where the store's revision also
    /// moves for the writes it never reads (the nodes' Leases, Events).
    /// Most recent first, so the latest change of the resources a reader
    /// counts is the first it accepts (a few comparisons, not a walk over
    /// every resource: components ask at every settle round).
    changed: Vec<(String, u64)>,
    /// The count at the last reload: every resource may have changed then.
    reloaded: u64,
    /// The latest changes (at most [`JOURNAL`]), oldest first, each with
    /// the object before and after: what an informer delivers, so that a
    /// component can tell whether the changes since it last ran concern it.
    journal: VecDeque<Change>,
    /// The pods of each controller (the `uid` of their ownerReference with
    /// `controller: true`), by key: what a ReplicaSet, a DaemonSet or a Job
    /// owns, found without reading every pod of the namespace (the
    /// controllers' informers index pods the same way).
    pods_by_controller: BoxedMap<Objects>,
    /// The pods no controller owns (candidates for adoption), by key.
    orphan_pods: Objects,
    /// The same two indexes for ReplicaSets (a Deployment's own, and
    /// those it may adopt): a Deployment's sync reads these rather than
    /// every ReplicaSet of its namespace.
    replicasets_by_controller: BoxedMap<Objects>,
    orphan_replicasets: Objects,
    /// The count of the last change to a pod of each controller (a pod
    /// that joined, left, changed or went), by controller uid.
    controller_changed: BTreeMap<String, u64>,
    /// The count of the last change that the garbage collector reads: an
    /// object (but an Event) created or deleted, or its name, namespace,
    /// uid, ownerReferences, finalizers or deletionTimestamp changed.
    ownership_changed: u64,
    /// The Events about each object, by the namespace of the Event's key and
    /// its `involvedObject.name`: each Event's key with its repeat key
    /// (`events::repeat_key_of`). The recorder's search for an earlier
    /// identical event (to count a repeat) reads these, not every Event.
    /// Where an Event was filed is found again from its previous value in
    /// the store, when it moves or goes (rare: a repeat keeps its object).
    /// Keyed `namespace/name` (a namespace has no `/`) and boxed: a pair
    /// key and an unboxed map value had their own copy of BTreeMap's code
    /// in the wasm bundle (`maps::BoxedMap`).
    events_by_object: BoxedMap<BTreeMap<String, u64>>,
    /// The count of the last change to an orphan pod (one that became,
    /// stayed or stopped being an orphan), by namespace.
    orphans_changed: BTreeMap<String, u64>,
    /// The count of the last change to a pod bound to each node (one that
    /// was bound there before the change or after it): what a kubelet,
    /// which watches only its node's pods, is told about.
    node_pods_changed: BTreeMap<String, u64>,
}

/// Cached objects by key. The indexes hold the objects themselves, as an
/// informer's indexer does, not only their keys: a listing from an index
/// then reads no key of `objects` again (a search among every object of
/// the cluster, comparing keys that share their first tens of bytes, for
/// each of a ReplicaSet's pods at each of its syncs). The same map type as
/// `objects` and `BoxedMap`, so no more of BTreeMap's code in the wasm.
type Objects = BTreeMap<String, Arc<Value>>;

/// How many changes the journal keeps. A reader further behind is told
/// the journal cannot answer (and runs as if everything changed).
const JOURNAL: usize = 1024;

/// One change the cache took in: a put (`new`, and `old` unless it was a
/// create) or a delete (`old` only).
#[derive(Debug)]
pub struct Change {
    /// The cache's count of this change (see [`Cacher::change_count`]).
    count: u64,
    pub key: String,
    pub old: Option<Arc<Value>>,
    pub new: Option<Arc<Value>>,
}

impl Change {
    /// The resource's segment of the key (`pods`, `minions`, `services`).
    pub fn segment(&self) -> &str {
        segment(&self.key)
    }
    /// The object before and after, whichever exist.
    pub fn versions(&self) -> impl Iterator<Item = &Value> {
        self.old.iter().chain(self.new.iter()).map(|o| &**o)
    }
}

const PODS: &str = "/registry/pods/";
const REPLICASETS: &str = "/registry/replicasets/";
const EVENTS: &str = "/registry/events/";

/// The resource segment of a key: `pods` for `/registry/pods/default/web`,
/// `services` for `/registry/services/specs/…`; a key outside `/registry/`
/// (written with `etcdctl put`) counts by its first segment.
fn segment(key: &str) -> &str {
    let rest = key.strip_prefix("/registry/").unwrap_or(key);
    rest.trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
}

fn node_of(obj: &Value) -> Option<&str> {
    object::str_at(obj, "spec.nodeName")
}

/// Who controls a pod: `Some(Some(uid))` for a controller reference with a
/// uid, `Some(None)` for none (an orphan), `None` for a controller reference
/// without a uid (nobody's, and no orphan either).
fn controller_of(obj: &Value) -> Option<Option<&str>> {
    let controller = object::at(obj, "metadata.ownerReferences")
        .and_then(Value::as_array)
        .and_then(|refs| {
            refs.iter()
                .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        });
    match controller {
        None => Some(None),
        Some(r) => r.get("uid").and_then(Value::as_str).map(Some),
    }
}

/// The index `owner` files an object in: its controller's (created with
/// `create`), or the orphans'; `None` for neither.
fn owner_index<'a>(
    by_controller: &'a mut BoxedMap<Objects>,
    orphans: &'a mut Objects,
    owner: Option<Option<&str>>,
    create: bool,
) -> Option<&'a mut Objects> {
    match owner? {
        Some(uid) if create => Some(by_controller.entry(uid.to_string()).or_default()),
        Some(uid) => by_controller.get_mut(uid).map(|b| &mut **b),
        None => Some(orphans),
    }
}

/// Moves the object at `key` from the index of owner `old` to that of
/// `new` (`obj`: the object now; `None` when deleted). An object that
/// keeps its owner has its entry's object replaced, its key kept.
fn reindex_owner(
    by_controller: &mut BoxedMap<Objects>,
    orphans: &mut Objects,
    key: &str,
    old: Option<Option<&str>>,
    new: Option<Option<&str>>,
    obj: Option<&Arc<Value>>,
) {
    if let Some(obj) = obj.filter(|_| old.is_some() && old == new) {
        if let Some(entry) =
            owner_index(by_controller, orphans, new, false).and_then(|i| i.get_mut(key))
        {
            *entry = Arc::clone(obj);
            return;
        }
    }
    if let Some(index) = owner_index(by_controller, orphans, old, false) {
        index.remove(key);
        if index.is_empty() {
            if let Some(Some(uid)) = old {
                by_controller.remove(uid);
            }
        }
    }
    if let Some(obj) = obj {
        if let Some(index) = owner_index(by_controller, orphans, new, true) {
            index.insert(key.to_string(), Arc::clone(obj));
        }
    }
}

/// Where an Event is filed in `events_by_object`: the namespace of its key
/// and the name of the object it is about ("" when it has none), as
/// `namespace/name`.
fn event_subject(key: &str, name: &str) -> String {
    let ns = key
        .strip_prefix(EVENTS)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    format!("{ns}/{name}")
}

/// Where the Event stored in `kv` is filed: its `involvedObject.name` (""
/// when it has none), and its repeat key.
fn event_filing(kv: &KeyValue) -> (String, u64) {
    let obj = super::stored_json(&kv.value);
    let name = object::str_at(&obj, "involvedObject.name").unwrap_or_default();
    (name.to_string(), crate::events::repeat_key_of(&obj))
}

/// Whether two versions of an object agree on everything the garbage
/// collector reads of it.
fn same_ownership(a: &Value, b: &Value) -> bool {
    const FIELDS: [&str; 6] = [
        "name",
        "namespace",
        "uid",
        "ownerReferences",
        "finalizers",
        "deletionTimestamp",
    ];
    let (a, b) = (a.get("metadata"), b.get("metadata"));
    FIELDS
        .iter()
        .all(|f| a.and_then(|m| m.get(f)) == b.and_then(|m| m.get(f)))
}

/// The namespace of a pod's key (`/registry/pods/<ns>/<name>`).
fn pod_namespace(key: &str) -> &str {
    key.strip_prefix(PODS)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
}

/// An object as a read returns it: the stored bytes decoded (bytes that are
/// not JSON, written with `etcdctl put`, read as an object holding only
/// `metadata.resourceVersion`, as before the cache), with its `resourceVersion`,
/// every map and array at the capacity of its contents (see [`fitted`]).
fn decode(kv: &KeyValue) -> Value {
    let mut obj = fitted::decode(&kv.value);
    object::set(
        &mut obj,
        "metadata.resourceVersion",
        Value::String(kv.mod_revision.to_string()),
    );
    // The stored object has no resourceVersion: its insert grew
    // `metadata` (and the object, when it had no metadata).
    if let Value::Object(top) = &mut obj {
        if let Some(Value::Object(metadata)) = top.get_mut("metadata") {
            fitted::fit_map(metadata);
        }
        fitted::fit_map(top);
    }
    obj
}

impl Cacher {
    /// Forgets everything: the next read reloads the store.
    pub fn invalidate(&mut self) {
        self.revision = None;
        self.objects.clear();
        self.pods_by_node.clear();
        self.pods_by_controller.clear();
        self.orphan_pods.clear();
        self.replicasets_by_controller.clear();
        self.orphan_replicasets.clear();
        self.events_by_object.clear();
    }

    /// Keeps [`Cacher::pods_by_node`] in step with a put (`Some`) or a
    /// delete (`None`) of `key`; call before `objects` changes.
    fn index(&mut self, key: &str, new: Option<&Arc<Value>>) {
        if key.starts_with(REPLICASETS) {
            return self.index_replicaset(key, new);
        }
        if !key.starts_with(PODS) {
            return;
        }
        self.index_controller(key, new);
        let obj = new;
        let old = self.objects.get(key).and_then(|o| node_of(o));
        let new = new.and_then(|o| node_of(o));
        for n in [old, new].into_iter().flatten() {
            self.node_pods_changed.insert(n.to_string(), self.changes);
        }
        if let Some(n) = old {
            if let Some(pods) = self.pods_by_node.get_mut(n) {
                if let Some((entry, obj)) = pods.get_mut(key).zip(obj.filter(|_| old == new)) {
                    // Still there: the entry's object is replaced.
                    *entry = Arc::clone(obj);
                    return;
                }
                pods.remove(key);
                if pods.is_empty() {
                    self.pods_by_node.remove(n);
                }
            }
        }
        if let (Some(n), Some(obj)) = (new, obj) {
            self.pods_by_node
                .entry(n.to_string())
                .or_default()
                .insert(key.to_string(), Arc::clone(obj));
        }
    }

    /// Keeps the ReplicaSet controller indexes in step with a put or a
    /// delete of the ReplicaSet at `key`; call before `objects` changes.
    fn index_replicaset(&mut self, key: &str, new: Option<&Arc<Value>>) {
        let old_obj = self.objects.get(key).map(Arc::clone);
        let old = old_obj.as_deref().and_then(controller_of);
        reindex_owner(
            &mut self.replicasets_by_controller,
            &mut self.orphan_replicasets,
            key,
            old,
            new.and_then(|o| controller_of(o)),
            new,
        );
    }

    /// Keeps `events_by_object` in step with a put (`Some`, the name of the
    /// object the Event is about and its repeat key) or a delete of the
    /// Event at `key`; `previous` gives the Event's value before, the
    /// one it was filed by (read only when the Event may have moved).
    fn index_event<'a>(
        &mut self,
        key: &str,
        new: Option<(String, u64)>,
        previous: impl FnOnce() -> Option<Cow<'a, KeyValue>>,
    ) {
        let new = new.map(|(name, repeat)| (event_subject(key, &name), repeat));
        if let Some((new, repeat)) = &new {
            // A repeat's update: the same object, another count.
            if let Some(r) = self
                .events_by_object
                .get_mut(new)
                .and_then(|keys| keys.get_mut(key))
            {
                *r = *repeat;
                return;
            }
        }
        let old = previous().map(|kv| event_subject(key, &event_filing(&kv).0));
        if let Some(old) = old {
            if let Some(keys) = self.events_by_object.get_mut(&old) {
                keys.remove(key);
                if keys.is_empty() {
                    self.events_by_object.remove(&old);
                }
            }
        }
        if let Some((new, repeat)) = new {
            self.events_by_object
                .entry(new)
                .or_default()
                .insert(key.to_string(), repeat);
        }
    }

    /// Keeps the controller and orphan indexes and their change counts in
    /// step with a put (`Some`) or a delete (`None`) of the pod at `key`;
    /// call before `objects` changes. Every change to a pod counts for the
    /// controller it had and the one it has (or the orphans of its
    /// namespace).
    fn index_controller(&mut self, key: &str, new: Option<&Arc<Value>>) {
        let obj = new;
        let old_obj = self.objects.get(key).map(Arc::clone);
        let old = old_obj.as_deref().and_then(controller_of);
        let new = new.and_then(|o| controller_of(o));
        let changes = self.changes;
        for owner in [old, new].into_iter().flatten() {
            match owner {
                Some(uid) => {
                    self.controller_changed.insert(uid.to_string(), changes);
                }
                None => {
                    self.orphans_changed
                        .insert(pod_namespace(key).to_string(), changes);
                }
            }
        }
        reindex_owner(
            &mut self.pods_by_controller,
            &mut self.orphan_pods,
            key,
            old,
            new,
            obj,
        );
    }

    /// Brings the cache up to the store's current revision.
    pub fn catch_up(&mut self, store: &Store) {
        let now = store.revision();
        let Some(seen) = self.revision else {
            return self.reload(store);
        };
        if seen == now {
            return;
        }
        let Some(events) = store.log_since(seen + 1).filter(|_| seen < now) else {
            return self.reload(store);
        };
        for e in events {
            self.changes += 1;
            let seg = segment(e.key);
            match self.changed.iter().position(|(s, _)| s == seg) {
                Some(i) => {
                    if let Some(recent) = self.changed.get_mut(..=i) {
                        recent.rotate_right(1);
                    }
                }
                None => self.changed.insert(0, (seg.to_string(), 0)),
            }
            if let Some(first) = self.changed.first_mut() {
                first.1 = self.changes;
            }
            let (old, new) = match e.kv() {
                // Not cached: only filed under the object it is about.
                kv if e.key.starts_with(EVENTS) => {
                    self.index_event(e.key, kv.as_deref().map(event_filing), || e.prev_kv());
                    (None, None)
                }
                Some(kv) => {
                    let new = Arc::new(decode(&kv));
                    if seg != "events"
                        && self
                            .objects
                            .get(e.key)
                            .is_none_or(|old| !same_ownership(old, &new))
                    {
                        self.ownership_changed = self.changes;
                    }
                    self.index(e.key, Some(&new));
                    let old = self.objects.insert(e.key.to_string(), Arc::clone(&new));
                    (old, Some(new))
                }
                None => {
                    if seg != "events" {
                        self.ownership_changed = self.changes;
                    }
                    self.index(e.key, None);
                    (self.objects.remove(e.key), None)
                }
            };
            if self.journal.len() >= JOURNAL {
                self.journal.pop_front();
            }
            self.journal.push_back(Change {
                count: self.changes,
                key: e.key.to_string(),
                old,
                new,
            });
        }
        self.revision = Some(now);
    }

    fn reload(&mut self, store: &Store) {
        self.changes += 1;
        self.reloaded = self.changes;
        self.changed.clear();
        self.journal.clear();
        self.objects = crate::sort::map(
            store
                .iter()
                .filter(|kv| !kv.key.starts_with(EVENTS))
                .map(|kv| (kv.key.clone(), Arc::new(decode(kv)))),
        );
        self.pods_by_node.clear();
        self.pods_by_controller.clear();
        self.orphan_pods.clear();
        self.replicasets_by_controller.clear();
        self.orphan_replicasets.clear();
        for (key, obj) in self
            .objects
            .range::<str, _>((Bound::Included(REPLICASETS), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(REPLICASETS))
        {
            reindex_owner(
                &mut self.replicasets_by_controller,
                &mut self.orphan_replicasets,
                key,
                None,
                controller_of(obj),
                Some(obj),
            );
        }
        self.events_by_object.clear();
        for kv in store.prefix(EVENTS) {
            self.index_event(&kv.key, Some(event_filing(kv)), || None);
        }
        // Every count before the reload is below `reloaded`: the stamps
        // below take the larger of the two.
        self.controller_changed.clear();
        self.orphans_changed.clear();
        self.node_pods_changed.clear();
        for (key, obj) in self
            .objects
            .range::<str, _>((Bound::Included(PODS), Bound::Unbounded))
        {
            if !key.starts_with(PODS) {
                break;
            }
            if let Some(n) = node_of(obj) {
                self.pods_by_node
                    .entry(n.to_string())
                    .or_default()
                    .insert(key.clone(), Arc::clone(obj));
            }
            reindex_owner(
                &mut self.pods_by_controller,
                &mut self.orphan_pods,
                key,
                None,
                controller_of(obj),
                Some(obj),
            );
        }
        self.revision = Some(store.revision());
    }

    /// The nodes some pod is bound to (`spec.nodeName`), in name order:
    /// whether or not such a node exists.
    pub fn nodes_with_pods(&self) -> impl Iterator<Item = &str> {
        self.pods_by_node.keys().map(String::as_str)
    }

    /// The pods bound to `node`, in key order.
    pub fn pods_on_node<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Arc<Value>> + 'a {
        self.pods_by_node
            .get(node)
            .into_iter()
            .flat_map(|p| p.values())
    }

    /// The pods in `namespace` controlled by `uid`, and with `orphans` also
    /// those no controller owns, in key order: a controller's candidates
    /// (the pods it owns and those it may adopt), where every other pod of
    /// the namespace is ignored by it.
    pub fn pods_for_controller(
        &self,
        namespace: &str,
        uid: &str,
        orphans: bool,
    ) -> Vec<Arc<Value>> {
        self.owned_by(
            &self.pods_by_controller,
            &self.orphan_pods,
            &format!("{PODS}{namespace}/"),
            uid,
            orphans,
        )
    }

    /// [`Cacher::pods_for_controller`] for ReplicaSets.
    pub fn replicasets_for_controller(
        &self,
        namespace: &str,
        uid: &str,
        orphans: bool,
    ) -> Vec<Arc<Value>> {
        self.owned_by(
            &self.replicasets_by_controller,
            &self.orphan_replicasets,
            &format!("{REPLICASETS}{namespace}/"),
            uid,
            orphans,
        )
    }

    /// The objects under `prefix` that `by_controller` files under `uid`
    /// and, with `orphans`, those in `orphan_keys`, in key order.
    fn owned_by(
        &self,
        by_controller: &BoxedMap<Objects>,
        orphan_objects: &Objects,
        prefix: &str,
        uid: &str,
        orphans: bool,
    ) -> Vec<Arc<Value>> {
        let in_ns = |(k, _): &(&String, &Arc<Value>)| k.starts_with(prefix);
        let owned = by_controller.get(uid).into_iter().flat_map(|o| o.iter());
        let mut all: Vec<Arc<Value>> = Vec::new();
        if !orphans {
            all.extend(owned.filter(in_ns).map(|(_, o)| Arc::clone(o)));
            return all;
        }
        let orphan = orphan_objects
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix));
        // Both in key order, and disjoint: merged, as a scan of the
        // namespace would meet them.
        let (mut a, mut b) = (owned.filter(in_ns).peekable(), orphan.peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.0 <= y.0 => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            all.extend(next.map(|(_, o)| Arc::clone(o)));
        }
        all
    }

    /// A stamp that moves exactly when a pod of controller `uid` changes
    /// (one of its pods, one that joined or left it), or with `orphans` an
    /// orphan pod of `namespace`, or the store is reloaded.
    pub fn controller_pods_stamp(&self, namespace: &str, uid: &str, orphans: bool) -> u64 {
        let mut stamp = self.reloaded;
        if let Some(c) = self.controller_changed.get(uid) {
            stamp = stamp.max(*c);
        }
        if orphans {
            if let Some(c) = self.orphans_changed.get(namespace) {
                stamp = stamp.max(*c);
            }
        }
        stamp
    }

    /// A stamp that moves exactly when a pod bound to `node` changes (one
    /// bound there, deleted from there, or changed while there) or the
    /// store is reloaded.
    pub fn node_pods_stamp(&self, node: &str) -> u64 {
        self.node_pods_changed
            .get(node)
            .map_or(self.reloaded, |c| (*c).max(self.reloaded))
    }

    /// The Events in `namespace` whose `involvedObject.name` is `name`
    /// (with "" also those without one) and, given `repeat`, whose repeat
    /// key is that, in key order, read from the store.
    pub fn events_about(
        &self,
        store: &Store,
        namespace: &str,
        name: &str,
        repeat: Option<u64>,
    ) -> Vec<Arc<Value>> {
        self.events_by_object
            .get(&format!("{namespace}/{name}"))
            .into_iter()
            .flat_map(|keys| keys.iter())
            .filter(|(_, r)| repeat.is_none_or(|repeat| **r == repeat))
            .filter_map(|(k, _)| store.get(k))
            .map(|kv| Arc::new(decode(kv)))
            .collect()
    }

    /// A stamp that moves when an object's ownership changes (see
    /// `ownership_changed`) or the store is reloaded.
    pub fn ownership_stamp(&self) -> u64 {
        self.ownership_changed.max(self.reloaded)
    }

    /// A stamp that moves only when the cache reloads the whole store (a
    /// restored store may reuse resourceVersions with other contents).
    pub fn epoch(&self) -> u64 {
        self.reloaded
    }

    /// A stamp that differs from every earlier one exactly when an object
    /// of a resource `counts` accepts (by its etcd segment) changed since.
    pub fn changes_where(&self, counts: impl Fn(&str) -> bool) -> u64 {
        // `changed` is in decreasing order of counts: the first accepted
        // entry is the latest.
        self.changed
            .iter()
            .find(|(seg, _)| counts(seg))
            .map_or(self.reloaded, |(_, c)| (*c).max(self.reloaded))
    }

    /// The count of the latest change taken in (or of the latest reload).
    pub fn change_count(&self) -> u64 {
        self.changes
    }

    /// Whether one of the changes after count `since` is one `matters`
    /// accepts, in the order they happened; `None` when the journal cannot
    /// tell: it no longer reaches back that far, or the store was reloaded
    /// since (then anything may have changed).
    pub fn any_change_since(
        &self,
        since: u64,
        matters: impl FnMut(&Change) -> bool,
    ) -> Option<bool> {
        if since < self.reloaded {
            return None;
        }
        if since >= self.changes {
            return Some(false);
        }
        // The journal holds consecutive counts up to `changes`: the first
        // change after `since` is found by its count, not by a walk over
        // the older ones (most readers are a few changes behind).
        let first = self.journal.front()?.count;
        if first > since + 1 {
            return None;
        }
        let skip = usize::try_from(since + 1 - first).ok()?;
        Some(
            self.journal
                .range(skip.min(self.journal.len())..)
                .any(matters),
        )
    }

    /// The object at `key`: the cached one, or an Event decoded from `store`.
    pub fn get<'a>(&'a self, store: &Store, key: &str) -> Option<Cow<'a, Arc<Value>>> {
        if key.starts_with(EVENTS) {
            return store.get(key).map(|kv| Cow::Owned(Arc::new(decode(kv))));
        }
        self.objects.get(key).map(Cow::Borrowed)
    }

    /// The objects whose keys start with `prefix`, in key order: the cached
    /// ones, and the Events among them decoded from `store`. The range
    /// ends at the first key past the prefix, found once: comparing each
    /// key with the prefix would read every key's bytes (a cache miss per
    /// object in a listing of thousands).
    pub fn prefix<'a>(
        &'a self,
        store: &'a Store,
        prefix: &'a str,
    ) -> impl Iterator<Item = Cow<'a, Arc<Value>>> + 'a {
        self.prefix_keyed(store, prefix).map(|(_, v)| v)
    }

    /// [`Cacher::prefix`], each object with its key.
    pub fn prefix_keyed<'a>(
        &'a self,
        store: &'a Store,
        prefix: &'a str,
    ) -> Box<dyn Iterator<Item = (&'a str, Cow<'a, Arc<Value>>)> + 'a> {
        let end = prefix_end(prefix);
        let end = end.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
        let cached = self
            .objects
            .range::<str, _>((Bound::Included(prefix), end))
            .map(|(k, v)| (k.as_str(), Cow::Borrowed(v)));
        let events_prefix = if prefix.starts_with(EVENTS) {
            prefix
        } else if EVENTS.starts_with(prefix) {
            EVENTS
        } else {
            return Box::new(cached);
        };
        let events = store
            .prefix(events_prefix)
            .map(|kv| (kv.key.as_str(), Cow::Owned(Arc::new(decode(kv)))));
        // Both in key order, and disjoint (no Event is cached): merged.
        let (mut a, mut b) = (cached.peekable(), events.peekable());
        Box::new(std::iter::from_fn(move || match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 <= y.0 => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        }))
    }
}

/// The least string above every string that starts with `prefix` (its
/// last character that has a successor, replaced by it), `None` when there
/// is none (the prefix is empty or all `char::MAX`). Strings compare by
/// their UTF-8 bytes, which is the order of their characters.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(c) = chars.pop() {
        if let Some(next) = (u32::from(c) + 1..=u32::from(char::MAX)).find_map(char::from_u32) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_lists_exactly_the_keys_that_start_with_it() {
        assert_eq!(
            prefix_end("/registry/pods/").as_deref(),
            Some("/registry/pods0")
        );
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        assert_eq!(prefix_end(""), None);
        let mut store = Store::default();
        let mut cache = Cacher::default();
        let keys = [
            "/registry/pods/default/a",
            "/registry/pods/default/\u{10FFFF}",
            "/registry/pods/default0",
            "/registry/pods/defaultx/b",
            "/registry/pods/kube-system/c",
            "/registry/pods0",
            "/registry/podsecuritypolicies/x",
        ];
        for (i, k) in keys.iter().enumerate() {
            store.put(k, format!("{{\"i\":{i}}}").into_bytes());
        }
        cache.catch_up(&store);
        let listed = |p: &str| -> Vec<i64> {
            cache
                .prefix(&store, p)
                .filter_map(|v| v.get("i").and_then(Value::as_i64))
                .collect()
        };
        assert_eq!(listed("/registry/pods/default/"), [0, 1]);
        assert_eq!(listed("/registry/pods/"), [0, 1, 2, 3, 4]);
        assert_eq!(listed("/registry/pods"), [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(listed(""), [0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn the_journal_answers_only_as_far_back_as_it_reaches() {
        let mut store = Store::default();
        let mut cache = Cacher::default();
        store.put("/registry/pods/default/a", br#"{"v":1}"#.to_vec());
        cache.catch_up(&store);
        let start = cache.change_count();
        store.put("/registry/pods/default/a", br#"{"v":2}"#.to_vec());
        store.put("/registry/leases/default/b", br#"{}"#.to_vec());
        cache.catch_up(&store);
        // Both changes are seen, in order, each with its before and after.
        let mut seen = Vec::new();
        let answer = cache.any_change_since(start, |c| {
            seen.push((c.key.clone(), c.old.as_ref().map(|o| o["v"].clone())));
            false
        });
        assert_eq!(answer, Some(false));
        assert_eq!(
            seen,
            [
                (
                    "/registry/pods/default/a".to_string(),
                    Some(serde_json::json!(1))
                ),
                ("/registry/leases/default/b".to_string(), None),
            ]
        );
        assert_eq!(
            cache.any_change_since(start, |c| c.segment() == "pods"),
            Some(true)
        );
        assert_eq!(
            cache.any_change_since(cache.change_count(), |_| true),
            Some(false)
        );
        // Further back than the journal keeps: it cannot tell.
        for i in 0..JOURNAL {
            store.put(
                "/registry/leases/default/b",
                format!("{{\"i\":{i}}}").into_bytes(),
            );
        }
        cache.catch_up(&store);
        assert_eq!(cache.any_change_since(start, |_| false), None);
        let recent = cache.change_count() - 1;
        assert_eq!(cache.any_change_since(recent, |_| false), Some(false));
        // A reload (a restored store): nothing before it can be told.
        cache.invalidate();
        cache.catch_up(&store);
        assert_eq!(cache.any_change_since(recent, |_| false), None);
    }
}
