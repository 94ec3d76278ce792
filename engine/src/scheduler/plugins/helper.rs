//! Shared matching rules (`component-helpers/scheduling/corev1`).

use super::super::types::{NodeInfo, PodInfo, Taint, Toleration};

/// `nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)`: nodeSelector
/// (every pair) and the required terms (any one).
pub fn pod_matches_node_affinity(pod: &PodInfo, node: &NodeInfo) -> bool {
    if !pod
        .node_selector
        .iter()
        .all(|(k, v)| node.labels.get(k) == Some(v))
    {
        return false;
    }
    match &pod.required_node_affinity {
        None => true,
        Some(terms) => terms.iter().any(|t| t.matches(&node.name, &node.labels)),
    }
}

/// The first NoSchedule/NoExecute taint the tolerations do not tolerate.
pub fn find_untolerated<'a>(taints: &'a [Taint], tolerations: &[Toleration]) -> Option<&'a Taint> {
    taints.iter().find(|t| {
        (t.effect == "NoSchedule" || t.effect == "NoExecute")
            && !tolerations.iter().any(|tol| tol.tolerates(t))
    })
}
