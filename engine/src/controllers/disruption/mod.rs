// Indexing is safe in this module: serde_json::Value indexing only (a read of a missing key yields Null; writes go into objects read from the store).
#![allow(clippy::indexing_slicing)]
//! The disruption controller (`pkg/controller/disruption`): for every
//! PodDisruptionBudget it counts the pods its selector picks, their
//! controllers' scale (for percentages and `maxUnavailable`) and the Ready
//! ones, and writes `status` (`expectedPods`, `currentHealthy`,
//! `desiredHealthy`, `disruptionsAllowed`, `observedGeneration`) with the
//! `DisruptionAllowed` condition. The eviction subresource decrements
//! `disruptionsAllowed` and records the evicted pod in `disruptedPods`; a pod
//! still there 2 minutes later is counted again (`DeletionTimeout`).

use super::util;
use crate::api::object;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const COMPONENT: &str = "controllermanager";

/// How long an eviction's entry in `disruptedPods` holds (`DeletionTimeout`).
pub const DELETION_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, Default)]
pub struct DisruptionController {
    /// The earliest expiry of a `disruptedPods` entry (the recheck queue).
    wakeup: Option<Time>,
    /// Per budget (`ns/name`), the resourceVersion its last sync saw: a
    /// budget with no pods syncs (and says `NoPods`) only when it changes.
    seen: BTreeMap<String, String>,
}

impl DisruptionController {
    pub fn new() -> Self {
        Self::default()
    }
}

/// What the controller reads: budgets, pods and the scalable workloads.
const IGNORED: &[&str] = &[
    "leases",
    "events",
    "nodes",
    "endpoints",
    "endpointslices",
    "services",
    "configmaps",
    "secrets",
    "serviceaccounts",
    "daemonsets",
    "jobs",
    "cronjobs",
    "namespaces",
    "controllerrevisions",
    "persistentvolumeclaims",
    "persistentvolumes",
];

/// The scale of a pod's controller, keyed by the uid that owns the scale
/// (a Deployment for its ReplicaSets' pods), or why none could be found.
fn scale_of(ctx: &SyncContext<'_>, pod: &Value, ns: &str) -> Result<Option<(String, i64)>, String> {
    let Some(r) = util::controller_of(pod) else {
        return Ok(None);
    };
    let (kind, name, uid) = (
        r["kind"].as_str().unwrap_or(""),
        r["name"].as_str().unwrap_or(""),
        r["uid"].as_str().unwrap_or(""),
    );
    let api_version = r["apiVersion"].as_str().unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let found = |plural: &str| {
        util::get_shared(ctx.api, plural, Some(ns), name).filter(|o| util::uid(o) == uid)
    };
    let replicas = |o: &Value| util::i64_at(o, "spec.replicas").unwrap_or(1);
    let hit = match (kind, group) {
        ("ReplicationController", "") => {
            found("replicationcontrollers").map(|o| (uid.to_string(), replicas(&o)))
        }
        ("ReplicaSet", "apps" | "extensions") => found("replicasets").and_then(|rs| {
            match util::controller_of(&rs).filter(|d| d["kind"] == "Deployment") {
                Some(d) => util::get_shared(
                    ctx.api,
                    "deployments",
                    Some(ns),
                    d["name"].as_str().unwrap_or(""),
                )
                .filter(|o| util::uid(o) == d["uid"].as_str().unwrap_or(""))
                .map(|o| (util::uid(&o).to_string(), replicas(&o))),
                None => Some((uid.to_string(), replicas(&rs))),
            }
        }),
        ("StatefulSet", "apps") => found("statefulsets").map(|o| (uid.to_string(), replicas(&o))),
        // getScaleController: the kind has no scale subresource.
        (_, _) => {
            let res = crate::api::RESOURCES
                .iter()
                .find(|x| x.kind == kind && x.group == group);
            return match res {
                Some(x) => Err(format!(
                    "{}{}{} does not implement the scale subresource",
                    x.plural,
                    if group.is_empty() { "" } else { "." },
                    group
                )),
                None => Err(format!(
                    "no matches for kind \"{kind}\" in version \"{api_version}\""
                )),
            };
        }
    };
    match hit {
        Some(h) => Ok(Some(h)),
        None => Err(format!(
            "found no controllers for pod {:?}",
            object::name(pod)
        )),
    }
}

/// `getExpectedPodCount`: (expectedPods, desiredHealthy).
fn expected(
    ctx: &SyncContext<'_>,
    pdb: &Value,
    pods: &[&Value],
    ns: &str,
) -> Result<(i64, i64), String> {
    let expected_scale = || -> Result<i64, String> {
        let mut scales: BTreeMap<String, i64> = BTreeMap::new();
        for p in pods {
            if let Some((uid, n)) = scale_of(ctx, p, ns)? {
                scales.insert(uid, n);
            }
        }
        Ok(scales.values().sum())
    };
    let spec = &pdb["spec"];
    if let Some(max) = spec.get("maxUnavailable").filter(|v| !v.is_null()) {
        let n = expected_scale()?;
        Ok((n, (n - percent(max, n)?).max(0)))
    } else if let Some(min) = spec.get("minAvailable").filter(|v| !v.is_null()) {
        if min.is_number() {
            Ok((pods.len() as i64, min.as_i64().unwrap_or(0)))
        } else {
            let n = expected_scale()?;
            Ok((n, percent(min, n)?))
        }
    } else {
        Ok((0, 0))
    }
}

/// `intstr.GetScaledValueFromIntOrPercent(v, total, true)` with its error.
fn percent(v: &Value, total: i64) -> Result<i64, String> {
    match v.as_str() {
        Some(s) if !s.ends_with('%') || s.trim_end_matches('%').parse::<i64>().is_err() => {
            Err("invalid value for IntOrString: invalid type: string is not a percentage".into())
        }
        _ => Ok(util::scaled_value(Some(v), total, true, 0)),
    }
}

/// A `*metav1.LabelSelector` as Go's `%v` prints it (its generated `String`).
fn go_selector(s: &Value) -> String {
    if s.is_null() {
        return "nil".into();
    }
    // In key order, as Go prints a map; a list, not a map, for the wasm
    // bundle's size (its own copy of BTreeMap's code).
    let mut labels: Vec<(&String, &Value)> = s["matchLabels"]
        .as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    crate::sort::sort_by(&mut labels, |a, b| a.0.cmp(b.0));
    let labels: String = labels
        .iter()
        .map(|(k, v)| format!("{k}: {},", v.as_str().unwrap_or("")))
        .collect();
    let exprs: String = s["matchExpressions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let vals: Vec<&str> = e["values"]
                        .as_array()
                        .map(|v| v.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    format!(
                        "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
                        e["key"].as_str().unwrap_or(""),
                        e["operator"].as_str().unwrap_or(""),
                        vals.join(" ")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!("&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}")
}

/// `apimeta.SetStatusCondition` for `DisruptionAllowed`.
fn set_condition(
    status: &mut Map<String, Value>,
    ok: bool,
    reason: &str,
    message: &str,
    generation: i64,
    now: Time,
) {
    let s = if ok { "True" } else { "False" };
    let conds = status.entry("conditions").or_insert_with(|| json!([]));
    let Some(list) = conds.as_array_mut() else {
        return;
    };
    let cond = json!({"type": "DisruptionAllowed", "status": s, "observedGeneration": generation,
        "lastTransitionTime": now.rfc3339(), "reason": reason, "message": message});
    match list.iter_mut().find(|c| c["type"] == "DisruptionAllowed") {
        Some(c) => {
            let t = if c["status"] == s {
                c["lastTransitionTime"].clone()
            } else {
                cond["lastTransitionTime"].clone()
            };
            *c = cond;
            c["lastTransitionTime"] = t;
        }
        None => list.push(cond),
    }
}

/// The condition the eviction subresource and the controller both keep:
/// `pdbhelper.UpdateDisruptionAllowedCondition`.
pub fn update_allowed_condition(pdb: &mut Value, now: Time) {
    let allowed = util::i64_at(pdb, "status.disruptionsAllowed").unwrap_or(0) > 0;
    let generation = util::i64_at(pdb, "status.observedGeneration").unwrap_or(0);
    if let Some(st) = pdb["status"].as_object_mut() {
        let reason = if allowed {
            "SufficientPods"
        } else {
            "InsufficientPods"
        };
        set_condition(st, allowed, reason, "", generation, now);
    }
}

impl DisruptionController {
    fn sync_one(&mut self, ctx: &mut SyncContext<'_>, pdb: &Value) {
        let ns = object::namespace(pdb).unwrap_or("default").to_string();
        let now = ctx.now;
        let sel = pdb["spec"].get("selector").filter(|s| !s.is_null());
        let all = util::pods_in(ctx.api, &ns);
        let pods: Vec<&Value> = all
            .iter()
            .map(|p| &**p)
            .filter(|p| sel.is_some_and(|s| util::selector_matches(Some(s), &util::labels(p))))
            .collect();
        let key = format!("{ns}/{}", object::name(pdb));
        let rv = object::str_at(pdb, "metadata.resourceVersion")
            .unwrap_or("")
            .to_string();
        // Events only when the budget changed (its informer's update), not
        // at every pod change elsewhere in the namespace.
        let fresh = self.seen.get(&key) != Some(&rv);
        let spec = &pdb["spec"];
        let by_scale = spec.get("maxUnavailable").is_some_and(|v| !v.is_null())
            || spec["minAvailable"].is_string();
        if fresh && by_scale && pods.iter().any(|p| util::controller_of(p).is_none()) {
            util::event(ctx, COMPONENT, pdb, true, "UnmanagedPods", format!("Pods selected by this PodDisruptionBudget (selector: {}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.", go_selector(&spec["selector"])));
        }
        if pods.is_empty() {
            if !fresh {
                return;
            }
            util::event(
                ctx,
                COMPONENT,
                pdb,
                false,
                "NoPods",
                "No matching pods found".into(),
            );
        }
        self.seen.insert(key, rv);
        let mut new = pdb.clone();
        let generation = util::i64_at(pdb, "metadata.generation").unwrap_or(0);
        let (expected, desired) = match expected(ctx, pdb, &pods, &ns) {
            Ok(x) => x,
            Err(e) => {
                util::event(
                    ctx,
                    COMPONENT,
                    pdb,
                    true,
                    "CalculateExpectedPodCountFailed",
                    format!("Failed to calculate the number of expected pods: {e}"),
                );
                // failSafe: nothing may be disrupted; observedGeneration stays.
                let g = util::i64_at(pdb, "status.observedGeneration").unwrap_or(0);
                if let Some(st) = new["status"].as_object_mut() {
                    st.insert("disruptionsAllowed".into(), json!(0));
                    set_condition(st, false, "SyncFailed", &e, g, now);
                }
                util::update_if_changed(ctx.api, "poddisruptionbudgets", pdb, new);
                return;
            }
        };
        // buildDisruptedPodMap: entries of pods still there and not deleting, for 2 minutes.
        let mut disrupted = Map::new();
        if let Some(m) = object::at(pdb, "status.disruptedPods").and_then(Value::as_object) {
            for p in pods.iter().filter(|p| !util::is_deleting(p)) {
                let Some(t) = m.get(object::name(p)) else {
                    continue;
                };
                let Some(at) = t.as_str().and_then(Time::parse_rfc3339) else {
                    continue;
                };
                let expiry = at + DELETION_TIMEOUT;
                if expiry < now {
                    util::event(
                        ctx,
                        COMPONENT,
                        p,
                        true,
                        "NotDeleted",
                        format!("Pod was expected by PDB {ns}/{ns} to be deleted but it wasn't"),
                    );
                } else {
                    self.wakeup = util::earliest(self.wakeup, Some(expiry));
                    disrupted.insert(object::name(p).to_string(), t.clone());
                }
            }
        }
        let healthy = pods
            .iter()
            .filter(|p| {
                !util::is_deleting(p)
                    && !disrupted.contains_key(object::name(p))
                    && util::pod_ready(p)
            })
            .count() as i64;
        let allowed = if expected <= 0 {
            0
        } else {
            (healthy - desired).max(0)
        };
        let old = pdb["status"].as_object().cloned().unwrap_or_default();
        let mut st = Map::new();
        st.insert("observedGeneration".into(), json!(generation));
        if !disrupted.is_empty() {
            st.insert("disruptedPods".into(), Value::Object(disrupted));
        }
        st.insert("disruptionsAllowed".into(), json!(allowed));
        st.insert("currentHealthy".into(), json!(healthy));
        st.insert("desiredHealthy".into(), json!(desired));
        st.insert("expectedPods".into(), json!(expected));
        if let Some(c) = old.get("conditions") {
            st.insert("conditions".into(), c.clone());
        }
        new["status"] = Value::Object(st);
        update_allowed_condition(&mut new, now);
        util::update_if_changed(ctx.api, "poddisruptionbudgets", pdb, new);
    }
}

impl Component for DisruptionController {
    fn name(&self) -> String {
        "disruption-controller".into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        IGNORED
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let pdbs = util::list(ctx.api, "poddisruptionbudgets", None);
        self.wakeup = None;
        self.seen.retain(|k, _| {
            pdbs.iter().any(|p| {
                k == &format!("{}/{}", object::namespace(p).unwrap_or(""), object::name(p))
            })
        });
        for pdb in &pdbs {
            self.sync_one(ctx, pdb);
        }
    }

    fn next_wakeup(&self, now: Time) -> Option<Time> {
        // Just after the expiry: an entry holds until then.
        self.wakeup
            .map(|t| t + Duration::from_secs(1))
            .filter(|t| *t > now)
    }
}

#[cfg(test)]
mod tests;
