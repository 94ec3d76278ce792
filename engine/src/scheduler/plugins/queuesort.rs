//! PrioritySort (QueueSort): higher `spec.priority` first, then the pod
//! that has waited longer (creation time), then by name for a stable order.

use super::super::framework::*;
use super::super::types::PodInfo;
use super::names;

#[derive(Debug)]
pub struct PrioritySort;

impl Plugin for PrioritySort {
    fn name(&self) -> &'static str {
        names::PRIORITY_SORT
    }
}

impl QueueSortPlugin for PrioritySort {
    fn less(&self, a: &PodInfo, b: &PodInfo) -> bool {
        (
            std::cmp::Reverse(a.priority),
            a.creation,
            &a.namespace,
            &a.name,
        ) < (
            std::cmp::Reverse(b.priority),
            b.creation,
            &b.namespace,
            &b.name,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::pod;
    use super::*;
    use serde_json::json;

    #[test]
    fn order() {
        let hi = pod("z", json!({"spec": {"priority": 10}}));
        let old = pod(
            "b",
            json!({"metadata": {"creationTimestamp": "2025-04-23T08:00:00Z"}}),
        );
        let new = pod(
            "a",
            json!({"metadata": {"creationTimestamp": "2025-04-23T08:00:05Z"}}),
        );
        assert!(PrioritySort.less(&hi, &old));
        assert!(PrioritySort.less(&old, &new));
        assert!(!PrioritySort.less(&new, &old));
    }
}
