//! Golden tables for every kind, from hand-built objects (the cell rules of
//! `pkg/printers/internalversion` at v1.33).

use super::rows_cache::RowsCache;
use super::{table, table_shared, TableOptions};
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
    let shared: Vec<std::sync::Arc<Value>> = objects.iter().cloned().map(Into::into).collect();
    let objects: Vec<&Value> = objects.iter().collect();
    let text = table(res, &objects, now(), &opts);
    want.assert_eq(&text);
    // The listing path, with its kept rows: the same text when the rows
    // are derived, when they are kept, and kept two hours later.
    let shared: Vec<_> = shared.iter().collect();
    let mut cache = RowsCache::default();
    assert_eq!(table_shared(res, &shared, now(), &opts, &mut cache), text);
    assert_eq!(table_shared(res, &shared, now(), &opts, &mut cache), text);
    let later = now() + Duration::from_secs(7200);
    assert_eq!(
        table_shared(res, &shared, later, &opts, &mut cache),
        table(res, &objects, later, &opts)
    );
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

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default", "creationTimestamp": T0})
}

#[test]
fn services_and_endpoints() {
    let svcs = [
        json!({"metadata": meta("web"), "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.20"], "selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP"}]}}),
        json!({"metadata": meta("np"), "spec": {"type": "NodePort", "clusterIPs": ["10.96.0.21"], "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 53, "nodePort": 30053, "protocol": "UDP"}]}}),
        json!({"metadata": meta("lb"), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.0.22"], "ports": [{"port": 443, "nodePort": 31443, "protocol": "TCP"}]}}),
        json!({"metadata": meta("lb-ready"), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.0.23"], "ports": []}, "status": {"loadBalancer": {"ingress": [{"hostname": "a-very-long-hostname.example.com"}]}}}),
        json!({"metadata": meta("ext"), "spec": {"type": "ExternalName", "externalName": "db.example.com"}}),
        json!({"metadata": meta("headless"), "spec": {"type": "ClusterIP", "clusterIPs": ["None"], "ports": [{"port": 5432, "protocol": "TCP"}]}}),
    ];
    check(
        "svc",
        &svcs,
        true,
        expect![[r#"
            NAME       TYPE           CLUSTER-IP   EXTERNAL-IP                        PORT(S)                     AGE   SELECTOR
            web        ClusterIP      10.96.0.20   <none>                             80/TCP                      60m   app=web
            np         NodePort       10.96.0.21   <none>                             80:30080/TCP,53:30053/UDP   60m   <none>
            lb         LoadBalancer   10.96.0.22   <pending>                          443:31443/TCP               60m   <none>
            lb-ready   LoadBalancer   10.96.0.23   a-very-long-hostname.example.com   <none>                      60m   <none>
            ext        ExternalName   <none>       db.example.com                     <none>                      60m   <none>
            headless   ClusterIP      None         <none>                             5432/TCP                    60m   <none>
        "#]],
    );
    let eps = [
        json!({"metadata": meta("web"), "subsets": [{"addresses": [{"ip": "10.244.1.2"}, {"ip": "10.244.1.3"}, {"ip": "10.244.2.2"}, {"ip": "10.244.2.3"}], "ports": [{"port": 80}]}]}),
        json!({"metadata": meta("none")}),
    ];
    check(
        "ep",
        &eps,
        false,
        expect![[r#"
        NAME   ENDPOINTS                                               AGE
        web    10.244.1.2:80,10.244.1.3:80,10.244.2.2:80 + 1 more...   60m
        none   <none>                                                  60m
    "#]],
    );
}

#[test]
fn workloads() {
    let tpl = json!({"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}], "nodeSelector": {"kubernetes.io/os": "linux"}}});
    let sel = json!({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]}]});
    check(
        "deploy",
        &[
            json!({"metadata": meta("web"), "spec": {"replicas": 3, "selector": sel, "template": tpl}, "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}}),
        ],
        true,
        expect![[r#"
        NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR
        web    2/3     3            2           60m   nginx        nginx:1.27   app=web,tier in (be,fe)
    "#]],
    );
    check(
        "rs",
        &[
            json!({"metadata": meta("web-5d4f"), "spec": {"replicas": 3, "selector": sel, "template": tpl}, "status": {"replicas": 3, "readyReplicas": 2}}),
        ],
        false,
        expect![[r#"
        NAME       DESIRED   CURRENT   READY   AGE
        web-5d4f   3         3         2       60m
    "#]],
    );
    check(
        "ds",
        &[
            json!({"metadata": meta("proxy"), "spec": {"selector": {"matchLabels": {"k": "p"}}, "template": tpl}, "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 1, "updatedNumberScheduled": 2, "numberAvailable": 1}}),
        ],
        false,
        expect![[r#"
        NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
        proxy   2         2         1       2            1           kubernetes.io/os=linux   60m
    "#]],
    );
    check(
        "sts",
        &[
            json!({"metadata": meta("db"), "spec": {"replicas": 3, "template": tpl}, "status": {"readyReplicas": 1}}),
        ],
        false,
        expect![[r#"
        NAME   READY   AGE
        db     1/3     60m
    "#]],
    );
    let jobs = [
        json!({"metadata": meta("done"), "spec": {"completions": 1, "template": tpl}, "status": {"succeeded": 1, "startTime": T0, "completionTime": "2025-04-23T08:00:42Z", "conditions": [{"type": "Complete", "status": "True"}]}}),
        json!({"metadata": meta("par"), "spec": {"parallelism": 3, "template": tpl}, "status": {"startTime": "2025-04-23T08:30:00Z"}}),
        json!({"metadata": meta("new"), "spec": {"template": tpl}}),
    ];
    check(
        "jobs",
        &jobs,
        false,
        expect![[r#"
        NAME   STATUS     COMPLETIONS   DURATION   AGE
        done   Complete   1/1           42s        60m
        par    Running    0/1 of 3      30m        60m
        new    Running    0/1                      60m
    "#]],
    );
    check(
        "cj",
        &[
            json!({"metadata": meta("backup"), "spec": {"schedule": "*/5 * * * *", "suspend": false, "jobTemplate": {"spec": {"template": tpl}}}, "status": {"lastScheduleTime": "2025-04-23T08:55:00Z"}}),
        ],
        false,
        expect![[r#"
        NAME     SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
        backup   */5 * * * *   <none>     False     0        5m              60m
    "#]],
    );
    let hpas = [
        json!({"metadata": meta("web"), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}, "status": {"currentReplicas": 2, "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 35}}}]}}),
        json!({"metadata": meta("cold"), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "cold"}, "minReplicas": 1, "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}}),
    ];
    check(
        "hpa",
        &hpas,
        false,
        expect![[r#"
        NAME   REFERENCE         TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
        web    Deployment/web    cpu: 35%/50%         1         5         2          60m
        cold   Deployment/cold   cpu: <unknown>/50%   1         5         0          60m
    "#]],
    );
}

#[test]
fn cluster_kinds() {
    let ev = json!({"metadata": meta("web.1"), "type": "Warning", "reason": "BackOff", "message": "Back-off restarting failed container\n",
        "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{web}"}, "source": {"component": "kubelet", "host": "node01"},
        "firstTimestamp": "2025-04-23T08:10:00Z", "lastTimestamp": "2025-04-23T08:58:00Z", "count": 7});
    check(
        "ev",
        std::slice::from_ref(&ev),
        false,
        expect![[r#"
        LAST SEEN   TYPE      REASON    OBJECT    MESSAGE
        2m          Warning   BackOff   pod/web   Back-off restarting failed container
    "#]],
    );
    check(
        "ev",
        &[ev],
        true,
        expect![[r#"
        LAST SEEN   TYPE      REASON    OBJECT    SUBOBJECT              SOURCE            MESSAGE                                FIRST SEEN   COUNT   NAME
        2m          Warning   BackOff   pod/web   spec.containers{web}   kubelet, node01   Back-off restarting failed container   50m          7       web.1
    "#]],
    );
    check(
        "sc",
        &[
            json!({"metadata": {"name": "local-path", "creationTimestamp": T0, "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}, "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"}),
        ],
        false,
        expect![[r#"
        NAME                   PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
        local-path (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60m
    "#]],
    );
    check(
        "pv",
        &[
            json!({"metadata": {"name": "pv1", "creationTimestamp": T0}, "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce"], "persistentVolumeReclaimPolicy": "Retain", "claimRef": {"namespace": "default", "name": "data"}, "storageClassName": "manual", "volumeMode": "Filesystem"}, "status": {"phase": "Bound"}}),
        ],
        true,
        expect![[r#"
        NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE   VOLUMEMODE
        pv1    1Gi        RWO,RWX        Retain           Bound    default/data   manual         <unset>                          60m   Filesystem
    "#]],
    );
    check(
        "pvc",
        &[
            json!({"metadata": meta("data"), "spec": {"volumeName": "pv1", "storageClassName": "manual"}, "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}}),
            json!({"metadata": meta("wait"), "spec": {}, "status": {"phase": "Pending"}}),
        ],
        false,
        expect![[r#"
        NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
        data   Bound     pv1      1Gi        RWO            manual         <unset>                 60m
        wait   Pending                                                     <unset>                 60m
    "#]],
    );
    check(
        "rolebinding",
        &[
            json!({"metadata": meta("rb"), "roleRef": {"kind": "Role", "name": "reader"}, "subjects": [{"kind": "User", "name": "jane"}, {"kind": "Group", "name": "devs"}, {"kind": "ServiceAccount", "namespace": "default", "name": "bot"}, {"kind": "User", "name": "bob"}]}),
        ],
        true,
        expect![[r#"
        NAME   ROLE          AGE   USERS       GROUPS   SERVICEACCOUNTS
        rb     Role/reader   60m   jane, bob   devs     default/bot
    "#]],
    );
    check(
        "clusterrole",
        &[json!({"metadata": {"name": "view", "creationTimestamp": T0}})],
        false,
        expect![[r#"
        NAME   CREATED AT
        view   2025-04-23T08:00:00Z
    "#]],
    );
    check(
        "pdb",
        &[
            json!({"metadata": meta("web"), "spec": {"minAvailable": "50%"}, "status": {"disruptionsAllowed": 1}}),
        ],
        false,
        expect![[r#"
        NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
        web    50%             N/A               1                     60m
    "#]],
    );
    check(
        "cm",
        &[
            json!({"metadata": meta("cfg"), "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}),
        ],
        false,
        expect![[r#"
        NAME   DATA   AGE
        cfg    3      60m
    "#]],
    );
    check(
        "secret",
        &[
            json!({"metadata": meta("tls"), "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}}),
        ],
        false,
        expect![[r#"
        NAME   TYPE                DATA   AGE
        tls    kubernetes.io/tls   2      60m
    "#]],
    );
    check(
        "netpol",
        &[
            json!({"metadata": meta("deny"), "spec": {"podSelector": {}}}),
            json!({"metadata": meta("web"), "spec": {"podSelector": {"matchLabels": {"app": "web"}}}}),
        ],
        false,
        expect![[r#"
        NAME   POD-SELECTOR   AGE
        deny   <none>         60m
        web    app=web        60m
    "#]],
    );
    check(
        "ing",
        &[
            json!({"metadata": meta("web"), "spec": {"ingressClassName": "nginx", "rules": [{"host": "a.example.com"}, {"host": "b.example.com"}], "tls": [{}]}, "status": {"loadBalancer": {"ingress": [{"ip": "192.168.100.50"}]}}}),
        ],
        false,
        expect![[r#"
        NAME   CLASS   HOSTS                         ADDRESS          PORTS     AGE
        web    nginx   a.example.com,b.example.com   192.168.100.50   80, 443   60m
    "#]],
    );
    check(
        "lease",
        &[
            json!({"metadata": {"name": "node01", "namespace": "kube-node-lease", "creationTimestamp": T0}, "spec": {"holderIdentity": "node01"}}),
        ],
        false,
        expect![[r#"
        NAME     HOLDER   AGE
        node01   node01   60m
    "#]],
    );
    check(
        "node",
        &[
            json!({"metadata": {"name": "node01", "creationTimestamp": T0, "labels": {"kubernetes.io/role": "worker", "node-role.kubernetes.io/ingress": ""}}, "spec": {"unschedulable": true}, "status": {"conditions": [{"type": "Ready", "status": "Unknown"}], "nodeInfo": {"kubeletVersion": "v1.33.1"}}}),
        ],
        true,
        expect![[r#"
        NAME     STATUS                        ROLES            AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME
        node01   NotReady,SchedulingDisabled   ingress,worker   60m   v1.33.1   <none>        <none>        <unknown>   <unknown>        <unknown>
    "#]],
    );
}
