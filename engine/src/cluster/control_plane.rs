//! Whether a control-plane component (kube-scheduler,
//! kube-controller-manager) is running, as a kubeadm cluster decides it: the
//! component is a **static pod**, run by the kubelet of its machine from the
//! manifests in its `staticPodPath` (`/etc/kubernetes/manifests`). Moving
//! the manifest out stops the pod; putting it back starts it.
//!
//! The kubelet only *watches* that directory: containers run under
//! containerd, so `systemctl stop kubelet` leaves the static pods running
//! as they were — but while it is stopped, manifest changes on that machine
//! go unnoticed until it starts again. [`StaticPods`] keeps that memory.
//!
//! This is the one place that answers the question, so every control-plane
//! component asks it the same way:
//!
//! ```ignore
//! let running = self.static_pods.running(ctx.machines, "kube-controller-manager");
//! ```
//!
//! It is deliberately simple: a manifest that does not parse as a Pod never
//! becomes a pod (the kubelet logs an error and skips it), so it does not
//! run. What a component does with a pod that exists but would crash (a bad
//! flag, a missing file) is the component's own check, on the returned
//! manifest — see `scheduler::component`. Start-up delays (the kubelet's
//! 20 s file check, leader election) are not modelled: the component runs
//! from the next sync.

use crate::node::files::MANIFESTS;
use crate::node::Machine;
use serde_json::Value;
use std::collections::BTreeMap;

/// A static pod the kubelet of `machine` runs.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticPod {
    /// The machine (node) whose kubelet runs it.
    pub machine: String,
    /// The manifest file, e.g. `/etc/kubernetes/manifests/kube-scheduler.yaml`.
    pub file: String,
    /// The manifest, parsed (shared: components ask for the static pods
    /// at every sync).
    pub manifest: std::sync::Arc<Value>,
}

impl StaticPod {
    /// The first container's `command` followed by its `args`.
    pub fn command(&self) -> Vec<String> {
        let c = self.manifest.pointer("/spec/containers/0");
        let list = |k: &str| -> Vec<String> {
            c.and_then(|c| c.get(k))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut cmd = list("command");
        cmd.extend(list("args"));
        cmd
    }

    /// Whether its kubelet runs this pod's first container now (not
    /// crash-looping, not stuck pulling its image).
    pub fn container_running(
        &self,
        machines: &BTreeMap<String, Machine>,
        now: crate::clock::Time,
    ) -> bool {
        let Some(m) = machines.get(&self.machine) else {
            return false;
        };
        let pod = format!(
            "{}-{}",
            self.manifest
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or(""),
            self.machine
        );
        m.runtime
            .containers
            .iter()
            .any(|c| c.pod_name == pod && c.exited.is_none() && c.exit_by(now).is_none())
    }

    /// The value of `--flag=value` (or `--flag value`) in the command.
    pub fn flag(&self, flag: &str) -> Option<String> {
        let cmd = self.command();
        let long = format!("--{flag}");
        let mut it = cmd.iter();
        while let Some(a) = it.next() {
            if let Some(v) = a.strip_prefix(&long).and_then(|r| r.strip_prefix('=')) {
                return Some(v.to_string());
            }
            if *a == long {
                return it.next().cloned();
            }
        }
        None
    }

    /// The host path behind `path` inside the container: through the
    /// container's `volumeMounts` and the pod's `hostPath` volumes (how a
    /// static pod reads `/etc/kubernetes/scheduler.conf`); `None` when no
    /// hostPath volume is mounted there.
    pub fn host_path(&self, path: &str) -> Option<String> {
        let mounts = self
            .manifest
            .pointer("/spec/containers/0/volumeMounts")
            .and_then(Value::as_array)?;
        let volumes = self
            .manifest
            .pointer("/spec/volumes")
            .and_then(Value::as_array)?;
        // The longest mount path that contains `path` wins, as in a mount table.
        let mut best: Option<(usize, String)> = None;
        for m in mounts {
            let (Some(mp), Some(name)) = (
                m.get("mountPath").and_then(Value::as_str),
                m.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            let mp = mp.trim_end_matches('/');
            let rest = if path == mp {
                Some("")
            } else {
                path.strip_prefix(mp).filter(|r| r.starts_with('/'))
            };
            let Some(rest) = rest else { continue };
            let Some(host) = volumes
                .iter()
                .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
                .and_then(|v| v.pointer("/hostPath/path"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            if best.as_ref().is_none_or(|(l, _)| mp.len() > *l) {
                best = Some((mp.len(), format!("{}{rest}", host.trim_end_matches('/'))));
            }
        }
        best.map(|(_, p)| p)
    }
}

/// The Pod manifests in `/etc/kubernetes/manifests` of one machine, as its
/// kubelet reads them (hidden files and unparseable ones skipped).
fn manifests_of(name: &str, m: &Machine) -> Vec<StaticPod> {
    let mut out = Vec::new();
    let Ok(files) = m.fs.list(MANIFESTS) else {
        return out;
    };
    for f in files {
        let file = format!("{MANIFESTS}/{f}");
        // The kubelet skips hidden files (editors' swap files).
        if f.starts_with('.') || !m.fs.is_file(&file) {
            continue;
        }
        let Ok(text) = m.fs.read_to_string(&file) else {
            continue;
        };
        let Some(manifest) = parse_manifest(&text) else {
            continue;
        };
        out.push(StaticPod {
            machine: name.to_string(),
            file,
            manifest: std::sync::Arc::new(manifest),
        });
    }
    out
}

thread_local! {
    /// Parsed manifests by their text. Components ask for the static pods
    /// on every sync and the files rarely change; parsing YAML each time
    /// dominated an idle cluster's simulated time. A pure memo: the same
    /// text always gives the same pod, so determinism is untouched.
    static PARSED: std::cell::RefCell<BTreeMap<String, Option<Value>>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// The first document of a manifest, if it is a Pod.
fn parse_manifest(text: &str) -> Option<Value> {
    if let Some(hit) = PARSED.with(|m| m.borrow().get(text).cloned()) {
        return hit;
    }
    let pod = crate::yaml::parse_documents(text)
        .ok()
        .and_then(|docs| docs.into_iter().next())
        .filter(|m| m.get("kind").and_then(Value::as_str) == Some("Pod"));
    PARSED.with(|m| {
        let mut m = m.borrow_mut();
        // Edits make new texts; keep the memo small.
        if m.len() >= 64 {
            m.clear();
        }
        m.insert(text.to_string(), pod.clone());
    });
    pod
}

/// The static pods of every machine, remembering what each kubelet last saw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StaticPods {
    /// Per machine, the pods its kubelet started when it last looked, and
    /// the version of the machine's files it read them from. Boxed, for
    /// the bundle's size (`maps::BoxedMap`).
    seen: crate::maps::BoxedMap<(u64, Vec<StaticPod>)>,
}

impl StaticPods {
    /// Every static pod running now: on machines whose kubelet runs, what
    /// the manifest directory holds; on machines whose kubelet is stopped,
    /// what it held when the kubelet last looked.
    pub fn all(&mut self, machines: &BTreeMap<String, Machine>) -> Vec<StaticPod> {
        self.seen.retain(|name, _| machines.contains_key(name));
        for (name, m) in machines {
            let version = m.fs.version();
            let current = self.seen.get(name).is_some_and(|s| s.0 == version);
            // The same files give the same pods: read them again only
            // after a change.
            if (m.kubelet_running || !self.seen.contains_key(name)) && !current {
                self.seen
                    .insert(name.clone(), Box::new((version, manifests_of(name, m))));
            }
        }
        self.seen.values().flat_map(|s| &s.1).cloned().collect()
    }

    /// The running static pods of a control-plane component: those whose
    /// first container runs the `component` binary (`command[0]`), e.g.
    /// `kube-scheduler` or `kube-controller-manager`. Empty: not running.
    pub fn running(
        &mut self,
        machines: &BTreeMap<String, Machine>,
        component: &str,
    ) -> Vec<StaticPod> {
        self.all(machines)
            .into_iter()
            .filter(|p| p.command().first().map(String::as_str) == Some(component))
            .collect()
    }
}

/// Whether the kubelet of a control-plane machine runs `component`'s
/// container (`kube-apiserver`, `etcd`, `kube-scheduler`,
/// `kube-controller-manager`) and it has been up for `ready_after`: the
/// component's function follows its static pod's real state, so a pod in
/// `CrashLoopBackOff` or `ErrImagePull`, or with no manifest, does nothing.
/// Without machines (unit tests of a bare apiserver) everything runs.
pub fn container_serving(
    machines: &BTreeMap<String, Machine>,
    component: &str,
    now: crate::clock::Time,
    ready_after: crate::clock::Duration,
) -> bool {
    if machines.is_empty() {
        return true;
    }
    machines.values().filter(|m| m.control_plane).any(|m| {
        m.runtime.containers.iter().any(|c| {
            c.namespace == "kube-system"
                && c.ctx
                    .argv
                    .first()
                    .map(|a| a.rsplit('/').next().unwrap_or(a))
                    == Some(component)
                && c.exited.is_none()
                && c.exit_by(now).is_none()
                // It listens (a binary failing at start-up never does).
                && c.outcome.serve.as_ref().is_some_and(|sv| {
                    c.started + crate::clock::Duration::from_millis(sv.ready_after) + ready_after
                        <= now
                })
        })
    })
}

/// Whether the apiserver container started at `apiserver_started` on
/// `machine` has had etcd switched to another data directory under it (a
/// restore pointing the etcd manifest at a new data dir): the revisions it
/// cached are from another history, its etcd health check fails while etcd
/// restarts, and it answers nothing until the kubelet's liveness probe
/// replaces it — why kubernetes.io says to restart the apiservers after a
/// restore. A plain etcd restart on the same data does not do this: the
/// apiserver's client reconnects.
pub fn etcd_switched_under(machine: &Machine, apiserver_started: crate::clock::Time) -> bool {
    machine
        .etcd_data_switched
        .is_some_and(|t| t > apiserver_started)
}

/// Whether a running kube-apiserver container of a control-plane machine
/// has lost its etcd (see [`etcd_switched_under`]).
fn apiserver_lost_etcd(machines: &BTreeMap<String, Machine>, now: crate::clock::Time) -> bool {
    machines.values().filter(|m| m.control_plane).any(|m| {
        m.runtime.containers.iter().any(|c| {
            c.namespace == "kube-system"
                && c.exited.is_none()
                && c.exit_by(now).is_none()
                && c.ctx
                    .argv
                    .first()
                    .map(|a| a.rsplit('/').next().unwrap_or(a))
                    == Some("kube-apiserver")
                && etcd_switched_under(m, c.started)
        })
    })
}

/// Whether the apiserver refuses connections now: it serves once its
/// container has run for a few seconds (start-up, post-start hooks) and
/// etcd's has too (without etcd it fails its storage checks and the kubelet
/// restarts it, so clients mostly meet a closed port).
pub fn apiserver_unreachable(
    machines: &BTreeMap<String, Machine>,
    now: crate::clock::Time,
) -> bool {
    let ready = crate::clock::Duration::from_millis(8_000);
    apiserver_lost_etcd(machines, now)
        || !(container_serving(machines, "kube-apiserver", now, ready)
            && container_serving(
                machines,
                "etcd",
                now,
                crate::clock::Duration::from_millis(1_000),
            ))
}

/// The image tag of a control-plane component's static pod on the first
/// control-plane machine that has one (`kube-apiserver` → "v1.33.1"), as
/// `kubeadm upgrade plan` reads the running versions.
pub fn component_version(cluster: &super::Cluster, component: &str) -> Option<String> {
    cluster
        .machines
        .iter()
        .filter(|(_, m)| m.control_plane)
        .flat_map(|(name, m)| manifests_of(name, m))
        .find(|p| p.manifest.pointer("/metadata/name").and_then(Value::as_str) == Some(component))
        .and_then(|p| {
            p.manifest
                .pointer("/spec/containers/0/image")
                .and_then(Value::as_str)
                .and_then(|i| i.rsplit_once(':'))
                .map(|(_, tag)| tag.to_string())
        })
}

/// The version the API server reports (`kubectl version`): its image's.
pub fn apiserver_version(cluster: &super::Cluster) -> String {
    component_version(cluster, "kube-apiserver")
        .filter(|v| v.starts_with('v'))
        .unwrap_or_else(|| super::KUBERNETES_VERSION.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cluster::Cluster;

    fn schedulers(c: &Cluster, seen: &mut StaticPods) -> Vec<(String, String)> {
        seen.running(&c.machines, "kube-scheduler")
            .into_iter()
            .map(|p| (p.machine, p.file))
            .collect()
    }

    #[test]
    fn kube_scheduler_runs_while_its_manifest_is_there() {
        let mut c = Cluster::new(1);
        let mut seen = StaticPods::default();
        let want = vec![(
            "controlplane".to_string(),
            "/etc/kubernetes/manifests/kube-scheduler.yaml".to_string(),
        )];
        assert_eq!(schedulers(&c, &mut seen), want);
        assert_eq!(
            seen.running(&c.machines, "kube-controller-manager").len(),
            1
        );
        let cp = c.machine_mut("controlplane").unwrap();
        cp.fs
            .rename(
                "/etc/kubernetes/manifests/kube-scheduler.yaml",
                "/root/kube-scheduler.yaml",
            )
            .unwrap();
        assert_eq!(schedulers(&c, &mut seen), vec![]);
        let cp = c.machine_mut("controlplane").unwrap();
        cp.fs
            .rename(
                "/root/kube-scheduler.yaml",
                "/etc/kubernetes/manifests/kube-scheduler.yaml",
            )
            .unwrap();
        assert_eq!(schedulers(&c, &mut seen), want);
    }

    #[test]
    fn a_stopped_kubelet_leaves_its_static_pods_as_they_were() {
        let mut c = Cluster::new(1);
        let mut seen = StaticPods::default();
        assert_eq!(schedulers(&c, &mut seen).len(), 1);
        let cp = c.machine_mut("controlplane").unwrap();
        cp.kubelet_running = false;
        // The containers run on; the manifest's removal goes unnoticed...
        cp.fs
            .rename(
                "/etc/kubernetes/manifests/kube-scheduler.yaml",
                "/root/kube-scheduler.yaml",
            )
            .unwrap();
        assert_eq!(schedulers(&c, &mut seen).len(), 1);
        // ...until the kubelet starts again.
        c.machine_mut("controlplane").unwrap().kubelet_running = true;
        assert_eq!(schedulers(&c, &mut seen), vec![]);
    }

    #[test]
    fn a_manifest_that_does_not_parse_does_not_run() {
        let mut c = Cluster::new(1);
        let cp = c.machine_mut("controlplane").unwrap();
        cp.fs
            .write(
                "/etc/kubernetes/manifests/kube-scheduler.yaml",
                b"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command:\n   - kube-scheduler\n  bad: [\n",
                false,
            )
            .unwrap();
        assert_eq!(schedulers(&c, &mut StaticPods::default()), vec![]);
    }

    #[test]
    fn flags_and_host_paths() {
        let c = Cluster::new(1);
        let p = StaticPods::default()
            .running(&c.machines, "kube-scheduler")
            .remove(0);
        assert_eq!(
            p.flag("kubeconfig").as_deref(),
            Some("/etc/kubernetes/scheduler.conf")
        );
        assert_eq!(p.flag("config"), None);
        assert_eq!(
            p.host_path("/etc/kubernetes/scheduler.conf").as_deref(),
            Some("/etc/kubernetes/scheduler.conf")
        );
        assert_eq!(p.host_path("/etc/other.conf"), None);
    }
}
