//! NodeUnschedulable (Filter): a cordoned node (`spec.unschedulable`)
//! takes only pods tolerating `node.kubernetes.io/unschedulable:NoSchedule`.

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{NodeInfo, PodInfo, Taint};
use super::names;

#[derive(Debug)]
pub struct NodeUnschedulable;

impl Plugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        names::NODE_UNSCHEDULABLE
    }
}

impl FilterPlugin for NodeUnschedulable {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> Status {
        if !node.unschedulable {
            return Status::success();
        }
        let taint = Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            value: String::new(),
            effect: "NoSchedule".into(),
        };
        if pod.tolerations.iter().any(|t| t.tolerates(&taint)) {
            return Status::success();
        }
        Status::new(
            Code::UnschedulableAndUnresolvable,
            messages::NODE_UNSCHEDULABLE,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::json;

    #[test]
    fn cordoned() {
        let c = Cache::default();
        let s = CycleState::default();
        let cordoned = node("n", json!({"spec": {"unschedulable": true}}));
        let st = NodeUnschedulable.filter(&s, &pod("p", json!({})), &cordoned, &c);
        assert_eq!(
            (st.code, st.message().as_str()),
            (
                Code::UnschedulableAndUnresolvable,
                "node(s) were unschedulable"
            )
        );
        let tolerant = pod(
            "t",
            json!({"spec": {"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]}}),
        );
        assert!(NodeUnschedulable
            .filter(&s, &tolerant, &cordoned, &c)
            .is_success());
        assert!(NodeUnschedulable
            .filter(&s, &pod("p", json!({})), &node("m", json!({})), &c)
            .is_success());
    }
}
