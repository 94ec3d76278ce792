// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The clusters the benchmarks measure (issue 11): built here, once, so
//! that criterion (`engine/benches/`), `dinghy bench` and the smoke check
//! of `cargo xtask test` time exactly the same thing.
//!
//! Building is deterministic and reads no clock; timing is the caller's
//! business. Objects go straight to the apiserver (as a controller would
//! write them), not through the shell: the scenarios measure the cluster,
//! not how fast a script can be typed.

use crate::api::{resolve, Resource};
use crate::cluster::{Cluster, NodeSpec, Topology};
use crate::Simulation;
use serde_json::{json, Value};

/// The commands whose latency the benchmarks measure.
pub const COMMANDS: &[&str] = &[
    "kubectl get pods -A",
    "kubectl describe node node01",
    "kubectl get pods -o yaml",
];

/// `controlplane` and `workers` worker nodes named `node01`, `node02`, …
/// In the shape of scheduler_perf's SchedulingBasic nodes when `large`
/// (4 CPU, 32Gi, 110 pods), else the lab's default workers.
pub fn topology(workers: usize, large: bool) -> Topology {
    let mut nodes = vec![NodeSpec::control_plane("controlplane")];
    for i in 1..=workers {
        let mut n = NodeSpec::worker(&format!("node{i:02}"));
        if large {
            n.cpu = "4".into();
            n.memory = "32Gi".into();
        }
        nodes.push(n);
    }
    Topology { nodes }
}

fn resource(name: &str) -> Result<&'static Resource, String> {
    resolve(name).ok_or_else(|| format!("no resource {name:?}"))
}

fn create(cluster: &mut Cluster, res: &Resource, obj: Value) -> Result<(), String> {
    let now = cluster.now();
    cluster
        .apiserver
        .create(res, None, obj, now)
        .map(|_| ())
        .map_err(|e| format!("creating a {}: {e:?}", res.kind))
}

/// A pod of the SchedulingBasic shape (100m CPU, 500Mi), optionally
/// already bound to a node and with readiness and liveness probes.
pub fn pod(name: &str, namespace: &str, node: Option<&str>, probes: bool) -> Value {
    let mut container = json!({
        "name": "app",
        "image": "registry.k8s.io/pause:3.10",
        "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}},
    });
    if probes {
        container["readinessProbe"] =
            json!({"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10});
        container["livenessProbe"] = json!({"tcpSocket": {"port": 80}, "periodSeconds": 20});
    }
    let mut p = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": "bench"}},
        "spec": {"containers": [container]},
    });
    if let Some(node) = node {
        p["spec"]["nodeName"] = json!(node);
    }
    p
}

/// A Deployment of `replicas` pods like [`pod`].
pub fn deployment(name: &str, namespace: &str, replicas: u32, probes: bool) -> Value {
    let template = pod("", namespace, None, probes);
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": template["spec"].clone(),
            },
        },
    })
}

/// A cluster of `workers` nodes and `pods` pods in `default`, bound to the
/// workers in turn (as if scheduled): the cluster the command latency is
/// measured on.
pub fn cluster_with_pods(seed: u64, workers: usize, pods: usize) -> Result<Simulation, String> {
    let mut cluster = Cluster::with_topology(seed, &topology(workers, true));
    let res = resource("pods")?;
    for i in 0..pods {
        let node = format!("node{:02}", 1 + i % workers.max(1));
        create(
            &mut cluster,
            res,
            pod(&format!("bench-{i:05}"), "default", Some(&node), false),
        )?;
    }
    cluster.settle();
    Ok(Simulation::with_cluster(cluster))
}

/// The lab cluster of the simulated-time scenario: 2 workers, 50 pods
/// with probes (5 Deployments of 10), a CronJob every minute and an HPA.
pub fn lab_cluster(seed: u64) -> Result<Simulation, String> {
    // Workers large enough for all 50 pods, and an image that serves the
    // probes' port 80: with pause:3.10 and 500Mi requests most pods stayed
    // Pending or crash-looped on their liveness probe, and the scenario
    // measured restarts instead of a healthy lab cluster's hour.
    let mut cluster = Cluster::with_topology(seed, &topology(2, true));
    let deployments = resource("deployments")?;
    for i in 0..5 {
        let mut d = deployment(&format!("app{i}"), "default", 10, true);
        if let Some(c) = d.pointer_mut("/spec/template/spec/containers/0") {
            c["image"] = json!("nginx:1.27");
            c["resources"] = json!({"requests": {"cpu": "100m", "memory": "64Mi"}});
        }
        create(&mut cluster, deployments, d)?;
    }
    let cronjob = json!({
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "tick", "namespace": "default"},
        "spec": {
            "schedule": "*/1 * * * *",
            "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure",
                "containers": [{"name": "tick", "image": "busybox:1.36", "command": ["date"]}],
            }}}},
        },
    });
    create(&mut cluster, resource("cronjobs")?, cronjob)?;
    let hpa = json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "app0", "namespace": "default"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "app0"},
            "minReplicas": 1,
            "maxReplicas": 20,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 50}}}],
        },
    });
    create(&mut cluster, resource("hpa")?, hpa)?;
    cluster.settle();
    Ok(Simulation::with_cluster(cluster))
}

/// The scalability envelope, scaled: `workers` SchedulingBasic nodes and
/// `deployments` Deployments of `replicas` each, created but not yet run.
pub fn envelope(
    seed: u64,
    workers: usize,
    deployments: usize,
    replicas: u32,
) -> Result<Simulation, String> {
    let mut cluster = Cluster::with_topology(seed, &topology(workers, true));
    let res = resource("deployments")?;
    for i in 0..deployments {
        create(
            &mut cluster,
            res,
            deployment(&format!("d{i:04}"), "default", replicas, false),
        )?;
    }
    Ok(Simulation::with_cluster(cluster))
}

/// Pods in the store, and how many of them are Running.
pub fn pod_counts(sim: &Simulation) -> (usize, usize) {
    let Ok(res) = resource("pods") else {
        return (0, 0);
    };
    // The cached pods themselves: a copy of every pod at every look
    // made the count weigh as much as the simulation's own pods.
    let pods = sim.cluster().apiserver.list_shared(res, None);
    let running = pods
        .iter()
        .filter(|p| p["status"]["phase"] == "Running")
        .count();
    (pods.len(), running)
}

/// A fixed amount of work that does not involve Dinghy's code (a JSON
/// round trip of a pod, `rounds` times): the smoke benchmarks divide their
/// times by it, so that the check holds on a slow machine and a fast one.
pub fn baseline_work(rounds: usize) -> usize {
    let doc = pod("baseline", "default", Some("node01"), true);
    let mut total = 0;
    for _ in 0..rounds {
        let text = serde_json::to_string(&doc).unwrap_or_default();
        let back: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        total += text.len() + usize::from(back.is_object());
    }
    total
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap (ARCHITECTURE.md)
mod tests {
    use super::*;

    #[test]
    fn scenario_clusters_have_what_they_promise() {
        let sim = cluster_with_pods(1, 3, 50).unwrap();
        assert!(pod_counts(&sim).0 >= 50);
        let nodes = sim
            .cluster()
            .apiserver
            .list(resolve("nodes").unwrap(), None);
        assert_eq!(nodes.len(), 4);

        let lab = lab_cluster(1).unwrap();
        let api = &lab.cluster().apiserver;
        let default = Some("default");
        assert_eq!(api.list(resolve("deployments").unwrap(), default).len(), 5);
        assert_eq!(api.list(resolve("cronjobs").unwrap(), default).len(), 1);
        assert_eq!(api.list(resolve("hpa").unwrap(), default).len(), 1);
        // Its 50 pods fit and pass their probes: the hour measures a
        // healthy cluster, not crash loops (they once did not).
        let mut lab = lab;
        lab.step(crate::clock::Duration::from_secs(45));
        let running = lab
            .cluster()
            .apiserver
            .list(resolve("pods").unwrap(), default)
            .iter()
            .filter(|p| p["status"]["phase"] == "Running")
            .filter(|p| {
                p["status"]["containerStatuses"][0]["ready"] == true
                    && p["status"]["containerStatuses"][0]["restartCount"] == 0
            })
            .count();
        assert_eq!(running, 50);

        let env = envelope(1, 10, 3, 4).unwrap();
        assert_eq!(
            env.cluster()
                .apiserver
                .list(resolve("deployments").unwrap(), Some("default"))
                .len(),
            3
        );
    }

    #[test]
    fn baseline_work_is_deterministic() {
        assert_eq!(baseline_work(3), baseline_work(3));
        assert!(baseline_work(1) > 100);
    }
}
