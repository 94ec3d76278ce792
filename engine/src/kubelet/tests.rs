//! The pod lifecycle on a whole cluster, with the clock moved by hand.

use crate::api::{object, resolve};
use crate::clock::Duration;
use crate::cluster::Cluster;
use serde_json::{json, Value};

fn pod(c: &Cluster, name: &str) -> Value {
    let res = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
    c.apiserver
        .get(&res, Some("default"), name)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn create(c: &mut Cluster, yaml: &str) {
    let res = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
    let doc = crate::yaml::parse_documents(yaml)
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0);
    let now = c.now();
    let p = c
        .apiserver
        .create(&res, Some("default"), doc, now)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let name = object::name(&p).to_string();
    if object::str_at(&p, "spec.nodeName").is_none() {
        c.apiserver
            .bind("default", &name, "node01", now)
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    c.settle();
}

fn status(c: &Cluster, name: &str) -> String {
    crate::kubectl::printers::pod::summarize(&pod(c, name)).reason
}

fn events(c: &Cluster, name: &str) -> Vec<String> {
    let res = resolve("events")
        .copied()
        .unwrap_or_else(|| panic!("events"));
    let mut evs: Vec<Value> = c
        .apiserver
        .list(&res, Some("default"))
        .into_iter()
        .filter(|e| e["involvedObject"]["name"] == json!(name))
        .collect();
    crate::sort::sort_by_key(&mut evs, |e| {
        object::str_at(e, "metadata.name").unwrap_or("").to_string()
    });
    evs.iter()
        .map(|e| {
            format!(
                "{} {} x{}",
                object::str_at(e, "reason").unwrap_or(""),
                object::str_at(e, "message").unwrap_or(""),
                e["count"]
            )
        })
        .collect()
}

#[test]
fn nginx_goes_from_container_creating_to_running() {
    let mut c = Cluster::new(1);
    create(
        &mut c,
        "metadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
    );
    assert_eq!(status(&c, "web"), "ContainerCreating");
    c.step(Duration::from_secs(1));
    assert_eq!(status(&c, "web"), "ContainerCreating");
    c.step(Duration::from_secs(10));
    assert_eq!(status(&c, "web"), "Running");
    let p = pod(&c, "web");
    assert_eq!(object::str_at(&p, "status.phase"), Some("Running"));
    assert_eq!(
        p["status"]["containerStatuses"][0]["image"],
        json!("docker.io/library/nginx:latest")
    );
    assert_eq!(
        p["status"]["podIP"]
            .as_str()
            .map(|s| s.starts_with("10.244.1.")),
        Some(true)
    );
    let ev = events(&c, "web");
    let reasons: Vec<&str> = ev
        .iter()
        .map(|e| e.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        reasons,
        vec!["Pulling", "Pulled", "Created", "Started"],
        "{ev:?}"
    );
    assert!(
        ev[1].starts_with("Pulled Successfully pulled image \"nginx\" in "),
        "{ev:?}"
    );
    // Idempotent: nothing more is written while nothing happens.
    let rv = c.apiserver.store().revision();
    c.settle();
    assert_eq!(c.apiserver.store().revision(), rv);
}

#[test]
fn a_shell_with_nothing_to_do_crash_loops_with_growing_back_off() {
    let mut c = Cluster::new(1);
    create(
        &mut c,
        "metadata:\n  name: bb\nspec:\n  containers:\n  - name: bb\n    image: busybox\n",
    );
    c.step(Duration::from_secs(8));
    let restarts =
        |c: &Cluster| pod(c, "bb")["status"]["containerStatuses"][0]["restartCount"].as_i64();
    assert_eq!(status(&c, "bb"), "CrashLoopBackOff");
    assert_eq!(restarts(&c), Some(1));
    c.step(Duration::from_secs(15));
    assert_eq!(restarts(&c), Some(2));
    c.step(Duration::from_secs(25));
    assert_eq!(restarts(&c), Some(3));
    let p = pod(&c, "bb");
    assert_eq!(p["status"]["phase"], json!("Running"));
    assert_eq!(
        p["status"]["containerStatuses"][0]["state"]["waiting"]["message"]
            .as_str()
            .map(|m| m.starts_with("back-off 40s restarting failed container=bb pod=bb_default(")),
        Some(true)
    );
    assert_eq!(
        p["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"],
        json!("Completed")
    );
}

#[test]
fn never_restarted_shell_completes() {
    let mut c = Cluster::new(1);
    create(&mut c, "metadata:\n  name: once\nspec:\n  restartPolicy: Never\n  containers:\n  - name: once\n    image: busybox\n    command: [\"sleep\", \"5\"]\n");
    c.step(Duration::from_secs(5));
    assert_eq!(status(&c, "once"), "Running");
    c.step(Duration::from_secs(5));
    assert_eq!(status(&c, "once"), "Completed");
    let p = pod(&c, "once");
    assert_eq!(p["status"]["phase"], json!("Succeeded"));
    assert_eq!(
        p["status"]["conditions"][2]["reason"],
        json!("PodCompleted")
    );
}

#[test]
fn a_missing_image_backs_off() {
    let mut c = Cluster::new(1);
    create(
        &mut c,
        "metadata:\n  name: bad\nspec:\n  containers:\n  - name: bad\n    image: redis123\n",
    );
    c.step(Duration::from_millis(2_700));
    assert_eq!(status(&c, "bad"), "ErrImagePull");
    c.step(Duration::from_secs(3));
    assert_eq!(status(&c, "bad"), "ImagePullBackOff");
    c.step(Duration::from_secs(60));
    let ev = events(&c, "bad");
    assert!(
        ev.iter()
            .any(|e| e.starts_with("Pulling Pulling image \"redis123\" x3")),
        "{ev:?}"
    );
    let ev = events(&c, "bad");
    assert!(ev.iter().any(|e| e.starts_with("Failed Failed to pull image \"redis123\": failed to pull and unpack image \"docker.io/library/redis123:latest\"")), "{ev:?}");
    assert!(
        ev.iter()
            .any(|e| e == "Failed Error: ErrImagePull x1"
                || e.starts_with("Failed Error: ErrImagePull")),
        "{ev:?}"
    );
}

#[test]
fn deleting_a_pod_stops_it_within_its_grace_period() {
    let mut c = Cluster::new(1);
    create(&mut c, "metadata:\n  name: sl\nspec:\n  terminationGracePeriodSeconds: 20\n  containers:\n  - name: sl\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n");
    c.step(Duration::from_secs(10));
    assert_eq!(status(&c, "sl"), "Running");
    let res = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
    let now = c.now();
    c.apiserver
        .delete_with(&res, Some("default"), "sl", Default::default(), now)
        .unwrap_or_else(|e| panic!("{e:?}"));
    c.settle();
    assert!(events(&c, "sl")
        .iter()
        .any(|e| e.starts_with("Killing Stopping container sl")));
    c.step(Duration::from_secs(19));
    assert!(c.apiserver.get(&res, Some("default"), "sl").is_ok());
    c.step(Duration::from_secs(2));
    assert!(c.apiserver.get(&res, Some("default"), "sl").is_err());
}

#[test]
fn the_node_lease_is_renewed_every_ten_seconds() {
    let mut c = Cluster::new(1);
    let res = resolve("leases")
        .copied()
        .unwrap_or_else(|| panic!("leases"));
    let renew = |c: &Cluster| {
        c.apiserver
            .get(&res, Some("kube-node-lease"), "node01")
            .ok()
            .and_then(|l| l["spec"]["renewTime"].as_str().map(String::from))
    };
    let first = renew(&c);
    assert!(first.is_some());
    c.step(Duration::from_secs(10));
    assert_ne!(renew(&c), first);
    if let Some(m) = c.machine_mut("node01") {
        m.kubelet_running = false;
    }
    let stopped = renew(&c);
    c.step(Duration::from_secs(60));
    assert_eq!(renew(&c), stopped);
}

#[test]
fn a_static_pod_file_gives_a_mirror_pod_that_comes_back() {
    let mut c = Cluster::new(1);
    if let Some(m) = c.machine_mut("node01") {
        m.fs.write(
            "/etc/kubernetes/manifests/static-web.yaml",
            b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
            false,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    }
    c.settle();
    assert_eq!(status(&c, "static-web-node01"), "ContainerCreating");
    c.step(Duration::from_secs(10));
    assert_eq!(status(&c, "static-web-node01"), "Running");
    let uid = |c: &Cluster| pod(c, "static-web-node01")["metadata"]["uid"].clone();
    let before = uid(&c);
    let res = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
    let now = c.now();
    c.apiserver
        .delete_with(
            &res,
            Some("default"),
            "static-web-node01",
            Default::default(),
            now,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    c.settle();
    assert_ne!(uid(&c), before);
    assert_eq!(status(&c, "static-web-node01"), "Running");
    if let Some(m) = c.machine_mut("node01") {
        m.fs.remove("/etc/kubernetes/manifests/static-web.yaml", false)
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    c.settle();
    assert!(c
        .apiserver
        .get(&res, Some("default"), "static-web-node01")
        .is_err());
    // The control plane's mirror pods are left as they are.
    assert!(c
        .apiserver
        .get(&res, Some("kube-system"), "etcd-controlplane")
        .is_ok());
}

#[test]
fn a_failing_liveness_probe_restarts_the_container() {
    let mut c = Cluster::new(1);
    create(&mut c, "metadata:\n  name: live\nspec:\n  containers:\n  - name: live\n    image: busybox\n    args: [\"/bin/sh\", \"-c\", \"touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [\"cat\", \"/tmp/healthy\"]\n      initialDelaySeconds: 5\n      periodSeconds: 5\n");
    c.step(Duration::from_secs(30));
    assert_eq!(status(&c, "live"), "Running");
    c.step(Duration::from_secs(60));
    let ev = events(&c, "live");
    assert!(ev.iter().any(|e| e.starts_with("Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory")), "{ev:?}");
    assert!(
        ev.iter()
            .any(|e| e
                .starts_with("Killing Container live failed liveness probe, will be restarted")),
        "{ev:?}"
    );
    let p = pod(&c, "live");
    assert_eq!(
        p["status"]["containerStatuses"][0]["restartCount"],
        json!(1),
        "{ev:?}"
    );
    assert_eq!(
        p["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"],
        json!(137)
    );
}

/// A component of the test's own that does `act` once at `at`, through the
/// apiserver and the machines as a controller would: no command runs, so
/// the kubelets get no outside input and may skip the pods with nothing due.
struct At {
    at: crate::clock::Time,
    act: Option<Act>,
}

type Act = Box<dyn FnOnce(&mut crate::cluster::SyncContext<'_>)>;

impl std::fmt::Debug for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "At({})", self.at.rfc3339())
    }
}

impl crate::cluster::Component for At {
    fn name(&self) -> String {
        "at".into()
    }
    fn sync(&mut self, ctx: &mut crate::cluster::SyncContext<'_>) {
        if ctx.now >= self.at {
            if let Some(act) = self.act.take() {
                act(ctx);
            }
        }
    }
    fn next_wakeup(&self, now: crate::clock::Time) -> Option<crate::clock::Time> {
        Some(self.at).filter(|t| *t > now && self.act.is_some())
    }
}

fn at(
    c: &mut Cluster,
    after: Duration,
    act: impl FnOnce(&mut crate::cluster::SyncContext<'_>) + 'static,
) {
    let at = c.now() + after;
    c.add_component(Box::new(At {
        at,
        act: Some(Box::new(act)),
    }));
}

#[test]
fn a_pod_deleted_by_a_controller_is_stopped_though_nothing_of_its_own_is_due() {
    // Running nginx without probes asks no wake-up for an hour: the
    // kubelet skips it at every sync, until the pod itself changes.
    let mut c = Cluster::new(1);
    create(
        &mut c,
        "metadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
    );
    c.step(Duration::from_secs(30));
    assert_eq!(status(&c, "web"), "Running");
    at(&mut c, Duration::from_secs(5), |ctx| {
        let res = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
        ctx.api
            .delete_with(&res, Some("default"), "web", Default::default(), ctx.now)
            .unwrap_or_else(|e| panic!("{e:?}"));
    });
    c.step(Duration::from_secs(4));
    assert!(!events(&c, "web").iter().any(|e| e.starts_with("Killing")));
    c.step(Duration::from_secs(2));
    assert!(events(&c, "web")
        .iter()
        .any(|e| e.starts_with("Killing Stopping container web")));
    // nginx stops at its SIGTERM; the kubelet removes the pod.
    c.step(Duration::from_secs(5));
    let res = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
    assert!(c.apiserver.get(&res, Some("default"), "web").is_err());
}

#[test]
fn a_manifest_written_while_the_clock_runs_is_seen_at_the_next_sync() {
    // Nothing in the store changes when a file does: the kubelet counts
    // its node's file writes to know it must read its manifests again.
    let mut c = Cluster::new(1);
    c.step(Duration::from_secs(30));
    at(&mut c, Duration::from_secs(1), |ctx| {
        if let Some(m) = ctx.machines.get_mut("node01") {
            m.fs.write(
                "/etc/kubernetes/manifests/static-web.yaml",
                b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
                false,
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        }
    });
    c.step(Duration::from_secs(15));
    assert_eq!(status(&c, "static-web-node01"), "Running");
}

#[test]
fn an_idle_kubelet_still_sees_a_pod_bound_to_its_node() {
    // Between lease renewals an idle kubelet returns at once (it read
    // nothing new): a pod bound to its node by another component is news.
    let mut c = Cluster::new(1);
    c.step(Duration::from_secs(30));
    at(&mut c, Duration::from_millis(2500), |ctx| {
        let res = resolve("pods").copied().unwrap_or_else(|| panic!("pods"));
        let p = json!({"metadata": {"name": "late"},
                       "spec": {"nodeName": "node01", "containers": [{"name": "web", "image": "nginx"}]}});
        ctx.api
            .create(&res, Some("default"), p, ctx.now)
            .unwrap_or_else(|e| panic!("{e:?}"));
    });
    c.step(Duration::from_secs(2));
    assert!(events(&c, "late").is_empty());
    // Seen at once, not at the next lease renewal (30 s + 10 s).
    c.step(Duration::from_secs(2));
    assert!(!events(&c, "late").is_empty());
    c.step(Duration::from_secs(20));
    assert_eq!(status(&c, "late"), "Running");
}

/// The kubelets' [`Component::syncs_done`](crate::cluster::Component::syncs_done),
/// by node.
fn kubelet_syncs(sim: &crate::Simulation) -> Vec<(String, u64)> {
    let c = sim.cluster();
    c.machines
        .keys()
        .map(|n| {
            let done = c.syncs_done(&format!("kubelet@{n}"));
            (
                n.clone(),
                done.unwrap_or_else(|| panic!("no kubelet on {n}")),
            )
        })
        .collect()
}

fn run_ok(sim: &mut crate::Simulation, line: &str) -> String {
    let out = sim.run(&format!("{line}\n"));
    assert_eq!(out.status, 0, "{line}: {}", out.text());
    out.text()
}

/// A command that changes nothing (a get, a describe) leaves every kubelet
/// as it was: nothing a kubelet reads moved, and the settle after the
/// command costs the kubelets nothing.
#[test]
fn a_read_only_command_costs_the_kubelets_nothing() {
    let mut sim = crate::Simulation::new(1);
    run_ok(
        &mut sim,
        "kubectl create deployment web --image=nginx --replicas=4",
    );
    sim.step(Duration::from_secs(30));
    let before = kubelet_syncs(&sim);
    assert!(before.len() >= 2, "{before:?}");
    for line in [
        "kubectl get pods -A",
        "kubectl describe node node01",
        "kubectl get pods -o yaml",
        "kubectl get nodes",
    ] {
        run_ok(&mut sim, line);
    }
    assert_eq!(kubelet_syncs(&sim), before);
}

/// A file written on node01 (a static pod's manifest) changes node01's
/// machine: its kubelet syncs at the command's settle and the mirror pod
/// is there at once, as it was when every command woke every kubelet;
/// the control plane's kubelet, whose machine and pods did not change,
/// does not sync.
#[test]
fn a_file_written_on_a_node_syncs_its_kubelet() {
    let mut sim = crate::Simulation::new(1);
    sim.step(Duration::from_secs(30));
    let before = kubelet_syncs(&sim);
    let manifests_before = sim.cluster().machine("node01").map(|m| m.changes());
    sim.run("ssh node01\n");
    sim.run(
        "cat > /etc/kubernetes/manifests/static-web.yaml <<Y\napiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: nginx\nY\n",
    );
    sim.run("exit\n");
    assert_ne!(
        sim.cluster().machine("node01").map(|m| m.changes()),
        manifests_before,
        "a written file is a change of the machine"
    );
    let after = kubelet_syncs(&sim);
    let synced = |node: &str| {
        let get = |v: &[(String, u64)]| v.iter().find(|(n, _)| n == node).map(|(_, s)| *s);
        get(&after) > get(&before)
    };
    assert!(synced("node01"), "{before:?} -> {after:?}");
    // Nothing on the control plane changed: its kubelet did not look.
    assert!(!synced("controlplane"), "{before:?} -> {after:?}");
    let out = run_ok(&mut sim, "kubectl get pods -o wide");
    assert!(out.contains("static-web-node01"), "{out}");
    assert!(out.contains("node01"), "{out}");
}

#[test]
fn a_passing_http_probe_asks_no_wake_up_yet_its_failure_is_seen_at_its_tick() {
    // The liveness-http example: /healthz answers 200 for ten seconds
    // after the start, then 500. The probes in between succeed without
    // waking the kubelet, yet the first failure is the probe at the first
    // tick after the ten seconds, and the third one kills the container.
    let mut c = Cluster::new(1);
    create(&mut c, "metadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: registry.k8s.io/liveness\n    args: [\"/server\"]\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n      initialDelaySeconds: 3\n      periodSeconds: 3\n");
    // Started about two seconds in; the first failure comes twelve after that.
    c.step(Duration::from_secs(16));
    let p = pod(&c, "web");
    let started = p["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
        .as_str()
        .and_then(crate::clock::Time::parse_rfc3339)
        .unwrap_or_else(|| panic!("not running: {p}"));
    let res = resolve("events")
        .copied()
        .unwrap_or_else(|| panic!("events"));
    let first_failure = c
        .apiserver
        .list(&res, Some("default"))
        .iter()
        .filter(|e| e["reason"] == "Unhealthy")
        .filter_map(|e| object::str_at(e, "firstTimestamp"))
        .filter_map(crate::clock::Time::parse_rfc3339)
        .min()
        .unwrap_or_else(|| panic!("no Unhealthy event: {:?}", events(&c, "web")));
    // Probes at 3, 6, 9 (ok), 12 s: the first after ten seconds fails.
    assert_eq!(
        (first_failure - started).as_millis() / 1000,
        12,
        "{:?}",
        events(&c, "web")
    );
    c.step(Duration::from_secs(10));
    let ev = events(&c, "web");
    assert!(
        ev.iter()
            .any(|e| e.starts_with("Killing Container web failed liveness probe")),
        "{ev:?}"
    );
}

/// The reads every kubelet sync made in this test thread so far (each one
/// checked against `READS` as it was made).
fn seen_reads() -> std::collections::BTreeSet<&'static str> {
    super::SEEN_READS.with(|s| s.borrow().iter().map(|(r, _)| *r).collect())
}

/// A pod that reads everything a pod sync can: configMap and secret env
/// and volumes, a projected service account token with the downward API,
/// the service links, a PVC's PV, a `resourceFieldRef` default from the
/// Node; a static pod; the node's Lease and status. Every sync's reads
/// are in `READS` (checked at each sync in test builds), and each entry of
/// it is read: the list is what a kubelet reads, no more.
#[test]
fn a_kubelet_reads_only_what_it_declares_and_all_of_it() {
    let mut sim = crate::Simulation::new(1);
    let out = sim.run_script(
        "kubectl create configmap cm --from-literal=k=v\n\
         kubectl create secret generic s --from-literal=p=q\n\
         kubectl create service clusterip web --tcp=80:80\n\
         cat <<EOF | kubectl apply -f -\n\
         apiVersion: v1\n\
         kind: PersistentVolume\n\
         metadata:\n  name: pv1\n\
         spec:\n  capacity:\n    storage: 1Gi\n  accessModes: [\"ReadWriteOnce\"]\n  storageClassName: manual\n  hostPath:\n    path: /data/pv1\n\
         ---\n\
         apiVersion: v1\n\
         kind: PersistentVolumeClaim\n\
         metadata:\n  name: claim\n\
         spec:\n  accessModes: [\"ReadWriteOnce\"]\n  storageClassName: manual\n  resources:\n    requests:\n      storage: 1Gi\n\
         ---\n\
         apiVersion: v1\n\
         kind: Pod\n\
         metadata:\n  name: reader\n\
         spec:\n  nodeName: node01\n  containers:\n  - name: c\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n    envFrom:\n    - configMapRef:\n        name: cm\n    env:\n    - name: P\n      valueFrom:\n        secretKeyRef:\n          name: s\n          key: p\n    - name: CPU\n      valueFrom:\n        resourceFieldRef:\n          resource: limits.cpu\n    - name: NODE\n      valueFrom:\n        fieldRef:\n          fieldPath: spec.nodeName\n    volumeMounts:\n    - {name: cm, mountPath: /cm}\n    - {name: s, mountPath: /s}\n    - {name: token, mountPath: /token}\n    - {name: data, mountPath: /data}\n  volumes:\n  - name: cm\n    configMap:\n      name: cm\n  - name: s\n    secret:\n      secretName: s\n  - name: token\n    projected:\n      sources:\n      - serviceAccountToken:\n          path: token\n      - downwardAPI:\n          items:\n          - path: labels\n            fieldRef:\n              fieldPath: metadata.labels\n  - name: data\n    persistentVolumeClaim:\n      claimName: claim\n\
         EOF\n\
         ssh node01\n\
         cat > /etc/kubernetes/manifests/static-web.yaml <<Y\n\
         apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: nginx\n\
         Y\n\
         exit\n\
         sleep 60\n\
         kubectl get pods -o wide\n\
         kubectl exec reader -- sh -c 'echo $k $P $CPU $NODE; cat /cm/k /s/p; ls /token'\n",
        true,
    );
    assert!(out.contains("reader "), "{out}");
    assert!(out.contains("static-web-node01"), "{out}");
    assert!(out.contains("v q 2 node01"), "{out}");
    let mut declared: Vec<&str> = super::READS.to_vec();
    declared.extend(super::READS_WHEN_DUE);
    let declared: std::collections::BTreeSet<&str> = declared.into_iter().collect();
    assert_eq!(seen_reads(), declared, "{out}");
}

/// The check itself: a read outside `READS`, or of another node's Node,
/// fails the sync that made it.
#[test]
#[should_panic(expected = "not in kubelet::READS")]
fn a_read_outside_the_declared_list_fails_the_sync() {
    let k = super::Kubelet::new("node01", 1);
    let reads = [("endpoints", Some("web".to_string()))]
        .into_iter()
        .collect();
    k.check_reads(&reads);
}

#[test]
#[should_panic(expected = "another node's nodes")]
fn a_read_of_another_node_fails_the_sync() {
    let k = super::Kubelet::new("node01", 1);
    let reads = [("nodes", Some("controlplane".to_string()))]
        .into_iter()
        .collect();
    k.check_reads(&reads);
}

/// Every transcript's scenario, run with the check of each kubelet sync's
/// reads on: the scenarios the golden transcripts cover (volumes, env,
/// static pods, node failures, drains, restores, upgrades…) read nothing
/// outside `READS`.
#[test]
fn every_transcripts_kubelet_reads_are_declared() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/transcripts");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    crate::sort::sort(&mut scripts);
    assert!(scripts.len() > 20, "{}", dir.display());
    for path in scripts {
        let script = std::fs::read_to_string(&path).unwrap_or_default();
        crate::Simulation::new(1).run_script(&script, true);
    }
    assert!(seen_reads().contains("configmaps"), "{:?}", seen_reads());
}
