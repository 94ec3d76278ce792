//! The HorizontalPodAutoscaler controller (`pkg/controller/podautoscaler`):
//! every 15 s (`--horizontal-pod-autoscaler-sync-period`) each HPA reads its
//! target's scale, the pods' usage from the Metrics API, and sets the
//! replicas to `ceil(current × usage / target)` — unless the ratio is
//! within the 10 % tolerance — bounded by min/max and the scale-up rate,
//! and, going down, by the highest recommendation of the last 5 minutes
//! (`--horizontal-pod-autoscaler-downscale-stabilization`). With a
//! `behavior`, its stabilization windows and rate policies apply instead.
//! autoscaling/v1 objects arrive converted to v2 by the apiserver.

mod replicas;

use super::util::{self, event};
use crate::api::{object, resolve};
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use replicas::{Calc, MetricOutcome};
use serde_json::{json, Value};

const COMPONENT: &str = "horizontal-pod-autoscaler";
/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: Duration = Duration::from_secs(15);
/// `--horizontal-pod-autoscaler-tolerance`.
pub const TOLERANCE: f64 = 0.1;
/// `--horizontal-pod-autoscaler-downscale-stabilization`.
pub const DOWNSCALE_STABILIZATION: Duration = Duration::from_secs(300);

/// A recommendation kept for stabilization.
#[derive(Clone, Copy, Debug)]
struct Recommendation {
    replicas: i64,
    at: Time,
}

/// A scale change kept for the behavior's rate policies.
#[derive(Clone, Copy, Debug)]
struct ScaleEvent {
    change: i64,
    at: Time,
}

#[derive(Debug, Default)]
pub struct HorizontalController {
    /// When each HPA (by uid) was last reconciled, and at which resourceVersion.
    last: crate::maps::BoxedMap<(Time, String)>,
    // Boxed (`maps::BoxedMap`): these maps share `BTreeMap`'s code with
    // the other boxed maps (issue 11: the bundle's size).
    recommendations: crate::maps::BoxedMap<Vec<Recommendation>>,
    scale_up_events: crate::maps::BoxedMap<Vec<ScaleEvent>>,
    scale_down_events: crate::maps::BoxedMap<Vec<ScaleEvent>>,
    wakeup: Option<Time>,
}

impl HorizontalController {
    pub fn new() -> Self {
        Self::default()
    }
}

/// The instant `d` before `t`.
fn ago(t: Time, d: Duration) -> Time {
    Time(t.0 - d.as_millis())
}

/// `setConditionInList`: in place, the transition time moving only with the status.
#[allow(clippy::indexing_slicing)] // idx from position() over conds, or the entry just pushed; c is a JSON object
fn set_condition(
    conds: &mut Vec<Value>,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Time,
) {
    let idx = match conds
        .iter()
        .position(|c| object::str_at(c, "type") == Some(type_))
    {
        Some(i) => i,
        None => {
            conds.push(json!({"type": type_}));
            conds.len() - 1
        }
    };
    let c = &mut conds[idx];
    if object::str_at(c, "status") != Some(status) {
        c["lastTransitionTime"] = json!(now.rfc3339());
    }
    c["status"] = json!(status);
    c["reason"] = json!(reason);
    c["message"] = json!(message);
}

/// The scale target's resource (`Deployment` in `apps/v1`…).
fn target_resource(hpa: &Value) -> Option<&'static crate::api::Resource> {
    let kind = object::str_at(hpa, "spec.scaleTargetRef.kind")?;
    let api_version = object::str_at(hpa, "spec.scaleTargetRef.apiVersion").unwrap_or("apps/v1");
    crate::api::for_kind(api_version, kind)
        .or_else(|| crate::api::RESOURCES.iter().find(|r| r.kind == kind))
}

impl Component for HorizontalController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let hpas = util::list(ctx.api, "horizontalpodautoscalers", None);
        let live: Vec<String> = hpas.iter().map(|h| util::uid(h).to_string()).collect();
        self.last.retain(|k, _| live.contains(k));
        self.recommendations.retain(|k, _| live.contains(k));
        self.scale_up_events.retain(|k, _| live.contains(k));
        self.scale_down_events.retain(|k, _| live.contains(k));
        let mut wakeup: Option<Time> = None;
        for hpa in hpas {
            if util::is_deleting(&hpa) {
                continue;
            }
            let uid = util::uid(&hpa).to_string();
            let rv = object::str_at(&hpa, "metadata.resourceVersion")
                .unwrap_or("")
                .to_string();
            // A resync every period; a spec change is reconciled at once.
            let generation_seen = self.last.get(&uid).is_some_and(|last| last.1 == rv);
            let due = match self.last.get(&uid).map(|last| &**last) {
                Some((t, _)) => ctx.now >= *t + SYNC_PERIOD || !generation_seen,
                None => true,
            };
            if due {
                let written = self.reconcile(ctx, &hpa);
                let rv = written
                    .as_ref()
                    .and_then(|w| object::str_at(w, "metadata.resourceVersion"))
                    .unwrap_or(&rv)
                    .to_string();
                self.last.insert(uid.clone(), Box::new((ctx.now, rv)));
            }
            if let Some((t, _)) = self.last.get(&uid).map(|last| &**last) {
                let next = *t + SYNC_PERIOD;
                wakeup = Some(wakeup.map_or(next, |w: Time| w.min(next)));
            }
        }
        self.wakeup = wakeup;
    }

    fn next_wakeup(&self, now: Time) -> Option<Time> {
        self.wakeup.filter(|t| *t > now)
    }
}

impl HorizontalController {
    /// `reconcileAutoscaler`: returns the HPA as written, if its status changed.
    fn reconcile(&mut self, ctx: &mut SyncContext<'_>, hpa: &Value) -> Option<Value> {
        let now = ctx.now;
        let uid = util::uid(hpa).to_string();
        let ns = object::namespace(hpa).unwrap_or("default").to_string();
        let mut conds: Vec<Value> = object::at(hpa, "status.conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let min = util::i64_at(hpa, "spec.minReplicas").unwrap_or(1);
        let max = util::i64_at(hpa, "spec.maxReplicas").unwrap_or(min);
        let target = object::str_at(hpa, "spec.scaleTargetRef.name")
            .unwrap_or("")
            .to_string();
        let res = target_resource(hpa);
        let scale = res.and_then(|r| ctx.api.get_scale(r, Some(&ns), &target).ok());
        let Some(scale) = scale else {
            let plural = res.map(|r| r.plural).unwrap_or("");
            let group = res.map(|r| r.group).unwrap_or("");
            let what = if group.is_empty() {
                format!("{plural}/scale")
            } else {
                format!("{plural}/scale.{group}")
            };
            let msg = format!("{what} {target:?} not found");
            let msg = if res.is_none() {
                "the server could not find the requested resource".to_string()
            } else {
                msg
            };
            event(ctx, COMPONENT, hpa, true, "FailedGetScale", msg.clone());
            set_condition(
                &mut conds,
                "AbleToScale",
                "False",
                "FailedGetScale",
                &format!("the HPA controller was unable to get the target's current scale: {msg}"),
                now,
            );
            return self.write_status(ctx, hpa, conds, None, 0, 0, None);
        };
        let current = util::i64_at(&scale, "spec.replicas").unwrap_or(0);
        let selector = object::str_at(&scale, "status.selector")
            .unwrap_or("")
            .to_string();
        set_condition(
            &mut conds,
            "AbleToScale",
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
            now,
        );
        let specs: Vec<Value> = object::at(hpa, "spec.metrics")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut statuses: Vec<Value> = Vec::new();
        let mut rescale_reason = String::new();
        let mut desired: i64 = 0;
        let mut metric_ok = true;
        if current == 0 && min != 0 {
            set_condition(
                &mut conds,
                "ScalingActive",
                "False",
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero",
                now,
            );
            metric_ok = false;
            statuses = object::at(hpa, "status.currentMetrics")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
        } else if current > max {
            rescale_reason = "Current number of replicas above Spec.MaxReplicas".into();
            desired = max;
        } else if current < min {
            rescale_reason = "Current number of replicas below Spec.MinReplicas".into();
            desired = min;
        } else {
            let outcomes: Vec<MetricOutcome> = {
                let calc = Calc {
                    api: ctx.api,
                    machines: ctx.machines,
                    namespace: &ns,
                    selector: &selector,
                    now,
                };
                specs.iter().map(|s| calc.metric(s, current)).collect()
            };
            let mut invalid = 0usize;
            let mut first_error: Option<(String, String)> = None;
            let mut best: Option<(i64, String)> = None;
            for outcome in outcomes {
                match outcome {
                    MetricOutcome::Ok {
                        replicas,
                        name,
                        status,
                    } => {
                        statuses.push(status);
                        if best.as_ref().is_none_or(|(r, _)| replicas > *r) {
                            best = Some((replicas, name));
                        }
                    }
                    MetricOutcome::Err { reason, message } => {
                        invalid += 1;
                        statuses.push(json!({"type": ""}));
                        event(ctx, COMPONENT, hpa, true, reason, message.clone());
                        if first_error.is_none() {
                            first_error = Some((reason.to_string(), message));
                        }
                    }
                }
            }
            let too_many_invalid = invalid >= specs.len()
                || (invalid > 0 && best.as_ref().is_some_and(|(r, _)| *r < current));
            if too_many_invalid || best.is_none() {
                let (reason, message) = first_error.unwrap_or_else(|| {
                    (
                        "FailedGetResourceMetric".into(),
                        "no metrics to compute".into(),
                    )
                });
                let summary = format!(
                    "invalid metrics ({invalid} invalid out of {}), first error is: {message}",
                    specs.len()
                );
                event(
                    ctx,
                    COMPONENT,
                    hpa,
                    true,
                    "FailedComputeMetricsReplicas",
                    summary,
                );
                set_condition(
                    &mut conds,
                    "ScalingActive",
                    "False",
                    &reason,
                    &format!("the HPA was unable to compute the replica count: {message}"),
                    now,
                );
                return self.write_status(ctx, hpa, conds, Some(statuses), current, current, None);
            }
            let (replicas, name) = best.unwrap_or((current, String::new()));
            set_condition(
                &mut conds,
                "ScalingActive",
                "True",
                "ValidMetricFound",
                &format!("the HPA was able to successfully calculate a replica count from {name}"),
                now,
            );
            desired = replicas;
            if desired > current {
                rescale_reason = format!("{name} above target");
            }
            if desired < current {
                rescale_reason = "All metrics below target".into();
            }
            desired = match object::at(hpa, "spec.behavior").filter(|b| b.is_object()) {
                None => self.normalize(&uid, &mut conds, current, desired, min, max, now),
                Some(b) => self
                    .normalize_with_behavior(&uid, &mut conds, b, current, desired, min, max, now),
            };
        }
        let mut last_scale: Option<Time> = None;
        if metric_ok && desired != current {
            let r = res?;
            match ctx.api.update_scale(r, Some(&ns), &target, desired) {
                Ok(_) => {
                    event(
                        ctx,
                        COMPONENT,
                        hpa,
                        false,
                        "SuccessfulRescale",
                        format!("New size: {desired}; reason: {rescale_reason}"),
                    );
                    set_condition(
                        &mut conds,
                        "AbleToScale",
                        "True",
                        "SucceededRescale",
                        &format!(
                            "the HPA controller was able to update the target scale to {desired}"
                        ),
                        now,
                    );
                    last_scale = Some(now);
                    if object::at(hpa, "spec.behavior").is_some_and(|b| b.is_object()) {
                        let ev = ScaleEvent {
                            change: (desired - current).abs(),
                            at: now,
                        };
                        let list = if desired > current {
                            self.scale_up_events.entry(uid.clone()).or_default()
                        } else {
                            self.scale_down_events.entry(uid.clone()).or_default()
                        };
                        list.push(ev);
                    }
                }
                Err(e) => {
                    let msg = e.kubectl_text();
                    event(
                        ctx,
                        COMPONENT,
                        hpa,
                        true,
                        "FailedRescale",
                        format!("New size: {desired}; reason: {rescale_reason}; error: {msg}"),
                    );
                    set_condition(
                        &mut conds,
                        "AbleToScale",
                        "False",
                        "FailedUpdateScale",
                        &format!("the HPA controller was unable to update the target scale: {msg}"),
                        now,
                    );
                    desired = current;
                }
            }
        } else if !metric_ok {
            desired = current;
        }
        self.write_status(
            ctx,
            hpa,
            conds,
            Some(statuses),
            current,
            desired,
            last_scale,
        )
    }

    /// `normalizeDesiredReplicas`: the highest recommendation of the
    /// stabilization window, then min/max and the scale-up limit.
    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::indexing_slicing)] // i comes from position() over the same recommendations vec
    fn normalize(
        &mut self,
        uid: &str,
        conds: &mut Vec<Value>,
        current: i64,
        desired: i64,
        min: i64,
        max: i64,
        now: Time,
    ) -> i64 {
        let recs = self.recommendations.entry(uid.to_string()).or_default();
        let cutoff = ago(now, DOWNSCALE_STABILIZATION);
        let mut stabilized = desired;
        let mut old: Option<usize> = None;
        for (i, r) in recs.iter().enumerate() {
            if r.at < cutoff {
                old = Some(i);
            } else if r.replicas > stabilized {
                stabilized = r.replicas;
            }
        }
        let rec = Recommendation {
            replicas: desired,
            at: now,
        };
        match old {
            Some(i) => recs[i] = rec,
            None => recs.push(rec),
        }
        if stabilized != desired {
            set_condition(
                conds,
                "AbleToScale",
                "True",
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, applying the highest recent recommendation",
                now,
            );
        } else {
            set_condition(
                conds,
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                "recommended size matches current size",
                now,
            );
        }
        // `convertDesiredReplicasWithRules`.
        let scale_up_limit = (current * 2).max(4);
        let (allowed_max, max_reason, max_msg) = if max > scale_up_limit {
            (
                scale_up_limit,
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate",
            )
        } else {
            (
                max,
                "TooManyReplicas",
                "the desired replica count is more than the maximum replica count",
            )
        };
        let (n, status, reason, msg) = if stabilized < min {
            (
                min,
                "True",
                "TooFewReplicas",
                "the desired replica count is less than the minimum replica count",
            )
        } else if stabilized > allowed_max {
            (allowed_max, "True", max_reason, max_msg)
        } else {
            (
                stabilized,
                "False",
                "DesiredWithinRange",
                "the desired count is within the acceptable range",
            )
        };
        set_condition(conds, "ScalingLimited", status, reason, msg, now);
        n
    }

    /// `normalizeDesiredReplicasWithBehaviors`: the up/down stabilization
    /// windows, then the rate policies and min/max.
    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::indexing_slicing)] // i comes from position() over the same recommendations vec
    fn normalize_with_behavior(
        &mut self,
        uid: &str,
        conds: &mut Vec<Value>,
        behavior: &Value,
        current: i64,
        desired: i64,
        min: i64,
        max: i64,
        now: Time,
    ) -> i64 {
        let window = |k: &str, default: i64| {
            object::at(behavior, &format!("{k}.stabilizationWindowSeconds"))
                .and_then(Value::as_i64)
                .unwrap_or(default)
        };
        let up_window = Duration::from_secs(window("scaleUp", 0));
        let down_window =
            Duration::from_secs(window("scaleDown", DOWNSCALE_STABILIZATION.as_secs()));
        let recs = self.recommendations.entry(uid.to_string()).or_default();
        let (up_cut, down_cut) = (ago(now, up_window), ago(now, down_window));
        let cutoff = up_cut.min(down_cut);
        let (mut up, mut down) = (desired, desired);
        let mut old: Option<usize> = None;
        for (i, r) in recs.iter().enumerate() {
            if r.at > up_cut {
                up = up.min(r.replicas);
            }
            if r.at > down_cut {
                down = down.max(r.replicas);
            }
            if r.at < cutoff {
                old = Some(i);
            }
        }
        let rec = Recommendation {
            replicas: desired,
            at: now,
        };
        match old {
            Some(i) => recs[i] = rec,
            None => recs.push(rec),
        }
        let stabilized = current.max(up).min(down);
        if stabilized != desired {
            let (reason, msg) = if desired > current {
                (
                    "ScaleUpStabilized",
                    "recent recommendations were lower than current one, applying the lowest recent recommendation",
                )
            } else {
                (
                    "ScaleDownStabilized",
                    "recent recommendations were higher than current one, applying the highest recent recommendation",
                )
            };
            set_condition(conds, "AbleToScale", "True", reason, msg, now);
        } else {
            set_condition(
                conds,
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                "recommended size matches current size",
                now,
            );
        }
        let in_period = |events: Option<&Vec<ScaleEvent>>, period: Duration| -> i64 {
            events
                .into_iter()
                .flatten()
                .filter(|e| e.at > ago(now, period))
                .map(|e| e.change)
                .sum()
        };
        let policies = |k: &str| -> (Vec<(String, i64, Duration)>, String) {
            let list = object::at(behavior, &format!("{k}.policies"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    (
                        object::str_at(p, "type").unwrap_or("Pods").to_string(),
                        p.get("value").and_then(Value::as_i64).unwrap_or(0),
                        Duration::from_secs(
                            p.get("periodSeconds").and_then(Value::as_i64).unwrap_or(15),
                        ),
                    )
                })
                .collect();
            let select = object::str_at(behavior, &format!("{k}.selectPolicy"))
                .unwrap_or("Max")
                .to_string();
            (list, select)
        };
        let ups = self.scale_up_events.get(uid).map(|v| &**v);
        let downs = self.scale_down_events.get(uid).map(|v| &**v);
        let (n, status, reason, msg) = if stabilized > current {
            let (ps, select) = policies("scaleUp");
            let mut limit = if select == "Min" { i64::MAX } else { i64::MIN };
            for (t, v, period) in &ps {
                let start = current - in_period(ups, *period) + in_period(downs, *period);
                let proposed = if t == "Percent" {
                    (start as f64 * (1.0 + *v as f64 / 100.0)).ceil() as i64
                } else {
                    start + v
                };
                limit = if select == "Min" {
                    limit.min(proposed)
                } else {
                    limit.max(proposed)
                };
            }
            if select == "Disabled" || ps.is_empty() {
                limit = current;
            }
            let limit = limit.max(current);
            let (allowed, r, m) = if max > limit {
                (
                    limit,
                    "ScaleUpLimit",
                    "the desired replica count is increasing faster than the maximum scale rate",
                )
            } else {
                (
                    max,
                    "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count",
                )
            };
            if stabilized > allowed {
                (allowed, "True", r, m)
            } else {
                (
                    stabilized,
                    "False",
                    "DesiredWithinRange",
                    "the desired count is within the acceptable range",
                )
            }
        } else if stabilized < current {
            let (ps, select) = policies("scaleDown");
            let mut limit = if select == "Min" { i64::MIN } else { i64::MAX };
            for (t, v, period) in &ps {
                let start = current + in_period(downs, *period) - in_period(ups, *period);
                let proposed = if t == "Percent" {
                    (start as f64 * (1.0 - *v as f64 / 100.0)) as i64
                } else {
                    start - v
                };
                limit = if select == "Min" {
                    limit.max(proposed)
                } else {
                    limit.min(proposed)
                };
            }
            if select == "Disabled" || ps.is_empty() {
                limit = current;
            }
            let limit = limit.min(current);
            let (allowed, r, m) = if min < limit {
                (
                    limit,
                    "ScaleDownLimit",
                    "the desired replica count is decreasing faster than the maximum scale rate",
                )
            } else {
                (
                    min,
                    "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count",
                )
            };
            if stabilized < allowed {
                (allowed, "True", r, m)
            } else {
                (
                    stabilized,
                    "False",
                    "DesiredWithinRange",
                    "the desired count is within the acceptable range",
                )
            }
        } else {
            (
                stabilized,
                "False",
                "DesiredWithinRange",
                "the desired count is within the acceptable range",
            )
        };
        // Old scale events fall out of every policy's period.
        let longest = Duration::from_secs(1800);
        for m in [&mut self.scale_up_events, &mut self.scale_down_events] {
            if let Some(v) = m.get_mut(uid) {
                v.retain(|e| e.at > ago(now, longest));
            }
        }
        set_condition(conds, "ScalingLimited", status, reason, msg, now);
        n
    }

    /// Writes the status if it changed.
    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::indexing_slicing)] // serde_json::Value: a missing key reads as Null; writes go into JSON objects (built here or from the store)
    fn write_status(
        &mut self,
        ctx: &mut SyncContext<'_>,
        hpa: &Value,
        conds: Vec<Value>,
        metrics: Option<Vec<Value>>,
        current: i64,
        desired: i64,
        last_scale: Option<Time>,
    ) -> Option<Value> {
        let mut status = json!({
            "currentReplicas": current,
            "desiredReplicas": desired,
        });
        if let Some(ms) = metrics.filter(|m| !m.is_empty()) {
            status["currentMetrics"] = Value::Array(ms);
        }
        if !conds.is_empty() {
            status["conditions"] = Value::Array(conds);
        }
        let last = last_scale
            .map(|t| json!(t.rfc3339()))
            .or_else(|| object::at(hpa, "status.lastScaleTime").cloned());
        if let Some(l) = last {
            status["lastScaleTime"] = l;
        }
        if object::at(hpa, "status") == Some(&status) {
            return None;
        }
        let mut next = hpa.clone();
        next["status"] = status;
        let res = resolve("horizontalpodautoscalers")?;
        let ns = object::namespace(hpa).map(str::to_string);
        ctx.api.update_status(res, ns.as_deref(), next).ok()
    }
}

#[cfg(test)]
mod tests;
