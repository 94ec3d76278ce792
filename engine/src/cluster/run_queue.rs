//! Which components a round of the control loop runs. A node agent (a
//! kubelet) whose last sync found nothing to do is **at rest**
//! ([`Component::rest`]): until a moment it names, its next wake-up, a
//! change of its machine, or a change in the store it reads (a pod bound
//! to its node, its own Node, an object of a resource it reads), a sync
//! would return at once. The queue keeps those and skips them, so a round
//! costs the agents something changed for, not one call per node: at 5,000
//! nodes most kubelets rest at most instants.
//!
//! **Architecture Invariant:** a skip is an optimisation, never a
//! behaviour. Test builds still run every resting component and fail when
//! its sync does anything (a write, a request, an event, a sync it counts),
//! so every test checks that the queue skipped only syncs that would have
//! done nothing.
//!
//! [`Component::rest`]: super::Component::rest

use super::Component;
use crate::apiserver::{ApiServer, Change};
use crate::clock::Time;
use crate::node::Machine;
use std::collections::{BTreeMap, BTreeSet};

/// A component's rest: until `until` (if ever), with nothing changed that
/// it reads, a sync would do nothing (see [`Component::rest`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rest {
    pub until: Option<Time>,
}

/// A node agent: the node whose machine it runs on (a sync changes no
/// other machine) and the resources it reads besides the pods bound to
/// that node and the node's own Node object.
#[derive(Clone, Copy, Debug)]
pub struct NodeAgent<'a> {
    pub node: &'a str,
    pub reads: &'a [&'static crate::api::Resource],
}

/// One resting component.
#[derive(Clone, Copy, Debug)]
struct Resting {
    /// Its own next wake-up, as it asked when it came to rest.
    wakeup: Option<Time>,
    /// The earliest of that wake-up and the end of its rest.
    due: Option<Time>,
}

#[derive(Debug, Default)]
pub struct RunQueue {
    /// By component index: `Some` while the component rests.
    resting: Vec<Option<Resting>>,
    /// The resting node agents, by node.
    agents: BTreeMap<String, usize>,
    /// The resource segments a resting agent reads (besides pods and
    /// Nodes): a change of one wakes every resting agent (they all read
    /// the same, and such writes are rare next to pod statuses).
    reads: BTreeSet<&'static str>,
    /// The store's change count taken in so far.
    dispatched: u64,
    /// Each machine's change count as last taken in.
    machines: BTreeMap<String, u64>,
}

/// The key segment `res` is filed under (`minions` for nodes).
fn segment(res: &crate::api::Resource) -> &'static str {
    res.etcd_prefix.split('/').next().unwrap_or_default()
}

impl RunQueue {
    /// Whether component `i` rests at `now`: it is skipped this round.
    pub fn skips(&self, i: usize, now: Time) -> bool {
        self.resting
            .get(i)
            .copied()
            .flatten()
            .is_some_and(|r| r.due.is_none_or(|t| t > now))
    }

    /// The next wake-up of component `c` (index `i`): its own, or while it
    /// rests the one it asked when it came to rest (it has not changed
    /// since: nothing ran it).
    pub fn next_wakeup(&self, i: usize, c: &dyn Component, now: Time) -> Option<Time> {
        match self.resting.get(i).copied().flatten() {
            Some(r) => r.wakeup.filter(|t| *t > now),
            None => c.next_wakeup(now),
        }
    }

    /// Takes in what changed since the queue last looked (a command, a
    /// settle starting): every machine, every change in the store.
    pub fn take_in_all(&mut self, api: &ApiServer, machines: &BTreeMap<String, Machine>) {
        self.take_in_machines(machines);
        self.take_in_changes(api);
    }

    /// After component `i` (`c`) synced at `now`: takes in what it
    /// changed, and whether it now rests.
    pub fn synced(
        &mut self,
        i: usize,
        c: &dyn Component,
        api: &ApiServer,
        machines: &BTreeMap<String, Machine>,
        now: Time,
    ) {
        let agent = c.node_agent();
        match agent {
            // A node agent changes its own machine only (checked in test
            // builds), and what it changed it has seen.
            Some(a) => {
                #[cfg(test)]
                self.check_only_own_machine(a.node, machines);
                if let (Some(seen), Some(m)) = (self.machines.get_mut(a.node), machines.get(a.node))
                {
                    *seen = m.changes();
                }
            }
            None => self.take_in_machines(machines),
        }
        self.take_in_changes(api);
        if self.resting.len() <= i {
            self.resting.resize(i + 1, None);
        }
        let rest = agent.and_then(|a| c.rest().map(|r| (a, r)));
        let slot = self.resting.get_mut(i);
        match (rest, slot) {
            (Some((a, rest)), Some(slot)) => {
                let wakeup = c.next_wakeup(now);
                let due = match (rest.until, wakeup) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                *slot = Some(Resting { wakeup, due });
                self.agents.insert(a.node.to_string(), i);
                self.reads.extend(a.reads.iter().map(|r| segment(r)));
            }
            (None, Some(slot)) => {
                *slot = None;
                if let Some(a) = agent {
                    self.agents.remove(a.node);
                }
            }
            (_, None) => {}
        }
    }

    /// Wakes the resting agent of `node`, if any.
    fn wake(&mut self, node: &str) {
        if let Some(i) = self.agents.remove(node) {
            if let Some(slot) = self.resting.get_mut(i) {
                *slot = None;
            }
        }
    }

    fn wake_all(&mut self) {
        self.agents.clear();
        self.resting.iter_mut().for_each(|r| *r = None);
    }

    /// Wakes the agents of machines that changed since last seen.
    fn take_in_machines(&mut self, machines: &BTreeMap<String, Machine>) {
        let same_set = self.machines.len() == machines.len()
            && self
                .machines
                .keys()
                .zip(machines.keys())
                .all(|(a, b)| a == b);
        if !same_set {
            self.machines =
                crate::sort::map(machines.iter().map(|(n, m)| (n.clone(), m.changes())));
            self.wake_all();
            return;
        }
        let mut changed = Vec::new();
        for ((name, seen), m) in self.machines.iter_mut().zip(machines.values()) {
            if *seen != m.changes() {
                *seen = m.changes();
                changed.push(name.clone());
            }
        }
        for name in changed {
            self.wake(&name);
        }
    }

    /// Wakes the agents the store's changes since last seen concern.
    fn take_in_changes(&mut self, api: &ApiServer) {
        let since = self.dispatched;
        self.dispatched = api.change_count();
        if self.agents.is_empty() {
            return;
        }
        let (pods, nodes) = match (crate::api::resolve("pods"), crate::api::resolve("nodes")) {
            (Some(p), Some(n)) => (segment(p), segment(n)),
            _ => {
                self.wake_all();
                return;
            }
        };
        let mut woken: Vec<String> = Vec::new();
        let mut all = false;
        let reads = &self.reads;
        let known = api.any_change_since(since, |change: &Change| {
            let seg = change.segment();
            if seg == pods {
                woken.extend(
                    change
                        .versions()
                        .filter_map(|p| crate::api::object::str_at(p, "spec.nodeName"))
                        .map(String::from),
                );
            } else if seg == nodes {
                woken.extend(change.key.rsplit('/').next().map(String::from));
            } else if reads.contains(seg) {
                all = true;
            }
            false
        });
        if all || known.is_none() {
            self.wake_all();
            return;
        }
        for node in woken {
            self.wake(&node);
        }
    }

    /// Test builds: a node agent's sync changed no machine but its own.
    #[cfg(test)]
    fn check_only_own_machine(&self, node: &str, machines: &BTreeMap<String, Machine>) {
        for (name, m) in machines {
            if name != node {
                if let Some(seen) = self.machines.get(name) {
                    assert_eq!(
                        *seen,
                        m.changes(),
                        "the agent of {node} changed machine {name}: the run queue would not see it"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap (ARCHITECTURE.md)
mod tests {
    use crate::api::resolve;
    use crate::clock::{Duration, Time};
    use crate::cluster::{Cluster, NodeSpec, Topology};
    use serde_json::json;

    fn cluster() -> Cluster {
        let nodes = vec![
            NodeSpec::control_plane("controlplane"),
            NodeSpec::worker("node01"),
            NodeSpec::worker("node02"),
        ];
        let mut c = Cluster::with_topology(1, &Topology { nodes });
        c.step(Duration::from_secs(30));
        c
    }

    /// Whether the next round at `at` skips the kubelet of `node`.
    fn skipped(c: &Cluster, node: &str, at: Time) -> bool {
        let name = format!("kubelet@{node}");
        let i = c.components.iter().position(|k| k.name() == name).unwrap();
        c.run_queue.skips(i, at)
    }

    /// Takes in what changed between rounds, as a settle does first.
    fn take_in(c: &mut Cluster) {
        c.run_queue.take_in_all(&c.apiserver, &c.machines);
    }

    fn create(c: &mut Cluster, plural: &str, obj: serde_json::Value) {
        let now = c.now();
        let res = resolve(plural).unwrap();
        c.apiserver.create(res, Some("default"), obj, now).unwrap();
    }

    #[test]
    fn an_idle_kubelet_is_skipped_until_due_or_concerned() {
        let mut c = cluster();
        let now = c.now();
        assert!(skipped(&c, "node01", now) && skipped(&c, "node02", now));
        // Due: its lease is renewed every 10 s, so by then it runs.
        assert!(!skipped(&c, "node01", now + Duration::from_secs(10)));

        // Not concerned: a Deployment (the controllers' business).
        let d = json!({"metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}});
        create(&mut c, "deployments", d);
        take_in(&mut c);
        assert!(skipped(&c, "node01", now) && skipped(&c, "node02", now));

        // A pod bound to node01 wakes its kubelet, not node02's.
        let pod = json!({"metadata": {"name": "p"},
            "spec": {"nodeName": "node01", "containers": [{"name": "c", "image": "nginx"}]}});
        create(&mut c, "pods", pod);
        take_in(&mut c);
        assert!(!skipped(&c, "node01", now));
        assert!(skipped(&c, "node02", now));

        // A change of its machine (a command over ssh) wakes node02's.
        std::ops::DerefMut::deref_mut(c.machine_mut("node02").unwrap()).kubelet_running = true;
        take_in(&mut c);
        assert!(!skipped(&c, "node02", now));
    }

    #[test]
    fn what_every_kubelet_reads_wakes_every_kubelet() {
        let mut c = cluster();
        let now = c.now();
        assert!(skipped(&c, "node01", now) && skipped(&c, "node02", now));
        create(&mut c, "configmaps", json!({"metadata": {"name": "cm"}}));
        take_in(&mut c);
        assert!(!skipped(&c, "node01", now) && !skipped(&c, "node02", now));
        // Once they have looked (a sync that finds news, then one that
        // finds the same), they rest again.
        c.step(Duration::from_millis(1));
        let now = c.now();
        assert!(skipped(&c, "node01", now) && skipped(&c, "node02", now));
    }
}
