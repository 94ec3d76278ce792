// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! kube-aggregator's `AvailableConditionController`, inside kube-apiserver:
//! an APIService backed by a Service is `Available` when that Service has
//! a ready endpoint on the named port; until then discovery leaves its
//! group out (so `kubectl top` says `Metrics API not available`).

use crate::api::{object, resolve};
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};

#[derive(Debug, Default)]
pub struct AvailableConditionController;

/// Whether the Service has a ready address serving `port` (by name or number).
fn check(ctx: &SyncContext<'_>, ns: &str, name: &str, port: i64) -> (bool, &'static str, String) {
    let svc = resolve("services").and_then(|r| ctx.api.get(r, Some(ns), name).ok());
    let Some(svc) = svc else {
        return (
            false,
            "ServiceNotFound",
            format!("service/{name} in {ns:?} is not present"),
        );
    };
    let port_name = object::at(&svc, "spec.ports")
        .and_then(Value::as_array)
        .and_then(|ps| {
            ps.iter()
                .find(|p| p.get("port").and_then(Value::as_i64) == Some(port))
        })
        .and_then(|p| p.get("name").and_then(Value::as_str))
        .unwrap_or("")
        .to_string();
    let ep = resolve("endpoints").and_then(|r| ctx.api.get(r, Some(ns), name).ok());
    let ready = ep.as_ref().is_some_and(|ep| {
        object::at(ep, "subsets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|s| {
                let has_addr = s
                    .get("addresses")
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty());
                let has_port = s.get("ports").and_then(Value::as_array).is_some_and(|ps| {
                    ps.iter()
                        .any(|p| p.get("name").and_then(Value::as_str).unwrap_or("") == port_name)
                });
                has_addr && has_port
            })
    });
    if !ready {
        return (
            false,
            "MissingEndpoints",
            format!("endpoints for service/{name} in {ns:?} have no addresses with port name {port_name:?}"),
        );
    }
    (true, "Passed", "all checks passed".to_string())
}

impl Component for AvailableConditionController {
    fn name(&self) -> String {
        "kube-apiserver/apiservice-available".into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let Some(res) = resolve("apiservices") else {
            return;
        };
        for svc in ctx.api.list(res, None) {
            let (ok, reason, message) = match (
                object::str_at(&svc, "spec.service.namespace"),
                object::str_at(&svc, "spec.service.name"),
            ) {
                (Some(ns), Some(n)) => {
                    let port = object::at(&svc, "spec.service.port")
                        .and_then(Value::as_i64)
                        .unwrap_or(443);
                    check(ctx, ns, n, port)
                }
                _ => (
                    true,
                    "Local",
                    "Local APIServices are always available".to_string(),
                ),
            };
            let status = if ok { "True" } else { "False" };
            let old = object::at(&svc, "status.conditions")
                .and_then(Value::as_array)
                .and_then(|cs| {
                    cs.iter()
                        .find(|c| object::str_at(c, "type") == Some("Available"))
                        .cloned()
                });
            let same = old.as_ref().is_some_and(|c| {
                object::str_at(c, "status") == Some(status)
                    && object::str_at(c, "reason") == Some(reason)
                    && object::str_at(c, "message") == Some(message.as_str())
            });
            if same {
                continue;
            }
            let since = match &old {
                Some(c) if object::str_at(c, "status") == Some(status) => c
                    .get("lastTransitionTime")
                    .cloned()
                    .unwrap_or_else(|| json!(ctx.now.rfc3339())),
                _ => json!(ctx.now.rfc3339()),
            };
            let mut updated = svc.clone();
            updated["status"] = json!({"conditions": [{
                "lastTransitionTime": since,
                "message": message,
                "reason": reason,
                "status": status,
                "type": "Available",
            }]});
            let _ = ctx.api.update_status(res, None, updated);
        }
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }
}
