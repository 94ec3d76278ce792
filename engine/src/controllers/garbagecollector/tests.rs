use super::super::replicaset::{Kind, ReplicaSetController};
use super::super::util::testing::*;
use super::*;

const RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";

fn setup() -> (
    crate::apiserver::ApiServer,
    ReplicaSetController,
    GarbageCollector,
) {
    let mut api = api();
    apply(&mut api, "replicasets", RS, Time::EPOCH);
    let mut rs = ReplicaSetController::new(Kind::ReplicaSet);
    let mut gc = GarbageCollector::new();
    settle(&mut api, &mut [&mut rs, &mut gc], Time::EPOCH);
    assert_eq!(names(&api, "pods", "default").len(), 2);
    (api, rs, gc)
}

fn delete_rs(api: &mut crate::apiserver::ApiServer, policy: Propagation) {
    let r = util::res("replicasets").unwrap_or_else(|| panic!("rs"));
    api.delete_with(
        &r,
        Some("default"),
        "web",
        DeleteOptions {
            propagation_policy: Some(policy),
            ..Default::default()
        },
        Time::EPOCH,
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn background_deletes_the_dependents() {
    let (mut api, mut rs, mut gc) = setup();
    delete_rs(&mut api, Propagation::Background);
    settle(&mut api, &mut [&mut rs, &mut gc], Time::EPOCH);
    assert!(names(&api, "pods", "default").is_empty());
}

#[test]
fn orphan_leaves_the_pods_without_owner() {
    let (mut api, mut rs, mut gc) = setup();
    delete_rs(&mut api, Propagation::Orphan);
    settle(&mut api, &mut [&mut rs, &mut gc], Time::EPOCH);
    assert!(names(&api, "replicasets", "default").is_empty());
    let pods = util::list(&api, "pods", Some("default"));
    assert_eq!(pods.len(), 2);
    assert!(pods
        .iter()
        .all(|p| p["metadata"].get("ownerReferences").is_none()));
}

#[test]
fn foreground_waits_for_the_pods() {
    let (mut api, mut rs, mut gc) = setup();
    // Bound pods terminate gracefully: the owner waits for them.
    for (i, p) in names(&api, "pods", "default").iter().enumerate() {
        run_pod(
            &mut api,
            "default",
            p,
            "node01",
            &format!("10.244.1.{i}"),
            Time::EPOCH,
        );
    }
    delete_rs(&mut api, Propagation::Foreground);
    settle(&mut api, &mut [&mut rs, &mut gc], Time::EPOCH);
    let owner = util::get(&api, "replicasets", Some("default"), "web").unwrap_or_default();
    assert_eq!(
        owner["metadata"]["finalizers"],
        json!(["foregroundDeletion"])
    );
    let pods = util::list(&api, "pods", Some("default"));
    assert_eq!(pods.len(), 2);
    assert!(pods.iter().all(|p| util::is_deleting(p)));
    // The kubelet confirms both: the owner goes.
    for p in names(&api, "pods", "default") {
        util::delete(&mut api, "pods", Some("default"), &p);
    }
    settle(&mut api, &mut [&mut rs, &mut gc], Time::EPOCH);
    assert!(names(&api, "replicasets", "default").is_empty());
}

#[test]
fn dangling_reference_is_dropped_when_another_owner_remains() {
    let mut api = api();
    let cm = apply(
        &mut api,
        "configmaps",
        "metadata:\n  name: owner\n",
        Time::EPOCH,
    );
    let uid = util::uid(&cm).to_string();
    apply(
        &mut api,
        "configmaps",
        &format!("metadata:\n  name: dep\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: owner\n    uid: {uid}\n  - apiVersion: v1\n    kind: ConfigMap\n    name: gone\n    uid: 00000000-0000-0000-0000-000000000000\n"),
        Time::EPOCH,
    );
    let mut gc = GarbageCollector::new();
    settle(&mut api, &mut [&mut gc], Time::EPOCH);
    let dep = util::get(&api, "configmaps", Some("default"), "dep").unwrap_or_default();
    assert_eq!(
        dep["metadata"]["ownerReferences"].as_array().map(Vec::len),
        Some(1)
    );
    util::delete(&mut api, "configmaps", Some("default"), "owner");
    settle(&mut api, &mut [&mut gc], Time::EPOCH);
    assert!(util::get(&api, "configmaps", Some("default"), "dep").is_none());
}

/// The collector, quiet through an idle stretch of a whole cluster (its
/// passes skipped, the dependents map not built), still collects an
/// object whose owner is gone, and still orphans the dependents of an
/// owner deleted with `propagationPolicy: Orphan`.
#[test]
fn after_an_idle_stretch_the_collector_still_sees_ownership() {
    let mut c = crate::cluster::Cluster::new(1);
    c.step(crate::clock::Duration::from_secs(600));
    let now = c.now();
    let owner = util::create(
        &mut c.apiserver,
        "configmaps",
        Some("default"),
        json!({"metadata": {"name": "owner"}}),
        now,
    )
    .unwrap_or_else(|| panic!("owner"));
    let owned_by = |name: &str, uid: &str| {
        json!({"metadata": {"name": name, "ownerReferences": [
            {"apiVersion": "v1", "kind": "ConfigMap", "name": name, "uid": uid}]}})
    };
    let mut kept = owned_by("owner", util::uid(&owner));
    kept["metadata"]["name"] = json!("kept");
    util::create(&mut c.apiserver, "configmaps", Some("default"), kept, now);
    let orphan = owned_by("gone", "00000000-0000-0000-0000-000000000000");
    util::create(&mut c.apiserver, "configmaps", Some("default"), orphan, now);
    c.settle();
    assert!(util::get(&c.apiserver, "configmaps", Some("default"), "gone").is_none());
    assert!(util::get(&c.apiserver, "configmaps", Some("default"), "kept").is_some());
    c.step(crate::clock::Duration::from_secs(600));
    let r = util::res("configmaps").unwrap_or_else(|| panic!("configmaps"));
    let now = c.now();
    c.apiserver
        .delete_with(
            &r,
            Some("default"),
            "owner",
            DeleteOptions {
                propagation_policy: Some(Propagation::Orphan),
                ..Default::default()
            },
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    c.settle();
    assert!(util::get(&c.apiserver, "configmaps", Some("default"), "owner").is_none());
    let kept = util::get(&c.apiserver, "configmaps", Some("default"), "kept")
        .unwrap_or_else(|| panic!("kept is orphaned, not deleted"));
    assert!(kept["metadata"].get("ownerReferences").is_none(), "{kept}");
}
