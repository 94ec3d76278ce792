//! Services and their plumbing: Service, Endpoints, EndpointSlice, Ingress,
//! IngressClass, NetworkPolicy.

use super::{
    arr, col, format_selector, host_port, int, list_with_more, map_labels, s, wide, Column, AGE,
    NAME,
};
use crate::api::object;
use crate::clock::Time;
use serde_json::Value;

fn strings(o: &Value, path: &str) -> Vec<String> {
    arr(o, path)
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

/// Load-balancer ingress points, sorted and de-duplicated (IP, else hostname).
fn lb_ingress(o: &Value, path: &str) -> Vec<String> {
    let mut v: Vec<String> = arr(o, path)
        .iter()
        .filter_map(|i| {
            let ip = s(i, "ip");
            let host = s(i, "hostname");
            if !ip.is_empty() {
                Some(ip.to_string())
            } else if !host.is_empty() {
                Some(host.to_string())
            } else {
                None
            }
        })
        .collect();
    crate::sort::sort(&mut v);
    v.dedup();
    v
}

fn external_ip(o: &Value, _: Time) -> String {
    let external = strings(o, "spec.externalIPs");
    match s(o, "spec.type") {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let mut lb = lb_ingress(o, "status.loadBalancer.ingress");
            if !external.is_empty() {
                lb.extend(external);
                return lb.join(",");
            }
            if lb.is_empty() {
                "<pending>".into()
            } else {
                lb.join(",")
            }
        }
        "ExternalName" => s(o, "spec.externalName").to_string(),
        _ => "<unknown>".into(),
    }
}

fn ports(o: &Value, _: Time) -> String {
    let pieces: Vec<String> = arr(o, "spec.ports")
        .iter()
        .map(|p| {
            let port = int(p, "port");
            let proto = s(p, "protocol");
            let node_port = int(p, "nodePort");
            if node_port > 0 {
                format!("{port}:{node_port}/{proto}")
            } else {
                format!("{port}/{proto}")
            }
        })
        .collect();
    if pieces.is_empty() {
        "<none>".into()
    } else {
        pieces.join(",")
    }
}

pub const SERVICE: &[Column] = &[
    NAME,
    col("TYPE", |o, _| s(o, "spec.type").to_string()),
    col("CLUSTER-IP", |o, _| {
        arr(o, "spec.clusterIPs")
            .first()
            .and_then(Value::as_str)
            .unwrap_or("<none>")
            .to_string()
    }),
    col("EXTERNAL-IP", external_ip),
    col("PORT(S)", ports),
    AGE,
    wide("SELECTOR", |o, _| map_labels(o, "spec.selector")),
];

/// `formatEndpoints`: `ip:port` for every address and port, at most 3, then ` + N more...`.
fn endpoints(o: &Value, _: Time) -> String {
    let subsets = arr(o, "subsets");
    if subsets.is_empty() {
        return "<none>".into();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    for ss in subsets {
        let addrs = arr(ss, "addresses");
        let ports = arr(ss, "ports");
        if ports.is_empty() {
            count += addrs.len();
            for a in addrs {
                if list.len() == max {
                    break;
                }
                list.push(s(a, "ip").to_string());
            }
            continue;
        }
        for p in ports {
            count += addrs.len();
            for a in addrs {
                if list.len() == max {
                    break;
                }
                list.push(host_port(s(a, "ip"), int(p, "port")));
            }
        }
    }
    let ret = list.join(",");
    if count > max {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

pub const ENDPOINTS: &[Column] = &[NAME, col("ENDPOINTS", endpoints), AGE];

pub const ENDPOINTSLICE: &[Column] = &[
    NAME,
    col("ADDRESSTYPE", |o, _| s(o, "addressType").to_string()),
    col("PORTS", |o, _| {
        let ports = arr(o, "ports");
        let list: Vec<String> = ports
            .iter()
            .take(3)
            .map(|p| match p.get("port").and_then(Value::as_i64) {
                Some(n) => n.to_string(),
                None => p
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("*")
                    .to_string(),
            })
            .collect();
        list_with_more(&list, ports.len(), 3)
    }),
    col("ENDPOINTS", |o, _| {
        let all: Vec<String> = arr(o, "endpoints")
            .iter()
            .flat_map(|e| arr(e, "addresses").iter())
            .filter_map(|a| a.as_str().map(String::from))
            .collect();
        let list: Vec<String> = all.iter().take(3).cloned().collect();
        list_with_more(&list, all.len(), 3)
    }),
    AGE,
];

pub const INGRESS: &[Column] = &[
    NAME,
    col("CLASS", |o, _| {
        object::str_at(o, "spec.ingressClassName")
            .unwrap_or("<none>")
            .to_string()
    }),
    col("HOSTS", |o, _| {
        let rules = arr(o, "spec.rules");
        let max = 3;
        let mut list: Vec<&str> = Vec::new();
        let mut more = false;
        for r in rules {
            if list.len() == max {
                more = true;
            }
            let host = s(r, "host");
            if !more && !host.is_empty() {
                list.push(host);
            }
        }
        if list.is_empty() {
            return "*".into();
        }
        let ret = list.join(",");
        if more {
            format!("{ret} + {} more...", rules.len() - max)
        } else {
            ret
        }
    }),
    col("ADDRESS", |o, _| {
        lb_ingress(o, "status.loadBalancer.ingress").join(",")
    }),
    col("PORTS", |o, _| {
        if arr(o, "spec.tls").is_empty() {
            "80".into()
        } else {
            "80, 443".into()
        }
    }),
    AGE,
];

pub const INGRESSCLASS: &[Column] = &[
    NAME,
    col("CONTROLLER", |o, _| s(o, "spec.controller").to_string()),
    col("PARAMETERS", |o, _| {
        let Some(p) = object::at(o, "spec.parameters") else {
            return "<none>".into();
        };
        let mut out = s(p, "kind").to_string();
        if let Some(g) = p.get("apiGroup").and_then(Value::as_str) {
            out = format!("{out}.{g}");
        }
        format!("{out}/{}", s(p, "name"))
    }),
    AGE,
];

pub const NETWORKPOLICY: &[Column] = &[
    NAME,
    col("POD-SELECTOR", |o, _| {
        format_selector(o, "spec.podSelector")
    }),
    AGE,
];
