//! Conversion between the versions a kind is served in (`api::OLDER_VERSIONS`)
//! and the version it is stored as. Today: `autoscaling/v1`
//! HorizontalPodAutoscalers (`targetCPUUtilizationPercentage`), which the
//! v1.33 apiserver stores as `autoscaling/v2` (`metrics`). As upstream
//! (`pkg/apis/autoscaling/v1/conversion.go`), what v1 cannot say travels in
//! `autoscaling.alpha.kubernetes.io/…` annotations, so that a v1 client's
//! read-modify-write loses nothing.

use crate::api::{object, Resource};
use serde_json::{json, Map, Value};

/// Non-CPU-utilization metric specs (`autoscaling.MetricSpecsAnnotation`).
const METRICS: &str = "autoscaling.alpha.kubernetes.io/metrics";
/// Every current metric (`MetricStatusesAnnotation`).
const CURRENT_METRICS: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
/// The status conditions (`HorizontalPodAutoscalerConditionsAnnotation`).
const CONDITIONS: &str = "autoscaling.alpha.kubernetes.io/conditions";
/// `spec.behavior` (`BehaviorSpecsAnnotation`).
const BEHAVIOR: &str = "autoscaling.alpha.kubernetes.io/behavior";
const ROUND_TRIP: [&str; 4] = [METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR];
/// `autoscaling.DefaultCPUUtilization`.
const DEFAULT_CPU_UTILIZATION: i64 = 80;

/// Rewrites `obj` in place when its `apiVersion` is an older served one.
pub fn to_served_version(obj: &mut Value) {
    let api_version = obj.get("apiVersion").and_then(Value::as_str);
    let kind = obj.get("kind").and_then(Value::as_str);
    if (api_version, kind) == (Some("autoscaling/v1"), Some("HorizontalPodAutoscaler")) {
        hpa_v1_to_v2(obj);
    }
}

/// A stored object as `res`'s version shows it (the answer to a request
/// made in an older version).
pub fn to_version(res: &Resource, obj: Value) -> Value {
    if (res.group, res.version, res.kind) == ("autoscaling", "v1", "HorizontalPodAutoscaler") {
        hpa_v2_to_v1(&obj)
    } else {
        obj
    }
}

fn present<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !x.is_null())
}

fn annotations_mut(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    obj.get_mut("metadata")?
        .get_mut("annotations")?
        .as_object_mut()
}

/// `DropRoundTripHorizontalPodAutoscalerAnnotations`; an emptied map goes.
fn drop_round_trip(obj: &mut Value) {
    let Some(a) = annotations_mut(obj) else {
        return;
    };
    for k in ROUND_TRIP {
        a.remove(k);
    }
    if a.is_empty() {
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("annotations");
        }
    }
}

/// Sets an annotation (keys have dots, so not through `object::set`).
fn annotate(obj: &mut Value, key: &str, value: &Value) {
    if obj
        .pointer("/metadata/annotations")
        .is_none_or(|a| !a.is_object())
    {
        object::set(obj, "metadata.annotations", json!({}));
    }
    if let Some(a) = annotations_mut(obj) {
        // Go's json.Marshal escapes HTML's special characters.
        let text = value
            .to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        a.insert(key.into(), Value::String(text));
    }
}

fn annotation(obj: &Value, key: &str) -> Option<Value> {
    let text = obj
        .get("metadata")?
        .get("annotations")?
        .get(key)?
        .as_str()?;
    serde_json::from_str(text).ok()
}

fn is_cpu(m: &Value) -> bool {
    m.get("type").and_then(Value::as_str) == Some("Resource")
        && m.pointer("/resource/name").and_then(Value::as_str) == Some("cpu")
}

/// A v1 `CrossVersionObjectReference`: kind, name, apiVersion.
fn reference(r: Option<&Value>) -> Value {
    let r = r.unwrap_or(&Value::Null);
    let mut out = Map::new();
    out.insert("kind".into(), r.get("kind").cloned().unwrap_or(json!("")));
    out.insert("name".into(), r.get("name").cloned().unwrap_or(json!("")));
    if let Some(v) = present(r, "apiVersion") {
        out.insert("apiVersion".into(), v.clone());
    }
    Value::Object(out)
}

/// Inserts `key` from `src[from]` when it is set (`omitempty`).
fn put(out: &mut Map<String, Value>, key: &str, src: Option<&Value>, from: &str) {
    if let Some(v) = src.and_then(|s| present(s, from)) {
        out.insert(key.into(), v.clone());
    }
}

/// A quantity that is not a pointer in v1: zero marshals as `"0"`.
fn quantity(src: Option<&Value>, from: &str) -> Value {
    src.and_then(|s| present(s, from))
        .cloned()
        .unwrap_or(json!("0"))
}

/// `Convert_autoscaling_MetricSpec_To_v1_MetricSpec`, fields in v1's order.
fn metric_spec_to_v1(m: &Value) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), m.get("type").cloned().unwrap_or(json!("")));
    if let Some(o) = present(m, "object") {
        let target = o.get("target");
        let mut v = Map::new();
        v.insert("target".into(), reference(o.get("describedObject")));
        v.insert(
            "metricName".into(),
            o.pointer("/metric/name").cloned().unwrap_or(json!("")),
        );
        v.insert("targetValue".into(), quantity(target, "value"));
        put(&mut v, "selector", o.get("metric"), "selector");
        put(&mut v, "averageValue", target, "averageValue");
        out.insert("object".into(), Value::Object(v));
    }
    if let Some(p) = present(m, "pods") {
        let mut v = Map::new();
        v.insert(
            "metricName".into(),
            p.pointer("/metric/name").cloned().unwrap_or(json!("")),
        );
        v.insert(
            "targetAverageValue".into(),
            quantity(p.get("target"), "averageValue"),
        );
        put(&mut v, "selector", p.get("metric"), "selector");
        out.insert("pods".into(), Value::Object(v));
    }
    for (key, container) in [("resource", false), ("containerResource", true)] {
        if let Some(r) = present(m, key) {
            let target = r.get("target");
            let mut v = Map::new();
            v.insert("name".into(), r.get("name").cloned().unwrap_or(json!("")));
            put(
                &mut v,
                "targetAverageUtilization",
                target,
                "averageUtilization",
            );
            put(&mut v, "targetAverageValue", target, "averageValue");
            if container {
                v.insert(
                    "container".into(),
                    r.get("container").cloned().unwrap_or(json!("")),
                );
            }
            out.insert(key.into(), Value::Object(v));
        }
    }
    if let Some(e) = present(m, "external") {
        let target = e.get("target");
        let mut v = Map::new();
        v.insert(
            "metricName".into(),
            e.pointer("/metric/name").cloned().unwrap_or(json!("")),
        );
        put(&mut v, "metricSelector", e.get("metric"), "selector");
        put(&mut v, "targetValue", target, "value");
        put(&mut v, "targetAverageValue", target, "averageValue");
        out.insert("external".into(), Value::Object(v));
    }
    Value::Object(out)
}

/// `Convert_v1_MetricSpec_To_autoscaling_MetricSpec`.
fn metric_spec_from_v1(m: &Value) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), m.get("type").cloned().unwrap_or(json!("")));
    let metric = |src: &Value, selector: &str| {
        let mut id = Map::new();
        id.insert(
            "name".into(),
            src.get("metricName").cloned().unwrap_or(json!("")),
        );
        put(&mut id, "selector", Some(src), selector);
        Value::Object(id)
    };
    if let Some(o) = present(m, "object") {
        let mut target = Map::new();
        let ty = if present(o, "averageValue").is_some() {
            "AverageValue"
        } else {
            "Value"
        };
        target.insert("type".into(), json!(ty));
        target.insert("value".into(), quantity(Some(o), "targetValue"));
        put(&mut target, "averageValue", Some(o), "averageValue");
        out.insert(
            "object".into(),
            json!({"describedObject": reference(o.get("target")), "metric": metric(o, "selector"),
                "target": Value::Object(target)}),
        );
    }
    if let Some(p) = present(m, "pods") {
        out.insert(
            "pods".into(),
            json!({"metric": metric(p, "selector"),
                "target": {"type": "AverageValue", "averageValue": quantity(Some(p), "targetAverageValue")}}),
        );
    }
    for (key, container) in [("resource", false), ("containerResource", true)] {
        if let Some(r) = present(m, key) {
            let mut target = Map::new();
            let ty = if present(r, "targetAverageUtilization").is_some() {
                "Utilization"
            } else {
                "AverageValue"
            };
            target.insert("type".into(), json!(ty));
            put(
                &mut target,
                "averageUtilization",
                Some(r),
                "targetAverageUtilization",
            );
            put(&mut target, "averageValue", Some(r), "targetAverageValue");
            let mut v = Map::new();
            v.insert("name".into(), r.get("name").cloned().unwrap_or(json!("")));
            if container {
                v.insert(
                    "container".into(),
                    r.get("container").cloned().unwrap_or(json!("")),
                );
            }
            v.insert("target".into(), Value::Object(target));
            out.insert(key.into(), Value::Object(v));
        }
    }
    if let Some(e) = present(m, "external") {
        let mut target = Map::new();
        let ty = if present(e, "targetValue").is_some() {
            "Value"
        } else {
            "AverageValue"
        };
        target.insert("type".into(), json!(ty));
        put(&mut target, "value", Some(e), "targetValue");
        put(&mut target, "averageValue", Some(e), "targetAverageValue");
        out.insert(
            "external".into(),
            json!({"metric": metric(e, "metricSelector"), "target": Value::Object(target)}),
        );
    }
    Value::Object(out)
}

/// `Convert_autoscaling_MetricStatus_To_v1_MetricStatus`.
fn metric_status_to_v1(m: &Value) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), m.get("type").cloned().unwrap_or(json!("")));
    if let Some(o) = present(m, "object") {
        let current = o.get("current");
        let mut v = Map::new();
        v.insert("target".into(), reference(o.get("describedObject")));
        v.insert(
            "metricName".into(),
            o.pointer("/metric/name").cloned().unwrap_or(json!("")),
        );
        v.insert("currentValue".into(), quantity(current, "value"));
        put(&mut v, "selector", o.get("metric"), "selector");
        put(&mut v, "averageValue", current, "averageValue");
        out.insert("object".into(), Value::Object(v));
    }
    if let Some(p) = present(m, "pods") {
        let mut v = Map::new();
        v.insert(
            "metricName".into(),
            p.pointer("/metric/name").cloned().unwrap_or(json!("")),
        );
        v.insert(
            "currentAverageValue".into(),
            quantity(p.get("current"), "averageValue"),
        );
        put(&mut v, "selector", p.get("metric"), "selector");
        out.insert("pods".into(), Value::Object(v));
    }
    for (key, container) in [("resource", false), ("containerResource", true)] {
        if let Some(r) = present(m, key) {
            let current = r.get("current");
            let mut v = Map::new();
            v.insert("name".into(), r.get("name").cloned().unwrap_or(json!("")));
            put(
                &mut v,
                "currentAverageUtilization",
                current,
                "averageUtilization",
            );
            v.insert(
                "currentAverageValue".into(),
                quantity(current, "averageValue"),
            );
            if container {
                v.insert(
                    "container".into(),
                    r.get("container").cloned().unwrap_or(json!("")),
                );
            }
            out.insert(key.into(), Value::Object(v));
        }
    }
    if let Some(e) = present(m, "external") {
        let current = e.get("current");
        let mut v = Map::new();
        v.insert(
            "metricName".into(),
            e.pointer("/metric/name").cloned().unwrap_or(json!("")),
        );
        put(&mut v, "metricSelector", e.get("metric"), "selector");
        v.insert("currentValue".into(), quantity(current, "value"));
        put(&mut v, "currentAverageValue", current, "averageValue");
        out.insert("external".into(), Value::Object(v));
    }
    Value::Object(out)
}

/// A v1 condition: type, status, lastTransitionTime, reason, message.
fn condition_to_v1(c: &Value) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), c.get("type").cloned().unwrap_or(json!("")));
    out.insert(
        "status".into(),
        c.get("status").cloned().unwrap_or(json!("")),
    );
    out.insert(
        "lastTransitionTime".into(),
        c.get("lastTransitionTime").cloned().unwrap_or(Value::Null),
    );
    for k in ["reason", "message"] {
        if let Some(v) = c
            .get(k)
            .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
        {
            out.insert(k.into(), v.clone());
        }
    }
    Value::Object(out)
}

/// The behavior as upstream writes it: `json.Marshal` of the *internal*
/// type, which has no json tags, so Go's field names and `null` for unset
/// pointers (the upstream code carries a TODO about it).
fn behavior_to_internal_json(b: &Value) -> Value {
    let rules = |r: Option<&Value>| match r.filter(|r| !r.is_null()) {
        None => Value::Null,
        Some(r) => {
            let policies = match present(r, "policies").and_then(Value::as_array) {
                Some(ps) => Value::Array(
                    ps.iter()
                        .map(|p| {
                            json!({"Type": p.get("type").cloned().unwrap_or(json!("")),
                                "Value": p.get("value").cloned().unwrap_or(json!(0)),
                                "PeriodSeconds": p.get("periodSeconds").cloned().unwrap_or(json!(0))})
                        })
                        .collect(),
                ),
                None => Value::Null,
            };
            json!({"StabilizationWindowSeconds": r.get("stabilizationWindowSeconds").cloned().unwrap_or(Value::Null),
                "SelectPolicy": r.get("selectPolicy").cloned().unwrap_or(Value::Null),
                "Policies": policies,
                "Tolerance": r.get("tolerance").cloned().unwrap_or(Value::Null)})
        }
    };
    json!({"ScaleUp": rules(b.get("scaleUp")), "ScaleDown": rules(b.get("scaleDown"))})
}

/// The inverse, read as `encoding/json` reads: keys matched without case.
fn behavior_from_internal_json(b: &Value) -> Option<Value> {
    let field = |v: &Value, name: &str| -> Option<Value> {
        v.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_null())
    };
    let rules = |r: Option<Value>| -> Option<Value> {
        let r = r?;
        let mut out = Map::new();
        for (go, api) in [
            ("StabilizationWindowSeconds", "stabilizationWindowSeconds"),
            ("SelectPolicy", "selectPolicy"),
            ("Tolerance", "tolerance"),
        ] {
            if let Some(v) = field(&r, go) {
                out.insert(api.into(), v);
            }
        }
        if let Some(Value::Array(ps)) = field(&r, "Policies") {
            let ps = ps
                .iter()
                .map(|p| {
                    json!({"type": field(p, "Type").unwrap_or(json!("")),
                        "value": field(p, "Value").unwrap_or(json!(0)),
                        "periodSeconds": field(p, "PeriodSeconds").unwrap_or(json!(0))})
                })
                .collect();
            out.insert("policies".into(), Value::Array(ps));
        }
        Some(Value::Object(out))
    };
    let mut out = Map::new();
    if let Some(r) = rules(field(b, "ScaleUp")) {
        out.insert("scaleUp".into(), r);
    }
    if let Some(r) = rules(field(b, "ScaleDown")) {
        out.insert("scaleDown".into(), r);
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// `Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler`
/// from the stored v2 object.
fn hpa_v2_to_v1(v2: &Value) -> Value {
    let mut out = v2.clone();
    object::set(&mut out, "apiVersion", json!("autoscaling/v1"));
    drop_round_trip(&mut out);
    let spec = v2.get("spec").cloned().unwrap_or(json!({}));
    let status = v2.get("status").cloned().unwrap_or(json!({}));
    let metrics = spec
        .get("metrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();

    let mut s = Map::new();
    s.insert(
        "scaleTargetRef".into(),
        reference(spec.get("scaleTargetRef")),
    );
    put(&mut s, "minReplicas", Some(&spec), "minReplicas");
    s.insert(
        "maxReplicas".into(),
        spec.get("maxReplicas").cloned().unwrap_or(json!(0)),
    );
    // The first CPU resource metric decides, utilization or not.
    if let Some(u) = metrics
        .iter()
        .find(|m| is_cpu(m))
        .and_then(|m| m.pointer("/resource/target/averageUtilization"))
        .filter(|u| !u.is_null())
    {
        s.insert("targetCPUUtilizationPercentage".into(), u.clone());
    }
    object::set(&mut out, "spec", Value::Object(s));

    let current = status
        .get("currentMetrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut st = Map::new();
    put(
        &mut st,
        "observedGeneration",
        Some(&status),
        "observedGeneration",
    );
    put(&mut st, "lastScaleTime", Some(&status), "lastScaleTime");
    st.insert(
        "currentReplicas".into(),
        status.get("currentReplicas").cloned().unwrap_or(json!(0)),
    );
    st.insert(
        "desiredReplicas".into(),
        status.get("desiredReplicas").cloned().unwrap_or(json!(0)),
    );
    // The last CPU utilization reported wins (the upstream loop has no break).
    if let Some(u) = current
        .iter()
        .rev()
        .filter(|m| is_cpu(m))
        .filter_map(|m| m.pointer("/resource/current/averageUtilization"))
        .find(|u| !u.is_null())
    {
        st.insert("currentCPUUtilizationPercentage".into(), u.clone());
    }
    object::set(&mut out, "status", Value::Object(st));

    let others: Vec<Value> = metrics
        .iter()
        .filter(|m| {
            !(is_cpu(m)
                && m.pointer("/resource/target/averageUtilization")
                    .is_some_and(|u| !u.is_null()))
        })
        .map(metric_spec_to_v1)
        .collect();
    if !others.is_empty() {
        annotate(&mut out, METRICS, &Value::Array(others));
    }
    if !current.is_empty() {
        let v1: Vec<Value> = current.iter().map(metric_status_to_v1).collect();
        annotate(&mut out, CURRENT_METRICS, &Value::Array(v1));
    }
    if let Some(b) = present(&spec, "behavior") {
        annotate(&mut out, BEHAVIOR, &behavior_to_internal_json(b));
    }
    if let Some(conds) = status
        .get("conditions")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
    {
        let v1: Vec<Value> = conds.iter().map(condition_to_v1).collect();
        annotate(&mut out, CONDITIONS, &Value::Array(v1));
    }
    out
}

/// `Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler`:
/// the CPU target becomes a Resource metric, after the metrics the
/// annotation carries; no metric at all is the 80% CPU v1 always meant.
/// The status does not carry over (the stored one stays, as with any body
/// without a v2 status).
fn hpa_v1_to_v2(obj: &mut Value) {
    let others: Vec<Value> = match annotation(obj, METRICS) {
        Some(Value::Array(ms)) => ms.iter().map(metric_spec_from_v1).collect(),
        _ => Vec::new(),
    };
    let behavior = annotation(obj, BEHAVIOR).and_then(|b| behavior_from_internal_json(&b));
    drop_round_trip(obj);
    if let Some(m) = obj.as_object_mut() {
        m.insert("apiVersion".into(), json!("autoscaling/v2"));
        m.remove("status");
    }
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let mut metrics = others;
    if let Some(target) = spec.remove("targetCPUUtilizationPercentage") {
        if !target.is_null() {
            metrics.push(json!({"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": target}}}));
        }
    }
    if metrics.is_empty() {
        metrics.push(json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION}}}));
    }
    spec.insert("metrics".into(), Value::Array(metrics));
    if let Some(b) = behavior {
        spec.insert("behavior".into(), b);
    }
}

#[cfg(test)]
mod tests {
    use super::super::ApiServer;
    use crate::api::{for_kind, resolve};
    use crate::clock::Time;
    use serde_json::{json, Value};

    fn api() -> ApiServer {
        let mut api = ApiServer::new(2);
        if let Some(ns) = resolve("namespaces") {
            let _ = api.create(
                ns,
                None,
                json!({"metadata": {"name": "default"}}),
                Time::EPOCH,
            );
        }
        api
    }

    /// The object without the fields that vary by run.
    fn shown(mut v: Value) -> String {
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in ["uid", "creationTimestamp", "resourceVersion"] {
                m.remove(k);
            }
        }
        crate::yaml::to_string(&v)
    }

    /// An `autoscaling/v1` manifest (as in the HPA walkthrough) is stored as
    /// v2 and answered in v1: v1's defaults (one replica, 80% CPU when no
    /// target is given), the v1 status; a misspelled v1 field is refused
    /// naming "v1".
    #[test]
    fn autoscaling_v1_is_stored_as_v2_and_answered_as_v1() {
        let mut api = api();
        let Some(v1) = for_kind("autoscaling/v1", "HorizontalPodAutoscaler") else {
            panic!("autoscaling/v1 is served");
        };
        let Some(v2) = resolve("hpa") else {
            panic!("hpa resolves");
        };
        assert_eq!(v1.api_version(), "autoscaling/v1");
        assert_eq!(v2.api_version(), "autoscaling/v2");
        let hpa = |name: &str, spec: Value| {
            let mut s = json!({"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                "maxReplicas": 10});
            if let (Some(s), Some(extra)) = (s.as_object_mut(), spec.as_object()) {
                s.extend(extra.clone());
            }
            json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": name}, "spec": s})
        };
        let created = api
            .create(v1, Some("default"), hpa("bare", json!({})), Time::EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
        expect_test::expect![[r#"
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata:
              name: bare
              namespace: default
            spec:
              maxReplicas: 10
              minReplicas: 1
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: php-apache
              targetCPUUtilizationPercentage: 80
            status:
              currentReplicas: 0
              desiredReplicas: 0
        "#]]
        .assert_eq(&shown(created));
        let stored = api
            .get(v2, Some("default"), "bare")
            .unwrap_or_else(|e| panic!("{e}"));
        expect_test::expect![[r#"
            apiVersion: autoscaling/v2
            spec:
              maxReplicas: 10
              metrics:
              - resource:
                  name: cpu
                  target:
                    averageUtilization: 80
                    type: Utilization
                type: Resource
              minReplicas: 1
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: php-apache
            status:
              currentMetrics: null
              desiredReplicas: 0
        "#]]
        .assert_eq(&shown(json!({"apiVersion": stored["apiVersion"], "spec": stored["spec"], "status": stored["status"]})));
        let bad = api
            .create(
                v1,
                Some("default"),
                hpa("typo", json!({"targetCPUUtilization": 50})),
                Time::EPOCH,
            )
            .err()
            .map(|e| e.kubectl_text())
            .unwrap_or_default();
        expect_test::expect![[r#"Error from server (BadRequest): HorizontalPodAutoscaler in version "v1" cannot be handled as a HorizontalPodAutoscaler: strict decoding error: unknown field "spec.targetCPUUtilization""#]].assert_eq(&bad);
    }

    /// What v1 cannot say travels in annotations, as upstream's conversion
    /// writes them: other metrics, every current metric, the conditions
    /// and the behavior; a v1 body written back restores them.
    #[test]
    fn v2_only_fields_round_trip_through_annotations() {
        let mut api = api();
        let (Some(v1), Some(v2)) = (resolve("hpa.v1.autoscaling"), resolve("hpa")) else {
            panic!("both versions resolve");
        };
        let body = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "annotations": {"team": "a"}},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "minReplicas": 2, "maxReplicas": 5,
                "metrics": [
                    {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
                    {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}],
                "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}});
        let created = api
            .create(v2, Some("default"), body, Time::EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut with_status = created.clone();
        with_status["status"] = json!({"currentReplicas": 2, "desiredReplicas": 2,
            "currentMetrics": [
                {"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "52Mi"}}},
                {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 35, "averageValue": "70m"}}}],
            "conditions": [{"type": "AbleToScale", "status": "True", "lastTransitionTime": "2025-04-23T08:00:15Z",
                "reason": "ReadyForNewScale", "message": "recommended size matches current size"}]});
        api.update_status(v2, Some("default"), with_status)
            .unwrap_or_else(|e| panic!("{e}"));
        let as_v1 = api
            .get(v1, Some("default"), "web")
            .unwrap_or_else(|e| panic!("{e}"));
        expect_test::expect![[r#"
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata:
              annotations:
                autoscaling.alpha.kubernetes.io/behavior: '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}'
                autoscaling.alpha.kubernetes.io/conditions: '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2025-04-23T08:00:15Z","reason":"ReadyForNewScale","message":"recommended
                  size matches current size"}]'
                autoscaling.alpha.kubernetes.io/current-metrics: '[{"type":"Resource","resource":{"name":"memory","currentAverageValue":"52Mi"}},{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":35,"currentAverageValue":"70m"}}]'
                autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]'
                team: a
              name: web
              namespace: default
            spec:
              maxReplicas: 5
              minReplicas: 2
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: web
              targetCPUUtilizationPercentage: 60
            status:
              currentCPUUtilizationPercentage: 35
              currentReplicas: 2
              desiredReplicas: 2
        "#]]
        .assert_eq(&shown(as_v1.clone()));
        // A v1 client's read-modify-write (kubectl edit through v1).
        let mut edited = as_v1;
        edited["spec"]["maxReplicas"] = json!(8);
        api.update(v1, Some("default"), edited)
            .unwrap_or_else(|e| panic!("{e}"));
        let stored = api
            .get(v2, Some("default"), "web")
            .unwrap_or_else(|e| panic!("{e}"));
        expect_test::expect![[r#"
            metadata:
              annotations:
                team: a
              name: web
              namespace: default
            spec:
              behavior:
                scaleDown:
                  policies:
                  - periodSeconds: 15
                    type: Percent
                    value: 100
                  selectPolicy: Max
                  stabilizationWindowSeconds: 60
                scaleUp:
                  policies:
                  - periodSeconds: 15
                    type: Pods
                    value: 4
                  - periodSeconds: 15
                    type: Percent
                    value: 100
                  selectPolicy: Max
                  stabilizationWindowSeconds: 0
              maxReplicas: 8
              metrics:
              - resource:
                  name: memory
                  target:
                    averageValue: 100Mi
                    type: AverageValue
                type: Resource
              - resource:
                  name: cpu
                  target:
                    averageUtilization: 60
                    type: Utilization
                type: Resource
              minReplicas: 2
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: web
        "#]]
        .assert_eq(&shown(
            json!({"metadata": stored["metadata"], "spec": stored["spec"]}),
        ));
    }
}
