// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The Job controller (`pkg/controller/job`): pods up to `parallelism` until
//! `completions` succeed; failures counted against `backoffLimit` with the
//! exponential re-creation delay (10 s doubling, at most 6 min);
//! `activeDeadlineSeconds`; the v1.33 terminal conditions — `SuccessCriteriaMet`
//! / `FailureTarget` first, then `Complete` / `Failed` once no pod is left running.

use super::util::{self, event};
use super::workqueue::RateLimiter;
use crate::api::object;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

const COMPONENT: &str = "job-controller";
const BACKOFF_BASE: i64 = 10;
const BACKOFF_MAX: i64 = 360;

#[derive(Debug)]
pub struct JobController {
    wakeup: Option<Time>,
    /// A sync whose pod creation failed (a quota, admission) is retried
    /// with the controller's API back-off, `DefaultJobApiBackOff` 1 s
    /// doubling to `MaxJobApiBackOff` 1 min, not at every sync.
    api_backoff: RateLimiter,
    /// Terminated pods already counted in a Job's status, by Job uid (the
    /// upstream controller's `uncountedTerminatedPods` bookkeeping).
    counted: BTreeMap<String, BTreeSet<String>>,
    /// The uids of the Jobs at the last sync: the pods they control
    /// concern it.
    owners: BTreeSet<String>,
    /// By Job uid: what its last sync read, when that sync sent no
    /// request, recorded no event and asked no wake-up (a finished Job's,
    /// or a running one's between its pods' changes).
    quiet: crate::maps::BoxedMap<Read>,
}

/// What one Job's sync reads: the Job and the pods it controls, the watch
/// cache's objects themselves (a changed object is another one). With
/// these the same, a sync from a quiet one's would be quiet too (its
/// other inputs, the clock and the API back-off, matter only where it
/// asks a wake-up or writes), and is skipped, as the real controller's
/// queue holds only the Jobs an informer's event touched.
#[derive(Debug)]
struct Read {
    job: Arc<Value>,
    pods: Vec<Arc<Value>>,
}

impl Read {
    fn of(api: &crate::apiserver::ApiServer, job: &Arc<Value>) -> Read {
        let ns = object::namespace(job).unwrap_or("default");
        Read {
            job: Arc::clone(job),
            pods: util::pods_controlled_by(api, ns, job),
        }
    }

    fn same(&self, other: &Read) -> bool {
        Arc::ptr_eq(&self.job, &other.job) && util::same_objects(&self.pods, &other.pods)
    }
}

impl Default for JobController {
    fn default() -> Self {
        JobController {
            wakeup: None,
            api_backoff: RateLimiter::new(Duration::from_secs(1), Duration::from_secs(60)),
            counted: BTreeMap::new(),
            owners: BTreeSet::new(),
            quiet: BTreeMap::new(),
        }
    }
}

impl JobController {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Component for JobController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }
    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        self.wakeup = None;
        let jobs = util::list(ctx.api, "jobs", None);
        let live: BTreeSet<String> =
            crate::sort::set(jobs.iter().map(|j| util::uid(j).to_string()));
        self.counted.retain(|k, _| live.contains(k));
        self.api_backoff.retain(|k| live.contains(k));
        self.owners = live;
        let mut quiet = BTreeMap::new();
        for job in jobs {
            let uid = util::uid(&job).to_string();
            let read = Read::of(ctx.api, &job);
            if self.quiet.get(&uid).is_some_and(|q| q.same(&read)) {
                quiet.insert(uid, Box::new(read));
                continue;
            }
            let before = util::Footprint::of(ctx);
            let wakeup = self.wakeup.take();
            self.sync_one(ctx, Arc::unwrap_or_clone(job));
            let asked = self.wakeup.is_some();
            self.wakeup = util::earliest(wakeup, self.wakeup);
            if !asked && util::Footprint::of(ctx) == before {
                quiet.insert(uid, Box::new(read));
            }
        }
        self.quiet = quiet;
    }
    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }

    /// It reads the Jobs and the pods they control (it adopts none).
    fn concerns(
        &self,
        _api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        if util::is_change_of(change, "pods") {
            return util::pod_change_concerns(change, &self.owners, false);
        }
        util::is_change_of(change, "jobs")
    }
}

pub fn is_finished(job: &Value) -> Option<&'static str> {
    if util::condition_true(job, "Complete") {
        Some("Complete")
    } else if util::condition_true(job, "Failed") {
        Some("Failed")
    } else {
        None
    }
}

fn job_condition(type_: &str, reason: &str, message: &str, now: Time) -> Value {
    json!({
        "lastProbeTime": now.rfc3339(),
        "lastTransitionTime": now.rfc3339(),
        "message": message,
        "reason": reason,
        "status": "True",
        "type": type_,
    })
}

fn pod_finished_at(pod: &Value) -> Option<Time> {
    object::at(pod, "status.containerStatuses")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(|c| {
            c.pointer("/state/terminated/finishedAt")
                .and_then(Value::as_str)
                .and_then(Time::parse_rfc3339)
        })
        .max()
}

impl JobController {
    fn sync_one(&mut self, ctx: &mut SyncContext<'_>, job: Value) {
        let ns = object::namespace(&job).unwrap_or("default").to_string();
        let name = object::name(&job).to_string();
        let job_uid = util::uid(&job).to_string();
        let pods: Vec<Arc<Value>> = util::pods_controlled_by(ctx.api, &ns, &job);
        let finished = is_finished(&job);
        let mut status = object::at(&job, "status")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(json!({}));
        let mut succeeded = util::i64_at(&job, "status.succeeded").unwrap_or(0);
        let mut failed = util::i64_at(&job, "status.failed").unwrap_or(0);
        let counted = self.counted.entry(job_uid.clone()).or_default();
        let mut last_failure: Option<Time> = None;
        for p in &pods {
            let puid = util::uid(p).to_string();
            match util::phase(p) {
                "Succeeded" if !counted.contains(&puid) && finished.is_none() => {
                    counted.insert(puid);
                    succeeded += 1;
                }
                "Failed" if !counted.contains(&puid) && finished.is_none() => {
                    counted.insert(puid);
                    failed += 1;
                }
                _ => {}
            }
            if util::phase(p) == "Failed" {
                let t = pod_finished_at(p).unwrap_or_else(|| util::created(p));
                last_failure = Some(last_failure.map_or(t, |l: Time| l.max(t)));
            }
        }
        let active: Vec<&Value> = pods
            .iter()
            .filter(|p| util::pod_active(p))
            .map(|p| &**p)
            .collect();
        let terminating = pods
            .iter()
            .filter(|p| util::is_deleting(p) && !matches!(util::phase(p), "Succeeded" | "Failed"))
            .count();
        let ready = active.iter().filter(|p| util::pod_ready(p)).count();
        let suspended = object::at(&job, "spec.suspend").and_then(Value::as_bool) == Some(true);
        let parallelism = util::i64_at(&job, "spec.parallelism").unwrap_or(1).max(0);
        let completions = util::i64_at(&job, "spec.completions");
        let backoff_limit = util::i64_at(&job, "spec.backoffLimit").unwrap_or(6);
        let mut conds: Vec<Value> = status
            .get("conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let has = |conds: &[Value], t: &str| {
            conds
                .iter()
                .any(|c| c["type"] == t && c["status"] == "True")
        };
        if finished.is_none() && !suspended && status.get("startTime").is_none() {
            status["startTime"] = json!(ctx.now.rfc3339());
        }
        if finished.is_none() {
            // Decide success or failure.
            let success = match completions {
                Some(c) => succeeded >= c,
                None => succeeded > 0 && active.is_empty(),
            };
            let start = status
                .get("startTime")
                .and_then(Value::as_str)
                .and_then(Time::parse_rfc3339);
            let deadline = util::i64_at(&job, "spec.activeDeadlineSeconds")
                .and_then(|s| start.map(|t| t + Duration::from_secs(s)));
            if !has(&conds, "SuccessCriteriaMet") && !has(&conds, "FailureTarget") {
                if success {
                    conds.push(job_condition(
                        "SuccessCriteriaMet",
                        "CompletionsReached",
                        "Reached expected number of succeeded pods",
                        ctx.now,
                    ));
                } else if failed > backoff_limit {
                    conds.push(job_condition(
                        "FailureTarget",
                        "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit",
                        ctx.now,
                    ));
                } else if deadline.is_some_and(|d| ctx.now >= d) {
                    conds.push(job_condition(
                        "FailureTarget",
                        "DeadlineExceeded",
                        "Job was active longer than specified deadline",
                        ctx.now,
                    ));
                } else if let Some(d) = deadline {
                    self.wakeup = util::earliest(self.wakeup, Some(d));
                }
            }
            let terminal = has(&conds, "SuccessCriteriaMet") || has(&conds, "FailureTarget");
            if terminal {
                // Remaining pods go; the final condition waits for them.
                for p in &active {
                    util::delete_pod(ctx.api, &ns, object::name(p), ctx.now);
                }
                let target = conds
                    .iter()
                    .find(|c| {
                        matches!(
                            c["type"].as_str(),
                            Some("SuccessCriteriaMet" | "FailureTarget")
                        )
                    })
                    .cloned()
                    .unwrap_or_default();
                if has(&conds, "SuccessCriteriaMet") {
                    conds.push(job_condition(
                        "Complete",
                        target["reason"].as_str().unwrap_or(""),
                        target["message"].as_str().unwrap_or(""),
                        ctx.now,
                    ));
                    status["completionTime"] = json!(ctx.now.rfc3339());
                    event(
                        ctx,
                        COMPONENT,
                        &job,
                        false,
                        "Completed",
                        "Job completed".into(),
                    );
                } else {
                    conds.push(job_condition(
                        "Failed",
                        target["reason"].as_str().unwrap_or(""),
                        target["message"].as_str().unwrap_or(""),
                        ctx.now,
                    ));
                    let reason = target["reason"].as_str().unwrap_or("").to_string();
                    event(
                        ctx,
                        COMPONENT,
                        &job,
                        true,
                        &reason,
                        target["message"].as_str().unwrap_or("").to_string(),
                    );
                }
            } else if !suspended && !util::is_deleting(&job) {
                let want = match completions {
                    Some(c) => (c - succeeded).min(parallelism),
                    None if succeeded > 0 => 0,
                    None => parallelism,
                }
                .max(0) as usize;
                if active.len() < want {
                    // Back off after failures before creating replacements.
                    let delay = if failed > 0 {
                        Duration::from_secs(
                            (BACKOFF_BASE << (failed - 1).clamp(0, 10)).min(BACKOFF_MAX),
                        )
                    } else {
                        Duration::ZERO
                    };
                    match last_failure.map(|t| t + delay) {
                        Some(at) if at > ctx.now => {
                            self.wakeup = util::earliest(self.wakeup, Some(at))
                        }
                        _ => {
                            let generation = util::i64_at(&job, "metadata.generation").unwrap_or(0);
                            match self.api_backoff.waiting(&job_uid, generation, ctx.now) {
                                Some(at) => self.wakeup = util::earliest(self.wakeup, Some(at)),
                                None => {
                                    // Stop at the first refusal, as the slow-start batch does.
                                    let created = (0..(want - active.len()).min(100))
                                        .all(|_| self.create_pod(ctx, &job, &ns));
                                    if created {
                                        self.api_backoff.forget(&job_uid);
                                    } else {
                                        let at =
                                            self.api_backoff.failed(&job_uid, generation, ctx.now);
                                        self.wakeup = util::earliest(self.wakeup, Some(at));
                                    }
                                }
                            }
                        }
                    }
                } else if active.len() > want {
                    let mut extra: Vec<&&Value> = active.iter().collect();
                    crate::sort::sort_by_key(&mut extra, |p| {
                        (util::pod_ready(p), std::cmp::Reverse(util::created(p)))
                    });
                    for p in extra.into_iter().take(active.len() - want) {
                        util::delete_pod(ctx.api, &ns, object::name(p), ctx.now);
                    }
                }
            }
        }
        let active_now = util::pods_controlled_by(ctx.api, &ns, &job)
            .iter()
            .filter(|p| util::pod_active(p))
            .count();
        let Some(job) = util::get(ctx.api, "jobs", Some(&ns), &name) else {
            return;
        };
        let mut st = serde_json::Map::new();
        if active_now > 0 {
            st.insert("active".into(), json!(active_now));
        }
        if let Some(t) = status.get("completionTime") {
            st.insert("completionTime".into(), t.clone());
        }
        if !conds.is_empty() {
            st.insert("conditions".into(), Value::Array(conds));
        }
        if failed > 0 {
            st.insert("failed".into(), json!(failed));
        }
        st.insert("ready".into(), json!(ready));
        if let Some(t) = status.get("startTime") {
            st.insert("startTime".into(), t.clone());
        }
        if succeeded > 0 {
            st.insert("succeeded".into(), json!(succeeded));
        }
        st.insert("terminating".into(), json!(terminating));
        st.insert("uncountedTerminatedPods".into(), json!({}));
        let mut new = job.clone();
        new["status"] = Value::Object(st);
        util::update_if_changed(ctx.api, "jobs", &job, new);
    }

    /// Creates one pod; false when the apiserver refused it.
    fn create_pod(&self, ctx: &mut SyncContext<'_>, job: &Value, ns: &str) -> bool {
        let template = object::at(job, "spec.template")
            .cloned()
            .unwrap_or(json!({}));
        let mut meta = template
            .get("metadata")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(json!({}));
        if let Some(m) = meta.as_object_mut() {
            m.remove("name");
            m.remove("creationTimestamp");
        }
        meta["generateName"] = json!(format!("{}-", object::name(job)));
        meta["namespace"] = json!(ns);
        meta["ownerReferences"] = json!([util::owner_ref(job)]);
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": template.get("spec").cloned().unwrap_or(json!({}))});
        util::create_pod(ctx, COMPONENT, job, ns, pod).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::*;
    use super::*;

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  completions: 2\n  backoffLimit: 1\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: pi\n        image: perl\n";

    #[test]
    fn completes_after_completions_succeed() {
        let mut api = api();
        let mut t = Time::EPOCH;
        apply(&mut api, "jobs", JOB, t);
        let mut c = JobController::new();
        settle(&mut api, &mut [&mut c], t);
        let pods = names(&api, "pods", "default");
        assert_eq!(pods.len(), 1, "parallelism 1");
        set_phase(&mut api, "default", &pods[0], "Succeeded");
        t = t + Duration::from_secs(5);
        settle(&mut api, &mut [&mut c], t);
        let pods = names(&api, "pods", "default");
        assert_eq!(pods.len(), 2);
        for p in &pods {
            set_phase(&mut api, "default", p, "Succeeded");
        }
        t = t + Duration::from_secs(5);
        settle(&mut api, &mut [&mut c], t);
        let job = util::get(&api, "jobs", Some("default"), "pi").unwrap_or_default();
        assert_eq!(job["status"]["succeeded"], 2);
        let types: Vec<&str> = job["status"]["conditions"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["type"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(types, ["SuccessCriteriaMet", "Complete"]);
        assert_eq!(
            job["status"]["conditions"][1]["reason"],
            "CompletionsReached"
        );
        assert!(events(&api, "default").contains(&"Completed Job completed".to_string()));
    }

    /// A Job whose pod runs is quiet (its syncs skipped while nothing it
    /// reads changes), and still sees its pod succeed; a finished Job,
    /// quiet too, still sees a pod it controls go.
    #[test]
    fn a_quiet_job_still_sees_its_pods() {
        let mut api = api();
        let mut t = Time::EPOCH;
        apply(
            &mut api,
            "jobs",
            &JOB.replace("completions: 2", "completions: 1"),
            t,
        );
        let mut c = JobController::new();
        settle(&mut api, &mut [&mut c], t);
        let pods = names(&api, "pods", "default");
        assert_eq!(pods.len(), 1);
        set_phase(&mut api, "default", &pods[0], "Running");
        for _ in 0..3 {
            t = t + Duration::from_secs(30);
            settle(&mut api, &mut [&mut c], t);
        }
        assert_eq!(c.quiet.len(), 1, "the running Job's syncs are skipped");
        let requests = api.requests();
        settle(&mut api, &mut [&mut c], t);
        assert_eq!(api.requests(), requests);
        set_phase(&mut api, "default", &pods[0], "Succeeded");
        t = t + Duration::from_secs(5);
        settle(&mut api, &mut [&mut c], t);
        let job = util::get(&api, "jobs", Some("default"), "pi").unwrap_or_default();
        assert_eq!(job["status"]["succeeded"], 1);
        assert!(util::condition_true(&job, "Complete"), "{job}");
        assert_eq!(job["status"]["terminating"], 0);
        // The finished Job's pod is deleted: its status counts it no more
        // as terminating (it was not), and nothing else changes.
        let before = job["status"].clone();
        util::delete(&mut api, "pods", Some("default"), &pods[0]);
        settle(&mut api, &mut [&mut c], t);
        let job = util::get(&api, "jobs", Some("default"), "pi").unwrap_or_default();
        assert_eq!(job["status"], before);
    }

    #[test]
    fn fails_past_backoff_limit_with_backoff_delay() {
        let mut api = api();
        let mut t = Time::EPOCH;
        apply(&mut api, "jobs", JOB, t);
        let mut c = JobController::new();
        settle(&mut api, &mut [&mut c], t);
        let p = names(&api, "pods", "default");
        set_phase(&mut api, "default", &p[0], "Failed");
        t = t + Duration::from_secs(1);
        settle(&mut api, &mut [&mut c], t);
        // Backoff: no replacement before 10 s.
        assert_eq!(names(&api, "pods", "default").len(), 1);
        assert!(c.next_wakeup(t).is_some());
        t = t + Duration::from_secs(10);
        settle(&mut api, &mut [&mut c], t);
        let p: Vec<String> = names(&api, "pods", "default");
        assert_eq!(p.len(), 2);
        for n in &p {
            set_phase(&mut api, "default", n, "Failed");
        }
        t = t + Duration::from_secs(1);
        settle(&mut api, &mut [&mut c], t);
        let job = util::get(&api, "jobs", Some("default"), "pi").unwrap_or_default();
        assert_eq!(job["status"]["failed"], 2);
        assert_eq!(
            util::condition(&job, "Failed").map(|c| c["reason"].clone()),
            Some(json!("BackoffLimitExceeded"))
        );
    }
}
