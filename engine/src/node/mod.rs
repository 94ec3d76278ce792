//! The machines of the cluster. Each node is a machine with its own file
//! system and services (the kubelet); the cluster's components read their
//! configuration from these files, as on a kubeadm cluster, so editing
//! `/etc/kubernetes/manifests/kube-scheduler.yaml` changes the scheduler.

pub mod files;
pub mod fs;
pub mod packages;
pub mod service;

pub use fs::FileSystem;

/// One node, as a machine you can `ssh` into: its state, read through
/// `Deref`, and a count of its changes. Every mutable access goes through
/// `DerefMut`, which counts it, so no change (a file written, a service
/// stopped, a container killed, a package installed) can go uncounted: a
/// node agent that saw the count before compares it to know whether it
/// must look at the machine again (see [`Machine::changes`]).
#[derive(Clone, Debug)]
pub struct Machine {
    state: MachineState,
    changes: u64,
}

/// Two machines are the same when their states are: how often each was
/// written is bookkeeping.
impl PartialEq for Machine {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

impl Eq for Machine {}

impl std::ops::Deref for Machine {
    type Target = MachineState;
    fn deref(&self) -> &MachineState {
        &self.state
    }
}

impl std::ops::DerefMut for Machine {
    /// Counts a change: whoever may write is assumed to (a borrow that
    /// writes nothing costs a node agent one look, never a missed change).
    fn deref_mut(&mut self) -> &mut MachineState {
        self.changes = self.changes.wrapping_add(1);
        &mut self.state
    }
}

/// What a machine is: its files, services, packages and containers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MachineState {
    pub hostname: String,
    pub ip: String,
    pub control_plane: bool,
    pub fs: FileSystem,
    /// Whether the kubelet service runs (`systemctl stop kubelet` clears it).
    pub kubelet_running: bool,
    /// When the kubelet service last started or stopped (`systemctl status`).
    pub kubelet_since: crate::clock::Time,
    /// The kubelet's process id; a restart gives a new one.
    pub kubelet_pid: u32,
    /// `systemctl daemon-reload` has run since the unit files last changed.
    pub units_loaded: bool,
    /// systemd's side of kubelet.service: restarts after failures, the journal.
    pub kubelet: service::KubeletService,
    /// containerd's images, sandboxes and containers (the kubelet drives it).
    pub runtime: crate::kubelet::runtime::Runtime,
    /// Connections opened from this node: drives kube-proxy's random
    /// choice among a Service's endpoints (see `network::proxy`).
    pub connections: u64,
    /// kubeadm, kubelet and kubectl as installed from the apt repository
    /// (`kubelet --version` is the kubelet package's).
    pub packages: packages::Packages,
    /// The version of the kubelet process now running: the installed
    /// package's when the service last started (an upgraded package runs
    /// only after `systemctl restart kubelet`).
    pub kubelet_version: String,
    /// When etcd on this machine last switched to another data directory
    /// (a restore): an apiserver started before then runs on stale state.
    pub etcd_data_switched: Option<crate::clock::Time>,
}

impl Machine {
    pub fn new(hostname: &str, ip: &str, control_plane: bool) -> Self {
        Machine::with_kubelet(
            hostname,
            ip,
            control_plane,
            crate::cluster::KUBERNETES_VERSION,
        )
    }

    /// A machine whose installed kubelet is `kubelet_version` (`v1.32.4`).
    pub fn with_kubelet(
        hostname: &str,
        ip: &str,
        control_plane: bool,
        kubelet_version: &str,
    ) -> Self {
        let mut m = Machine::from(MachineState {
            hostname: hostname.into(),
            ip: ip.into(),
            control_plane,
            fs: FileSystem::default(),
            kubelet_running: true,
            kubelet_since: crate::clock::Time::EPOCH,
            kubelet_pid: 1000 + hostname.len() as u32 * 7,
            units_loaded: true,
            kubelet: Default::default(),
            runtime: Default::default(),
            connections: 0,
            packages: packages::Packages::installed_at(crate::cluster::KUBERNETES_VERSION)
                .with_package("kubelet", kubelet_version),
            kubelet_version: kubelet_version.into(),
            etcd_data_switched: None,
        });
        files::install_base(&mut m);
        service::boot(&mut m, crate::clock::Time::EPOCH);
        m
    }

    /// How many times the machine was borrowed to be changed: it moves
    /// with every change of its state (and never comes back, short of
    /// 2^64 changes).
    pub fn changes(&self) -> u64 {
        self.changes
    }
}

impl From<MachineState> for Machine {
    fn from(state: MachineState) -> Self {
        Machine { state, changes: 0 }
    }
}
