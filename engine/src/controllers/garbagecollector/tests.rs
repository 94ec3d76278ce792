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

fn configmap(name: &str, owners: &[(&str, &str)]) -> serde_json::Value {
    let refs: Vec<serde_json::Value> = owners
        .iter()
        .map(|(n, uid)| json!({"apiVersion": "v1", "kind": "ConfigMap", "name": n, "uid": uid}))
        .collect();
    let mut cm = json!({"metadata": {"name": name}});
    if !refs.is_empty() {
        cm["metadata"]["ownerReferences"] = json!(refs);
    }
    cm
}

fn put(api: &mut crate::apiserver::ApiServer, cm: serde_json::Value) -> String {
    util::create(api, "configmaps", Some("default"), cm, Time::EPOCH)
        .map(|o| util::uid(&o).to_string())
        .unwrap_or_else(|| panic!("create"))
}

fn exists(api: &crate::apiserver::ApiServer, name: &str) -> bool {
    util::get(api, "configmaps", Some("default"), name).is_some()
}

/// The graph follows the store's changes: a pass after one change looks
/// at the nodes it concerns, not at every object, and still deletes a
/// dependent whenever its owner goes — deleted, or replaced by an object
/// of the same name and another uid — and keeps one whose owner stays.
/// (Every pass in a test build also checks the graph against a listing
/// and its requests against a pass over every object.)
#[test]
fn the_graph_follows_the_changes() {
    let mut api = api();
    let mut gc = GarbageCollector::new();
    for i in 0..20 {
        put(&mut api, configmap(&format!("other-{i}"), &[]));
    }
    let a = put(&mut api, configmap("a", &[]));
    let b = put(&mut api, configmap("b", &[]));
    put(&mut api, configmap("a-dep", &[("a", &a)]));
    put(&mut api, configmap("b-dep", &[("b", &b)]));
    put(&mut api, configmap("both", &[("a", &a), ("b", &b)]));
    settle(&mut api, &mut [&mut gc], Time::EPOCH);
    let all = gc.graph.as_ref().map_or(0, |g| g.nodes.len());
    assert!(all > 20, "{all} objects");
    assert_eq!(gc.listings, 1);

    // The owner goes: its dependents are looked at, and one goes.
    util::delete(&mut api, "configmaps", Some("default"), "a");
    settle(&mut api, &mut [&mut gc], Time::EPOCH);
    assert!(!exists(&api, "a-dep"));
    assert!(exists(&api, "b-dep"));
    let both = util::get(&api, "configmaps", Some("default"), "both").unwrap_or_default();
    assert_eq!(
        both["metadata"]["ownerReferences"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(gc.looked_at < 5, "looked at {} of {all}", gc.looked_at);

    // Replaced under the same name: the reference names the old uid.
    util::delete(&mut api, "configmaps", Some("default"), "b");
    put(&mut api, configmap("b", &[]));
    settle(&mut api, &mut [&mut gc], Time::EPOCH);
    assert!(!exists(&api, "b-dep") && !exists(&api, "both"));

    // An owner and a dependent made while the collector was quiet.
    let c = put(&mut api, configmap("c", &[]));
    put(&mut api, configmap("c-dep", &[("c", &c)]));
    settle(&mut api, &mut [&mut gc], Time::EPOCH);
    assert!(exists(&api, "c-dep"));
    assert_eq!(gc.listings, 1, "followed the changes so far");
    // More changes than the apiserver's journal keeps: the graph is
    // listed again, and the collector still sees the owner gone.
    util::delete(&mut api, "configmaps", Some("default"), "c");
    for i in 0..1100 {
        put(&mut api, configmap(&format!("filler-{i}"), &[]));
    }
    settle(&mut api, &mut [&mut gc], Time::EPOCH);
    assert!(!exists(&api, "c-dep"));
    assert_eq!(gc.listings, 2, "listed again");
}

/// In a cluster, the owner of running pods deleted at any moment — just
/// created, mid-rollout, long settled — takes them with it (each pass
/// checked against a pass over every object in test builds).
#[test]
fn dependents_go_whenever_the_owner_is_deleted() {
    use crate::clock::Duration;
    for wait in [0, 1, 3, 30] {
        let mut c = crate::cluster::Cluster::new(1);
        c.step(Duration::from_secs(5));
        let now = c.now();
        let rs = crate::yaml::parse_documents(RS)
            .ok()
            .and_then(|d| d.into_iter().next())
            .unwrap_or_default();
        util::create(&mut c.apiserver, "replicasets", Some("default"), rs, now);
        c.step(Duration::from_secs(wait));
        let r = util::res("replicasets").unwrap_or_else(|| panic!("rs"));
        let now = c.now();
        c.apiserver
            .delete_with(&r, Some("default"), "web", DeleteOptions::default(), now)
            .unwrap_or_else(|e| panic!("{e}"));
        c.step(Duration::from_secs(40));
        assert!(
            names(&c.apiserver, "pods", "default").is_empty(),
            "deleted after {wait} s: {:?}",
            names(&c.apiserver, "pods", "default")
        );
    }
}
