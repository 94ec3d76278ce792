//! The scheduling framework (upstream `pkg/scheduler/framework`): a trait
//! per extension point, [`Status`] with its codes, and the per-cycle state
//! plugins share between their PreFilter/PreScore and Filter/Score calls.

use super::cache::Cache;
use super::types::{NodeInfo, PodInfo};
use crate::apiserver::ApiServer;
use crate::clock::Time;
use serde::Serialize;
use std::any::Any;
use std::collections::HashMap;

/// `framework.Code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Code {
    Success,
    Error,
    /// Rejected; preemption may help.
    Unschedulable,
    /// Rejected; preemption will not help.
    UnschedulableAndUnresolvable,
    Wait,
    Skip,
    Pending,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Success => "Success",
            Code::Error => "Error",
            Code::Unschedulable => "Unschedulable",
            Code::UnschedulableAndUnresolvable => "UnschedulableAndUnresolvable",
            Code::Wait => "Wait",
            Code::Skip => "Skip",
            Code::Pending => "Pending",
        }
    }
}

/// `framework.Status`: a code, the reasons, and the plugin that said so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Status {
    pub code: Code,
    pub reasons: Vec<String>,
    pub plugin: &'static str,
}

impl Default for Status {
    fn default() -> Self {
        Status::success()
    }
}

impl Status {
    pub const fn success() -> Status {
        Status {
            code: Code::Success,
            reasons: Vec::new(),
            plugin: "",
        }
    }
    pub fn new(code: Code, reason: impl Into<String>) -> Status {
        Status {
            code,
            reasons: vec![reason.into()],
            plugin: "",
        }
    }
    pub fn with_reasons(code: Code, reasons: Vec<String>) -> Status {
        Status {
            code,
            reasons,
            plugin: "",
        }
    }
    pub const fn skip() -> Status {
        Status {
            code: Code::Skip,
            reasons: Vec::new(),
            plugin: "",
        }
    }
    pub fn is_success(&self) -> bool {
        self.code == Code::Success
    }
    pub fn is_skip(&self) -> bool {
        self.code == Code::Skip
    }
    /// Unschedulable or UnschedulableAndUnresolvable.
    pub fn is_rejected(&self) -> bool {
        matches!(
            self.code,
            Code::Unschedulable | Code::UnschedulableAndUnresolvable
        )
    }
    /// `Status.Message()`: the reasons joined with `, `.
    pub fn message(&self) -> String {
        self.reasons.join(", ")
    }
    pub fn with_plugin(mut self, plugin: &'static str) -> Status {
        self.plugin = plugin;
        self
    }
}

/// State shared by a plugin's calls within one scheduling cycle
/// (`framework.CycleState`): typed values under the plugin's key, and the
/// plugins whose PreFilter/PreScore returned Skip.
#[derive(Default)]
pub struct CycleState {
    data: HashMap<&'static str, Box<dyn Any + Send + Sync>>,
    pub skip_filter: Vec<&'static str>,
    pub skip_score: Vec<&'static str>,
}

impl std::fmt::Debug for CycleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CycleState")
            .field("keys", &self.data.keys().collect::<Vec<_>>())
            .field("skip_filter", &self.skip_filter)
            .field("skip_score", &self.skip_score)
            .finish()
    }
}

impl CycleState {
    pub fn write<T: Any + Send + Sync>(&mut self, key: &'static str, v: T) {
        self.data.insert(key, Box::new(v));
    }
    pub fn read<T: Any>(&self, key: &'static str) -> Option<&T> {
        self.data.get(key).and_then(|b| b.downcast_ref::<T>())
    }
}

/// What every plugin has: its name as configured in profiles.
pub trait Plugin {
    fn name(&self) -> &'static str;
}

/// Gates a pod before it enters activeQ (SchedulingGates).
pub trait PreEnqueuePlugin: Plugin {
    fn pre_enqueue(&self, pod: &PodInfo) -> Status;
}

/// Orders activeQ (PrioritySort).
pub trait QueueSortPlugin: Plugin {
    fn less(&self, a: &PodInfo, b: &PodInfo) -> bool;
}

pub trait PreFilterPlugin: Plugin {
    /// Success, Skip (the plugin's Filter is not run this cycle) or a rejection for every node.
    fn pre_filter(&self, state: &mut CycleState, pod: &PodInfo, cache: &Cache) -> Status;
}

pub trait FilterPlugin: Plugin {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo, cache: &Cache) -> Status;
}

/// What a PostFilter (preemption) decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostFilterResult {
    /// The node the pod is nominated to, `Some("")` to clear a nomination.
    pub nominated_node_name: Option<String>,
    /// Pods to evict, as `(namespace, name, uid)`.
    pub victims: Vec<(String, String, String)>,
}

/// Per-node statuses of the Filter pass: `(node index, status)` for every
/// node that was rejected, in evaluation order.
pub type NodeStatuses = Vec<(usize, Status)>;

pub trait PostFilterPlugin: Plugin {
    fn post_filter(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        cache: &Cache,
        fw: &Framework,
        statuses: &NodeStatuses,
    ) -> (Option<PostFilterResult>, Status);
}

pub trait PreScorePlugin: Plugin {
    /// Success, or Skip (the plugin's Score is not run this cycle).
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        cache: &Cache,
    ) -> Status;
}

pub trait ScorePlugin: Plugin {
    /// A raw score for the node.
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo, cache: &Cache) -> i64;
    /// Brings raw scores to 0–100 (`ScoreExtensions.NormalizeScore`); the default leaves them.
    fn normalize(&self, _state: &CycleState, _pod: &PodInfo, _scores: &mut [i64]) {}
}

pub trait ReservePlugin: Plugin {
    fn reserve(&self, state: &mut CycleState, pod: &PodInfo, node: &str) -> Status;
    fn unreserve(&self, _state: &mut CycleState, _pod: &PodInfo, _node: &str) {}
}

pub trait PermitPlugin: Plugin {
    /// Success, Wait (not supported by this simulation: treated as success) or a rejection.
    fn permit(&self, state: &mut CycleState, pod: &PodInfo, node: &str) -> Status;
}

pub trait PreBindPlugin: Plugin {
    fn pre_bind(
        &self,
        api: &mut ApiServer,
        cache: &Cache,
        pod: &PodInfo,
        node: &str,
        now: Time,
    ) -> Status;
}

pub trait BindPlugin: Plugin {
    /// Skip passes to the next binder.
    fn bind(&self, api: &mut ApiServer, pod: &PodInfo, node: &str, now: Time) -> Status;
}

/// `numFeasibleNodesToFind`: every node up to 100; otherwise the configured
/// percentage, or the adaptive one (50 % − nodes/125, at least 5 %), and
/// never fewer than 100.
pub fn num_feasible_nodes_to_find(percentage: Option<i64>, num_all_nodes: usize) -> usize {
    const MIN_FEASIBLE: usize = 100;
    let n = num_all_nodes as i64;
    if num_all_nodes < MIN_FEASIBLE {
        return num_all_nodes;
    }
    let mut pct = percentage.unwrap_or(0);
    if pct >= 100 {
        return num_all_nodes;
    }
    if pct <= 0 {
        pct = 50 - n / 125;
        if pct < 5 {
            pct = 5;
        }
    }
    let found = (n * pct / 100) as usize;
    found.max(MIN_FEASIBLE)
}

/// A profile's plugins, instantiated per extension point in order.
pub struct Framework {
    pub scheduler_name: String,
    pub queue_sort: Box<dyn QueueSortPlugin + Send + Sync>,
    pub pre_enqueue: Vec<Box<dyn PreEnqueuePlugin + Send + Sync>>,
    pub pre_filter: Vec<Box<dyn PreFilterPlugin + Send + Sync>>,
    pub filter: Vec<Box<dyn FilterPlugin + Send + Sync>>,
    pub post_filter: Vec<Box<dyn PostFilterPlugin + Send + Sync>>,
    pub pre_score: Vec<Box<dyn PreScorePlugin + Send + Sync>>,
    /// Score plugins with their weights.
    pub score: Vec<(Box<dyn ScorePlugin + Send + Sync>, i64)>,
    pub reserve: Vec<Box<dyn ReservePlugin + Send + Sync>>,
    pub permit: Vec<Box<dyn PermitPlugin + Send + Sync>>,
    pub pre_bind: Vec<Box<dyn PreBindPlugin + Send + Sync>>,
    pub bind: Vec<Box<dyn BindPlugin + Send + Sync>>,
    pub percentage_of_nodes_to_score: Option<i64>,
}

impl std::fmt::Debug for Framework {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |v: Vec<&'static str>| v.join(",");
        f.debug_struct("Framework")
            .field("scheduler_name", &self.scheduler_name)
            .field(
                "filter",
                &names(self.filter.iter().map(|p| p.name()).collect()),
            )
            .field(
                "score",
                &names(self.score.iter().map(|(p, _)| p.name()).collect()),
            )
            .finish()
    }
}

impl Framework {
    /// `RunFilterPlugins`: the first plugin that does not succeed decides.
    pub fn run_filters(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        cache: &Cache,
    ) -> Status {
        for p in &self.filter {
            let name = p.name();
            if state.skip_filter.contains(&name) {
                continue;
            }
            let st = p.filter(state, pod, node, cache);
            if !st.is_success() {
                return st.with_plugin(name);
            }
        }
        Status::success()
    }

    /// The Filter plugins this cycle runs (those whose PreFilter did not
    /// return Skip), worked out once per pod rather than once per node: the
    /// filter loop over thousands of nodes is the scheduler's hot path.
    pub fn active_filters(&self, state: &CycleState) -> Vec<&(dyn FilterPlugin + Send + Sync)> {
        self.filter
            .iter()
            .filter(|p| !state.skip_filter.contains(&p.name()))
            .map(|p| &**p)
            .collect()
    }

    /// [`Framework::run_filters`] over a list from [`Framework::active_filters`].
    pub fn run_active_filters(
        filters: &[&(dyn FilterPlugin + Send + Sync)],
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        cache: &Cache,
    ) -> Status {
        for p in filters {
            let st = p.filter(state, pod, node, cache);
            if !st.is_success() {
                return st.with_plugin(p.name());
            }
        }
        Status::success()
    }

    /// Every Filter plugin's verdict on a node (for explanations).
    pub fn run_all_filters(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        cache: &Cache,
    ) -> Vec<Status> {
        self.filter
            .iter()
            .map(|p| {
                let name = p.name();
                if state.skip_filter.contains(&name) {
                    Status::skip().with_plugin(name)
                } else {
                    p.filter(state, pod, node, cache).with_plugin(name)
                }
            })
            .collect()
    }

    /// `RunPreFilterPlugins`: the first rejection stops the cycle.
    pub fn run_pre_filters(&self, state: &mut CycleState, pod: &PodInfo, cache: &Cache) -> Status {
        for p in &self.pre_filter {
            let name = p.name();
            let st = p.pre_filter(state, pod, cache);
            if st.is_skip() {
                state.skip_filter.push(name);
                continue;
            }
            if !st.is_success() {
                return st.with_plugin(name);
            }
        }
        Status::success()
    }

    pub fn run_pre_scores(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        cache: &Cache,
    ) {
        for p in &self.pre_score {
            let name = p.name();
            let st = p.pre_score(state, pod, nodes, cache);
            if st.is_skip() {
                state.skip_score.push(name);
            }
        }
    }

    /// Scores per plugin: `(plugin, weight, raw scores, normalized scores)`,
    /// each score list parallel to `nodes`.
    pub fn run_scores(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        cache: &Cache,
    ) -> Vec<PluginScores> {
        let mut out = Vec::with_capacity(self.score.len());
        for (p, weight) in &self.score {
            let name = p.name();
            if state.skip_score.contains(&name) {
                continue;
            }
            let raw: Vec<i64> = nodes
                .iter()
                .map(|n| p.score(state, pod, n, cache))
                .collect();
            let mut normalized = raw.clone();
            p.normalize(state, pod, &mut normalized);
            out.push(PluginScores {
                plugin: name,
                weight: *weight,
                raw,
                normalized,
            });
        }
        out
    }
}

/// One Score plugin's scores for the feasible nodes.
#[derive(Clone, Debug)]
pub struct PluginScores {
    pub plugin: &'static str,
    pub weight: i64,
    pub raw: Vec<i64>,
    pub normalized: Vec<i64>,
}

/// `MaxNodeScore`.
pub const MAX_NODE_SCORE: i64 = 100;

/// `helper.DefaultNormalizeScore`: scales to 0–100 by the highest score;
/// `reverse` flips it (fewer is better).
pub fn default_normalize(max_priority: i64, reverse: bool, scores: &mut [i64]) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max == 0 {
        if reverse {
            for s in scores.iter_mut() {
                *s = max_priority;
            }
        }
        return;
    }
    for s in scores.iter_mut() {
        let mut v = max_priority * *s / max;
        if reverse {
            v = max_priority - v;
        }
        *s = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_to_find() {
        for (pct, n, want) in [
            (None, 3, 3),
            (None, 99, 99),
            (None, 100, 100),
            (None, 1000, 420),
            (None, 5000, 500),
            (None, 6000, 300),
            (None, 10_000, 500),
            (None, 200, 100),
            (Some(100), 5000, 5000),
            (Some(10), 5000, 500),
            (Some(1), 5000, 100),
        ] {
            assert_eq!(num_feasible_nodes_to_find(pct, n), want, "{pct:?} {n}");
        }
    }

    #[test]
    fn normalize() {
        let mut s = vec![0, 5, 10];
        default_normalize(100, false, &mut s);
        assert_eq!(s, vec![0, 50, 100]);
        let mut s = vec![0, 1, 2];
        default_normalize(100, true, &mut s);
        assert_eq!(s, vec![100, 50, 0]);
        let mut s = vec![0, 0];
        default_normalize(100, true, &mut s);
        assert_eq!(s, vec![100, 100]);
    }
}
