//! Watch: the changes to a resource after a `resourceVersion`, from the
//! etcd model's watch, as the apiserver's watch delivers them (`ADDED`,
//! `MODIFIED`, `DELETED`); 410 Gone after compaction. And
//! [`ApiServer::changes_since`], every change across resources after a
//! revision, for components written as watchers.

use super::{ApiError, ApiServer};
use crate::api::{Resource, RESOURCES};
use crate::etcd::{EtcdError, EventType};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

impl WatchEventType {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED",
        }
    }
}

/// One watch event: the object as it is after the change (for a delete,
/// as it was, with the deletion's revision as its `resourceVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchEvent {
    pub type_: WatchEventType,
    pub object: Value,
    /// The etcd revision of the change.
    pub revision: i64,
}

/// What [`ApiServer::changes_since`] returns: the revision to ask from
/// next, and `(resource plural, event)` in order.
pub type Changes = (i64, Vec<(&'static str, WatchEvent)>);

fn gone(from: i64, compacted: i64) -> ApiError {
    ApiError::Status {
        code: 410,
        reason: "Expired",
        message: format!("too old resource version: {from} ({compacted})"),
    }
}

impl ApiServer {
    fn to_event(e: &crate::etcd::WatchEvent) -> WatchEvent {
        let (type_, value) = match (&e.kind, &e.prev_kv) {
            (EventType::Put, None) => (WatchEventType::Added, &e.kv.value),
            (EventType::Put, Some(_)) => (WatchEventType::Modified, &e.kv.value),
            (EventType::Delete, Some(prev)) => (WatchEventType::Deleted, &prev.value),
            (EventType::Delete, None) => (WatchEventType::Deleted, &e.kv.value),
        };
        WatchEvent {
            type_,
            object: Self::with_resource_version(Self::decode(value), e.kv.mod_revision),
            revision: e.kv.mod_revision,
        }
    }

    /// `GET …?watch=1&resourceVersion=rv`: the events after `rv`; with
    /// `rv` 0, an `ADDED` for every current object first (then nothing,
    /// as the state is current).
    pub fn watch(
        &self,
        res: &Resource,
        namespace: Option<&str>,
        from_resource_version: i64,
    ) -> Result<Vec<WatchEvent>, ApiError> {
        if from_resource_version <= 0 {
            return Ok(self
                .list(res, namespace)
                .into_iter()
                .map(|object| {
                    let revision = object
                        .pointer("/metadata/resourceVersion")
                        .and_then(Value::as_str)
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(0);
                    WatchEvent {
                        type_: WatchEventType::Added,
                        object,
                        revision,
                    }
                })
                .collect());
        }
        let prefix = res.prefix(if res.namespaced { namespace } else { None });
        let compacted = self.store.compact_revision();
        if from_resource_version < compacted {
            return Err(gone(from_resource_version, compacted));
        }
        match self.store.watch(&prefix, true, from_resource_version + 1) {
            Ok(evs) => Ok(evs.iter().map(Self::to_event).collect()),
            Err(EtcdError::Compacted { compact_revision }) => {
                Err(gone(from_resource_version, compact_revision))
            }
            Err(EtcdError::FutureRevision) => Ok(vec![]),
        }
    }

    /// The keys written or deleted from revision `from` on, each once, in
    /// key order: what an informer's event handlers would have been told
    /// about. `None` when compaction took part of that log.
    pub fn keys_changed_since(&self, from: i64) -> Option<std::collections::BTreeSet<String>> {
        // By insertion: `collect` would sort with a generic sort of its own.
        Some(crate::sort::set(
            self.store.log_since(from)?.map(|e| e.key.to_string()),
        ))
    }

    /// The object stored under an etcd key, shared (a component's read).
    pub fn get_by_key(&self, key: &str) -> Option<std::sync::Arc<Value>> {
        self.cache()
            .get(&self.store, key)
            .map(std::borrow::Cow::into_owned)
    }

    /// Every change after `revision`, across all resources: the new
    /// revision to ask from next time, and `(resource plural, event)` in
    /// order. Keys outside the resource table are skipped.
    pub fn changes_since(&self, revision: i64) -> Result<Changes, ApiError> {
        let now = self.store.revision();
        let compacted = self.store.compact_revision();
        if revision < compacted {
            return Err(gone(revision, compacted));
        }
        let evs = match self.store.watch("/registry/", true, revision.max(0) + 1) {
            Ok(evs) => evs,
            Err(EtcdError::Compacted { compact_revision }) => {
                return Err(gone(revision, compact_revision))
            }
            Err(EtcdError::FutureRevision) => vec![],
        };
        let out = evs
            .iter()
            .filter_map(|e| resource_of(&e.kv.key).map(|r| (r.plural, Self::to_event(e))))
            .collect();
        Ok((now, out))
    }
}

/// The resource an etcd key belongs to (the longest matching prefix; the
/// core group first when two share one).
pub fn resource_of(key: &str) -> Option<&'static Resource> {
    let rest = key.strip_prefix("/registry/")?;
    RESOURCES
        .iter()
        .filter(|r| {
            rest.strip_prefix(r.etcd_prefix)
                .is_some_and(|tail| tail.starts_with('/'))
        })
        .max_by_key(|r| (r.etcd_prefix.len(), r.group.is_empty()))
}
