//! `Priority`: resolves a Pod's `priorityClassName` to `spec.priority` and
//! `spec.preemptionPolicy` (the two system classes are built in).

use serde_json::{json, Value};

/// `priority_of` looks a PriorityClass up; `Err` is the text after `is forbidden: `.
pub fn admit(
    pod: &mut Value,
    priority_of: impl Fn(&str) -> Option<(i64, String)>,
) -> Result<Vec<String>, String> {
    let Some(spec) = pod.get_mut("spec").filter(|s| s.is_object()) else {
        return Ok(vec![]);
    };
    let class = spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut changes = Vec::new();
    if class.is_empty() {
        if spec.get("priority").is_none() {
            changes.push("priority 0".to_string());
        }
        super::super::defaulting::default(spec, "priority", json!(0));
    } else {
        let found = match class.as_str() {
            "system-node-critical" => Some((2_000_001_000, "PreemptLowerPriority".to_string())),
            "system-cluster-critical" => Some((2_000_000_000, "PreemptLowerPriority".to_string())),
            other => priority_of(other),
        };
        let Some((value, policy)) = found else {
            return Err(format!("no PriorityClass with name {class} was found"));
        };
        changes.push(format!("priority {value} from PriorityClass {class}"));
        super::super::defaulting::default(spec, "priority", json!(value));
        super::super::defaulting::default(spec, "preemptionPolicy", json!(policy));
    }
    super::super::defaulting::default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
    Ok(changes)
}
