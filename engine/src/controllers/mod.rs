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
pub mod journal;
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

/// What the manager remembers of a controller's last sync.
#[derive(Clone, Copy, Debug)]
struct LastSync {
    /// When it ran.
    at: Time,
    /// The apiserver's stamp of the objects the controller reads (see
    /// [`crate::apiserver::ApiServer::changes_except`]).
    stamp: u64,
    /// The apiserver's change count (see
    /// [`crate::apiserver::ApiServer::change_count`]) the sync started from.
    count: u64,
    /// The sync sent no request and recorded no event: it found nothing
    /// to do, so until a change [concerns](Component::concerns) it or a
    /// wake-up comes, neither would another sync.
    quiet: bool,
}

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
    last_sync: Vec<Option<LastSync>>,
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
            if let Some(seen) = last.as_mut() {
                let waiting = c.next_wakeup(seen.at).is_none_or(|t| t > ctx.now);
                if waiting && seen.stamp == stamp {
                    continue;
                }
                // Some of what it reads changed: does any change concern it?
                if waiting && seen.quiet {
                    let api = &*ctx.api;
                    let concerned = api.any_change_since(seen.count, |change| {
                        let seg = change.segment();
                        !ignored
                            .iter()
                            .any(|r| r.etcd_prefix.split('/').next() == Some(seg))
                            && c.concerns(api, change)
                    });
                    if concerned == Some(false) {
                        // What it reads is as it was at its last sync.
                        seen.stamp = stamp;
                        seen.count = api.change_count();
                        continue;
                    }
                }
            }
            let count = ctx.api.change_count();
            let (revision, requests) = (ctx.api.store().revision(), ctx.api.requests());
            let events = ctx.events.len();
            c.sync(ctx);
            let quiet = ctx.api.store().revision() == revision
                && ctx.api.requests() == requests
                && ctx.events.len() == events;
            *last = Some(LastSync {
                at: ctx.now,
                stamp,
                count,
                quiet,
            });
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

    /// Counts its syncs; concerned only by the ConfigMap `watched`; writes
    /// a ConfigMap `echo-N` at the sync numbers listed in `writes_at`.
    #[derive(Debug)]
    struct Picky {
        syncs: std::rc::Rc<std::cell::Cell<u32>>,
        writes_at: &'static [u32],
    }

    impl Component for Picky {
        fn name(&self) -> String {
            "picky".into()
        }
        fn sync(&mut self, ctx: &mut SyncContext<'_>) {
            let n = self.syncs.get() + 1;
            self.syncs.set(n);
            if self.writes_at.contains(&n) {
                let cm = json!({"metadata": {"name": format!("echo-{n}")}});
                util::create(ctx.api, "configmaps", Some("default"), cm, ctx.now);
            }
        }
        fn next_wakeup(&self, _now: Time) -> Option<Time> {
            None
        }
        fn concerns(
            &self,
            _api: &crate::apiserver::ApiServer,
            change: &crate::apiserver::Change,
        ) -> bool {
            change.key == "/registry/configmaps/default/watched"
        }
    }

    #[test]
    fn a_quiet_controller_runs_again_only_for_a_change_that_concerns_it() {
        let mut c = Cluster::new(1);
        let syncs = std::rc::Rc::default();
        let mut kcm = KubeControllerManager::with_controllers(vec![Box::new(Picky {
            syncs: std::rc::Rc::clone(&syncs),
            writes_at: &[3],
        })]);
        let mut sync = |c: &mut Cluster| {
            let mut ctx = SyncContext {
                api: &mut c.apiserver,
                machines: &mut c.machines,
                now: c.clock.now(),
                events: Vec::new(),
            };
            kcm.sync(&mut ctx);
            syncs.get()
        };
        let put = |c: &mut Cluster, name: &str, v: &str| {
            let now = c.now();
            let cm = json!({"metadata": {"name": name}, "data": {"v": v}});
            match util::get(&c.apiserver, "configmaps", Some("default"), name) {
                Some(mut old) => {
                    old["data"] = cm["data"].clone();
                    util::update(&mut c.apiserver, "configmaps", old);
                }
                None => {
                    util::create(&mut c.apiserver, "configmaps", Some("default"), cm, now);
                }
            }
        };
        assert_eq!(sync(&mut c), 1, "the first sync always runs");
        put(&mut c, "other", "1");
        assert_eq!(sync(&mut c), 1, "a change that does not concern it");
        put(&mut c, "other", "2");
        put(&mut c, "watched", "1");
        put(&mut c, "other", "3");
        assert_eq!(sync(&mut c), 2, "one change among others concerns it");
        assert_eq!(sync(&mut c), 2, "nothing since");
        put(&mut c, "watched", "2");
        assert_eq!(sync(&mut c), 3, "this sync writes: it is not quiet");
        // After a sync that wrote, any change runs it again (its own
        // write included), as before the journal.
        assert_eq!(sync(&mut c), 4);
        put(&mut c, "other", "4");
        assert_eq!(sync(&mut c), 4, "quiet again: other changes are skipped");
        // A restored store: the journal cannot tell what changed.
        let store = c.apiserver.store().clone();
        c.apiserver.etcd_replace(store);
        put(&mut c, "other", "5");
        assert_eq!(sync(&mut c), 5, "after a reload every controller runs");
    }

    /// The ReplicaSet controller, quiet once its pods run, still sees an
    /// orphan it may adopt and the loss of a pod it owns; another owner's
    /// pod with the same labels stays that owner's.
    #[test]
    fn quiet_controllers_still_see_the_pods_that_concern_them() {
        let mut c = Cluster::new(1);
        deploy(&mut c, "a");
        c.step(crate::clock::Duration::from_secs(30));
        let owner_of = |c: &Cluster, name: &str| {
            util::get(&c.apiserver, "pods", Some("default"), name)
                .map(|p| p["metadata"]["ownerReferences"][0]["kind"].clone())
        };
        // The labels of the ReplicaSet's pods (`pod-template-hash` too).
        let labels = util::list(&c.apiserver, "pods", Some("default"))
            .first()
            .map(|p| p["metadata"]["labels"].clone())
            .unwrap_or_else(|| panic!("no pod"));
        let pod = |name: &str, owners: serde_json::Value| {
            json!({"metadata": {"name": name, "labels": labels, "ownerReferences": owners},
                   "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
        };
        let now = c.now();
        // Any owner that exists keeps the garbage collector away.
        let holder = json!({"metadata": {"name": "holder"}});
        let holder = util::create(&mut c.apiserver, "configmaps", Some("default"), holder, now)
            .unwrap_or_else(|| panic!("no configmap"));
        let theirs = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "holder",
                             "uid": util::uid(&holder), "controller": true}]);
        util::create(
            &mut c.apiserver,
            "pods",
            Some("default"),
            pod("theirs", theirs),
            now,
        );
        c.settle();
        assert_eq!(owner_of(&c, "theirs"), Some(json!("ConfigMap")));
        util::create(
            &mut c.apiserver,
            "pods",
            Some("default"),
            pod("orphan", json!([])),
            now,
        );
        c.settle();
        // Adopted, it made one too many, and went first (not yet scheduled).
        assert_eq!(owner_of(&c, "orphan"), None);
        let deleted = util::list(&c.apiserver, "events", Some("default"))
            .iter()
            .any(|e| e["reason"] == "SuccessfulDelete" && e["message"] == "Deleted pod: orphan");
        assert!(
            deleted,
            "the ReplicaSet adopted the orphan, then scaled down"
        );
        assert_eq!(owner_of(&c, "theirs"), Some(json!("ConfigMap")));
    }

    /// The endpoints controller, quiet while nothing it reads changes, sees
    /// a selected pod turn ready (a kubelet's status write while the clock
    /// runs), and not the pods no Service selects.
    #[test]
    fn quiet_endpoints_controller_sees_a_selected_pod_turn_ready() {
        let mut c = Cluster::new(1);
        let now = c.now();
        let svc = json!({"metadata": {"name": "a"},
                         "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}});
        util::create(&mut c.apiserver, "services", Some("default"), svc, now);
        c.settle();
        deploy(&mut c, "a");
        let addresses = |c: &Cluster| {
            util::get(&c.apiserver, "endpoints", Some("default"), "a")
                .and_then(|ep| ep["subsets"][0]["addresses"].as_array().map(Vec::len))
                .unwrap_or(0)
        };
        assert_eq!(addresses(&c), 0, "not running yet");
        c.step(crate::clock::Duration::from_secs(30));
        assert_eq!(addresses(&c), 1);
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
