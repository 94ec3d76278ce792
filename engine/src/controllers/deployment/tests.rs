use super::super::replicaset::{Kind, ReplicaSetController};
use super::super::util::testing::*;
use super::*;

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

struct World {
    api: crate::apiserver::ApiServer,
    rs: ReplicaSetController,
    dc: DeploymentController,
    now: Time,
    ip: u32,
}

impl World {
    fn new() -> Self {
        let mut api = api();
        apply(&mut api, "deployments", DEPLOY, Time::EPOCH);
        let mut w = World {
            api,
            rs: ReplicaSetController::new(Kind::ReplicaSet),
            dc: DeploymentController::new(),
            now: Time::EPOCH,
            ip: 2,
        };
        w.settle();
        w
    }
    fn settle(&mut self) {
        settle(&mut self.api, &mut [&mut self.rs, &mut self.dc], self.now);
    }
    fn tick(&mut self, secs: i64) {
        self.now = self.now + Duration::from_secs(secs);
        self.settle();
    }
    /// Runs every pod that is not yet running and confirms the deletion
    /// of terminating ones (a kubelet's work).
    fn run_all(&mut self) {
        for p in util::list(&self.api, "pods", Some("default")) {
            if util::is_deleting(&p) {
                util::delete(&mut self.api, "pods", Some("default"), object::name(&p));
            } else if util::phase(&p) != "Running" {
                self.ip += 1;
                run_pod(
                    &mut self.api,
                    "default",
                    object::name(&p),
                    "node01",
                    &format!("10.244.1.{}", self.ip),
                    self.now,
                );
            }
        }
        self.tick(1);
    }
    fn rs(&self) -> Vec<(String, i64, String)> {
        util::list(&self.api, "replicasets", Some("default"))
            .iter()
            .map(|r| {
                (
                    object::name(r).to_string(),
                    replicas(r),
                    revision(r).to_string(),
                )
            })
            .collect()
    }
    fn deploy(&self) -> Value {
        util::get(&self.api, "deployments", Some("default"), "web").unwrap_or_default()
    }
    fn set_image(&mut self, image: &str) {
        let mut d = self.deploy();
        d["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
        util::update(&mut self.api, "deployments", d);
        self.tick(1);
    }
}

#[test]
fn creates_a_hashed_replicaset_and_reports_status() {
    let mut w = World::new();
    let rs = w.rs();
    assert_eq!(rs.len(), 1);
    let (name, n, rev) = &rs[0];
    assert!(name.starts_with("web-") && name.len() > 8, "{name}");
    assert_eq!((*n, rev.as_str()), (3, "1"));
    assert_eq!(names(&w.api, "pods", "default").len(), 3);
    let ev = events(&w.api, "default");
    assert!(
        ev.contains(&format!(
            "ScalingReplicaSet Scaled up replica set {name} from 0 to 3"
        )),
        "{ev:?}"
    );
    let d = w.deploy();
    assert_eq!(
        d["status"]["conditions"][0]["message"],
        "Deployment does not have minimum availability."
    );
    assert_eq!(
        d["status"]["conditions"][1]["message"],
        format!("ReplicaSet \"{name}\" is progressing.")
    );
    w.run_all();
    let d = w.deploy();
    assert_eq!(d["metadata"]["annotations"][REVISION], "1");
    assert_eq!(d["status"]["availableReplicas"], 3);
    assert_eq!(d["status"]["updatedReplicas"], 3);
    let conds = d["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(conds[0]["reason"], "MinimumReplicasAvailable");
    assert_eq!(
        conds[1]["message"],
        format!("ReplicaSet \"{name}\" has successfully progressed.")
    );
    // Idempotent: nothing more to write.
    let rev = w.api.store().revision();
    w.tick(30);
    assert_eq!(w.api.store().revision(), rev);
}

#[test]
fn hash_is_stable_across_clusters() {
    let a = World::new().rs();
    let b = World::new().rs();
    assert_eq!(a, b);
}

#[test]
fn rolling_update_then_rollback() {
    let mut w = World::new();
    w.run_all();
    let first = w.rs()[0].0.clone();
    w.set_image("nginx:1.28");
    // maxSurge 25% of 3 → 1 up; maxUnavailable 25% of 3 → 0.
    let rs = w.rs();
    assert_eq!(rs.len(), 2);
    let second = rs
        .iter()
        .find(|r| r.0 != first)
        .map(|r| r.0.clone())
        .unwrap_or_default();
    assert!(rs.contains(&(first.clone(), 3, "1".into())), "{rs:?}");
    assert!(rs.contains(&(second.clone(), 1, "2".into())), "{rs:?}");
    for _ in 0..6 {
        w.run_all();
    }
    let rs = w.rs();
    assert!(rs.contains(&(first.clone(), 0, "1".into())), "{rs:?}");
    assert!(rs.contains(&(second.clone(), 3, "2".into())), "{rs:?}");
    let d = w.deploy();
    assert_eq!(d["metadata"]["annotations"][REVISION], "2");
    assert_eq!(d["status"]["replicas"], 3);
    let ev = events(&w.api, "default");
    assert!(
        ev.contains(&format!(
            "ScalingReplicaSet Scaled down replica set {first} from 3 to 2"
        )),
        "{ev:?}"
    );
    // Rollback: the template goes back; the first ReplicaSet becomes revision 3.
    w.set_image("nginx:1.27");
    for _ in 0..6 {
        w.run_all();
    }
    let rs = w.rs();
    assert!(rs.contains(&(first.clone(), 3, "3".into())), "{rs:?}");
    assert!(rs.contains(&(second.clone(), 0, "2".into())), "{rs:?}");
    let r1 = util::get(&w.api, "replicasets", Some("default"), &first).unwrap_or_default();
    assert_eq!(r1["metadata"]["annotations"][REVISION_HISTORY], "1");
}

#[test]
fn recreate_scales_old_down_first() {
    let mut w = World::new();
    let mut d = w.deploy();
    d["spec"]["strategy"] = json!({"type": "Recreate"});
    util::update(&mut w.api, "deployments", d);
    w.run_all();
    w.set_image("nginx:1.28");
    // The old pods terminate first; no new ReplicaSet while they do.
    let rs = w.rs();
    assert_eq!(rs.len(), 1, "{rs:?}");
    assert_eq!(rs[0].1, 0);
    let pods = util::list(&w.api, "pods", Some("default"));
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|p| util::is_deleting(p)));
    w.run_all();
    let rs = w.rs();
    assert!(rs.iter().all(|r| r.1 == 3 || r.1 == 0), "{rs:?}");
    assert_eq!(rs.iter().map(|r| r.1).sum::<i64>(), 3);
    assert_eq!(rs.len(), 2);
}

#[test]
fn progress_deadline_exceeded() {
    let mut w = World::new();
    let mut d = w.deploy();
    d["spec"]["progressDeadlineSeconds"] = json!(60);
    util::update(&mut w.api, "deployments", d);
    w.tick(1);
    let wake = w.dc.next_wakeup(w.now);
    assert!(wake.is_some());
    w.tick(62);
    let d = w.deploy();
    let p = util::condition(&d, "Progressing")
        .cloned()
        .unwrap_or_default();
    assert_eq!(p["reason"], "ProgressDeadlineExceeded");
    assert!(p["message"]
        .as_str()
        .unwrap_or("")
        .ends_with("has timed out progressing."));
}

/// A Deployment waiting on its progress deadline is quiet: its syncs are
/// skipped and its wake-up still asked; a sync half a second past the
/// deadline (another object's change brought it), before that wake-up,
/// times out there, as before the skip.
#[test]
fn a_deployment_waiting_on_its_deadline_is_quiet_until_it_passes() {
    let mut w = World::new();
    let mut d = w.deploy();
    d["spec"]["progressDeadlineSeconds"] = json!(60);
    util::update(&mut w.api, "deployments", d);
    w.tick(1);
    let progressing = |w: &World| {
        util::condition(&w.deploy(), "Progressing")
            .cloned()
            .unwrap_or_default()
    };
    let from = progressing(&w)["lastUpdateTime"]
        .as_str()
        .and_then(Time::parse_rfc3339)
        .unwrap_or_else(|| panic!("no lastUpdateTime"));
    let wake = w.dc.next_wakeup(w.now);
    assert_eq!(wake, Some(from + Duration::from_secs(61)));
    let uid = util::uid(&w.deploy()).to_string();
    for _ in 0..5 {
        w.tick(10);
        assert!(w.dc.quiet.contains_key(&uid), "skipped while waiting");
        assert_eq!(w.dc.next_wakeup(w.now), wake, "and still asks its wake-up");
        assert_eq!(progressing(&w)["reason"], "ReplicaSetUpdated");
    }
    w.now = from + Duration::from_secs(60) + Duration::from_millis(500);
    w.settle();
    let p = progressing(&w);
    assert_eq!(p["reason"], "ProgressDeadlineExceeded");
    assert_eq!(p["lastUpdateTime"], json!(w.now.rfc3339()));
}

#[test]
fn paused_deployment_does_not_roll() {
    let mut w = World::new();
    w.run_all();
    let mut d = w.deploy();
    d["spec"]["paused"] = json!(true);
    util::update(&mut w.api, "deployments", d);
    w.tick(1);
    w.set_image("nginx:1.28");
    assert_eq!(w.rs().len(), 1);
    let d = w.deploy();
    assert_eq!(
        util::condition(&d, "Progressing").map(|c| c["reason"].clone()),
        Some(json!("DeploymentPaused"))
    );
    let mut d = w.deploy();
    d["spec"]["paused"] = json!(false);
    util::update(&mut w.api, "deployments", d);
    w.tick(1);
    assert_eq!(w.rs().len(), 2);
}

impl World {
    /// One step of a kubelet's work: the oldest terminating pod goes, or
    /// else one waiting pod starts running.
    fn kubelet_step(&mut self) -> bool {
        let pods = util::list(&self.api, "pods", Some("default"));
        if let Some(p) = pods.iter().find(|p| util::is_deleting(p)) {
            util::delete(&mut self.api, "pods", Some("default"), object::name(p));
        } else if let Some(p) = pods.iter().find(|p| util::phase(p) != "Running") {
            self.ip += 1;
            run_pod(
                &mut self.api,
                "default",
                object::name(p),
                "node01",
                &format!("10.244.1.{}", self.ip),
                self.now,
            );
        } else {
            return false;
        }
        self.tick(1);
        true
    }
    /// Pods per ReplicaSet that are not terminating, as (old, new), and how
    /// many of them run.
    fn counts(&self, old: &str) -> (usize, usize, usize) {
        let pods: Vec<std::sync::Arc<Value>> = util::list(&self.api, "pods", Some("default"))
            .into_iter()
            .filter(|p| !util::is_deleting(p))
            .collect();
        let in_old = pods
            .iter()
            .filter(|p| object::name(p).starts_with(&format!("{old}-")))
            .count();
        let running = pods.iter().filter(|p| util::phase(p) == "Running").count();
        (in_old, pods.len() - in_old, running)
    }
}

/// Four replicas, maxSurge and maxUnavailable 25 % (1 each): the rollout
/// never has more than 5 pods nor fewer than 3 available, and walks the
/// same steps as kube-controller-manager v1.33.
#[test]
fn rolling_update_respects_surge_and_unavailable_at_every_step() {
    let mut w = World::new();
    let mut d = w.deploy();
    d["spec"]["replicas"] = json!(4);
    util::update(&mut w.api, "deployments", d);
    w.tick(1);
    w.run_all();
    let old = w.rs()[0].0.clone();
    assert_eq!(w.counts(&old), (4, 0, 4));
    w.set_image("nginx:1.28");
    let mut steps = vec![w.counts(&old)];
    while w.kubelet_step() {
        steps.push(w.counts(&old));
    }
    for (old_n, new_n, running) in &steps {
        assert!(old_n + new_n <= 5, "more than 5 pods: {steps:?}");
        assert!(*running >= 3, "fewer than 3 available: {steps:?}");
    }
    // (old, new, running), terminating pods not counted: the surge pod and
    // one old pod's deletion come first; each new pod that becomes
    // available lets one more old pod go and one more new pod come (the
    // controller counts ReplicaSets' spec.replicas, so a terminating pod
    // no longer holds a place).
    assert_eq!(
        steps,
        vec![
            (3, 2, 3),
            (3, 2, 3),
            (2, 3, 3),
            (2, 3, 3),
            (1, 4, 3),
            (1, 4, 3),
            (0, 4, 3),
            (0, 4, 3),
            (0, 4, 4),
        ],
        "{steps:?}"
    );
    let new = w
        .rs()
        .into_iter()
        .find(|r| r.0 != old)
        .unwrap_or_default()
        .0;
    let ev: Vec<String> = events(&w.api, "default")
        .into_iter()
        .filter(|e| e.starts_with("ScalingReplicaSet"))
        .collect();
    assert_eq!(
        ev,
        vec![
            format!("ScalingReplicaSet Scaled up replica set {old} from 0 to 3"),
            format!("ScalingReplicaSet Scaled up replica set {old} from 3 to 4"),
            format!("ScalingReplicaSet Scaled up replica set {new} from 0 to 1"),
            format!("ScalingReplicaSet Scaled down replica set {old} from 4 to 3"),
            format!("ScalingReplicaSet Scaled up replica set {new} from 1 to 2"),
            format!("ScalingReplicaSet Scaled down replica set {old} from 3 to 2"),
            format!("ScalingReplicaSet Scaled up replica set {new} from 2 to 3"),
            format!("ScalingReplicaSet Scaled down replica set {old} from 2 to 1"),
            format!("ScalingReplicaSet Scaled up replica set {new} from 3 to 4"),
            format!("ScalingReplicaSet Scaled down replica set {old} from 1 to 0"),
        ]
    );
}

/// Recreate: every old pod is gone before the first new one exists.
#[test]
fn recreate_never_mixes_old_and_new_pods() {
    let mut w = World::new();
    let mut d = w.deploy();
    d["spec"]["strategy"] = json!({"type": "Recreate"});
    util::update(&mut w.api, "deployments", d);
    w.tick(1);
    w.run_all();
    let old = w.rs()[0].0.clone();
    w.set_image("nginx:1.28");
    let mut steps = vec![w.counts(&old)];
    while w.kubelet_step() {
        steps.push(w.counts(&old));
    }
    assert!(
        steps.iter().all(|(o, n, _)| *o == 0 || *n == 0),
        "{steps:?}"
    );
    assert_eq!(steps.first(), Some(&(0, 0, 0)));
    assert_eq!(steps.last(), Some(&(0, 3, 3)));
}

/// `kubectl annotate deploy web kubernetes.io/change-cause=…` after `set
/// image` still names the new revision in `rollout history`.
#[test]
fn change_cause_follows_to_the_new_replicaset() {
    let mut w = World::new();
    w.run_all();
    w.set_image("nginx:1.28");
    let mut d = w.deploy();
    d["metadata"]["annotations"]["kubernetes.io/change-cause"] = json!("image 1.28");
    util::update(&mut w.api, "deployments", d);
    w.tick(1);
    let rs = util::list(&w.api, "replicasets", Some("default"));
    let causes: Vec<(String, Value)> = rs
        .iter()
        .map(|r| {
            (
                revision(r).to_string(),
                r["metadata"]["annotations"]["kubernetes.io/change-cause"].clone(),
            )
        })
        .collect();
    assert!(
        causes.contains(&("2".into(), json!("image 1.28"))),
        "{causes:?}"
    );
    assert!(causes.contains(&("1".into(), Value::Null)), "{causes:?}");
}
