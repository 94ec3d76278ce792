//! NodeAffinity (PreFilter, Filter, PreScore, Score): `nodeSelector` and
//! required node affinity must match; preferred terms add their weights.

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{NodeInfo, PodInfo};
use super::helper::pod_matches_node_affinity;
use super::names;

#[derive(Debug)]
pub struct NodeAffinity;

impl Plugin for NodeAffinity {
    fn name(&self) -> &'static str {
        names::NODE_AFFINITY
    }
}

impl PreFilterPlugin for NodeAffinity {
    fn pre_filter(&self, _: &mut CycleState, pod: &PodInfo, _: &Cache) -> Status {
        if pod.node_selector.is_empty() && pod.required_node_affinity.is_none() {
            return Status::skip();
        }
        Status::success()
    }
}

impl FilterPlugin for NodeAffinity {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> Status {
        if pod_matches_node_affinity(pod, node) {
            Status::success()
        } else {
            Status::new(Code::UnschedulableAndUnresolvable, messages::NODE_AFFINITY)
        }
    }
}

impl PreScorePlugin for NodeAffinity {
    fn pre_score(&self, _: &mut CycleState, pod: &PodInfo, _: &[&NodeInfo], _: &Cache) -> Status {
        if pod.preferred_node_affinity.is_empty() {
            return Status::skip();
        }
        Status::success()
    }
}

impl ScorePlugin for NodeAffinity {
    fn score(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> i64 {
        pod.preferred_node_affinity
            .iter()
            .filter(|(w, t)| *w != 0 && t.matches(&node.name, &node.labels))
            .map(|(w, _)| *w)
            .sum()
    }

    fn normalize(&self, _: &CycleState, _: &PodInfo, scores: &mut [i64]) {
        default_normalize(MAX_NODE_SCORE, false, scores);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::{json, Value};

    fn req(op: &str, values: Value) -> Value {
        json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "k", "operator": op, "values": values}]}]}}}}})
    }

    #[test]
    fn operators() {
        let (c, s) = (Cache::default(), CycleState::default());
        let with = node("n", json!({"metadata": {"labels": {"k": "5"}}}));
        let without = node("m", json!({}));
        // (pod, fits node with k=5, fits node without k)
        let cases = [
            (req("In", json!(["5", "6"])), true, false),
            (req("In", json!(["6"])), false, false),
            (req("NotIn", json!(["5"])), false, true),
            (req("NotIn", json!(["6"])), true, true),
            (req("Exists", json!([])), true, false),
            (req("DoesNotExist", json!([])), false, true),
            (req("Gt", json!(["4"])), true, false),
            (req("Gt", json!(["5"])), false, false),
            (req("Lt", json!(["6"])), true, false),
            (req("Lt", json!(["x"])), false, false),
            (json!({"spec": {"nodeSelector": {"k": "5"}}}), true, false),
            (json!({"spec": {"nodeSelector": {"k": "4"}}}), false, false),
            // empty terms match nothing
            (
                json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{}]}}}}}),
                false,
                false,
            ),
            // terms are ORed
            (
                json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "k", "operator": "In", "values": ["9"]}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["m"]}]}]}}}}}),
                false,
                true,
            ),
        ];
        for (i, (spec, a, b)) in cases.into_iter().enumerate() {
            let p = pod("p", spec);
            for (n, want) in [(&with, a), (&without, b)] {
                let st = NodeAffinity.filter(&s, &p, n, &c);
                assert_eq!(st.is_success(), want, "case {i} on {}", n.name);
                if !want {
                    assert_eq!(
                        st.message(),
                        "node(s) didn't match Pod's node affinity/selector"
                    );
                }
            }
        }
        let mut st = CycleState::default();
        assert!(NodeAffinity
            .pre_filter(&mut st, &pod("p", json!({})), &c)
            .is_skip());
    }

    #[test]
    fn preferred_weights() {
        let (c, s) = (Cache::default(), CycleState::default());
        let p = pod(
            "p",
            json!({"spec": {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 80, "preference": {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}},
            {"weight": 20, "preference": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}}]}}}}),
        );
        let nodes = [
            node(
                "a",
                json!({"metadata": {"labels": {"disk": "ssd", "zone": "a"}}}),
            ),
            node("b", json!({"metadata": {"labels": {"disk": "ssd"}}})),
            node("c", json!({"metadata": {"labels": {"zone": "a"}}})),
            node("d", json!({})),
        ];
        let mut scores: Vec<i64> = nodes
            .iter()
            .map(|n| NodeAffinity.score(&s, &p, n, &c))
            .collect();
        assert_eq!(scores, vec![100, 80, 20, 0]);
        NodeAffinity.normalize(&s, &p, &mut scores);
        assert_eq!(scores, vec![100, 80, 20, 0]);
    }
}
