//! The scheduling queue (upstream `internal/queue`): activeQ, backoffQ and
//! the unschedulable pool in one map, each pod with its state.
//!
//! - A new pod goes to activeQ, unless a PreEnqueue plugin (SchedulingGates)
//!   holds it back (gated).
//! - A failed attempt sends the pod to the unschedulable pool with a backoff
//!   of 1 s doubling per attempt up to 10 s.
//! - A cluster event one of the plugins that rejected it cares about (node
//!   added or updated, an assigned pod added or deleted, storage changed),
//!   or an update of the pod itself, moves it to backoffQ (activeQ once its
//!   backoff has expired); after 5 minutes in the pool it is retried anyway.

use super::framework::QueueSortPlugin;
use super::plugins::names;
use super::types::PodInfo;
use crate::clock::{Duration, Time};
use std::collections::HashMap;

pub const INITIAL_BACKOFF: Duration = Duration::from_secs(1);
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// `podMaxInUnschedulablePodsDuration`.
pub const MAX_IN_UNSCHEDULABLE: Duration = Duration::from_secs(300);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QState {
    Active,
    /// In backoffQ until the time.
    Backoff(Time),
    Unschedulable {
        since: Time,
        backoff_until: Time,
    },
    /// Held by a PreEnqueue plugin.
    Gated,
}

/// What happened in the cluster (upstream `ClusterEvent`), for requeueing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClusterEvent {
    NodeAddOrUpdate,
    AssignedPodAdd,
    AssignedPodDelete,
    StorageChange,
}

impl ClusterEvent {
    /// Whether a pod rejected by `plugin` may fit after this event.
    fn interests(self, plugin: &str) -> bool {
        match self {
            ClusterEvent::NodeAddOrUpdate => true,
            ClusterEvent::AssignedPodAdd => {
                matches!(
                    plugin,
                    names::INTER_POD_AFFINITY | names::POD_TOPOLOGY_SPREAD
                )
            }
            ClusterEvent::AssignedPodDelete => matches!(
                plugin,
                names::NODE_RESOURCES_FIT
                    | names::NODE_PORTS
                    | names::INTER_POD_AFFINITY
                    | names::POD_TOPOLOGY_SPREAD
                    | names::VOLUME_BINDING
            ),
            ClusterEvent::StorageChange => plugin == names::VOLUME_BINDING,
        }
    }
}

#[derive(Clone, Debug)]
pub struct QueuedPod {
    pub pod: PodInfo,
    pub state: QState,
    pub attempts: u32,
    /// The resourceVersion of the scheduler's own last write to the pod
    /// (a status update is not a user's change).
    pub own_rv: String,
    /// Plugins that rejected the pod in its last attempt (empty: unknown, any event moves it).
    pub rejected_by: Vec<&'static str>,
}

#[derive(Clone, Debug, Default)]
pub struct SchedulingQueue {
    pub pods: HashMap<String, QueuedPod>,
}

/// `calculateBackoffDuration`: 1 s doubling per attempt, at most 10 s.
pub fn backoff(attempts: u32) -> Duration {
    let mut d = INITIAL_BACKOFF;
    for _ in 1..attempts {
        d = Duration(d.0.saturating_mul(2));
        if d >= MAX_BACKOFF {
            return MAX_BACKOFF;
        }
    }
    d
}

impl SchedulingQueue {
    /// Whether the stored version is current (nothing to do).
    pub fn is_current(&self, key: &str, rv: &str) -> bool {
        self.pods
            .get(key)
            .is_some_and(|q| q.pod.resource_version == rv || q.own_rv == rv)
    }

    /// Adds a pod, or takes a new version of it.
    pub fn upsert(&mut self, pod: PodInfo, gated: bool, now: Time) {
        let key = pod.key();
        match self.pods.get_mut(&key) {
            None => {
                self.pods.insert(
                    key,
                    QueuedPod {
                        pod,
                        state: if gated { QState::Gated } else { QState::Active },
                        attempts: 0,
                        own_rv: String::new(),
                        rejected_by: Vec::new(),
                    },
                );
            }
            Some(q) => {
                let own = q.own_rv == pod.resource_version;
                q.pod = pod;
                if gated {
                    q.state = QState::Gated;
                } else if q.state == QState::Gated {
                    q.state = QState::Active;
                } else if !own {
                    Self::wake(q, now);
                }
            }
        }
    }

    fn wake(q: &mut QueuedPod, now: Time) {
        if let QState::Unschedulable { backoff_until, .. } = q.state {
            q.state = if backoff_until > now {
                QState::Backoff(backoff_until)
            } else {
                QState::Active
            };
        }
    }

    /// Moves the unschedulable pods the event may help.
    pub fn on_event(&mut self, ev: ClusterEvent, now: Time) {
        for q in self.pods.values_mut() {
            if q.rejected_by.is_empty() || q.rejected_by.iter().any(|p| ev.interests(p)) {
                Self::wake(q, now);
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<QueuedPod> {
        self.pods.remove(key)
    }

    /// Keys of the pods to schedule at `now`, in QueueSort order.
    pub fn ready(&self, now: Time, sort: &dyn QueueSortPlugin) -> Vec<String> {
        let mut ready: Vec<&QueuedPod> = self
            .pods
            .values()
            .filter(|q| match q.state {
                QState::Active => true,
                QState::Backoff(t) => t <= now,
                QState::Unschedulable {
                    since,
                    backoff_until,
                } => since + MAX_IN_UNSCHEDULABLE <= now && backoff_until <= now,
                QState::Gated => false,
            })
            .collect();
        crate::sort::sort_by(&mut ready, |a, b| {
            if sort.less(&a.pod, &b.pod) {
                std::cmp::Ordering::Less
            } else if sort.less(&b.pod, &a.pod) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        ready.into_iter().map(|q| q.pod.key()).collect()
    }

    /// A failed attempt: to the unschedulable pool, with backoff.
    pub fn failed(
        &mut self,
        key: &str,
        now: Time,
        rejected_by: Vec<&'static str>,
        own_rv: Option<String>,
    ) {
        if let Some(q) = self.pods.get_mut(key) {
            q.attempts += 1;
            let until = now + backoff(q.attempts);
            q.state = QState::Unschedulable {
                since: now,
                backoff_until: until,
            };
            q.rejected_by = rejected_by;
            if let Some(rv) = own_rv {
                q.own_rv = rv;
            }
        }
    }

    /// The earliest time a waiting pod becomes ready on its own.
    pub fn next_wakeup(&self) -> Option<Time> {
        self.pods
            .values()
            .filter_map(|q| match q.state {
                QState::Active | QState::Gated => None,
                QState::Backoff(t) => Some(t),
                QState::Unschedulable {
                    since,
                    backoff_until,
                } => Some((since + MAX_IN_UNSCHEDULABLE).max(backoff_until)),
            })
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::super::plugins::queuesort::PrioritySort;
    use super::super::plugins::testutil::pod;
    use super::*;
    use serde_json::json;

    #[test]
    fn backoff_doubles_to_ten_seconds() {
        let secs: Vec<i64> = (1..=6).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(secs, vec![1, 2, 4, 8, 10, 10]);
    }

    #[test]
    fn lifecycle() {
        let t0 = Time::EPOCH;
        let mut q = SchedulingQueue::default();
        q.upsert(pod("a", json!({"spec": {"priority": 1}})), false, t0);
        q.upsert(pod("b", json!({"spec": {"priority": 5}})), false, t0);
        q.upsert(pod("g", json!({})), true, t0);
        assert_eq!(q.ready(t0, &PrioritySort), vec!["default/b", "default/a"]);
        q.failed("default/a", t0, vec![names::NODE_RESOURCES_FIT], None);
        assert!(!q
            .ready(t0, &PrioritySort)
            .contains(&"default/a".to_string()));
        assert_eq!(q.next_wakeup(), Some(t0 + MAX_IN_UNSCHEDULABLE));
        // an event Fit does not care about leaves it
        q.on_event(ClusterEvent::AssignedPodAdd, t0);
        assert!(matches!(
            q.pods.get("default/a").map(|p| p.state),
            Some(QState::Unschedulable { .. })
        ));
        // a pod deletion moves it to backoffQ, ready after 1 s
        q.on_event(ClusterEvent::AssignedPodDelete, t0);
        assert_eq!(q.next_wakeup(), Some(t0 + Duration::from_secs(1)));
        assert!(!q
            .ready(t0, &PrioritySort)
            .contains(&"default/a".to_string()));
        assert!(q
            .ready(t0 + Duration::from_secs(1), &PrioritySort)
            .contains(&"default/a".to_string()));
        // ungating
        q.upsert(pod("g", json!({})), false, t0);
        assert!(q
            .ready(t0, &PrioritySort)
            .contains(&"default/g".to_string()));
    }
}
