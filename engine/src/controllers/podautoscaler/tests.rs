use super::replicas::milli_quantity;
use super::*;

fn reason(conds: &[Value], type_: &str) -> String {
    conds
        .iter()
        .find(|c| object::str_at(c, "type") == Some(type_))
        .and_then(|c| object::str_at(c, "reason"))
        .unwrap_or("")
        .to_string()
}

#[test]
fn scale_down_waits_for_the_stabilization_window() {
    let mut hc = HorizontalController::new();
    let mut conds = Vec::new();
    let t0 = Time(1_000_000);
    // Load: the metric asks for 6 (out of 2): the scale-up limit is max(2×2, 4).
    assert_eq!(hc.normalize("u", &mut conds, 2, 6, 1, 10, t0), 4);
    assert_eq!(reason(&conds, "ScalingLimited"), "ScaleUpLimit");
    // Load gone: 1 is asked for, but 6 was recommended within 5 minutes.
    let t1 = t0 + Duration::from_secs(60);
    assert_eq!(hc.normalize("u", &mut conds, 4, 1, 1, 10, t1), 6);
    assert_eq!(reason(&conds, "AbleToScale"), "ScaleDownStabilized");
    // After the window only the recent (low) recommendations count.
    let t2 = t0 + Duration::from_secs(301);
    assert_eq!(hc.normalize("u", &mut conds, 4, 1, 1, 10, t2), 1);
    assert_eq!(reason(&conds, "AbleToScale"), "ReadyForNewScale");
    assert_eq!(reason(&conds, "ScalingLimited"), "DesiredWithinRange");
    // Min and max bound the result.
    assert_eq!(hc.normalize("v", &mut conds, 1, 0, 2, 10, t2), 2);
    assert_eq!(reason(&conds, "ScalingLimited"), "TooFewReplicas");
    assert_eq!(hc.normalize("w", &mut conds, 8, 12, 1, 10, t2), 10);
    assert_eq!(reason(&conds, "ScalingLimited"), "TooManyReplicas");
}

#[test]
fn behavior_policies_limit_the_rate() {
    let mut hc = HorizontalController::new();
    let mut conds = Vec::new();
    let behavior = serde_json::json!({
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
            "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]},
        "scaleDown": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
            "policies": [{"type": "Percent", "value": 50, "periodSeconds": 60}]},
    });
    let t = Time(1_000_000);
    assert_eq!(
        hc.normalize_with_behavior("u", &mut conds, &behavior, 2, 9, 1, 10, t),
        3
    );
    assert_eq!(reason(&conds, "ScalingLimited"), "ScaleUpLimit");
    assert_eq!(
        hc.normalize_with_behavior("u", &mut conds, &behavior, 8, 1, 1, 10, t),
        4
    );
    assert_eq!(reason(&conds, "ScalingLimited"), "ScaleDownLimit");
}

#[test]
fn status_values_print_as_decimal_quantities() {
    assert_eq!(milli_quantity(250), "250m");
    assert_eq!(milli_quantity(1000), "1");
    assert_eq!(milli_quantity(1500), "1500m");
    assert_eq!(milli_quantity(5_242_880_000), "5242880");
    assert_eq!(milli_quantity(2_000_000), "2k");
    assert_eq!(milli_quantity(0), "0");
}
