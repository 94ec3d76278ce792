//! Which pods a kubelet sync visits. A pod's sync does something only when
//! what it reads changed or one of its own deadlines came: everything the
//! kubelet does by itself over time (probes, container exits and file
//! writes, back-offs, pulls, retries) is a wake-up it asked for. It reads
//! its pod, other objects (ConfigMaps, Secrets, claims, Services, its
//! Node; never another pod, a Lease or an Event), the node's files and
//! containers (which only the kubelet itself and commands change) and the
//! kubelet process. So:
//!
//! - when the machine changed (a command, another component: see
//!   [`Machine`](crate::node::Machine)), or an object other than a pod, a
//!   Lease or an Event, or the node's files, or the kubelet process: every pod
//!   ([`Plan::All`]);
//! - when only pods bound to its node changed: the pods whose objects
//!   changed, the new ones and those with a deadline due ([`Plan::Changed`]);
//! - otherwise: only those with a deadline due ([`Plan::Due`]).
//!
//! A skipped pod keeps the wake-ups it asked for. Syncing pods in the order
//! of their keys, as before, keeps the kubelet's random draws in the same
//! order: the cluster's bytes do not change.

use crate::clock::Time;
use serde_json::Value;
use std::sync::Arc;

/// What every pod's sync reads besides its own pod and deadlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Inputs {
    /// [`ApiServer::changes_of`](crate::apiserver::ApiServer::changes_of)
    /// the objects it reads but pods and Nodes (see `kubelet::READS`).
    pub objects: u64,
    /// Its own Node (see `Kubelet::node_stamp`).
    pub node: u64,
    /// The pods bound to the node: it moves when one of them changes
    /// (see `Kubelet::pods_stamp`).
    pub pods: u64,
    /// The kubelet process.
    pub pid: u32,
    /// The node's files' version.
    pub files: u64,
}

/// Which pods this sync visits (see the module's text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Plan {
    All,
    Changed,
    Due,
}

/// One pod as its last sync saw it, and what that sync left for the next.
#[derive(Clone, Debug)]
pub(super) struct PodSync {
    /// The object synced (the watch cache's: a changed pod is another one).
    pub pod: Arc<Value>,
    /// The kubelet's UID of the pod.
    pub uid: String,
    /// When.
    pub at: Time,
    /// The wake-ups it asked for.
    pub wakeups: Vec<Time>,
    /// What happens to its containers that the kubelet notices only at its
    /// next sync, whatever wakes it: OOM kills ask no wake-up of their own.
    pub unwoken: Vec<Time>,
    /// It left a change its status does not show yet (a finished pod's
    /// sandbox stopped): the next sync reports it, whenever that is.
    pub again: bool,
}

impl PodSync {
    /// From when the pod's next sync would do something by itself.
    fn due_at(&self) -> Option<Time> {
        if self.again {
            return Some(self.at);
        }
        self.wakeups
            .iter()
            .chain(&self.unwoken)
            .copied()
            .filter(|t| *t > self.at)
            .min()
    }

    pub fn due(&self, now: Time) -> bool {
        self.due_at().is_some_and(|t| t <= now)
    }

    /// The earliest wake-up it asked for that is still to come.
    fn next_wakeup(&self) -> Option<Time> {
        self.wakeups.iter().copied().filter(|t| *t > self.at).min()
    }
}

/// The kubelet's pods as its last sync left them.
#[derive(Debug, Default)]
pub(super) struct PodSyncs {
    inputs: Option<Inputs>,
    /// The pods bound to the node, in key order.
    pods: Vec<PodSync>,
    /// The earliest [`PodSync::due_at`] of them.
    due: Option<Time>,
    /// The earliest wake-up one of them asked for.
    next: Option<Time>,
}

impl PodSyncs {
    /// Which pods a sync with these inputs visits; `outside`: the machine
    /// changed since the last sync.
    pub fn plan(&mut self, inputs: Inputs, outside: bool) -> Plan {
        let last = self.inputs.replace(inputs);
        match last {
            Some(l)
                if !outside
                    && l.objects == inputs.objects
                    && l.node == inputs.node
                    && l.pid == inputs.pid
                    && l.files == inputs.files =>
            {
                if l.pods == inputs.pods {
                    Plan::Due
                } else {
                    Plan::Changed
                }
            }
            _ => Plan::All,
        }
    }

    /// The kubelet stopped (or lost its node): it asks no wake-ups for
    /// its pods, and starts over when it runs again.
    pub fn forget(&mut self) {
        *self = PodSyncs::default();
    }

    /// Whether a pod has a deadline due now.
    pub fn any_due(&self, now: Time) -> bool {
        self.due.is_some_and(|t| t <= now)
    }

    /// When the first pod's deadline comes ([`PodSyncs::any_due`] from then on).
    pub fn due_at(&self) -> Option<Time> {
        self.due
    }

    pub fn take(&mut self) -> Vec<PodSync> {
        std::mem::take(&mut self.pods)
    }

    /// The pods after a sync, in key order.
    pub fn put(&mut self, pods: Vec<PodSync>) {
        self.due = pods.iter().filter_map(PodSync::due_at).min();
        self.next = pods.iter().filter_map(PodSync::next_wakeup).min();
        self.pods = pods;
    }

    /// The earliest wake-up a pod asked for, after `now`.
    pub fn next_wakeup(&self, now: Time) -> Option<Time> {
        self.next.filter(|t| *t > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Duration;

    fn inputs(objects: u64, pods: u64) -> Inputs {
        Inputs {
            objects,
            node: 1,
            pods,
            pid: 1,
            files: 1,
        }
    }

    #[test]
    fn the_plan_follows_what_changed() {
        let mut s = PodSyncs::default();
        assert_eq!(s.plan(inputs(1, 1), false), Plan::All, "first sync");
        assert_eq!(s.plan(inputs(1, 1), false), Plan::Due);
        assert_eq!(s.plan(inputs(1, 2), false), Plan::Changed, "a pod changed");
        assert_eq!(
            s.plan(inputs(3, 3), false),
            Plan::All,
            "another object changed"
        );
        assert_eq!(s.plan(inputs(3, 3), true), Plan::All, "the machine changed");
        assert_eq!(s.plan(inputs(3, 3), false), Plan::Due);
        assert_eq!(
            s.plan(
                Inputs {
                    files: 2,
                    ..inputs(3, 3)
                },
                false
            ),
            Plan::All,
            "a file changed"
        );
        s.forget();
        assert_eq!(
            s.plan(inputs(3, 3), false),
            Plan::All,
            "the kubelet came back"
        );
    }

    #[test]
    fn a_pod_is_due_at_its_deadlines_and_unasked_ones() {
        let t0 = Time::EPOCH;
        let s = |secs: i64| t0 + Duration::from_secs(secs);
        let mut p = PodSync {
            pod: Arc::new(Value::Null),
            uid: "u".into(),
            at: s(10),
            // One stale (before the sync), one to come.
            wakeups: vec![s(5), s(30)],
            unwoken: vec![s(20)],
            again: false,
        };
        assert!(!p.due(s(19)));
        assert!(p.due(s(20)), "an OOM kill is seen at the next sync");
        assert_eq!(p.next_wakeup(), Some(s(30)), "but asks no wake-up");
        p.unwoken.clear();
        assert!(!p.due(s(29)));
        assert!(p.due(s(30)));
        p.again = true;
        assert!(p.due(s(10)), "a change left to report: at once");
        let mut all = PodSyncs::default();
        all.put(vec![p]);
        assert!(all.any_due(s(10)));
        assert_eq!(all.next_wakeup(s(10)), Some(s(30)));
        assert_eq!(all.next_wakeup(s(30)), None);
    }
}
