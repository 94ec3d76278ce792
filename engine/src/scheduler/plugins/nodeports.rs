//! NodePorts (PreFilter, Filter): a `hostPort` can be used once per node
//! (per protocol and host IP).

use super::super::cache::Cache;
use super::super::framework::*;
use super::super::messages;
use super::super::types::{NodeInfo, PodInfo};
use super::names;

#[derive(Debug)]
pub struct NodePorts;

impl Plugin for NodePorts {
    fn name(&self) -> &'static str {
        names::NODE_PORTS
    }
}

impl PreFilterPlugin for NodePorts {
    fn pre_filter(&self, _: &mut CycleState, pod: &PodInfo, _: &Cache) -> Status {
        if pod.host_ports.is_empty() {
            Status::skip()
        } else {
            Status::success()
        }
    }
}

impl FilterPlugin for NodePorts {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo, _: &Cache) -> Status {
        let conflict = pod
            .host_ports
            .iter()
            .any(|p| node.used_ports.iter().any(|u| u.conflicts(p)));
        if conflict {
            Status::new(Code::Unschedulable, messages::NODE_PORTS)
        } else {
            Status::success()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::json;

    #[test]
    fn ports() {
        let s = CycleState::default();
        let hp = |port: i64, ip: &str, proto: &str| {
            pod(
                "p",
                json!({"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80, "hostPort": port, "hostIP": ip, "protocol": proto}]}]}}),
            )
        };
        let mut used = hp(8080, "", "TCP");
        used.node_name = "n".into();
        let c = cache(vec![node("n", json!({}))], vec![used]);
        let n = c.node("n").cloned().unwrap_or_default();
        for (p, ok) in [
            (hp(8080, "", "TCP"), false),
            (hp(8080, "10.0.0.1", "TCP"), false),
            (hp(8080, "", "UDP"), true),
            (hp(8081, "", "TCP"), true),
        ] {
            let st = NodePorts.filter(&s, &p, &n, &c);
            assert_eq!(st.is_success(), ok);
            if !ok {
                assert_eq!(
                    (st.code, st.message().as_str()),
                    (
                        Code::Unschedulable,
                        "node(s) didn't have free ports for the requested pod ports"
                    )
                );
            }
        }
    }
}
