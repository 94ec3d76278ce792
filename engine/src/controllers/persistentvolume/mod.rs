// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The PersistentVolume controller (`pkg/controller/volume/persistentvolume`)
//! and, for classes whose provisioner the cluster runs, a simulated
//! provisioner in the way of `rancher.io/local-path`.
//!
//! - A pending claim binds to the smallest Available volume of its class
//!   whose access modes include the claim's and whose capacity covers the
//!   request (and whose labels match the claim's selector). Both sides get
//!   the `bound-by-controller` annotations; the claim `bind-completed`.
//! - A class with `volumeBindingMode: WaitForFirstConsumer` waits for the
//!   scheduler: it sets the chosen volume's `claimRef` or the claim's
//!   `volume.kubernetes.io/selected-node`, and this controller finishes.
//! - A claim with no volume and a class with a provisioner gets a new
//!   volume `pvc-<claim uid>`; with no class it waits (`FailedBinding`).
//! - A bound claim that goes leaves its volume `Released`; the volume is
//!   deleted if its reclaim policy is `Delete`.

use super::util::{self, event};
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::sync::Arc;

const COMPONENT: &str = "persistentvolume-controller";
const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
/// Provisioners the simulated cluster runs.
const PROVISIONERS: &[&str] = &["rancher.io/local-path"];

#[derive(Debug, Default)]
pub struct PersistentVolumeController {
    said: std::collections::BTreeSet<String>,
}

impl PersistentVolumeController {
    pub fn new() -> Self {
        Self::default()
    }
}

/// A quantity in bytes (`1Gi`, `500Mi`, `1G`, `1024`).
pub fn bytes(q: &str) -> Option<f64> {
    let q = q.trim();
    let units: [(&str, f64); 12] = [
        ("Ki", 1024.0),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (u, m) in units {
        if let Some(n) = q.strip_suffix(u) {
            return n.parse::<f64>().ok().map(|v| v * m);
        }
    }
    q.parse::<f64>().ok()
}

fn modes(v: &Value, path: &str) -> Vec<String> {
    object::at(v, path)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn class_of(v: &Value) -> String {
    object::str_at(v, "spec.storageClassName")
        .unwrap_or("")
        .to_string()
}

/// Whether a volume can hold the claim (class, modes, size, volume mode, selector).
pub fn fits(pv: &Value, pvc: &Value) -> bool {
    let want = object::str_at(pvc, "spec.resources.requests.storage")
        .and_then(bytes)
        .unwrap_or(0.0);
    let have = object::str_at(pv, "spec.capacity.storage")
        .and_then(bytes)
        .unwrap_or(0.0);
    let pv_modes = modes(pv, "spec.accessModes");
    class_of(pv) == class_of(pvc)
        && have >= want
        && modes(pvc, "spec.accessModes")
            .iter()
            .all(|m| pv_modes.contains(m))
        && object::str_at(pv, "spec.volumeMode").unwrap_or("Filesystem")
            == object::str_at(pvc, "spec.volumeMode").unwrap_or("Filesystem")
        && object::at(pvc, "spec.selector")
            .is_none_or(|s| s.is_null() || util::selector_matches(Some(s), &util::labels(pv)))
}

fn claim_ref(pvc: &Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "name": object::name(pvc),
        "namespace": object::namespace(pvc).unwrap_or("default"),
        "resourceVersion": object::str_at(pvc, "metadata.resourceVersion").unwrap_or(""),
        "uid": util::uid(pvc),
    })
}

fn refers_to(pv: &Value, pvc: &Value) -> bool {
    object::str_at(pv, "spec.claimRef.name") == Some(object::name(pvc))
        && object::str_at(pv, "spec.claimRef.namespace") == object::namespace(pvc)
        && object::str_at(pv, "spec.claimRef.uid")
            .is_none_or(|u| u.is_empty() || u == util::uid(pvc))
}

impl Component for PersistentVolumeController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let classes = util::list(ctx.api, "storageclasses", None);
        let claims = util::list(ctx.api, "persistentvolumeclaims", None);
        for pvc in &claims {
            if util::is_deleting(pvc) || object::str_at(pvc, "status.phase") == Some("Bound") {
                continue;
            }
            self.sync_claim(ctx, pvc, &classes);
        }
        self.sync_volumes(ctx);
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        None
    }
}

impl PersistentVolumeController {
    fn once(
        &mut self,
        ctx: &mut SyncContext<'_>,
        pvc: &Value,
        warning: bool,
        reason: &str,
        msg: String,
    ) {
        if self.said.insert(format!("{}/{reason}", util::uid(pvc))) {
            event(ctx, COMPONENT, pvc, warning, reason, msg);
        }
    }

    fn sync_claim(&mut self, ctx: &mut SyncContext<'_>, pvc: &Value, classes: &[Arc<Value>]) {
        let pvs = util::list(ctx.api, "persistentvolumes", None);
        let class_name = class_of(pvc);
        let class = classes.iter().find(|c| object::name(c) == class_name);
        let wffc = class
            .and_then(|c| c.get("volumeBindingMode"))
            .and_then(Value::as_str)
            == Some("WaitForFirstConsumer");
        // A volume already chosen for this claim (pre-bound, or by the scheduler).
        let chosen = match object::str_at(pvc, "spec.volumeName").filter(|n| !n.is_empty()) {
            Some(n) => pvs.iter().find(|p| object::name(p) == n).cloned(),
            None => pvs.iter().find(|p| refers_to(p, pvc)).cloned(),
        };
        let pv = match chosen {
            Some(pv) => Some(pv),
            None if wffc
                && object::at(pvc, "metadata.annotations")
                    .and_then(|a| a.get(SELECTED_NODE))
                    .is_none() =>
            {
                self.once(
                    ctx,
                    pvc,
                    false,
                    "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding".into(),
                );
                return;
            }
            None => {
                let mut candidates: Vec<&Arc<Value>> = pvs
                    .iter()
                    .filter(|p| {
                        object::str_at(p, "status.phase").unwrap_or("Available") == "Available"
                    })
                    .filter(|p| object::at(p, "spec.claimRef").is_none_or(Value::is_null))
                    .filter(|p| fits(p, pvc))
                    .collect();
                crate::sort::sort_by(&mut candidates, |a, b| {
                    let s = |v: &Value| {
                        object::str_at(v, "spec.capacity.storage")
                            .and_then(bytes)
                            .unwrap_or(0.0)
                    };
                    s(a).total_cmp(&s(b))
                        .then(object::name(a).cmp(object::name(b)))
                });
                candidates.first().map(|p| Arc::clone(p))
            }
        };
        let pv = match pv {
            Some(pv) => Arc::unwrap_or_clone(pv),
            None => {
                let provisioner = class
                    .and_then(|c| c.get("provisioner"))
                    .and_then(Value::as_str);
                match provisioner {
                    Some(p) if PROVISIONERS.contains(&p) => match self.provision(ctx, pvc, p) {
                        Some(pv) => pv,
                        None => return,
                    },
                    Some(p) => {
                        self.once(ctx, pvc, false, "ExternalProvisioning", format!("Waiting for a volume to be created either by the external provisioner '{p}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."));
                        return;
                    }
                    None if class_name.is_empty() => {
                        self.once(ctx, pvc, false, "FailedBinding", "no persistent volumes available for this claim and no storage class is set".into());
                        return;
                    }
                    None => {
                        self.once(
                            ctx,
                            pvc,
                            true,
                            "ProvisioningFailed",
                            format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
                        );
                        return;
                    }
                }
            }
        };
        self.bind(ctx, pv, pvc);
    }

    /// The simulated provisioner: a hostPath volume on the selected node
    /// (or any), of the requested size, with the class's reclaim policy.
    fn provision(
        &mut self,
        ctx: &mut SyncContext<'_>,
        pvc: &Value,
        provisioner: &str,
    ) -> Option<Value> {
        let class_name = class_of(pvc);
        let class = util::get(ctx.api, "storageclasses", None, &class_name)?;
        let name = format!("pvc-{}", util::uid(pvc));
        let ns = object::namespace(pvc).unwrap_or("default");
        let node = object::at(pvc, "metadata.annotations")
            .and_then(|a| a.get(SELECTED_NODE))
            .and_then(Value::as_str)
            .map(String::from);
        let mut pv = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": name, "annotations": {PROVISIONED_BY: provisioner}, "finalizers": []},
            "spec": {
                "accessModes": object::at(pvc, "spec.accessModes").cloned().unwrap_or(json!(["ReadWriteOnce"])),
                "capacity": {"storage": object::str_at(pvc, "spec.resources.requests.storage").unwrap_or("1Gi")},
                "hostPath": {"path": format!("/opt/local-path-provisioner/{name}_{ns}_{}", object::name(pvc)), "type": "DirectoryOrCreate"},
                "persistentVolumeReclaimPolicy": class.get("reclaimPolicy").cloned().unwrap_or(json!("Delete")),
                "storageClassName": class_name,
                "volumeMode": object::str_at(pvc, "spec.volumeMode").unwrap_or("Filesystem"),
                "claimRef": claim_ref(pvc),
            },
        });
        if let Some(m) = pv["metadata"].as_object_mut() {
            m.remove("finalizers");
        }
        if let Some(n) = &node {
            pv["spec"]["nodeAffinity"] = json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [n]}]}]}});
        }
        // `setClaimProvisioner`: the claim names the provisioner expected to
        // act (both keys, the beta one kept for old provisioners).
        let mut claim = pvc.clone();
        for key in [
            "volume.beta.kubernetes.io/storage-provisioner",
            "volume.kubernetes.io/storage-provisioner",
        ] {
            claim["metadata"]["annotations"][key] = json!(provisioner);
        }
        let _ = util::update_if_changed(ctx.api, "persistentvolumeclaims", pvc, claim);
        event(ctx, COMPONENT, pvc, false, "ExternalProvisioning", format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."));
        let created = util::create(ctx.api, "persistentvolumes", None, pv, ctx.now)?;
        event(
            ctx,
            provisioner,
            pvc,
            false,
            "ProvisioningSucceeded",
            format!("Successfully provisioned volume {name}"),
        );
        Some(created)
    }

    fn bind(&mut self, ctx: &mut SyncContext<'_>, pv: Value, pvc: &Value) {
        let pv_name = object::name(&pv).to_string();
        let by_controller = object::at(&pv, "spec.claimRef").is_none_or(Value::is_null)
            || object::str_at(&pv, "spec.claimRef.uid").is_none_or(str::is_empty);
        let mut new_pv = pv.clone();
        new_pv["spec"]["claimRef"] = claim_ref(pvc);
        if by_controller {
            new_pv["metadata"]["annotations"][BOUND_BY_CONTROLLER] = json!("yes");
        }
        let Some(bound_pv) =
            util::update_if_changed(ctx.api, "persistentvolumes", &pv, new_pv).or(Some(pv))
        else {
            return;
        };
        if let Some(r) = util::res("persistentvolumes") {
            let mut s = bound_pv.clone();
            s["status"] = json!({"phase": "Bound"});
            if bound_pv.get("status") != s.get("status") {
                let _ = ctx.api.update_status(&r, None, s);
            }
        }
        let ns = object::namespace(pvc).unwrap_or("default").to_string();
        let Some(cur) = util::get(
            ctx.api,
            "persistentvolumeclaims",
            Some(&ns),
            object::name(pvc),
        ) else {
            return;
        };
        let mut claim = cur.clone();
        claim["spec"]["volumeName"] = json!(pv_name);
        claim["metadata"]["annotations"][BIND_COMPLETED] = json!("yes");
        if object::str_at(pvc, "spec.volumeName").is_none_or(str::is_empty) {
            claim["metadata"]["annotations"][BOUND_BY_CONTROLLER] = json!("yes");
        }
        let Some(claim) = util::update_if_changed(ctx.api, "persistentvolumeclaims", &cur, claim)
        else {
            return;
        };
        if let Some(r) = util::res("persistentvolumeclaims") {
            let mut s = claim.clone();
            s["status"] = json!({
                "accessModes": object::at(&bound_pv, "spec.accessModes").cloned().unwrap_or(json!([])),
                "capacity": object::at(&bound_pv, "spec.capacity").cloned().unwrap_or(json!({})),
                "phase": "Bound",
            });
            let _ = ctx.api.update_status(&r, Some(&ns), s);
        }
    }

    /// Volumes: Available when free, Released when their claim is gone
    /// (and deleted then if the policy says Delete).
    fn sync_volumes(&mut self, ctx: &mut SyncContext<'_>) {
        let Some(r) = util::res("persistentvolumes") else {
            return;
        };
        for pv in util::list(ctx.api, "persistentvolumes", None) {
            if util::is_deleting(&pv) {
                continue;
            }
            let phase = object::str_at(&pv, "status.phase").unwrap_or("");
            let claim = object::at(&pv, "spec.claimRef").filter(|c| !c.is_null());
            let want = match claim {
                None => "Available",
                Some(c) => {
                    let ns = c
                        .get("namespace")
                        .and_then(Value::as_str)
                        .unwrap_or("default");
                    let name = c.get("name").and_then(Value::as_str).unwrap_or("");
                    let uid = c.get("uid").and_then(Value::as_str).unwrap_or("");
                    match util::get(ctx.api, "persistentvolumeclaims", Some(ns), name) {
                        Some(pvc) if uid.is_empty() || util::uid(&pvc) == uid => {
                            if phase == "Bound" {
                                "Bound"
                            } else {
                                continue;
                            }
                        }
                        _ if uid.is_empty() => "Available",
                        _ => "Released",
                    }
                }
            };
            if want == "Released"
                && object::str_at(&pv, "spec.persistentVolumeReclaimPolicy") == Some("Delete")
            {
                util::delete(ctx.api, "persistentvolumes", None, object::name(&pv));
                continue;
            }
            if phase != want {
                let mut s = Value::clone(&pv);
                s["status"] = json!({"phase": want});
                let _ = ctx.api.update_status(&r, None, s);
            }
        }
    }
}

#[cfg(test)]
mod tests;
