//! Cluster and configuration kinds: Node, Namespace, ConfigMap, Secret,
//! ServiceAccount, ResourceQuota, ComponentStatus, (Cluster)RoleBinding,
//! PodDisruptionBudget, PriorityClass, Lease.

use super::{arr, col, count, int, int_or_string, s, wide, Column, AGE, NAME};
use crate::api::object;
use crate::clock::Time;
use serde_json::Value;

fn node_status(o: &Value, _: Time) -> String {
    let mut status: Vec<String> = Vec::new();
    // The last Ready condition wins, as printNode keeps a map by type.
    if let Some(c) = arr(o, "status.conditions")
        .iter()
        .rev()
        .find(|c| s(c, "type") == "Ready")
    {
        status.push(if s(c, "status") == "True" {
            "Ready".into()
        } else {
            "NotReady".into()
        });
    }
    if status.is_empty() {
        status.push("Unknown".into());
    }
    if object::at(o, "spec.unschedulable").and_then(Value::as_bool) == Some(true) {
        status.push("SchedulingDisabled".into());
    }
    status.join(",")
}

fn node_roles(o: &Value, _: Time) -> String {
    let mut roles: Vec<String> = object::string_map(o, "metadata.labels")
        .into_iter()
        .filter_map(|(k, v)| {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                Some(role.to_string())
            } else if k == "kubernetes.io/role" {
                Some(v)
            } else {
                None
            }
        })
        .filter(|r| !r.is_empty())
        .collect();
    crate::sort::sort(&mut roles);
    roles.dedup();
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

fn address(o: &Value, t: &str) -> String {
    arr(o, "status.addresses")
        .iter()
        .find(|a| s(a, "type") == t)
        .map(|a| s(a, "address").to_string())
        .unwrap_or_else(|| "<none>".into())
}

fn info(o: &Value, f: &str) -> String {
    let v = s(o, &format!("status.nodeInfo.{f}"));
    if v.is_empty() {
        "<unknown>".into()
    } else {
        v.to_string()
    }
}

pub const NODE: &[Column] = &[
    NAME,
    col("STATUS", node_status),
    col("ROLES", node_roles),
    AGE,
    col("VERSION", |o, _| {
        s(o, "status.nodeInfo.kubeletVersion").to_string()
    }),
    wide("INTERNAL-IP", |o, _| address(o, "InternalIP")),
    wide("EXTERNAL-IP", |o, _| address(o, "ExternalIP")),
    wide("OS-IMAGE", |o, _| info(o, "osImage")),
    wide("KERNEL-VERSION", |o, _| info(o, "kernelVersion")),
    wide("CONTAINER-RUNTIME", |o, _| {
        info(o, "containerRuntimeVersion")
    }),
];

pub const NAMESPACE: &[Column] = &[
    NAME,
    col("STATUS", |o, _| s(o, "status.phase").to_string()),
    AGE,
];

pub const CONFIGMAP: &[Column] = &[
    NAME,
    col("DATA", |o, _| {
        (count(o, "data") + count(o, "binaryData")).to_string()
    }),
    AGE,
];

pub const SECRET: &[Column] = &[
    NAME,
    col("TYPE", |o, _| s(o, "type").to_string()),
    col("DATA", |o, _| count(o, "data").to_string()),
    AGE,
];

pub const SERVICEACCOUNT: &[Column] = &[
    NAME,
    col("SECRETS", |o, _| count(o, "secrets").to_string()),
    AGE,
];

/// `cpu: 1/2, memory: 1Gi/2Gi` for the requests (or the `limits.*` entries).
fn quota(o: &Value, limits: bool) -> String {
    let hard = object::string_map(o, "status.hard");
    let used = object::string_map(o, "status.used");
    hard.iter()
        .filter(|(k, _)| k.starts_with("limits.") == limits)
        .map(|(k, h)| {
            let u = used
                .iter()
                .find(|(uk, _)| uk == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or("0");
            format!("{k}: {u}/{h}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// The column order changed upstream around this release (AGE moved last);
// Dinghy keeps the long-standing NAME, AGE, REQUEST, LIMIT.
pub const RESOURCEQUOTA: &[Column] = &[
    NAME,
    AGE,
    col("REQUEST", |o, _| quota(o, false)),
    col("LIMIT", |o, _| quota(o, true)),
];

pub const COMPONENTSTATUS: &[Column] = &[
    NAME,
    col("STATUS", |o, _| {
        match arr(o, "conditions")
            .iter()
            .find(|c| s(c, "type") == "Healthy")
        {
            Some(c) if s(c, "status") == "True" => "Healthy".into(),
            Some(_) => "Unhealthy".into(),
            None => "Unknown".into(),
        }
    }),
    col("MESSAGE", |o, _| {
        arr(o, "conditions")
            .iter()
            .find(|c| s(c, "type") == "Healthy")
            .map(|c| s(c, "message").to_string())
            .unwrap_or_default()
    }),
    col("ERROR", |o, _| {
        arr(o, "conditions")
            .iter()
            .find(|c| s(c, "type") == "Healthy")
            .map(|c| s(c, "error").to_string())
            .unwrap_or_default()
    }),
];

fn subjects(o: &Value, kind: &str) -> String {
    arr(o, "subjects")
        .iter()
        .filter(|x| s(x, "kind") == kind)
        .map(|x| {
            if kind == "ServiceAccount" && !s(x, "namespace").is_empty() {
                format!("{}/{}", s(x, "namespace"), s(x, "name"))
            } else {
                s(x, "name").to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub const ROLEBINDING: &[Column] = &[
    NAME,
    col("ROLE", |o, _| {
        format!("{}/{}", s(o, "roleRef.kind"), s(o, "roleRef.name"))
    }),
    AGE,
    wide("USERS", |o, _| subjects(o, "User")),
    wide("GROUPS", |o, _| subjects(o, "Group")),
    wide("SERVICEACCOUNTS", |o, _| subjects(o, "ServiceAccount")),
];

pub const PDB: &[Column] = &[
    NAME,
    col("MIN AVAILABLE", |o, _| {
        int_or_string(object::at(o, "spec.minAvailable")).unwrap_or_else(|| "N/A".into())
    }),
    col("MAX UNAVAILABLE", |o, _| {
        int_or_string(object::at(o, "spec.maxUnavailable")).unwrap_or_else(|| "N/A".into())
    }),
    col("ALLOWED DISRUPTIONS", |o, _| {
        int(o, "status.disruptionsAllowed").to_string()
    }),
    AGE,
];

pub const PRIORITYCLASS: &[Column] = &[
    NAME,
    col("VALUE", |o, _| int(o, "value").to_string()),
    col("GLOBAL-DEFAULT", |o, _| {
        object::at(o, "globalDefault")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .to_string()
    }),
    AGE,
    col("PREEMPTIONPOLICY", |o, _| {
        s(o, "preemptionPolicy").to_string()
    }),
];

pub const LEASE: &[Column] = &[
    NAME,
    col("HOLDER", |o, _| s(o, "spec.holderIdentity").to_string()),
    AGE,
];

/// `printCertificateSigningRequest`: the condition column is Denied,
/// Approved or Pending, then `,Failed` and `,Issued` once a certificate is in.
pub const CSR: &[Column] = &[
    NAME,
    AGE,
    col("SIGNERNAME", |o, _| none_if_empty(s(o, "spec.signerName"))),
    col("REQUESTOR", |o, _| s(o, "spec.username").to_string()),
    col("REQUESTEDDURATION", |o, _| {
        match object::at(o, "spec.expirationSeconds").and_then(Value::as_i64) {
            Some(secs) => {
                crate::kubectl::printers::duration::human(crate::clock::Duration::from_secs(secs))
            }
            None => "<none>".to_string(),
        }
    }),
    col("CONDITION", |o, _| csr_condition(o)),
];

fn none_if_empty(v: &str) -> String {
    if v.is_empty() {
        "<none>".into()
    } else {
        v.to_string()
    }
}

pub fn csr_condition(o: &Value) -> String {
    let types: Vec<&str> = object::at(o, "status.conditions")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|c| c["type"].as_str()).collect())
        .unwrap_or_default();
    let mut status = if types.contains(&"Denied") {
        "Denied"
    } else if types.contains(&"Approved") {
        "Approved"
    } else {
        "Pending"
    }
    .to_string();
    if types.contains(&"Failed") {
        status.push_str(",Failed");
    }
    if object::str_at(o, "status.certificate").is_some_and(|c| !c.is_empty()) {
        status.push_str(",Issued");
    }
    status
}
