//! The kubelet: one per node. It runs the pods bound to its node through
//! the node's container runtime ([`runtime`]) and reports their status,
//! renews the node's Lease and posts the node's status. When the node's
//! `kubelet` service is stopped (`systemctl stop kubelet`) it does nothing
//! at all: its containers keep running, but nobody reports on them.
//!
//! The pod lifecycle follows v1.33's `SyncPod`: sandbox, then init
//! containers one at a time, then the app containers, each one pulled
//! (`Pulling`/`Pulled`, `ErrImagePull`/`ImagePullBackOff`), created and
//! started (`Created`/`Started`); an exited container is restarted per
//! `restartPolicy` after a back-off ([`backoff`]: 10 s doubling to 5 min,
//! `CrashLoopBackOff` meanwhile). A pod with a `deletionTimestamp` has its
//! containers stopped (`Killing`) within its grace period, and is then
//! removed with a delete of grace 0.

pub mod backoff;
mod binary_help;
pub mod container;
pub mod control_plane_start;
pub mod env;
pub mod images;
mod lifecycle;
mod mount;
mod node_status;
mod pod_status;
mod pod_syncs;
mod probes;
pub mod runtime;
pub mod server;
pub mod shell;
pub mod static_pods;
pub mod status;
pub mod usage;

use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use crate::events::{Event, EventType, Source};
use crate::maps::BoxedMap;
use crate::node::Machine;
use crate::rng::Rng;
use backoff::Backoff;
use runtime::{Container, Sandbox};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How long the sandbox (pause container and CNI) takes to come up.
const SANDBOX_MS: i64 = 1_200;
/// From the end of a pull to the container running (create + start).
const CREATE_MS: i64 = 150;
/// The pod worker's retry after a failed sync (`backOffPeriod`).
const RETRY: Duration = Duration::from_secs(10);
/// How far ahead a container's process is computed at a time.
const HORIZON_MS: i64 = 3_600_000;

/// What a kubelet's sync reads from the apiserver, by resource: its pod
/// syncs (the pods bound to its node; `configMap`, `secret`, `projected`
/// and PVC volumes; `envFrom`, `configMapKeyRef`, `secretKeyRef` and the
/// service links' env vars; `resourceFieldRef` defaults from its Node's
/// allocatable), its static pods' mirror pods, and its Node's
/// registration and status. A change of anything else cannot change what
/// a sync does, so its idle check ([`Kubelet::still_idle`]) counts only
/// these: a Job's, a ReplicaSet's, an HPA's or an Endpoints' write leaves
/// every kubelet idle. Of the pods and Nodes it reads only some: the pods
/// bound to its node (and a pod of a mirror pod's name, elsewhere only
/// while it blocks the mirror, when every change counts: see
/// [`Kubelet::pods_stamp`]) and its own Node (see [`Kubelet::node_stamp`]).
///
/// Test builds check every sync's reads against it (`check_reads`): a
/// read of a resource missing here fails every test whose kubelet makes
/// it. The answers a container's own `nslookup` gets at its start are
/// not among them: computed into its run then, no later sync asks again.
pub(crate) const READS: &[&str] = &[
    "pods",
    "nodes",
    "configmaps",
    "secrets",
    "services",
    "persistentvolumeclaims",
    "persistentvolumes",
];

/// What a kubelet reads besides [`READS`] only when a deadline makes its
/// sync run whatever changed: its own Lease, at each renewal
/// (`node_status::RENEW_INTERVAL`, a condition of the idle check).
/// Read only by the test builds' check: no stamp needs them.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const READS_WHEN_DUE: &[&str] = &["leases"];

/// Where a container stands, on the kubelet's side.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slot {
    /// Not started yet (or to be started again).
    Idle,
    /// Pulling its image until `until`; the outcome is decided.
    Pulling {
        until: Time,
        started: Time,
        result: Result<images::Resolved, String>,
    },
    /// A pull failed: `ErrImagePull`, then `ImagePullBackOff`.
    PullFailed {
        reason: &'static str,
        message: String,
        retry_at: Time,
    },
    /// The image is there; the container is created at `at`.
    Creating { at: Time, image: images::Resolved },
    /// `CreateContainerConfigError` (a missing ConfigMap or Secret…).
    ConfigError { message: String, retry_at: Time },
    /// A volume cannot be set up yet (`FailedMount`): `ContainerCreating`.
    VolumeWait { retry_at: Time },
    /// Has a container in the runtime (running or exited).
    Started,
    /// Exited and waiting for its back-off to end.
    CrashBackOff {
        until: Time,
        backoff: Duration,
        next_event: Time,
    },
    /// Finished for good (restart policy says no more).
    Done,
}

/// One pod's worker.
#[derive(Clone, Debug)]
struct Worker {
    uid: String,
    namespace: String,
    name: String,
    /// When the kubelet first saw it (`startTime`).
    seen: Time,
    /// The sandbox is ready at this time.
    sandbox_at: Time,
    ip: String,
    /// Boxed (`maps::BoxedMap`): a `Slot` value had its own copy of
    /// BTreeMap's code in the wasm bundle.
    slots: BoxedMap<Slot>,
    /// Termination started (containers are being stopped).
    killing: bool,
    /// Liveness/readiness/startup results per container.
    probes: BoxedMap<probes::State>,
    /// The volume manager's progress with the pod's volumes.
    mounts: mount::Mounts,
    /// What its last status report was computed from, when that report
    /// found the status already as computed: the same inputs compute the
    /// same status, so the report is skipped (see [`pod_status::ReportKey`]).
    reported: Option<pod_status::ReportKey>,
}

/// The kubelet of one node.
#[derive(Debug)]
pub struct Kubelet {
    node: String,
    rng: Rng,
    workers: BoxedMap<Worker>,
    crash_backoff: Backoff,
    image_backoff: Backoff,
    next_ip: u32,
    /// `10.244.1.` from the Node's `spec.podCIDR`.
    pod_cidr_prefix: String,
    lease_renewed: Option<Time>,
    status_posted: Option<Time>,
    was_running: bool,
    /// The kubelet process (pid) this state belongs to: a new process
    /// registers its Node again (`registerWithAPIServer` runs once per start).
    process: Option<u32>,
    /// Whether this process has registered (or found) its Node.
    registered: bool,
    /// The Node as this kubelet registered it, to register again after a
    /// restart if it was deleted.
    registration: Option<Value>,
    wakeups: Vec<Time>,
    static_pods: static_pods::StaticPods,
    /// Each pod's last sync, and which pods the next one visits.
    pod_syncs: pod_syncs::PodSyncs,
    /// Set by a sync that did nothing (no pod due, no request, no event):
    /// what it read, and the running kubelet's version. While they stay,
    /// no command ran and none of its deadlines came, the next sync would
    /// do nothing either and ask the same wake-ups: it returns at once.
    idle: Option<(pod_syncs::Inputs, String)>,
    /// What the pod sync under way leaves for the next one.
    work: PodWork,
    /// Its machine's [`Machine::changes`] when its last sync ended: the
    /// machine changed since (a command, another component) when they
    /// differ, and the next sync must look at it again. Its own writes
    /// are seen: what they leave to do, it asked wake-ups for.
    machine_seen: Option<u64>,
    /// Its syncs that were not idle ([`Component::syncs_done`]).
    syncs_done: u64,
    /// [`READS`] but pods and Nodes, resolved once: their changes are
    /// [`pod_syncs::Inputs::objects`].
    object_reads: Vec<&'static crate::api::Resource>,
}

/// What one pod's sync leaves for the next one besides its wake-ups (see
/// [`pod_syncs::PodSync`]).
#[derive(Debug, Default)]
struct PodWork {
    unwoken: Vec<Time>,
    again: bool,
}

impl Kubelet {
    pub fn new(node: &str, seed: u64) -> Self {
        let salt = node
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(0x100_0000_01B3) ^ u64::from(b));
        Kubelet {
            node: node.to_string(),
            rng: Rng::new(seed ^ salt ^ 0x6b75_6265_6c65_7421),
            workers: BTreeMap::new(),
            crash_backoff: Backoff::default(),
            image_backoff: Backoff::default(),
            next_ip: 1,
            pod_cidr_prefix: String::new(),
            lease_renewed: None,
            status_posted: None,
            was_running: true,
            process: None,
            registered: false,
            registration: None,
            wakeups: Vec::new(),
            static_pods: static_pods::StaticPods::default(),
            pod_syncs: pod_syncs::PodSyncs::default(),
            idle: None,
            work: PodWork::default(),
            machine_seen: None,
            syncs_done: 0,
            object_reads: READS
                .iter()
                .filter(|r| !matches!(**r, "pods" | "nodes"))
                .filter_map(|r| resolve(r))
                .collect(),
        }
    }

    /// Whether this sync would do what the last one did: nothing (see
    /// [`Kubelet::idle`]). The checks of `sync` before its heartbeat pass
    /// unchanged (the same process, running and reachable), the objects,
    /// files and version it read are as they were, nobody changed its
    /// machine, and neither the lease, the node status nor a pod is due.
    fn still_idle(&self, ctx: &SyncContext<'_>) -> bool {
        let Some((inputs, version)) = &self.idle else {
            return false;
        };
        let Some(machine) = ctx.machines.get(&self.node) else {
            return false;
        };
        let now = ctx.now;
        machine.kubelet_running
            && machine.kubelet.unreachable.is_none()
            && self.process == Some(machine.kubelet_pid)
            && self.was_running
            && self.registered
            && self.machine_seen == Some(machine.changes())
            && !self.pod_syncs.any_due(now)
            && self
                .lease_renewed
                .is_some_and(|t| now < t + node_status::RENEW_INTERVAL)
            && self
                .status_posted
                .is_some_and(|t| now < t + node_status::REPORT_FREQUENCY)
            && machine.kubelet_version == *version
            && inputs.pid == machine.kubelet_pid
            && inputs.files == machine.fs.version()
            && inputs.objects == ctx.api.changes_of(&self.object_reads)
            && inputs.node == self.node_stamp(ctx.api)
            && inputs.pods == self.pods_stamp(ctx.api)
    }

    /// A stamp of its own Node, the only one a sync reads: its
    /// `resourceVersion` (0 while there is none), which every write moves
    /// and a Node created again does not bring back. Another node's status
    /// posts leave it as it was. (A store restored under it moves
    /// [`pod_syncs::Inputs::objects`].)
    fn node_stamp(&self, api: &ApiServer) -> u64 {
        resolve("nodes")
            .and_then(|nodes| api.get_shared(nodes, None, &self.node))
            .and_then(|n| object::str_at(&n, "metadata.resourceVersion")?.parse().ok())
            .unwrap_or(0)
    }

    /// A stamp of the pods a sync reads: its node's (the kubelet watches
    /// with `fieldSelector=spec.nodeName=…`), or every pod while a mirror
    /// pod is blocked by a pod of its name from elsewhere (see
    /// [`static_pods::StaticPods::blocked`]).
    fn pods_stamp(&self, api: &ApiServer) -> u64 {
        match (
            self.static_pods.blocked,
            resolve("leases"),
            resolve("events"),
        ) {
            (true, Some(leases), Some(events)) => api.changes_except(&[leases, events]),
            _ => api.node_pods_stamp(&self.node),
        }
    }

    fn wake(&mut self, t: Time) {
        self.wakeups.push(t);
    }

    fn jitter(&mut self, max_ms: u64) -> i64 {
        self.rng.below(max_ms) as i64
    }

    fn hex_id(&mut self) -> String {
        format!(
            "{:016x}{:016x}{:016x}{:016x}",
            self.rng.next_u64(),
            self.rng.next_u64(),
            self.rng.next_u64(),
            self.rng.next_u64()
        )
    }
}

fn event(
    pod: &Value,
    container: Option<&str>,
    init: bool,
    type_: EventType,
    reason: &str,
    message: String,
    node: &str,
) -> Event {
    Event {
        regarding: object::reference(pod),
        field_path: container.map(|c| {
            if init {
                format!("spec.initContainers{{{c}}}")
            } else {
                format!("spec.containers{{{c}}}")
            }
        }),
        type_,
        reason: reason.to_string(),
        message,
        source: Source::kubelet(node),
    }
}

fn id_of(rt: &runtime::Runtime, uid: &str, name: &str) -> String {
    rt.latest(uid, name)
        .0
        .map(|c| c.id.clone())
        .unwrap_or_default()
}

/// A container spec with whether it is an init container.
fn specs(pod: &Value) -> (&[Value], &[Value]) {
    let list = |p: &str| {
        object::at(pod, p)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    (list("spec.initContainers"), list("spec.containers"))
}

fn cname(c: &Value) -> &str {
    c.get("name").and_then(Value::as_str).unwrap_or("")
}

fn restart_policy(pod: &Value) -> &str {
    object::str_at(pod, "spec.restartPolicy").unwrap_or("Always")
}

/// The stable key of a container for its crash back-off
/// (`podName_namespace_uid_container`).
fn crash_key(w: &Worker, c: &str) -> String {
    format!("{}_{}_{}_{}", w.uid, w.name, w.namespace, c)
}

fn image_key(w: &Worker, image: &str) -> String {
    format!("{}_{}", w.uid, image)
}

/// `ExpandContainerCommandAndArgs` on top of the image's ENTRYPOINT/CMD.
fn argv(c: &Value, kind: images::Kind, env: &[(String, String)]) -> Vec<String> {
    let strs = |k: &str| -> Option<Vec<String>> {
        c.get(k).and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| container::expand_kube_vars(s, env))
                .collect()
        })
    };
    let (entry, cmd) = container::image_defaults(kind);
    let entry: Vec<String> = entry.into_iter().map(String::from).collect();
    let cmd: Vec<String> = cmd.into_iter().map(String::from).collect();
    match (strs("command"), strs("args")) {
        (Some(command), Some(args)) => command.into_iter().chain(args).collect(),
        (Some(command), None) => command,
        (None, Some(args)) => entry.into_iter().chain(args).collect(),
        (None, None) => entry.into_iter().chain(cmd).collect(),
    }
}

impl Component for Kubelet {
    fn name(&self) -> String {
        format!("kubelet@{}", self.node)
    }

    /// Visits the pods whose sync would do something (see [`pod_syncs`]).
    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        #[cfg(test)]
        {
            let ((), reads) = crate::apiserver::read_log::record(|| self.sync_once(ctx));
            self.check_reads(&reads);
        }
        #[cfg(not(test))]
        self.sync_once(ctx);
    }

    fn syncs_done(&self) -> u64 {
        self.syncs_done
    }

    fn node_agent(&self) -> Option<crate::cluster::run_queue::NodeAgent<'_>> {
        Some(crate::cluster::run_queue::NodeAgent {
            node: &self.node,
            reads: &self.object_reads,
        })
    }

    /// Idle (see [`Kubelet::still_idle`]) until a pod, the lease or the
    /// node status is due; while a mirror pod is blocked it reads every
    /// pod, more than its [`NodeAgent`] says, and does not rest.
    ///
    /// [`NodeAgent`]: crate::cluster::run_queue::NodeAgent
    fn rest(&self) -> Option<crate::cluster::run_queue::Rest> {
        if self.idle.is_none() || self.static_pods.blocked {
            return None;
        }
        let lease = self.lease_renewed? + node_status::RENEW_INTERVAL;
        let status = self.status_posted? + node_status::REPORT_FREQUENCY;
        let until = self
            .pod_syncs
            .due_at()
            .map_or(lease.min(status), |t| t.min(lease).min(status));
        Some(crate::cluster::run_queue::Rest { until: Some(until) })
    }

    fn next_wakeup(&self, now: Time) -> Option<Time> {
        let own = self.wakeups.iter().copied().filter(|t| *t > now).min();
        match (own, self.pod_syncs.next_wakeup(now)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Every kubelet's reads in this test thread so far, checked.
    static SEEN_READS: std::cell::RefCell<std::collections::BTreeSet<crate::apiserver::read_log::Read>> =
        const { std::cell::RefCell::new(std::collections::BTreeSet::new()) };
}

impl Kubelet {
    /// Test builds: what a sync read is in [`READS`] (or
    /// [`READS_WHEN_DUE`]), and the only Node and Lease it read are its own.
    #[cfg(test)]
    fn check_reads(&self, reads: &std::collections::BTreeSet<crate::apiserver::read_log::Read>) {
        SEEN_READS.with(|s| s.borrow_mut().extend(reads.iter().cloned()));
        for (resource, name) in reads {
            assert!(
                READS.contains(resource) || READS_WHEN_DUE.contains(resource),
                "kubelet@{} read {resource} {name:?}, not in kubelet::READS: its changes would not wake it",
                self.node
            );
            // Its own Node (Kubelet::node_stamp) and Lease, no other.
            if matches!(*resource, "nodes" | "leases") {
                assert_eq!(
                    name.as_deref(),
                    Some(self.node.as_str()),
                    "kubelet@{} read another node's {resource}",
                    self.node
                );
            }
        }
    }

    fn sync_once(&mut self, ctx: &mut SyncContext<'_>) {
        if self.still_idle(ctx) {
            return;
        }
        self.idle = None;
        self.syncs_done += 1;
        let outside = ctx.machines.get(&self.node).map(|m| m.changes()) != self.machine_seen;
        self.sync_pods(ctx, outside);
        self.machine_seen = ctx.machines.get(&self.node).map(|m| m.changes());
    }
}

impl Kubelet {
    /// A sync that was not idle; `outside`: the machine changed since the
    /// last one.
    fn sync_pods(&mut self, ctx: &mut SyncContext<'_>, outside: bool) {
        let now = ctx.now;
        let (revision, requests, recorded) = (
            ctx.api.store().revision(),
            ctx.api.requests(),
            ctx.events.len(),
        );
        self.wakeups.clear();
        let Some(machine) = ctx.machines.get_mut(&self.node) else {
            self.pod_syncs.forget();
            return;
        };
        // A kubelet whose kubeconfig points elsewhere reaches nobody.
        if !machine.kubelet_running || machine.kubelet.unreachable.is_some() {
            self.was_running = false;
            self.pod_syncs.forget();
            // Poll for the service coming back.
            self.wake(now + RETRY);
            return;
        }
        if self.process != Some(machine.kubelet_pid) {
            self.process = Some(machine.kubelet_pid);
            self.registered = false;
        }
        if !self.was_running {
            // A restarted kubelet renews and reports at once.
            self.was_running = true;
            self.lease_renewed = None;
            self.status_posted = None;
        }
        let node = self.node.clone();
        let version = machine.kubelet_version.clone();
        node_status::heartbeat(self, ctx.api, &node, &version, now);
        let Some(machine) = ctx.machines.get_mut(&self.node) else {
            return;
        };
        // Taken before this sync writes: whatever it writes (its own pods'
        // statuses included) is news to the next one.
        let inputs = pod_syncs::Inputs {
            objects: ctx.api.changes_of(&self.object_reads),
            node: self.node_stamp(ctx.api),
            pods: self.pods_stamp(ctx.api),
            pid: machine.kubelet_pid,
            files: machine.fs.version(),
        };
        let plan = self.pod_syncs.plan(inputs, outside);
        if plan == pod_syncs::Plan::Due {
            let quiet = ctx.api.store().revision() == revision
                && ctx.api.requests() == requests
                && ctx.events.len() == recorded;
            if quiet && !self.pod_syncs.any_due(now) {
                self.idle = Some((inputs, machine.kubelet_version.clone()));
            }
            // Nothing changed: the same pods, only those with a deadline due.
            if self.pod_syncs.any_due(now) {
                let mut synced = self.pod_syncs.take();
                for entry in synced.iter_mut().filter(|e| e.due(now)) {
                    let pod = Arc::clone(&entry.pod);
                    *entry = self.sync_one(ctx.api, machine, &mut ctx.events, pod, now);
                }
                self.pod_syncs.put(synced);
            }
            return;
        }
        // The real kubelet watches with `fieldSelector=spec.nodeName=…`.
        let mut pods: Vec<Arc<Value>> = ctx.api.pods_on_node(&node);
        let before = ctx.api.store().revision();
        static_pods::sync(self, ctx.api, machine, &pods, now);
        if ctx.api.store().revision() != before {
            // A mirror pod created or deleted.
            pods = ctx.api.pods_on_node(&node);
        }
        let Some(machine) = ctx.machines.get_mut(&self.node) else {
            return;
        };
        // Pods gone from the API (a forced delete): their containers go too.
        let live: Vec<String> = pods.iter().map(|p| static_pods::kubelet_uid(p)).collect();
        let gone: Vec<String> = {
            let live = crate::sort::set(live.iter().map(String::as_str));
            self.workers
                .keys()
                .filter(|u| !live.contains(u.as_str()) && !self.static_pods.owns(u))
                .cloned()
                .collect()
        };
        for uid in gone {
            self.workers.remove(&uid);
            machine.runtime.remove_pod(&uid);
            self.crash_backoff.forget_prefix(&uid);
            self.image_backoff.forget_prefix(&uid);
        }
        // The last syncs by pod uid: an index into them, as a map of the
        // syncs themselves would add a map type's code to the wasm bundle
        // (issue 11).
        let mut taken: Vec<Option<pod_syncs::PodSync>> =
            self.pod_syncs.take().into_iter().map(Some).collect();
        let mut last: BTreeMap<String, usize> = crate::sort::map(
            taken
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((e.as_ref()?.uid.clone(), i))),
        );
        let mut synced = Vec::with_capacity(pods.len());
        for (pod, uid) in pods.into_iter().zip(live) {
            let e = last
                .remove(&uid)
                .and_then(|i| taken.get_mut(i))
                .and_then(Option::take);
            match e {
                Some(e)
                    if plan == pod_syncs::Plan::Changed
                        && Arc::ptr_eq(&e.pod, &pod)
                        && !e.due(now) =>
                {
                    synced.push(e);
                }
                _ => synced.push(self.sync_one(ctx.api, machine, &mut ctx.events, pod, now)),
            }
        }
        self.pod_syncs.put(synced);
    }

    /// Syncs one pod, and keeps what its sync leaves for the next.
    fn sync_one(
        &mut self,
        api: &mut ApiServer,
        machine: &mut Machine,
        events: &mut Vec<Event>,
        pod: Arc<Value>,
        now: Time,
    ) -> pod_syncs::PodSync {
        let mark = self.wakeups.len();
        let mut evs = Vec::new();
        self.sync_pod(api, machine, &pod, now, &mut evs);
        events.extend(evs);
        let wakeups = self.wakeups.split_off(mark.min(self.wakeups.len()));
        let work = std::mem::take(&mut self.work);
        pod_syncs::PodSync {
            uid: static_pods::kubelet_uid(&pod),
            pod,
            at: now,
            wakeups,
            unwoken: work.unwoken,
            again: work.again,
        }
    }

    /// Runs one pod forward to `now` and reports its status.
    #[allow(clippy::indexing_slicing)] // the ops offset is clamped to the ops' length
    fn sync_pod(
        &mut self,
        api: &mut ApiServer,
        machine: &mut Machine,
        pod: &Value,
        now: Time,
        events: &mut Vec<Event>,
    ) {
        let uid = static_pods::kubelet_uid(pod);
        let phase = object::str_at(pod, "status.phase").unwrap_or("");
        let deleting = object::at(pod, "metadata.deletionTimestamp").is_some();
        if !self.workers.contains_key(&uid) {
            if matches!(phase, "Succeeded" | "Failed") && !deleting {
                return;
            }
            let mut w = self.new_worker(pod, machine, now);
            self.adopt(&mut w, pod, machine, api);
            self.workers.insert(uid.clone(), Box::new(w));
        }
        let Some(mut w) = self.workers.remove(&uid) else {
            return;
        };
        // Volumes first: no sandbox and no pull before they are mounted.
        let mounted = deleting
            || machine.runtime.sandbox(&uid).is_some()
            || self.volumes_mounted(&mut w, api, pod, now, events);
        // The sandbox.
        if machine.runtime.sandbox(&uid).is_none() && now >= w.sandbox_at && !deleting && mounted {
            let id = self.hex_id();
            machine.runtime.sandboxes.push(Sandbox {
                id,
                pod_uid: uid.clone(),
                pod_name: w.name.clone(),
                namespace: w.namespace.clone(),
                attempt: 0,
                created: w.sandbox_at,
                ip: w.ip.clone(),
                ready: true,
            });
        }
        if machine.runtime.sandbox(&uid).is_none() && !deleting && mounted {
            self.wake(w.sandbox_at);
        }
        self.observe_exits(&mut w, machine, now);
        if deleting {
            self.terminate(&mut w, machine, pod, now, events);
        } else if machine.runtime.sandbox(&uid).is_some() {
            self.advance(&mut w, api, machine, pod, now, events);
        }
        probes::run(self, &mut w, machine, pod, now, events);
        self.observe_exits(&mut w, machine, now);
        // Wake-ups for what the processes will do by themselves.
        for c in machine.runtime.pod_containers(&uid) {
            if c.running() {
                let exits = [c.natural_exit(), c.stop_exit()];
                for t in exits.into_iter().flatten() {
                    self.wakeups.push(t.0);
                }
                if let Some(t) = c.oom_kill() {
                    self.work.unwoken.push(t);
                }
                if c.outcome.exit.is_none() && !c.outcome.forever {
                    self.wakeups
                        .push(c.started + Duration::from_millis(c.horizon));
                }
                for (ms, _) in &c.outcome.ops[c.ops_applied.min(c.outcome.ops.len())..] {
                    self.wakeups.push(c.started + Duration::from_millis(*ms));
                }
            }
        }
        let done = w.killing && machine.runtime.pod_containers(&uid).all(|c| !c.running());
        if done {
            // All stopped: the pod goes.
            if let Some(res) = resolve("pods") {
                let _ = api.delete_with(
                    res,
                    Some(&w.namespace),
                    &w.name,
                    crate::apiserver::DeleteOptions {
                        grace_period_seconds: Some(0),
                        preconditions: crate::apiserver::Preconditions {
                            uid: Some(uid.clone()),
                            resource_version: None,
                        },
                        ..Default::default()
                    },
                    now,
                );
            }
            machine.runtime.remove_pod(&uid);
            self.crash_backoff.forget_prefix(&uid);
            self.image_backoff.forget_prefix(&uid);
            return;
        }
        let key = pod_status::ReportKey::of(&w, api, machine, pod);
        if w.reported.as_ref() != Some(&key) {
            w.reported = pod_status::report(&w, api, machine, pod, now, key);
        } else {
            // Test builds: the report skipped would have written nothing.
            #[cfg(test)]
            assert_eq!(
                pod.get("status"),
                Some(&pod_status::status(&w, machine, pod, now)),
                "{}: a status report skipped, but the status changed",
                w.name
            );
        }
        let finished = w.slots.values().all(|s| **s == Slot::Done);
        if finished {
            // A finished pod's sandbox is stopped; its status says so at
            // the next sync.
            for s in machine.runtime.sandboxes.iter_mut() {
                if s.pod_uid == uid {
                    self.work.again |= s.ready;
                    s.ready = false;
                }
            }
        }
        self.workers.insert(uid, w);
    }

    fn new_worker(&mut self, pod: &Value, machine: &Machine, now: Time) -> Worker {
        let uid = static_pods::kubelet_uid(pod);
        let host_network =
            object::at(pod, "spec.hostNetwork").and_then(Value::as_bool) == Some(true);
        let existing_ip = object::str_at(pod, "status.podIP").map(String::from);
        let ip = match existing_ip {
            Some(ip) => ip,
            None if host_network => machine.ip.clone(),
            None => self.allocate_ip(machine),
        };
        let (inits, apps) = specs(pod);
        let mut slots = BoxedMap::new();
        for c in inits.iter().chain(apps.iter()) {
            slots.insert(cname(c).to_string(), Box::new(Slot::Idle));
        }
        let w = Worker {
            uid: uid.clone(),
            namespace: object::namespace(pod).unwrap_or("default").to_string(),
            name: object::name(pod).to_string(),
            seen: now,
            sandbox_at: now + Duration::from_millis(SANDBOX_MS + self.jitter(600)),
            ip,
            slots,
            killing: false,
            probes: BTreeMap::new(),
            mounts: mount::Mounts::default(),
            reported: None,
        };
        w
    }

    /// The pod CIDR's addresses in turn (host-local IPAM), skipping those
    /// in use on the node.
    fn allocate_ip(&mut self, machine: &Machine) -> String {
        let prefix = if self.pod_cidr_prefix.is_empty() {
            "10.244.0.".to_string()
        } else {
            self.pod_cidr_prefix.clone()
        };
        let used: Vec<&str> = machine
            .runtime
            .sandboxes
            .iter()
            .map(|s| s.ip.as_str())
            .chain(self.workers.values().map(|w| w.ip.as_str()))
            .collect();
        for _ in 0..253 {
            self.next_ip = if self.next_ip >= 254 {
                2
            } else {
                self.next_ip + 1
            };
            let ip = format!("{prefix}{}", self.next_ip);
            if !used.contains(&ip.as_str()) {
                return ip;
            }
        }
        format!("{prefix}{}", self.next_ip)
    }

    /// A pod that already runs when the kubelet starts (what `kubeadm`
    /// left): its sandbox and containers are taken into the runtime as
    /// they are, running since their `startedAt`.
    fn adopt(&mut self, w: &mut Worker, pod: &Value, machine: &mut Machine, api: &ApiServer) {
        // Their volumes, so the binaries find their certificates and kubeconfigs.
        let vols = env::volumes(api, pod, &w.uid).unwrap_or_default();
        let now = w.seen;
        let statuses = object::at(pod, "status.containerStatuses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let running = |s: &Value| object::at(s, "state.running").is_some();
        if statuses.is_empty() || !statuses.iter().all(running) {
            return;
        }
        let (_, apps) = specs(pod);
        let started_min = statuses
            .iter()
            .filter_map(|s| object::str_at(s, "state.running.startedAt"))
            .filter_map(Time::parse_rfc3339)
            .min()
            .unwrap_or(w.seen);
        let sandbox_id = self.hex_id();
        machine.runtime.sandboxes.push(Sandbox {
            id: sandbox_id.clone(),
            pod_uid: w.uid.clone(),
            pod_name: w.name.clone(),
            namespace: w.namespace.clone(),
            attempt: 0,
            created: started_min + Duration::from_secs(-1),
            ip: w.ip.clone(),
            ready: true,
        });
        w.sandbox_at = started_min + Duration::from_secs(-1);
        if let Some(t) = object::str_at(pod, "status.startTime").and_then(Time::parse_rfc3339) {
            w.seen = t;
        }
        for s in &statuses {
            let name = object::str_at(s, "name").unwrap_or("").to_string();
            let Some(spec) = apps.iter().find(|c| cname(c) == name) else {
                continue;
            };
            let image = spec.get("image").and_then(Value::as_str).unwrap_or("");
            let Ok(img) = images::resolve(image) else {
                continue;
            };
            machine.runtime.images.insert(img.reference.clone());
            let started = object::str_at(s, "state.running.startedAt")
                .and_then(Time::parse_rfc3339)
                .unwrap_or(started_min);
            let id = object::str_at(s, "containerID")
                .map(|i| i.trim_start_matches("containerd://").to_string())
                .unwrap_or_else(|| self.hex_id());
            let hostname =
                if object::at(pod, "spec.hostNetwork").and_then(Value::as_bool) == Some(true) {
                    self.node.clone()
                } else {
                    w.name.clone()
                };
            let mut pod_env: Vec<(String, String)> = Vec::new();
            for e in spec
                .get("env")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let k = e
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let v =
                    if object::str_at(e, "valueFrom.fieldRef.fieldPath") == Some("spec.nodeName") {
                        self.node.clone()
                    } else {
                        e.get("value")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string()
                    };
                pod_env.push((k, v));
            }
            let proc_env = env::process_env(img.kind, &img.tag, &hostname, &pod_env);
            let ctx = container::RunCtx {
                kind: img.kind,
                tag: img.tag.clone(),
                argv: argv(spec, img.kind, &proc_env),
                env: proc_env,
                hostname,
                pod_ip: w.ip.clone(),
                start: started,
                seed: self.rng.next_u64(),
            };
            let mounts = env::mounts(spec, &vols);
            let mut outcome = {
                let view = env::View::new(
                    &machine.fs,
                    &mounts,
                    &id,
                    img.kind,
                    &ctx.hostname,
                    &w.ip,
                    &w.namespace,
                );
                container::run(&ctx, &view, HORIZON_MS)
            };
            // These were running when the learner arrived: they run on.
            if outcome.exit.is_some() || outcome.start_error.is_some() {
                outcome.exit = None;
                outcome.start_error = None;
                outcome.forever = true;
            }
            machine.runtime.containers.push(Container {
                id,
                sandbox_id: sandbox_id.clone(),
                pod_uid: w.uid.clone(),
                pod_name: w.name.clone(),
                namespace: w.namespace.clone(),
                name: name.clone(),
                attempt: object::at(s, "restartCount")
                    .and_then(Value::as_u64)
                    .unwrap_or(0) as u32,
                image: img.reference.clone(),
                image_id: img.image_id.clone(),
                created: started,
                started,
                ctx,
                outcome,
                horizon: HORIZON_MS,
                ops_applied: 0,
                mounts,
                stop_requested: None,
                exited: None,
                message: None,
                limits: usage::Limits::of(spec),
            });
            w.probes.insert(
                name.clone(),
                Box::new(probes::State::adopted(
                    &id_of(&machine.runtime, &w.uid, &name),
                    spec,
                    now,
                )),
            );
            w.slots.insert(name, Box::new(Slot::Started));
        }
    }
}

#[cfg(test)]
mod tests;
