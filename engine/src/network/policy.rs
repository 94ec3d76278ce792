// Indexing is safe in this module: p[0..4] only when p.len() == 4.
#![allow(clippy::indexing_slicing)]
//! NetworkPolicy as a policy-enforcing CNI (Calico, Cilium) applies it to
//! one TCP connection: a pod selected by an Ingress policy accepts only
//! what one of its rules allows, a pod selected by an Egress policy sends
//! only what one of its rules allows; everything else is dropped (the
//! client times out). Pods no policy selects are open.

use crate::api::{object, resolve as resource};
use crate::apiserver::ApiServer;
use crate::controllers::util::selector_matches;
use serde_json::{Map, Value};

/// One end of a connection.
#[derive(Clone, Debug)]
pub struct Peer {
    pub ip: String,
    /// The pod (not host-network) holding the address, if any.
    pub pod: Option<Value>,
}

impl Peer {
    /// The peer at `ip`: the pod with that address, if one has it.
    pub fn at(api: &ApiServer, ip: &str) -> Peer {
        let pod = resource("pods").and_then(|r| {
            api.list(r, None).into_iter().find(|p| {
                object::str_at(p, "status.podIP") == Some(ip)
                    && object::at(p, "spec.hostNetwork").and_then(Value::as_bool) != Some(true)
                    && object::at(p, "metadata.deletionTimestamp").is_none()
            })
        });
        Peer {
            ip: ip.to_string(),
            pod,
        }
    }
}

fn labels(o: &Value) -> Map<String, Value> {
    object::at(o, "metadata.labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn policies(api: &ApiServer, ns: &str) -> Vec<Value> {
    resource("networkpolicies")
        .map(|r| api.list(r, Some(ns)))
        .unwrap_or_default()
}

/// The policy types a policy has (`Ingress` always unless listed
/// otherwise; `Egress` when listed or when it has egress rules).
fn has_type(p: &Value, t: &str) -> bool {
    match object::at(p, "spec.policyTypes").and_then(Value::as_array) {
        Some(types) => types.iter().any(|x| x.as_str() == Some(t)),
        None => t == "Ingress" || object::at(p, "spec.egress").is_some(),
    }
}

fn in_cidr(ip: &str, cidr: &str) -> bool {
    let (net, bits) = cidr.split_once('/').unwrap_or((cidr, "32"));
    let (Some(ip), Some(net), Ok(bits)) = (super::ipv4(ip), super::ipv4(net), bits.parse::<u32>())
    else {
        return false;
    };
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits.min(32))
    };
    ip & mask == net & mask
}

/// Does a rule's peer (`from`/`to` entry) cover `other`, for a policy in
/// namespace `ns`?
fn peer_matches(api: &ApiServer, ns: &str, peer: &Value, other: &Peer) -> bool {
    if let Some(block) = peer.get("ipBlock") {
        let cidr = block.get("cidr").and_then(Value::as_str).unwrap_or("");
        let except = block
            .get("except")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|e| in_cidr(&other.ip, e));
        return in_cidr(&other.ip, cidr) && !except;
    }
    let Some(pod) = &other.pod else {
        return false;
    };
    let pod_ns = object::namespace(pod).unwrap_or("default");
    let ns_ok = match peer.get("namespaceSelector") {
        Some(sel) => resource("namespaces")
            .and_then(|r| api.get(r, None, pod_ns).ok())
            .is_some_and(|n| selector_matches(Some(sel), &labels(&n))),
        None => pod_ns == ns,
    };
    let pod_ok = match peer.get("podSelector") {
        Some(sel) => selector_matches(Some(sel), &labels(pod)),
        None => true,
    };
    ns_ok && pod_ok
}

/// Does a rule's `ports` list allow `proto` `port` on `target` (named
/// ports are the target pod's container ports)?
fn port_matches(rule: &Value, proto: &str, port: u16, target: Option<&Value>) -> bool {
    let Some(ports) = rule.get("ports").and_then(Value::as_array) else {
        return true;
    };
    if ports.is_empty() {
        return true;
    }
    ports.iter().any(|p| {
        if p.get("protocol").and_then(Value::as_str).unwrap_or("TCP") != proto {
            return false;
        }
        match p.get("port") {
            None => true,
            Some(Value::Number(n)) => {
                let lo = n.as_u64().unwrap_or(0);
                let hi = p.get("endPort").and_then(Value::as_u64).unwrap_or(lo);
                (lo..=hi).contains(&u64::from(port))
            }
            Some(Value::String(name)) => target
                .and_then(|t| object::at(t, "spec.containers").and_then(Value::as_array))
                .into_iter()
                .flatten()
                .flat_map(|c| {
                    c.get("ports")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                })
                .any(|cp| {
                    cp.get("name").and_then(Value::as_str) == Some(name)
                        && cp.get("containerPort").and_then(Value::as_u64) == Some(u64::from(port))
                }),
            _ => false,
        }
    })
}

/// Whether the policies of `subject`'s namespace let it take part in
/// this connection in `direction` ("Ingress": `subject` receives from
/// `other`; "Egress": `subject` sends to `other`).
fn allowed(
    api: &ApiServer,
    subject: &Peer,
    other: &Peer,
    proto: &str,
    port: u16,
    direction: &str,
) -> bool {
    let Some(pod) = &subject.pod else {
        return true;
    };
    let ns = object::namespace(pod).unwrap_or("default");
    let selecting: Vec<Value> = policies(api, ns)
        .into_iter()
        .filter(|p| has_type(p, direction))
        .filter(|p| {
            selector_matches(
                Some(object::at(p, "spec.podSelector").unwrap_or(&Value::Object(Map::new()))),
                &labels(pod),
            )
        })
        .collect();
    if selecting.is_empty() {
        return true;
    }
    let (rules_key, peers_key) = if direction == "Ingress" {
        ("spec.ingress", "from")
    } else {
        ("spec.egress", "to")
    };
    let target = if direction == "Ingress" {
        Some(pod)
    } else {
        other.pod.as_ref()
    };
    selecting.iter().any(|p| {
        object::at(p, rules_key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|rule| {
                let peers_ok = match rule.get(peers_key).and_then(Value::as_array) {
                    None => true,
                    Some(list) if list.is_empty() => true,
                    Some(list) => list.iter().any(|peer| peer_matches(api, ns, peer, other)),
                };
                peers_ok && port_matches(rule, proto, port, target)
            })
    })
}

/// Whether a connection from `from` to `to:port` (`proto` TCP or UDP)
/// gets through.
pub fn permits(api: &ApiServer, from: &Peer, to: &Peer, proto: &str, port: u16) -> bool {
    allowed(api, from, to, proto, port, "Egress") && allowed(api, to, from, proto, port, "Ingress")
}

/// Whether a pod may ask CoreDNS (UDP 53 to one of the kube-dns pods):
/// an Egress policy without a DNS rule silences name resolution.
pub fn dns_permitted(api: &ApiServer, from: &Peer) -> bool {
    if from.pod.is_none() {
        return true;
    }
    let coredns: Vec<Peer> = resource("pods")
        .map(|r| api.list(r, Some("kube-system")))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| {
            object::at(p, "metadata.labels.k8s-app").and_then(Value::as_str) == Some("kube-dns")
        })
        .filter_map(|p| {
            let ip = object::str_at(&p, "status.podIP")?.to_string();
            Some(Peer { ip, pod: Some(p) })
        })
        .collect();
    coredns.iter().any(|d| permits(api, from, d, "UDP", 53))
}
