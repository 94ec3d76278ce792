//! NodeResourcesBalancedAllocation (PreScore, Score): prefers nodes where
//! CPU and memory would be used in similar fractions (1 − standard deviation).

use super::super::super::cache::Cache;
use super::super::super::framework::*;
use super::super::super::types::{NodeInfo, PodInfo};
use super::super::names;

#[derive(Debug)]
pub struct BalancedAllocation;

impl Plugin for BalancedAllocation {
    fn name(&self) -> &'static str {
        names::BALANCED_ALLOCATION
    }
}

impl PreScorePlugin for BalancedAllocation {
    fn pre_score(&self, _: &mut CycleState, pod: &PodInfo, _: &[&NodeInfo], _: &Cache) -> Status {
        // A best-effort pod (no CPU or memory request) is skipped.
        if pod.requests.milli_cpu == 0 && pod.requests.memory == 0 {
            return Status::skip();
        }
        Status::success()
    }
}

/// `balancedResourceScorer` over (requested, allocatable) pairs. Runs for
/// every feasible node of every pod, so it allocates nothing.
pub fn balanced_score(pairs: &[(i64, i64)]) -> i64 {
    let fractions = || {
        pairs
            .iter()
            .filter(|(_, a)| *a > 0)
            .map(|(r, a)| (*r as f64 / *a as f64).min(1.0))
    };
    let count = fractions().count();
    let std = match count {
        2 => {
            let mut f = fractions();
            let (a, b) = (f.next().unwrap_or(0.0), f.next().unwrap_or(0.0));
            ((a - b) / 2.0).abs()
        }
        n if n > 2 => {
            let mean = fractions().sum::<f64>() / n as f64;
            (fractions().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64).sqrt()
        }
        _ => 0.0,
    };
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

impl ScorePlugin for BalancedAllocation {
    fn score(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> i64 {
        balanced_score(&[
            (
                node.requested
                    .milli_cpu
                    .saturating_add(pod.requests.milli_cpu),
                node.allocatable.milli_cpu,
            ),
            (
                node.requested.memory.saturating_add(pod.requests.memory),
                node.allocatable.memory,
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance() {
        assert_eq!(balanced_score(&[(1, 4), (1, 4)]), 100);
        assert_eq!(balanced_score(&[(4, 4), (0, 4)]), 50);
        assert_eq!(balanced_score(&[(2, 4), (1, 4)]), 87);
        assert_eq!(balanced_score(&[(8, 4), (0, 4)]), 50);
        assert_eq!(balanced_score(&[(1, 0), (1, 4)]), 100);
    }
}
