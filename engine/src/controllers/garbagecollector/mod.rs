// Indexing is safe in this module: graph indices are positions in the same nodes vec the graph was built from.
#![allow(clippy::indexing_slicing)]
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
use crate::apiserver::{DeleteOptions, Propagation};
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

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
}

impl GarbageCollector {
    pub fn new() -> Self {
        Self::default()
    }
}

/// One stored object and its resource.
struct Node {
    res: &'static Resource,
    obj: std::sync::Arc<Value>,
}

impl Node {
    fn ns(&self) -> Option<&str> {
        object::namespace(&self.obj)
    }
    fn name(&self) -> &str {
        object::name(&self.obj)
    }
    fn refs(&self) -> &[Value] {
        // Two lookups rather than `pointer`'s parse of a path: every node's
        // references are read at every pass.
        self.obj
            .get("metadata")
            .and_then(|m| m.get("ownerReferences"))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
    fn has_finalizer(&self, f: &str) -> bool {
        finalizers(&self.obj).iter().any(|x| x == f)
    }
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

/// Every kind the collector watches (each storage once; no virtual kinds).
fn kinds() -> Vec<&'static Resource> {
    let mut seen = BTreeSet::new();
    RESOURCES
        .iter()
        .filter(|r| !matches!(r.plural, "bindings" | "events"))
        .filter(|r| seen.insert(r.etcd_prefix))
        .collect()
}

fn ref_uid(r: &Value) -> &str {
    r.get("uid").and_then(Value::as_str).unwrap_or("")
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

    /// The collector reads of each object only its identity, owners,
    /// deletion and finalizers (the graph's edges and marks): a lease
    /// renewal or a status update leaves the graph as it was.
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
        const READ: [&str; 6] = [
            "/metadata/uid",
            "/metadata/name",
            "/metadata/namespace",
            "/metadata/ownerReferences",
            "/metadata/deletionTimestamp",
            "/metadata/finalizers",
        ];
        READ.iter().any(|p| old.pointer(p) != new.pointer(p))
    }
}

impl GarbageCollector {
    /// One pass over every object; whether it asked the apiserver to
    /// change something.
    fn collect(&mut self, ctx: &mut SyncContext<'_>) -> bool {
        let mut asked = false;
        let mut nodes: Vec<Node> = Vec::new();
        for res in kinds() {
            for obj in ctx.api.list_shared(res, None) {
                nodes.push(Node { res, obj });
            }
        }
        // Keyed by the nodes' own strings: the graph is rebuilt at every
        // sync, so it copies nothing. Each node's uid is looked up once.
        let uids: Vec<&str> = nodes.iter().map(|n| util::uid(&n.obj)).collect();
        let by_uid: BTreeMap<&str, usize> =
            crate::sort::map(uids.iter().enumerate().map(|(i, &u)| (u, i)));
        // The dependents of each owner: only an owner deleted with the
        // `orphan` or `foregroundDeletion` finalizer reads them, so the
        // map is built only when there is one (rarely; a pass otherwise
        // reads each node's own references alone).
        let finalizing = |n: &Node| {
            util::is_deleting(&n.obj)
                && (n.has_finalizer("orphan") || n.has_finalizer("foregroundDeletion"))
        };
        let mut dependents: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        if nodes.iter().any(finalizing) {
            for (i, n) in nodes.iter().enumerate() {
                for r in n.refs() {
                    dependents.entry(ref_uid(r)).or_default().push(i);
                }
            }
        }
        // Does the reference point at an object that exists (same uid, and
        // in the dependent's namespace when the owner is namespaced)?
        let owner_exists = |dep: &Node, r: &Value| -> bool {
            by_uid.get(ref_uid(r)).is_some_and(|&i| {
                let o = &nodes[i];
                o.res.kind == r.get("kind").and_then(Value::as_str).unwrap_or("")
                    && o.name() == r.get("name").and_then(Value::as_str).unwrap_or("")
                    && (!o.res.namespaced || o.ns() == dep.ns())
            })
        };
        let now = ctx.now;
        for (n, &uid) in nodes.iter().zip(&uids) {
            let deleting = util::is_deleting(&n.obj);
            let deps = || -> Vec<&Node> {
                dependents
                    .get(uid)
                    .map(|v| v.iter().map(|&i| &nodes[i]).collect())
                    .unwrap_or_default()
            };
            if deleting && n.has_finalizer("orphan") {
                asked = true;
                for d in &deps() {
                    let mut obj = Value::clone(&d.obj);
                    util::release(&mut obj, uid);
                    let _ = ctx.api.update(d.res, d.ns(), obj);
                }
                remove_finalizer(ctx, n, "orphan");
                continue;
            }
            if deleting && n.has_finalizer("foregroundDeletion") {
                let mut blocking = 0;
                for d in &deps() {
                    let blocks = d.refs().iter().any(|r| {
                        ref_uid(r) == uid
                            && r.get("blockOwnerDeletion").and_then(Value::as_bool) == Some(true)
                    });
                    if blocks {
                        blocking += 1;
                    }
                    if !util::is_deleting(&d.obj) {
                        asked = true;
                        // A dependent with dependents of its own is deleted in
                        // the foreground too, so the wait is recursive.
                        let has_own = dependents.contains_key(util::uid(&d.obj));
                        let policy = if has_own {
                            Propagation::Foreground
                        } else {
                            Propagation::Background
                        };
                        let _ = ctx.api.delete_with(
                            d.res,
                            d.ns(),
                            d.name(),
                            DeleteOptions {
                                propagation_policy: Some(policy),
                                ..Default::default()
                            },
                            now,
                        );
                    }
                }
                if blocking == 0 {
                    asked = true;
                    remove_finalizer(ctx, n, "foregroundDeletion");
                }
                continue;
            }
            let refs = n.refs();
            if refs.is_empty() {
                continue;
            }
            let (alive, dangling): (Vec<&Value>, Vec<&Value>) =
                refs.iter().partition(|r| owner_exists(n, r));
            if alive.is_empty() {
                if !deleting {
                    asked = true;
                    let _ = ctx.api.delete_with(
                        n.res,
                        n.ns(),
                        n.name(),
                        DeleteOptions {
                            propagation_policy: Some(Propagation::Background),
                            ..Default::default()
                        },
                        now,
                    );
                }
            } else if !dangling.is_empty() {
                asked = true;
                let mut obj = Value::clone(&n.obj);
                let keep: Vec<Value> = alive.into_iter().cloned().collect();
                object::set(&mut obj, "metadata.ownerReferences", json!(keep));
                let _ = ctx.api.update(n.res, n.ns(), obj);
            }
        }
        asked
    }
}

/// Drops one finalizer; with none left the apiserver removes the object.
fn remove_finalizer(ctx: &mut SyncContext<'_>, n: &Node, f: &str) {
    let Ok(mut obj) = ctx.api.get(n.res, n.ns(), n.name()) else {
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
    let _ = ctx.api.update(n.res, n.ns(), obj);
}

#[cfg(test)]
mod tests;
