//! Golden tables for every kind, from hand-built objects (the cell rules of
//! `pkg/printers/internalversion` at v1.33).

use super::{table, TableOptions};
use crate::api;
use crate::clock::{Duration, Time};
use expect_test::{expect, Expect};
use serde_json::{json, Value};

const T0: &str = "2025-04-23T08:00:00Z";

fn now() -> Time {
    Time::EPOCH + Duration::from_secs(3600)
}

fn check(kind: &str, objects: &[Value], wide: bool, want: Expect) {
    let res = api::resolve(kind).unwrap_or(&api::RESOURCES[0]);
    let opts = TableOptions {
        wide,
        ..Default::default()
    };
    want.assert_eq(&table(res, objects, now(), &opts));
}

fn pod(name: &str, spec: Value, status: Value) -> Value {
    json!({"metadata": {"name": name, "namespace": "default", "creationTimestamp": T0}, "spec": spec, "status": status})
}

fn two() -> Value {
    json!({"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox"}]})
}

#[test]
fn pod_status_cases() {
    let running = json!({"running": {"startedAt": T0}});
    let pods = [
        pod("pending", two(), json!({"phase": "Pending"})),
        pod(
            "creating",
            two(),
            json!({"phase": "Pending", "containerStatuses": [
            {"name": "a", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}},
            {"name": "b", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
        ),
        pod(
            "running",
            two(),
            json!({"phase": "Running", "podIPs": [{"ip": "10.244.1.5"}], "containerStatuses": [
            {"name": "a", "ready": true, "restartCount": 0, "state": running},
            {"name": "b", "ready": true, "restartCount": 0, "state": running}]}),
        ),
        pod(
            "crashing",
            two(),
            json!({"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": true, "restartCount": 0, "state": running},
            {"name": "b", "ready": false, "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2025-04-23T08:55:00Z"}}}]}),
        ),
        pod(
            "oom",
            two(),
            json!({"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": false, "restartCount": 1, "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]}),
        ),
        pod(
            "exitcode",
            two(),
            json!({"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 3}}}]}),
        ),
        pod(
            "signal",
            two(),
            json!({"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "signal": 9}}}]}),
        ),
        pod(
            "completed",
            two(),
            json!({"phase": "Succeeded", "containerStatuses": [
            {"name": "a", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
        ),
        pod(
            "notready",
            two(),
            json!({"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": true, "restartCount": 0, "state": running},
            {"name": "b", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
        ),
        pod(
            "gated",
            two(),
            json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
        ),
        pod(
            "evicted",
            two(),
            json!({"phase": "Failed", "reason": "Evicted"}),
        ),
    ];
    check(
        "pods",
        &pods,
        false,
        expect![[r#"
            NAME        READY   STATUS              RESTARTS     AGE
            pending     0/2     Pending             0            60m
            creating    0/2     ContainerCreating   0            60m
            running     2/2     Running             0            60m
            crashing    1/2     CrashLoopBackOff    4 (5m ago)   60m
            oom         0/2     OOMKilled           1            60m
            exitcode    0/2     ExitCode:3          0            60m
            signal      0/2     Signal:9            0            60m
            completed   0/2     Completed           0            60m
            notready    1/2     NotReady            0            60m
            gated       0/2     SchedulingGated     0            60m
            evicted     0/2     Evicted             0            60m
        "#]],
    );
}

#[test]
fn pod_init_terminating_and_wide() {
    let init = json!({"initContainers": [{"name": "i1", "image": "busybox"}, {"name": "i2", "image": "busybox"}, {"name": "side", "image": "envoy", "restartPolicy": "Always"}],
                      "containers": [{"name": "a", "image": "nginx"}], "nodeName": "node01",
                      "readinessGates": [{"conditionType": "example.com/lb"}]});
    let running = json!({"running": {"startedAt": T0}});
    let pods = [
        pod(
            "init-waiting",
            init.clone(),
            json!({"phase": "Pending", "initContainerStatuses": [
            {"name": "i1", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "i2", "ready": false, "restartCount": 0, "state": {"running": {}}}]}),
        ),
        pod(
            "init-crash",
            init.clone(),
            json!({"phase": "Pending", "initContainerStatuses": [
            {"name": "i1", "ready": false, "restartCount": 3, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2025-04-23T08:58:00Z"}}}]}),
        ),
        pod(
            "init-exit",
            init.clone(),
            json!({"phase": "Pending", "initContainerStatuses": [
            {"name": "i1", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 2}}}]}),
        ),
        pod(
            "init-error",
            init.clone(),
            json!({"phase": "Pending", "initContainerStatuses": [
            {"name": "i1", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 2, "reason": "Error"}}}]}),
        ),
        pod(
            "sidecar",
            init.clone(),
            json!({"phase": "Running", "podIPs": [{"ip": "10.244.1.7"}], "nominatedNodeName": "",
            "conditions": [{"type": "Initialized", "status": "True"}, {"type": "example.com/lb", "status": "True"}],
            "initContainerStatuses": [
                {"name": "i1", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                {"name": "i2", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                {"name": "side", "ready": true, "started": true, "restartCount": 2, "state": running,
                 "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2025-04-23T07:00:00Z"}}}],
            "containerStatuses": [{"name": "a", "ready": true, "restartCount": 1, "state": running,
                 "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2025-04-23T08:30:00Z"}}}]}),
        ),
    ];
    let mut deleting = pod("deleting", two(), json!({"phase": "Running"}));
    deleting["metadata"]["deletionTimestamp"] = json!("2025-04-23T08:59:00Z");
    let mut lost = pod(
        "lost",
        two(),
        json!({"phase": "Running", "reason": "NodeLost"}),
    );
    lost["metadata"]["deletionTimestamp"] = json!("2025-04-23T08:59:00Z");
    let mut done = pod("done", two(), json!({"phase": "Succeeded"}));
    done["metadata"]["deletionTimestamp"] = json!("2025-04-23T08:59:00Z");
    let mut all = pods.to_vec();
    all.extend([deleting, lost, done]);
    check(
        "pods",
        &all,
        true,
        expect![[r#"
            NAME           READY   STATUS                  RESTARTS      AGE   IP           NODE     NOMINATED NODE   READINESS GATES
            init-waiting   0/2     Init:1/3                0             60m   <none>       node01   <none>           0/1
            init-crash     0/2     Init:CrashLoopBackOff   3 (2m ago)    60m   <none>       node01   <none>           0/1
            init-exit      0/2     Init:ExitCode:2         0             60m   <none>       node01   <none>           0/1
            init-error     0/2     Init:Error              0             60m   <none>       node01   <none>           0/1
            sidecar        2/2     Running                 3 (30m ago)   60m   10.244.1.7   node01   <none>           1/1
            deleting       0/2     Terminating             0             60m   <none>       <none>   <none>           <none>
            lost           0/2     Unknown                 0             60m   <none>       <none>   <none>           <none>
            done           0/2     Succeeded               0             60m   <none>       <none>   <none>           <none>
        "#]],
    );
}
