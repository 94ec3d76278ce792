//! Conversion from the older versions still served (`api::ALSO_SERVED`) to
//! the version the resource table lists, done before decoding so that the
//! rest of the request path sees one shape. Today: `autoscaling/v1`
//! HorizontalPodAutoscalers (`targetCPUUtilizationPercentage`), which the
//! v1.33 apiserver stores as `autoscaling/v2` (`metrics`).

use serde_json::{json, Value};

/// Rewrites `obj` in place when its `apiVersion` is an older served one.
pub fn to_served_version(obj: &mut Value) {
    let api_version = obj.get("apiVersion").and_then(Value::as_str);
    let kind = obj.get("kind").and_then(Value::as_str);
    if (api_version, kind) == (Some("autoscaling/v1"), Some("HorizontalPodAutoscaler")) {
        hpa_v1_to_v2(obj);
    }
}

/// `Convert_v1_HorizontalPodAutoscaler_To_autoscaling_…`: the CPU target
/// becomes a Resource metric; a v1 status does not carry over (the stored
/// one stays, as with any body without a v2 status).
fn hpa_v1_to_v2(obj: &mut Value) {
    if let Some(m) = obj.as_object_mut() {
        m.insert("apiVersion".into(), json!("autoscaling/v2"));
        m.remove("status");
    }
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(target) = spec.remove("targetCPUUtilizationPercentage") {
        if !target.is_null() {
            spec.insert(
                "metrics".into(),
                json!([{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": target}}}]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ApiServer;
    use crate::api::for_kind;
    use crate::clock::Time;
    use serde_json::json;

    /// An `autoscaling/v1` manifest (as in the HPA walkthrough) is accepted
    /// and stored as v2; a misspelled v1 field is still refused.
    #[test]
    fn autoscaling_v1_is_stored_as_v2() {
        let mut api = ApiServer::new(2);
        let Some(ns) = crate::api::resolve("namespaces") else {
            return;
        };
        api.create(
            ns,
            None,
            json!({"metadata": {"name": "default"}}),
            Time::EPOCH,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let Some(res) = for_kind("autoscaling/v1", "HorizontalPodAutoscaler") else {
            panic!("autoscaling/v1 is served");
        };
        assert_eq!(res.api_version(), "autoscaling/v2");
        let hpa = |field: &str| {
            json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": "php-apache"},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                    "minReplicas": 1, "maxReplicas": 10, field: 50}})
        };
        let stored = api
            .create(
                res,
                Some("default"),
                hpa("targetCPUUtilizationPercentage"),
                Time::EPOCH,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        expect_test::expect![[r#"
            apiVersion: autoscaling/v2
            spec:
              maxReplicas: 10
              metrics:
              - resource:
                  name: cpu
                  target:
                    averageUtilization: 50
                    type: Utilization
                type: Resource
              minReplicas: 1
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: php-apache
        "#]]
        .assert_eq(&crate::yaml::to_string(
            &json!({"apiVersion": stored["apiVersion"], "spec": stored["spec"]}),
        ));
        let bad = api
            .create(
                res,
                Some("default"),
                hpa("targetCPUUtilization"),
                Time::EPOCH,
            )
            .err()
            .map(|e| e.kubectl_text())
            .unwrap_or_default();
        assert!(
            bad.contains(r#"strict decoding error: unknown field "spec.targetCPUUtilization""#),
            "{bad}"
        );
    }
}
