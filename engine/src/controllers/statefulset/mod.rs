// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The StatefulSet controller (`pkg/controller/statefulset`): pods with
//! stable names `<sts>-0..n-1`, each with `hostname`/`subdomain` for the
//! governing Service and its own PersistentVolumeClaims from
//! `volumeClaimTemplates` (`<template>-<sts>-<ordinal>`, kept when the pod
//! or the StatefulSet goes: the v1.33 default retention policy is Retain).
//! `OrderedReady` creates one pod at a time, each after the previous is
//! Running and Ready, and removes from the highest ordinal down;
//! `Parallel` does all at once. RollingUpdate replaces pods of an old
//! revision from the highest ordinal down, one at a time.

use super::util::{self, event};
use super::workqueue::RateLimiter;
use crate::api::object;
use crate::clock::Time;
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::sync::Arc;

const COMPONENT: &str = "statefulset-controller";

#[derive(Debug)]
pub struct StatefulSetController {
    wakeup: Option<Time>,
    /// A StatefulSet whose pod creation was refused is retried with the
    /// workqueue's back-off (5 ms doubling to 1000 s), not at every sync.
    failures: RateLimiter,
}

impl Default for StatefulSetController {
    fn default() -> Self {
        StatefulSetController {
            wakeup: None,
            failures: RateLimiter::default_controller(),
        }
    }
}

impl StatefulSetController {
    pub fn new() -> Self {
        Self::default()
    }
}

/// The ordinal in a pod's name, if the pod is `<sts>-<n>`.
fn ordinal(sts: &str, pod: &str) -> Option<i64> {
    pod.strip_prefix(sts)?.strip_prefix('-')?.parse().ok()
}

fn running_and_ready(pod: &Value) -> bool {
    util::phase(pod) == "Running" && util::pod_ready(pod)
}

impl Component for StatefulSetController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        self.wakeup = None;
        let all = util::list(ctx.api, "statefulsets", None);
        self.failures
            .retain(|uid| all.iter().any(|sts| util::uid(sts) == uid));
        for sts in all {
            self.sync_one(ctx, Arc::unwrap_or_clone(sts));
        }
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }
}

impl StatefulSetController {
    fn sync_one(&mut self, ctx: &mut SyncContext<'_>, sts: Value) {
        let ns = object::namespace(&sts).unwrap_or("default").to_string();
        let name = object::name(&sts).to_string();
        if util::selector_is_empty(object::at(&sts, "spec.selector")) {
            return;
        }
        let template = object::at(&sts, "spec.template")
            .cloned()
            .unwrap_or(json!({}));
        let revision = format!(
            "{name}-{}",
            util::compute_hash(
                &template,
                Some(util::i64_at(&sts, "status.collisionCount").unwrap_or(0))
            )
        );
        let replicas = util::i64_at(&sts, "spec.replicas").unwrap_or(1).max(0);
        let parallel = object::str_at(&sts, "spec.podManagementPolicy") == Some("Parallel");
        // The pods it owns (adopting orphans that match), by ordinal.
        let mut pods: Vec<(i64, Value)> = Vec::new();
        for pod in util::pods_in(ctx.api, &ns)
            .into_iter()
            .map(Arc::unwrap_or_clone)
        {
            let Some(i) = ordinal(&name, object::name(&pod)) else {
                continue;
            };
            let matches =
                util::selector_matches(object::at(&sts, "spec.selector"), &util::labels(&pod));
            let pod = if util::is_controlled_by(&pod, &sts) {
                pod
            } else if matches && util::controller_of(&pod).is_none() && !util::is_deleting(&pod) {
                let mut p = pod.clone();
                util::adopt(&mut p, &sts);
                match util::update(ctx.api, "pods", p) {
                    Some(p) => p,
                    None => continue,
                }
            } else {
                continue;
            };
            pods.push((i, pod));
        }
        crate::sort::sort_by_key(&mut pods, |(i, _)| *i);
        if !util::is_deleting(&sts) {
            // Create the missing ordinals below `replicas`.
            for i in 0..replicas {
                if pods.iter().any(|(o, _)| *o == i) {
                    continue;
                }
                let blocked = !parallel
                    && pods
                        .iter()
                        .any(|(o, p)| *o < i && (!running_and_ready(p) || util::is_deleting(p)));
                if blocked {
                    break;
                }
                let (uid, generation) = (
                    util::uid(&sts).to_string(),
                    util::i64_at(&sts, "metadata.generation").unwrap_or(0),
                );
                if let Some(at) = self.failures.waiting(&uid, generation, ctx.now) {
                    self.wakeup = util::earliest(self.wakeup, Some(at));
                    break;
                }
                match self.create_pod(ctx, &sts, &ns, i, &revision) {
                    Some(p) => {
                        self.failures.forget(&uid);
                        pods.push((i, p));
                        crate::sort::sort_by_key(&mut pods, |(i, _)| *i);
                    }
                    None => {
                        // The key goes back rate-limited: no retry before then.
                        let at = self.failures.failed(&uid, generation, ctx.now);
                        self.wakeup = util::earliest(self.wakeup, Some(at));
                        break;
                    }
                }
                if !parallel {
                    break;
                }
            }
            // Scale down from the highest ordinal; OrderedReady waits for
            // every pod to be healthy and removes one at a time.
            let extra: Vec<&(i64, Value)> = pods
                .iter()
                .rev()
                .filter(|(o, p)| *o >= replicas && !util::is_deleting(p))
                .collect();
            let all_healthy = pods
                .iter()
                .all(|(_, p)| running_and_ready(p) && !util::is_deleting(p));
            let mut deleted = false;
            for (_, p) in extra {
                if !parallel && (!all_healthy || deleted) {
                    break;
                }
                self.delete_pod(ctx, &sts, &ns, object::name(p));
                deleted = true;
            }
            // RollingUpdate: the highest-ordinal pod of an old revision goes
            // once all the others are Running and Ready.
            let strategy =
                object::str_at(&sts, "spec.updateStrategy.type").unwrap_or("RollingUpdate");
            let partition =
                util::i64_at(&sts, "spec.updateStrategy.rollingUpdate.partition").unwrap_or(0);
            if strategy == "RollingUpdate" && !deleted && all_healthy {
                if let Some((_, p)) = pods.iter().rev().find(|(o, p)| {
                    *o < replicas
                        && *o >= partition
                        && util::labels(p)
                            .get("controller-revision-hash")
                            .and_then(Value::as_str)
                            != Some(revision.as_str())
                }) {
                    self.delete_pod(ctx, &sts, &ns, object::name(p));
                }
            }
        }
        self.update_status(ctx, &ns, &name, &revision);
    }

    fn create_pod(
        &self,
        ctx: &mut SyncContext<'_>,
        sts: &Value,
        ns: &str,
        i: i64,
        revision: &str,
    ) -> Option<Value> {
        let set = object::name(sts).to_string();
        let pod_name = format!("{set}-{i}");
        let template = object::at(sts, "spec.template")
            .cloned()
            .unwrap_or(json!({}));
        let mut meta = template
            .get("metadata")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(json!({}));
        let mut spec = template
            .get("spec")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(json!({}));
        if let Some(m) = meta.as_object_mut() {
            m.remove("creationTimestamp");
            m.remove("generateName");
        }
        meta["name"] = json!(pod_name);
        meta["namespace"] = json!(ns);
        meta["labels"]["apps.kubernetes.io/pod-index"] = json!(i.to_string());
        meta["labels"]["controller-revision-hash"] = json!(revision);
        meta["labels"]["statefulset.kubernetes.io/pod-name"] = json!(pod_name);
        meta["ownerReferences"] = json!([util::owner_ref(sts)]);
        spec["hostname"] = json!(pod_name);
        if let Some(svc) = object::str_at(sts, "spec.serviceName").filter(|s| !s.is_empty()) {
            spec["subdomain"] = json!(svc);
        }
        // Claims first: the pod mounts them by name.
        for claim in object::at(sts, "spec.volumeClaimTemplates")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            let tname = object::name(&claim).to_string();
            let claim_name = format!("{tname}-{pod_name}");
            if util::get(ctx.api, "persistentvolumeclaims", Some(ns), &claim_name).is_none() {
                let mut pvc = json!({
                    "apiVersion": "v1",
                    "kind": "PersistentVolumeClaim",
                    "metadata": {"name": claim_name, "namespace": ns},
                    "spec": claim.get("spec").cloned().unwrap_or(json!({})),
                });
                if let Some(l) = object::at(sts, "spec.selector.matchLabels") {
                    pvc["metadata"]["labels"] = l.clone();
                }
                match util::res("persistentvolumeclaims")
                    .map(|r| ctx.api.create(&r, Some(ns), pvc, ctx.now))
                {
                    Some(Ok(_)) => event(
                        ctx,
                        COMPONENT,
                        sts,
                        false,
                        "SuccessfulCreate",
                        format!(
                            "create Claim {claim_name} Pod {pod_name} in StatefulSet {set} success"
                        ),
                    ),
                    Some(Err(e)) => {
                        event(ctx, COMPONENT, sts, true, "FailedCreate", format!("create Claim {claim_name} for Pod {pod_name} in StatefulSet {set} failed error: {}", e.message()));
                        return None;
                    }
                    None => return None,
                }
            }
            let mut vols: Vec<Value> = spec
                .get("volumes")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            vols.retain(|v| v.get("name").and_then(Value::as_str) != Some(tname.as_str()));
            vols.push(json!({"name": tname, "persistentVolumeClaim": {"claimName": claim_name}}));
            spec["volumes"] = Value::Array(vols);
        }
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
        match util::res("pods").map(|r| ctx.api.create(&r, Some(ns), pod, ctx.now)) {
            Some(Ok(p)) => {
                event(
                    ctx,
                    COMPONENT,
                    sts,
                    false,
                    "SuccessfulCreate",
                    format!("create Pod {pod_name} in StatefulSet {set} successful"),
                );
                Some(p)
            }
            Some(Err(e)) => {
                event(
                    ctx,
                    COMPONENT,
                    sts,
                    true,
                    "FailedCreate",
                    format!(
                        "create Pod {pod_name} in StatefulSet {set} failed error: {}",
                        e.message()
                    ),
                );
                None
            }
            None => None,
        }
    }

    fn delete_pod(&self, ctx: &mut SyncContext<'_>, sts: &Value, ns: &str, pod: &str) {
        if util::delete_pod(ctx.api, ns, pod, ctx.now) {
            let set = object::name(sts).to_string();
            event(
                ctx,
                COMPONENT,
                sts,
                false,
                "SuccessfulDelete",
                format!("delete Pod {pod} in StatefulSet {set} successful"),
            );
        }
    }

    fn update_status(&self, ctx: &mut SyncContext<'_>, ns: &str, name: &str, revision: &str) {
        let Some(sts) = util::get(ctx.api, "statefulsets", Some(ns), name) else {
            return;
        };
        let min_ready = util::i64_at(&sts, "spec.minReadySeconds").unwrap_or(0);
        let pods: Vec<Arc<Value>> = util::pods_in(ctx.api, ns)
            .into_iter()
            .filter(|p| util::is_controlled_by(p, &sts) && !util::is_deleting(p))
            .collect();
        let ready = pods.iter().filter(|p| util::pod_ready(p)).count();
        let available = pods
            .iter()
            .filter(|p| util::pod_available(p, min_ready, ctx.now))
            .count();
        let updated = pods
            .iter()
            .filter(|p| {
                util::labels(p)
                    .get("controller-revision-hash")
                    .and_then(Value::as_str)
                    == Some(revision)
            })
            .count();
        let current_rev = object::str_at(&sts, "status.currentRevision")
            .filter(|_| updated < pods.len())
            .unwrap_or(revision)
            .to_string();
        let current = pods
            .iter()
            .filter(|p| {
                util::labels(p)
                    .get("controller-revision-hash")
                    .and_then(Value::as_str)
                    == Some(current_rev.as_str())
            })
            .count();
        let mut st = serde_json::Map::new();
        st.insert("availableReplicas".into(), json!(available));
        st.insert(
            "collisionCount".into(),
            json!(util::i64_at(&sts, "status.collisionCount").unwrap_or(0)),
        );
        if current > 0 {
            st.insert("currentReplicas".into(), json!(current));
        }
        st.insert("currentRevision".into(), json!(current_rev));
        if let Some(g) = object::at(&sts, "metadata.generation") {
            st.insert("observedGeneration".into(), g.clone());
        }
        if ready > 0 {
            st.insert("readyReplicas".into(), json!(ready));
        }
        st.insert("replicas".into(), json!(pods.len()));
        st.insert("updateRevision".into(), json!(revision));
        if updated > 0 {
            st.insert("updatedReplicas".into(), json!(updated));
        }
        let mut new = sts.clone();
        new["status"] = serde_json::Value::Object(st);
        util::update_if_changed(ctx.api, "statefulsets", &sts, new);
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::*;
    use super::*;

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: 3\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [\"ReadWriteOnce\"]\n      resources:\n        requests:\n          storage: 1Gi\n";

    #[test]
    fn ordered_creation_with_claims_and_scale_down_from_the_top() {
        let mut api = api();
        let t = Time::EPOCH;
        apply(&mut api, "statefulsets", STS, t);
        let mut c = StatefulSetController::new();
        settle(&mut api, &mut [&mut c], t);
        // One at a time: web-1 waits for web-0 to be Running and Ready.
        assert_eq!(names(&api, "pods", "default"), ["web-0"]);
        assert_eq!(
            names(&api, "persistentvolumeclaims", "default"),
            ["www-web-0"]
        );
        let p = util::get(&api, "pods", Some("default"), "web-0").unwrap_or_default();
        assert_eq!(p["spec"]["hostname"], "web-0");
        assert_eq!(p["spec"]["subdomain"], "nginx");
        assert_eq!(p["metadata"]["labels"]["apps.kubernetes.io/pod-index"], "0");
        assert!(p["spec"]["volumes"].as_array().is_some_and(|v| v
            .iter()
            .any(|v| v["persistentVolumeClaim"]["claimName"] == "www-web-0")));
        for (i, n) in ["web-0", "web-1", "web-2"].iter().enumerate() {
            run_pod(
                &mut api,
                "default",
                n,
                "node01",
                &format!("10.244.1.{}", i + 2),
                t,
            );
            settle(&mut api, &mut [&mut c], t);
        }
        assert_eq!(names(&api, "pods", "default"), ["web-0", "web-1", "web-2"]);
        let ev = events(&api, "default");
        assert!(
            ev.contains(
                &"SuccessfulCreate create Pod web-1 in StatefulSet web successful".to_string()
            ),
            "{ev:?}"
        );
        assert!(
            ev.contains(
                &"SuccessfulCreate create Claim www-web-2 Pod web-2 in StatefulSet web success"
                    .to_string()
            ),
            "{ev:?}"
        );
        let s = util::get(&api, "statefulsets", Some("default"), "web").unwrap_or_default();
        assert_eq!(
            s["status"]["readyReplicas"],
            3,
            "{:?}",
            util::list(&api, "pods", Some("default"))
                .iter()
                .map(|p| (
                    object::name(p).to_string(),
                    util::is_deleting(p),
                    util::pod_ready(p),
                    util::labels(p).get("controller-revision-hash").cloned()
                ))
                .collect::<Vec<_>>()
        );
        // One revision for all: the hash does not move when status appears.
        assert_eq!(s["status"]["updatedReplicas"], 3);
        assert_eq!(
            s["status"]["currentRevision"],
            s["status"]["updateRevision"]
        );
        // Scale to 1: web-2 goes first (graceful), web-1 waits for it.
        let mut s = s;
        s["spec"]["replicas"] = json!(1);
        util::update(&mut api, "statefulsets", s);
        settle(&mut api, &mut [&mut c], t);
        let deleting: Vec<String> = util::list(&api, "pods", Some("default"))
            .iter()
            .filter(|p| util::is_deleting(p))
            .map(|p| object::name(p).to_string())
            .collect();
        assert_eq!(deleting, ["web-2"]);
        // Claims stay (Retain).
        assert_eq!(names(&api, "persistentvolumeclaims", "default").len(), 3);
    }
}
