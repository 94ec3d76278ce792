//! `curl`, `nslookup` and `dig` on a node (Ubuntu 22.04's builds): the
//! node resolves only `/etc/hosts` names itself, reaches Services through
//! kube-proxy's rules and pods through the pod network.

use super::Session;
use crate::cluster::Cluster;
use crate::network::{tools, Client, Flavour, Resolver};
use crate::node::fs;
use crate::output::Output;

pub fn run(session: &mut Session, cluster: &mut Cluster, name: &str, args: &[String]) -> Output {
    let source_ip = cluster
        .machine(&session.node)
        .map(|m| m.ip.clone())
        .unwrap_or_default();
    let client = Client {
        node: session.node.clone(),
        source_ip,
        resolver: Resolver::Node,
        flavour: Flavour::Ubuntu,
    };
    let r = tools::run(cluster, &client, name, args);
    let mut out = Output::default();
    if !r.head.is_empty() {
        out.err(r.head);
    }
    if !r.out.is_empty() {
        out.out(r.out);
    }
    if !r.err.is_empty() {
        out.err(r.err);
    }
    if let Some((path, data)) = r.file {
        let path = fs::normalize(&session.cwd, &path);
        if let Some(f) = super::session_fs_mut(session, cluster) {
            if let Err(e) = f.write(&path, data.as_bytes(), false) {
                return out.fail(format!(
                    "curl: (23) Failure writing output to destination: {e:?}"
                ));
            }
        }
    }
    out.status = r.code;
    out
}

/// `iptables-save`, stamped with the node's clock as `date` prints it.
pub fn iptables_save(cluster: &mut Cluster, args: &[String]) -> Output {
    let date = crate::kubelet::container::date_text(cluster.now());
    // iptables-save's ctime(3) stamp: `Wed Apr 23 08:15:02 2025`.
    let stamp = match date.rsplit_once(' ') {
        Some((head, year)) => format!("{} {year}", head.trim_end_matches(" UTC")),
        None => date,
    };
    crate::network::iptables::iptables_save(cluster, args, &stamp)
}
