//! Which objects of a controller the apiserver's recent changes name, as
//! its informers' event handlers enqueue keys: a ReplicaSet for a change
//! of itself or of a pod it controls (an orphan pod: every ReplicaSet of
//! its namespace, which may adopt it), a Deployment for a change of
//! itself or of a ReplicaSet. A controller that visits only these keys,
//! and those whose own wake-up came, does what a scan of all its objects
//! would, at the cost of the changes rather than of every object.

use super::util;
use crate::api::object;
use crate::apiserver::{ApiServer, Change};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every object's key (`namespace/name`) by uid, kept from the changes: a
/// child names its controller by uid.
#[derive(Debug, Default)]
pub struct Keys(BTreeMap<String, String>);

/// What the changes after a count named.
#[derive(Debug, Default)]
pub struct Named {
    /// The controller's objects named (written, deleted, or a child's
    /// controller before or after), by uid; a deleted one's uid too.
    pub uids: BTreeSet<String>,
    /// The namespaces of changed children without a controller.
    pub namespaces: BTreeSet<String>,
    /// The uids of the controller's objects deleted (or renamed: the uid
    /// of a key is gone), in order.
    pub gone: Vec<String>,
}

/// An object's uid and key.
type UidAndKey = (String, String);

/// `namespace/name`.
pub fn key_of(o: &Value) -> String {
    format!(
        "{}/{}",
        object::namespace(o).unwrap_or("default"),
        object::name(o)
    )
}

/// A resource's segment of the store's keys (`replicasets`).
fn segment(plural: &str) -> &'static str {
    util::res(plural)
        .map(|r| r.etcd_prefix.split('/').next().unwrap_or_default())
        .unwrap_or_default()
}

impl Keys {
    /// From a listing of every object.
    pub fn of(objects: &[std::sync::Arc<Value>]) -> Self {
        Keys(crate::sort::map(
            objects
                .iter()
                .map(|o| (util::uid(o).to_string(), key_of(o))),
        ))
    }

    pub fn get(&self, uid: &str) -> Option<&String> {
        self.0.get(uid)
    }

    pub fn uids(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.values()
    }

    /// The keys of the objects `named` names: by uid, and every one of
    /// the namespaces of its orphans.
    pub fn of_named(&self, named: &Named) -> BTreeSet<String> {
        // By insertion, not `collect` (which sorts with the standard sort,
        // its own copy in the wasm: see `crate::sort::set`).
        let mut keys = crate::sort::set(named.uids.iter().filter_map(|u| self.0.get(u).cloned()));
        keys.extend(
            self.0
                .values()
                .filter(|k| {
                    k.split('/')
                        .next()
                        .is_some_and(|ns| named.namespaces.contains(ns))
                })
                .cloned(),
        );
        keys
    }

    /// Reads the changes after `since` of objects of `own` (kept here) and
    /// of their children, objects of `child`; `each` sees every change, in
    /// order. `None` when the journal cannot tell (see
    /// [`ApiServer::any_change_since`]). Reading the same changes again
    /// leaves the keys as they are.
    pub fn read_changes(
        &mut self,
        api: &ApiServer,
        since: u64,
        own: &str,
        child: &str,
        mut each: impl FnMut(&Change),
    ) -> Option<Named> {
        let (own, child) = (segment(own), segment(child));
        let mut named = Named::default();
        // Each change of an own object, in order: the uid before, the uid
        // and key after.
        let mut written: Vec<(Option<String>, Option<UidAndKey>)> = Vec::new();
        api.any_change_since(since, |change| {
            each(change);
            let seg = change.segment();
            if seg == own {
                written.push((
                    change.old.as_ref().map(|o| util::uid(o).to_string()),
                    change
                        .new
                        .as_ref()
                        .map(|o| (util::uid(o).to_string(), key_of(o))),
                ));
            } else if seg == child {
                for o in change.versions() {
                    match util::controller_of(o) {
                        None => {
                            named
                                .namespaces
                                .insert(object::namespace(o).unwrap_or("default").to_string());
                        }
                        Some(r) => {
                            named
                                .uids
                                .extend(r.get("uid").and_then(Value::as_str).map(String::from));
                        }
                    }
                }
            }
            false
        })?;
        for (old, new) in written {
            if let Some(uid) = old {
                self.0.remove(&uid);
                named.uids.insert(uid);
            }
            if let Some((uid, key)) = new {
                self.0.insert(uid.clone(), key);
                named.uids.insert(uid);
            }
        }
        named.gone = named
            .uids
            .iter()
            .filter(|u| !self.0.contains_key(*u))
            .cloned()
            .collect();
        Some(named)
    }
}
