//! Why a pod went where it went — or nowhere: plain data for the UI.

use serde::Serialize;

/// One plugin's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub plugin: String,
    /// `Success`, `Skip`, `Unschedulable`, `UnschedulableAndUnresolvable`, `Error`.
    pub code: String,
    pub reasons: Vec<String>,
}

/// One Score plugin on one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScoreLine {
    pub plugin: String,
    pub raw: i64,
    /// After NormalizeScore (0–100).
    pub normalized: i64,
    pub weight: i64,
    pub weighted: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeExplanation {
    pub node: String,
    /// Every Filter plugin's verdict, in profile order (Skip: its PreFilter said it has nothing to check).
    pub filters: Vec<Verdict>,
    /// The plugin whose rejection counts in the FailedScheduling message (the first to reject).
    pub rejected_by: Option<String>,
    pub feasible: bool,
    /// Empty for infeasible nodes, or when one feasible node makes scoring moot.
    pub scores: Vec<ScoreLine>,
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// `namespace/name`.
    pub pod: String,
    pub scheduler_name: String,
    /// Where the pod is bound now, if anywhere.
    pub bound_to: Option<String>,
    pub pre_filter: Vec<Verdict>,
    pub nodes: Vec<NodeExplanation>,
    /// The node the scheduler picks (highest total; ties to the first in node order).
    pub chosen: Option<String>,
    /// The FailedScheduling message when no node fits (without the preemption part).
    pub message: Option<String>,
}
