//! SchedulingGates (PreEnqueue): a pod with `spec.schedulingGates` waits
//! outside activeQ until the gates are removed.

use super::super::framework::*;
use super::super::messages;
use super::super::types::PodInfo;
use super::names;

#[derive(Debug)]
pub struct SchedulingGates;

impl Plugin for SchedulingGates {
    fn name(&self) -> &'static str {
        names::SCHEDULING_GATES
    }
}

impl PreEnqueuePlugin for SchedulingGates {
    fn pre_enqueue(&self, pod: &PodInfo) -> Status {
        if pod.scheduling_gates.is_empty() {
            return Status::success();
        }
        Status::new(
            Code::UnschedulableAndUnresolvable,
            messages::waiting_for_gates(&pod.scheduling_gates),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::pod;
    use super::*;
    use serde_json::json;

    #[test]
    fn gates() {
        let p = pod(
            "a",
            json!({"spec": {"schedulingGates": [{"name": "x"}, {"name": "y"}]}}),
        );
        let st = SchedulingGates.pre_enqueue(&p);
        assert_eq!(st.code, Code::UnschedulableAndUnresolvable);
        assert_eq!(st.message(), "waiting for scheduling gates: [x y]");
        assert!(SchedulingGates
            .pre_enqueue(&pod("b", json!({})))
            .is_success());
    }
}
