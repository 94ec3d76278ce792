//! `DELETE`: graceful deletion, finalizers, propagation policy, and the
//! namespace lifecycle, as v1.33's registry does them.
//!
//! - A bound Pod is not removed: it gets `deletionTimestamp` (now + grace)
//!   and `deletionGracePeriodSeconds`, and stays until the kubelet confirms
//!   with a delete of grace 0. An unbound or finished Pod goes at once.
//! - An object with `metadata.finalizers` gets `deletionTimestamp` and
//!   stays until an update empties them.
//! - `propagationPolicy: Foreground` adds the `foregroundDeletion`
//!   finalizer, `Orphan` adds `orphan`, for the garbage collector.
//! - A Namespace turns `Terminating` and waits for the namespace
//!   controller ([`ApiServer::finalize_namespace`]).

use super::admission::{self, Operation};
use super::{stop, ApiError, ApiServer, Outcome, RequestTrace, Stage};
use crate::api::{object, Resource};
use crate::clock::{Duration, Time};
use crate::etcd::{Compare, CompareOp, CompareTarget, TxnOp};
use serde_json::{json, Value};

/// `metav1.DeletionPropagation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// `metav1.Preconditions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preconditions {
    pub uid: Option<String>,
    pub resource_version: Option<String>,
}

/// `metav1.DeleteOptions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// `None`: the object's own (a Pod's `terminationGracePeriodSeconds`).
    /// `Some(0)`: at once (`--grace-period=0 --force`).
    pub grace_period_seconds: Option<i64>,
    pub propagation_policy: Option<Propagation>,
    pub preconditions: Preconditions,
}

fn finalizers(obj: &Value) -> Vec<String> {
    object::at(obj, "metadata.finalizers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// `ShouldDeleteDuringUpdate`: being deleted, no finalizers left, and for
/// a Pod a grace period of 0.
pub fn should_delete_on_update(res: &Resource, obj: &Value) -> bool {
    if object::at(obj, "metadata.deletionTimestamp").is_none() || !finalizers(obj).is_empty() {
        return false;
    }
    match res.kind {
        "Pod" => {
            object::at(obj, "metadata.deletionGracePeriodSeconds").and_then(Value::as_i64)
                == Some(0)
        }
        "Namespace" => object::at(obj, "spec.finalizers")
            .and_then(Value::as_array)
            .is_none_or(|a| a.is_empty()),
        _ => true,
    }
}

/// A Pod's grace period for this delete (`CheckGracefulDelete`).
fn pod_grace(pod: &Value, requested: Option<i64>) -> i64 {
    let unbound = object::str_at(pod, "spec.nodeName")
        .unwrap_or_default()
        .is_empty();
    let finished = matches!(
        object::str_at(pod, "status.phase"),
        Some("Succeeded" | "Failed")
    );
    if unbound || finished {
        return 0;
    }
    match requested {
        Some(g) if g < 0 => 1,
        Some(g) => g,
        None => object::at(pod, "spec.terminationGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(30)
            .max(0),
    }
}

impl ApiServer {
    /// `DELETE` with options, at `now`. Returns the object: gone, or as it
    /// now is (with `deletionTimestamp`) when something still holds it.
    pub fn delete_with(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: DeleteOptions,
        now: Time,
    ) -> Result<Value, ApiError> {
        if let Some(storage) = res.stored_as() {
            let out = self.delete_with(storage, namespace, name, opts, now)?;
            return Ok(super::conversion::to_version(res, out));
        }
        self.now = self.now.max(now);
        let mut t = self.begin("delete", res, "", namespace, name);
        let r = self.delete_inner(res, namespace, name, &opts, now, &mut t);
        self.finish(t, r)
    }

    fn delete_inner(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
        opts: &DeleteOptions,
        now: Time,
        t: &mut RequestTrace,
    ) -> Result<Value, ApiError> {
        self.authorize(t, "delete", res, "", namespace, name)?;
        let key = res.key(namespace, name);
        let current = self
            .store
            .get(&key)
            .cloned()
            .ok_or_else(|| stop(t, Stage::Etcd, None, ApiError::not_found(res, name)))?;
        let mut obj =
            Self::with_resource_version(Self::decode(&current.value), current.mod_revision);
        let what = res.qualified_plural();
        if let Some(uid) = &opts.preconditions.uid {
            let have = object::str_at(&obj, "metadata.uid").unwrap_or_default();
            if uid != have {
                return Err(stop(t, Stage::Etcd, None, ApiError::conflict_with(
                    &what,
                    name,
                    &format!("Precondition failed: UID in precondition: {uid}, UID in object meta: {have}"),
                )));
            }
        }
        if let Some(rv) = &opts.preconditions.resource_version {
            let have = current.mod_revision.to_string();
            if *rv != have {
                return Err(stop(t, Stage::Etcd, None, ApiError::conflict_with(
                    &what,
                    name,
                    &format!("Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {have}"),
                )));
            }
        }
        let changes = admission::namespace_lifecycle::admit(
            &self.store,
            Operation::Delete,
            res,
            namespace,
            name,
        )
        .map_err(|e| stop(t, Stage::MutatingAdmission, Some("NamespaceLifecycle"), e))?;
        t.plugin(Stage::MutatingAdmission, "NamespaceLifecycle", &changes);

        let cas = |k: &str| Compare {
            key: k.to_string(),
            op: CompareOp::Equal,
            target: CompareTarget::ModRevision(current.mod_revision),
        };
        if res.kind == "Namespace" {
            if object::str_at(&obj, "status.phase") == Some("Terminating") {
                return Err(stop(t, Stage::Etcd, None, ApiError::conflict_with(
                    "namespaces",
                    name,
                    "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.",
                )));
            }
            object::set(&mut obj, "metadata.deletionTimestamp", json!(now.rfc3339()));
            object::set(&mut obj, "metadata.deletionGracePeriodSeconds", json!(0));
            object::set(&mut obj, "status.phase", json!("Terminating"));
            return self.put_deleting(
                t,
                &key,
                obj,
                cas(&key),
                "phase Terminating; the namespace controller empties it",
            );
        }

        let grace = if res.kind == "Pod" {
            pod_grace(&obj, opts.grace_period_seconds)
        } else {
            0
        };
        let mut fins = finalizers(&obj);
        let mut added = Vec::new();
        let policy_fin = match opts.propagation_policy {
            Some(Propagation::Foreground) => Some("foregroundDeletion"),
            Some(Propagation::Orphan) => Some("orphan"),
            _ => None,
        };
        if let Some(f) = policy_fin {
            if !fins.iter().any(|x| x == f) {
                fins.push(f.to_string());
                added.push(f);
            }
        }
        let deleting = object::at(&obj, "metadata.deletionTimestamp").is_some();
        if grace > 0 || !fins.is_empty() {
            let old_grace =
                object::at(&obj, "metadata.deletionGracePeriodSeconds").and_then(Value::as_i64);
            if deleting && added.is_empty() && old_grace.is_some_and(|g| g <= grace) {
                t.step(Stage::Etcd, "already being deleted: no change");
                t.outcome = Outcome::Served;
                return Ok(obj);
            }
            // Marking an object as being deleted is a change of its
            // desired state: the generation moves (`BeforeDelete`,
            // `markAsDeleting`).
            if let Some(g) = object::at(&obj, "metadata.generation")
                .and_then(Value::as_i64)
                .filter(|g| *g > 0)
            {
                object::set(&mut obj, "metadata.generation", json!(g + 1));
            }
            let at = now + Duration::from_secs(grace);
            object::set(&mut obj, "metadata.deletionTimestamp", json!(at.rfc3339()));
            object::set(
                &mut obj,
                "metadata.deletionGracePeriodSeconds",
                json!(grace),
            );
            if !fins.is_empty() {
                object::set(&mut obj, "metadata.finalizers", json!(fins));
            }
            let why = if !fins.is_empty() {
                format!("held by finalizers [{}]", fins.join(", "))
            } else {
                format!("graceful: {grace}s for the kubelet to stop it")
            };
            return self.put_deleting(t, &key, obj, cas(&key), &why);
        }
        let txn = self
            .store
            .txn(&[cas(&key)], &[TxnOp::Delete { key: key.clone() }], &[]);
        if !txn.succeeded {
            return Err(stop(t, Stage::Etcd, None, ApiError::conflict(res, name)));
        }
        t.step(
            Stage::Etcd,
            format!("delete {key} at revision {}", txn.revision),
        );
        t.outcome = Outcome::Written {
            revision: txn.revision,
        };
        if let Some(ns) = namespace {
            self.refresh_quotas(ns);
        }
        Ok(obj)
    }

    fn put_deleting(
        &mut self,
        t: &mut RequestTrace,
        key: &str,
        obj: Value,
        cas: Compare,
        why: &str,
    ) -> Result<Value, ApiError> {
        let txn = self.store.txn(
            &[cas],
            &[TxnOp::Put {
                key: key.to_string(),
                value: Self::encode(&obj),
            }],
            &[],
        );
        if !txn.succeeded {
            let name = object::name(&obj).to_string();
            return Err(stop(t, Stage::Etcd, None, ApiError::Status {
                code: 409,
                reason: "Conflict",
                message: format!("Operation cannot be fulfilled on {key} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"),
            }));
        }
        t.step(
            Stage::Etcd,
            format!(
                "deletionTimestamp set ({why}); put {key} at revision {}",
                txn.revision
            ),
        );
        t.outcome = Outcome::Written {
            revision: txn.revision,
        };
        Ok(Self::with_resource_version(obj, txn.revision))
    }

    /// `PUT /api/v1/namespaces/x/finalize` with the `kubernetes` finalizer
    /// removed: what the namespace controller does once a Terminating
    /// namespace is empty. The namespace goes when nothing else holds it.
    pub fn finalize_namespace(&mut self, name: &str) -> Result<Value, ApiError> {
        let Some(res) = crate::api::resolve("namespaces").copied() else {
            return Err(ApiError::NotFound {
                resource: "namespaces".into(),
                name: name.into(),
            });
        };
        let mut t = self.begin("update", &res, "finalize", None, name);
        let r = (|| {
            self.authorize(&mut t, "update", &res, "finalize", None, name)?;
            let key = res.key(None, name);
            let current =
                self.store.get(&key).cloned().ok_or_else(|| {
                    stop(&mut t, Stage::Etcd, None, ApiError::not_found(&res, name))
                })?;
            let mut obj = Self::decode(&current.value);
            object::set(&mut obj, "spec.finalizers", json!([]));
            self.write_update(&mut t, &res, None, name, current.mod_revision, obj)
        })();
        self.finish(t, r)
    }
}
