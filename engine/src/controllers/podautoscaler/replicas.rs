//! `ReplicaCalculator` for Resource metrics: the pods of the target (by
//! its scale selector), their usage from the Metrics API and their
//! requests; pods pending, failed or being deleted are ignored, pods with
//! no metrics yet are "missing" and not-ready pods "unready" (for CPU), and
//! both are counted conservatively so the HPA does not flap.

use super::TOLERANCE;
use crate::api::selector::LabelSelector;
use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::{Duration, Time};
use crate::maps::BoxedMap;
use crate::metrics::api as metrics;
use crate::node::Machine;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `--horizontal-pod-autoscaler-cpu-initialization-period`.
const CPU_INITIALIZATION_PERIOD: Duration = Duration::from_secs(300);
/// `--horizontal-pod-autoscaler-initial-readiness-delay`.
const INITIAL_READINESS_DELAY: Duration = Duration::from_secs(30);

pub struct Calc<'a> {
    pub api: &'a ApiServer,
    pub machines: &'a BTreeMap<String, Machine>,
    pub namespace: &'a str,
    pub selector: &'a str,
    pub now: Time,
}

pub enum MetricOutcome {
    Ok {
        replicas: i64,
        /// `cpu resource utilization (percentage of request)`.
        name: String,
        status: Value,
    },
    Err {
        reason: &'static str,
        message: String,
    },
}

/// A quantity in thousandths as `resource.NewMilliQuantity(v, DecimalSI)` prints it.
pub fn milli_quantity(m: i64) -> String {
    if m % 1000 != 0 {
        return format!("{m}m");
    }
    let mut v = m / 1000;
    for suffix in ["", "k", "M", "G", "T", "P"] {
        if v % 1000 != 0 || v == 0 {
            return format!("{v}{suffix}");
        }
        v /= 1000;
    }
    format!("{v}E")
}

/// A quantity string in thousandths.
fn milli_of(q: &str) -> Option<i64> {
    crate::apiserver::validation::quantity_milli(q).and_then(|v| i64::try_from(v).ok())
}

fn pod_time(pod: &Value, path: &str) -> Option<Time> {
    object::str_at(pod, path).and_then(Time::parse_rfc3339)
}

fn ready_condition(pod: &Value) -> Option<&Value> {
    object::at(pod, "status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| object::str_at(c, "type") == Some("Ready"))
        })
}

impl Calc<'_> {
    fn pods(&self) -> Result<Vec<Value>, String> {
        let sel = LabelSelector::parse(self.selector).map_err(|e| {
            format!("couldn't convert selector into a corresponding internal selector object: {e}")
        })?;
        let res = resolve("pods").ok_or("no pods")?;
        Ok(self
            .api
            .list(res, Some(self.namespace))
            .into_iter()
            .filter(|p| sel.matches(object::at(p, "metadata.labels")))
            .collect())
    }

    /// One metric spec: the replicas it asks for.
    pub fn metric(&self, spec: &Value, current: i64) -> MetricOutcome {
        let kind = object::str_at(spec, "type").unwrap_or("");
        if kind != "Resource" {
            let what = kind.to_ascii_lowercase();
            return MetricOutcome::Err {
                reason: match kind {
                    "Pods" => "FailedGetPodsMetric",
                    "Object" => "FailedGetObjectMetric",
                    "External" => "FailedGetExternalMetric",
                    _ => "FailedGetContainerResourceMetric",
                },
                message: format!(
                    "unable to get {what} metric: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered"
                ),
            };
        }
        let resource = object::str_at(spec, "resource.name")
            .unwrap_or("cpu")
            .to_string();
        let utilization =
            object::at(spec, "resource.target.averageUtilization").and_then(Value::as_i64);
        let average = object::at(spec, "resource.target.averageValue").and_then(|v| match v {
            Value::String(s) => milli_of(s),
            Value::Number(n) => n.as_i64().map(|n| n * 1000),
            _ => None,
        });
        let fail = |m: String| MetricOutcome::Err {
            reason: "FailedGetResourceMetric",
            message: m,
        };
        let prefix = if utilization.is_some() {
            format!("failed to get {resource} utilization")
        } else {
            format!("failed to get {resource} usage")
        };
        // The Metrics API: absent, unavailable, or the pods' usage.
        let store = if metrics::available(self.api) {
            metrics::store(self.api, self.machines)
        } else {
            None
        };
        let Some(store) = store else {
            let why = if resolve("apiservices")
                .and_then(|r| self.api.get(r, None, metrics::APISERVICE).ok())
                .is_some()
            {
                "the server is currently unable to handle the request (get pods.metrics.k8s.io)"
            } else {
                "the server could not find the requested resource (get pods.metrics.k8s.io)"
            };
            return fail(format!(
                "{prefix}: unable to get metrics for resource {resource}: unable to fetch metrics from resource metrics API: {why}"
            ));
        };
        let pods = match self.pods() {
            Ok(p) => p,
            Err(e) => return fail(format!("{prefix}: {e}")),
        };
        let keys: Vec<(String, String)> = pods
            .iter()
            .map(|p| (self.namespace.to_string(), object::name(p).to_string()))
            .collect();
        // Boxed: the map shares `BTreeMap`'s code with the other boxed
        // maps (`maps::BoxedMap`, issue 11: the bundle's size).
        let mut usage: BoxedMap<(i64, Time, Duration)> =
            crate::sort::map(metrics::pods(store, &keys).into_iter().map(|m| {
                let v = if resource == "memory" {
                    m.memory() as i64 * 1000
                } else {
                    m.cpu_nano().div_ceil(1_000_000) as i64
                };
                (m.name.clone(), Box::new((v, m.timestamp, m.window)))
            }));
        if usage.is_empty() {
            return fail(format!(
                "{prefix}: unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
            ));
        }
        // `groupPods`.
        let (mut ready_count, mut unready, mut missing, mut ignored) =
            (0i64, Vec::new(), Vec::new(), Vec::new());
        for p in &pods {
            let name = object::name(p).to_string();
            let phase = object::str_at(p, "status.phase").unwrap_or("");
            if object::at(p, "metadata.deletionTimestamp").is_some()
                || phase == "Failed"
                || phase == "Pending"
            {
                ignored.push(name);
                continue;
            }
            let Some((_, ts, window)) = usage.get(&name).map(|u| **u) else {
                missing.push(name);
                continue;
            };
            if resource == "cpu" {
                let cond = ready_condition(p);
                let is_ready = cond.is_some_and(|c| object::str_at(c, "status") == Some("True"));
                let transition = cond.and_then(|c| pod_time(c, "lastTransitionTime"));
                let start = pod_time(p, "status.startTime");
                let unready_pod = match (cond, start) {
                    (None, _) | (_, None) => true,
                    (Some(_), Some(start)) => {
                        if start + CPU_INITIALIZATION_PERIOD > self.now {
                            !is_ready || transition.is_none_or(|t| ts < t + window)
                        } else {
                            !is_ready
                                && transition.is_some_and(|t| t < start + INITIAL_READINESS_DELAY)
                        }
                    }
                };
                if unready_pod {
                    unready.push(name);
                    continue;
                }
            }
            ready_count += 1;
        }
        for n in ignored.iter().chain(&unready) {
            usage.remove(n);
        }
        if usage.is_empty() {
            return fail(format!(
                "{prefix}: did not receive metrics for targeted pods (pods might be unready)"
            ));
        }
        // Requests (`calculatePodRequests`).
        let mut requests: BTreeMap<String, i64> = BTreeMap::new();
        for p in &pods {
            let name = object::name(p).to_string();
            let mut total = 0;
            for c in object::at(p, "spec.containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match object::str_at(c, &format!("resources.requests.{resource}"))
                    .and_then(milli_of)
                {
                    Some(v) => total += v,
                    None if utilization.is_some() => {
                        return fail(format!(
                        "{prefix}: missing request for {resource} in container {} of Pod {name}",
                        object::str_at(c, "name").unwrap_or("")
                    ))
                    }
                    None => {}
                }
            }
            requests.insert(name, total);
        }
        let ratio_of = |usage: &BoxedMap<(i64, Time, Duration)>| -> Option<(f64, i64, i64)> {
            let total: i64 = usage.values().map(|u| u.0).sum();
            let avg = total / usage.len().max(1) as i64;
            match (utilization, average) {
                (Some(target), _) => {
                    let req: i64 = usage.keys().filter_map(|n| requests.get(n)).sum();
                    if req == 0 {
                        return None;
                    }
                    let util = total * 100 / req;
                    Some((util as f64 / target as f64, util, avg))
                }
                (None, Some(target)) if target > 0 => Some((avg as f64 / target as f64, 0, avg)),
                _ => None,
            }
        };
        let Some((ratio, util, raw)) = ratio_of(&usage) else {
            return fail(format!("{prefix}: no metrics returned matched known pods"));
        };
        let name = if utilization.is_some() {
            format!("{resource} resource utilization (percentage of request)")
        } else {
            format!("{resource} resource")
        };
        let mut current_status = json!({"averageValue": milli_quantity(raw)});
        if utilization.is_some() {
            current_status =
                json!({"averageUtilization": util, "averageValue": milli_quantity(raw)});
        }
        let status =
            json!({"type": "Resource", "resource": {"name": resource, "current": current_status}});
        let ok = |replicas: i64| MetricOutcome::Ok {
            replicas,
            name: name.clone(),
            status: status.clone(),
        };
        let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
        if !scale_up_with_unready && missing.is_empty() {
            if (1.0 - ratio).abs() <= TOLERANCE {
                return ok(current);
            }
            return ok((ratio * ready_count as f64).ceil() as i64);
        }
        for n in &missing {
            let fill = if ratio < 1.0 {
                match utilization {
                    Some(t) => requests.get(n).copied().unwrap_or(0) * t.max(100) / 100,
                    None => average.unwrap_or(0),
                }
            } else {
                0
            };
            usage.insert(
                n.clone(),
                Box::new((fill, self.now, Duration::from_secs(0))),
            );
        }
        if scale_up_with_unready {
            for n in &unready {
                usage.insert(n.clone(), Box::new((0, self.now, Duration::from_secs(0))));
            }
        }
        let Some((new_ratio, _, _)) = ratio_of(&usage) else {
            return ok(current);
        };
        if (1.0 - new_ratio).abs() <= TOLERANCE
            || (ratio < 1.0 && new_ratio > 1.0)
            || (ratio > 1.0 && new_ratio < 1.0)
        {
            return ok(current);
        }
        let n = (new_ratio * usage.len() as f64).ceil() as i64;
        if (new_ratio < 1.0 && n > current) || (new_ratio > 1.0 && n < current) {
            return ok(current);
        }
        ok(n)
    }
}
