//! The cluster as a whole: the virtual clock, the apiserver with its etcd,
//! and (as later issues add them) the components that watch it. Components
//! talk to each other only through the apiserver, as in Kubernetes.

mod addons;
mod bootstrap;
pub mod components;
pub mod control_plane;
pub mod etcd_member;
pub mod rbac_policy;
pub mod run_queue;
pub mod runtime;

pub use bootstrap::{node_ip, NodeSpec, Topology};
pub use runtime::{Component, SyncContext};

use crate::apiserver::ApiServer;
use crate::clock::{Clock, Time};
use crate::node::Machine;
use std::collections::BTreeMap;

/// The Kubernetes version this cluster runs (`kubectl version` and node kubelets).
pub const KUBERNETES_VERSION: &str = "v1.33.1";

#[derive(Debug)]
pub struct Cluster {
    pub clock: Clock,
    pub apiserver: ApiServer,
    /// The nodes as machines (file systems, services), by hostname.
    pub machines: BTreeMap<String, Machine>,
    /// The control loop's reconcilers (see `runtime`).
    components: Vec<Box<dyn Component>>,
    /// Which components rest (see `run_queue`).
    run_queue: run_queue::RunQueue,
    seed: u64,
    /// The data directory etcd runs on (it follows the etcd manifest).
    etcd_data_dir: etcd_member::DataDir,
    /// The etcd manifest's text last read, and the data directory it names.
    etcd_manifest_memo: Option<(String, Option<etcd_member::DataDir>)>,
}

impl Cluster {
    /// What `kubeadm init` plus `kubeadm join` leave behind, at v1.33: the
    /// clock is then moved on a few minutes, as a learner arrives at a
    /// cluster that has been up for a while.
    pub fn new(seed: u64) -> Self {
        Self::with_topology(seed, &Topology::default())
    }

    pub fn with_topology(seed: u64, topology: &Topology) -> Self {
        let mut cluster = Cluster {
            clock: Clock::new(Time::EPOCH),
            apiserver: ApiServer::new(seed),
            machines: BTreeMap::new(),
            components: Vec::new(),
            run_queue: run_queue::RunQueue::default(),
            seed,
            etcd_data_dir: etcd_member::DataDir::Host(etcd_member::DEFAULT_DATA_DIR.into()),
            etcd_manifest_memo: None,
        };
        bootstrap::kubeadm_init(&mut cluster, topology);
        cluster
            .components
            .extend(components::default_components(&cluster.machines, seed));
        cluster.settle();
        cluster
    }

    pub fn machine(&self, name: &str) -> Option<&Machine> {
        self.machines.get(name)
    }

    pub fn machine_mut(&mut self, name: &str) -> Option<&mut Machine> {
        self.machines.get_mut(name)
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn now(&self) -> Time {
        self.clock.now()
    }
}
