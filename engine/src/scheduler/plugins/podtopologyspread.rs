//! PodTopologySpread (PreFilter, Filter, PreScore, Score): pods matching a
//! constraint's selector are spread over the values of its topology key;
//! `DoNotSchedule` constraints filter (skew = matching pods in the node's
//! domain + the pod itself − the least-loaded domain must stay ≤ maxSkew),
//! `ScheduleAnyway` constraints score. The cluster-level default
//! constraints (applied to pods of Services/ReplicaSets) are not simulated.

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{NodeInfo, PodInfo, SpreadConstraint};
use super::helper::{find_untolerated, pod_matches_node_affinity};
use super::names;
use std::collections::HashMap;

#[derive(Debug)]
pub struct PodTopologySpread;

const FILTER_STATE: &str = "PreFilterPodTopologySpread";
const SCORE_STATE: &str = "PreScorePodTopologySpread";

/// Matching pods per topology value, for one constraint.
#[derive(Debug, Default)]
struct Counted {
    counts: HashMap<String, i64>,
    self_match: bool,
}

impl Plugin for PodTopologySpread {
    fn name(&self) -> &'static str {
        names::POD_TOPOLOGY_SPREAD
    }
}

fn hard(pod: &PodInfo) -> Vec<&SpreadConstraint> {
    pod.spread
        .iter()
        .filter(|c| c.when_unsatisfiable != "ScheduleAnyway")
        .collect()
}

fn soft(pod: &PodInfo) -> Vec<&SpreadConstraint> {
    pod.spread
        .iter()
        .filter(|c| c.when_unsatisfiable == "ScheduleAnyway")
        .collect()
}

/// Counts matching pods per domain over the nodes the constraints consider.
fn count(pod: &PodInfo, constraints: &[&SpreadConstraint], cache: &Cache) -> Vec<Counted> {
    let mut out: Vec<Counted> = constraints
        .iter()
        .map(|c| Counted {
            counts: HashMap::new(),
            self_match: c.selector.as_ref().is_some_and(|s| s.matches(&pod.labels)),
        })
        .collect();
    for node in &cache.nodes {
        if !constraints
            .iter()
            .all(|c| node.labels.contains_key(&c.topology_key))
        {
            continue;
        }
        for (c, counted) in constraints.iter().zip(out.iter_mut()) {
            if c.honor_node_affinity && !pod_matches_node_affinity(pod, node) {
                continue;
            }
            if c.honor_node_taints && find_untolerated(&node.taints, &pod.tolerations).is_some() {
                continue;
            }
            let Some(value) = node.labels.get(&c.topology_key) else {
                continue;
            };
            let n = node
                .pods
                .iter()
                .filter(|p| p.namespace == pod.namespace && !p.deleting)
                .filter(|p| c.selector.as_ref().is_some_and(|s| s.matches(&p.labels)))
                .count() as i64;
            *counted.counts.entry(value.clone()).or_default() += n;
        }
    }
    out
}

impl PreFilterPlugin for PodTopologySpread {
    fn pre_filter(&self, state: &mut CycleState, pod: &PodInfo, cache: &Cache) -> Status {
        let constraints = hard(pod);
        if constraints.is_empty() {
            return Status::skip();
        }
        state.write(FILTER_STATE, count(pod, &constraints, cache));
        Status::success()
    }
}

impl FilterPlugin for PodTopologySpread {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> Status {
        let Some(counted) = state.read::<Vec<Counted>>(FILTER_STATE) else {
            return Status::success();
        };
        for (c, k) in hard(pod).into_iter().zip(counted) {
            let Some(value) = node.labels.get(&c.topology_key) else {
                return Status::new(
                    Code::UnschedulableAndUnresolvable,
                    messages::SPREAD_MISSING_LABEL,
                );
            };
            let mut min = k.counts.values().copied().min().unwrap_or(0);
            if c.min_domains.is_some_and(|m| (k.counts.len() as i64) < m) {
                min = 0;
            }
            let here = k.counts.get(value).copied().unwrap_or(0);
            let skew = here + i64::from(k.self_match) - min;
            if skew > c.max_skew {
                return Status::new(Code::Unschedulable, messages::SPREAD_CONSTRAINTS);
            }
        }
        Status::success()
    }
}

impl PreScorePlugin for PodTopologySpread {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &[&NodeInfo],
        cache: &Cache,
    ) -> Status {
        let constraints = soft(pod);
        if constraints.is_empty() {
            return Status::skip();
        }
        state.write(SCORE_STATE, count(pod, &constraints, cache));
        Status::success()
    }
}

/// A raw score of −1 marks a node without the constraints' topology keys (scored 0).
const IGNORED: i64 = -1;

impl ScorePlugin for PodTopologySpread {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> i64 {
        let Some(counted) = state.read::<Vec<Counted>>(SCORE_STATE) else {
            return 0;
        };
        let mut score = 0.0f64;
        for (c, k) in soft(pod).into_iter().zip(counted) {
            let Some(value) = node.labels.get(&c.topology_key) else {
                return IGNORED;
            };
            let weight = ((k.counts.len() + 2) as f64).ln();
            let cnt = k.counts.get(value).copied().unwrap_or(0) as f64;
            score += cnt * weight + (c.max_skew - 1) as f64;
        }
        score.round() as i64
    }

    fn normalize(&self, _: &CycleState, _: &PodInfo, scores: &mut [i64]) {
        let valid = scores.iter().copied().filter(|s| *s != IGNORED);
        let (min, max) = valid.fold((i64::MAX, 0i64), |(mn, mx), s| (mn.min(s), mx.max(s)));
        for s in scores.iter_mut() {
            if *s == IGNORED {
                *s = 0;
            } else if max == 0 {
                *s = MAX_NODE_SCORE;
            } else {
                *s = MAX_NODE_SCORE * (max + min - *s) / max;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::{json, Value};

    fn zoned(name: &str, zone: &str) -> NodeInfo {
        node(name, json!({"metadata": {"labels": {"zone": zone}}}))
    }

    fn app(name: &str, node: &str) -> PodInfo {
        let mut p = pod(name, json!({"metadata": {"labels": {"app": "web"}}}));
        p.node_name = node.into();
        p
    }

    fn spread(max_skew: i64, when: &str) -> Value {
        json!({"metadata": {"labels": {"app": "web"}}, "spec": {"topologySpreadConstraints": [
            {"maxSkew": max_skew, "topologyKey": "zone", "whenUnsatisfiable": when, "labelSelector": {"matchLabels": {"app": "web"}}}]}})
    }

    #[test]
    fn skew_filter() {
        // zone a: 2 matching pods, zone b: 0, node c has no zone label
        let c = cache(
            vec![
                zoned("a1", "a"),
                zoned("a2", "a"),
                zoned("b1", "b"),
                node("c", json!({})),
            ],
            vec![app("w1", "a1"), app("w2", "a2")],
        );
        for (max_skew, a_ok, b_ok) in [(1, false, true), (2, false, true), (3, true, true)] {
            let p = pod("new", spread(max_skew, "DoNotSchedule"));
            let mut s = CycleState::default();
            assert!(PodTopologySpread.pre_filter(&mut s, &p, &c).is_success());
            let get = |n: &str| c.node(n).cloned().unwrap_or_default();
            let st = PodTopologySpread.filter(&s, &p, &get("a1"), &c);
            assert_eq!(st.is_success(), a_ok, "maxSkew {max_skew}");
            if !a_ok {
                assert_eq!(
                    (st.code, st.message().as_str()),
                    (
                        Code::Unschedulable,
                        "node(s) didn't match pod topology spread constraints"
                    )
                );
            }
            assert_eq!(
                PodTopologySpread
                    .filter(&s, &p, &get("b1"), &c)
                    .is_success(),
                b_ok
            );
            let st = PodTopologySpread.filter(&s, &p, &get("c"), &c);
            assert_eq!(
                (st.code, st.message().as_str()),
                (
                    Code::UnschedulableAndUnresolvable,
                    "node(s) didn't match pod topology spread constraints (missing required label)"
                )
            );
        }
        // no constraints: skipped
        assert!(PodTopologySpread
            .pre_filter(&mut CycleState::default(), &pod("x", json!({})), &c)
            .is_skip());
    }

    #[test]
    fn soft_scoring_prefers_empty_domain() {
        let c = cache(
            vec![zoned("a1", "a"), zoned("b1", "b")],
            vec![app("w1", "a1"), app("w2", "a1")],
        );
        let p = pod("new", spread(1, "ScheduleAnyway"));
        let mut s = CycleState::default();
        let nodes: Vec<&NodeInfo> = c.nodes.iter().collect();
        assert!(PodTopologySpread
            .pre_score(&mut s, &p, &nodes, &c)
            .is_success());
        let mut scores: Vec<i64> = nodes
            .iter()
            .map(|n| PodTopologySpread.score(&s, &p, n, &c))
            .collect();
        PodTopologySpread.normalize(&s, &p, &mut scores);
        assert_eq!(scores, vec![0, 100]);
    }
}
