// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! Subresources: `status` (only status changes), `scale` (an
//! `autoscaling/v1` Scale over `spec.replicas`), `binding` (the scheduler
//! sets `spec.nodeName`) and `eviction` (a graceful delete that honours
//! PodDisruptionBudgets).

use super::{stop, ApiError, ApiServer, DeleteOptions, Outcome, RequestTrace, Stage};
use crate::api::selector::LabelSelector;
use crate::api::{object, resolve, Resource};
use crate::clock::Time;
use crate::etcd::{Compare, CompareOp, CompareTarget, TxnOp};
use serde_json::{json, Value};

const SCALABLE: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "ReplicationController",
];

const EVICTION_BLOCKED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

impl ApiServer {
    /// `PUT …/status`: only `status` (and labels/annotations) change; the
    /// stored spec stays and the generation does not move.
    pub fn update_status(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        mut obj: Value,
    ) -> Result<Value, ApiError> {
        let name = object::name(&obj).to_string();
        let mut t = self.begin("update", res, "status", namespace, &name);
        let r = (|| {
            self.authorize(&mut t, "update", res, "status", namespace, &name)?;
            let current = self
                .get(res, namespace, &name)
                .map_err(|e| stop(&mut t, Stage::Etcd, None, e))?;
            let expected = match object::str_at(&obj, "metadata.resourceVersion") {
                Some(rv) => rv.parse::<i64>().map_err(|_| {
                    stop(
                        &mut t,
                        Stage::Decoding,
                        None,
                        ApiError::BadRequest {
                            message: format!("invalid resourceVersion: {rv}"),
                        },
                    )
                })?,
                None => object::str_at(&current, "metadata.resourceVersion")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(0),
            };
            let mut next = current;
            // The body's status moves into the object (the body is not
            // read again but for its labels and annotations).
            match obj.as_object_mut().and_then(|m| m.remove("status")) {
                Some(st) => object::set(&mut next, "status", st),
                None => {
                    if let Some(m) = next.as_object_mut() {
                        m.remove("status");
                    }
                }
            }
            for field in ["labels", "annotations"] {
                if let Some(v) = object::at(&obj, &format!("metadata.{field}")) {
                    object::set(&mut next, &format!("metadata.{field}"), v.clone());
                }
            }
            if res.kind == "Node" {
                // A kubelet's status body is decoded, so defaulted, too
                // (allocatable from capacity, the zero-valued structs).
                super::defaulting::apply(res.kind, &mut next);
            }
            t.step(
                Stage::Decoding,
                "status taken from the body; spec and the rest kept",
            );
            self.write_update(&mut t, res, namespace, &name, expected, next)
        })();
        self.finish(t, r)
    }

    fn scale_of(res: &Resource, obj: &Value) -> Value {
        let selector = if res.kind == "ReplicationController" {
            LabelSelector::from_map(object::at(obj, "spec.selector").unwrap_or(&Value::Null))
                .to_string()
        } else {
            object::at(obj, "spec.selector")
                .and_then(|s| LabelSelector::from_api(s).ok())
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        let mut meta = json!({});
        for f in [
            "name",
            "namespace",
            "uid",
            "resourceVersion",
            "creationTimestamp",
        ] {
            if let Some(v) = object::at(obj, &format!("metadata.{f}")) {
                meta[f] = v.clone();
            }
        }
        json!({
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": meta,
            "spec": {"replicas": object::at(obj, "spec.replicas").and_then(Value::as_i64).unwrap_or(0)},
            "status": {
                "replicas": object::at(obj, "status.replicas").and_then(Value::as_i64).unwrap_or(0),
                "selector": selector,
            },
        })
    }

    fn check_scalable(res: &Resource) -> Result<(), ApiError> {
        if SCALABLE.contains(&res.kind) {
            Ok(())
        } else {
            Err(ApiError::Status {
                code: 404,
                reason: "NotFound",
                message: "the server could not find the requested resource".into(),
            })
        }
    }

    /// `GET …/scale`.
    pub fn get_scale(
        &self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        Self::check_scalable(res)?;
        let obj = self.get(res, namespace, name)?;
        Ok(Self::scale_of(res, &obj))
    }

    /// `PUT …/scale`: sets `spec.replicas` (an update of the object).
    pub fn update_scale(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
        replicas: i64,
    ) -> Result<Value, ApiError> {
        let mut t = self.begin("update", res, "scale", namespace, name);
        let r = (|| {
            Self::check_scalable(res).map_err(|e| stop(&mut t, Stage::Decoding, None, e))?;
            self.authorize(&mut t, "update", res, "scale", namespace, name)?;
            if replicas < 0 {
                return Err(stop(
                    &mut t,
                    Stage::Validation,
                    None,
                    super::field::invalid(
                        "Scale",
                        "autoscaling",
                        name,
                        &[super::field::FieldError::invalid(
                            "spec.replicas",
                            super::field::BadValue::Plain(replicas.to_string()),
                            "must be greater than or equal to 0",
                        )],
                    ),
                ));
            }
            let mut obj = self
                .get(res, namespace, name)
                .map_err(|e| stop(&mut t, Stage::Etcd, None, e))?;
            object::set(&mut obj, "spec.replicas", json!(replicas));
            t.step(Stage::Decoding, format!("spec.replicas = {replicas}"));
            let updated = self.update_inner(res, namespace, obj, &mut t)?;
            Ok(Self::scale_of(res, &updated))
        })();
        self.finish(t, r)
    }

    /// `POST …/pods/x/binding`: the scheduler's decision. Sets
    /// `spec.nodeName` and the `PodScheduled` condition.
    pub fn bind(
        &mut self,
        namespace: &str,
        pod: &str,
        node: &str,
        now: Time,
    ) -> Result<Value, ApiError> {
        self.now = self.now.max(now);
        let Some(res) = resolve("pods").copied() else {
            return Err(ApiError::not_found_plain());
        };
        let mut t = self.begin("create", &res, "binding", Some(namespace), pod);
        let r = self.bind_inner(&res, namespace, pod, node, now, &mut t);
        self.finish(t, r)
    }

    fn bind_inner(
        &mut self,
        res: &Resource,
        namespace: &str,
        pod: &str,
        node: &str,
        now: Time,
        t: &mut RequestTrace,
    ) -> Result<Value, ApiError> {
        self.authorize(t, "create", res, "binding", Some(namespace), pod)?;
        let key = res.key(Some(namespace), pod);
        let kv = self
            .store
            .get(&key)
            .cloned()
            .ok_or_else(|| stop(t, Stage::Etcd, None, ApiError::not_found(res, pod)))?;
        let mut obj = Self::decode(&kv.value);
        if object::at(&obj, "metadata.deletionTimestamp").is_some() {
            return Err(stop(
                t,
                Stage::Etcd,
                None,
                ApiError::conflict_with(
                    "pods/binding",
                    pod,
                    &format!("pod {pod} is being deleted, cannot be assigned to a host"),
                ),
            ));
        }
        let current = object::str_at(&obj, "spec.nodeName")
            .unwrap_or_default()
            .to_string();
        if !current.is_empty() {
            return Err(stop(
                t,
                Stage::Etcd,
                None,
                ApiError::conflict_with(
                    "pods/binding",
                    pod,
                    &format!("pod {pod} is already assigned to node {current:?}"),
                ),
            ));
        }
        object::set(&mut obj, "spec.nodeName", json!(node));
        let cond = json!({"lastProbeTime": null, "lastTransitionTime": now.rfc3339(), "status": "True", "type": "PodScheduled"});
        let mut conds: Vec<Value> = object::at(&obj, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        match conds
            .iter_mut()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"))
        {
            Some(c) => {
                if c.get("status").and_then(Value::as_str) != Some("True") {
                    *c = cond;
                }
            }
            None => conds.push(cond),
        }
        object::set(&mut obj, "status.conditions", Value::Array(conds));
        t.step(
            Stage::Validation,
            format!("spec.nodeName = {node}; PodScheduled=True"),
        );
        let txn = self.store.txn(
            &[Compare {
                key: key.clone(),
                op: CompareOp::Equal,
                target: CompareTarget::ModRevision(kv.mod_revision),
            }],
            &[TxnOp::Put {
                key: key.clone(),
                value: Self::encode(&obj),
            }],
            &[],
        );
        if !txn.succeeded {
            return Err(stop(t, Stage::Etcd, None, ApiError::conflict(res, pod)));
        }
        t.step(
            Stage::Etcd,
            format!("put {key} at revision {}", txn.revision),
        );
        t.outcome = Outcome::Written {
            revision: txn.revision,
        };
        Ok(Self::with_resource_version(obj, txn.revision))
    }

    /// `POST /api/v1/namespaces/ns/bindings`: the legacy `bindings`
    /// resource, which `kubectl create -f binding.yaml` posts a Binding to
    /// (`LegacyBindingREST`). It binds the pod the Binding names, exactly as
    /// the pod's `binding` subresource does; nothing is stored. The answer
    /// is the Binding as sent.
    pub fn create_legacy_binding(
        &mut self,
        namespace: &str,
        binding: Value,
        now: Time,
    ) -> Result<Value, ApiError> {
        let kind = object::str_at(&binding, "target.kind").unwrap_or("");
        let node = object::str_at(&binding, "target.name").unwrap_or("");
        // ValidatePodBinding; its plain errors reach the client as a 500
        // without a reason.
        let mut errs = Vec::new();
        if !kind.is_empty() && kind != "Node" {
            errs.push(format!(
                "target.kind: Unsupported value: \"{kind}\": supported values: \"Node\", \"<empty>\""
            ));
        }
        if node.is_empty() {
            errs.push("target.name: Required value".to_string());
        }
        if !errs.is_empty() {
            let message = if errs.len() == 1 {
                errs.remove(0)
            } else {
                format!("[{}]", errs.join(", "))
            };
            return Err(ApiError::Status {
                code: 500,
                reason: "",
                message,
            });
        }
        let pod = object::name(&binding).to_string();
        let node = node.to_string();
        self.bind(namespace, &pod, &node, now)?;
        Ok(binding)
    }

    /// `POST …/pods/x/eviction`: a graceful delete, unless a
    /// PodDisruptionBudget would be violated (429).
    pub fn evict(&mut self, namespace: &str, pod: &str, now: Time) -> Result<Value, ApiError> {
        self.now = self.now.max(now);
        let Some(res) = resolve("pods").copied() else {
            return Err(ApiError::not_found_plain());
        };
        let mut t = self.begin("create", &res, "eviction", Some(namespace), pod);
        let r = self.evict_check(&res, namespace, pod, &mut t);
        let r = self.finish(t, r);
        let pdb_write = r?;
        if let Some((key, pdb)) = pdb_write {
            self.store.put(&key, Self::encode(&pdb));
        }
        self.delete_with(&res, Some(namespace), pod, DeleteOptions::default(), now)
    }

    /// The PDB check; `Ok` carries the budget to write back (one fewer disruption allowed).
    #[allow(clippy::type_complexity)]
    fn evict_check(
        &mut self,
        res: &Resource,
        namespace: &str,
        pod: &str,
        t: &mut RequestTrace,
    ) -> Result<Option<(String, Value)>, ApiError> {
        self.authorize(t, "create", res, "eviction", Some(namespace), pod)?;
        let obj = self
            .get(res, Some(namespace), pod)
            .map_err(|e| stop(t, Stage::Etcd, None, e))?;
        // canIgnorePDB: a pod that is not running, or already going.
        let phase = object::str_at(&obj, "status.phase").unwrap_or("Pending");
        if matches!(phase, "Succeeded" | "Failed" | "Pending")
            || object::at(&obj, "metadata.deletionTimestamp").is_some_and(|v| !v.is_null())
        {
            t.step(
                Stage::ValidatingAdmission,
                format!("pod is {phase} or terminating: no budget applies"),
            );
            return Ok(None);
        }
        let Some(pdbs) = resolve("poddisruptionbudgets").copied() else {
            return Ok(None);
        };
        let matching: Vec<Value> = self
            .list(&pdbs, Some(namespace))
            .into_iter()
            .filter(|b| {
                object::at(b, "spec.selector")
                    .and_then(|s| LabelSelector::from_api(s).ok())
                    .is_some_and(|s| !s.is_empty() && s.matches_object(&obj))
            })
            .collect();
        let budget = match matching.as_slice() {
            [] => {
                t.step(Stage::ValidatingAdmission, "no PodDisruptionBudget selects the pod");
                return Ok(None);
            }
            [one] => one.clone(),
            _ => {
                return Err(stop(t, Stage::ValidatingAdmission, None, ApiError::Status {
                    code: 500,
                    reason: "InternalError",
                    message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
                }))
            }
        };
        let bname = object::name(&budget).to_string();
        let st = |f: &str| object::at(&budget, &format!("status.{f}")).and_then(Value::as_i64);
        let ready = object::at(&obj, "status.conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True")
            });
        // An unready pod may go when the budget is healthy without it
        // (`unhealthyPodEvictionPolicy`: AlwaysAllow, or IfHealthyBudget).
        let always =
            object::str_at(&budget, "spec.unhealthyPodEvictionPolicy") == Some("AlwaysAllow");
        let (current, desired) = (
            st("currentHealthy").unwrap_or(0),
            st("desiredHealthy").unwrap_or(0),
        );
        if !ready && (always || (current >= desired && desired > 0)) {
            t.step(
                Stage::ValidatingAdmission,
                format!("pod is not ready and PodDisruptionBudget {bname} is healthy"),
            );
            return Ok(None);
        }
        // checkAndDecrement: only a budget the disruption controller has
        // processed (observedGeneration) with a disruption left.
        let generation = object::at(&budget, "metadata.generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let allowed = st("disruptionsAllowed").unwrap_or(0);
        let processed = st("observedGeneration").unwrap_or(0) >= generation;
        if !processed || allowed <= 0 {
            let why = if processed {
                format!("The disruption budget {bname} needs {desired} healthy pods and has {current} currently")
            } else {
                format!("The disruption budget {bname} is still being processed by the server.")
            };
            t.step(Stage::ValidatingAdmission, why);
            return Err(stop(
                t,
                Stage::ValidatingAdmission,
                None,
                ApiError::Status {
                    code: 429,
                    reason: "TooManyRequests",
                    message: EVICTION_BLOCKED.into(),
                },
            ));
        }
        t.step(
            Stage::ValidatingAdmission,
            format!("PodDisruptionBudget {bname} allows {allowed} disruption(s)"),
        );
        let mut b = budget;
        object::set(&mut b, "status.disruptionsAllowed", json!(allowed - 1));
        if allowed == 1 {
            crate::controllers::disruption::update_allowed_condition(&mut b, self.now);
        }
        // The controller must not count the pod as available while it goes.
        if !b["status"]["disruptedPods"].is_object() {
            b["status"]["disruptedPods"] = json!({});
        }
        b["status"]["disruptedPods"][pod] = json!(self.now.rfc3339());
        if let Some(m) = b.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
        }
        Ok(Some((pdbs.key(Some(namespace), &bname), b)))
    }
}
