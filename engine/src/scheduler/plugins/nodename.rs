//! NodeName (Filter): a pod naming a node fits only that node.

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{NodeInfo, PodInfo};
use super::names;

#[derive(Debug)]
pub struct NodeName;

impl Plugin for NodeName {
    fn name(&self) -> &'static str {
        names::NODE_NAME
    }
}

impl FilterPlugin for NodeName {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> Status {
        if pod.node_name.is_empty() || pod.node_name == node.name {
            Status::success()
        } else {
            Status::new(Code::UnschedulableAndUnresolvable, messages::NODE_NAME)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::json;

    #[test]
    fn name() {
        let (c, s) = (Cache::default(), CycleState::default());
        let p = pod("p", json!({"spec": {"nodeName": "a"}}));
        assert!(NodeName
            .filter(&s, &p, &node("a", json!({})), &c)
            .is_success());
        assert_eq!(
            NodeName.filter(&s, &p, &node("b", json!({})), &c).message(),
            "node(s) didn't match the requested node name"
        );
    }
}
