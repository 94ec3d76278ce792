//! CoreDNS's `kubernetes` plugin as kubeadm configures it (`pods
//! insecure`): Service A records, headless Services' endpoint records,
//! StatefulSet pods' `<hostname>.<subdomain>` records, ExternalName CNAMEs
//! and pod A records from the dashed IP; and the search path a pod's
//! `/etc/resolv.conf` gives (`ndots:5`).

use super::{Resolver, DOMAIN};
use crate::api::{object, resolve as resource};
use crate::apiserver::ApiServer;
use serde_json::Value;

/// The answer for one fully qualified name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The name does not exist.
    NxDomain,
    /// A records.
    A(Vec<String>),
    /// An ExternalName Service.
    Cname(String),
}

fn list(api: &ApiServer, plural: &str, ns: Option<&str>) -> Vec<Value> {
    resource(plural)
        .map(|r| api.list(r, ns))
        .unwrap_or_default()
}

fn get(api: &ApiServer, plural: &str, ns: Option<&str>, name: &str) -> Option<Value> {
    resource(plural).and_then(|r| api.get(r, ns, name).ok())
}

/// The ready addresses of a Service's Endpoints.
pub fn ready_ips(api: &ApiServer, ns: &str, svc: &str) -> Vec<String> {
    let Some(ep) = get(api, "endpoints", Some(ns), svc) else {
        return Vec::new();
    };
    let mut ips: Vec<String> = ep
        .get("subsets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|s| {
            s.get("addresses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(|a| a.get("ip").and_then(Value::as_str).map(String::from))
        .collect();
    crate::sort::sort(&mut ips);
    ips.dedup();
    ips
}

/// `10-244-1-5` → `10.244.1.5`.
fn dashed_ip(label: &str) -> Option<String> {
    let parts: Vec<&str> = label.split('-').collect();
    (parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())).then(|| parts.join("."))
}

/// CoreDNS's answer for a fully qualified name (no trailing dot).
pub fn lookup(api: &ApiServer, fqdn: &str) -> Answer {
    let name = fqdn.trim_end_matches('.').to_ascii_lowercase();
    let Some(rest) = name.strip_suffix(&format!(".{DOMAIN}")) else {
        return Answer::NxDomain;
    };
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [svc, ns, "svc"] => {
            let Some(s) = get(api, "services", Some(ns), svc) else {
                return Answer::NxDomain;
            };
            if object::str_at(&s, "spec.type") == Some("ExternalName") {
                let target = object::str_at(&s, "spec.externalName").unwrap_or("");
                return Answer::Cname(target.to_string());
            }
            match object::str_at(&s, "spec.clusterIP") {
                Some("None") => {
                    let ips = ready_ips(api, ns, svc);
                    if ips.is_empty() {
                        Answer::NxDomain
                    } else {
                        Answer::A(ips)
                    }
                }
                Some(ip) if !ip.is_empty() => Answer::A(vec![ip.to_string()]),
                _ => Answer::NxDomain,
            }
        }
        // A headless Service's member: `web-0.nginx.default.svc.cluster.local`.
        [host, svc, ns, "svc"] => {
            let found = list(api, "pods", Some(ns)).into_iter().find(|p| {
                object::str_at(p, "spec.hostname") == Some(host)
                    && object::str_at(p, "spec.subdomain") == Some(svc)
            });
            let ip = found
                .as_ref()
                .and_then(|p| object::str_at(p, "status.podIP"))
                .filter(|ip| ready_ips(api, ns, svc).iter().any(|r| r == ip));
            match ip {
                Some(ip) => Answer::A(vec![ip.to_string()]),
                None => Answer::NxDomain,
            }
        }
        // `pods insecure`: the name is the address, whether or not a pod has it.
        [dashed, ns, "pod"] if get(api, "namespaces", None, ns).is_some() => {
            match dashed_ip(dashed) {
                Some(ip) => Answer::A(vec![ip]),
                None => Answer::NxDomain,
            }
        }
        _ => Answer::NxDomain,
    }
}

/// The reverse record CoreDNS serves for an address, if any: a Service's
/// ClusterIP, or an endpoint of a Service.
pub fn reverse(api: &ApiServer, ip: &str) -> Option<String> {
    let services = list(api, "services", None);
    for s in &services {
        if object::str_at(s, "spec.clusterIP") == Some(ip) {
            let ns = object::namespace(s).unwrap_or("default");
            return Some(format!("{}.{ns}.svc.{DOMAIN}", object::name(s)));
        }
    }
    for s in &services {
        let ns = object::namespace(s).unwrap_or("default");
        if ready_ips(api, ns, object::name(s)).iter().any(|r| r == ip) {
            return Some(format!(
                "{}.{}.{ns}.svc.{DOMAIN}",
                ip.replace('.', "-"),
                object::name(s)
            ));
        }
    }
    None
}

/// The names a resolver tries for `name`, in order (glibc and musl with
/// `ndots:5`: a name with fewer dots goes through the search list first).
pub fn candidates(resolver: &Resolver, name: &str) -> Vec<String> {
    if let Some(abs) = name.strip_suffix('.') {
        return vec![abs.to_string()];
    }
    match resolver {
        Resolver::Node => vec![name.to_string()],
        Resolver::Pod { namespace } => {
            let search = [
                format!("{namespace}.svc.{DOMAIN}"),
                format!("svc.{DOMAIN}"),
                DOMAIN.to_string(),
            ];
            let mut v: Vec<String> = search.iter().map(|s| format!("{name}.{s}")).collect();
            if name.matches('.').count() >= 5 {
                v.insert(0, name.to_string());
            } else {
                v.push(name.to_string());
            }
            v
        }
    }
}

/// `/etc/hosts` on a node: the nodes' names (the lab machines all know
/// each other).
fn hosts(api: &ApiServer, name: &str) -> Option<String> {
    let node = get(api, "nodes", None, name)?;
    object::at(&node, "status.addresses")
        .and_then(Value::as_array)?
        .iter()
        .find(|a| a.get("type").and_then(Value::as_str) == Some("InternalIP"))
        .and_then(|a| a.get("address").and_then(Value::as_str))
        .map(String::from)
}

/// Whether `s` is a dotted IPv4 address.
pub fn is_ip(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

/// Resolves a host name as the client's C library would: the name that
/// answered and its addresses, or `None`.
pub fn resolve(api: &ApiServer, resolver: &Resolver, name: &str) -> Option<(String, Vec<String>)> {
    if is_ip(name) {
        return Some((name.to_string(), vec![name.to_string()]));
    }
    let bare = name.trim_end_matches('.');
    if bare == "localhost" {
        return Some((name.to_string(), vec!["127.0.0.1".into()]));
    }
    if *resolver == Resolver::Node {
        return hosts(api, bare).map(|ip| (name.to_string(), vec![ip]));
    }
    for fqdn in candidates(resolver, name) {
        match lookup(api, &fqdn) {
            Answer::A(ips) => return Some((fqdn, ips)),
            // The target of an ExternalName lies outside the simulated
            // cluster: nothing answers for it.
            Answer::Cname(_) => return None,
            Answer::NxDomain => {}
        }
    }
    None
}
