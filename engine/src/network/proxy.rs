//! kube-proxy's rules (iptables mode) and the pod network, for one TCP
//! connection: a Service's ClusterIP and port, or a node's address and a
//! NodePort, lead to one of the Service's ready endpoints chosen at
//! random (`--probability` rules); a Service with none rejects the
//! connection; a pod's address leads to the container listening there.

use super::policy::{permits, Peer};
use crate::api::{object, resolve as resource};
use crate::cluster::Cluster;
use crate::kubelet::container::{Paths, RunCtx};
use serde_json::Value;

/// The process that accepted a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backend {
    pub ctx: RunCtx,
    pub port: u16,
    /// What it answers on HTTP on that port (`None`: not HTTP).
    pub http: Option<Paths>,
}

/// Why a connection failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// RST, or kube-proxy's REJECT for a Service without endpoints.
    Refused,
    /// Nothing answers and nothing rejects: SYNs go unanswered.
    TimedOut,
    /// ARP for an address in a pod network finds nobody.
    NoRoute,
}

fn list(cluster: &Cluster, plural: &str) -> Vec<Value> {
    resource(plural)
        .map(|r| cluster.apiserver.list(r, None))
        .unwrap_or_default()
}

fn port_num(v: Option<&Value>) -> Option<u16> {
    v.and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
}

/// The ready endpoints (ip, port) behind one port of a Service.
pub(crate) fn endpoints(cluster: &Cluster, svc: &Value, sport: &Value) -> Vec<(String, u16)> {
    let ns = object::namespace(svc).unwrap_or("default");
    let Some(ep) = resource("endpoints")
        .and_then(|r| cluster.apiserver.get(r, Some(ns), object::name(svc)).ok())
    else {
        return Vec::new();
    };
    let want_name = sport.get("name").and_then(Value::as_str).unwrap_or("");
    let mut out = Vec::new();
    for subset in ep
        .get("subsets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let port = subset
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get("name").and_then(Value::as_str).unwrap_or("") == want_name)
            .and_then(|p| port_num(p.get("port")));
        let Some(port) = port else { continue };
        for a in subset
            .get("addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(ip) = a.get("ip").and_then(Value::as_str) {
                out.push((ip.to_string(), port));
            }
        }
    }
    crate::sort::sort(&mut out);
    out
}

/// SplitMix64's finaliser: spreads the connection count over endpoints.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Picks one endpoint as kube-proxy's probability rules do, from the
/// client node's connection count and the cluster's seed.
fn choose(cluster: &mut Cluster, from: &str, eps: &[(String, u16)]) -> Option<(String, u16)> {
    if eps.is_empty() {
        return None;
    }
    let seed = cluster.seed();
    let n = cluster.machines.get_mut(from).map_or(0, |m| {
        m.connections += 1;
        m.connections
    });
    let i = (mix(seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15)) % eps.len() as u64) as usize;
    eps.get(i).cloned()
}

/// Is `ip` one of the nodes' addresses?
fn is_node_ip(cluster: &Cluster, ip: &str) -> bool {
    ip == "127.0.0.1" || cluster.machines.values().any(|m| m.ip == ip)
}

/// Opens a TCP connection from node `from` to `ip:port`.
pub fn connect(
    cluster: &mut Cluster,
    from: &str,
    source_ip: &str,
    ip: &str,
    port: u16,
) -> Result<Backend, Refusal> {
    // A pod's loopback is its own network namespace, not the node's.
    let ip = if ip == "127.0.0.1" && !source_ip.is_empty() && !is_node_ip(cluster, source_ip) {
        source_ip
    } else {
        ip
    };
    let services = list(cluster, "services");
    // KUBE-SERVICES: ClusterIP:port.
    if let Some(svc) = services
        .iter()
        .find(|s| object::str_at(s, "spec.clusterIP") == Some(ip))
    {
        let sport = svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| {
                port_num(p.get("port")) == Some(port)
                    && p.get("protocol").and_then(Value::as_str).unwrap_or("TCP") == "TCP"
            })
            .cloned();
        let Some(sport) = sport else {
            return Err(Refusal::TimedOut);
        };
        let eps = endpoints(cluster, svc, &sport);
        let (eip, eport) = choose(cluster, from, &eps).ok_or(Refusal::Refused)?;
        return to_pod(cluster, source_ip, &eip, eport);
    }
    // KUBE-NODEPORTS: any node's address and a NodePort.
    if is_node_ip(cluster, ip) {
        let found = services.iter().find_map(|s| {
            let t = object::str_at(s, "spec.type").unwrap_or("ClusterIP");
            if t != "NodePort" && t != "LoadBalancer" {
                return None;
            }
            s.pointer("/spec/ports")
                .and_then(Value::as_array)?
                .iter()
                .find(|p| port_num(p.get("nodePort")) == Some(port))
                .map(|p| (s.clone(), p.clone()))
        });
        if let Some((svc, sport)) = found {
            let eps = endpoints(cluster, &svc, &sport);
            let (eip, eport) = choose(cluster, from, &eps).ok_or(Refusal::Refused)?;
            let snat = cluster
                .machines
                .get(from)
                .map(|m| m.ip.clone())
                .unwrap_or_default();
            return to_pod(cluster, &snat, &eip, eport);
        }
        let ip = if ip == "127.0.0.1" {
            cluster
                .machines
                .get(from)
                .map(|m| m.ip.clone())
                .unwrap_or_default()
        } else {
            ip.to_string()
        };
        // Host-network pods (the control plane) listen on the node itself.
        return to_pod(cluster, source_ip, &ip, port).map_err(|_| Refusal::Refused);
    }
    to_pod(cluster, source_ip, ip, port)
}

/// The container listening on `ip:port`.
fn to_pod(cluster: &Cluster, source_ip: &str, ip: &str, port: u16) -> Result<Backend, Refusal> {
    let api = &cluster.apiserver;
    let (src, dst) = (Peer::at(api, source_ip), Peer::at(api, ip));
    if dst.pod.is_some() && !permits(api, &src, &dst, "TCP", port) {
        // Dropped by a NetworkPolicy: no answer at all.
        return Err(Refusal::TimedOut);
    }
    let now = cluster.now();
    let mut exists = false;
    for m in cluster.machines.values() {
        for c in &m.runtime.containers {
            if c.ctx.pod_ip != ip || !c.running() {
                continue;
            }
            exists = true;
            let since = (now - c.started).as_millis();
            let Some(serve) = c.outcome.serve.as_ref().filter(|s| s.ready_after <= since) else {
                continue;
            };
            if serve.ports.contains(&port) {
                let http = serve
                    .http
                    .iter()
                    .find(|(p, _)| *p == port)
                    .map(|(_, paths)| paths.clone());
                return Ok(Backend {
                    ctx: c.ctx.clone(),
                    port,
                    http,
                });
            }
        }
    }
    if exists {
        return Err(Refusal::Refused);
    }
    // A pod network address nobody holds: the bridge's ARP goes unanswered.
    if ip.starts_with("10.244.") {
        Err(Refusal::NoRoute)
    } else {
        Err(Refusal::TimedOut)
    }
}
