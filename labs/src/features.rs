//! Engine features a lab may need, each detected by trying it on a fresh
//! simulation — so a lab waiting for a component is validated for real the
//! day that component lands, with no list to update.
//!
//! Names: `scheduler`, `kubelet`, `daemonset-controller`, `static-pods`,
//! `metrics-server`, `oom-kill` (the kubelet kills a container over its
//! memory limit), and `kubectl VERB` (`kubectl taint`, `kubectl rollout`).

use engine::clock::Duration;
use engine::Simulation;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The features probed by behaviour (besides `kubectl VERB`).
pub const KNOWN: &[&str] = &[
    "scheduler",
    "kubelet",
    "daemonset-controller",
    "static-pods",
    "metrics-server",
    "oom-kill",
];

static CACHE: Mutex<BTreeMap<String, bool>> = Mutex::new(BTreeMap::new());

/// Whether a name is a feature this module can probe.
pub fn is_known(name: &str) -> bool {
    KNOWN.contains(&name)
        || name
            .strip_prefix("kubectl ")
            .is_some_and(|v| !v.trim().is_empty())
}

/// The features of `required` that Dinghy lacks today.
pub fn missing(required: &[String]) -> Vec<String> {
    required.iter().filter(|f| !available(f)).cloned().collect()
}

/// Whether the engine has a feature (cached per process).
pub fn available(name: &str) -> bool {
    if let Ok(cache) = CACHE.lock() {
        if let Some(v) = cache.get(name) {
            return *v;
        }
    }
    let v = probe(name);
    if let Ok(mut cache) = CACHE.lock() {
        cache.insert(name.to_string(), v);
    }
    v
}

fn pod_field(sim: &Simulation, ns: &str, name: &str, path: &str) -> String {
    engine::api::resolve("pods")
        .and_then(|r| sim.cluster().apiserver.get(r, Some(ns), name).ok())
        .and_then(|p| engine::api::object::str_at(&p, path).map(str::to_string))
        .unwrap_or_default()
}

fn probe(name: &str) -> bool {
    let mut sim = Simulation::new(4242);
    if let Some(verb) = name.strip_prefix("kubectl ") {
        let out = sim.run(&format!("kubectl {verb} --help\n"));
        return !out.text().contains("unknown command");
    }
    match name {
        "scheduler" => {
            sim.run("kubectl run probe --image=nginx\n");
            sim.step(Duration::from_secs(5));
            !pod_field(&sim, "default", "probe", "spec.nodeName").is_empty()
        }
        "kubelet" => {
            sim.run(
                "kubectl create -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  nodeName: node01\n  containers:\n  - name: c\n    image: nginx\nEOF\n",
            );
            sim.step(Duration::from_secs(60));
            pod_field(&sim, "default", "probe", "status.phase") == "Running"
        }
        "oom-kill" => {
            sim.run(
                "kubectl create -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  nodeName: node01\n  containers:\n  - name: c\n    image: polinux/stress\n    command: [\"stress\"]\n    args: [\"--vm\", \"1\", \"--vm-bytes\", \"15M\", \"--vm-hang\", \"1\"]\n    resources:\n      limits:\n        memory: 10Mi\nEOF\n",
            );
            sim.step(Duration::from_secs(60));
            let reason = sim
                .run("kubectl get pod probe -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}{.status.containerStatuses[0].state.terminated.reason}'\n")
                .stdout();
            reason.contains("OOMKilled")
        }
        "daemonset-controller" => {
            sim.run(
                "kubectl create -f - <<EOF\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: probe\nspec:\n  selector:\n    matchLabels:\n      app: probe\n  template:\n    metadata:\n      labels:\n        app: probe\n    spec:\n      containers:\n      - name: c\n        image: nginx\nEOF\n",
            );
            sim.step(Duration::from_secs(10));
            sim.run("kubectl get pods -l app=probe -o name\n")
                .stdout()
                .contains("pod/probe-")
        }
        "static-pods" => {
            if let Some(m) = sim.cluster_mut().machine_mut("node01") {
                m.fs.install(
                    "/etc/kubernetes/manifests/probe.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
                    0o600,
                );
            }
            sim.step(Duration::from_secs(60));
            !pod_field(&sim, "default", "probe-node01", "metadata.name").is_empty()
        }
        "metrics-server" => {
            // An add-on, as on a kubeadm cluster: installed from its release manifest.
            sim.run("kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml\n");
            sim.step(Duration::from_secs(60));
            sim.run("kubectl top nodes\n").status == 0
        }
        _ => false,
    }
}
