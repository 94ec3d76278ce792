//! The metrics-server process: wherever a `metrics-server` container runs,
//! it scrapes every node's kubelet (`/metrics/resource`) at its
//! `--metric-resolution` (the binary's default is 60 s; the upstream
//! manifest sets 15 s) — once when it starts, then on each tick — and keeps
//! the points in its memory ([`Store`], on its node's runtime). A node
//! whose kubelet is stopped does not answer, so it drops out of the
//! metrics.

use super::store::{PodKey, Point};
use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use crate::kubelet::images::Kind;
use crate::kubelet::runtime::Container;
use crate::kubelet::usage;
use crate::maps::BoxedMap;
use crate::node::Machine;
use serde_json::Value;
use std::collections::BTreeMap;

/// The binary's `--metric-resolution` default.
const DEFAULT_RESOLUTION: Duration = Duration::from_secs(60);

/// Whether a container is a metrics-server process.
pub fn is_metrics_server(c: &Container) -> bool {
    c.ctx.kind == Kind::Binary("metrics-server")
}

/// `--metric-resolution=15s` from the process's arguments.
pub fn resolution(argv: &[String]) -> Duration {
    argv.iter()
        .filter_map(|a| a.strip_prefix("--metric-resolution="))
        .filter_map(|v| crate::kubelet::container::parse_sleep(v).flatten())
        .find(|ms| *ms >= 1000)
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_RESOLUTION)
}

/// The metrics-server processes of the cluster.
#[derive(Debug, Default)]
pub struct MetricsServer {
    next: Option<Time>,
}

impl MetricsServer {
    pub fn new() -> Self {
        Self::default()
    }
}

/// A stable number for a name (per-node measurement offsets).
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The CPU load generators give each pod (by UID): a client looping on
/// `wget`/`curl` to a Service shares its demand among the Service's ready
/// endpoints.
pub fn load_by_pod(
    api: &ApiServer,
    machines: &BTreeMap<String, Machine>,
    at: Time,
) -> BTreeMap<String, u64> {
    let mut load: BTreeMap<String, u64> = BTreeMap::new();
    let Some(eps_res) = resolve("endpoints") else {
        return load;
    };
    for m in machines.values() {
        for c in &m.runtime.containers {
            if c.started > at || c.exit_by(at).is_some() {
                continue;
            }
            let Some((svc, ns, demand)) = usage::load_target(&c.ctx.argv) else {
                continue;
            };
            let ns = ns.unwrap_or_else(|| c.namespace.clone());
            let Ok(ep) = api.get(eps_res, Some(&ns), &svc) else {
                continue;
            };
            let uids: Vec<String> = object::at(&ep, "subsets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|s| {
                    s.get("addresses")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|a| object::str_at(&a, "targetRef.uid").map(str::to_string))
                .collect();
            if uids.is_empty() {
                continue;
            }
            let share = demand / uids.len() as u64;
            for u in uids {
                *load.entry(u).or_default() += share;
            }
        }
    }
    load
}

/// One scrape of every answering kubelet at `tick`.
fn scrape(
    api: &ApiServer,
    machines: &BTreeMap<String, Machine>,
    tick: Time,
) -> (BoxedMap<Point>, BTreeMap<PodKey, BoxedMap<Point>>) {
    let load = load_by_pod(api, machines, tick);
    let node_res = resolve("nodes");
    let mut nodes = BTreeMap::new();
    let mut pods: BTreeMap<PodKey, BoxedMap<Point>> = BTreeMap::new();
    for (name, m) in machines {
        let registered = node_res.is_some_and(|r| api.get(r, None, name).is_ok());
        if !m.kubelet_running || !registered {
            continue;
        }
        // cAdvisor's housekeeping: the sample is a moment older than the scrape.
        let ts = Time(tick.0 - 200 - (hash(name) % 1800) as i64);
        let mut total = usage::system(m.control_plane, hash(name), ts);
        for c in &m.runtime.containers {
            if c.started > ts || c.exit_by(ts).is_some() {
                continue;
            }
            let u = usage::container(c, ts, load.get(&c.pod_uid).copied().unwrap_or(0));
            total += u;
            pods.entry((c.namespace.clone(), c.pod_name.clone()))
                .or_default()
                .insert(
                    c.name.clone(),
                    Box::new(Point {
                        start: c.started,
                        ts,
                        cpu_nano: u.cpu_nano,
                        memory: u.memory,
                    }),
                );
        }
        nodes.insert(
            name.clone(),
            Box::new(Point {
                start: Time(0),
                ts,
                cpu_nano: total.cpu_nano,
                memory: total.memory,
            }),
        );
    }
    (nodes, pods)
}

impl Component for MetricsServer {
    fn name(&self) -> String {
        "metrics-server".into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let now = ctx.now;
        // The processes: (node, container ID, start, resolution).
        let procs: Vec<(String, String, Time, Duration)> = ctx
            .machines
            .iter()
            .flat_map(|(n, m)| {
                m.runtime
                    .containers
                    .iter()
                    .filter(|c| {
                        is_metrics_server(c) && c.started <= now && c.exit_by(now).is_none()
                    })
                    .map(move |c| (n.clone(), c.id.clone(), c.started, resolution(&c.ctx.argv)))
            })
            .collect();
        let mut next: Option<Time> = None;
        for (node, id, started, res) in procs {
            let due = (now - started).as_millis() / res.as_millis().max(1);
            let done = ctx
                .machines
                .get(&node)
                .and_then(|m| m.runtime.metrics.get(&id))
                .and_then(|s| s.ticks_done);
            // Missed ticks: only the last two matter (two points make a rate).
            let first = done.map(|d| d + 1).unwrap_or(0).max(due - 1);
            for k in first..=due {
                let tick = started + Duration::from_millis(k * res.as_millis());
                let (nodes, pods) = scrape(ctx.api, ctx.machines, tick);
                if let Some(m) = ctx.machines.get_mut(&node) {
                    let store = m
                        .runtime
                        .metrics
                        .entry(id.clone())
                        .or_insert_with(Box::default);
                    store.record(nodes, pods, res);
                    store.ticks_done = Some(k);
                }
            }
            let t = started + Duration::from_millis((due + 1) * res.as_millis());
            next = Some(next.map_or(t, |n: Time| n.min(t)));
        }
        // Processes gone take their memory with them.
        for m in ctx.machines.values_mut() {
            let alive: Vec<String> = m
                .runtime
                .containers
                .iter()
                .filter(|c| is_metrics_server(c) && c.exit_by(now).is_none())
                .map(|c| c.id.clone())
                .collect();
            // Written only when a store goes: a write counts as a change
            // of the machine (see `Machine`), which its kubelet looks at.
            if m.runtime.metrics.keys().any(|id| !alive.contains(id)) {
                m.runtime.metrics.retain(|id, _| alive.contains(id));
            }
        }
        self.next = next;
    }

    fn next_wakeup(&self, now: Time) -> Option<Time> {
        self.next.filter(|t| *t > now)
    }
}
