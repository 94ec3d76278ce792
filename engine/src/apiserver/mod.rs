//! kube-apiserver: the only writer of the etcd model (Architecture
//! Invariant). Every change to the cluster — from kubectl, a controller, a
//! kubelet — is a request here, and goes the way a real request goes:
//! authentication, authorization, decoding, defaulting, mutating
//! admission, validation, validating admission, then a compare-and-swap
//! write to etcd, so that a failed request changes nothing. Each request
//! leaves a [`RequestTrace`] (see [`ApiServer::traces`]).
//!
//! Around the verbs: [`list_filtered`](ApiServer::list_filtered) with
//! label and field selectors, graceful deletion and finalizers
//! (`delete.rs`), patches (`patch.rs`), the `status`, `scale`, `binding`
//! and `eviction` subresources (`subresources.rs`), and watches
//! (`watch.rs`).

pub mod admission;
mod cacher;
pub mod compactor;
mod conversion;
mod decoding;
mod defaulting;
mod delete;
mod encoding;
mod errors;
mod field;
mod fitted;
#[cfg(test)]
mod golden_tests;
mod patch;
mod raw;
#[cfg(test)]
pub(crate) mod read_log;
mod request;
#[cfg(test)]
mod seed_tests;
mod subresources;
#[cfg(test)]
mod tests_core;
pub(crate) mod validation;
mod watch;

pub use cacher::Change;
pub use delete::{DeleteOptions, Preconditions, Propagation};
pub use errors::{ApiError, StatusCause, StatusDetails};
pub use patch::PatchType;
pub use patch::{json_patch, strategic_merge};
pub use request::{
    AllowAll, Attributes, Authorizer, Decision, DenyAll, Outcome, RequestTrace, Stage, Step, User,
};
pub use watch::{Changes, WatchEvent, WatchEventType};

use crate::api::selector::{FieldSelector, LabelSelector};
use crate::api::{object, Resource};
use crate::clock::Time;
use crate::etcd::{Compare, CompareOp, CompareTarget, Store, TxnOp};
use crate::rng::Rng;
use admission::Operation;
use request::TraceRing;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// A stored value as JSON, `Null` when it is not JSON. Read with
/// `serde_json::from_str`, the one JSON reader the web bundle compiles
/// (`from_slice` would instantiate a second copy of the parser).
pub(crate) fn stored_json(bytes: &[u8]) -> Value {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Value::Null)
}

#[derive(Debug)]
pub struct ApiServer {
    store: Store,
    rng: Rng,
    authorizer: Box<dyn Authorizer>,
    user: User,
    traces: TraceRing,
    /// The latest time a request carried, for the verbs that take none.
    now: Time,
    /// The watch cache gets and lists are served from (`cacher.rs`); a
    /// `RefCell` because reads catch it up with the store.
    cache: std::cell::RefCell<cacher::Cacher>,
    /// The pod table's cells that do not read the clock, by object: the
    /// Table conversion `kubectl get` asks for, made once per version of
    /// a pod rather than at every listing.
    rows: crate::kubectl::printers::rows_cache::RowsCache,
    /// The event recorder's place in naming events at the current instant.
    event_names: crate::events::EventNames,
}

/// A body sent to an older version's endpoint is in that version unless
/// it says otherwise.
fn in_version(res: &Resource, mut obj: Value) -> Value {
    if object::str_at(&obj, "apiVersion").is_none_or(str::is_empty) {
        object::set(&mut obj, "apiVersion", Value::String(res.api_version()));
    }
    obj
}

/// Records a failure on the trace and hands the error back.
fn stop(t: &mut RequestTrace, stage: Stage, plugin: Option<&'static str>, e: ApiError) -> ApiError {
    t.fail(stage, plugin, e.code(), &e.message());
    e
}

impl ApiServer {
    /// Runs `f` with UIDs and generated names drawn from a stream of their
    /// own (seeded by `salt`), leaving the main stream where it was: objects
    /// added to the bootstrap this way change no other object's UID or name.
    pub fn with_own_rng<R>(&mut self, salt: u64, f: impl FnOnce(&mut Self) -> R) -> R {
        let main = std::mem::replace(&mut self.rng, Rng::new(salt));
        let r = f(self);
        self.rng = main;
        r
    }

    pub fn new(seed: u64) -> Self {
        ApiServer {
            store: Store::new(),
            rng: Rng::new(seed.wrapping_add(0xA91)),
            authorizer: Box::new(AllowAll),
            user: User::admin(),
            traces: TraceRing::default(),
            now: Time::EPOCH,
            cache: Default::default(),
            rows: Default::default(),
            event_names: Default::default(),
        }
    }

    pub(crate) fn event_names(&self) -> &crate::events::EventNames {
        &self.event_names
    }

    pub(crate) fn event_names_mut(&mut self) -> &mut crate::events::EventNames {
        &mut self.event_names
    }

    /// Read access to the store, for `etcdctl` and tests. Writing goes through requests.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Replaces the authorization mode (RBAC will be one).
    pub fn set_authorizer(&mut self, a: Box<dyn Authorizer>) {
        self.authorizer = a;
    }

    /// Makes the following requests as `user`; returns the previous user.
    pub fn set_user(&mut self, user: User) -> User {
        std::mem::replace(&mut self.user, user)
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    /// The last requests (up to 200), oldest first.
    pub fn traces(&self) -> impl Iterator<Item = &RequestTrace> {
        self.traces.iter()
    }

    /// How many requests were traced so far (each create, update, patch,
    /// delete and user list, refused or not): a component can tell that a
    /// sync sent none.
    pub fn requests(&self) -> u64 {
        self.traces.pushed()
    }

    pub fn last_trace(&self) -> Option<&RequestTrace> {
        self.traces.iter().last()
    }

    fn decode(bytes: &[u8]) -> Value {
        stored_json(bytes)
    }

    /// A new trace with the authentication step.
    fn begin(
        &self,
        verb: &str,
        res: &Resource,
        sub: &str,
        ns: Option<&str>,
        name: &str,
    ) -> RequestTrace {
        let resource = if sub.is_empty() {
            res.qualified_plural()
        } else {
            format!("{}/{sub}", res.qualified_plural())
        };
        let ns = if res.namespaced { ns } else { None };
        let mut t = RequestTrace::new(verb, &resource, ns, name, &self.user);
        t.step(
            Stage::Authentication,
            format!(
                "user {} in groups [{}] (client certificate)",
                self.user.name,
                self.user.groups.join(", ")
            ),
        );
        t
    }

    /// Authorization: `system:masters` always passes, then the authorizer decides.
    fn authorize(
        &self,
        t: &mut RequestTrace,
        verb: &str,
        res: &Resource,
        sub: &str,
        ns: Option<&str>,
        name: &str,
    ) -> Result<(), ApiError> {
        let attrs = Attributes {
            user: self.user.clone(),
            verb: verb.into(),
            group: res.group.into(),
            resource: res.plural.into(),
            subresource: sub.into(),
            namespace: if res.namespaced {
                ns.unwrap_or_default().into()
            } else {
                String::new()
            },
            name: name.into(),
        };
        if self.user.groups.iter().any(|g| g == "system:masters") {
            t.step(Stage::Authorization, "allowed: system:masters");
            return Ok(());
        }
        match self.authorizer.authorize(&attrs) {
            Decision::Allow => {
                t.step(
                    Stage::Authorization,
                    format!("allowed by {}", self.authorizer.name()),
                );
                Ok(())
            }
            Decision::Deny(reason) => {
                let mut msg = request::forbidden_message(&attrs);
                if !reason.is_empty() {
                    msg = format!("{msg}: {reason}");
                }
                let who = if name.is_empty() {
                    res.qualified_plural()
                } else {
                    format!("{} \"{name}\"", res.qualified_plural())
                };
                Err(stop(
                    t,
                    Stage::Authorization,
                    None,
                    ApiError::Forbidden {
                        message: format!("{who} is forbidden: {msg}"),
                    },
                ))
            }
        }
    }

    /// Keeps a finished trace; records a failure not recorded yet.
    fn finish<T>(&mut self, mut t: RequestTrace, r: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &r {
            if !matches!(t.outcome, Outcome::Failed { .. }) {
                t.fail(Stage::Etcd, None, e.code(), &e.message());
            }
        }
        self.traces.push(t);
        r
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
        let decoded = decoding::decode_owned(obj).map_err(fail)?;
        if !decoded.unknown_fields.is_empty() {
            return Err(fail(decoding::strict_error(&decoded.unknown_fields)));
        }
        Ok(decoded.object)
    }

    /// A body in an older served version (autoscaling/v1 HPA) is first
    /// decoded strictly as that version, so that its errors name it
    /// (`HorizontalPodAutoscaler in version "v1" cannot be handled…`).
    fn decode_older_version(&self, res: &Resource, obj: &Value) -> Result<(), ApiError> {
        let Some(av) = obj.get("apiVersion").and_then(Value::as_str) else {
            return Ok(());
        };
        if av == res.api_version() {
            return Ok(());
        }
        let version = av.rsplit('/').next().unwrap_or(av).to_string();
        let fail = |detail: String| ApiError::BadRequest {
            message: format!(
                "{kind} in version \"{version}\" cannot be handled as a {kind}: {detail}",
                kind = res.kind,
            ),
        };
        let decoded = decoding::decode(obj).map_err(fail)?;
        if !decoded.unknown_fields.is_empty() {
            return Err(fail(decoding::strict_error(&decoded.unknown_fields)));
        }
        Ok(())
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
        encoding::encode(obj)
    }

    /// `POST`: a new object. Fills `uid`, `creationTimestamp`, `generation`,
    /// `generateName`; refuses a name that exists.
    pub fn create(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        obj: Value,
        now: Time,
    ) -> Result<Value, ApiError> {
        if let Some(storage) = res.stored_as() {
            let out = self.create(storage, namespace, in_version(res, obj), now)?;
            return Ok(conversion::to_version(res, out));
        }
        self.now = self.now.max(now);
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
        if res.plural == "bindings" {
            return self.create_legacy_binding(ns.as_deref().unwrap_or("default"), obj, now);
        }
        let given = object::name(&obj).to_string();
        let display = if given.is_empty() {
            object::str_at(&obj, "metadata.generateName")
                .unwrap_or_default()
                .to_string()
        } else {
            given.clone()
        };
        let mut t = self.begin("create", res, "", ns.as_deref(), &display);
        let r = self.create_inner(res, ns, obj, now, &mut t);
        self.finish(t, r)
    }

    #[allow(clippy::indexing_slicing)] // serde_json::Value: a missing key reads as Null; writes go into JSON objects (built here or from the store)
    fn create_inner(
        &mut self,
        res: &Resource,
        ns: Option<String>,
        mut obj: Value,
        now: Time,
        t: &mut RequestTrace,
    ) -> Result<Value, ApiError> {
        let mut name = object::name(&obj).to_string();
        let display = if name.is_empty() {
            object::str_at(&obj, "metadata.generateName")
                .unwrap_or_default()
                .to_string()
        } else {
            name.clone()
        };
        self.authorize(t, "create", res, "", ns.as_deref(), "")?;
        if name.is_empty() {
            match object::str_at(&obj, "metadata.generateName") {
                Some(prefix) => name = format!("{prefix}{}", self.rng.k8s_suffix(5)),
                None => {
                    return Err(stop(
                        t,
                        Stage::Validation,
                        None,
                        field::invalid(
                            res.kind,
                            res.group,
                            "",
                            &[field::FieldError::required(
                                "metadata.name",
                                "name or generateName is required",
                            )],
                        ),
                    ))
                }
            }
        }
        self.decode_older_version(res, &obj)
            .map_err(|e| stop(t, Stage::Decoding, None, e))?;
        conversion::to_served_version(&mut obj);
        object::set(&mut obj, "apiVersion", Value::String(res.api_version()));
        object::set(&mut obj, "kind", Value::String(res.kind.to_string()));
        object::set(&mut obj, "metadata.name", Value::String(name.clone()));
        if let Some(ns) = &ns {
            object::set(&mut obj, "metadata.namespace", Value::String(ns.clone()));
        }
        // NamespaceLifecycle's verdict comes before decoding errors here
        // (the transcripts expect `namespaces "dev" not found` for a bad
        // body sent to a missing namespace); it runs first of the plugins.
        let changes = admission::namespace_lifecycle::admit(
            &self.store,
            Operation::Create,
            res,
            ns.as_deref(),
            &display,
        )
        .map_err(|e| stop(t, Stage::MutatingAdmission, Some("NamespaceLifecycle"), e))?;
        let mut obj = self
            .decode_request(res, obj)
            .map_err(|e| stop(t, Stage::Decoding, None, e))?;
        defaulting::apply(res.kind, &mut obj);
        if res.kind == "CertificateSigningRequest" {
            // The apiserver records who asked (the REQUESTOR column).
            obj["spec"]["username"] = json!(self.user.name);
            let mut groups = self.user.groups.clone();
            if !groups.iter().any(|g| g == "system:authenticated") {
                groups.push("system:authenticated".into());
            }
            obj["spec"]["groups"] = json!(groups);
        }
        t.step(
            Stage::Decoding,
            format!("{} decoded (strict) and defaulted", res.kind),
        );
        t.plugin(Stage::MutatingAdmission, "NamespaceLifecycle", &changes);
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
        self.mutating_admission(t, Operation::Create, res, ns.as_deref(), &display, &mut obj)?;
        let mut errs = Vec::new();
        if res.kind == "Service" {
            let existing = self.list(res, None);
            errs.extend(admission::service(&mut obj, &mut self.rng, &existing));
        }
        let mut all = validation::validate_create(res.kind, &obj);
        all.extend(errs);
        if !all.is_empty() {
            return Err(stop(
                t,
                Stage::Validation,
                None,
                field::invalid(res.kind, res.group, &name, &all),
            ));
        }
        t.step(Stage::Validation, "valid");
        // The registry strategies that start `generation` at 1 (Pods too
        // since v1.33, ungated: KEP-5067).
        if matches!(
            res.kind,
            "Pod"
                | "Deployment"
                | "ReplicaSet"
                | "DaemonSet"
                | "StatefulSet"
                | "ReplicationController"
                | "Job"
                | "CronJob"
                | "PodDisruptionBudget"
                | "NetworkPolicy"
                | "Ingress"
                | "IngressClass"
                | "EndpointSlice"
        ) {
            object::set(&mut obj, "metadata.generation", json!(1));
        }
        if res.kind == "ResourceQuota" {
            if let Some(ns) = &ns {
                // The resourcequota controller's first sync, done at once.
                let st = admission::resource_quota::status_now(&self.store, ns, &obj);
                object::set(&mut obj, "status", st);
                t.step(Stage::Validation, "status.used computed for the new quota");
            }
        }
        let quota_writes =
            self.validating_admission(t, Operation::Create, res, ns.as_deref(), &display, &obj)?;
        let key = res.key(ns.as_deref(), &name);
        let mut ops = vec![TxnOp::Put {
            key: key.clone(),
            value: Self::encode(&obj),
        }];
        for (k, q) in &quota_writes {
            ops.push(TxnOp::Put {
                key: k.clone(),
                value: Self::encode(q),
            });
        }
        let txn = self.store.txn(
            &[Compare {
                key: key.clone(),
                op: CompareOp::Equal,
                target: CompareTarget::CreateRevision(0),
            }],
            &ops,
            &[],
        );
        if !txn.succeeded {
            return Err(stop(
                t,
                Stage::Etcd,
                None,
                ApiError::already_exists(res, &name),
            ));
        }
        t.name = name;
        t.step(
            Stage::Etcd,
            format!("put {key} at revision {}", txn.revision),
        );
        t.outcome = Outcome::Written {
            revision: txn.revision,
        };
        Ok(Self::with_resource_version(obj, txn.revision))
    }

    /// The mutating admission plugins, in order.
    fn mutating_admission(
        &mut self,
        t: &mut RequestTrace,
        op: Operation,
        res: &Resource,
        ns: Option<&str>,
        display: &str,
        obj: &mut Value,
    ) -> Result<(), ApiError> {
        if op != Operation::Create {
            let changes = admission::namespace_lifecycle::admit(&self.store, op, res, ns, display)
                .map_err(|e| stop(t, Stage::MutatingAdmission, Some("NamespaceLifecycle"), e))?;
            t.plugin(Stage::MutatingAdmission, "NamespaceLifecycle", &changes);
            return Ok(());
        }
        let forbidden = |message: String| ApiError::Forbidden {
            message: format!(
                "{} \"{display}\" is forbidden: {message}",
                res.qualified_plural()
            ),
        };
        match res.kind {
            "Pod" => {
                let ns = ns.unwrap_or("default");
                let c = admission::limit_ranger::mutate(&self.store, obj, ns);
                t.plugin(Stage::MutatingAdmission, "LimitRanger", &c);
                let store = &self.store;
                let account = |name: &str| {
                    let kv = store.get(&format!("/registry/serviceaccounts/{ns}/{name}"))?;
                    Some(Self::decode(&kv.value))
                };
                let c = admission::service_account::admit(obj, ns, account, &mut self.rng)
                    .map_err(|m| {
                        stop(
                            t,
                            Stage::MutatingAdmission,
                            Some("ServiceAccount"),
                            forbidden(m),
                        )
                    })?;
                t.plugin(Stage::MutatingAdmission, "ServiceAccount", &c);
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
                let c = admission::priority::admit(obj, lookup).map_err(|m| {
                    stop(t, Stage::MutatingAdmission, Some("Priority"), forbidden(m))
                })?;
                t.plugin(Stage::MutatingAdmission, "Priority", &c);
                let c = admission::default_toleration_seconds::admit(obj);
                t.plugin(Stage::MutatingAdmission, "DefaultTolerationSeconds", &c);
            }
            "PersistentVolumeClaim" => {
                let c = admission::default_storage_class::admit(&self.store, obj);
                t.plugin(Stage::MutatingAdmission, "DefaultStorageClass", &c);
            }
            "LimitRange" => {
                if let Some(items) = obj
                    .pointer_mut("/spec/limits")
                    .and_then(Value::as_array_mut)
                {
                    for item in items {
                        admission::limit_ranger::default_item(item);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The validating admission plugins; returns the quota writes that go
    /// with the object.
    fn validating_admission(
        &mut self,
        t: &mut RequestTrace,
        op: Operation,
        res: &Resource,
        ns: Option<&str>,
        display: &str,
        obj: &Value,
    ) -> Result<Vec<(String, Value)>, ApiError> {
        let forbidden = |message: String| ApiError::Forbidden {
            message: format!(
                "{} \"{display}\" is forbidden: {message}",
                res.qualified_plural()
            ),
        };
        let (Some(ns), Operation::Create) = (ns, op) else {
            return Ok(vec![]);
        };
        if res.kind == "Pod" {
            let c = admission::limit_ranger::validate(&self.store, obj, ns).map_err(|m| {
                stop(
                    t,
                    Stage::ValidatingAdmission,
                    Some("LimitRanger"),
                    forbidden(m),
                )
            })?;
            t.plugin(Stage::ValidatingAdmission, "LimitRanger", &c);
        }
        let (writes, notes) = admission::resource_quota::validate(&self.store, res, obj, ns)
            .map_err(|m| {
                stop(
                    t,
                    Stage::ValidatingAdmission,
                    Some("ResourceQuota"),
                    forbidden(m),
                )
            })?;
        t.plugin(Stage::ValidatingAdmission, "ResourceQuota", &notes);
        Ok(writes)
    }

    /// The watch cache, caught up with the store.
    /// The kept rows of the pod table (see `kubectl::printers::rows_cache`).
    pub(crate) fn rows_cache(&mut self) -> &mut crate::kubectl::printers::rows_cache::RowsCache {
        &mut self.rows
    }

    fn cache(&self) -> std::cell::Ref<'_, cacher::Cacher> {
        // Already borrowed means a read is under way, and no write can
        // happen while `&self` is lent out: the cache is current.
        if let Ok(mut c) = self.cache.try_borrow_mut() {
            c.catch_up(&self.store);
        }
        self.cache.borrow()
    }

    pub fn get(
        &self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        #[cfg(test)]
        read_log::note(res.plural, Some(name));
        if let Some(storage) = res.stored_as() {
            return self
                .get(storage, namespace, name)
                .map(|o| conversion::to_version(res, o));
        }
        let key = res.key(namespace, name);
        self.cache()
            .get(&self.store, &key)
            .map(|o| Value::clone(&o))
            .ok_or_else(|| ApiError::not_found(res, name))
    }

    /// Whether the object exists: [`ApiServer::get`]'s answer without the
    /// object, read from the store's keys (an Event, not in the watch
    /// cache, would be decoded for nothing).
    pub fn exists(&self, res: &Resource, namespace: Option<&str>, name: &str) -> bool {
        #[cfg(test)]
        read_log::note(res.plural, Some(name));
        let res = res.stored_as().unwrap_or(res);
        self.store.get(&res.key(namespace, name)).is_some()
    }

    /// [`ApiServer::get`] without copying: the cached object itself (a
    /// component's read of an object it may not change).
    pub fn get_shared(
        &self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<Arc<Value>> {
        #[cfg(test)]
        read_log::note(res.plural, Some(name));
        if res.stored_as().is_some() {
            return self.get(res, namespace, name).ok().map(Arc::new);
        }
        self.cache()
            .get(&self.store, &res.key(namespace, name))
            .map(Cow::into_owned)
    }

    /// Objects of a resource in a namespace (all namespaces for `None`), in
    /// etcd key order. A component's read (no authorization, no trace).
    pub fn list(&self, res: &Resource, namespace: Option<&str>) -> Vec<Value> {
        #[cfg(test)]
        read_log::note(res.plural, None);
        if let Some(storage) = res.stored_as() {
            return self
                .list(storage, namespace)
                .into_iter()
                .map(|o| conversion::to_version(res, o))
                .collect();
        }
        let prefix = res.prefix(namespace);
        self.cache()
            .prefix(&self.store, &prefix)
            .map(|o| Value::clone(&o))
            .collect()
    }

    /// [`ApiServer::list`] without copying: the cached objects themselves.
    pub fn list_shared(&self, res: &Resource, namespace: Option<&str>) -> Vec<Arc<Value>> {
        self.list_shared_where(res, namespace, |_| true)
    }

    /// [`ApiServer::list_shared`] of the objects `keep` accepts (the
    /// kubelet's `spec.nodeName` field selector).
    pub fn list_shared_where(
        &self,
        res: &Resource,
        namespace: Option<&str>,
        keep: impl Fn(&Value) -> bool,
    ) -> Vec<Arc<Value>> {
        #[cfg(test)]
        read_log::note(res.plural, None);
        if let Some(storage) = res.stored_as() {
            // An older version's objects are converted copies, not the cache's.
            return self
                .list(storage, namespace)
                .into_iter()
                .map(|o| conversion::to_version(res, o))
                .filter(|o| keep(o))
                .map(Arc::new)
                .collect();
        }
        let prefix = res.prefix(namespace);
        self.cache()
            .prefix(&self.store, &prefix)
            .filter(|o| keep(o))
            .map(Cow::into_owned)
            .collect()
    }

    /// The cached objects of a resource stored as itself (not an older
    /// served version), with their keys, in key order: what
    /// [`ApiServer::list_shared`] gives, for a reader that follows the
    /// changes by key (the garbage collector's graph).
    pub fn list_keyed(&self, res: &Resource) -> Vec<(String, Arc<Value>)> {
        #[cfg(test)]
        read_log::note(res.plural, None);
        let prefix = res.prefix(None);
        self.cache()
            .prefix_keyed(&self.store, &prefix)
            .map(|(k, v)| (k.to_string(), Cow::into_owned(v)))
            .collect()
    }

    /// A stamp of the objects outside `resources`: it changes exactly when
    /// one of them is written or deleted (or the store is replaced), and
    /// never comes back to an earlier value. A component whose inputs are
    /// everything but, say, the nodes' Leases and Events skips its work
    /// while the stamp stays, where the store's revision would move with
    /// every lease renewal.
    pub fn changes_except(&self, resources: &[&Resource]) -> u64 {
        self.cache().changes_where(|seg| {
            !resources
                .iter()
                .any(|r| r.etcd_prefix.split('/').next() == Some(seg))
        })
    }

    /// A count of the changes the watch cache has taken in: with
    /// [`ApiServer::any_change_since`], a component asks which changes
    /// came after the count it last saw.
    pub fn change_count(&self) -> u64 {
        self.cache().change_count()
    }

    /// Whether a change after `since` (a [`ApiServer::change_count`]) is
    /// one `matters` accepts, given the object before and after, in the
    /// order they happened; `None` when the journal of recent changes
    /// cannot tell (too far back, or a store restored since).
    pub fn any_change_since(
        &self,
        since: u64,
        matters: impl FnMut(&Change) -> bool,
    ) -> Option<bool> {
        self.cache().any_change_since(since, matters)
    }

    /// A stamp of the objects of `resources`: it moves when one of them is
    /// written or deleted (or the store is replaced), and never comes back
    /// to an earlier value ([`ApiServer::changes_except`]'s complement).
    pub fn changes_of(&self, resources: &[&Resource]) -> u64 {
        self.cache().changes_where(|seg| {
            resources
                .iter()
                .any(|r| r.etcd_prefix.split('/').next() == Some(seg))
        })
    }

    /// Moves only when the watch cache reloads the store (a restore):
    /// a `resourceVersion` read before stands for the same object only
    /// while it stays.
    pub fn cache_epoch(&self) -> u64 {
        self.cache().epoch()
    }

    /// The names every bound pod's `spec.nodeName` holds, each once, in
    /// order: from the index behind [`ApiServer::pods_on_node`].
    pub fn nodes_with_pods(&self) -> Vec<String> {
        self.cache().nodes_with_pods().map(String::from).collect()
    }

    /// The pods bound to `node` (`spec.nodeName`), shared, in key order:
    /// [`ApiServer::list_shared_where`] over every pod, from an index.
    pub fn pods_on_node(&self, node: &str) -> Vec<Arc<Value>> {
        #[cfg(test)]
        read_log::note("pods", None);
        self.cache().pods_on_node(node).cloned().collect()
    }

    /// The pods in `namespace` whose controller is `uid` and, with
    /// `orphans`, those with no controller, shared, in key order: what a
    /// scan of the namespace's pods for a controller's own and adoptable
    /// pods finds, from an index.
    pub fn pods_for_controller(
        &self,
        namespace: &str,
        uid: &str,
        orphans: bool,
    ) -> Vec<Arc<Value>> {
        #[cfg(test)]
        read_log::note("pods", None);
        self.cache().pods_for_controller(namespace, uid, orphans)
    }

    /// The ReplicaSets in `namespace` whose controller is `uid` and, with
    /// `orphans`, those with no controller, shared, in key order: what a
    /// Deployment's scan of its namespace's ReplicaSets for its own and
    /// adoptable ones finds, from an index.
    pub fn replicasets_for_controller(
        &self,
        namespace: &str,
        uid: &str,
        orphans: bool,
    ) -> Vec<Arc<Value>> {
        self.cache()
            .replicasets_for_controller(namespace, uid, orphans)
    }

    /// A stamp of [`ApiServer::pods_for_controller`]'s pods: it moves
    /// exactly when one of them is written or deleted, a pod joins or
    /// leaves them, or the store is replaced; never back to an earlier value.
    pub fn controller_pods_stamp(&self, namespace: &str, uid: &str, orphans: bool) -> u64 {
        self.cache().controller_pods_stamp(namespace, uid, orphans)
    }

    /// A stamp of [`ApiServer::pods_on_node`]'s pods: it moves exactly
    /// when one of them is written or deleted, a pod is bound to the node,
    /// or the store is replaced; never back to an earlier value.
    pub fn node_pods_stamp(&self, node: &str) -> u64 {
        self.cache().node_pods_stamp(node)
    }

    /// The Events in `namespace` about an object named `name`
    /// (`involvedObject.name`) and, given `repeat`, whose
    /// [`crate::events::repeat_key`] is that, in key order: the ones among
    /// `list(events, namespace)` that can be about it, from an index.
    pub fn events_about(
        &self,
        namespace: &str,
        name: &str,
        repeat: Option<u64>,
    ) -> Vec<Arc<Value>> {
        #[cfg(test)]
        read_log::note("events", None);
        self.cache()
            .events_about(&self.store, namespace, name, repeat)
    }

    /// A stamp that moves when an object other than an Event is created or
    /// deleted, or its name, namespace, uid, ownerReferences, finalizers or
    /// deletionTimestamp change, or the store is replaced: everything the
    /// garbage collector reads. Never back to an earlier value.
    pub fn ownership_stamp(&self) -> u64 {
        self.cache().ownership_stamp()
    }

    /// `GET …?labelSelector=…&fieldSelector=…`: a user's list, authorized
    /// and traced; a selector that does not parse is a 400 with the
    /// apiserver's text.
    pub fn list_filtered(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        label_selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>, ApiError> {
        #[cfg(test)]
        read_log::note(res.plural, None);
        if let Some(storage) = res.stored_as() {
            let out = self.list_filtered(storage, namespace, label_selector, field_selector)?;
            return Ok(out
                .into_iter()
                .map(|o| conversion::to_version(res, o))
                .collect());
        }
        let mut t = self.begin("list", res, "", namespace, "");
        let r = self.list_filtered_inner(res, namespace, label_selector, field_selector, &mut t);
        self.finish(t, r)
    }

    fn list_filtered_inner(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        label_selector: Option<&str>,
        field_selector: Option<&str>,
        t: &mut RequestTrace,
    ) -> Result<Vec<Value>, ApiError> {
        self.authorize(t, "list", res, "", namespace, "")?;
        let bad = |message: String| ApiError::BadRequest { message };
        let labels = match label_selector.filter(|s| !s.is_empty()) {
            Some(s) => {
                LabelSelector::parse(s).map_err(|m| stop(t, Stage::Decoding, None, bad(m)))?
            }
            None => LabelSelector::everything(),
        };
        let fields = match field_selector.filter(|s| !s.is_empty()) {
            Some(s) => {
                let f =
                    FieldSelector::parse(s).map_err(|m| stop(t, Stage::Decoding, None, bad(m)))?;
                f.check(res.kind, res.group)
                    .map_err(|m| stop(t, Stage::Decoding, None, bad(m)))?;
                f
            }
            None => FieldSelector::default(),
        };
        let all = self.list(res, if res.namespaced { namespace } else { None });
        let total = all.len();
        let out: Vec<Value> = all
            .into_iter()
            .filter(|o| labels.matches_object(o) && fields.matches(res.kind, o))
            .collect();
        t.step(
            Stage::Etcd,
            format!(
                "range {} at revision {}: {} of {total} match",
                res.prefix(namespace),
                self.store.revision(),
                out.len()
            ),
        );
        Ok(out)
    }

    /// `PUT`: replaces an object. A `resourceVersion` in the body must match
    /// the stored one (optimistic concurrency), or the update is refused with 409.
    pub fn update(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        obj: Value,
    ) -> Result<Value, ApiError> {
        if let Some(storage) = res.stored_as() {
            let out = self.update(storage, namespace, in_version(res, obj))?;
            return Ok(conversion::to_version(res, out));
        }
        let name = object::name(&obj).to_string();
        let mut t = self.begin("update", res, "", namespace, &name);
        let r = self.update_inner(res, namespace, obj, &mut t);
        self.finish(t, r)
    }

    fn update_inner(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        mut obj: Value,
        t: &mut RequestTrace,
    ) -> Result<Value, ApiError> {
        let name = object::name(&obj).to_string();
        self.authorize(t, "update", res, "", namespace, &name)?;
        let key = res.key(namespace, &name);
        let current = self
            .store
            .get(&key)
            .cloned()
            .ok_or_else(|| stop(t, Stage::Etcd, None, ApiError::not_found(res, &name)))?;
        let expected = match object::str_at(&obj, "metadata.resourceVersion") {
            Some(rv) => rv.parse::<i64>().map_err(|_| {
                stop(
                    t,
                    Stage::Decoding,
                    None,
                    ApiError::BadRequest {
                        message: format!("invalid resourceVersion: {rv}"),
                    },
                )
            })?,
            None => current.mod_revision,
        };
        let old = Self::decode(&current.value);
        self.decode_older_version(res, &obj)
            .map_err(|e| stop(t, Stage::Decoding, None, e))?;
        conversion::to_served_version(&mut obj);
        object::set(&mut obj, "apiVersion", Value::String(res.api_version()));
        object::set(&mut obj, "kind", Value::String(res.kind.to_string()));
        let mut obj = self
            .decode_request(res, obj)
            .map_err(|e| stop(t, Stage::Decoding, None, e))?;
        defaulting::apply(res.kind, &mut obj);
        t.step(
            Stage::Decoding,
            format!("{} decoded (strict) and defaulted", res.kind),
        );
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
        // Identity, creation and deletion facts are the server's, not the client's.
        for field in [
            "uid",
            "creationTimestamp",
            "namespace",
            "name",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
        ] {
            let path = format!("metadata.{field}");
            match object::at(&old, &path) {
                Some(v) => object::set(&mut obj, &path, v.clone()),
                None => {
                    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                        m.remove(field);
                    }
                }
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
        self.mutating_admission(t, Operation::Update, res, namespace, &name, &mut obj)?;
        let errs = validation::validate_update(res.kind, &old, &obj);
        if !errs.is_empty() {
            return Err(stop(
                t,
                Stage::Validation,
                None,
                field::invalid(res.kind, res.group, &name, &errs),
            ));
        }
        t.step(Stage::Validation, "valid");
        self.write_update(t, res, namespace, &name, expected, obj)
    }

    /// The write of an update: a compare-and-swap on the revision the client
    /// read. An object being deleted whose last finalizer went (and, for a
    /// Pod, whose grace period is over) is removed instead.
    fn write_update(
        &mut self,
        t: &mut RequestTrace,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
        expected: i64,
        obj: Value,
    ) -> Result<Value, ApiError> {
        let key = res.key(namespace, name);
        let remove = delete::should_delete_on_update(res, &obj);
        let op = if remove {
            TxnOp::Delete { key: key.clone() }
        } else {
            TxnOp::Put {
                key: key.clone(),
                value: Self::encode(&obj),
            }
        };
        let txn = self.store.txn(
            &[Compare {
                key: key.clone(),
                op: CompareOp::Equal,
                target: CompareTarget::ModRevision(expected),
            }],
            &[op],
            &[],
        );
        if !txn.succeeded {
            return Err(stop(t, Stage::Etcd, None, ApiError::conflict(res, name)));
        }
        if remove {
            t.step(
                Stage::Etcd,
                format!(
                    "finalizers empty: delete {key} at revision {}",
                    txn.revision
                ),
            );
            t.outcome = Outcome::Written {
                revision: txn.revision,
            };
            if let Some(ns) = namespace {
                self.refresh_quotas(ns);
            }
        } else {
            t.step(
                Stage::Etcd,
                format!("put {key} at revision {}", txn.revision),
            );
            t.outcome = Outcome::Written {
                revision: txn.revision,
            };
        }
        Ok(Self::with_resource_version(obj, txn.revision))
    }

    /// Brings the namespace's quota usage up to date (after a delete).
    fn refresh_quotas(&mut self, ns: &str) {
        let writes = admission::resource_quota::refresh(&self.store, ns);
        if writes.is_empty() {
            return;
        }
        let ops: Vec<TxnOp> = writes
            .iter()
            .map(|(k, q)| TxnOp::Put {
                key: k.clone(),
                value: Self::encode(q),
            })
            .collect();
        self.store.txn(&[], &ops, &[]);
    }

    /// `DELETE` without options: removed at once (`--grace-period=0
    /// --force`), unless finalizers hold it. See [`ApiServer::delete_with`].
    pub fn delete(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        let now = self.now;
        self.delete_with(
            res,
            namespace,
            name,
            DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
            now,
        )
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
