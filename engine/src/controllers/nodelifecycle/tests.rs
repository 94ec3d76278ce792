use super::super::util::testing::*;
use super::eviction::TaintEvictionController;
use super::*;

fn secs(s: i64) -> Time {
    Time::EPOCH + Duration::from_secs(s)
}

/// A node whose kubelet posted Ready at t=0 and renews its Lease until `until`.
fn world() -> crate::apiserver::ApiServer {
    let mut api = api();
    let t = Time::EPOCH;
    util::create(
        &mut api,
        "nodes",
        None,
        json!({"metadata": {"name": "node01"}, "status": {"conditions": [
            {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available", "lastHeartbeatTime": t.rfc3339(), "lastTransitionTime": t.rfc3339()},
            {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastHeartbeatTime": t.rfc3339(), "lastTransitionTime": t.rfc3339()}
        ]}}),
        t,
    );
    util::create(
        &mut api,
        "leases",
        Some("kube-node-lease"),
        json!({"metadata": {"name": "node01"}, "spec": {"holderIdentity": "node01", "leaseDurationSeconds": 40, "renewTime": "2025-04-23T08:00:00.000000Z"}}),
        t,
    );
    let tol = |key: &str| json!({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300});
    for (name, tols) in [
        ("web", json!([tol(NOT_READY), tol(UNREACHABLE)])),
        ("forever", json!([{"operator": "Exists"}])),
    ] {
        util::create(
            &mut api,
            "pods",
            Some("default"),
            json!({"metadata": {"name": name}, "spec": {"containers": [{"name": "c", "image": "nginx"}], "tolerations": tols}}),
            t,
        );
        run_pod(&mut api, "default", name, "node01", "10.244.1.5", t);
    }
    api
}

fn node(api: &crate::apiserver::ApiServer) -> Value {
    util::get(api, "nodes", None, "node01").unwrap_or_default()
}

fn taint_keys(api: &crate::apiserver::ApiServer) -> Vec<String> {
    taints(&node(api))
        .iter()
        .map(|t| {
            format!(
                "{}:{}",
                t["key"].as_str().unwrap_or(""),
                t["effect"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn silent_kubelet_makes_the_node_unknown_then_pods_are_evicted() {
    let mut api = world();
    let mut nl = NodeLifecycleController::new();
    let mut te = TaintEvictionController::new();
    settle(&mut api, &mut [&mut nl, &mut te], secs(0));
    // Noticed at the first 5 s tick after the 50 s grace period.
    assert_eq!(nl.next_wakeup(secs(0)), Some(secs(50)));
    settle(&mut api, &mut [&mut nl, &mut te], secs(49));
    assert!(util::condition_true(&node(&api), "Ready"));
    settle(&mut api, &mut [&mut nl, &mut te], secs(50));
    let n = node(&api);
    let ready = util::condition(&n, "Ready").cloned().unwrap_or_default();
    assert_eq!(ready["status"], "Unknown");
    assert_eq!(ready["reason"], "NodeStatusUnknown");
    assert_eq!(ready["message"], "Kubelet stopped posting node status.");
    assert_eq!(ready["lastHeartbeatTime"], "2025-04-23T08:00:00Z");
    assert_eq!(
        util::condition(&n, "MemoryPressure").map(|c| c["status"].clone()),
        Some(json!("Unknown"))
    );
    assert_eq!(
        taint_keys(&api),
        [
            format!("{UNREACHABLE}:NoSchedule"),
            format!("{UNREACHABLE}:NoExecute")
        ]
    );
    let web = util::get(&api, "pods", Some("default"), "web").unwrap_or_default();
    assert!(!util::pod_ready(&web));
    let ev = events(&api, "default");
    assert!(
        ev.contains(&"NodeNotReady Node is not ready".to_string()),
        "{ev:?}"
    );
    // 300 s after the taint: web goes (Terminating, no kubelet), forever stays.
    assert_eq!(te.next_wakeup(secs(50)), Some(secs(350)));
    settle(&mut api, &mut [&mut nl, &mut te], secs(349));
    assert!(!util::is_deleting(
        &util::get(&api, "pods", Some("default"), "web").unwrap_or_default()
    ));
    settle(&mut api, &mut [&mut nl, &mut te], secs(350));
    let web = util::get(&api, "pods", Some("default"), "web").unwrap_or_default();
    assert!(util::is_deleting(&web));
    assert_eq!(
        util::condition(&web, "DisruptionTarget").map(|c| c["reason"].clone()),
        Some(json!("DeletionByTaintManager"))
    );
    assert!(!util::is_deleting(
        &util::get(&api, "pods", Some("default"), "forever").unwrap_or_default()
    ));
    assert!(events(&api, "default")
        .contains(&"TaintManagerEviction Marking for deletion Pod default/web".to_string()));
    // The kubelet comes back and posts Ready: the taints go.
    let mut n = node(&api);
    let t = secs(400).rfc3339();
    n["status"]["conditions"] = json!([{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastHeartbeatTime": t, "lastTransitionTime": t}]);
    let r = util::res("nodes").unwrap_or_else(|| panic!("nodes"));
    api.update_status(&r, None, n)
        .unwrap_or_else(|e| panic!("{e}"));
    settle(&mut api, &mut [&mut nl, &mut te], secs(400));
    assert!(taint_keys(&api).is_empty());
}

#[test]
fn cordon_taints_unschedulable_and_no_lease_means_not_monitored() {
    let mut api = world();
    util::delete(&mut api, "leases", Some("kube-node-lease"), "node01");
    let mut n = node(&api);
    n["spec"]["unschedulable"] = json!(true);
    util::update(&mut api, "nodes", n);
    let mut nl = NodeLifecycleController::new();
    settle(&mut api, &mut [&mut nl], secs(600));
    assert!(util::condition_true(&node(&api), "Ready"));
    assert_eq!(taint_keys(&api), [format!("{UNSCHEDULABLE}:NoSchedule")]);
    assert_eq!(taints(&node(&api))[0]["timeAdded"], secs(600).rfc3339());
    let mut n = node(&api);
    n["spec"]["unschedulable"] = json!(false);
    util::update(&mut api, "nodes", n);
    settle(&mut api, &mut [&mut nl], secs(601));
    assert!(taint_keys(&api).is_empty());
}
