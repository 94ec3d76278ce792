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
use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

#[derive(Debug, Default)]
pub(crate) struct Cacher {
    /// The store revision the cache reflects; `None` before the first load.
    revision: Option<i64>,
    /// Live keys, in key order (the store's order), decoded.
    objects: BTreeMap<String, Arc<Value>>,
}

/// An object as a read returns it: the stored bytes decoded (bytes that are
/// not JSON, written with `etcdctl put`, read as an object holding only
/// `metadata.resourceVersion`, as before the cache), with its `resourceVersion`.
fn decode(kv: &KeyValue) -> Value {
    let mut obj: Value = serde_json::from_slice(&kv.value).unwrap_or(Value::Null);
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
            match e.kind {
                EventType::Put => {
                    self.objects
                        .insert(e.kv.key.clone(), Arc::new(decode(&e.kv)));
                }
                EventType::Delete => {
                    self.objects.remove(&e.kv.key);
                }
            }
        }
        self.revision = Some(now);
    }

    fn reload(&mut self, store: &Store) {
        self.objects = store
            .iter()
            .map(|kv| (kv.key.clone(), Arc::new(decode(kv))))
            .collect();
        self.revision = Some(store.revision());
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
