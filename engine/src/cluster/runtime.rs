//! The control loop that makes the cluster live. Components (the scheduler,
//! the controllers, each node's kubelet) are reconcilers: given the state
//! in the apiserver and the time, they write what should change. After a
//! command the cluster **settles** — components run until nothing changes
//! at the current instant — and time moves only by [`Cluster::step`],
//! which wakes each component when it asked to be woken.
//!
//! **Architecture Invariant:** components talk to each other only through
//! the apiserver; none holds a reference to another.

use super::run_queue::{NodeAgent, Rest};
use super::Cluster;
use crate::apiserver::{ApiServer, Change};
use crate::clock::{Duration, Time};
use crate::events::{self, Event};
use crate::node::Machine;
use std::collections::BTreeMap;

/// What a component may touch while it runs.
pub struct SyncContext<'a> {
    pub api: &'a mut ApiServer,
    /// The machines, for node agents (the kubelet reads its node's files).
    pub machines: &'a mut BTreeMap<String, Machine>,
    pub now: Time,
    /// Events to record once the component returns.
    pub events: Vec<Event>,
}

/// A reconciler in the cluster's control loop (kube-rs's
/// `reconcile(obj, ctx) -> Action` at the scale of a whole component).
pub trait Component {
    /// `kube-scheduler`, `replicaset-controller`, `kubelet@node01`.
    fn name(&self) -> String;
    /// Brings the world one step closer to what it should be at `ctx.now`.
    /// Must be idempotent: running it again with nothing changed writes nothing.
    fn sync(&mut self, ctx: &mut SyncContext<'_>);
    /// When the component next has something to do on its own (a backoff
    /// ending, a probe period, a lease renewal), if ever.
    fn next_wakeup(&self, now: Time) -> Option<Time>;
    /// The resources (by plural) a component never reads, so their changes
    /// alone need not run it (see `controllers::KubeControllerManager`).
    /// None by default: every change may matter.
    fn ignores(&self) -> &'static [&'static str] {
        &[]
    }
    /// Whether a change of an object (before and after, in `change`) may
    /// change what the next sync does; `api` is the state now. Asked by
    /// `controllers::KubeControllerManager` only of a controller whose
    /// last sync sent no request and recorded no event: while no change
    /// since concerns it and none of its wake-ups came, a sync would again
    /// do nothing, and is skipped (an informer's event handler that
    /// enqueues nothing). Every change concerns a component by default.
    fn concerns(&self, _api: &ApiServer, _change: &Change) -> bool {
        true
    }
    /// How many of its syncs looked at anything (did not return at once
    /// for want of news): what the cluster's commands and time cost it.
    /// Components that do not count say 0.
    fn syncs_done(&self) -> u64 {
        0
    }
    /// A node agent says which node it runs on and what it reads (see
    /// [`NodeAgent`]); only a node agent may [rest](Component::rest).
    fn node_agent(&self) -> Option<NodeAgent<'_>> {
        None
    }
    /// Whether the last sync left the component at rest: until
    /// [`Rest::until`], its next wake-up, a change of its machine or of
    /// what its [`NodeAgent`] reads, a sync would do nothing and change
    /// nothing (not even its own state), so the run queue skips it (see
    /// `run_queue`). None by default: it runs at every round.
    fn rest(&self) -> Option<Rest> {
        None
    }
}

/// How many rounds settling may take before it stops: a component that
/// keeps writing at one instant is a bug, and must not hang the page.
const MAX_SETTLE_ROUNDS: usize = 64;

impl Cluster {
    pub fn add_component(&mut self, c: Box<dyn Component>) {
        self.components.push(c);
    }

    /// Runs every component until the store stops changing at this instant
    /// (after a command, or when the clock moved). A command may also have
    /// changed what a node agent reads besides the apiserver (a node's
    /// files, containers, services): the machine counts its changes (see
    /// [`Machine`]), and the agent compares the count to what it saw, so a
    /// command that changed nothing costs the agents nothing.
    pub fn settle(&mut self) {
        self.sync_etcd_data_dir();
        // A command may have changed anything.
        self.run_queue.take_in_all(&self.apiserver, &self.machines);
        for _ in 0..MAX_SETTLE_ROUNDS {
            let before = self.apiserver.store().revision();
            self.sync_all();
            if self.apiserver.store().revision() == before {
                return;
            }
        }
    }

    /// [`Component::syncs_done`] of the component named `name`.
    pub fn syncs_done(&self, name: &str) -> Option<u64> {
        self.components
            .iter()
            .find(|c| c.name() == name)
            .map(|c| c.syncs_done())
    }

    /// One round: every component that does not rest, in order.
    fn sync_all(&mut self) {
        let now = self.clock.now();
        for (i, c) in self.components.iter_mut().enumerate() {
            if self.run_queue.skips(i, now) {
                #[cfg(test)]
                check_rest(c.as_mut(), &mut self.apiserver, &mut self.machines, now);
                continue;
            }
            let mut ctx = SyncContext {
                api: &mut self.apiserver,
                machines: &mut self.machines,
                now,
                events: Vec::new(),
            };
            c.sync(&mut ctx);
            for e in std::mem::take(&mut ctx.events) {
                events::record(ctx.api, now, &e);
            }
            self.run_queue
                .synced(i, c.as_ref(), &self.apiserver, &self.machines, now);
        }
    }

    /// Runs the cluster forward by `d`: the clock jumps to each moment a
    /// component asked to be woken, and the cluster settles there.
    pub fn step(&mut self, d: Duration) {
        let target = self.clock.now() + d;
        self.settle();
        loop {
            match self.next_wakeup() {
                Some(t) if t < target => {
                    self.clock.advance_to(t);
                    self.settle();
                }
                _ => {
                    self.clock.advance_to(target);
                    self.settle();
                    return;
                }
            }
        }
    }
}

impl Cluster {
    /// The earliest moment after now a component asked to be woken.
    fn next_wakeup(&self) -> Option<Time> {
        let now = self.clock.now();
        self.components
            .iter()
            .enumerate()
            .filter_map(|(i, c)| self.run_queue.next_wakeup(i, c.as_ref(), now))
            .filter(|t| *t > now)
            .min()
    }

    /// Runs the cluster forward until `done` holds or `d` has passed, the
    /// way a client watching the store waits (`kubectl wait`): the clock
    /// jumps from wakeup to wakeup, and `done` is asked again only when the
    /// store changed, so an idle week costs one check per wakeup rather
    /// than a full settle per second. Returns whether `done` held; the
    /// clock stops at the moment it first did.
    pub fn step_until(&mut self, d: Duration, mut done: impl FnMut(&Cluster) -> bool) -> bool {
        let target = self.clock.now() + d;
        self.settle();
        let mut seen = self.apiserver.store().revision();
        if done(self) {
            return true;
        }
        loop {
            if self.clock.now() >= target {
                return false;
            }
            let next = self.next_wakeup().map_or(target, |t| t.min(target));
            self.clock.advance_to(next);
            self.settle();
            let revision = self.apiserver.store().revision();
            if revision != seen {
                seen = revision;
                if done(self) {
                    return true;
                }
            }
        }
    }
}

/// Test builds: the run queue skipped `c`, so its sync must do nothing
/// at all — no write, request or event, no sync it counts, no machine
/// touched. Run anyway, so every test checks every skip.
#[cfg(test)]
fn check_rest(
    c: &mut dyn Component,
    api: &mut ApiServer,
    machines: &mut BTreeMap<String, Machine>,
    now: Time,
) {
    let before = (
        api.store().revision(),
        api.requests(),
        c.syncs_done(),
        machines.values().map(Machine::changes).collect::<Vec<_>>(),
        c.next_wakeup(now),
    );
    let mut ctx = SyncContext {
        api,
        machines,
        now,
        events: Vec::new(),
    };
    c.sync(&mut ctx);
    assert!(
        ctx.events.is_empty(),
        "{} rested but recorded events",
        c.name()
    );
    let after = (
        api.store().revision(),
        api.requests(),
        c.syncs_done(),
        machines.values().map(Machine::changes).collect::<Vec<_>>(),
        c.next_wakeup(now),
    );
    assert_eq!(
        before,
        after,
        "{} rested, but its sync did something",
        c.name()
    );
}

/// A component prints as its name: the reconcilers' own state is theirs.
impl std::fmt::Debug for dyn Component {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::resolve;
    use serde_json::json;

    /// Writes a ConfigMap `tick-N` every 10 s (or `every`), to watch the loop.
    #[derive(Debug, Default)]
    struct Ticker {
        last: Option<Time>,
        n: u32,
        every: Option<Duration>,
    }

    impl Ticker {
        fn period(&self) -> Duration {
            self.every.unwrap_or(Duration::from_secs(10))
        }
    }

    impl Component for Ticker {
        fn name(&self) -> String {
            "ticker".into()
        }
        fn sync(&mut self, ctx: &mut SyncContext<'_>) {
            if self.last.is_some_and(|l| ctx.now - l < self.period()) {
                return;
            }
            self.last = Some(ctx.now);
            self.n += 1;
            if let Some(cm) = resolve("configmaps") {
                let _ = ctx.api.create(
                    cm,
                    Some("default"),
                    json!({"metadata": {"name": format!("tick-{}", self.n)}}),
                    ctx.now,
                );
            }
        }
        fn next_wakeup(&self, _now: Time) -> Option<Time> {
            self.last.map(|l| l + self.period())
        }
    }

    fn ticks(c: &Cluster) -> usize {
        let Some(cm) = resolve("configmaps") else {
            return 0;
        };
        c.apiserver
            .list(cm, Some("default"))
            .iter()
            .filter(|o| crate::api::object::name(o).starts_with("tick-"))
            .count()
    }

    #[test]
    fn step_until_stops_at_the_change_and_looks_only_when_the_store_changed() {
        let mut c = Cluster::new(1);
        c.add_component(Box::new(Ticker {
            every: Some(Duration::from_millis(2_500)),
            ..Ticker::default()
        }));
        c.settle();
        let start = c.now();
        assert_eq!(ticks(&c), 1);
        // Met at the third tick, 5 s on: the clock stops there, not at the
        // next whole second or the deadline.
        assert!(c.step_until(Duration::from_secs(60), |c| ticks(c) >= 3));
        assert_eq!(c.now(), start + Duration::from_millis(5_000));

        // Never met: the deadline ends it, and the condition is asked once
        // at the start and then only after a change to the store (an idle
        // cluster writes far less often than once a second).
        let mut c = Cluster::new(1);
        let start = c.now();
        let before = c.apiserver.store().revision();
        let mut looks = 0i64;
        let met = c.step_until(Duration::from_secs(3600), |_| {
            looks += 1;
            false
        });
        assert!(!met);
        assert_eq!(c.now(), start + Duration::from_secs(3600));
        let writes = c.apiserver.store().revision() - before;
        assert!(looks <= writes + 1, "{looks} looks for {writes} writes");
        assert!(looks < 3600, "{looks} looks in an hour");
    }

    #[test]
    fn step_wakes_components_when_they_asked() {
        let mut c = Cluster::new(1);
        c.add_component(Box::new(Ticker::default()));
        c.settle();
        let cm = resolve("configmaps")
            .copied()
            .unwrap_or_else(|| panic!("configmaps"));
        let ticks = |c: &Cluster| {
            c.apiserver
                .list(&cm, Some("default"))
                .iter()
                .filter(|o| crate::api::object::name(o).starts_with("tick-"))
                .count()
        };
        assert_eq!(ticks(&c), 1);
        c.step(Duration::from_secs(35));
        // Woken at +10, +20, +30.
        assert_eq!(ticks(&c), 4);
    }
}
