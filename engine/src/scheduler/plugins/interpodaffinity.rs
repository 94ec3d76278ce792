//! InterPodAffinity (PreFilter, Filter, PreScore, Score): required pod
//! affinity and anti-affinity of the incoming pod, the required
//! anti-affinity of pods already running, and the preferred terms of both
//! sides as scores, all per topology domain (`topologyKey` value).

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{AffinityTerm, NodeInfo, PodInfo};
use super::names;
use std::collections::HashMap;

#[derive(Debug)]
pub struct InterPodAffinity;

const FILTER_STATE: &str = "PreFilterInterPodAffinity";
const SCORE_STATE: &str = "PreScoreInterPodAffinity";

type Pair = (String, String);

#[derive(Debug, Default)]
struct FilterState {
    existing_anti: HashMap<Pair, i64>,
    affinity: HashMap<Pair, i64>,
    anti: HashMap<Pair, i64>,
}

impl Plugin for InterPodAffinity {
    fn name(&self) -> &'static str {
        names::INTER_POD_AFFINITY
    }
}

fn matches(t: &AffinityTerm, pod: &PodInfo, cache: &Cache) -> bool {
    t.matches_pod(pod, cache.namespaces.get(&pod.namespace))
}

fn pair(t: &AffinityTerm, node: &NodeInfo) -> Option<Pair> {
    node.labels
        .get(&t.topology_key)
        .map(|v| (t.topology_key.clone(), v.clone()))
}

impl PreFilterPlugin for InterPodAffinity {
    fn pre_filter(&self, state: &mut CycleState, pod: &PodInfo, cache: &Cache) -> Status {
        if pod.affinity_required.is_empty()
            && pod.anti_affinity_required.is_empty()
            && cache.pods_with_required_anti_affinity == 0
        {
            return Status::skip();
        }
        let mut st = FilterState::default();
        for node in &cache.nodes {
            for existing in &node.pods {
                for t in &existing.anti_affinity_required {
                    if matches(t, pod, cache) {
                        if let Some(p) = pair(t, node) {
                            *st.existing_anti.entry(p).or_default() += 1;
                        }
                    }
                }
                if !pod.affinity_required.is_empty()
                    && pod
                        .affinity_required
                        .iter()
                        .all(|t| matches(t, existing, cache))
                {
                    for t in &pod.affinity_required {
                        if let Some(p) = pair(t, node) {
                            *st.affinity.entry(p).or_default() += 1;
                        }
                    }
                }
                for t in &pod.anti_affinity_required {
                    if matches(t, existing, cache) {
                        if let Some(p) = pair(t, node) {
                            *st.anti.entry(p).or_default() += 1;
                        }
                    }
                }
            }
        }
        state.write(FILTER_STATE, st);
        Status::success()
    }
}

impl FilterPlugin for InterPodAffinity {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo, cache: &Cache) -> Status {
        let Some(st) = state.read::<FilterState>(FILTER_STATE) else {
            return Status::success();
        };
        // Affinity: every term's domain must hold a matching pod — unless no
        // pod matches anywhere and the pod matches its own terms (the first of a group).
        let mut pods_exist = true;
        let mut all_keys = true;
        for t in &pod.affinity_required {
            match pair(t, node) {
                Some(p) => {
                    if st.affinity.get(&p).copied().unwrap_or(0) <= 0 {
                        pods_exist = false;
                    }
                }
                None => all_keys = false,
            }
        }
        let first_of_group =
            st.affinity.is_empty() && pod.affinity_required.iter().all(|t| matches(t, pod, cache));
        if !all_keys || (!pods_exist && !first_of_group) {
            return Status::new(Code::UnschedulableAndUnresolvable, messages::POD_AFFINITY);
        }
        for t in &pod.anti_affinity_required {
            if let Some(p) = pair(t, node) {
                if st.anti.get(&p).copied().unwrap_or(0) > 0 {
                    return Status::new(Code::Unschedulable, messages::POD_ANTI_AFFINITY);
                }
            }
        }
        if !st.existing_anti.is_empty() {
            for (k, v) in &node.labels {
                if st
                    .existing_anti
                    .get(&(k.clone(), v.clone()))
                    .copied()
                    .unwrap_or(0)
                    > 0
                {
                    return Status::new(Code::Unschedulable, messages::EXISTING_ANTI_AFFINITY);
                }
            }
        }
        Status::success()
    }
}

impl PreScorePlugin for InterPodAffinity {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &[&NodeInfo],
        cache: &Cache,
    ) -> Status {
        if pod.affinity_preferred.is_empty()
            && pod.anti_affinity_preferred.is_empty()
            && cache.pods_with_affinity == 0
        {
            return Status::skip();
        }
        let mut scores: HashMap<Pair, i64> = HashMap::new();
        let mut add = |t: &AffinityTerm, node: &NodeInfo, w: i64| {
            if let Some(p) = pair(t, node) {
                *scores.entry(p).or_default() += w;
            }
        };
        for node in &cache.nodes {
            for existing in &node.pods {
                for t in &pod.affinity_preferred {
                    if matches(t, existing, cache) {
                        add(t, node, t.weight);
                    }
                }
                for t in &pod.anti_affinity_preferred {
                    if matches(t, existing, cache) {
                        add(t, node, -t.weight);
                    }
                }
                // The running pods' terms about the incoming pod (hard affinity weighs 1).
                for t in &existing.affinity_required {
                    if matches(t, pod, cache) {
                        add(t, node, 1);
                    }
                }
                for t in &existing.affinity_preferred {
                    if matches(t, pod, cache) {
                        add(t, node, t.weight);
                    }
                }
                for t in &existing.anti_affinity_preferred {
                    if matches(t, pod, cache) {
                        add(t, node, -t.weight);
                    }
                }
            }
        }
        state.write(SCORE_STATE, scores);
        Status::success()
    }
}

impl ScorePlugin for InterPodAffinity {
    fn score(&self, state: &CycleState, _: &PodInfo, node: &NodeInfo, _: &Cache) -> i64 {
        let Some(scores) = state.read::<HashMap<Pair, i64>>(SCORE_STATE) else {
            return 0;
        };
        scores
            .iter()
            .filter(|((k, v), _)| node.labels.get(k) == Some(v))
            .map(|(_, s)| *s)
            .sum()
    }

    fn normalize(&self, _: &CycleState, _: &PodInfo, scores: &mut [i64]) {
        let min = scores.iter().copied().min().unwrap_or(0);
        let max = scores.iter().copied().max().unwrap_or(0);
        let diff = max - min;
        for s in scores.iter_mut() {
            *s = if diff > 0 {
                MAX_NODE_SCORE * (*s - min) / diff
            } else {
                0
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::{json, Value};

    fn on(name: &str, node: &str, labels: Value, spec: Value) -> PodInfo {
        let mut p = pod(name, json!({"metadata": {"labels": labels}, "spec": spec}));
        p.node_name = node.into();
        p
    }

    fn term(app: &str) -> Value {
        json!({"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "kubernetes.io/hostname"})
    }

    fn run(c: &Cache, p: &PodInfo) -> Vec<String> {
        let mut s = CycleState::default();
        let st = InterPodAffinity.pre_filter(&mut s, p, c);
        if st.is_skip() {
            return c.nodes.iter().map(|_| String::new()).collect();
        }
        c.nodes
            .iter()
            .map(|n| InterPodAffinity.filter(&s, p, n, c).message())
            .collect()
    }

    #[test]
    fn filter_table() {
        let c = cache(
            vec![node("a", json!({})), node("b", json!({}))],
            vec![
                on("db", "a", json!({"app": "db"}), json!({})),
                on(
                    "lonely",
                    "b",
                    json!({"app": "lonely"}),
                    json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term("web")]}}}),
                ),
            ],
        );
        let aff = |t: Value| json!({"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [t]}}});
        let anti = |t: Value| json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [t]}}});
        let cases: Vec<(PodInfo, [&str; 2])> = vec![
            (
                pod("p", json!({"spec": aff(term("db"))})),
                ["", "node(s) didn't match pod affinity rules"],
            ),
            (
                pod("p", json!({"spec": anti(term("db"))})),
                ["node(s) didn't match pod anti-affinity rules", ""],
            ),
            // an existing pod's anti-affinity keeps web pods away from node b
            (
                pod("p", json!({"metadata": {"labels": {"app": "web"}}})),
                [
                    "",
                    "node(s) didn't satisfy existing pods anti-affinity rules",
                ],
            ),
            // no pod matches yet and the pod matches its own term: allowed (first of a group)
            (
                pod(
                    "p",
                    json!({"metadata": {"labels": {"app": "cache"}}, "spec": aff(term("cache"))}),
                ),
                ["", ""],
            ),
            (
                pod("p", json!({"spec": aff(term("cache"))})),
                [
                    "node(s) didn't match pod affinity rules",
                    "node(s) didn't match pod affinity rules",
                ],
            ),
        ];
        for (i, (p, want)) in cases.into_iter().enumerate() {
            assert_eq!(run(&c, &p), want.map(String::from).to_vec(), "case {i}");
        }
    }

    #[test]
    fn preferred_scores() {
        let c = cache(
            vec![node("a", json!({})), node("b", json!({}))],
            vec![on("db", "a", json!({"app": "db"}), json!({}))],
        );
        let p = pod(
            "p",
            json!({"spec": {"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 50, "podAffinityTerm": term("db")}]}}}}),
        );
        let mut s = CycleState::default();
        let nodes: Vec<&NodeInfo> = c.nodes.iter().collect();
        assert!(InterPodAffinity
            .pre_score(&mut s, &p, &nodes, &c)
            .is_success());
        let mut scores: Vec<i64> = nodes
            .iter()
            .map(|n| InterPodAffinity.score(&s, &p, n, &c))
            .collect();
        assert_eq!(scores, vec![-50, 0]);
        InterPodAffinity.normalize(&s, &p, &mut scores);
        assert_eq!(scores, vec![0, 100]);
    }
}
