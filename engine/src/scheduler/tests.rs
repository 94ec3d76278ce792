//! Through the apiserver: nodes and pods created with `api.create`, the
//! scheduler run, the results read back.

use super::*;
use crate::api::object;
use serde_json::json;

fn res(name: &str) -> &'static crate::api::Resource {
    resolve(name).unwrap_or_else(|| panic!("{name}"))
}

fn cluster() -> ApiServer {
    let mut api = ApiServer::new(7);
    api.create(
        res("namespaces"),
        None,
        json!({"metadata": {"name": "default"}}),
        Time::EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let node = |name: &str, taint: bool| {
        let mut n = json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "spec": {},
            "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}, "capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"}}
        });
        if taint {
            n["spec"]["taints"] =
                json!([{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]);
        }
        n
    };
    for (name, taint) in [("controlplane", true), ("node01", false), ("node02", false)] {
        api.create(res("nodes"), None, node(name, taint), Time::EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    api
}

fn pod(name: &str, cpu: &str, extra: Value) -> Value {
    let mut p = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": cpu}}}]}
    });
    plugins::testutil::merge(&mut p, extra);
    p
}

fn get(api: &ApiServer, name: &str) -> Value {
    api.get(res("pods"), Some("default"), name)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn condition(p: &Value) -> (String, String, String) {
    let c = p
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|l| l.iter().find(|c| c["type"] == "PodScheduled"))
        .cloned()
        .unwrap_or_default();
    let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (s("status"), s("reason"), s("message"))
}

#[test]
fn schedules_and_explains_failures() {
    let mut api = cluster();
    let t = Time::EPOCH;
    // Fill both workers to 1.5 CPU with pods bound elsewhere (nodeName set by hand).
    for (name, node) in [("fill-1", "node01"), ("fill-2", "node02")] {
        api.create(
            res("pods"),
            Some("default"),
            pod(name, "1500m", json!({"spec": {"nodeName": node}})),
            t,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    api.create(res("pods"), Some("default"), pod("big", "1", json!({})), t)
        .unwrap_or_else(|e| panic!("{e}"));
    api.create(
        res("pods"),
        Some("default"),
        pod("small", "100m", json!({})),
        t,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut s = Scheduler::new("default-scheduler", Profile::default());
    let events = s.schedule_pending(&mut api, t);
    let msgs: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.reason.clone(), e.message.clone()))
        .collect();
    let want_fail = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
    assert!(
        msgs.contains(&("FailedScheduling".into(), want_fail.into())),
        "{msgs:#?}"
    );
    let small = get(&api, "small");
    let node = object::str_at(&small, "spec.nodeName")
        .unwrap_or("")
        .to_string();
    assert!(node == "node01" || node == "node02", "{small}");
    assert!(
        msgs.contains(&(
            "Scheduled".into(),
            format!("Successfully assigned default/small to {node}")
        )),
        "{msgs:#?}"
    );
    assert_eq!(condition(&small).0, "True");
    assert!(events
        .iter()
        .all(|e| e.source == Source::scheduler_on("default-scheduler", "controlplane")));
    let big = get(&api, "big");
    assert_eq!(
        condition(&big),
        ("False".into(), "Unschedulable".into(), want_fail.into())
    );

    // Backoff: nothing happens at once; an unrelated change does not wake it; freeing a node does.
    assert!(s.schedule_pending(&mut api, t).is_empty());
    assert_eq!(s.next_wakeup(), Some(t + queue::MAX_IN_UNSCHEDULABLE));
    api.delete(res("pods"), Some("default"), "fill-1")
        .unwrap_or_else(|e| panic!("{e}"));
    let t1 = t + crate::clock::Duration::from_millis(500);
    assert!(
        s.schedule_pending(&mut api, t1).is_empty(),
        "still backing off"
    );
    assert_eq!(s.next_wakeup(), Some(t + queue::INITIAL_BACKOFF));
    let t2 = t + queue::INITIAL_BACKOFF;
    let events = s.schedule_pending(&mut api, t2);
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(
        events[0].message,
        "Successfully assigned default/big to node01"
    );
    assert_eq!(
        object::str_at(&get(&api, "big"), "spec.nodeName"),
        Some("node01")
    );

    // Explanation of a bound pod: its own requests do not count against it.
    let ex = s
        .explain(&api, "default", "big")
        .unwrap_or_else(|| panic!("no explanation"));
    assert_eq!(ex.bound_to.as_deref(), Some("node01"));
    assert_eq!(ex.chosen.as_deref(), Some("node01"));
    let cp = ex
        .nodes
        .iter()
        .find(|n| n.node == "controlplane")
        .unwrap_or_else(|| panic!("cp"));
    assert_eq!(cp.rejected_by.as_deref(), Some("TaintToleration"));
    let n2 = ex
        .nodes
        .iter()
        .find(|n| n.node == "node02")
        .unwrap_or_else(|| panic!("n2"));
    assert_eq!(n2.rejected_by.as_deref(), Some("NodeResourcesFit"));
    assert_eq!(
        n2.filters
            .iter()
            .find(|v| v.plugin == "NodeResourcesFit")
            .map(|v| v.reasons.clone()),
        Some(vec!["Insufficient cpu".to_string()])
    );
    let n1 = ex
        .nodes
        .iter()
        .find(|n| n.node == "node01")
        .unwrap_or_else(|| panic!("n1"));
    assert!(n1.feasible);
    let json = serde_json::to_string(&ex).unwrap_or_default();
    assert!(json.contains("\"rejected_by\":\"TaintToleration\""));
}

#[test]
fn other_schedulers_gates_and_preemption() {
    let mut api = cluster();
    let t = Time::EPOCH;
    api.create(
        res("pods"),
        Some("default"),
        pod(
            "mine",
            "100m",
            json!({"spec": {"schedulerName": "my-scheduler"}}),
        ),
        t,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    api.create(
        res("pods"),
        Some("default"),
        pod(
            "gated",
            "100m",
            json!({"spec": {"schedulingGates": [{"name": "wait"}]}}),
        ),
        t,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut s = Scheduler::new("default-scheduler", Profile::default());
    let events = s.schedule_pending(&mut api, t);
    assert!(events.is_empty(), "{events:#?}");
    assert_eq!(object::str_at(&get(&api, "mine"), "spec.nodeName"), None);
    assert_eq!(condition(&get(&api, "gated")).1, "SchedulingGated");
    let mut mine = Scheduler::new("my-scheduler", Profile::default());
    let events = mine.schedule_pending(&mut api, t);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].source,
        Source::scheduler_on("my-scheduler", "controlplane")
    );

    // Ungate: it schedules.
    let mut g = get(&api, "gated");
    g["spec"]["schedulingGates"] = json!([]);
    api.update(res("pods"), Some("default"), g)
        .unwrap_or_else(|e| panic!("{e}"));
    let events = s.schedule_pending(&mut api, t);
    assert_eq!(
        events.iter().filter(|e| e.reason == "Scheduled").count(),
        1,
        "{events:#?}"
    );

    // Preemption: fill the workers with low-priority pods, then a high-priority pod comes.
    for (name, node) in [("low-1", "node01"), ("low-2", "node02")] {
        api.create(
            res("pods"),
            Some("default"),
            pod(
                name,
                "1800m",
                json!({"spec": {"nodeName": node, "priority": -5}}),
            ),
            t,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    api.create(
        res("pods"),
        Some("default"),
        pod("vip", "1", json!({"spec": {"priority": 100}})),
        t,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let events = s.schedule_pending(&mut api, t);
    let preempted: Vec<&Event> = events.iter().filter(|e| e.reason == "Preempted").collect();
    assert_eq!(preempted.len(), 1, "{events:#?}");
    let failed = events
        .iter()
        .find(|e| e.reason == "FailedScheduling")
        .map(|e| e.message.clone())
        .unwrap_or_default();
    assert_eq!(failed, "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.");
    let vip = get(&api, "vip");
    let nominated = object::str_at(&vip, "status.nominatedNodeName")
        .unwrap_or("")
        .to_string();
    assert!(nominated == "node01" || nominated == "node02", "{vip}");
    // The victim is deleted gracefully: it keeps its resources until its
    // kubelet confirms (here, a forced delete stands in for the kubelet).
    let victim = object::name(&preempted[0].regarding).to_string();
    let still = get(&api, &victim);
    assert!(
        object::at(&still, "metadata.deletionTimestamp").is_some(),
        "{still}"
    );
    let before = s.schedule_pending(&mut api, t + queue::INITIAL_BACKOFF);
    assert!(
        !before.iter().any(|e| e.reason == "Scheduled"),
        "scheduled before the victim was gone: {before:#?}"
    );
    api.delete_with(
        res("pods"),
        Some("default"),
        &victim,
        crate::apiserver::DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        },
        t,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // After the backoff, the pod lands on the nominated node.
    let events = s.schedule_pending(
        &mut api,
        t + queue::INITIAL_BACKOFF + queue::INITIAL_BACKOFF + queue::INITIAL_BACKOFF,
    );
    assert!(
        events
            .iter()
            .any(|e| e.message == format!("Successfully assigned default/vip to {nominated}")),
        "{events:#?}"
    );
}

#[test]
fn unbound_immediate_claim_and_no_nodes() {
    let mut api = ApiServer::new(3);
    let t = Time::EPOCH;
    api.create(
        res("namespaces"),
        None,
        json!({"metadata": {"name": "default"}}),
        t,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    api.create(res("pods"), Some("default"), pod("p", "100m", json!({})), t)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut s = Scheduler::new("default-scheduler", Profile::default());
    let events = s.schedule_pending(&mut api, t);
    assert_eq!(
        events.first().map(|e| e.message.as_str()),
        Some("no nodes available to schedule pods")
    );
}
