//! Tests of the request paths around the verbs: selectors, graceful
//! deletion, patches, subresources, watches, admission plugins, traces.

use super::*;
use crate::api::resolve;
use crate::clock::Duration;

fn r(name: &str) -> Resource {
    resolve(name).copied().unwrap_or_else(|| panic!("{name}"))
}

fn api() -> ApiServer {
    let mut api = ApiServer::new(7);
    for ns in ["default", "dev"] {
        api.create(
            &r("namespaces"),
            None,
            json!({"metadata": {"name": ns}}),
            Time::EPOCH,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    api
}

fn pod(name: &str, labels: Value) -> Value {
    json!({"metadata": {"name": name, "labels": labels},
        "spec": {"containers": [{"name": "web", "image": "nginx"}]}})
}

fn text(r: Result<Value, ApiError>) -> String {
    match r {
        Ok(v) => format!("ok {}", object::name(&v)),
        Err(e) => e.kubectl_text(),
    }
}

#[test]
fn list_filtered_by_labels_and_fields() {
    let mut api = api();
    let pods = r("pods");
    for (n, app) in [("a", "web"), ("b", "db"), ("c", "web")] {
        api.create(
            &pods,
            Some("default"),
            pod(n, json!({"app": app})),
            Time::EPOCH,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    api.bind("default", "c", "node01", Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let names = |v: Result<Vec<Value>, ApiError>| match v {
        Ok(items) => items
            .iter()
            .map(|o| object::name(o).to_string())
            .collect::<Vec<_>>()
            .join(","),
        Err(e) => e.kubectl_text(),
    };
    let out = [
        names(api.list_filtered(&pods, Some("default"), Some("app=web"), None)),
        names(api.list_filtered(
            &pods,
            Some("default"),
            Some("app in (web,db),app!=db"),
            Some("spec.nodeName=node01"),
        )),
        names(api.list_filtered(&pods, Some("default"), None, Some("spec.nodeName="))),
        names(api.list_filtered(&pods, Some("default"), Some("app in web"), None)),
        names(api.list_filtered(&pods, Some("default"), None, Some("spec.image=nginx"))),
    ];
    expect_test::expect![[r#"
        a,c
        c
        a,b
        Error from server (BadRequest): unable to parse requirement: found 'web' expected: '('
        Error from server (BadRequest): field label not supported: spec.image"#]]
    .assert_eq(&out.join("\n"));
}

#[test]
fn graceful_pod_delete_and_finalizers() {
    let mut api = api();
    let pods = r("pods");
    let now = Time::EPOCH + Duration::from_secs(60);
    api.create(&pods, Some("default"), pod("bound", json!({})), now)
        .unwrap_or_else(|e| panic!("{e}"));
    api.create(&pods, Some("default"), pod("free", json!({})), now)
        .unwrap_or_else(|e| panic!("{e}"));
    api.bind("default", "bound", "node01", now)
        .unwrap_or_else(|e| panic!("{e}"));
    // Unbound: gone at once.
    api.delete_with(
        &pods,
        Some("default"),
        "free",
        DeleteOptions::default(),
        now,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(api.get(&pods, Some("default"), "free").is_err());
    // Bound: stays with a deletion timestamp 30s ahead.
    let p = api
        .delete_with(
            &pods,
            Some("default"),
            "bound",
            DeleteOptions::default(),
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        object::str_at(&p, "metadata.deletionTimestamp"),
        Some("2025-04-23T08:01:30Z")
    );
    assert_eq!(
        object::at(&p, "metadata.deletionGracePeriodSeconds"),
        Some(&json!(30))
    );
    // Marking it for deletion moves the generation (1 on create).
    assert_eq!(object::at(&p, "metadata.generation"), Some(&json!(2)));
    assert!(api.get(&pods, Some("default"), "bound").is_ok());
    // The kubelet confirms.
    let zero = DeleteOptions {
        grace_period_seconds: Some(0),
        ..Default::default()
    };
    api.delete_with(&pods, Some("default"), "bound", zero.clone(), now)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(api.get(&pods, Some("default"), "bound").is_err());

    // Finalizers hold a ConfigMap until an update removes them.
    let cm = r("configmaps");
    api.create(
        &cm,
        Some("default"),
        json!({"metadata": {"name": "c", "finalizers": ["example.com/keep"]}}),
        now,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let held = api
        .delete_with(&cm, Some("default"), "c", zero.clone(), now)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        object::str_at(&held, "metadata.deletionTimestamp"),
        Some("2025-04-23T08:01:00Z")
    );
    let mut cleared = held.clone();
    object::set(&mut cleared, "metadata.finalizers", json!([]));
    api.update(&cm, Some("default"), cleared)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(api.get(&cm, Some("default"), "c").is_err());

    // Propagation policies become finalizers for the garbage collector.
    let deploy = r("deployments");
    let d = json!({"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}});
    api.create(&deploy, Some("default"), d, now)
        .unwrap_or_else(|e| panic!("{e}"));
    let fg = DeleteOptions {
        propagation_policy: Some(Propagation::Foreground),
        ..Default::default()
    };
    let d = api
        .delete_with(&deploy, Some("default"), "web", fg, now)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        object::at(&d, "metadata.finalizers"),
        Some(&json!(["foregroundDeletion"]))
    );
    assert_eq!(object::at(&d, "metadata.generation"), Some(&json!(2)));
}

#[test]
fn namespaces_terminate_and_refuse_new_content() {
    let mut api = api();
    let ns = r("namespaces");
    let out = [
        text(api.delete_with(&ns, None, "default", DeleteOptions::default(), Time::EPOCH)),
        text(api.delete_with(&ns, None, "dev", DeleteOptions::default(), Time::EPOCH)),
        text(api.create(&r("pods"), Some("dev"), pod("p", json!({})), Time::EPOCH)),
        text(api.delete_with(&ns, None, "dev", DeleteOptions::default(), Time::EPOCH)),
        text(api.create(&r("pods"), Some("nope"), pod("p", json!({})), Time::EPOCH)),
    ];
    expect_test::expect![[r#"
        Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted
        ok dev
        Error from server (Forbidden): pods "p" is forbidden: unable to create new content in namespace dev because it is being terminated
        Error from server (Conflict): Operation cannot be fulfilled on namespaces "dev": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.
        Error from server (NotFound): namespaces "nope" not found"#]]
    .assert_eq(&out.join("\n"));
    let dev = api.get(&ns, None, "dev").unwrap_or_default();
    assert_eq!(object::str_at(&dev, "status.phase"), Some("Terminating"));
    api.finalize_namespace("dev")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(api.get(&ns, None, "dev").is_err());
}

#[test]
fn patches_go_through_validation() {
    let mut api = api();
    let pods = r("pods");
    api.create(
        &pods,
        Some("default"),
        pod("p", json!({"app": "web"})),
        Time::EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let p = api
        .patch(&pods, Some("default"), "p", PatchType::Strategic,
            &json!({"metadata": {"labels": {"tier": "front"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(object::str_at(&p, "metadata.labels.tier"), Some("front"));
    assert_eq!(
        p.pointer("/spec/containers/0/image"),
        Some(&json!("nginx:1.27"))
    );
    let out = [
        text(api.patch(
            &pods,
            Some("default"),
            "p",
            PatchType::Json,
            &json!([{"op": "test", "path": "/metadata/labels/app", "value": "db"}]),
        )),
        text(api.patch(
            &pods,
            Some("default"),
            "p",
            PatchType::Merge,
            &json!({"spec": {"nodeName": "x"}}),
        )),
        text(api.patch(&pods, Some("default"), "nope", PatchType::Merge, &json!({}))),
    ];
    let first_line: Vec<String> = out
        .iter()
        .map(|s| s.lines().next().unwrap_or_default().to_string())
        .collect();
    expect_test::expect![[r#"
        The request is invalid: the server rejected our request due to an error in our request
        The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)
        Error from server (NotFound): pods "nope" not found"#]]
    .assert_eq(&first_line.join("\n"));
}

#[test]
fn status_scale_binding_eviction() {
    let mut api = api();
    let deploy = r("deployments");
    let d = json!({"metadata": {"name": "web"}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}});
    api.create(&deploy, Some("default"), d, Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    // Status: spec ignored, generation kept.
    let mut s = api.get(&deploy, Some("default"), "web").unwrap_or_default();
    object::set(&mut s, "status", json!({"replicas": 2, "readyReplicas": 1}));
    object::set(&mut s, "spec.replicas", json!(9));
    let s = api
        .update_status(&deploy, Some("default"), s)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(object::at(&s, "spec.replicas"), Some(&json!(2)));
    assert_eq!(object::at(&s, "metadata.generation"), Some(&json!(1)));
    // Scale.
    let sc = api
        .update_scale(&deploy, Some("default"), "web", 5)
        .unwrap_or_else(|e| panic!("{e}"));
    expect_test::expect![[r#"{"apiVersion":"autoscaling/v1","kind":"Scale","status":{"replicas":2,"selector":"app=web"},"spec":{"replicas":5}}"#]]
    .assert_eq(&{
        let mut sc = sc;
        if let Some(m) = sc.as_object_mut() {
            m.remove("metadata");
        }
        sc.to_string()
    });
    let out = [
        text(api.update_scale(&deploy, Some("default"), "web", -1)),
        text(api.get_scale(&r("pods"), Some("default"), "x")),
    ];
    expect_test::expect![[r#"
        The Scale "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0
        Error from server (NotFound): the server could not find the requested resource"#]]
    .assert_eq(&out.join("\n"));
    // Binding.
    let pods = r("pods");
    for n in ["a", "b"] {
        api.create(
            &pods,
            Some("default"),
            pod(n, json!({"app": "web"})),
            Time::EPOCH,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        api.bind("default", n, "node01", Time::EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut p = api.get(&pods, Some("default"), n).unwrap_or_default();
        object::set(&mut p, "status.phase", json!("Running"));
        object::set(
            &mut p,
            "status.conditions",
            json!([{"type": "Ready", "status": "True"}]),
        );
        api.update_status(&pods, Some("default"), p)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let pdb = r("poddisruptionbudgets");
    api.create(
        &pdb,
        Some("default"),
        json!({"metadata": {"name": "web"},
        "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "web"}}}}),
        Time::EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = [
        text(api.bind("default", "a", "node02", Time::EPOCH)),
        text(api.evict("default", "a", Time::EPOCH)),
    ];
    expect_test::expect![[r#"
        Error from server (Conflict): Operation cannot be fulfilled on pods/binding "a": pod a is already assigned to node "node01"
        Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget."#]]
    .assert_eq(&out.join("\n"));
    assert_eq!(
        api.last_trace().map(|t| t.resource.as_str()),
        Some("pods/eviction")
    );
    // Until the disruption controller has observed the new generation the
    // budget is "still being processed": refused.
    let mut b = api.get(&pdb, Some("default"), "web").unwrap_or_default();
    object::set(&mut b, "spec.minAvailable", json!(1));
    let b = api
        .update(&pdb, Some("default"), b)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        text(api.evict("default", "a", Time::EPOCH)),
        "Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget."
    );
    // As the controller writes it: one disruption allowed. The eviction
    // takes it and records the pod; a graceful delete follows.
    let mut b = b;
    object::set(
        &mut b,
        "status",
        json!({"observedGeneration": 2, "disruptionsAllowed": 1, "currentHealthy": 2, "desiredHealthy": 1, "expectedPods": 2}),
    );
    api.update(&pdb, Some("default"), b)
        .unwrap_or_else(|e| panic!("{e}"));
    let p = api
        .evict("default", "a", Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(object::at(&p, "metadata.deletionTimestamp").is_some());
    let b = api.get(&pdb, Some("default"), "web").unwrap_or_default();
    expect_test::expect![[r#"{"observedGeneration":2,"disruptionsAllowed":0,"currentHealthy":2,"desiredHealthy":1,"expectedPods":2,"conditions":[{"type":"DisruptionAllowed","status":"False","observedGeneration":2,"lastTransitionTime":"2025-04-23T08:00:00Z","reason":"InsufficientPods","message":""}],"disruptedPods":{"a":"2025-04-23T08:00:00Z"}}"#]].assert_eq(&b["status"].to_string());
}

#[test]
fn watch_and_changes_since() {
    let mut api = api();
    let cm = r("configmaps");
    let start = api.store().revision();
    api.create(
        &cm,
        Some("default"),
        json!({"metadata": {"name": "a"}}),
        Time::EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut a = api.get(&cm, Some("default"), "a").unwrap_or_default();
    object::set(&mut a, "data", json!({"k": "v"}));
    api.update(&cm, Some("default"), a)
        .unwrap_or_else(|e| panic!("{e}"));
    api.delete(&cm, Some("default"), "a")
        .unwrap_or_else(|e| panic!("{e}"));
    let evs = api
        .watch(&cm, Some("default"), start)
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<String> = evs
        .iter()
        .map(|e| format!("{} {}", e.type_.as_str(), e.revision))
        .collect();
    assert_eq!(kinds, ["ADDED 4", "MODIFIED 5", "DELETED 6"]);
    let (rev, changes) = api.changes_since(start).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rev, 6);
    assert_eq!(
        changes.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
        ["configmaps"; 3]
    );
    let mut store = api.store().clone();
    store.compact(5).unwrap_or_else(|e| panic!("{e}"));
    api.etcd_replace(store);
    assert_eq!(
        api.watch(&cm, Some("default"), 3)
            .err()
            .map(|e| e.kubectl_text()),
        Some("Error from server (Expired): too old resource version: 3 (5)".to_string())
    );
}

#[test]
fn limit_ranger_storage_class_and_quota() {
    let mut api = api();
    let pods = r("pods");
    api.create(
        &r("limitranges"),
        Some("dev"),
        json!({"metadata": {"name": "lr"},
        "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "256Mi"},
            "defaultRequest": {"cpu": "100m"}, "max": {"cpu": "1"}}]}}),
        Time::EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let p = api
        .create(&pods, Some("dev"), pod("d", json!({})), Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    expect_test::expect![[r#"{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"256Mi"}} LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web"#]]
    .assert_eq(&format!(
        "{} {}",
        p.pointer("/spec/containers/0/resources").cloned().unwrap_or_default(),
        object::str_at(&p, "metadata.annotations").unwrap_or_else(|| p.pointer("/metadata/annotations/kubernetes.io~1limit-ranger").and_then(Value::as_str).unwrap_or_default())
    ));
    let big = json!({"metadata": {"name": "big"}, "spec": {"containers": [{"name": "web", "image": "nginx",
        "resources": {"limits": {"cpu": "2", "memory": "256Mi"}}}]}});
    let quota = json!({"metadata": {"name": "q"}, "spec": {"hard": {"requests.cpu": "1", "limits.memory": "1Gi", "pods": "3"}}});
    api.create(&r("resourcequotas"), Some("default"), quota, Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let small = |n: &str, cpu: &str| {
        json!({"metadata": {"name": n}, "spec": {"containers": [{"name": "web", "image": "nginx",
        "resources": {"requests": {"cpu": cpu}, "limits": {"memory": "128Mi"}}}]}})
    };
    let out = [
        text(api.create(&pods, Some("dev"), big, Time::EPOCH)),
        text(api.create(&pods, Some("default"), pod("bare", json!({})), Time::EPOCH)),
        text(api.create(&pods, Some("default"), small("s1", "900m"), Time::EPOCH)),
        text(api.create(&pods, Some("default"), small("s2", "200m"), Time::EPOCH)),
    ];
    expect_test::expect![[r#"
        Error from server (Forbidden): pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2
        Error from server (Forbidden): pods "bare" is forbidden: failed quota: q: must specify limits.memory for: web; requests.cpu for: web
        ok s1
        Error from server (Forbidden): pods "s2" is forbidden: exceeded quota: q, requested: requests.cpu=200m, used: requests.cpu=900m, limited: requests.cpu=1"#]]
    .assert_eq(&out.join("\n"));
    let q = api
        .get(&r("resourcequotas"), Some("default"), "q")
        .unwrap_or_default();
    assert_eq!(
        q.pointer("/status/used"),
        Some(&json!({"requests.cpu": "900m", "limits.memory": "128Mi", "pods": "1"}))
    );
    api.delete(&pods, Some("default"), "s1")
        .unwrap_or_else(|e| panic!("{e}"));
    let q = api
        .get(&r("resourcequotas"), Some("default"), "q")
        .unwrap_or_default();
    assert_eq!(q.pointer("/status/used/pods"), Some(&json!("0")));
    // DefaultStorageClass.
    api.create(&r("storageclasses"), None, json!({"metadata": {"name": "local",
        "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}, "provisioner": "x"}), Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let pvc = api
        .create(
            &r("pvc"),
            Some("dev"),
            json!({"metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}),
            Time::EPOCH,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(object::str_at(&pvc, "spec.storageClassName"), Some("local"));
}

#[test]
fn traces_and_authorization() {
    let mut api = api();
    let pods = r("pods");
    api.create(&pods, Some("default"), pod("p", json!({})), Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let trace = api.last_trace().map(|t| t.render()).unwrap_or_default();
    expect_test::expect![[r#"
        create pods p -n default as kubernetes-admin
          authentication: user kubernetes-admin in groups [kubeadm:cluster-admins, system:authenticated] (client certificate)
          authorization: allowed by AlwaysAllow
          decoding: Pod decoded (strict) and defaulted
          mutating admission NamespaceLifecycle: no change
          mutating admission LimitRanger: no change
          mutating admission ServiceAccount: serviceAccountName default; token volume kube-api-access-stqfr mounted at /var/run/secrets/kubernetes.io/serviceaccount
          mutating admission Priority: priority 0
          mutating admission DefaultTolerationSeconds: toleration node.kubernetes.io/not-ready:NoExecute for 300s; toleration node.kubernetes.io/unreachable:NoExecute for 300s
          validation: valid
          validating admission LimitRanger: no change
          validating admission ResourceQuota: no change
          etcd: put /registry/pods/default/p at revision 4
          => written at revision 4
    "#]]
    .assert_eq(&trace);
    assert_eq!(
        api.last_trace()
            .map(|t| t.admission.clone())
            .unwrap_or_default(),
        [
            "NamespaceLifecycle",
            "LimitRanger",
            "ServiceAccount",
            "Priority",
            "DefaultTolerationSeconds",
            "LimitRanger",
            "ResourceQuota"
        ]
    );
    api.set_authorizer(Box::new(DenyAll));
    api.set_user(User::new("x", &["dev"]));
    let out = [
        api.list_filtered(&pods, Some("default"), None, None)
            .err()
            .map(|e| e.kubectl_text())
            .unwrap_or_default(),
        text(api.create(
            &r("nodes"),
            None,
            json!({"metadata": {"name": "n"}}),
            Time::EPOCH,
        )),
        text(api.delete(&pods, Some("default"), "p")),
    ];
    expect_test::expect![[r#"
        Error from server (Forbidden): pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default"
        Error from server (Forbidden): nodes is forbidden: User "x" cannot create resource "nodes" in API group "" at the cluster scope
        Error from server (Forbidden): pods "p" is forbidden: User "x" cannot delete resource "pods" in API group "" in the namespace "default""#]]
    .assert_eq(&out.join("\n"));
    let last = api.last_trace().map(|t| t.render()).unwrap_or_default();
    assert!(last.contains("authorization ✗"), "{last}");
    assert!(api.traces().count() <= 200);
}

#[test]
fn service_account_admission_leaves_mirror_pods_alone() {
    let mut api = api();
    let pods = r("pods");
    let mirror = |name: &str, spec: Value| {
        json!({"metadata": {"name": name,
            "annotations": {"kubernetes.io/config.mirror": "abc"}},
            "spec": spec})
    };
    let web = json!({"containers": [{"name": "web", "image": "nginx"}]});
    let created = api
        .create(
            &pods,
            Some("default"),
            mirror("m", web.clone()),
            Time::EPOCH,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let spec = &created["spec"];
    // No account, no token volume, no mount: the kubelet's spec stands.
    assert_eq!(spec.get("serviceAccountName"), None, "{spec}");
    assert_eq!(spec.get("volumes"), None, "{spec}");
    assert_eq!(spec.pointer("/containers/0/volumeMounts"), None, "{spec}");
    let mut with = |spec: Value, key: &str, value: Value| {
        let mut spec = spec;
        spec[key] = value;
        text(api.create(&pods, Some("default"), mirror("bad", spec), Time::EPOCH))
    };
    let out = [
        with(web.clone(), "serviceAccountName", json!("builder")),
        with(
            web.clone(),
            "volumes",
            json!([{"name": "s", "secret": {"secretName": "s"}}]),
        ),
        with(
            web.clone(),
            "volumes",
            json!([{"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}]),
        ),
    ];
    expect_test::expect![[r#"
        Error from server (Forbidden): pods "bad" is forbidden: a mirror pod may not reference service accounts
        Error from server (Forbidden): pods "bad" is forbidden: a mirror pod may not reference secrets
        Error from server (Forbidden): pods "bad" is forbidden: a mirror pod may not use ServiceAccountToken volume projections"#]]
    .assert_eq(&out.join("\n"));
}

/// Every kind of failed write leaves the store byte-for-byte as it was
/// (same revision, same keys, same values): optimistic-concurrency
/// conflicts, forbidden updates, admission and quota refusals, writes into
/// missing namespaces, deletes of what is not there.
#[test]
fn failed_writes_change_nothing() {
    let mut api = api();
    let pods = r("pods");
    let deploys = r("deployments");
    let created = api
        .create(&pods, Some("default"), pod("p", json!({})), Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let d = json!({"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}});
    let d = api
        .create(&deploys, Some("default"), d, Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    api.create(
        &r("resourcequotas"),
        Some("dev"),
        json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "0"}}}),
        Time::EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // A newer write makes `created` and `d` stale.
    let mut newer = created.clone();
    object::set(&mut newer, "metadata.labels", json!({"v": "2"}));
    api.update(&pods, Some("default"), newer)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut newer = d.clone();
    object::set(&mut newer, "metadata.labels", json!({"v": "2"}));
    api.update(&deploys, Some("default"), newer)
        .unwrap_or_else(|e| panic!("{e}"));
    let before = api.store().clone();

    let mut stale_pod = created.clone();
    object::set(&mut stale_pod, "metadata.labels", json!({"v": "stale"}));
    let mut stale_deploy = d.clone();
    object::set(&mut stale_deploy, "spec.replicas", json!(3));
    let mut port = api.get(&pods, Some("default"), "p").unwrap_or_default();
    if let Some(c) = port.pointer_mut("/spec/containers/0") {
        object::set(c, "ports", json!([{"containerPort": 80}]));
    }
    let out = [
        text(api.update(&pods, Some("default"), stale_pod)),
        text(api.update(&deploys, Some("default"), stale_deploy)),
        text(api.update(&pods, Some("default"), port))
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        text(api.create(&pods, Some("dev"), pod("q1", json!({})), Time::EPOCH)),
        text(api.create(&pods, Some("nope"), pod("x", json!({})), Time::EPOCH)),
        text(api.create(&pods, Some("default"), pod("p", json!({})), Time::EPOCH)),
        text(api.delete(&pods, Some("default"), "missing")),
    ];
    expect_test::expect![[r#"
        Error from server (Conflict): Operation cannot be fulfilled on pods "p": the object has been modified; please apply your changes to the latest version and try again
        Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again
        The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)
        Error from server (Forbidden): pods "q1" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0
        Error from server (NotFound): namespaces "nope" not found
        Error from server (AlreadyExists): pods "p" already exists
        Error from server (NotFound): pods "missing" not found"#]]
    .assert_eq(&out.join("\n"));
    assert!(api.store() == &before, "a failed request wrote to etcd");
}

/// `generateName` takes five characters of apimachinery's alphabet from
/// the seeded rng; neither name nor generateName is the real 422.
#[test]
fn generate_name_and_missing_name() {
    let mut api = api();
    let pods = r("pods");
    let mut named = |body: Value| text(api.create(&pods, Some("default"), body, Time::EPOCH));
    let spec = json!({"containers": [{"name": "web", "image": "nginx"}]});
    let out = [
        named(json!({"metadata": {"generateName": "web-"}, "spec": spec})),
        named(json!({"metadata": {"generateName": "web-"}, "spec": spec})),
        named(json!({"metadata": {}, "spec": spec})),
    ];
    expect_test::expect![[r#"
        ok web-77stq
        ok web-gcsfz
        The Pod "" is invalid: metadata.name: Required value: name or generateName is required"#]]
    .assert_eq(&out.join("\n"));
    for name in &out[..2] {
        let suffix = name.trim_start_matches("ok web-");
        assert!(
            suffix.len() == 5
                && suffix
                    .chars()
                    .all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)),
            "{name}"
        );
    }
}

#[test]
fn a_binding_created_through_the_legacy_bindings_resource_binds_the_pod() {
    // `kubectl create -f binding.yaml` posts to /api/v1/namespaces/ns/bindings.
    let mut api = api();
    let pods = r("pods");
    api.create(&pods, Some("default"), pod("nginx", json!({})), Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let binding = |kind: &str, node: &str| {
        json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "nginx"},
            "target": {"apiVersion": "v1", "kind": kind, "name": node}})
    };
    let out = [
        text(api.create(
            &r("bindings"),
            Some("default"),
            binding("Pod", "node01"),
            Time::EPOCH,
        )),
        text(api.create(
            &r("bindings"),
            Some("default"),
            binding("Node", ""),
            Time::EPOCH,
        )),
        text(api.create(
            &r("bindings"),
            Some("default"),
            binding("Node", "node01"),
            Time::EPOCH,
        )),
        text(api.create(
            &r("bindings"),
            Some("default"),
            binding("Node", "node02"),
            Time::EPOCH,
        )),
    ];
    expect_test::expect![[r#"
        Error from server: target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"
        Error from server: target.name: Required value
        ok nginx
        Error from server (Conflict): Operation cannot be fulfilled on pods/binding "nginx": pod nginx is already assigned to node "node01""#]]
    .assert_eq(&out.join("\n"));
    let p = api.get(&pods, Some("default"), "nginx").unwrap_or_default();
    assert_eq!(object::str_at(&p, "spec.nodeName"), Some("node01"));
    // Nothing named nginx is kept under bindings.
    assert!(api.list(&r("bindings"), Some("default")).is_empty());
}

#[test]
fn changes_except_moves_only_for_the_resources_it_counts() {
    let mut api = api();
    let (leases, events) = (r("leases"), r("events"));
    let stamp = |api: &ApiServer| api.changes_except(&[&leases, &events]);
    let before = stamp(&api);
    // A lease renewal and an event leave it where it was.
    let lease = json!({"metadata": {"name": "node01"}, "spec": {"holderIdentity": "node01"}});
    api.create(&leases, Some("default"), lease, Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let event = json!({"metadata": {"name": "e1"}, "involvedObject": {"kind": "Pod", "name": "web"},
        "reason": "Pulled", "message": "m"});
    api.create(&events, Some("default"), event, Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stamp(&api), before);
    // Any other object moves it, deletes too.
    let cm = json!({"metadata": {"name": "settings"}});
    api.create(&r("configmaps"), Some("default"), cm, Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let after_create = stamp(&api);
    assert!(after_create > before);
    api.delete(&r("configmaps"), Some("default"), "settings")
        .unwrap_or_else(|e| panic!("{e}"));
    let after_delete = stamp(&api);
    assert!(after_delete > after_create);
    // A replaced store (a restore) counts as every object changed, even
    // one at the same revision as before: the stamp never comes back.
    let same = Store::restore(&api.store().snapshot()).unwrap_or_else(|e| panic!("{e:?}"));
    api.etcd_replace(same);
    assert!(stamp(&api) > after_delete);
}

/// The indexes behind `pods_for_controller`, `events_about` and the
/// stamps agree with a scan of every object after each kind of write
/// (adopt, release, hand-over, relabel, delete, another namespace, a
/// restore): an index left stale by one of them fails here.
#[test]
fn controller_and_event_indexes_follow_every_write() {
    let mut api = api();
    let (pods, events) = (r("pods"), r("events"));
    let owner = |uid: &str| {
        json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "name": uid, "uid": uid, "controller": true}])
    };
    let controller = |p: &Value| -> Option<String> {
        p["metadata"]["ownerReferences"]
            .as_array()
            .and_then(|refs| refs.iter().find(|r| r["controller"] == true))
            .map(|r| r["uid"].as_str().unwrap_or("?").to_string())
    };
    // What the index must return: a scan of the namespace's pods.
    let check = |api: &ApiServer| {
        for ns in ["default", "dev"] {
            for uid in ["rs-a", "rs-b"] {
                let scan: Vec<String> = api
                    .list(&pods, Some(ns))
                    .iter()
                    .filter(|p| controller(p).as_deref() == Some(uid))
                    .map(|p| object::name(p).to_string())
                    .collect();
                let with_orphans: Vec<String> = api
                    .list(&pods, Some(ns))
                    .iter()
                    .filter(|p| controller(p).is_none() || controller(p).as_deref() == Some(uid))
                    .map(|p| object::name(p).to_string())
                    .collect();
                let names = |v: Vec<Arc<Value>>| -> Vec<String> {
                    v.iter().map(|p| object::name(p).to_string()).collect()
                };
                assert_eq!(
                    names(api.pods_for_controller(ns, uid, false)),
                    scan,
                    "{ns} {uid}"
                );
                assert_eq!(
                    names(api.pods_for_controller(ns, uid, true)),
                    with_orphans,
                    "{ns} {uid} with orphans"
                );
            }
        }
    };
    let stamps = |api: &ApiServer| {
        (
            api.controller_pods_stamp("default", "rs-a", false),
            api.controller_pods_stamp("default", "rs-a", true),
            api.controller_pods_stamp("default", "rs-b", false),
            api.ownership_stamp(),
        )
    };
    for (name, labels) in [("a1", "a"), ("o1", "a"), ("b1", "b"), ("o2", "x")] {
        let mut p = pod(name, json!({"app": labels}));
        if name != "o1" && name != "o2" {
            p["metadata"]["ownerReferences"] = owner(&format!("rs-{labels}"));
        }
        api.create(&pods, Some("default"), p, Time::EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    api.create(&pods, Some("dev"), pod("d1", json!({})), Time::EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    check(&api);
    let get = |api: &ApiServer, name: &str| {
        api.get(&pods, Some("default"), name)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // A status-like change of rs-a's pod: rs-a's stamps move, rs-b's and
    // the ownership stamp stay.
    let before = stamps(&api);
    let mut p = get(&api, "a1");
    p["metadata"]["labels"]["tier"] = json!("web");
    api.update(&pods, Some("default"), p)
        .unwrap_or_else(|e| panic!("{e}"));
    let after = stamps(&api);
    assert!(after.0 > before.0 && after.1 > before.1);
    assert_eq!((after.2, after.3), (before.2, before.3));
    check(&api);
    // Adoption of o1 by rs-a: the orphans' stamp and ownership move.
    let before = after;
    let mut p = get(&api, "o1");
    p["metadata"]["ownerReferences"] = owner("rs-a");
    api.update(&pods, Some("default"), p)
        .unwrap_or_else(|e| panic!("{e}"));
    let after = stamps(&api);
    assert!(after.0 > before.0 && after.3 > before.3);
    assert_eq!(after.2, before.2);
    check(&api);
    // Hand-over from rs-a to rs-b: both move.
    let before = after;
    let mut p = get(&api, "a1");
    p["metadata"]["ownerReferences"] = owner("rs-b");
    api.update(&pods, Some("default"), p)
        .unwrap_or_else(|e| panic!("{e}"));
    let after = stamps(&api);
    assert!(after.0 > before.0 && after.2 > before.2);
    check(&api);
    // Release: b1 becomes an orphan, so rs-a's orphan-inclusive stamp moves.
    let before = after;
    let mut p = get(&api, "b1");
    if let Some(m) = p["metadata"].as_object_mut() {
        m.remove("ownerReferences");
    }
    api.update(&pods, Some("default"), p)
        .unwrap_or_else(|e| panic!("{e}"));
    let after = stamps(&api);
    assert!(after.1 > before.1 && after.2 > before.2);
    assert_eq!(after.0, before.0, "rs-a's own pods did not change");
    check(&api);
    // Deletes (graceful pods go at once without a kubelet here or get a
    // deletionTimestamp: either way the indexes follow).
    for name in ["o1", "o2"] {
        api.delete(&pods, Some("default"), name)
            .unwrap_or_else(|e| panic!("{e}"));
        check(&api);
    }
    // Events: the index returns exactly the events about an object.
    for (name, about) in [("e1", "web"), ("e2", "db"), ("e3", "web")] {
        let e = json!({"metadata": {"name": name}, "involvedObject": {"kind": "Pod", "name": about},
            "reason": "Pulled", "message": "m"});
        api.create(&events, Some("default"), e, Time::EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let about = |api: &ApiServer, ns: &str, name: &str| -> Vec<String> {
        api.events_about(ns, name, None)
            .iter()
            .map(|e| object::name(e).to_string())
            .collect()
    };
    // The Events about `name` that may repeat the Event `like` (whose
    // repeat key they share); checked against a scan of the namespace.
    let repeating = |api: &ApiServer, name: &str, like: &str| -> Vec<String> {
        let like = api
            .get(&events, Some("default"), like)
            .unwrap_or_else(|e| panic!("{e}"));
        let repeat = crate::events::repeat_key_of(&like);
        let names = |v: &[Value]| -> Vec<String> {
            v.iter().map(|e| object::name(e).to_string()).collect()
        };
        let scan: Vec<Value> = api
            .list(&events, Some("default"))
            .into_iter()
            .filter(|e| e["involvedObject"]["name"] == name)
            .filter(|e| crate::events::repeat_key_of(e) == repeat)
            .collect();
        let found: Vec<Value> = api
            .events_about("default", name, Some(repeat))
            .iter()
            .map(|e| Value::clone(e))
            .collect();
        assert_eq!(names(&found), names(&scan), "{name} like {like}");
        names(&found)
    };
    let stamp = api.ownership_stamp();
    assert_eq!(about(&api, "default", "web"), ["e1", "e3"]);
    assert_eq!(about(&api, "dev", "web"), Vec::<String>::new());
    assert_eq!(repeating(&api, "web", "e1"), ["e1", "e3"]);
    assert_eq!(repeating(&api, "db", "e1"), Vec::<String>::new());
    assert_eq!(api.ownership_stamp(), stamp, "events do not count");
    // An event rewritten about another object moves between entries.
    let mut e = api
        .get(&events, Some("default"), "e3")
        .unwrap_or_else(|e| panic!("{e}"));
    e["involvedObject"]["name"] = json!("db");
    api.update(&events, Some("default"), e)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(about(&api, "default", "web"), ["e1"]);
    assert_eq!(about(&api, "default", "db"), ["e2", "e3"]);
    assert_eq!(repeating(&api, "db", "e2"), ["e2", "e3"]);
    // An event rewritten with another reason takes another repeat key.
    let mut e = api
        .get(&events, Some("default"), "e2")
        .unwrap_or_else(|e| panic!("{e}"));
    e["reason"] = json!("Pulling");
    api.update(&events, Some("default"), e)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(repeating(&api, "db", "e3"), ["e3"]);
    assert_eq!(repeating(&api, "db", "e2"), ["e2"]);
    assert_eq!(about(&api, "default", "db"), ["e2", "e3"]);
    api.delete(&events, Some("default"), "e2")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(about(&api, "default", "db"), ["e3"]);
    assert_eq!(repeating(&api, "db", "e3"), ["e3"]);
    // After a compaction, an Event that moves leaves the entry it was
    // filed in (found again from its value before, which compaction keeps).
    let rev = api.store().revision();
    api.etcd_compact(rev).unwrap_or_else(|e| panic!("{e:?}"));
    let mut e = api
        .get(&events, Some("default"), "e1")
        .unwrap_or_else(|e| panic!("{e}"));
    e["involvedObject"]["name"] = json!("db");
    api.update(&events, Some("default"), e)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(about(&api, "default", "web"), Vec::<String>::new());
    assert_eq!(about(&api, "default", "db"), ["e1", "e3"]);
    assert_eq!(repeating(&api, "db", "e3"), ["e1", "e3"]);
    // Bytes that are not JSON, put with etcdctl: about no object, until
    // they go.
    api.etcd_put("/registry/events/default/raw", b"not json".to_vec());
    assert_eq!(about(&api, "default", ""), [""]);
    api.etcd_delete("/registry/events/default/raw", false);
    assert_eq!(about(&api, "default", ""), Vec::<String>::new());
    // A restore rebuilds every index, and every stamp moves.
    let before = stamps(&api);
    let same = Store::restore(&api.store().snapshot()).unwrap_or_else(|e| panic!("{e:?}"));
    api.etcd_replace(same);
    check(&api);
    assert_eq!(about(&api, "default", "db"), ["e1", "e3"]);
    assert_eq!(repeating(&api, "db", "e3"), ["e1", "e3"]);
    let after = stamps(&api);
    assert!(after.0 > before.0 && after.1 > before.1 && after.2 > before.2 && after.3 > before.3);
}
