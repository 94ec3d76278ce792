// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The cluster a fresh simulation starts with: what `kubeadm init` on
//! `controlplane` and `kubeadm join` on each worker leave, at v1.33.

use super::{Cluster, KUBERNETES_VERSION};
use crate::api::resolve;
use crate::clock::Duration;
use serde_json::{json, Map, Value};

/// A node to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeSpec {
    pub name: String,
    pub control_plane: bool,
    pub cpu: String,
    pub memory: String,
    pub pods: u32,
    /// The kubelet's version (`kubectl get nodes` VERSION, `kubelet
    /// --version`): a node left behind by an upgrade runs an older one.
    pub kubelet_version: String,
}

impl NodeSpec {
    pub fn worker(name: &str) -> Self {
        NodeSpec {
            name: name.into(),
            control_plane: false,
            cpu: "2".into(),
            memory: "4015912Ki".into(),
            pods: 110,
            kubelet_version: KUBERNETES_VERSION.into(),
        }
    }
    pub fn control_plane(name: &str) -> Self {
        NodeSpec {
            control_plane: true,
            ..NodeSpec::worker(name)
        }
    }
}

/// The machines of the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topology {
    pub nodes: Vec<NodeSpec>,
}

impl Default for Topology {
    /// The CKA course's two-node lab cluster.
    fn default() -> Self {
        Topology {
            nodes: vec![
                NodeSpec::control_plane("controlplane"),
                NodeSpec::worker("node01"),
            ],
        }
    }
}

/// How long after `kubeadm init` the learner arrives.
const UPTIME_AT_START: Duration = Duration::from_secs(14 * 60 + 23);

pub(super) fn kubeadm_init(cluster: &mut Cluster, topology: &Topology) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(cluster, "namespaces", None, namespace(ns));
    }
    create_rbac(cluster, super::rbac_policy::Source::Bootstrap);
    let mut rng = crate::rng::Rng::new(cluster.seed() ^ 0x006b_7562_6561_646d);
    for (i, spec) in topology.nodes.iter().enumerate() {
        // kubeadm join of each worker follows the control plane by about half a minute.
        cluster.step(Duration::from_secs(if i == 0 { 12 } else { 31 }));
        let machine = crate::node::Machine::with_kubelet(
            &spec.name,
            &node_ip(i),
            spec.control_plane,
            &spec.kubelet_version,
        );
        cluster.machines.insert(spec.name.clone(), machine);
        let node = node(spec, i, cluster);
        create(cluster, "nodes", None, node);
        node_events(cluster, &spec.name);
        if i == 0 {
            cluster.step(Duration::from_secs(3));
            super::addons::control_plane(cluster, &mut rng);
            create_rbac(cluster, super::rbac_policy::Source::Kubeadm);
        }
    }
    cluster.step(Duration::from_secs(20));
    super::addons::addons(cluster, &mut rng, topology.nodes.len());
    cluster.step(UPTIME_AT_START);
}

fn create(cluster: &mut Cluster, resource: &str, ns: Option<&str>, mut obj: Value) {
    let Some(res) = resolve(resource) else { return };
    if let Some(m) = obj.as_object_mut() {
        m.remove("status")
            .filter(|s| !s.is_null())
            .map(|s| m.insert("status".into(), s));
    }
    let now = cluster.now();
    // Bootstrap objects are well-formed; a failure here is a bug caught by the tests.
    let _ = cluster.apiserver.create(res, ns, obj, now);
}

/// What a node's kubelet and the node lifecycle controller record when the
/// node joins, in the `default` namespace (a Node has none): the kubelet's
/// start and first status, then the controller's `RegisteredNode`.
fn node_events(cluster: &mut Cluster, name: &str) {
    use crate::events::{record, Event, EventType, Source};
    let now = cluster.now();
    let Some(nodes) = resolve("nodes") else {
        return;
    };
    let Ok(node) = cluster.apiserver.get(nodes, None, name) else {
        return;
    };
    // The kubelet's reference to its node carries the node name as UID.
    let kubelet_ref = serde_json::json!({"kind": "Node", "metadata": {"name": name, "uid": name}});
    let status = |c: &str| format!("Node {name} status is now: {c}");
    let kubelet = [
        ("Starting", "Starting kubelet.".to_string()),
        ("NodeHasSufficientMemory", status("NodeHasSufficientMemory")),
        ("NodeHasNoDiskPressure", status("NodeHasNoDiskPressure")),
        ("NodeHasSufficientPID", status("NodeHasSufficientPID")),
        (
            "NodeAllocatableEnforced",
            "Updated Node Allocatable limit across pods".to_string(),
        ),
    ];
    let event =
        |regarding: &serde_json::Value, reason: &str, message: String, source: Source| Event {
            regarding: regarding.clone(),
            field_path: None,
            type_: EventType::Normal,
            reason: reason.into(),
            message,
            source,
        };
    // UIDs from a stream of their own, like the RBAC policy's.
    let salt = cluster.seed() ^ 0x6576_656e_7473 ^ now.0 as u64;
    cluster.apiserver.with_own_rng(salt, |api| {
        for (reason, message) in kubelet {
            let e = event(&kubelet_ref, reason, message, Source::kubelet(name));
            record(api, now, &e);
        }
        let controller_ref = serde_json::json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": node["metadata"]["uid"]}});
        let registered = format!("Node {name} event: Registered Node {name} in Controller");
        let e = event(
            &controller_ref,
            "RegisteredNode",
            registered,
            Source::component("node-controller"),
        );
        record(api, now, &e);
        let e = event(&kubelet_ref, "NodeReady", status("NodeReady"), Source::kubelet(name));
        record(api, now, &e);
    });
}

/// The RBAC policy the apiserver bootstraps, or the one kubeadm adds.
/// Their UIDs come from a stream of their own, so the rest of the
/// bootstrap (names, UIDs, ClusterIPs) is the same with or without them.
fn create_rbac(cluster: &mut Cluster, source: super::rbac_policy::Source) {
    let now = cluster.now();
    let salt = cluster.seed() ^ 0x7262_6163 ^ source as u64;
    cluster.apiserver.with_own_rng(salt, |api| {
        for item in super::rbac_policy::objects(source) {
            if let Some(res) = resolve(item.plural) {
                // Well-formed data; the rbac_policy tests catch a bad line.
                let _ = api.create(res, item.namespace.as_deref(), item.object, now);
            }
        }
    });
}

/// The machines' addresses: 192.168.100.10, .11, …
pub fn node_ip(index: usize) -> String {
    format!("192.168.100.{}", 10 + index)
}

// The objects below are written as k8s-openapi's types serialize them
// (fields in their order, maps sorted, absent options left out): building
// them as JSON keeps those types' serde code out of the web bundle.

/// A namespace `kubeadm init` leaves.
fn namespace(ns: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"labels": {"kubernetes.io/metadata.name": ns}, "name": ns},
    })
}

fn node(spec: &NodeSpec, index: usize, cluster: &Cluster) -> Value {
    let now = cluster.now().rfc3339();
    let mut labels = Map::new();
    let mut taints = None;
    for (k, v) in [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", spec.name.as_str()),
        ("kubernetes.io/os", "linux"),
    ] {
        labels.insert(k.into(), v.into());
    }
    if spec.control_plane {
        labels.insert("node-role.kubernetes.io/control-plane".into(), "".into());
        labels.insert(
            "node.kubernetes.io/exclude-from-external-load-balancers".into(),
            "".into(),
        );
        taints =
            Some(json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]));
    }
    let pod_cidr = format!("10.244.{index}.0/24");
    let resources = json!({
        "cpu": spec.cpu,
        "ephemeral-storage": "101430960Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": spec.memory,
        "pods": spec.pods.to_string(),
    });
    let condition = |type_: &str, status: &str, reason: &str, message: &str| {
        json!({
            "lastHeartbeatTime": now,
            "lastTransitionTime": now,
            "message": message,
            "reason": reason,
            "status": status,
            "type": type_,
        })
    };
    let mut node_spec = json!({"podCIDR": pod_cidr, "podCIDRs": [pod_cidr]});
    if let (Some(m), Some(t)) = (node_spec.as_object_mut(), taints) {
        m.insert("taints".into(), t);
    }
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "labels": labels,
            "name": spec.name,
        },
        "spec": node_spec,
        "status": {
            "addresses": [
                {"address": format!("192.168.{}.{}", 100, 10 + index), "type": "InternalIP"},
                {"address": spec.name, "type": "Hostname"},
            ],
            "allocatable": resources.clone(),
            "capacity": resources,
            "conditions": [
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                condition(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                condition(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": format!(
                    "{:08x}-0000-4000-8000-{:012x}",
                    0x5eed_0000u32 + index as u32,
                    cluster.seed() & 0xFFFF_FFFF_FFFF
                ),
                "containerRuntimeVersion": "containerd://1.7.27",
                "kernelVersion": "5.15.0-1083-gcp",
                "kubeProxyVersion": "",
                "kubeletVersion": spec.kubelet_version,
                "machineID": format!("{:032x}", 0xd1_9e00 + index),
                "operatingSystem": "linux",
                "osImage": "Ubuntu 22.04.5 LTS",
                "systemUUID": format!(
                    "{:08x}-0000-0000-0000-{:012x}",
                    0xec2a_0000u32 + index as u32,
                    index
                ),
            },
        },
    })
}

#[cfg(test)]
mod tests {
    //! The objects as k8s-openapi's types built and serialized them before
    //! they were written as JSON: the same text, key order included.
    use super::*;
    use k8s_openapi::api::core::v1::{
        Namespace, Node, NodeAddress, NodeCondition, NodeSpec as K8sNodeSpec, NodeStatus,
        NodeSystemInfo, Taint,
    };
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time as K8sTime};
    use std::collections::BTreeMap;

    #[test]
    fn json_objects_are_what_the_typed_ones_serialize_to() {
        for ns in ["default", "kube-system"] {
            let typed = Namespace {
                metadata: ObjectMeta {
                    name: Some(ns.into()),
                    labels: Some(BTreeMap::from([(
                        "kubernetes.io/metadata.name".to_string(),
                        ns.to_string(),
                    )])),
                    ..Default::default()
                },
                ..Default::default()
            };
            let typed = serde_json::to_string(&typed).unwrap_or_default();
            assert_eq!(namespace(ns).to_string(), typed);
        }
        let cluster = Cluster::new(3);
        let mut old = NodeSpec::worker("node01");
        old.kubelet_version = "v1.32.4".into();
        old.cpu = "4".into();
        for (i, spec) in [
            NodeSpec::control_plane("controlplane"),
            NodeSpec::worker("node01"),
            old,
        ]
        .iter()
        .enumerate()
        {
            let typed = serde_json::to_string(&typed_node(spec, i, &cluster)).unwrap_or_default();
            assert!(typed.len() > 1000, "{typed}");
            assert_eq!(node(spec, i, &cluster).to_string(), typed);
        }
    }

    fn typed_node(spec: &NodeSpec, index: usize, cluster: &Cluster) -> Node {
        let now = K8sTime(chrono_free_time(cluster));
        let mut labels = BTreeMap::from([
            ("beta.kubernetes.io/arch".to_string(), "amd64".to_string()),
            ("beta.kubernetes.io/os".to_string(), "linux".to_string()),
            ("kubernetes.io/arch".to_string(), "amd64".to_string()),
            ("kubernetes.io/hostname".to_string(), spec.name.clone()),
            ("kubernetes.io/os".to_string(), "linux".to_string()),
        ]);
        let mut taints = None;
        if spec.control_plane {
            labels.insert(
                "node-role.kubernetes.io/control-plane".into(),
                String::new(),
            );
            labels.insert(
                "node.kubernetes.io/exclude-from-external-load-balancers".into(),
                String::new(),
            );
            taints = Some(vec![Taint {
                key: "node-role.kubernetes.io/control-plane".into(),
                effect: "NoSchedule".into(),
                ..Default::default()
            }]);
        }
        let annotations = BTreeMap::from([
            (
                "kubeadm.alpha.kubernetes.io/cri-socket".to_string(),
                "unix:///var/run/containerd/containerd.sock".to_string(),
            ),
            ("node.alpha.kubernetes.io/ttl".to_string(), "0".to_string()),
            (
                "volumes.kubernetes.io/controller-managed-attach-detach".to_string(),
                "true".to_string(),
            ),
        ]);
        let pod_cidr = format!("10.244.{index}.0/24");
        let resources = BTreeMap::from([
            ("cpu".to_string(), Quantity(spec.cpu.clone())),
            (
                "ephemeral-storage".to_string(),
                Quantity("101430960Ki".into()),
            ),
            ("hugepages-1Gi".to_string(), Quantity("0".into())),
            ("hugepages-2Mi".to_string(), Quantity("0".into())),
            ("memory".to_string(), Quantity(spec.memory.clone())),
            ("pods".to_string(), Quantity(spec.pods.to_string())),
        ]);
        let condition = |type_: &str, status: &str, reason: &str, message: &str| NodeCondition {
            type_: type_.into(),
            status: status.into(),
            reason: Some(reason.into()),
            message: Some(message.into()),
            last_heartbeat_time: Some(now.clone()),
            last_transition_time: Some(now.clone()),
        };
        Node {
            metadata: ObjectMeta {
                name: Some(spec.name.clone()),
                labels: Some(labels),
                annotations: Some(annotations),
                ..Default::default()
            },
            spec: Some(K8sNodeSpec {
                pod_cidr: Some(pod_cidr.clone()),
                pod_cidrs: Some(vec![pod_cidr]),
                taints,
                ..Default::default()
            }),
            status: Some(NodeStatus {
                addresses: Some(vec![
                    NodeAddress {
                        type_: "InternalIP".into(),
                        address: format!("192.168.{}.{}", 100, 10 + index),
                    },
                    NodeAddress {
                        type_: "Hostname".into(),
                        address: spec.name.clone(),
                    },
                ]),
                allocatable: Some(resources.clone()),
                capacity: Some(resources),
                conditions: Some(vec![
                    condition(
                        "MemoryPressure",
                        "False",
                        "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available",
                    ),
                    condition(
                        "DiskPressure",
                        "False",
                        "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure",
                    ),
                    condition(
                        "PIDPressure",
                        "False",
                        "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available",
                    ),
                    condition(
                        "Ready",
                        "True",
                        "KubeletReady",
                        "kubelet is posting ready status",
                    ),
                ]),
                daemon_endpoints: Some(k8s_openapi::api::core::v1::NodeDaemonEndpoints {
                    kubelet_endpoint: Some(k8s_openapi::api::core::v1::DaemonEndpoint {
                        port: 10250,
                    }),
                }),
                node_info: Some(NodeSystemInfo {
                    architecture: "amd64".into(),
                    boot_id: format!(
                        "{:08x}-0000-4000-8000-{:012x}",
                        0x5eed_0000u32 + index as u32,
                        cluster.seed() & 0xFFFF_FFFF_FFFF
                    ),
                    container_runtime_version: "containerd://1.7.27".into(),
                    kernel_version: "5.15.0-1083-gcp".into(),
                    kube_proxy_version: String::new(),
                    kubelet_version: spec.kubelet_version.clone(),
                    machine_id: format!("{:032x}", 0xd1_9e00 + index),
                    operating_system: "linux".into(),
                    os_image: "Ubuntu 22.04.5 LTS".into(),
                    system_uuid: format!(
                        "{:08x}-0000-0000-0000-{:012x}",
                        0xec2a_0000u32 + index as u32,
                        index
                    ),
                    ..Default::default()
                }),
                ..Default::default()
            }),
        }
    }

    /// The current time as k8s-openapi's timestamp type, without pulling a
    /// calendar library into the engine: go through the RFC 3339 text.
    fn chrono_free_time(cluster: &Cluster) -> k8s_openapi::jiff::Timestamp {
        cluster.now().rfc3339().parse().unwrap_or_default()
    }
}
