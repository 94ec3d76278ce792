// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! Static pods: the kubelet runs the pods whose manifests are in its
//! `staticPodPath` (read from `/var/lib/kubelet/config.yaml`, as the real
//! one does) and mirrors each into the apiserver as `<pod>-<node>`, a
//! read-only copy annotated with the manifest's hash. Editing a manifest
//! replaces the pod; removing it removes the pod; deleting the mirror pod
//! with kubectl only brings a new mirror back — the containers run on.
//! Inside the kubelet a static pod's UID is its manifest hash, so the
//! containers outlive any one mirror pod.

use super::status::image_digest;
use crate::api::{object, resolve};
use crate::apiserver::{ApiServer, DeleteOptions};
use crate::clock::Time;
use crate::node::Machine;
use serde_json::{json, Value};
use std::sync::Arc;

const HASH: &str = "kubernetes.io/config.hash";
const MIRROR: &str = "kubernetes.io/config.mirror";

/// Mirror pods to be, with their manifests' hashes.
type Mirrors = Vec<(String, Value)>;

/// The manifests seen last, by their hash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticPods {
    hashes: Vec<String>,
    /// The manifests' texts last read and the node's UID then, and the
    /// mirror pods made of them (which name the node as their owner).
    cache: Option<(Vec<String>, String, Mirrors)>,
    /// A mirror pod its last sync could not create: a pod of its name is
    /// bound elsewhere (or to no node), or the create failed. Its next
    /// sync tries again, so until then any pod's change may concern the
    /// kubelet, not only its own node's (see `Kubelet::pods_stamp`).
    pub blocked: bool,
}

impl StaticPods {
    /// Whether a kubelet UID is one of this node's static pods.
    pub fn owns(&self, uid: &str) -> bool {
        self.hashes.iter().any(|h| h == uid)
    }
}

/// The mirror annotation of a pod, if it is a mirror pod.
pub fn mirror_hash(pod: &Value) -> Option<&str> {
    object::at(pod, "metadata.annotations")
        .and_then(|a| a.get(MIRROR))
        .and_then(Value::as_str)
}

/// The UID the kubelet knows a pod by: a static pod's hash, otherwise
/// the API object's UID.
pub fn kubelet_uid(pod: &Value) -> String {
    mirror_hash(pod)
        .map(String::from)
        .or_else(|| object::str_at(pod, "metadata.uid").map(String::from))
        .unwrap_or_default()
}

/// `staticPodPath` from the kubelet's config file (none: no static pods).
fn static_pod_path(machine: &Machine) -> Option<String> {
    let text = machine
        .fs
        .read_to_string("/var/lib/kubelet/config.yaml")
        .ok()?;
    text.lines().find_map(|l| {
        l.strip_prefix("staticPodPath:")
            .map(|p| p.trim().trim_matches('"').to_string())
            .filter(|p| !p.is_empty())
    })
}

/// The manifests as mirror pods to be (unnamespaced fields filled in).
fn manifests(machine: &Machine) -> Vec<String> {
    let Some(dir) = static_pod_path(machine) else {
        return Vec::new();
    };
    let mut files = machine.fs.list(&dir).unwrap_or_default();
    crate::sort::sort(&mut files);
    files
        .into_iter()
        .filter(|f| !f.starts_with('.'))
        .filter_map(|f| machine.fs.read_to_string(&format!("{dir}/{f}")).ok())
        .collect()
}

fn desired(texts: &[String], node: &str, node_uid: &str, now: Time) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for text in texts {
        // A manifest that does not parse is skipped, as the kubelet logs and skips it;
        // so is one whose spec is no object (a list, after an indentation slip),
        // which the kubelet cannot decode into a Pod.
        let Some(mut pod) = crate::yaml::parse_documents(text)
            .ok()
            .and_then(|d| d.into_iter().next())
            .filter(|p| p.get("kind").and_then(Value::as_str) == Some("Pod"))
            .filter(|p| p.get("spec").is_none_or(|s| s.is_object() || s.is_null()))
        else {
            continue;
        };
        let hash = image_digest(text)[..32].to_string();
        let base = object::name(&pod).to_string();
        if base.is_empty() {
            continue;
        }
        pod["metadata"]["name"] = json!(format!("{base}-{node}"));
        if !pod["metadata"]["annotations"].is_object() {
            pod["metadata"]["annotations"] = json!({});
        }
        pod["metadata"]["annotations"][HASH] = json!(hash);
        pod["metadata"]["annotations"][MIRROR] = json!(hash);
        pod["metadata"]["annotations"]["kubernetes.io/config.seen"] =
            json!(now.rfc3339_micro().replace('Z', "000Z"));
        pod["metadata"]["annotations"]["kubernetes.io/config.source"] = json!("file");
        pod["metadata"]["ownerReferences"] = json!([{"apiVersion": "v1", "controller": true, "kind": "Node", "name": node, "uid": node_uid}]);
        pod["spec"]["nodeName"] = json!(node);
        // Every static pod tolerates all NoExecute taints.
        if !pod["spec"]["tolerations"].is_array() {
            pod["spec"]["tolerations"] = json!([]);
        }
        if let Some(ts) = pod["spec"]["tolerations"].as_array_mut() {
            ts.push(json!({"effect": "NoExecute", "operator": "Exists"}));
        }
        if let Some(m) = pod["metadata"].as_object_mut() {
            m.remove("creationTimestamp");
        }
        if let Some(m) = pod.as_object_mut() {
            m.remove("status");
        }
        out.push((hash, pod));
    }
    out
}

/// Makes the mirror pods match the manifests; `on_node`: the pods bound
/// to the node (`ApiServer::pods_on_node`), which the kubelet's sync reads
/// next (the mirror pods are among them).
pub(super) fn sync(
    k: &mut super::Kubelet,
    api: &mut ApiServer,
    machine: &mut Machine,
    on_node: &[Arc<Value>],
    now: Time,
) {
    let (Some(pods), Some(nodes)) = (resolve("pods"), resolve("nodes")) else {
        return;
    };
    let node = k.node.clone();
    let node_uid = api
        .get_shared(nodes, None, &node)
        .and_then(|n| object::str_at(&n, "metadata.uid").map(String::from))
        .unwrap_or_default();
    let texts = manifests(machine);
    if !matches!(&k.static_pods.cache, Some((t, u, _)) if *t == texts && *u == node_uid) {
        let w = desired(&texts, &node, &node_uid, now);
        k.static_pods.cache = Some((texts, node_uid.clone(), w));
    }
    // Borrowed from the cache: a mirror pod is copied only to be created.
    let want: &[(String, Value)] = match &k.static_pods.cache {
        Some((_, _, w)) => w,
        None => &[],
    };
    k.static_pods.hashes = want.iter().map(|(h, _)| h.clone()).collect();
    // Shared and filtered in the watch cache: this runs on every kubelet
    // sync, and copying every pod of the cluster here dominated settling.
    let mirrors: Vec<&Arc<Value>> = on_node
        .iter()
        .filter(|p| mirror_hash(p).is_some())
        .collect();
    let force = |api: &mut ApiServer, p: &Value| {
        let ns = object::namespace(p).unwrap_or("default").to_string();
        let _ = api.delete_with(
            pods,
            Some(&ns),
            object::name(p),
            DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
            now,
        );
    };
    // Mirror pods of manifests that changed or went, and mirror pods
    // someone deleted: they go at once (the containers are not theirs).
    for m in &mirrors {
        let hash = mirror_hash(m).unwrap_or("");
        let deleting = object::at(m, "metadata.deletionTimestamp").is_some();
        let stale = !want.iter().any(|(h, p)| {
            h == hash
                && object::name(p) == object::name(m)
                && object::namespace(p).unwrap_or("default")
                    == object::namespace(m).unwrap_or("default")
        });
        if deleting || stale {
            force(api, m);
        }
    }
    // A mirror for every manifest — once the node is registered: the
    // mirror client names the Node as the pod's owner and refuses without
    // its UID ("failed to get node info"), so a deleted Node gets no mirror
    // pods (the garbage collector would delete each at once, and the
    // kubelet create it again, without end).
    let mut blocked = false;
    if node_uid.is_empty() {
        k.static_pods.blocked = !want.is_empty();
        return;
    }
    for (_, pod) in want {
        let ns = object::namespace(pod).unwrap_or("default").to_string();
        if let Some(there) = api.get_shared(pods, Some(&ns), object::name(pod)) {
            blocked |= object::str_at(&there, "spec.nodeName") != Some(node.as_str());
            continue;
        }
        blocked |= api.create(pods, Some(&ns), pod.clone(), now).is_err();
    }
    k.static_pods.blocked = blocked;
}
