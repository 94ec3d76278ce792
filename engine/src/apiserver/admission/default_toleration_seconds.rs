//! `DefaultTolerationSeconds`: a Pod that does not tolerate the not-ready
//! and unreachable taints gets `NoExecute` tolerations for 300 seconds.

use serde_json::{json, Value};

pub fn admit(pod: &mut Value) -> Vec<String> {
    let Some(spec) = pod.get_mut("spec").filter(|s| s.is_object()) else {
        return vec![];
    };
    let tolerations = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let tolerates = |key: &str| {
        tolerations.iter().any(|t| {
            let k = t.get("key").and_then(Value::as_str).unwrap_or_default();
            let op = t.get("operator").and_then(Value::as_str).unwrap_or("Equal");
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or_default();
            (k == key || (k.is_empty() && op == "Exists"))
                && (effect.is_empty() || effect == "NoExecute")
        })
    };
    let mut added = tolerations.clone();
    let mut changes = Vec::new();
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        if !tolerates(key) {
            added.push(json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}));
            changes.push(format!("toleration {key}:NoExecute for 300s"));
        }
    }
    if let Some(m) = spec.as_object_mut() {
        m.insert("tolerations".into(), Value::Array(added));
    }
    changes
}
