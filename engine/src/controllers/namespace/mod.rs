// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The namespace controller (`pkg/controller/namespace/deletion`): a
//! namespace being deleted (`Terminating`) has its content deleted, kind by
//! kind, as `DELETE collection` does it (pods gracefully, so they stay
//! `Terminating` until their kubelet confirms). The namespace reports what
//! remains in its status conditions and, once empty, is finalized: the
//! `kubernetes` finalizer goes and the apiserver removes it.

use super::util;
use crate::api::{object, Resource, RESOURCES};
use crate::apiserver::DeleteOptions;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct NamespaceController;

impl NamespaceController {
    pub fn new() -> Self {
        Self
    }
}

/// The namespaced kinds the controller empties: every stored kind once
/// (core and events.k8s.io events share storage), not virtual ones.
fn namespaced() -> Vec<&'static Resource> {
    let mut seen = BTreeSet::new();
    RESOURCES
        .iter()
        .filter(|r| r.namespaced && r.plural != "bindings")
        .filter(|r| seen.insert(r.etcd_prefix))
        .collect()
}

/// A namespace condition as the controller writes it.
fn cond(type_: &str, status: &str, reason: &str, message: &str, now: Time) -> Value {
    json!({
        "lastTransitionTime": now.rfc3339(),
        "message": message,
        "reason": reason,
        "status": status,
        "type": type_,
    })
}

impl Component for NamespaceController {
    fn name(&self) -> String {
        "namespace-controller".into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        for ns in util::list(ctx.api, "namespaces", None) {
            if util::is_deleting(&ns) {
                self.sync_deleting(ctx, Arc::unwrap_or_clone(ns));
            }
        }
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }
}

impl NamespaceController {
    fn sync_deleting(&mut self, ctx: &mut SyncContext<'_>, ns: Value) {
        let name = object::name(&ns).to_string();
        let ours = object::at(&ns, "spec.finalizers")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|f| f == "kubernetes"));
        if !ours {
            return;
        }
        // Delete what is not yet being deleted; count what remains.
        let mut remaining: BTreeMap<String, usize> = BTreeMap::new();
        let mut finalizers: BTreeMap<String, usize> = BTreeMap::new();
        for res in namespaced() {
            for obj in ctx.api.list(res, Some(&name)) {
                let obj_name = object::name(&obj).to_string();
                let mut still = true;
                if !util::is_deleting(&obj) {
                    let r = ctx.api.delete_with(
                        res,
                        Some(&name),
                        &obj_name,
                        DeleteOptions::default(),
                        ctx.now,
                    );
                    still = ctx.api.get(res, Some(&name), &obj_name).is_ok() && r.is_ok();
                }
                if !still {
                    continue;
                }
                let Ok(now_obj) = ctx.api.get(res, Some(&name), &obj_name) else {
                    continue;
                };
                *remaining
                    .entry(format!("{}.{}", res.plural, res.group))
                    .or_default() += 1;
                for f in object::at(&now_obj, "metadata.finalizers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    *finalizers.entry(f.to_string()).or_default() += 1;
                }
            }
        }
        let now = ctx.now;
        let mut conds = vec![
            cond(
                "NamespaceDeletionDiscoveryFailure",
                "False",
                "ResourcesDiscovered",
                "All resources successfully discovered",
                now,
            ),
            cond(
                "NamespaceDeletionGroupVersionParsingFailure",
                "False",
                "ParsedGroupVersions",
                "All legacy kube types successfully parsed",
                now,
            ),
            cond(
                "NamespaceDeletionContentFailure",
                "False",
                "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization",
                now,
            ),
        ];
        conds.push(if remaining.is_empty() {
            cond(
                "NamespaceContentRemaining",
                "False",
                "ContentRemoved",
                "All content successfully removed",
                now,
            )
        } else {
            let list: Vec<String> = remaining
                .iter()
                .map(|(r, n)| format!("{r} has {n} resource instances"))
                .collect();
            cond(
                "NamespaceContentRemaining",
                "True",
                "SomeResourcesRemain",
                &format!("Some resources are remaining: {}", list.join(", ")),
                now,
            )
        });
        conds.push(if finalizers.is_empty() {
            cond(
                "NamespaceFinalizersRemaining",
                "False",
                "ContentHasNoFinalizers",
                "All content-preserving finalizers finished",
                now,
            )
        } else {
            let list: Vec<String> = finalizers
                .iter()
                .map(|(f, n)| format!("{f} in {n} resource instances"))
                .collect();
            cond(
                "NamespaceFinalizersRemaining",
                "True",
                "SomeFinalizersRemain",
                &format!(
                    "Some content in the namespace has finalizers remaining: {}",
                    list.join(", ")
                ),
                now,
            )
        });
        let Some(current) = util::get(ctx.api, "namespaces", None, &name) else {
            return;
        };
        let mut merged: Vec<Value> = object::at(&current, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for c in conds {
            util::set_condition(&mut merged, c);
        }
        // Keep upstream's order of the five types.
        let order = |c: &Value| match c["type"].as_str() {
            Some("NamespaceDeletionDiscoveryFailure") => 0,
            Some("NamespaceDeletionGroupVersionParsingFailure") => 1,
            Some("NamespaceDeletionContentFailure") => 2,
            Some("NamespaceContentRemaining") => 3,
            Some("NamespaceFinalizersRemaining") => 4,
            _ => 5,
        };
        crate::sort::sort_by_key(&mut merged, order);
        let mut new = current.clone();
        new["status"]["conditions"] = Value::Array(merged);
        if let Some(r) = util::res("namespaces") {
            if util::strip_rv(&current) != util::strip_rv(&new) {
                let _ = ctx.api.update_status(&r, None, new);
            }
        }
        if remaining.is_empty() {
            let _ = ctx.api.finalize_namespace(&name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::*;
    use super::*;

    #[test]
    fn empties_a_terminating_namespace_then_finalizes_it() {
        let mut api = api();
        let t = Time::EPOCH;
        util::create(
            &mut api,
            "namespaces",
            None,
            json!({"metadata": {"name": "dev"}}),
            t,
        );
        for cm in ["a", "b"] {
            util::create(
                &mut api,
                "configmaps",
                Some("dev"),
                json!({"metadata": {"name": cm}}),
                t,
            );
        }
        util::create(
            &mut api,
            "pods",
            Some("dev"),
            json!({"metadata": {"name": "p"}, "spec": {"nodeName": "node01", "containers": [{"name": "c", "image": "nginx"}]}}),
            t,
        );
        let ns_res = util::res("namespaces").unwrap_or_else(|| panic!("namespaces"));
        api.delete_with(&ns_res, None, "dev", DeleteOptions::default(), t)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut c = NamespaceController::new();
        settle(&mut api, &mut [&mut c], t);
        // The bound pod waits for its kubelet; the rest is gone.
        assert!(names(&api, "configmaps", "dev").is_empty());
        assert_eq!(names(&api, "pods", "dev"), ["p"]);
        let ns = util::get(&api, "namespaces", None, "dev").unwrap_or_default();
        assert_eq!(ns["status"]["phase"], "Terminating");
        let c3 = util::condition(&ns, "NamespaceContentRemaining")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            c3["message"],
            "Some resources are remaining: pods. has 1 resource instances"
        );
        assert_eq!(c3["reason"], "SomeResourcesRemain");
        let types: Vec<&str> = ns["status"]["conditions"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["type"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            types,
            [
                "NamespaceDeletionDiscoveryFailure",
                "NamespaceDeletionGroupVersionParsingFailure",
                "NamespaceDeletionContentFailure",
                "NamespaceContentRemaining",
                "NamespaceFinalizersRemaining"
            ]
        );
        // The kubelet confirms: the namespace goes.
        util::delete(&mut api, "pods", Some("dev"), "p");
        settle(&mut api, &mut [&mut c], t);
        assert!(util::get(&api, "namespaces", None, "dev").is_none());
    }
}
