//! kube-apiserver: the only writer of the etcd model (Architecture
//! Invariant). Every change to the cluster — from kubectl, a controller, a
//! kubelet — is a request here, and goes the way a real request goes:
//! metadata filled in, then written to etcd with a compare-and-swap so that
//! a failed request changes nothing.

mod admission;
mod decoding;
mod defaulting;
mod errors;
mod field;
#[cfg(test)]
mod golden_tests;
mod raw;
#[cfg(test)]
mod seed_tests;
pub(crate) mod validation;

pub use errors::{ApiError, StatusCause, StatusDetails};

use crate::api::{object, Resource};
use crate::clock::Time;
use crate::etcd::{Compare, CompareOp, CompareTarget, RangeRequest, Store, TxnOp};
use crate::rng::Rng;
use serde_json::{json, Value};

#[derive(Debug)]
pub struct ApiServer {
    store: Store,
    rng: Rng,
}

impl ApiServer {
    pub fn new(seed: u64) -> Self {
        ApiServer {
            store: Store::new(),
            rng: Rng::new(seed.wrapping_add(0xA91)),
        }
    }

    /// Read access to the store, for `etcdctl` and tests. Writing goes through requests.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn decode(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes).unwrap_or(Value::Null)
    }

    /// Strict decoding (kubectl's default `fieldValidation=Strict`): a body
    /// that does not fit its kind's schema is a 400.
    fn decode_request(&self, res: &Resource, obj: Value) -> Result<Value, ApiError> {
        let fail = |detail: String| ApiError::BadRequest {
            message: format!(
                "{kind} in version \"{v}\" cannot be handled as a {kind}: {detail}",
                kind = res.kind,
                v = res.version
            ),
        };
        let decoded = decoding::decode(&obj).map_err(fail)?;
        if !decoded.unknown_fields.is_empty() {
            return Err(fail(decoding::strict_error(&decoded.unknown_fields)));
        }
        Ok(decoded.object)
    }

    fn with_resource_version(mut obj: Value, rev: i64) -> Value {
        object::set(
            &mut obj,
            "metadata.resourceVersion",
            Value::String(rev.to_string()),
        );
        obj
    }

    /// Objects are stored without `resourceVersion`: it is the key's
    /// `mod_revision`, filled in on the way out, as the real apiserver does.
    fn encode(obj: &Value) -> Vec<u8> {
        let mut obj = obj.clone();
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("resourceVersion");
        }
        serde_json::to_vec(&obj).unwrap_or_default()
    }

    /// `POST`: a new object. Fills `uid`, `creationTimestamp`, `generation`,
    /// `generateName`; refuses a name that exists.
    pub fn create(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        mut obj: Value,
        now: Time,
    ) -> Result<Value, ApiError> {
        let ns = if res.namespaced {
            Some(
                namespace
                    .or(object::namespace(&obj))
                    .unwrap_or("default")
                    .to_string(),
            )
        } else {
            None
        };
        let mut name = object::name(&obj).to_string();
        if name.is_empty() {
            match object::str_at(&obj, "metadata.generateName") {
                Some(prefix) => name = format!("{prefix}{}", self.rng.k8s_suffix(5)),
                None => {
                    return Err(field::invalid(
                        res.kind,
                        res.group,
                        "",
                        &[field::FieldError::required(
                            "metadata.name",
                            "name or generateName is required",
                        )],
                    ))
                }
            }
        }
        object::set(&mut obj, "apiVersion", Value::String(res.api_version()));
        object::set(&mut obj, "kind", Value::String(res.kind.to_string()));
        object::set(&mut obj, "metadata.name", Value::String(name.clone()));
        if let Some(ns) = &ns {
            object::set(&mut obj, "metadata.namespace", Value::String(ns.clone()));
        }
        if let Some(ns) = &ns {
            // NamespaceLifecycle admission.
            if self
                .store
                .get(&format!("/registry/namespaces/{ns}"))
                .is_none()
            {
                return Err(ApiError::NotFound {
                    resource: "namespaces".into(),
                    name: ns.clone(),
                });
            }
        }
        let mut obj = self.decode_request(res, obj)?;
        defaulting::apply(res.kind, &mut obj);
        let uid = self.rng.uuid();
        object::set(&mut obj, "metadata.uid", Value::String(uid));
        object::set(
            &mut obj,
            "metadata.creationTimestamp",
            Value::String(now.rfc3339()),
        );
        if res.kind != "Node" {
            defaulting::prepare_for_create(res.kind, &mut obj);
        }
        let mut errs = Vec::new();
        match res.kind {
            "Pod" => {
                let store = &self.store;
                let lookup = |class: &str| {
                    let kv = store.get(&format!("/registry/priorityclasses/{class}"))?;
                    let pc = Self::decode(&kv.value);
                    Some((
                        pc.get("value").and_then(Value::as_i64).unwrap_or(0),
                        object::str_at(&pc, "preemptionPolicy")
                            .unwrap_or("PreemptLowerPriority")
                            .to_string(),
                    ))
                };
                admission::pod(&mut obj, &mut self.rng, lookup)
                    .map_err(|message| ApiError::Forbidden { message })?;
            }
            "Service" => {
                let existing = self.list(res, None);
                errs.extend(admission::service(&mut obj, &mut self.rng, &existing));
            }
            _ => {}
        }
        let mut all = validation::validate_create(res.kind, &obj);
        all.extend(errs);
        if !all.is_empty() {
            return Err(field::invalid(res.kind, res.group, &name, &all));
        }
        if obj.get("spec").is_some()
            && !matches!(
                res.kind,
                "Pod"
                    | "Node"
                    | "Namespace"
                    | "Service"
                    | "PersistentVolume"
                    | "PersistentVolumeClaim"
            )
        {
            object::set(&mut obj, "metadata.generation", json!(1));
        }
        let key = res.key(ns.as_deref(), &name);
        let txn = self.store.txn(
            &[Compare {
                key: key.clone(),
                op: CompareOp::Equal,
                target: CompareTarget::CreateRevision(0),
            }],
            &[TxnOp::Put {
                key,
                value: Self::encode(&obj),
            }],
            &[],
        );
        if !txn.succeeded {
            return Err(ApiError::already_exists(res, &name));
        }
        Ok(Self::with_resource_version(obj, txn.revision))
    }

    pub fn get(
        &self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        let key = res.key(namespace, name);
        let kv = self
            .store
            .get(&key)
            .ok_or_else(|| ApiError::not_found(res, name))?;
        Ok(Self::with_resource_version(
            Self::decode(&kv.value),
            kv.mod_revision,
        ))
    }

    /// Objects of a resource in a namespace (all namespaces for `None`), in etcd key order.
    pub fn list(&self, res: &Resource, namespace: Option<&str>) -> Vec<Value> {
        let prefix = res.prefix(namespace);
        let resp = self
            .store
            .range(&RangeRequest::prefix(prefix))
            .unwrap_or_default();
        resp.kvs
            .iter()
            .map(|kv| Self::with_resource_version(Self::decode(&kv.value), kv.mod_revision))
            .collect()
    }

    /// `PUT`: replaces an object. A `resourceVersion` in the body must match
    /// the stored one (optimistic concurrency), or the update is refused with 409.
    pub fn update(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        mut obj: Value,
    ) -> Result<Value, ApiError> {
        let name = object::name(&obj).to_string();
        let key = res.key(namespace, &name);
        let current = self
            .store
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(res, &name))?;
        let expected = match object::str_at(&obj, "metadata.resourceVersion") {
            Some(rv) => rv.parse::<i64>().map_err(|_| ApiError::BadRequest {
                message: format!("invalid resourceVersion: {rv}"),
            })?,
            None => current.mod_revision,
        };
        let old = Self::decode(&current.value);
        object::set(&mut obj, "apiVersion", Value::String(res.api_version()));
        object::set(&mut obj, "kind", Value::String(res.kind.to_string()));
        let mut obj = self.decode_request(res, obj)?;
        defaulting::apply(res.kind, &mut obj);
        // Without a status subresource yet, a body without status keeps the stored one.
        if obj.get("status").is_none() {
            if let Some(st) = old.get("status") {
                object::set(&mut obj, "status", st.clone());
            }
        }
        if res.kind == "Service" {
            // The allocated values stay when the client leaves them out.
            for key in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
                let path = format!("spec.{key}");
                if object::at(&obj, &path).is_none() {
                    if let Some(v) = object::at(&old, &path) {
                        object::set(&mut obj, &path, v.clone());
                    }
                }
            }
        }
        // Identity and creation facts are the server's, not the client's.
        for field in ["uid", "creationTimestamp", "namespace", "name"] {
            if let Some(v) = object::at(&old, &format!("metadata.{field}")) {
                object::set(&mut obj, &format!("metadata.{field}"), v.clone());
            }
        }
        if let Some(gen) = object::at(&old, "metadata.generation").and_then(Value::as_i64) {
            let bump = old.get("spec") != obj.get("spec");
            object::set(
                &mut obj,
                "metadata.generation",
                json!(if bump { gen + 1 } else { gen }),
            );
        }
        let errs = validation::validate_update(res.kind, &old, &obj);
        if !errs.is_empty() {
            return Err(field::invalid(res.kind, res.group, &name, &errs));
        }
        let txn = self.store.txn(
            &[Compare {
                key: key.clone(),
                op: CompareOp::Equal,
                target: CompareTarget::ModRevision(expected),
            }],
            &[TxnOp::Put {
                key,
                value: Self::encode(&obj),
            }],
            &[],
        );
        if !txn.succeeded {
            return Err(ApiError::conflict(res, &name));
        }
        Ok(Self::with_resource_version(obj, txn.revision))
    }

    pub fn delete(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        let obj = self.get(res, namespace, name)?;
        self.store.delete_range(&res.key(namespace, name), false);
        Ok(obj)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::resolve;

    /// An apiserver with the `default` namespace (NamespaceLifecycle needs it).
    fn api() -> ApiServer {
        let mut api = ApiServer::new(1);
        let ns = resolve("namespaces")
            .copied()
            .unwrap_or_else(|| panic!("namespaces"));
        api.create(
            &ns,
            None,
            json!({"metadata": {"name": "default"}}),
            Time::EPOCH,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        api
    }

    fn cm() -> Resource {
        resolve("configmaps")
            .copied()
            .unwrap_or_else(|| panic!("configmaps"))
    }

    #[test]
    fn resource_version_is_mod_revision() {
        let mut api = api();
        let created = api.create(
            &cm(),
            Some("default"),
            json!({"metadata": {"name": "a"}, "data": {"k": "v"}}),
            Time::EPOCH,
        );
        let created = created.unwrap_or_else(|e| panic!("{e}"));
        let kv = api
            .store()
            .get("/registry/configmaps/default/a")
            .cloned()
            .unwrap_or_else(|| panic!("not stored"));
        assert_eq!(
            object::str_at(&created, "metadata.resourceVersion"),
            Some(kv.mod_revision.to_string().as_str())
        );
        assert_eq!(
            object::str_at(&created, "metadata.creationTimestamp"),
            Some("2025-04-23T08:00:00Z")
        );
    }

    #[test]
    fn stale_update_is_a_conflict_and_changes_nothing() {
        let mut api = api();
        let a = api
            .create(
                &cm(),
                Some("default"),
                json!({"metadata": {"name": "a"}}),
                Time::EPOCH,
            )
            .unwrap_or_default();
        let mut first = a.clone();
        object::set(&mut first, "data", json!({"x": "1"}));
        api.update(&cm(), Some("default"), first)
            .unwrap_or_else(|e| panic!("{e}"));
        let before = api.store().clone();
        let mut stale = a;
        object::set(&mut stale, "data", json!({"x": "2"}));
        let err = api.update(&cm(), Some("default"), stale).err();
        assert_eq!(err.map(|e| e.code()), Some(409));
        assert_eq!(api.store(), &before);
    }

    #[test]
    fn create_twice_is_already_exists() {
        let mut api = api();
        let obj = json!({"metadata": {"name": "a"}});
        assert!(api
            .create(&cm(), Some("default"), obj.clone(), Time::EPOCH)
            .is_ok());
        let err = api
            .create(&cm(), Some("default"), obj, Time::EPOCH)
            .err()
            .map(|e| e.kubectl_text());
        assert_eq!(
            err.as_deref(),
            Some(r#"Error from server (AlreadyExists): configmaps "a" already exists"#)
        );
    }
}
