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
}

impl TaintEvictionController {
    pub fn new() -> Self {
        Self::default()
    }
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
        let no_execute: BTreeMap<String, Vec<Value>> = crate::sort::map(
            util::list(ctx.api, "nodes", None)
                .into_iter()
                .map(|n| {
                    let t: Vec<Value> = object::at(&n, "spec.taints")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter(|t| t.get("effect").and_then(Value::as_str) == Some("NoExecute"))
                        .cloned()
                        .collect();
                    (object::name(&n).to_string(), t)
                })
                .filter(|(_, t)| !t.is_empty()),
        );
        if no_execute.is_empty() {
            return;
        }
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
