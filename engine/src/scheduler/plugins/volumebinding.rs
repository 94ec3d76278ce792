//! VolumeBinding (PreFilter, Filter, Reserve, PreBind): a pod's
//! PersistentVolumeClaims must exist; an unbound claim of an `Immediate`
//! class blocks scheduling (the PV controller binds it first); a bound
//! claim's volume must allow the node (PV node affinity); a
//! `WaitForFirstConsumer` claim is allowed on nodes where a matching volume
//! is available or the class provisions dynamically, and at PreBind gets the
//! `volume.kubernetes.io/selected-node` annotation (or the chosen PV its
//! `claimRef`) so storage can follow the pod.

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{quantity_value, str_of, NodeInfo, NodeSelectorTerm, PodInfo};
use super::names;
use crate::api::resolve;
use crate::apiserver::ApiServer;
use crate::clock::Time;
use serde_json::{json, Value};

#[derive(Debug)]
pub struct VolumeBinding;

const STATE: &str = "PreFilterVolumeBinding";
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// What PreFilter found out about the pod's claims.
#[derive(Debug, Default)]
struct ClaimsState {
    /// Volumes of bound claims.
    bound: Vec<Value>,
    /// Unbound WaitForFirstConsumer claims (`name`, the claim object).
    delayed: Vec<(String, Value)>,
}

impl Plugin for VolumeBinding {
    fn name(&self) -> &'static str {
        names::VOLUME_BINDING
    }
}

fn class_of(pvc: &Value) -> &str {
    pvc.pointer("/spec/storageClassName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn pv_node_ok(pv: &Value, node: &NodeInfo) -> bool {
    let Some(terms) = pv
        .pointer("/spec/nodeAffinity/required/nodeSelectorTerms")
        .and_then(Value::as_array)
    else {
        return true;
    };
    terms
        .iter()
        .map(NodeSelectorTerm::parse)
        .any(|t| t.matches(&node.name, &node.labels))
}

/// An available PV that can satisfy the claim on the node.
fn find_pv<'a>(cache: &'a Cache, pvc: &Value, node: &NodeInfo) -> Option<&'a Value> {
    let class = class_of(pvc);
    let want = pvc
        .pointer("/spec/resources/requests/storage")
        .and_then(quantity_value)
        .unwrap_or(0);
    let modes: Vec<&str> = pvc
        .pointer("/spec/accessModes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut pvs: Vec<(&String, &Value)> = cache.pvs.iter().collect();
    crate::sort::sort_by_key(&mut pvs, |(name, pv)| {
        (
            pv.pointer("/spec/capacity/storage")
                .and_then(quantity_value)
                .unwrap_or(0),
            (*name).clone(),
        )
    });
    pvs.into_iter().map(|(_, pv)| pv).find(|pv| {
        let free = pv.pointer("/spec/claimRef").is_none_or(Value::is_null);
        let pv_class = pv
            .pointer("/spec/storageClassName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let size = pv
            .pointer("/spec/capacity/storage")
            .and_then(quantity_value)
            .unwrap_or(0);
        let pv_modes: Vec<&str> = pv
            .pointer("/spec/accessModes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        free && pv_class == class
            && size >= want
            && modes.iter().all(|m| pv_modes.contains(m))
            && pv_node_ok(pv, node)
    })
}

impl PreFilterPlugin for VolumeBinding {
    fn pre_filter(&self, state: &mut CycleState, pod: &PodInfo, cache: &Cache) -> Status {
        if pod.pvcs.is_empty() {
            return Status::skip();
        }
        let mut st = ClaimsState::default();
        for claim in &pod.pvcs {
            let Some(pvc) = cache.pvcs.get(&format!("{}/{}", pod.namespace, claim)) else {
                return Status::new(
                    Code::UnschedulableAndUnresolvable,
                    messages::pvc_not_found(claim),
                );
            };
            if pvc
                .pointer("/metadata/deletionTimestamp")
                .is_some_and(|d| !d.is_null())
            {
                return Status::new(
                    Code::UnschedulableAndUnresolvable,
                    messages::pvc_deleting(claim),
                );
            }
            let volume = pvc
                .pointer("/spec/volumeName")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !volume.is_empty() {
                if let Some(pv) = cache.pvs.get(volume) {
                    st.bound.push(pv.clone());
                }
                continue;
            }
            let mode = cache
                .storage_classes
                .get(class_of(pvc))
                .map(|sc| str_of(sc, "volumeBindingMode"))
                .unwrap_or("");
            if mode == "WaitForFirstConsumer" {
                st.delayed.push((claim.clone(), pvc.clone()));
            } else {
                return Status::new(
                    Code::UnschedulableAndUnresolvable,
                    messages::UNBOUND_IMMEDIATE_PVC,
                );
            }
        }
        state.write(STATE, st);
        Status::success()
    }
}

impl FilterPlugin for VolumeBinding {
    fn filter(&self, state: &CycleState, _: &PodInfo, node: &NodeInfo, cache: &Cache) -> Status {
        let Some(st) = state.read::<ClaimsState>(STATE) else {
            return Status::success();
        };
        let mut reasons = Vec::new();
        if st.bound.iter().any(|pv| !pv_node_ok(pv, node)) {
            reasons.push(messages::VOLUME_NODE_AFFINITY_CONFLICT.to_string());
        }
        let unsatisfied = st.delayed.iter().any(|(_, pvc)| {
            let provisioner = cache
                .storage_classes
                .get(class_of(pvc))
                .map(|sc| str_of(sc, "provisioner"))
                .unwrap_or(NO_PROVISIONER);
            provisioner == NO_PROVISIONER && find_pv(cache, pvc, node).is_none()
        });
        if unsatisfied {
            reasons.push(messages::VOLUME_BIND_CONFLICT.to_string());
        }
        if reasons.is_empty() {
            Status::success()
        } else {
            Status::with_reasons(Code::UnschedulableAndUnresolvable, reasons)
        }
    }
}

impl ReservePlugin for VolumeBinding {
    fn reserve(&self, _: &mut CycleState, _: &PodInfo, _: &str) -> Status {
        Status::success()
    }
}

impl PreBindPlugin for VolumeBinding {
    fn pre_bind(
        &self,
        api: &mut ApiServer,
        cache: &Cache,
        pod: &PodInfo,
        node: &str,
        _now: Time,
    ) -> Status {
        let (Some(pvcs_res), Some(pvs_res)) = (
            resolve("persistentvolumeclaims"),
            resolve("persistentvolumes"),
        ) else {
            return Status::success();
        };
        let Some(node_info) = cache.node(node) else {
            return Status::success();
        };
        for claim in &pod.pvcs {
            let Some(pvc) = cache.pvcs.get(&format!("{}/{}", pod.namespace, claim)) else {
                continue;
            };
            if pvc
                .pointer("/spec/volumeName")
                .and_then(Value::as_str)
                .is_some_and(|v| !v.is_empty())
            {
                continue;
            }
            let Some(sc) = cache.storage_classes.get(class_of(pvc)) else {
                continue;
            };
            if str_of(sc, "volumeBindingMode") != "WaitForFirstConsumer" {
                continue;
            }
            if str_of(sc, "provisioner") == NO_PROVISIONER {
                if let Some(pv) = find_pv(cache, pvc, node_info) {
                    let mut pv = pv.clone();
                    crate::api::object::set(
                        &mut pv,
                        "spec.claimRef",
                        json!({
                            "kind": "PersistentVolumeClaim",
                            "apiVersion": "v1",
                            "namespace": pod.namespace,
                            "name": claim,
                            "uid": pvc.pointer("/metadata/uid").cloned().unwrap_or(Value::Null),
                        }),
                    );
                    if let Err(e) = api.update(pvs_res, None, pv) {
                        return Status::new(Code::Error, e.to_string());
                    }
                }
            } else {
                let mut pvc = pvc.clone();
                if pvc
                    .pointer("/metadata/annotations")
                    .and_then(Value::as_object)
                    .is_none()
                {
                    crate::api::object::set(&mut pvc, "metadata.annotations", json!({}));
                }
                if let Some(a) = pvc
                    .pointer_mut("/metadata/annotations")
                    .and_then(Value::as_object_mut)
                {
                    a.insert(SELECTED_NODE.into(), json!(node));
                }
                if let Err(e) = api.update(pvcs_res, Some(&pod.namespace), pvc) {
                    return Status::new(Code::Error, e.to_string());
                }
            }
        }
        Status::success()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    fn with_claim() -> PodInfo {
        pod(
            "p",
            json!({"spec": {"volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}}),
        )
    }

    fn cache_with(pvc: Value, sc: Value, pvs: Vec<Value>) -> Cache {
        let mut c = cache(vec![node("a", json!({})), node("b", json!({}))], vec![]);
        c.pvcs.insert("default/data".into(), pvc);
        c.storage_classes.insert("std".into(), sc);
        for pv in pvs {
            c.pvs
                .insert(str_of(&pv["metadata"], "name").to_string(), pv);
        }
        c
    }

    #[test]
    fn claims() {
        let p = with_claim();
        let pvc = |extra: Value| {
            let mut v = json!({"metadata": {"name": "data", "namespace": "default"}, "spec": {"storageClassName": "std", "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}});
            merge(&mut v, extra);
            v
        };
        let immediate = json!({"metadata": {"name": "std"}, "provisioner": "x", "volumeBindingMode": "Immediate"});
        let wffc_static = json!({"metadata": {"name": "std"}, "provisioner": NO_PROVISIONER, "volumeBindingMode": "WaitForFirstConsumer"});
        let wffc_dynamic = json!({"metadata": {"name": "std"}, "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"});
        let pv_on = |name: &str, node: &str| {
            json!({"metadata": {"name": name}, "spec": {"storageClassName": "std", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "2Gi"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}}})
        };

        // missing claim
        let c = cache(vec![node("a", json!({}))], vec![]);
        let mut s = CycleState::default();
        assert_eq!(
            VolumeBinding.pre_filter(&mut s, &p, &c).message(),
            "persistentvolumeclaim \"data\" not found"
        );
        // unbound immediate claim
        let c = cache_with(pvc(json!({})), immediate.clone(), vec![]);
        let st = VolumeBinding.pre_filter(&mut s, &p, &c);
        assert_eq!(
            (st.code, st.message().as_str()),
            (
                Code::UnschedulableAndUnresolvable,
                "pod has unbound immediate PersistentVolumeClaims"
            )
        );
        // bound claim whose volume lives on node a
        let c = cache_with(
            pvc(json!({"spec": {"volumeName": "pv-a"}})),
            immediate,
            vec![pv_on("pv-a", "a")],
        );
        let mut s = CycleState::default();
        assert!(VolumeBinding.pre_filter(&mut s, &p, &c).is_success());
        let (a, b) = (
            c.node("a").cloned().unwrap_or_default(),
            c.node("b").cloned().unwrap_or_default(),
        );
        assert!(VolumeBinding.filter(&s, &p, &a, &c).is_success());
        assert_eq!(
            VolumeBinding.filter(&s, &p, &b, &c).message(),
            "node(s) had volume node affinity conflict"
        );
        // WaitForFirstConsumer without a provisioner: where a volume is available
        let c = cache_with(pvc(json!({})), wffc_static, vec![pv_on("pv-b", "b")]);
        let mut s = CycleState::default();
        assert!(VolumeBinding.pre_filter(&mut s, &p, &c).is_success());
        assert_eq!(
            VolumeBinding.filter(&s, &p, &a, &c).message(),
            "node(s) didn't find available persistent volumes to bind"
        );
        assert!(VolumeBinding.filter(&s, &p, &b, &c).is_success());
        // WaitForFirstConsumer with a provisioner: anywhere
        let c = cache_with(pvc(json!({})), wffc_dynamic, vec![]);
        let mut s = CycleState::default();
        assert!(VolumeBinding.pre_filter(&mut s, &p, &c).is_success());
        assert!(VolumeBinding.filter(&s, &p, &a, &c).is_success());
        // no claims: skipped
        assert!(VolumeBinding
            .pre_filter(&mut CycleState::default(), &pod("q", json!({})), &c)
            .is_skip());
    }
}
