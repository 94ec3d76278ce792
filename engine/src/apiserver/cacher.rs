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

use crate::api::object;
use crate::etcd::{EventType, KeyValue, Store};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

#[derive(Debug, Default)]
pub(crate) struct Cacher {
    /// The store revision the cache reflects; `None` before the first load.
    revision: Option<i64>,
    /// Live keys, in key order (the store's order), decoded.
    objects: BTreeMap<String, Arc<Value>>,
    /// The keys of the pods bound to each node (`spec.nodeName`), the
    /// index behind the kubelet's `fieldSelector=spec.nodeName=…` watch.
    pods_by_node: BTreeMap<String, BTreeSet<String>>,
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
}

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

/// An object as a read returns it: the stored bytes decoded (bytes that are
/// not JSON, written with `etcdctl put`, read as an object holding only
/// `metadata.resourceVersion`, as before the cache), with its `resourceVersion`.
fn decode(kv: &KeyValue) -> Value {
    let mut obj = super::stored_json(&kv.value);
    object::set(
        &mut obj,
        "metadata.resourceVersion",
        Value::String(kv.mod_revision.to_string()),
    );
    obj
}

impl Cacher {
    /// Forgets everything: the next read reloads the store.
    pub fn invalidate(&mut self) {
        self.revision = None;
        self.objects.clear();
        self.pods_by_node.clear();
    }

    /// Keeps [`Cacher::pods_by_node`] in step with a put (`Some`) or a
    /// delete (`None`) of `key`; call before `objects` changes.
    fn index(&mut self, key: &str, new: Option<&Value>) {
        if !key.starts_with(PODS) {
            return;
        }
        let old = self.objects.get(key).and_then(|o| node_of(o));
        let new = new.and_then(node_of);
        if old == new {
            return;
        }
        if let Some(n) = old {
            if let Some(keys) = self.pods_by_node.get_mut(n) {
                keys.remove(key);
                if keys.is_empty() {
                    self.pods_by_node.remove(n);
                }
            }
        }
        if let Some(n) = new {
            self.pods_by_node
                .entry(n.to_string())
                .or_default()
                .insert(key.to_string());
        }
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
            let seg = segment(&e.kv.key);
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
            let (old, new) = match e.kind {
                EventType::Put => {
                    let obj = decode(&e.kv);
                    self.index(&e.kv.key, Some(&obj));
                    let new = Arc::new(obj);
                    let old = self.objects.insert(e.kv.key.clone(), Arc::clone(&new));
                    (old, Some(new))
                }
                EventType::Delete => {
                    self.index(&e.kv.key, None);
                    (self.objects.remove(&e.kv.key), None)
                }
            };
            if self.journal.len() >= JOURNAL {
                self.journal.pop_front();
            }
            self.journal.push_back(Change {
                count: self.changes,
                key: e.kv.key.clone(),
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
                .map(|kv| (kv.key.clone(), Arc::new(decode(kv)))),
        );
        self.pods_by_node.clear();
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
                    .insert(key.clone());
            }
        }
        self.revision = Some(store.revision());
    }

    /// The pods bound to `node`, in key order.
    pub fn pods_on_node<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Arc<Value>> + 'a {
        self.pods_by_node
            .get(node)
            .into_iter()
            .flatten()
            .filter_map(|k| self.objects.get(k))
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
        // The journal holds consecutive counts up to `changes`.
        if self.journal.front()?.count > since + 1 {
            return None;
        }
        Some(
            self.journal
                .iter()
                .skip_while(|c| c.count <= since)
                .any(matters),
        )
    }

    pub fn get(&self, key: &str) -> Option<&Arc<Value>> {
        self.objects.get(key)
    }

    /// The objects whose keys start with `prefix`, in key order.
    pub fn prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Arc<Value>> + 'a {
        self.objects
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
