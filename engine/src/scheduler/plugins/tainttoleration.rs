//! TaintToleration (Filter, PreScore, Score): NoSchedule/NoExecute taints
//! must be tolerated; fewer untolerated PreferNoSchedule taints score higher.

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{NodeInfo, PodInfo};
use super::helper::find_untolerated;
use super::names;

#[derive(Debug)]
pub struct TaintToleration;

impl Plugin for TaintToleration {
    fn name(&self) -> &'static str {
        names::TAINT_TOLERATION
    }
}

impl FilterPlugin for TaintToleration {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> Status {
        match find_untolerated(&node.taints, &pod.tolerations) {
            None => Status::success(),
            Some(t) => Status::new(
                Code::UnschedulableAndUnresolvable,
                messages::untolerated_taint(&t.key, &t.value),
            ),
        }
    }
}

impl PreScorePlugin for TaintToleration {
    fn pre_score(&self, _: &mut CycleState, _: &PodInfo, _: &[&NodeInfo], _: &Cache) -> Status {
        Status::success()
    }
}

impl ScorePlugin for TaintToleration {
    fn score(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> i64 {
        node.taints
            .iter()
            .filter(|t| t.effect == "PreferNoSchedule")
            .filter(|t| {
                !pod.tolerations
                    .iter()
                    .filter(|tol| tol.effect.is_empty() || tol.effect == "PreferNoSchedule")
                    .any(|tol| tol.tolerates(t))
            })
            .count() as i64
    }

    fn normalize(&self, _: &CycleState, _: &PodInfo, scores: &mut [i64]) {
        default_normalize(MAX_NODE_SCORE, true, scores);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::{json, Value};

    fn taint(key: &str, value: &str, effect: &str) -> Value {
        json!({"key": key, "value": value, "effect": effect})
    }

    #[test]
    fn filter_table() {
        let (c, s) = (Cache::default(), CycleState::default());
        let tol = |t: Value| pod("p", json!({"spec": {"tolerations": t}}));
        // (node taints, pod tolerations, expected reason or "")
        let cases: Vec<(Value, Value, &str)> = vec![
            (
                json!([taint("cp", "", "NoSchedule")]),
                json!([]),
                "node(s) had untolerated taint {cp: }",
            ),
            (
                json!([taint("k", "v", "NoExecute")]),
                json!([]),
                "node(s) had untolerated taint {k: v}",
            ),
            (json!([taint("k", "v", "PreferNoSchedule")]), json!([]), ""),
            (
                json!([taint("k", "v", "NoSchedule")]),
                json!([{"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"}]),
                "",
            ),
            (
                json!([taint("k", "v", "NoSchedule")]),
                json!([{"key": "k", "operator": "Equal", "value": "w", "effect": "NoSchedule"}]),
                "node(s) had untolerated taint {k: v}",
            ),
            (
                json!([taint("k", "v", "NoSchedule")]),
                json!([{"key": "k", "value": "v"}]),
                "",
            ),
            (
                json!([taint("k", "v", "NoSchedule")]),
                json!([{"key": "k", "operator": "Exists"}]),
                "",
            ),
            (
                json!([taint("k", "v", "NoSchedule")]),
                json!([{"key": "k", "operator": "Exists", "effect": "NoExecute"}]),
                "node(s) had untolerated taint {k: v}",
            ),
            // an empty key with Exists tolerates every taint
            (
                json!([taint("a", "1", "NoSchedule"), taint("b", "", "NoExecute")]),
                json!([{"operator": "Exists"}]),
                "",
            ),
            (
                json!([taint("a", "1", "NoSchedule"), taint("b", "", "NoExecute")]),
                json!([{"key": "a", "operator": "Exists"}]),
                "node(s) had untolerated taint {b: }",
            ),
        ];
        for (i, (taints, tols, want)) in cases.into_iter().enumerate() {
            let n = node("n", json!({"spec": {"taints": taints}}));
            let st = TaintToleration.filter(&s, &tol(tols), &n, &c);
            assert_eq!(st.message(), want, "case {i}");
            if !want.is_empty() {
                assert_eq!(st.code, Code::UnschedulableAndUnresolvable);
            }
        }
    }

    #[test]
    fn score_prefers_fewer_prefer_no_schedule() {
        let (c, s) = (Cache::default(), CycleState::default());
        let p = pod(
            "p",
            json!({"spec": {"tolerations": [{"key": "ok", "operator": "Exists", "effect": "PreferNoSchedule"}]}}),
        );
        let nodes = [
            node("a", json!({})),
            node(
                "b",
                json!({"spec": {"taints": [taint("x", "", "PreferNoSchedule")]}}),
            ),
            node(
                "c",
                json!({"spec": {"taints": [taint("x", "", "PreferNoSchedule"), taint("y", "", "PreferNoSchedule")]}}),
            ),
            node(
                "d",
                json!({"spec": {"taints": [taint("ok", "", "PreferNoSchedule")]}}),
            ),
        ];
        let mut scores: Vec<i64> = nodes
            .iter()
            .map(|n| TaintToleration.score(&s, &p, n, &c))
            .collect();
        assert_eq!(scores, vec![0, 1, 2, 0]);
        TaintToleration.normalize(&s, &p, &mut scores);
        assert_eq!(scores, vec![100, 50, 0, 100]);
    }
}
