//! Admission: the plugins v1.33's kube-apiserver runs by default that
//! matter here, one file each, in the real order — every mutating plugin
//! first, then (after validation) every validating one:
//!
//! mutating: NamespaceLifecycle, LimitRanger, ServiceAccount, Priority,
//! DefaultTolerationSeconds, DefaultStorageClass;
//! validating: LimitRanger, ResourceQuota.
//!
//! Plus the registry's allocations for a new Service (cluster IP, node
//! ports), which are not admission but run at the same point.
//!
//! Simplifications: the ServiceAccount plugin accepts a missing `default`
//! account (see its module); allocation draws from the apiserver's seeded
//! rng and checks the stored Services; ResourceQuota computes usage from the
//! stored objects (standing in for the resourcequota controller).

pub mod default_storage_class;
pub mod default_toleration_seconds;
pub mod limit_ranger;
pub mod namespace_lifecycle;
pub mod priority;
pub mod quantity;
pub mod resource_quota;
pub mod service_account;

use super::field::{BadValue, FieldError};
use crate::api::resolve;
use crate::etcd::{RangeRequest, Store};
use crate::rng::Rng;
use serde_json::{json, Value};

/// The mutating plugins, in the order the apiserver calls them.
pub const MUTATING: &[&str] = &[
    "NamespaceLifecycle",
    "LimitRanger",
    "ServiceAccount",
    "Priority",
    "DefaultTolerationSeconds",
    "DefaultStorageClass",
];

/// The validating plugins, in order.
pub const VALIDATING: &[&str] = &["LimitRanger", "ResourceQuota"];

/// The operation being admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

/// The stored objects of a resource (by plural), decoded, in key order.
pub fn objects(store: &Store, plural: &str, namespace: Option<&str>) -> Vec<Value> {
    let Some(res) = resolve(plural) else {
        return Vec::new();
    };
    store
        .range(&RangeRequest::prefix(res.prefix(namespace)))
        .map(|r| {
            r.kvs
                .iter()
                .map(|kv| crate::apiserver::stored_json(&kv.value))
                .collect()
        })
        .unwrap_or_default()
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
        match crate::network::ipv4(&requested) {
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
