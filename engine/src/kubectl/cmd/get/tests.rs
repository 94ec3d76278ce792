//! `kubectl get` end to end against a fresh cluster.

use crate::cluster::Cluster;
use crate::kubectl::{self, Context};
use crate::output::Stream;
use expect_test::{expect, Expect};

fn get(cluster: &mut Cluster, line: &str) -> String {
    let mut ctx = Context {
        kubeconfig: true,
        cluster,
        namespace: "default".into(),
        node: "controlplane".into(),
        cwd: "/root".into(),
        stdin: None,
        kubeconfig_path: "/root/.kube/config".into(),
        terminal: None,
        interactive: false,
        job: None,
    };
    let args: Vec<String> = line.split_whitespace().map(String::from).collect();
    let out = kubectl::run(&mut ctx, &args);
    let mut s = String::new();
    for (stream, text) in &out.chunks {
        if matches!(stream, Stream::Stderr) {
            s.push_str("[err] ");
        }
        s.push_str(text);
    }
    s.push_str(&format!("[exit {}]\n", out.status));
    s
}

fn check(line: &str, want: Expect) {
    let mut c = Cluster::new(7);
    want.assert_eq(&get(&mut c, line));
}

#[test]
fn several_kinds_and_errors() {
    check(
        "get svc,ns -n kube-system",
        expect![[r#"
        NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE
        service/kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   14m

        NAME                        STATUS   AGE
        namespace/default           Active   15m
        namespace/kube-node-lease   Active   15m
        namespace/kube-public       Active   15m
        namespace/kube-system       Active   15m
        [exit 0]
    "#]],
    );
    check(
        "get ns/default node/controlplane ns/nope",
        expect![[r#"
        NAME                STATUS   AGE
        namespace/default   Active   15m

        NAME                STATUS   ROLES           AGE   VERSION
        node/controlplane   Ready    control-plane   15m   v1.33.1
        [err] Error from server (NotFound): namespaces "nope" not found
        [exit 1]
    "#]],
    );
    check(
        "get cm",
        expect![[r#"
        NAME               DATA   AGE
        kube-root-ca.crt   1      15m
        [exit 0]
    "#]],
    );
    check(
        "get foo,ns",
        expect![[r#"
        [err] error: the server doesn't have a resource type "foo"
        [exit 1]
    "#]],
    );
    check(
        "get nodes -o name",
        expect![[r#"
        node/controlplane
        node/node01
        [exit 0]
    "#]],
    );
    check(
        "get ns --no-headers -L kubernetes.io/metadata.name --sort-by=.metadata.name",
        expect![[r#"
        default           Active   15m   default
        kube-node-lease   Active   15m   kube-node-lease
        kube-public       Active   15m   kube-public
        kube-system       Active   15m   kube-system
        [exit 0]
    "#]],
    );
}

#[test]
fn jsonpath_and_custom_columns() {
    check(
        "get nodes -o jsonpath={.items[*].metadata.name}",
        expect![[r#"
        controlplane node01[exit 0]
    "#]],
    );
    check(
        "get ns default -o jsonpath={.metadata.name",
        expect![[r#"
        [err] error: error parsing jsonpath {.metadata.name, unclosed action
        [exit 1]
    "#]],
    );
    check(
        "get nodes -o custom-columns=NAME:.metadata.name,TAINT:.spec.taints[*].effect",
        expect![[r#"
        NAME           TAINT
        controlplane   NoSchedule
        node01         <none>
        [exit 0]
    "#]],
    );
    check(
        "get nodes -o custom-columns=NAME",
        expect![[r#"
        [err] error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>
        [exit 1]
    "#]],
    );
    check(
        "get ns default -o json",
        expect![[r#"
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "creationTimestamp": "2025-04-23T08:00:00Z",
                "labels": {
                    "kubernetes.io/metadata.name": "default"
                },
                "name": "default",
                "resourceVersion": "2",
                "uid": "3b7dae04-de1b-46e4-8993-60cc297d27e7"
            },
            "spec": {
                "finalizers": [
                    "kubernetes"
                ]
            },
            "status": {
                "phase": "Active"
            }
        }
        [exit 0]
    "#]],
    );
}

/// The pod table keeps each pod's cells from one listing to the next
/// (`printers/rows_cache.rs`): every change of a pod shows at the next
/// `get`, and AGE moves with the clock.
#[test]
fn a_listing_shows_every_change_of_a_pod() {
    let mut c = Cluster::new(7);
    let pods = crate::api::resolve("pods").unwrap_or_else(|| panic!("pods"));
    let now = c.now();
    let pod = crate::perf::pod("web", "default", Some("node01"), false);
    if let Err(e) = c.apiserver.create(pods, None, pod, now) {
        panic!("{e:?}");
    }
    let mut seen = get(&mut c, "get pods -o wide");
    // The kubelet starts it.
    c.settle();
    seen += &get(&mut c, "get pods -o wide");
    c.step(crate::clock::Duration::from_secs(600));
    seen += &get(&mut c, "get pods -o wide");
    seen += &get(&mut c, "delete pod web --wait=false");
    seen += &get(&mut c, "get pods -o wide");
    expect![[r#"
        NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES
        web    0/1     Pending   0          0s    <none>   node01   <none>           <none>
        [exit 0]
        NAME   READY   STATUS              RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES
        web    0/1     ContainerCreating   0          0s    <none>   node01   <none>           <none>
        [exit 0]
        NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
        web    1/1     Running   0          10m   10.244.1.2   node01   <none>           <none>
        [exit 0]
        pod "web" deleted
        [exit 0]
        NAME   READY   STATUS        RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
        web    1/1     Terminating   0          10m   10.244.1.2   node01   <none>           <none>
        [exit 0]
    "#]].assert_eq(&seen);
}
