//! The in-tree plugins, one module per upstream folder under
//! `pkg/scheduler/framework/plugins/`, and the registry that builds a
//! profile's plugin set by name.

pub mod defaultbinder;
pub mod defaultpreemption;
pub mod helper;
pub mod imagelocality;
pub mod interpodaffinity;
pub mod nodeaffinity;
pub mod nodename;
pub mod nodeports;
pub mod noderesources;
pub mod nodeunschedulable;
pub mod podtopologyspread;
pub mod queuesort;
pub mod schedulinggates;
pub mod tainttoleration;
pub mod volumebinding;

use super::framework::*;

pub mod names {
    pub const SCHEDULING_GATES: &str = "SchedulingGates";
    pub const PRIORITY_SORT: &str = "PrioritySort";
    pub const NODE_UNSCHEDULABLE: &str = "NodeUnschedulable";
    pub const NODE_NAME: &str = "NodeName";
    pub const TAINT_TOLERATION: &str = "TaintToleration";
    pub const NODE_AFFINITY: &str = "NodeAffinity";
    pub const NODE_PORTS: &str = "NodePorts";
    pub const NODE_RESOURCES_FIT: &str = "NodeResourcesFit";
    pub const VOLUME_BINDING: &str = "VolumeBinding";
    pub const POD_TOPOLOGY_SPREAD: &str = "PodTopologySpread";
    pub const INTER_POD_AFFINITY: &str = "InterPodAffinity";
    pub const DEFAULT_PREEMPTION: &str = "DefaultPreemption";
    pub const BALANCED_ALLOCATION: &str = "NodeResourcesBalancedAllocation";
    pub const IMAGE_LOCALITY: &str = "ImageLocality";
    pub const DEFAULT_BINDER: &str = "DefaultBinder";
}

/// The v1.33 default plugins (`apis/config/v1/default_plugins.go`) that this
/// simulation implements, in their order, with their score weights (0 for
/// plugins without a Score extension). VolumeRestrictions, NodeVolumeLimits
/// and VolumeZone are not simulated.
pub const DEFAULT_PLUGINS: &[(&str, i64)] = &[
    (names::SCHEDULING_GATES, 0),
    (names::PRIORITY_SORT, 0),
    (names::NODE_UNSCHEDULABLE, 0),
    (names::NODE_NAME, 0),
    (names::TAINT_TOLERATION, 3),
    (names::NODE_AFFINITY, 2),
    (names::NODE_PORTS, 0),
    (names::NODE_RESOURCES_FIT, 1),
    (names::VOLUME_BINDING, 0),
    (names::POD_TOPOLOGY_SPREAD, 2),
    (names::INTER_POD_AFFINITY, 2),
    (names::DEFAULT_PREEMPTION, 0),
    (names::BALANCED_ALLOCATION, 1),
    (names::IMAGE_LOCALITY, 1),
    (names::DEFAULT_BINDER, 0),
];

type B<T> = Box<T>;

pub fn pre_enqueue(name: &str) -> Option<B<dyn PreEnqueuePlugin + Send + Sync>> {
    match name {
        names::SCHEDULING_GATES => Some(Box::new(schedulinggates::SchedulingGates)),
        _ => None,
    }
}

pub fn queue_sort(name: &str) -> Option<B<dyn QueueSortPlugin + Send + Sync>> {
    match name {
        names::PRIORITY_SORT => Some(Box::new(queuesort::PrioritySort)),
        _ => None,
    }
}

pub fn pre_filter(name: &str) -> Option<B<dyn PreFilterPlugin + Send + Sync>> {
    Some(match name {
        names::NODE_AFFINITY => Box::new(nodeaffinity::NodeAffinity),
        names::NODE_PORTS => Box::new(nodeports::NodePorts),
        names::NODE_RESOURCES_FIT => Box::new(noderesources::fit::Fit),
        names::VOLUME_BINDING => Box::new(volumebinding::VolumeBinding),
        names::POD_TOPOLOGY_SPREAD => Box::new(podtopologyspread::PodTopologySpread),
        names::INTER_POD_AFFINITY => Box::new(interpodaffinity::InterPodAffinity),
        _ => return None,
    })
}

pub fn filter(name: &str) -> Option<B<dyn FilterPlugin + Send + Sync>> {
    Some(match name {
        names::NODE_UNSCHEDULABLE => Box::new(nodeunschedulable::NodeUnschedulable),
        names::NODE_NAME => Box::new(nodename::NodeName),
        names::TAINT_TOLERATION => Box::new(tainttoleration::TaintToleration),
        names::NODE_AFFINITY => Box::new(nodeaffinity::NodeAffinity),
        names::NODE_PORTS => Box::new(nodeports::NodePorts),
        names::NODE_RESOURCES_FIT => Box::new(noderesources::fit::Fit),
        names::VOLUME_BINDING => Box::new(volumebinding::VolumeBinding),
        names::POD_TOPOLOGY_SPREAD => Box::new(podtopologyspread::PodTopologySpread),
        names::INTER_POD_AFFINITY => Box::new(interpodaffinity::InterPodAffinity),
        _ => return None,
    })
}

pub fn post_filter(name: &str) -> Option<B<dyn PostFilterPlugin + Send + Sync>> {
    match name {
        names::DEFAULT_PREEMPTION => Some(Box::new(defaultpreemption::DefaultPreemption)),
        _ => None,
    }
}

pub fn pre_score(name: &str) -> Option<B<dyn PreScorePlugin + Send + Sync>> {
    Some(match name {
        names::TAINT_TOLERATION => Box::new(tainttoleration::TaintToleration),
        names::NODE_AFFINITY => Box::new(nodeaffinity::NodeAffinity),
        names::POD_TOPOLOGY_SPREAD => Box::new(podtopologyspread::PodTopologySpread),
        names::INTER_POD_AFFINITY => Box::new(interpodaffinity::InterPodAffinity),
        names::BALANCED_ALLOCATION => {
            Box::new(noderesources::balanced_allocation::BalancedAllocation)
        }
        _ => return None,
    })
}

pub fn score(name: &str) -> Option<B<dyn ScorePlugin + Send + Sync>> {
    Some(match name {
        names::TAINT_TOLERATION => Box::new(tainttoleration::TaintToleration),
        names::NODE_AFFINITY => Box::new(nodeaffinity::NodeAffinity),
        names::NODE_RESOURCES_FIT => Box::new(noderesources::fit::Fit),
        names::POD_TOPOLOGY_SPREAD => Box::new(podtopologyspread::PodTopologySpread),
        names::INTER_POD_AFFINITY => Box::new(interpodaffinity::InterPodAffinity),
        names::BALANCED_ALLOCATION => {
            Box::new(noderesources::balanced_allocation::BalancedAllocation)
        }
        names::IMAGE_LOCALITY => Box::new(imagelocality::ImageLocality),
        _ => return None,
    })
}

pub fn reserve(name: &str) -> Option<B<dyn ReservePlugin + Send + Sync>> {
    match name {
        names::VOLUME_BINDING => Some(Box::new(volumebinding::VolumeBinding)),
        _ => None,
    }
}

pub fn permit(_name: &str) -> Option<B<dyn PermitPlugin + Send + Sync>> {
    None
}

pub fn pre_bind(name: &str) -> Option<B<dyn PreBindPlugin + Send + Sync>> {
    match name {
        names::VOLUME_BINDING => Some(Box::new(volumebinding::VolumeBinding)),
        _ => None,
    }
}

pub fn bind(name: &str) -> Option<B<dyn BindPlugin + Send + Sync>> {
    match name {
        names::DEFAULT_BINDER => Some(Box::new(defaultbinder::DefaultBinder)),
        _ => None,
    }
}

/// Whether a name is a plugin this simulation knows at any extension point.
pub fn known(name: &str) -> bool {
    DEFAULT_PLUGINS.iter().any(|(n, _)| *n == name)
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::super::cache::Cache;
    use super::super::types::{NodeInfo, PodInfo};
    use serde_json::{json, Value};

    pub fn node(name: &str, extra: Value) -> NodeInfo {
        let mut v = json!({
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "spec": {},
            "status": {"allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"}}
        });
        merge(&mut v, extra);
        NodeInfo::parse(&v)
    }

    pub fn pod(name: &str, extra: Value) -> PodInfo {
        let mut v = json!({
            "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}")},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}
        });
        merge(&mut v, extra);
        PodInfo::parse(&v)
    }

    pub fn merge(a: &mut Value, b: Value) {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    merge(a.entry(k).or_insert(Value::Null), v);
                }
            }
            (a, b) => *a = b,
        }
    }

    pub fn cache(nodes: Vec<NodeInfo>, pods: Vec<PodInfo>) -> Cache {
        let mut c = Cache::default();
        for n in nodes {
            c.upsert_node(n);
        }
        for p in pods {
            c.add_pod(p);
        }
        c
    }
}
