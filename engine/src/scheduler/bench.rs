//! A native benchmark of the scheduling hot loop, without criterion:
//! `dinghy bench schedule` and criterion benches time [`bench_run`] after [`bench_setup`]
//! (the timing is theirs: the engine never reads the wall clock).
//!
//! It builds the upstream `scheduler_perf` SchedulingBasic shape — nodes of
//! 4 CPU / 32Gi / 110 pods, pods requesting 100m / 500Mi — puts every pod in
//! the queue, and times popping and scheduling them all with the default
//! profile: PreFilter, Filter over the sampled nodes, Score, and assuming
//! the pod into the cache. The apiserver round trip of binding is not part
//! of it (that is the apiserver's cost, measured by its own benchmarks).
//!
//! Only the ignored `bench_report` test below reads the wall clock.

use super::cache::Cache;
use super::profile::Profile;
use super::queue::SchedulingQueue;
use super::types::{NodeInfo, PodInfo};
use super::{schedule_pod, Outcome};
use crate::clock::Time;
use serde_json::json;

/// A cluster of `nodes` SchedulingBasic nodes and `pods` pending pods.
pub fn bench_setup(nodes: usize, pods: usize) -> (Cache, SchedulingQueue) {
    let mut cache = Cache::default();
    for i in 0..nodes {
        let name = format!("node-{i:05}");
        cache.upsert_node(NodeInfo::parse(&json!({
            "metadata": {"name": name, "resourceVersion": "1", "labels": {"kubernetes.io/hostname": name}},
            "status": {"allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"}}
        })));
    }
    let mut queue = SchedulingQueue::default();
    for i in 0..pods {
        let p = PodInfo::parse(&json!({
            "metadata": {"name": format!("pod-{i:06}"), "namespace": "default", "uid": format!("uid-{i}"),
                         "creationTimestamp": "2025-04-23T08:00:00Z"},
            "spec": {"schedulerName": "default-scheduler", "containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10",
                     "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}}}]}
        }));
        queue.upsert(p, false, Time::EPOCH);
    }
    (cache, queue)
}

/// Schedules everything in the queue into the cache; returns how many pods found a node.
pub fn bench_run(cache: &mut Cache, queue: &mut SchedulingQueue) -> usize {
    let fw = Profile::default().framework("default-scheduler");
    let mut start = 0usize;
    let mut scheduled = 0;
    for key in queue.ready(Time::EPOCH, &*fw.queue_sort) {
        let Some(q) = queue.remove(&key) else {
            continue;
        };
        let decision = schedule_pod(&fw, cache, &q.pod, &mut start);
        if let Outcome::Scheduled { node } = decision.outcome {
            let mut p = q.pod;
            p.node_name = node;
            cache.add_pod(p);
            scheduled += 1;
        }
    }
    scheduled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_bench_schedules_everything_evenly() {
        let (mut cache, mut queue) = bench_setup(10, 200);
        assert_eq!(bench_run(&mut cache, &mut queue), 200);
        // LeastAllocated spreads the pods: 20 per node.
        assert!(
            cache.nodes.iter().all(|n| n.pod_count == 20),
            "{:?}",
            cache.nodes.iter().map(|n| n.pod_count).collect::<Vec<_>>()
        );
    }

    /// `cargo test --release -p dinghy-engine bench_report -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn bench_report() {
        for (nodes, pods) in [(5000, 10_000), (5000, 50_000)] {
            let (mut cache, mut queue) = bench_setup(nodes, pods);
            let start = std::time::Instant::now();
            let n = bench_run(&mut cache, &mut queue);
            let d = start.elapsed();
            let rate = n as f64 / d.as_secs_f64().max(1e-9);
            println!(
                "{nodes} nodes, {pods} pods: {n} scheduled in {:.3}s = {rate:.0} pods/s",
                d.as_secs_f64()
            );
        }
    }
}
