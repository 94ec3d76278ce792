//! DefaultPreemption (PostFilter): when no node fits, look for a node where
//! evicting lower-priority pods would make room. Nodes rejected as
//! UnschedulableAndUnresolvable are not tried. On each tried node every
//! lower-priority pod is removed, the filters run again, and then as many
//! pods as possible are reprieved, most important first. The best
//! candidate: the lowest highest-victim priority, then the smallest sum of
//! victim priorities, then the fewest victims, then the latest start, then
//! node order. PodDisruptionBudgets are not considered (no PDB objects are
//! simulated yet).

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::PodInfo;
use super::names;
use std::sync::Arc;

#[derive(Debug)]
pub struct DefaultPreemption;

impl Plugin for DefaultPreemption {
    fn name(&self) -> &'static str {
        names::DEFAULT_PREEMPTION
    }
}

/// `MoreImportantPod`: higher priority, then the earlier start.
fn more_important(a: &PodInfo, b: &PodInfo) -> std::cmp::Ordering {
    b.priority.cmp(&a.priority).then_with(|| {
        a.start_time
            .unwrap_or(a.creation)
            .cmp(&b.start_time.unwrap_or(b.creation))
    })
}

/// A node where preemption would work, and what it would evict.
#[derive(Debug)]
struct Candidate {
    node: usize,
    /// Most important first.
    victims: Vec<Arc<PodInfo>>,
}

impl PostFilterPlugin for DefaultPreemption {
    fn post_filter(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        cache: &Cache,
        fw: &Framework,
        statuses: &NodeStatuses,
    ) -> (Option<PostFilterResult>, Status) {
        if pod.preempt_never {
            return (
                None,
                Status::new(Code::Unschedulable, messages::preemption_never()),
            );
        }
        let num_all = cache.nodes.len();
        let potential: Vec<usize> = statuses
            .iter()
            .filter(|(_, st)| st.code == Code::Unschedulable)
            .map(|(i, _)| *i)
            .collect();
        // `GetOffsetAndNumCandidates`: enough candidates to choose from.
        let wanted = ((potential.len() * 10) / 100).max(100).min(potential.len());
        let mut tried: Vec<Vec<String>> = Vec::new();
        let mut candidates: Vec<Candidate> = Vec::new();
        for idx in potential {
            if candidates.len() >= wanted {
                break;
            }
            let Some(node) = cache.nodes.get(idx) else {
                continue;
            };
            let mut lower: Vec<Arc<PodInfo>> = node
                .pods
                .iter()
                .filter(|p| p.priority < pod.priority)
                .cloned()
                .collect();
            if lower.is_empty() {
                tried.push(vec![messages::NO_VICTIMS.to_string()]);
                continue;
            }
            let mut trial = node.clone();
            for v in &lower {
                trial.remove_pod(&v.namespace, &v.name);
            }
            let st = fw.run_filters(state, pod, &trial, cache);
            if !st.is_success() {
                tried.push(st.reasons);
                continue;
            }
            crate::sort::sort_by(&mut lower, |a, b| more_important(a, b));
            let mut victims = Vec::new();
            for v in lower {
                trial.add_pod(v.clone());
                if !fw.run_filters(state, pod, &trial, cache).is_success() {
                    trial.remove_pod(&v.namespace, &v.name);
                    victims.push(v);
                }
            }
            if victims.is_empty() {
                // Fits without evicting anyone (the filters changed since): nominate without victims.
                candidates.push(Candidate { node: idx, victims });
                continue;
            }
            candidates.push(Candidate { node: idx, victims });
        }
        if candidates.is_empty() {
            return (
                Some(PostFilterResult {
                    nominated_node_name: Some(String::new()),
                    victims: vec![],
                }),
                Status::new(
                    Code::Unschedulable,
                    messages::preemption_failed(num_all, tried),
                ),
            );
        }
        let key = |c: &Candidate| {
            let highest = c.victims.first().map(|v| v.priority).unwrap_or(i64::MIN);
            let sum: i64 = c.victims.iter().map(|v| v.priority + (1i64 << 31)).sum();
            let latest_start = c
                .victims
                .iter()
                .filter(|v| v.priority == highest)
                .map(|v| v.start_time.unwrap_or(v.creation))
                .min()
                .unwrap_or_default();
            (
                highest,
                sum,
                c.victims.len(),
                std::cmp::Reverse(latest_start),
                c.node,
            )
        };
        let Some(best) = candidates.iter().min_by_key(|c| key(c)) else {
            return (
                None,
                Status::new(
                    Code::Unschedulable,
                    "preemption: no candidate node for preemption",
                ),
            );
        };
        let node_name = cache
            .nodes
            .get(best.node)
            .map(|n| n.name.clone())
            .unwrap_or_default();
        (
            Some(PostFilterResult {
                nominated_node_name: Some(node_name),
                victims: best
                    .victims
                    .iter()
                    .map(|v| (v.namespace.clone(), v.name.clone(), v.uid.clone()))
                    .collect(),
            }),
            Status::success(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::profile::Profile;
    use super::super::testutil::*;
    use super::*;
    use serde_json::json;

    fn running(name: &str, node: &str, prio: i64, cpu: &str) -> PodInfo {
        let mut p = pod(
            name,
            json!({"spec": {"priority": prio, "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]}}),
        );
        p.node_name = node.into();
        p
    }

    fn preempt(c: &Cache, p: &PodInfo) -> (Option<PostFilterResult>, Status) {
        let fw = Profile::default().framework("default-scheduler");
        let mut s = CycleState::default();
        let _ = fw.run_pre_filters(&mut s, p, c);
        let statuses: NodeStatuses = c
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (i, fw.run_filters(&s, p, n, c)))
            .filter(|(_, st)| !st.is_success())
            .collect();
        DefaultPreemption.post_filter(&s, p, c, &fw, &statuses)
    }

    #[test]
    fn victim_choice() {
        // node a: one 3-CPU pod of priority 5; node b: two 1.5-CPU pods of priority 1 and 2;
        // node c: a 3-CPU pod of priority 100 (not lower)
        let c = cache(
            vec![
                node("a", json!({})),
                node("b", json!({})),
                node("c", json!({})),
            ],
            vec![
                running("a-big", "a", 5, "3"),
                running("b-1", "b", 1, "1500m"),
                running("b-2", "b", 2, "1500m"),
                running("c-high", "c", 100, "3"),
            ],
        );
        let want = |cpu: &str| {
            pod(
                "hi",
                json!({"spec": {"priority": 10, "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]}}),
            )
        };
        // 2 CPU: on b evicting b-1 alone frees 2.5 → lowest highest-victim priority (1) wins
        let (r, st) = preempt(&c, &want("2"));
        assert!(st.is_success());
        let r = r.unwrap_or_default();
        assert_eq!(r.nominated_node_name.as_deref(), Some("b"));
        assert_eq!(
            r.victims.iter().map(|v| v.1.as_str()).collect::<Vec<_>>(),
            vec!["b-1"]
        );
        // 3.5 CPU: b needs both (highest 2), a needs a-big (highest 5) → b
        let (r, _) = preempt(&c, &want("3500m"));
        let r = r.unwrap_or_default();
        assert_eq!(r.nominated_node_name.as_deref(), Some("b"));
        assert_eq!(r.victims.len(), 2);
        // Never: not eligible
        let mut never = want("2");
        never.preempt_never = true;
        assert_eq!(
            preempt(&c, &never).1.message(),
            "preemption: not eligible due to preemptionPolicy=Never."
        );
        // lower priority than everyone: no victims anywhere
        let low = pod(
            "low",
            json!({"spec": {"priority": 0, "containers": [{"name": "c", "resources": {"requests": {"cpu": "2"}}}]}}),
        );
        assert_eq!(
            preempt(&c, &low).1.message(),
            "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
        );
        // more than a whole node: not helpful anywhere
        assert_eq!(
            preempt(&c, &want("5")).1.message(),
            "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
    }
}
