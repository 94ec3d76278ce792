//! kube-controller-manager: one module per controller, each a reconcile
//! function over the apiserver's state wrapped as a [`Component`]. They are
//! level-triggered and idempotent: a sync with nothing to do writes nothing,
//! and each asks to be woken when time alone will change something
//! (minReadySeconds, a progress deadline, a cron schedule, a grace period).
//!
//! [`KubeControllerManager`] is the process: it runs the controllers only
//! while its static pod runs on a control-plane node, so moving
//! `kube-controller-manager.yaml` out of `/etc/kubernetes/manifests` stops
//! self-healing, as on a kubeadm cluster.
//!
//! [`Component`]: crate::cluster::Component

pub mod certificates;
pub mod clusterroleaggregation;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod disruption;
pub mod endpoint;
pub mod garbagecollector;
pub mod job;
pub mod namespace;
pub mod nodelifecycle;
pub mod persistentvolume;
pub mod podautoscaler;
pub mod podgc;
pub mod replicaset;
pub mod serviceaccount;
pub mod statefulset;
pub mod util;
pub mod workqueue;

use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use crate::node::Machine;
use std::collections::BTreeMap;

/// The static pod's name (and its manifest's file name).
pub const NAME: &str = "kube-controller-manager";

/// Whether kube-controller-manager runs: the kubelet of a control-plane
/// node runs its static pod's container (a moved manifest, a bad flag or a
/// wrong image stop it). Stopping the kubelet does not stop running
/// containers. Without machines (unit tests of a bare apiserver) it runs.
pub fn controller_manager_running(machines: &BTreeMap<String, Machine>, now: Time) -> bool {
    crate::cluster::control_plane::container_serving(machines, NAME, now, Duration::ZERO)
}

/// What most controllers never read: the nodes' Leases (renewed every
/// 10 s by every kubelet) and Events (they write them, through the
/// recorder). Only the node lifecycle controller reads leases, and the
/// garbage collector and the namespace controller read every kind.
pub const LEASES_AND_EVENTS: &[&str] = &["leases", "events"];

/// The controllers kube-controller-manager v1.33 starts by default, in the
/// order they sync here.
#[derive(Debug)]
pub struct KubeControllerManager {
    controllers: Vec<Box<dyn Component>>,
    running: bool,
    /// Per controller, its last sync: the instant and the stamp of the
    /// objects it reads (all but those it [ignores](Component::ignores))
    /// it started from. A controller reads only the apiserver (and the
    /// clock, through the wake-ups it asks for), so with those objects
    /// unchanged and none of its wake-ups due, a sync would write nothing:
    /// it is skipped (an informer with no event to deliver).
    last_sync: Vec<Option<(Time, u64)>>,
    /// Per controller, the resources it ignores.
    ignored: Vec<Vec<&'static crate::api::Resource>>,
}

impl KubeControllerManager {
    pub fn new() -> Self {
        let controllers: Vec<Box<dyn Component>> = vec![
            Box::new(deployment::DeploymentController::new()),
            Box::new(replicaset::ReplicaSetController::new(
                replicaset::Kind::ReplicaSet,
            )),
            Box::new(replicaset::ReplicaSetController::new(
                replicaset::Kind::ReplicationController,
            )),
            Box::new(daemonset::DaemonSetController::new()),
            Box::new(statefulset::StatefulSetController::new()),
            Box::new(cronjob::CronJobController::new()),
            Box::new(job::JobController::new()),
            Box::new(namespace::NamespaceController::new()),
            Box::new(serviceaccount::ServiceAccountController::new()),
            Box::new(garbagecollector::GarbageCollector::new()),
            Box::new(nodelifecycle::NodeLifecycleController::new()),
            Box::new(nodelifecycle::eviction::TaintEvictionController::new()),
            Box::new(podgc::PodGcController::new()),
            Box::new(endpoint::EndpointsController::new()),
            Box::new(persistentvolume::PersistentVolumeController::new()),
            Box::new(podautoscaler::HorizontalController::new()),
            Box::new(disruption::DisruptionController::new()),
            Box::new(clusterroleaggregation::ClusterRoleAggregationController::new()),
            Box::new(certificates::CsrSigningController::new()),
        ];
        Self::with_controllers(controllers)
    }

    /// The manager of these controllers, each resolving what it ignores once.
    fn with_controllers(controllers: Vec<Box<dyn Component>>) -> Self {
        let ignored = controllers
            .iter()
            .map(|c| {
                c.ignores()
                    .iter()
                    .filter_map(|p| crate::api::resolve(p))
                    .collect()
            })
            .collect();
        KubeControllerManager {
            last_sync: vec![None; controllers.len()],
            controllers,
            running: true,
            ignored,
        }
    }
}

impl Default for KubeControllerManager {
    fn default() -> Self {
        Self::new()
    }
}

impl Component for KubeControllerManager {
    fn name(&self) -> String {
        NAME.into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        self.running = controller_manager_running(ctx.machines, ctx.now);
        if !self.running {
            // A restarted process lists everything again.
            self.last_sync.iter_mut().for_each(|l| *l = None);
            return;
        }
        for ((c, last), ignored) in self
            .controllers
            .iter_mut()
            .zip(&mut self.last_sync)
            .zip(&self.ignored)
        {
            let stamp = ctx.api.changes_except(ignored);
            let unchanged = last.is_some_and(|(at, seen)| {
                seen == stamp && c.next_wakeup(at).is_none_or(|t| t > ctx.now)
            });
            if unchanged {
                continue;
            }
            c.sync(ctx);
            *last = Some((ctx.now, stamp));
        }
    }

    fn next_wakeup(&self, now: Time) -> Option<Time> {
        if !self.running {
            return None;
        }
        self.controllers
            .iter()
            .filter_map(|c| c.next_wakeup(now))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Cluster;
    use serde_json::json;

    fn deploy(c: &mut Cluster, name: &str) {
        let now = c.now();
        let d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
        });
        util::create(&mut c.apiserver, "deployments", Some("default"), d, now);
        c.settle();
    }

    fn pods_of(c: &Cluster, app: &str) -> usize {
        util::list(&c.apiserver, "pods", Some("default"))
            .iter()
            .filter(|p| p["metadata"]["labels"]["app"] == app)
            .count()
    }

    #[test]
    fn controllers_run_only_while_the_static_pod_is_there() {
        let mut c = Cluster::new(1);
        deploy(&mut c, "a");
        assert_eq!(pods_of(&c, "a"), 1);
        let manifest = format!("{}/{NAME}.yaml", crate::node::files::MANIFESTS);
        let Some(m) = c.machine_mut("controlplane") else {
            panic!("no controlplane");
        };
        m.fs.rename(&manifest, "/tmp/kcm.yaml")
            .unwrap_or_else(|e| panic!("{e:?}"));
        deploy(&mut c, "b");
        assert_eq!(pods_of(&c, "b"), 0, "no controller manager, no ReplicaSet");
        let Some(m) = c.machine_mut("controlplane") else {
            panic!("no controlplane");
        };
        m.fs.rename("/tmp/kcm.yaml", &manifest)
            .unwrap_or_else(|e| panic!("{e:?}"));
        // The kubelet starts the container again; then the controllers run.
        c.settle();
        assert_eq!(pods_of(&c, "b"), 0, "the pod is not running yet");
        c.step(crate::clock::Duration::from_secs(30));
        assert_eq!(pods_of(&c, "b"), 1);
    }

    /// Counts its syncs; ignores what it is told to.
    #[derive(Debug)]
    struct Counter {
        ignores: &'static [&'static str],
        syncs: std::rc::Rc<std::cell::Cell<u32>>,
    }

    impl Component for Counter {
        fn name(&self) -> String {
            "counter".into()
        }
        fn sync(&mut self, _ctx: &mut SyncContext<'_>) {
            self.syncs.set(self.syncs.get() + 1);
        }
        fn next_wakeup(&self, _now: Time) -> Option<Time> {
            None
        }
        fn ignores(&self) -> &'static [&'static str] {
            self.ignores
        }
    }

    #[test]
    fn a_controller_is_skipped_only_for_changes_to_what_it_ignores() {
        let mut c = Cluster::new(1);
        let (quiet, all) = (std::rc::Rc::default(), std::rc::Rc::default());
        let mut kcm = KubeControllerManager::with_controllers(vec![
            Box::new(Counter {
                ignores: LEASES_AND_EVENTS,
                syncs: std::rc::Rc::clone(&quiet),
            }),
            Box::new(Counter {
                ignores: &[],
                syncs: std::rc::Rc::clone(&all),
            }),
        ]);
        let mut sync = |c: &mut Cluster| {
            let mut ctx = SyncContext {
                api: &mut c.apiserver,
                machines: &mut c.machines,
                now: c.clock.now(),
                events: Vec::new(),
            };
            kcm.sync(&mut ctx);
            (quiet.get(), all.get())
        };
        assert_eq!(sync(&mut c), (1, 1));
        assert_eq!(sync(&mut c), (1, 1), "nothing changed");
        // A lease renewal: only the controller that reads leases runs.
        let mut lease = util::get(&c.apiserver, "leases", Some("kube-node-lease"), "node01")
            .unwrap_or_else(|| panic!("no lease"));
        lease["spec"]["renewTime"] = json!("2025-04-23T08:00:10.000000Z");
        assert!(util::update(&mut c.apiserver, "leases", lease).is_some());
        assert_eq!(sync(&mut c), (1, 2));
        // Anything else: both run.
        let now = c.now();
        let cm = json!({"metadata": {"name": "settings"}});
        util::create(&mut c.apiserver, "configmaps", Some("default"), cm, now);
        assert_eq!(sync(&mut c), (2, 3));
    }
}
