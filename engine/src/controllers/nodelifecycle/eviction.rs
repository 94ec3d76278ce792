// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The taint eviction controller (`pkg/controller/tainteviction`, split out
//! of the node lifecycle controller in v1.29): a pod on a node with a
//! `NoExecute` taint it does not tolerate is deleted at once; one that
//! tolerates it for `tolerationSeconds` is deleted when they run out,
//! counted from the taint's `timeAdded`. The pod first gets the
//! `DisruptionTarget` condition, then a graceful delete — with no kubelet
//! to confirm, it stays `Terminating`.

use super::super::daemonset::tolerates;
use super::super::util::{self, event};
use crate::api::object;
use crate::apiserver::DeleteOptions;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const COMPONENT: &str = "taint-eviction-controller";

#[derive(Debug, Default)]
pub struct TaintEvictionController {
    wakeup: Option<Time>,
    /// Each node's `NoExecute` taints (a node with none is left out), as
    /// of the apiserver's change count `seen`: kept up from the changes to
    /// Nodes since (what its node informer delivers), where reading every
    /// node at every sync cost the cluster's size at each of its rounds.
    no_execute: BTreeMap<String, Vec<Value>>,
    /// `None` before the first sync: every node is read.
    seen: Option<u64>,
}

impl TaintEvictionController {
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings `no_execute` up to date: the nodes changed since the last
    /// sync, or every node when the journal cannot tell which.
    fn take_in_nodes(&mut self, api: &crate::apiserver::ApiServer) {
        let count = api.change_count();
        let changed = self.seen.and_then(|since| {
            let mut names = std::collections::BTreeSet::new();
            api.any_change_since(since, |change| {
                if change.segment() == "minions" {
                    names.extend(change.key.rsplit('/').next().map(String::from));
                }
                false
            })
            .map(|_| names)
        });
        match changed {
            Some(names) => {
                for name in names {
                    let taints = util::get_shared(api, "nodes", None, &name)
                        .map(|n| no_execute_taints(&n))
                        .unwrap_or_default();
                    if taints.is_empty() {
                        self.no_execute.remove(&name);
                    } else {
                        self.no_execute.insert(name, taints);
                    }
                }
            }
            None => self.no_execute = every_no_execute_taint(api),
        }
        self.seen = Some(count);
        #[cfg(test)]
        assert_eq!(
            self.no_execute,
            every_no_execute_taint(api),
            "the taint eviction controller missed a change to a node's taints"
        );
    }
}

/// A node's `NoExecute` taints.
fn no_execute_taints(node: &Value) -> Vec<Value> {
    object::at(node, "spec.taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| t.get("effect").and_then(Value::as_str) == Some("NoExecute"))
        .cloned()
        .collect()
}

/// Every node's `NoExecute` taints, read from every node.
fn every_no_execute_taint(api: &crate::apiserver::ApiServer) -> BTreeMap<String, Vec<Value>> {
    crate::sort::map(
        util::list(api, "nodes", None)
            .into_iter()
            .map(|n| (object::name(&n).to_string(), no_execute_taints(&n)))
            .filter(|(_, t)| !t.is_empty()),
    )
}

/// When a pod must go because of these `NoExecute` taints: `Some(now)`
/// for an untolerated taint, the earliest end of a bounded toleration,
/// `None` if it may stay for ever.
pub fn eviction_time(pod: &Value, taints: &[Value], now: Time) -> Option<Time> {
    let tols: Vec<Value> = object::at(pod, "spec.tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut at: Option<Time> = None;
    for taint in taints {
        let matching: Vec<&Value> = tols
            .iter()
            .filter(|t| {
                let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
                (effect.is_empty() || effect == "NoExecute") && tolerates(t, taint)
            })
            .collect();
        if matching.is_empty() {
            return Some(now);
        }
        // The shortest bounded toleration wins; an unbounded one tolerates for ever.
        let secs: Vec<i64> = matching
            .iter()
            .filter_map(|t| t.get("tolerationSeconds").and_then(Value::as_i64))
            .collect();
        let Some(min) = secs.into_iter().min() else {
            continue;
        };
        let added = taint
            .get("timeAdded")
            .and_then(Value::as_str)
            .and_then(Time::parse_rfc3339)
            .unwrap_or(now);
        let t = added + Duration::from_secs(min.max(0));
        at = Some(at.map_or(t, |a: Time| a.min(t)));
    }
    at
}

impl Component for TaintEvictionController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        self.wakeup = None;
        self.take_in_nodes(ctx.api);
        if self.no_execute.is_empty() {
            return;
        }
        let no_execute = std::mem::take(&mut self.no_execute);
        for pod in util::list(ctx.api, "pods", None) {
            if util::is_deleting(&pod) {
                continue;
            }
            let Some(taints) =
                object::str_at(&pod, "spec.nodeName").and_then(|n| no_execute.get(n))
            else {
                continue;
            };
            match eviction_time(&pod, taints, ctx.now) {
                Some(t) if t <= ctx.now => evict(ctx, &pod),
                Some(t) => self.wakeup = util::earliest(self.wakeup, Some(t)),
                None => {}
            }
        }
        self.no_execute = no_execute;
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }
}

fn evict(ctx: &mut SyncContext<'_>, pod: &Value) {
    let Some(r) = util::res("pods") else { return };
    let ns = object::namespace(pod).unwrap_or("default").to_string();
    let name = object::name(pod).to_string();
    event(
        ctx,
        COMPONENT,
        pod,
        false,
        "TaintManagerEviction",
        format!("Marking for deletion Pod {ns}/{name}"),
    );
    let mut p = pod.clone();
    let mut conds: Vec<Value> = object::at(pod, "status.conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    util::set_condition(
        &mut conds,
        json!({
            "lastProbeTime": null,
            "lastTransitionTime": ctx.now.rfc3339(),
            "message": "Taint manager: deleting due to NoExecute taint",
            "reason": "DeletionByTaintManager",
            "status": "True",
            "type": "DisruptionTarget",
        }),
    );
    p["status"]["conditions"] = Value::Array(conds);
    let _ = ctx.api.update_status(&r, Some(&ns), p);
    let _ = ctx
        .api
        .delete_with(&r, Some(&ns), &name, DeleteOptions::default(), ctx.now);
}
