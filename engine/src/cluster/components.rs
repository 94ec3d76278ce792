//! The components a cluster runs, in the order the control loop syncs
//! them. Each issue that brings a component registers it here, one line.

use super::Component;
use crate::node::Machine;
use std::collections::BTreeMap;

/// The default set for a kubeadm cluster with these machines.
// One `push` per component keeps each registration a one-line change.
#[allow(clippy::vec_init_then_push)]
pub fn default_components(
    machines: &BTreeMap<String, Machine>,
    seed: u64,
) -> Vec<Box<dyn Component>> {
    let _ = (machines, seed);
    let mut components: Vec<Box<dyn Component>> = Vec::new();
    components.extend(
        machines
            .keys()
            .map(|n| Box::new(crate::kubelet::Kubelet::new(n, seed)) as Box<dyn Component>),
    );
    // Registrations (one line each): kubelets, scheduler, controllers.
    components.push(Box::new(crate::node::service::Systemd::default()));
    components.push(Box::new(
        crate::apiserver::compactor::EtcdCompactor::default(),
    ));
    components.push(Box::new(crate::scheduler::KubeScheduler::new()));
    components.push(Box::new(crate::controllers::KubeControllerManager::new()));
    components.push(Box::new(
        crate::metrics::aggregator::AvailableConditionController,
    ));
    components.push(Box::new(crate::metrics::server::MetricsServer::new()));
    components
}
