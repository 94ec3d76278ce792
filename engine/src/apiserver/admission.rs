//! What the default admission plugins and the registry add on create, after
//! defaulting: a Pod's service account and its token volume
//! (ServiceAccount plugin), the not-ready/unreachable tolerations
//! (DefaultTolerationSeconds), its priority (Priority); a Service's cluster
//! IP and node ports (the registry's allocators).
//!
//! Simplifications: the ServiceAccount plugin does not check that the
//! account exists (no service-account controller yet); allocation draws
//! from the apiserver's seeded rng and checks the stored Services.

use super::field::{BadValue, FieldError};
use crate::rng::Rng;
use serde_json::{json, Value};

/// `DefaultTolerationSeconds`, `ServiceAccount` and `Priority` on a new Pod.
/// `priority_of` looks a PriorityClass up; `Err` is the Forbidden message.
pub fn pod(
    obj: &mut Value,
    rng: &mut Rng,
    priority_of: impl Fn(&str) -> Option<(i64, String)>,
) -> Result<(), String> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(spec) = obj.get_mut("spec").filter(|s| s.is_object()) else {
        return Ok(());
    };
    // Priority.
    let class = spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if class.is_empty() {
        super::defaulting::default(spec, "priority", json!(0));
    } else {
        let found = match class.as_str() {
            "system-node-critical" => Some((2_000_001_000, "PreemptLowerPriority".to_string())),
            "system-cluster-critical" => Some((2_000_000_000, "PreemptLowerPriority".to_string())),
            other => priority_of(other),
        };
        let Some((value, policy)) = found else {
            return Err(format!(
                "pods \"{name}\" is forbidden: no PriorityClass with name {class} was found"
            ));
        };
        super::defaulting::default(spec, "priority", json!(value));
        super::defaulting::default(spec, "preemptionPolicy", json!(policy));
    }
    super::defaulting::default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));

    // DefaultTolerationSeconds.
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
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        if !tolerates(key) {
            added.push(json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}));
        }
    }
    if let Some(m) = spec.as_object_mut() {
        m.insert("tolerations".into(), Value::Array(added));
    }

    // ServiceAccount.
    let sa = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .or_else(|| spec.get("serviceAccount").and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    if let Some(m) = spec.as_object_mut() {
        m.insert("serviceAccountName".into(), json!(sa));
        m.insert("serviceAccount".into(), json!(sa));
    }
    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false);
    const MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
    let mounted = ["containers", "initContainers"].iter().any(|k| {
        spec.get(*k).and_then(Value::as_array).is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("volumeMounts")
                    .and_then(Value::as_array)
                    .is_some_and(|ms| {
                        ms.iter()
                            .any(|m| m.get("mountPath").and_then(Value::as_str) == Some(MOUNT))
                    })
            })
        })
    });
    if automount && !mounted {
        let vol = format!("kube-api-access-{}", rng.k8s_suffix(5));
        super::defaulting::default(spec, "volumes", json!([]));
        if let Some(vs) = spec.get_mut("volumes").and_then(Value::as_array_mut) {
            vs.push(json!({"name": vol, "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]}}));
        }
        for key in ["containers", "initContainers"] {
            for c in super::defaulting::items_mut(spec, key) {
                super::defaulting::default(c, "volumeMounts", json!([]));
                if let Some(ms) = c.get_mut("volumeMounts").and_then(Value::as_array_mut) {
                    ms.push(json!({"mountPath": MOUNT, "name": vol, "readOnly": true}));
                }
            }
        }
    }
    Ok(())
}

/// The registry's allocations for a new Service: a cluster IP from
/// 10.96.0.0/12 (10.96.0.1 is the `kubernetes` Service's), node ports from
/// 30000-32767, and the single-stack IPv4 families.
pub fn service(obj: &mut Value, rng: &mut Rng, existing: &[Value]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = obj.get_mut("spec").filter(|s| s.is_object()) else {
        return errs;
    };
    let ty = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    if ty == "ExternalName" {
        return errs;
    }
    let used_ips: Vec<&str> = existing
        .iter()
        .filter_map(|s| s.pointer("/spec/clusterIP").and_then(Value::as_str))
        .collect();
    let used_ports: Vec<i64> = existing
        .iter()
        .flat_map(|s| {
            s.pointer("/spec/ports")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .collect();
    let requested = spec
        .get("clusterIP")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let ip = if requested == "None" {
        "None".to_string()
    } else if !requested.is_empty() {
        match parse_ip(&requested) {
            Some(n) if in_range(n) => {
                if used_ips.contains(&requested.as_str()) {
                    errs.push(FieldError::invalid(
                        "spec.clusterIPs",
                        BadValue::GoSyntax(super::field::go_string_slice(std::slice::from_ref(&requested))),
                        &format!("failed to allocate IP {requested}: provided IP is already allocated"),
                    ));
                }
            }
            _ => errs.push(FieldError::invalid(
                "spec.clusterIPs",
                BadValue::GoSyntax(super::field::go_string_slice(std::slice::from_ref(&requested))),
                &format!("failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
            )),
        }
        requested
    } else {
        let base: u32 = 0x0A60_0000; // 10.96.0.0
        let mut pick = String::new();
        for _ in 0..64 {
            let off = 2 + (rng.next_u64() % ((1 << 20) - 3)) as u32;
            let candidate = fmt_ip(base + off);
            if !used_ips.contains(&candidate.as_str()) {
                pick = candidate;
                break;
            }
        }
        pick
    };
    if let Some(m) = spec.as_object_mut() {
        m.insert("clusterIP".into(), json!(ip));
        m.insert("clusterIPs".into(), json!([ip]));
        m.entry("ipFamilies").or_insert(json!(["IPv4"]));
        m.entry("ipFamilyPolicy").or_insert(json!("SingleStack"));
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        let mut taken = used_ports.clone();
        for (i, p) in super::defaulting::items_mut(spec, "ports").enumerate() {
            match p
                .get("nodePort")
                .and_then(Value::as_i64)
                .filter(|n| *n != 0)
            {
                Some(n) => {
                    let path = format!("spec.ports[{i}].nodePort");
                    if !(30000..=32767).contains(&n) {
                        errs.push(FieldError::invalid(
                            &path,
                            BadValue::Plain(n.to_string()),
                            "provided port is not in the valid range. The range of valid ports is 30000-32767",
                        ));
                    } else if taken.contains(&n) {
                        errs.push(FieldError::invalid(
                            &path,
                            BadValue::Plain(n.to_string()),
                            "provided port is already allocated",
                        ));
                    }
                    taken.push(n);
                }
                None => {
                    let mut n = 30000 + (rng.next_u64() % 2768) as i64;
                    for _ in 0..2768 {
                        if !taken.contains(&n) {
                            break;
                        }
                        n = if n >= 32767 { 30000 } else { n + 1 };
                    }
                    taken.push(n);
                    if let Some(m) = p.as_object_mut() {
                        m.insert("nodePort".into(), json!(n));
                    }
                }
            }
        }
    }
    errs
}

fn parse_ip(s: &str) -> Option<u32> {
    let parts: Vec<u32> = s
        .split('.')
        .map(|p| p.parse::<u32>().ok().filter(|n| *n < 256))
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [a, b, c, d] => Some((a << 24) | (b << 16) | (c << 8) | d),
        _ => None,
    }
}

fn in_range(n: u32) -> bool {
    (0x0A60_0000..0x0A70_0000).contains(&n) && n != 0x0A60_0000 && n != 0x0A6F_FFFF
}

fn fmt_ip(n: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        n >> 24,
        (n >> 16) & 255,
        (n >> 8) & 255,
        n & 255
    )
}
