//! NodeResourcesFit (PreFilter, Filter, Score): the pod's requests must fit
//! in what the node's allocatable leaves; scoring is LeastAllocated over
//! CPU and memory (weight 1 each), with the non-zero request defaults.

use super::super::super::cache::Cache;
use super::super::super::framework::*;
use super::super::super::messages;
use super::super::super::types::{NodeInfo, PodInfo};
use super::super::names;

#[derive(Debug)]
pub struct Fit;

impl Plugin for Fit {
    fn name(&self) -> &'static str {
        names::NODE_RESOURCES_FIT
    }
}

impl PreFilterPlugin for Fit {
    fn pre_filter(&self, _: &mut CycleState, _: &PodInfo, _: &Cache) -> Status {
        Status::success()
    }
}

/// `fitsRequest`: the reasons, in upstream's order (pods, cpu, memory,
/// ephemeral-storage, extended resources), and whether any request exceeds
/// the node's whole allocatable (then preemption cannot help).
pub fn insufficient(pod: &PodInfo, node: &NodeInfo) -> (Vec<String>, bool) {
    let mut reasons = Vec::new();
    let mut unresolvable = false;
    let alloc = &node.allocatable;
    let used = &node.requested;
    if node.pod_count + 1 > alloc.pods {
        reasons.push(messages::TOO_MANY_PODS.to_string());
    }
    let r = &pod.requests;
    let mut check = |name: &str, req: i64, alloc: i64, used: i64| {
        if req > 0 && req > alloc.saturating_sub(used) {
            reasons.push(messages::insufficient(name));
            if req > alloc {
                unresolvable = true;
            }
        }
    };
    check("cpu", r.milli_cpu, alloc.milli_cpu, used.milli_cpu);
    check("memory", r.memory, alloc.memory, used.memory);
    check(
        "ephemeral-storage",
        r.ephemeral_storage,
        alloc.ephemeral_storage,
        used.ephemeral_storage,
    );
    for (name, q) in &r.scalar {
        check(name, *q, alloc.scalar(name), used.scalar(name));
    }
    (reasons, unresolvable)
}

impl FilterPlugin for Fit {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> Status {
        let (reasons, unresolvable) = insufficient(pod, node);
        if reasons.is_empty() {
            return Status::success();
        }
        let code = if unresolvable {
            Code::UnschedulableAndUnresolvable
        } else {
            Code::Unschedulable
        };
        Status::with_reasons(code, reasons)
    }
}

/// `leastRequestedScore`.
pub fn least_requested(requested: i64, capacity: i64) -> i64 {
    if capacity <= 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * MAX_NODE_SCORE / capacity
}

impl ScorePlugin for Fit {
    fn score(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> i64 {
        let cpu = least_requested(
            node.non_zero_requested
                .milli_cpu
                .saturating_add(pod.non_zero.milli_cpu),
            node.allocatable.milli_cpu,
        );
        let mem = least_requested(
            node.non_zero_requested
                .memory
                .saturating_add(pod.non_zero.memory),
            node.allocatable.memory,
        );
        (cpu + mem) / 2
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testutil::*;
    use super::*;
    use serde_json::{json, Value};

    fn req(cpu: &str, mem: &str) -> Value {
        json!({"spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": mem}}}]}})
    }

    #[test]
    fn fit_table() {
        let s = CycleState::default();
        // node: 4 CPU, 32Gi, 110 pods, with one pod using 3 CPU / 30Gi
        let mut used = pod("used", req("3", "30Gi"));
        used.node_name = "n".into();
        let c = cache(vec![node("n", json!({}))], vec![used]);
        let n = c.node("n").cloned().unwrap_or_default();
        let cases: Vec<(Value, &str, Code)> = vec![
            (req("1", "2Gi"), "", Code::Success),
            (req("1001m", "1Gi"), "Insufficient cpu", Code::Unschedulable),
            (
                req("500m", "3Gi"),
                "Insufficient memory",
                Code::Unschedulable,
            ),
            (
                req("2", "3Gi"),
                "Insufficient cpu, Insufficient memory",
                Code::Unschedulable,
            ),
            // more than the whole node: preemption cannot help
            (
                req("5", "1Gi"),
                "Insufficient cpu",
                Code::UnschedulableAndUnresolvable,
            ),
            (
                json!({"spec": {"containers": [{"name": "c", "resources": {"requests": {"nvidia.com/gpu": "1"}}}]}}),
                "Insufficient nvidia.com/gpu",
                Code::UnschedulableAndUnresolvable,
            ),
            // init containers: max(sum(app), max(init))
            (
                json!({"spec": {"initContainers": [{"name": "i", "resources": {"requests": {"cpu": "1500m"}}}], "containers": [{"name": "c", "resources": {"requests": {"cpu": "100m"}}}]}}),
                "Insufficient cpu",
                Code::Unschedulable,
            ),
            (
                json!({"spec": {"initContainers": [{"name": "i", "resources": {"requests": {"cpu": "900m"}}}], "containers": [{"name": "c", "resources": {"requests": {"cpu": "100m"}}}]}}),
                "",
                Code::Success,
            ),
            // a sidecar adds to the apps
            (
                json!({"spec": {"initContainers": [{"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "600m"}}}], "containers": [{"name": "c", "resources": {"requests": {"cpu": "500m"}}}]}}),
                "Insufficient cpu",
                Code::Unschedulable,
            ),
            // overhead counts
            (
                json!({"spec": {"overhead": {"cpu": "600m"}, "containers": [{"name": "c", "resources": {"requests": {"cpu": "500m"}}}]}}),
                "Insufficient cpu",
                Code::Unschedulable,
            ),
        ];
        for (i, (spec, want, code)) in cases.into_iter().enumerate() {
            let st = Fit.filter(&s, &pod("p", spec), &n, &c);
            assert_eq!((st.message().as_str(), st.code), (want, code), "case {i}");
        }
        let full = node(
            "f",
            json!({"status": {"allocatable": {"cpu": "4", "memory": "1Gi", "pods": "0"}}}),
        );
        assert_eq!(
            Fit.filter(&s, &pod("p", json!({})), &full, &c).message(),
            "Too many pods"
        );
    }

    #[test]
    fn least_allocated() {
        let s = CycleState::default();
        let c = Cache::default();
        let n = node(
            "n",
            json!({"status": {"allocatable": {"cpu": "4", "memory": "4Gi", "pods": "110"}}}),
        );
        // 1 CPU of 4 → 75; 1Gi of 4Gi → 75
        assert_eq!(Fit.score(&s, &pod("p", req("1", "1Gi")), &n, &c), 75);
        // defaults: 100m and 200Mi for a pod without requests
        let p = pod("p", json!({}));
        assert_eq!(
            Fit.score(&s, &p, &n, &c),
            ((3900 * 100 / 4000) + ((4096 - 200) * 100 / 4096)) / 2
        );
        assert_eq!(least_requested(5, 4), 0);
        assert_eq!(least_requested(1, 0), 0);
    }
}
