//! kube-scheduler as a component of the cluster's control loop.
//!
//! It runs while a kube-scheduler process runs. Usually that is the static
//! pod (`cluster::control_plane`): the manifest
//! `/etc/kubernetes/manifests/kube-scheduler.yaml` on a machine whose
//! kubelet runs. Its configuration comes from the manifest as the real
//! binary reads it: `--config` names a `KubeSchedulerConfiguration` (through
//! the pod's hostPath mounts) whose `profiles` give the scheduler names and
//! plugins; without it, the one `default-scheduler` profile. A second
//! scheduler (the CKA course's `my-scheduler`) may be another static pod or,
//! as the kubernetes.io page "Configure Multiple Schedulers" deploys it, an
//! ordinary Pod or Deployment running the kube-scheduler image with its
//! configuration from a ConfigMap volume: any running container of the
//! binary counts, read through its own file view. Such a pod talks to the
//! apiserver as its ServiceAccount, so it schedules only when RBAC lets it
//! (the page's ClusterRoleBinding to `system:kube-scheduler`), and with
//! leader election on (the default) it waits for a lease another scheduler
//! holds — `leaderElection.leaderElect: false` in the course's config.
//!
//! A pod that would crash at start-up does not schedule anything: an image
//! that is not kube-scheduler's, an unknown flag, a `--kubeconfig` or
//! `--config` file that does not exist, a config that does not parse. (The
//! kubelet will show the CrashLoopBackOff; here the scheduler just does not
//! run, and pending pods get no events — the troubleshooting lab.)
//!
//! When the configuration changes the scheduler restarts: a fresh queue and
//! cache, and every pending pod is tried again, as after a real restart.

use super::config::SchedulerConfig;
use super::profile::Profile;
use super::{Explanation, Scheduler};
use crate::apiserver::ApiServer;
use crate::clock::Time;
use crate::cluster::control_plane::{StaticPod, StaticPods};
use crate::cluster::Cluster;
use crate::cluster::{Component, SyncContext};
use crate::kubelet::container::Files;
use crate::kubelet::env::View;
use crate::kubelet::images::Kind;
use crate::node::Machine;
use serde_json::Value;
use std::collections::BTreeMap;

/// kube-scheduler v1.33's command-line flags (`kube-scheduler --help`); any
/// other makes the binary exit with `unknown flag`.
pub const FLAGS: &[&str] = &[
    "allow-metric-labels",
    "allow-metric-labels-manifest",
    "authentication-kubeconfig",
    "authentication-skip-lookup",
    "authentication-token-webhook-cache-ttl",
    "authentication-tolerate-lookup-failure",
    "authorization-always-allow-paths",
    "authorization-kubeconfig",
    "authorization-webhook-cache-authorized-ttl",
    "authorization-webhook-cache-unauthorized-ttl",
    "bind-address",
    "cert-dir",
    "client-ca-file",
    "config",
    "contention-profiling",
    "disabled-metrics",
    "emulated-version",
    "feature-gates",
    "help",
    "http2-max-streams-per-connection",
    "kube-api-burst",
    "kube-api-content-type",
    "kube-api-qps",
    "kubeconfig",
    "leader-elect",
    "leader-elect-lease-duration",
    "leader-elect-renew-deadline",
    "leader-elect-resource-lock",
    "leader-elect-resource-name",
    "leader-elect-resource-namespace",
    "leader-elect-retry-period",
    "log-flush-frequency",
    "log-json-info-buffer-size",
    "log-json-split-stream",
    "log-text-info-buffer-size",
    "log-text-split-stream",
    "logging-format",
    "master",
    "permit-address-sharing",
    "permit-port-sharing",
    "pod-max-in-unschedulable-pods-duration",
    "profiling",
    "requestheader-allowed-names",
    "requestheader-client-ca-file",
    "requestheader-extra-headers-prefix",
    "requestheader-group-headers",
    "requestheader-uid-headers",
    "requestheader-username-headers",
    "secure-port",
    "show-hidden-metrics-for-version",
    "tls-cert-file",
    "tls-cipher-suites",
    "tls-min-version",
    "tls-private-key-file",
    "tls-sni-cert-key",
    "v",
    "version",
    "vmodule",
    "write-config-to",
];

/// Reads a file the container sees at `path` from the machine: through the
/// pod's hostPath mounts, else (no mount there) not at all.
fn read_in_pod(
    machines: &BTreeMap<String, Machine>,
    pod: &StaticPod,
    path: &str,
) -> Option<String> {
    let host = pod.host_path(path)?;
    machines.get(&pod.machine)?.fs.read_to_string(&host).ok()
}

/// The configuration a kube-scheduler static pod runs with, or why it
/// crashes.
pub fn config_of(
    machines: &BTreeMap<String, Machine>,
    pod: &StaticPod,
) -> Result<SchedulerConfig, String> {
    let image = pod
        .manifest
        .pointer("/spec/containers/0/image")
        .and_then(Value::as_str)
        .unwrap_or("");
    // The repository's last path segment, without tag or digest.
    let repo = image.split(['@']).next().unwrap_or("");
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    if repo.rsplit('/').next() != Some("kube-scheduler") {
        return Err(format!("image {image:?} is not kube-scheduler"));
    }
    let command = pod.command();
    for arg in command.iter().skip(1) {
        let Some(flag) = arg.strip_prefix("--") else {
            continue;
        };
        let name = flag.split('=').next().unwrap_or("");
        if !FLAGS.contains(&name) {
            return Err(format!("unknown flag: --{name}"));
        }
    }
    for flag in [
        "kubeconfig",
        "authentication-kubeconfig",
        "authorization-kubeconfig",
    ] {
        if let Some(path) = pod.flag(flag) {
            if read_in_pod(machines, pod, &path).is_none() {
                return Err(format!("stat {path}: no such file or directory"));
            }
        }
    }
    let read = |path: &str| read_in_pod(machines, pod, path);
    SchedulerConfig::from_args(command.get(1..).unwrap_or_default(), &read)
}

/// The profiles a kube-scheduler static pod runs, or why it crashes.
pub fn profiles_of(
    machines: &BTreeMap<String, Machine>,
    pod: &StaticPod,
) -> Result<Vec<Profile>, String> {
    config_of(machines, pod).map(|c| c.profiles)
}

/// The first word of a static pod's [`StaticPod::command`] (its binary),
/// read in place: `wanted` asks it of every static pod at every sync.
fn first_argument(pod: &StaticPod) -> Option<&str> {
    let c = pod.manifest.pointer("/spec/containers/0")?;
    let first = |k: &str| {
        c.get(k)
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find_map(Value::as_str))
    };
    first("command").or_else(|| first("args"))
}

/// One kube-scheduler process running now.
#[derive(Clone, Debug)]
struct Process {
    /// The static pod's file or the pod (`namespace/name`): who holds a lease.
    id: String,
    /// Its hostname (the node on the host network, else the pod's name).
    hostname: String,
    config: SchedulerConfig,
    /// The user it talks to the apiserver as, when that is its pod's
    /// ServiceAccount (no kubeconfig): RBAC decides what it may do.
    service_account: Option<String>,
}

/// The kube-scheduler processes that run as ordinary pods (the CKA course's
/// `my-scheduler` Deployment): containers running the `kube-scheduler`
/// binary, configured through their own file view (a ConfigMap volume).
fn pod_processes(
    machines: &BTreeMap<String, Machine>,
    binaries: &mut SchedulerBinaries,
    api: Option<&ApiServer>,
    static_pods: &[StaticPod],
    now: Option<Time>,
) -> Vec<(Time, Process)> {
    let mut out = Vec::new();
    binaries.take_in(machines);
    for ((machine, m), (_, _, found)) in machines.iter().zip(&binaries.machines) {
        for c in found.iter().filter_map(|i| m.runtime.containers.get(*i)) {
            if c.exited.is_some() || now.is_some_and(|now| c.exit_by(now).is_some()) {
                continue;
            }
            let is_static = static_pods.iter().any(|p| {
                p.machine == *machine
                    && c.pod_name
                        == format!(
                            "{}-{machine}",
                            p.manifest
                                .pointer("/metadata/name")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                        )
            });
            if is_static {
                continue;
            }
            let view = View::new(
                &m.fs,
                &c.mounts,
                &c.id,
                c.ctx.kind,
                &c.ctx.hostname,
                &c.ctx.pod_ip,
                &c.namespace,
            );
            let read = |p: &str| view.read(p);
            let Ok(config) =
                SchedulerConfig::from_args(c.ctx.argv.get(1..).unwrap_or_default(), &read)
            else {
                continue;
            };
            let service_account = if config.kubeconfig.is_empty() {
                let sa = api
                    .and_then(|api| {
                        let pods = crate::api::resolve("pods")?;
                        api.get(pods, Some(&c.namespace), &c.pod_name).ok()
                    })
                    .and_then(|p| {
                        p.pointer("/spec/serviceAccountName")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| "default".into());
                Some(format!("system:serviceaccount:{}:{sa}", c.namespace))
            } else if view.read(&config.kubeconfig).is_none() {
                continue;
            } else {
                None
            };
            out.push((
                c.started,
                Process {
                    id: format!("{}/{}", c.namespace, c.pod_name),
                    hostname: c.ctx.hostname.clone(),
                    config,
                    service_account,
                },
            ));
        }
    }
    crate::sort::sort_by_key(&mut out, |(t, p)| (*t, p.id.clone()));
    out
}

/// Whether a container runs the kube-scheduler binary (image and argv).
fn runs_scheduler_binary(c: &crate::kubelet::runtime::Container) -> bool {
    let binary = c
        .ctx
        .argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a));
    c.ctx.kind == Kind::Binary("kube-scheduler") && binary == Some("kube-scheduler")
}

/// Per machine (in name order), the indexes of its containers that run the
/// kube-scheduler binary, as of the machine's change count: a machine that
/// did not change has the same containers, so [`pod_processes`] looks only
/// at those, where it read every container of the cluster at every sync.
#[derive(Debug, Default)]
struct SchedulerBinaries {
    machines: Vec<(String, u64, Vec<usize>)>,
}

impl SchedulerBinaries {
    fn take_in(&mut self, machines: &BTreeMap<String, Machine>) {
        let same_set = self.machines.len() == machines.len()
            && self
                .machines
                .iter()
                .zip(machines.keys())
                .all(|((a, _, _), b)| a == b);
        if !same_set {
            self.machines = machines
                .iter()
                .map(|(n, m)| (n.clone(), m.changes(), Self::found(m)))
                .collect();
            return;
        }
        for ((_, seen, found), m) in self.machines.iter_mut().zip(machines.values()) {
            if *seen != m.changes() {
                *seen = m.changes();
                *found = Self::found(m);
            }
        }
        #[cfg(test)]
        for ((name, _, found), m) in self.machines.iter().zip(machines.values()) {
            assert_eq!(*found, Self::found(m), "kube-scheduler binaries on {name}");
        }
    }

    fn found(m: &Machine) -> Vec<usize> {
        m.runtime
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| runs_scheduler_binary(c))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Whether RBAC lets a ServiceAccount do what a scheduler must: watch pods
/// and nodes, bind pods, and (with leader election) read its lease.
fn authorized(api: &ApiServer, user: &str, config: &SchedulerConfig) -> bool {
    use crate::kubectl::cmd::rbac::{allowed_in, Request, Subject};
    let who = Subject::impersonated(user, &[]);
    let req = |verb, resource, subresource, name, namespace| Request {
        verb,
        group: "",
        resource,
        subresource,
        name,
        namespace,
        url: None,
    };
    let (lease_ns, lease_name) = config.lease.split_once('/').unwrap_or(("", ""));
    allowed_in(api, &who, &req("list", "pods", "", "", None))
        && allowed_in(api, &who, &req("list", "nodes", "", "", None))
        && allowed_in(api, &who, &req("create", "pods", "binding", "", None))
        && (!config.leader_elect
            || allowed_in(
                api,
                &who,
                &Request {
                    group: "coordination.k8s.io",
                    ..req("get", "leases", "", lease_name, Some(lease_ns))
                },
            ))
}

/// The kube-scheduler component: one [`Scheduler`] per profile of every
/// running kube-scheduler process — static pods and ordinary pods alike.
/// Of the processes on one leader-election lease only the holder schedules
/// (the first to take it keeps it while it runs); a scheduler name claimed
/// twice stays with the first.
#[derive(Debug, Default)]
pub struct KubeScheduler {
    static_pods: StaticPods,
    profiles: Vec<(Profile, String)>,
    schedulers: Vec<Scheduler>,
    /// Lease (`namespace/name`) → the process holding it.
    leases: BTreeMap<String, String>,
    /// Each static pod's configuration as last read (by machine and
    /// manifest file), with the manifest and the version of the machine's
    /// files it was read from: the same manifest over the same files reads
    /// the same again, so it is read only after a change. Keyed by
    /// [`config_key`]: a string key and a boxed value share the code of the
    /// engine's other maps (`crate::maps`).
    configs: crate::maps::BoxedMap<ConfigRead>,
    /// Where kube-scheduler binaries run in ordinary pods' containers.
    binaries: SchedulerBinaries,
}

/// The key of a static pod's configuration in `configs`: its machine and
/// manifest file (a machine's name has no `/`, a file's path starts with one).
fn config_key(machine: &str, file: &str) -> String {
    format!("{machine}{file}")
}

/// A static pod's configuration, and what it was read from.
#[derive(Debug)]
struct ConfigRead {
    files: u64,
    manifest: std::sync::Arc<Value>,
    config: Result<SchedulerConfig, String>,
}

impl KubeScheduler {
    pub fn new() -> Self {
        Self::default()
    }

    /// The scheduler names running now.
    pub fn running(&self) -> Vec<&str> {
        self.schedulers.iter().map(|s| s.name()).collect()
    }

    /// What the running kube-scheduler processes ask for: each profile with
    /// its process's hostname.
    fn wanted(
        &mut self,
        machines: &BTreeMap<String, Machine>,
        api: Option<&ApiServer>,
        now: Option<Time>,
    ) -> Vec<(Profile, String)> {
        let mut processes: Vec<Process> = Vec::new();
        // kube-scheduler serves /healthz on --secure-port (10259); static
        // pods use the host's network, so a second one on the same machine
        // and port fails with "address already in use" (the first in file
        // order keeps it here).
        let mut ports: Vec<(String, String)> = Vec::new();
        let static_pods = self.static_pods.all(machines);
        self.configs.retain(|key, _| {
            static_pods
                .iter()
                .any(|p| *key == config_key(&p.machine, &p.file))
        });
        for pod in static_pods
            .iter()
            .filter(|p| first_argument(p) == Some("kube-scheduler"))
        {
            let files = machines.get(&pod.machine).map(|m| m.fs.version());
            let key = config_key(&pod.machine, &pod.file);
            let current = self.configs.get(&key).is_some_and(|r| {
                Some(r.files) == files && std::sync::Arc::ptr_eq(&r.manifest, &pod.manifest)
            });
            if !current {
                let read = ConfigRead {
                    files: files.unwrap_or_default(),
                    manifest: pod.manifest.clone(),
                    config: config_of(machines, pod),
                };
                self.configs.insert(key.clone(), Box::new(read));
            }
            let Some(Ok(config)) = self.configs.get(&key).map(|r| r.config.clone()) else {
                continue;
            };
            // Only a container that runs schedules (not one in
            // CrashLoopBackOff or ErrImagePull).
            if now.is_some_and(|now| !pod.container_running(machines, now)) {
                continue;
            }
            let host_network = pod
                .manifest
                .pointer("/spec/hostNetwork")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let name = pod
                .manifest
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            let hostname = if host_network {
                let port = pod.flag("secure-port").unwrap_or_else(|| "10259".into());
                let key = (pod.machine.clone(), port);
                if ports.contains(&key) {
                    continue;
                }
                ports.push(key);
                pod.machine.clone()
            } else {
                format!("{name}-{}", pod.machine)
            };
            processes.push(Process {
                id: format!("{}:{}", pod.machine, pod.file),
                hostname,
                config,
                service_account: None,
            });
        }
        processes.extend(
            pod_processes(machines, &mut self.binaries, api, &static_pods, now)
                .into_iter()
                .map(|(_, p)| p),
        );
        // A lease whose holder stopped is free again.
        self.leases
            .retain(|_, holder| processes.iter().any(|p| p.id == *holder));
        let mut out: Vec<(Profile, String)> = Vec::new();
        for p in processes {
            if let (Some(user), Some(api)) = (&p.service_account, api) {
                if !authorized(api, user, &p.config) {
                    continue;
                }
            }
            if p.config.leader_elect {
                let holder = self
                    .leases
                    .entry(p.config.lease.clone())
                    .or_insert_with(|| p.id.clone());
                if *holder != p.id {
                    continue;
                }
            }
            for profile in p.config.profiles {
                if !out
                    .iter()
                    .any(|(o, _)| o.scheduler_name == profile.scheduler_name)
                {
                    out.push((profile, p.hostname.clone()));
                }
            }
        }
        out
    }
}

/// Why `ns/pod` goes (or went) where it does, for the UI: every node, each
/// Filter plugin's verdict, each Score plugin's raw and normalized score,
/// the choice. It uses the profile of the scheduler named in the pod's
/// `schedulerName` as the running kube-scheduler static pods configure it
/// (the default profile when none runs), against the cluster as it is now.
pub fn explain(cluster: &Cluster, ns: &str, pod: &str) -> Option<Explanation> {
    let pods = crate::api::resolve("pods")?;
    let obj = cluster.apiserver.get(pods, Some(ns), pod).ok()?;
    let name = obj
        .pointer("/spec/schedulerName")
        .and_then(Value::as_str)
        .unwrap_or("default-scheduler")
        .to_string();
    let profile = KubeScheduler::new()
        .wanted(&cluster.machines, Some(&cluster.apiserver), None)
        .into_iter()
        .map(|(p, _)| p)
        .find(|p| p.scheduler_name == name)
        .unwrap_or_else(|| Profile {
            scheduler_name: name.clone(),
            ..Profile::default()
        });
    let mut s = Scheduler::new(&name, profile);
    s.refresh(&cluster.apiserver, cluster.now());
    s.explain(&cluster.apiserver, ns, pod)
}

impl Component for KubeScheduler {
    fn name(&self) -> String {
        "kube-scheduler".into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let wanted = self.wanted(ctx.machines, Some(ctx.api), Some(ctx.now));
        if wanted != self.profiles {
            self.schedulers = wanted
                .iter()
                .map(|(p, host)| Scheduler::new(&p.scheduler_name.clone(), p.clone()).on_host(host))
                .collect();
            self.profiles = wanted;
        }
        for s in &mut self.schedulers {
            let events = s.schedule_pending(ctx.api, ctx.now);
            ctx.events.extend(events);
        }
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.schedulers.iter().filter_map(|s| s.next_wakeup()).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Cluster;

    #[test]
    fn default_manifest_runs_default_scheduler() {
        let c = Cluster::new(1);
        let pods = StaticPods::default().running(&c.machines, "kube-scheduler");
        assert_eq!(pods.len(), 1);
        let names: Vec<String> = profiles_of(&c.machines, &pods[0])
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|p| p.scheduler_name)
            .collect();
        assert_eq!(names, ["default-scheduler"]);
    }

    use crate::api::resolve;
    use crate::clock::Duration;
    use serde_json::json;

    fn res(plural: &str) -> &'static crate::api::Resource {
        resolve(plural).unwrap_or_else(|| panic!("{plural}"))
    }

    fn create_pod(c: &mut Cluster, name: &str, spec: Value) {
        let now = c.now();
        let mut spec = spec;
        spec["containers"] = json!([{"name": name, "image": "nginx"}]);
        c.apiserver
            .create(
                res("pods"),
                Some("default"),
                json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}),
                now,
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn node_of(c: &Cluster, name: &str) -> String {
        c.apiserver
            .get(res("pods"), Some("default"), name)
            .ok()
            .and_then(|p| {
                p.pointer("/spec/nodeName")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default()
    }

    /// How many times FailedScheduling was recorded for `pod`.
    fn failures(c: &Cluster, pod: &str) -> i64 {
        c.apiserver
            .list(res("events"), Some("default"))
            .iter()
            .filter(|e| e["involvedObject"]["name"] == pod && e["reason"] == "FailedScheduling")
            // events.k8s.io repeats are a series (count 2 on the first repeat).
            .map(|e| {
                e.pointer("/series/count")
                    .and_then(Value::as_i64)
                    .unwrap_or(1)
            })
            .sum()
    }

    fn label_node01(c: &mut Cluster, key: &str, value: &str) {
        let mut n = c
            .apiserver
            .get(res("nodes"), None, "node01")
            .unwrap_or_else(|e| panic!("{e}"));
        n["metadata"]["labels"][key] = json!(value);
        c.apiserver
            .update(res("nodes"), None, n)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_node_update_requeues_the_pod_after_its_one_second_backoff() {
        let mut c = Cluster::new(1);
        create_pod(&mut c, "ssd", json!({"nodeSelector": {"disktype": "ssd"}}));
        c.settle();
        assert_eq!(
            (node_of(&c, "ssd"), failures(&c, "ssd")),
            (String::new(), 1)
        );
        label_node01(&mut c, "disktype", "ssd");
        c.settle();
        // Moved to backoffQ, not yet out of it.
        assert_eq!(node_of(&c, "ssd"), "");
        c.step(Duration::from_millis(999));
        assert_eq!(node_of(&c, "ssd"), "");
        c.step(Duration::from_millis(1));
        assert_eq!(node_of(&c, "ssd"), "node01");
        assert_eq!(failures(&c, "ssd"), 1);
    }

    #[test]
    fn an_event_no_plugin_cares_about_leaves_the_pod_for_five_minutes() {
        let mut c = Cluster::new(1);
        create_pod(&mut c, "ssd", json!({"nodeSelector": {"disktype": "ssd"}}));
        c.settle();
        // A new pod being bound is an AssignedPodAdd: NodeAffinity does not care.
        create_pod(&mut c, "other", json!({}));
        c.step(Duration::from_secs(299));
        assert_eq!(node_of(&c, "other"), "node01");
        assert_eq!(failures(&c, "ssd"), 1);
        // podMaxInUnschedulablePodsDuration: retried after 5 minutes anyway.
        c.step(Duration::from_secs(1));
        assert_eq!(failures(&c, "ssd"), 2);
    }

    #[test]
    fn backoff_doubles_between_attempts_moved_by_events() {
        let mut c = Cluster::new(1);
        create_pod(&mut c, "ssd", json!({"nodeSelector": {"disktype": "ssd"}}));
        c.settle();
        // Each node update that does not help moves the pod to backoffQ; the
        // next attempts come 1 s, 2 s, 4 s, 8 s, 10 s, 10 s after the failures.
        for (i, backoff) in [1000, 2000, 4000, 8000, 10_000, 10_000]
            .into_iter()
            .enumerate()
        {
            label_node01(&mut c, "tick", &i.to_string());
            let before = failures(&c, "ssd");
            c.step(Duration::from_millis(backoff - 1));
            assert_eq!(failures(&c, "ssd"), before, "attempt {i} came early");
            c.step(Duration::from_millis(1));
            assert_eq!(
                failures(&c, "ssd"),
                before + 1,
                "attempt {i} after {backoff} ms"
            );
        }
    }

    #[test]
    fn without_its_manifest_no_scheduler_runs_and_pods_get_no_events() {
        let mut c = Cluster::new(1);
        let cp = c
            .machine_mut("controlplane")
            .unwrap_or_else(|| panic!("cp"));
        cp.fs
            .rename(
                "/etc/kubernetes/manifests/kube-scheduler.yaml",
                "/root/kube-scheduler.yaml",
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        create_pod(&mut c, "web", json!({}));
        c.step(Duration::from_secs(600));
        assert_eq!(node_of(&c, "web"), "");
        // The nodes' join events live in default too; the pod has none.
        let about_web = c
            .apiserver
            .list(res("events"), Some("default"))
            .into_iter()
            .filter(|e| e["involvedObject"]["name"] == "web")
            .count();
        assert_eq!(about_web, 0);
        let cp = c
            .machine_mut("controlplane")
            .unwrap_or_else(|| panic!("cp"));
        cp.fs
            .rename(
                "/root/kube-scheduler.yaml",
                "/etc/kubernetes/manifests/kube-scheduler.yaml",
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        // Once the kubelet runs the container again, it schedules.
        c.step(Duration::from_secs(30));
        assert_eq!(node_of(&c, "web"), "node01");
    }

    #[test]
    fn a_broken_manifest_crashes_the_scheduler() {
        let c = Cluster::new(1);
        let pod = StaticPods::default()
            .running(&c.machines, "kube-scheduler")
            .remove(0);
        let with = |from: &str, to: &str| {
            let text = serde_json::to_string(&*pod.manifest)
                .unwrap_or_default()
                .replace(from, to);
            StaticPod {
                manifest: std::sync::Arc::new(serde_json::from_str(&text).unwrap_or_default()),
                ..pod.clone()
            }
        };
        let cases = [
            (
                "--leader-elect=true",
                "--leader-elekt=true",
                "unknown flag: --leader-elekt",
            ),
            (
                "--kubeconfig=/etc/kubernetes/scheduler.conf",
                "--kubeconfig=/etc/kubernetes/schedular.conf",
                "stat /etc/kubernetes/schedular.conf: no such file or directory",
            ),
            (
                "registry.k8s.io/kube-scheduler:v1.33.1",
                "registry.k8s.io/kube-schedular:v1.33.1",
                "image \"registry.k8s.io/kube-schedular:v1.33.1\" is not kube-scheduler",
            ),
            (
                "--bind-address=127.0.0.1",
                "--config=/etc/kubernetes/nope.yaml",
                "open /etc/kubernetes/nope.yaml: no such file or directory",
            ),
        ];
        for (from, to, want) in cases {
            assert_eq!(
                profiles_of(&c.machines, &with(from, to)),
                Err(want.to_string()),
                "{to}"
            );
        }
    }

    #[test]
    fn files_read_once_are_read_again_after_a_change() {
        // The static pods and their configuration are kept between syncs
        // while the machine's files stay as they were; any change is seen.
        let mut c = Cluster::new(1);
        let mut s = KubeScheduler::new();
        let names = |s: &mut KubeScheduler, c: &Cluster| -> Vec<String> {
            s.wanted(&c.machines, Some(&c.apiserver), None)
                .into_iter()
                .map(|(p, _)| p.scheduler_name)
                .collect()
        };
        assert_eq!(names(&mut s, &c), ["default-scheduler"]);
        assert_eq!(names(&mut s, &c), ["default-scheduler"]);
        let manifest = "/etc/kubernetes/manifests/kube-scheduler.yaml";
        let edit = |c: &mut Cluster, path: &str, from: &str, to: &str| {
            let cp = c
                .machine_mut("controlplane")
                .unwrap_or_else(|| panic!("cp"));
            let text = cp.fs.read_to_string(path).unwrap_or_default();
            assert!(text.contains(from), "{path} has no {from}");
            cp.fs
                .write(path, text.replace(from, to).as_bytes(), false)
                .unwrap_or_else(|e| panic!("{e:?}"));
        };
        edit(
            &mut c,
            manifest,
            "--leader-elect=true",
            "--leader-elekt=true",
        );
        assert!(names(&mut s, &c).is_empty(), "an unknown flag crashes it");
        edit(
            &mut c,
            manifest,
            "--leader-elekt=true",
            "--leader-elect=true",
        );
        assert_eq!(names(&mut s, &c), ["default-scheduler"]);
        // Not the manifest but a file it reads (its kubeconfig).
        let cp = c
            .machine_mut("controlplane")
            .unwrap_or_else(|| panic!("cp"));
        cp.fs
            .rename("/etc/kubernetes/scheduler.conf", "/tmp/scheduler.conf")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(names(&mut s, &c).is_empty(), "no kubeconfig, no scheduler");
    }

    #[test]
    fn a_second_scheduler_on_the_same_host_port_does_not_start() {
        let mut c = Cluster::new(1);
        let cp = c
            .machine_mut("controlplane")
            .unwrap_or_else(|| panic!("cp"));
        let text = cp
            .fs
            .read_to_string("/etc/kubernetes/manifests/kube-scheduler.yaml")
            .unwrap_or_default();
        cp.fs
            .write(
                "/etc/kubernetes/my-scheduler-config.yaml",
                b"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: my-scheduler\n",
                false,
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mine = text
            .replace("name: kube-scheduler\n", "name: my-scheduler\n")
            .replace(
                "    - --leader-elect=true\n",
                "    - --leader-elect=false\n    - --config=/etc/kubernetes/my-scheduler-config.yaml\n",
            )
            .replace(
                "    volumeMounts:\n",
                "    volumeMounts:\n    - mountPath: /etc/kubernetes/my-scheduler-config.yaml\n      name: config\n",
            )
            .replace(
                "  volumes:\n",
                "  volumes:\n  - hostPath:\n      path: /etc/kubernetes/my-scheduler-config.yaml\n    name: config\n",
            );
        let cp = c
            .machine_mut("controlplane")
            .unwrap_or_else(|| panic!("cp"));
        cp.fs
            .write(
                "/etc/kubernetes/manifests/my-scheduler.yaml",
                mine.as_bytes(),
                false,
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut k = KubeScheduler::new();
        let names = |k: &mut KubeScheduler, c: &Cluster| -> Vec<String> {
            k.wanted(&c.machines, None, None)
                .into_iter()
                .map(|(p, _)| p.scheduler_name)
                .collect()
        };
        assert_eq!(names(&mut k, &c), ["default-scheduler"]);
        let cp = c
            .machine_mut("controlplane")
            .unwrap_or_else(|| panic!("cp"));
        let fixed = mine.replace(
            "    - --leader-elect=false\n",
            "    - --leader-elect=false\n    - --secure-port=10282\n",
        );
        cp.fs
            .write(
                "/etc/kubernetes/manifests/my-scheduler.yaml",
                fixed.as_bytes(),
                false,
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(names(&mut k, &c), ["default-scheduler", "my-scheduler"]);
    }

    #[test]
    fn explain_names_each_plugin_verdict_and_the_choice() {
        let mut c = Cluster::new(1);
        create_pod(&mut c, "ssd", json!({"nodeSelector": {"disktype": "ssd"}}));
        c.settle();
        let e = explain(&c, "default", "ssd").unwrap_or_else(|| panic!("no explanation"));
        assert_eq!(e.chosen, None);
        let rejected: Vec<(String, Option<String>)> = e
            .nodes
            .iter()
            .map(|n| (n.node.clone(), n.rejected_by.clone()))
            .collect();
        assert_eq!(
            rejected,
            [
                (
                    "controlplane".to_string(),
                    Some("TaintToleration".to_string())
                ),
                ("node01".to_string(), Some("NodeAffinity".to_string())),
            ]
        );
        // Every Filter plugin's verdict on the control plane, not just the first.
        let cp: Vec<(&str, &str)> = e.nodes[0]
            .filters
            .iter()
            .map(|v| (v.plugin.as_str(), v.code.as_str()))
            .collect();
        assert!(
            cp.contains(&("TaintToleration", "UnschedulableAndUnresolvable")),
            "{cp:?}"
        );
        assert!(
            cp.contains(&("NodeAffinity", "UnschedulableAndUnresolvable")),
            "{cp:?}"
        );
        label_node01(&mut c, "disktype", "ssd");
        let e = explain(&c, "default", "ssd").unwrap_or_else(|| panic!("no explanation"));
        assert_eq!(e.chosen.as_deref(), Some("node01"));
        assert!(explain(&c, "default", "nope").is_none());
    }
}
