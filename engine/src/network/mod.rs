//! The cluster network as a client sees it: CoreDNS (`dns`), kube-proxy's
//! Service rules (`proxy`), the servers the pods run (`http`), and the
//! client programs that use them (`tools`: curl, wget, nslookup, dig), run
//! from a node's shell or inside a container through `kubectl exec`.
//!
//! Nothing here is a component: the network holds no state of its own. A
//! connection reads the Services, Endpoints and pods through the
//! apiserver and the containers through their nodes' runtimes, at the
//! moment it is made. The one thing it writes is the client node's
//! connection count, which drives kube-proxy's random choice among the
//! ready endpoints (deterministically, from the seed).

pub mod dns;
pub mod http;
pub mod iptables;
pub mod policy;
pub mod proxy;
pub mod tools;

#[cfg(test)]
mod tests;

/// Where a client program runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// The node the packets leave from.
    pub node: String,
    /// The address they leave with (the pod's, or the node's): what
    /// NetworkPolicies judge.
    pub source_ip: String,
    /// The resolver the program uses.
    pub resolver: Resolver,
    /// Which build of the program: its messages differ between versions.
    pub flavour: Flavour,
}

/// How names are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolver {
    /// A node: systemd-resolved (127.0.0.53) and `/etc/hosts`, which know
    /// the nodes but not the cluster's names.
    Node,
    /// A pod with `dnsPolicy: ClusterFirst`: CoreDNS at 10.96.0.10 and the
    /// pod's `/etc/resolv.conf` search path.
    Pod { namespace: String },
}

/// The program's origin, for its exact messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// Ubuntu 22.04 (curl 7.81, bind9 nslookup/dig): the nodes.
    Ubuntu,
    /// Debian 12 (curl 7.88): nginx, httpd and other Debian-based images.
    Debian,
    /// BusyBox before 1.30 (`busybox:1.28`, the Kubernetes docs' DNS test).
    BusyboxOld,
    /// BusyBox 1.3x (busybox, alpine).
    Busybox,
}

/// What a program printed and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Run {
    /// Standard error printed before standard output (wget's
    /// "Connecting to …" line).
    pub head: String,
    pub out: String,
    pub err: String,
    pub code: i32,
    /// A file the program saves (`curl -o FILE`, `wget URL`): path, content.
    pub file: Option<(String, String)>,
}

impl Run {
    fn fail(mut self, code: i32, err: impl Into<String>) -> Self {
        self.err.push_str(&err.into());
        self.code = code;
        self
    }
}

/// The cluster DNS service's address (kubeadm's `clusterDNS`).
pub const CLUSTER_DNS: &str = "10.96.0.10";
/// The cluster domain.
pub const DOMAIN: &str = "cluster.local";

/// A dotted IPv4 address as a number: four decimal parts of 0–255, else
/// `None` (so `10.0.0.256` and `1.2.3` are not addresses).
pub fn ipv4(s: &str) -> Option<u32> {
    let parts: Vec<u32> = s
        .split('.')
        .map(|p| p.parse::<u32>().ok().filter(|n| *n < 256))
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [a, b, c, d] => Some((a << 24) | (b << 16) | (c << 8) | d),
        _ => None,
    }
}

/// The client a pod's processes are: its node, its resolver (by
/// `dnsPolicy` and `hostNetwork`) and its image's build of the tools.
/// `None` for a pod not on a node yet.
pub fn pod_client(
    pod: &serde_json::Value,
    node: &str,
    kind: crate::kubelet::images::Kind,
    tag: &str,
) -> Option<Client> {
    use crate::api::object;
    use crate::kubelet::images::Kind;
    if node.is_empty() {
        return None;
    }
    let flavour = match kind {
        Kind::Busybox if tag.starts_with("1.2") => Flavour::BusyboxOld,
        Kind::Busybox | Kind::Alpine | Kind::WebappColor | Kind::Stress => Flavour::Busybox,
        _ => Flavour::Debian,
    };
    let policy = object::str_at(pod, "spec.dnsPolicy").unwrap_or("ClusterFirst");
    let host_network =
        object::at(pod, "spec.hostNetwork").and_then(serde_json::Value::as_bool) == Some(true);
    let resolver = if policy == "Default" || host_network && policy != "ClusterFirstWithHostNet" {
        Resolver::Node
    } else {
        Resolver::Pod {
            namespace: object::namespace(pod).unwrap_or("default").to_string(),
        }
    };
    Some(Client {
        node: node.to_string(),
        source_ip: object::str_at(pod, "status.podIP")
            .unwrap_or("")
            .to_string(),
        resolver,
        flavour,
    })
}

/// `nslookup` run by a container's own process (`kubectl run --rm -it
/// busybox:1.28 -- nslookup web`): what lands in its log, and its status.
pub fn container_nslookup(
    api: &crate::apiserver::ApiServer,
    client: &Client,
    args: &[String],
) -> (String, i32) {
    let r = tools::nslookup(api, client, args);
    (format!("{}{}{}", r.head, r.out, r.err), r.code)
}

/// `kubectl exec POD -- curl|wget|nslookup|dig …`: runs the program in the
/// pod's network namespace, with its resolv.conf, when the container's
/// image has it. `None` leaves the command to the container model (which
/// says "executable file not found" for a program the image lacks).
pub fn exec_in_pod(
    cluster: &mut crate::cluster::Cluster,
    pod: &serde_json::Value,
    container: &str,
    argv: &[String],
) -> Option<Run> {
    use crate::api::object;
    use crate::kubelet::container::has_program;
    let program = argv.first()?.rsplit('/').next()?.to_string();
    if !tools::PROGRAMS.contains(&program.as_str()) {
        return None;
    }
    let uid = object::str_at(pod, "metadata.uid")?;
    let node = object::str_at(pod, "spec.nodeName")?.to_string();
    let ctx = cluster.machines.get(&node).and_then(|m| {
        m.runtime
            .latest(uid, container)
            .0
            .filter(|c| c.running())
            .map(|c| c.ctx.clone())
    })?;
    if !has_program(ctx.kind, &program) {
        return None;
    }
    let client = pod_client(pod, &node, ctx.kind, &ctx.tag)?;
    Some(tools::run(
        cluster,
        &client,
        &program,
        argv.get(1..).unwrap_or(&[]),
    ))
}
