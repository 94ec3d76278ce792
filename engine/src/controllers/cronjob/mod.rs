//! The CronJob controller (`pkg/controller/cronjob`, v2): on each scheduled
//! minute of the virtual clock it creates a Job named
//! `<cronjob>-<minutes since the Unix epoch>`, honours `suspend`,
//! `startingDeadlineSeconds` and `concurrencyPolicy`, tracks active Jobs in
//! `status.active`, and deletes finished Jobs beyond the history limits.

pub mod schedule;

use super::util::{self, event};
use crate::api::object;
use crate::apiserver::{DeleteOptions, Propagation};
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};
use schedule::Schedule;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

const COMPONENT: &str = "cronjob-controller";

/// How many missed start times the controller counts before giving up
/// looking (upstream warns `TooManyMissedTimes` past 100).
const MAX_MISSED: usize = 100;

#[derive(Debug, Default)]
pub struct CronJobController {
    wakeup: Option<Time>,
    /// Warnings already given (CronJob uid, reason, message): a condition
    /// that persists across syncs is reported once, not at every settle.
    said: BTreeSet<String>,
    /// By CronJob uid: what its last sync read, when that sync sent no
    /// request and recorded no event, and the wake-up it asked (its next
    /// schedule time). It sleeps until then (see [`Asleep`]).
    asleep: crate::maps::BoxedMap<Asleep>,
}

/// A CronJob whose last sync was quiet. Until the wake-up that sync asked
/// — its next scheduled time — a sync from the same CronJob and Jobs would
/// be quiet too and ask the same wake-up: no scheduled time falls in
/// between, so the most recent one is the same (or has passed its
/// starting deadline, which only takes away a Job to create), and the
/// warnings it might give were given. It is skipped, as the real
/// controller requeues a CronJob after its next schedule time and
/// otherwise only for an informer's event about it or its Jobs.
#[derive(Debug)]
struct Asleep {
    cronjob: Arc<Value>,
    jobs: Vec<Arc<Value>>,
    wakeup: Option<Time>,
}

impl CronJobController {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Component for CronJobController {
    fn name(&self) -> String {
        COMPONENT.into()
    }

    fn ignores(&self) -> &'static [&'static str] {
        crate::controllers::LEASES_AND_EVENTS
    }
    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        self.wakeup = None;
        let mut asleep = BTreeMap::new();
        for cj in util::list(ctx.api, "cronjobs", None) {
            let uid = util::uid(&cj).to_string();
            let ns = object::namespace(&cj).unwrap_or("default");
            let jobs: Vec<Arc<Value>> = util::list(ctx.api, "jobs", Some(ns))
                .into_iter()
                .filter(|j| util::is_controlled_by(j, &cj))
                .collect();
            let sleeping = self.asleep.remove(&uid).filter(|a| {
                Arc::ptr_eq(&a.cronjob, &cj)
                    && util::same_objects(&a.jobs, &jobs)
                    && a.wakeup.is_none_or(|t| t > ctx.now)
            });
            if let Some(a) = sleeping {
                #[cfg(test)]
                self.check_asleep(ctx, &a);
                self.wakeup = util::earliest(self.wakeup, a.wakeup);
                asleep.insert(uid, a);
                continue;
            }
            let before = util::Footprint::of(ctx);
            let wakeup = self.wakeup.take();
            self.sync_one(ctx, &cj, &jobs);
            let asked = self.wakeup;
            self.wakeup = util::earliest(wakeup, asked);
            if util::Footprint::of(ctx) == before {
                asleep.insert(
                    uid,
                    Box::new(Asleep {
                        cronjob: cj,
                        jobs,
                        wakeup: asked,
                    }),
                );
            }
        }
        self.asleep = asleep;
    }
    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.wakeup
    }

    /// It reads the CronJobs and the Jobs (not their pods).
    fn concerns(
        &self,
        _api: &crate::apiserver::ApiServer,
        change: &crate::apiserver::Change,
    ) -> bool {
        util::is_change_of(change, "cronjobs") || util::is_change_of(change, "jobs")
    }
}

/// The Job's name for a scheduled time (`getJobName`).
pub fn job_name(cronjob: &str, scheduled: Time) -> String {
    format!("{cronjob}-{}", scheduled.0.div_euclid(60_000))
}

/// The most recent scheduled time in `(earliest, now]` and how many there
/// were, counted up to one past [`MAX_MISSED`] (`mostRecentScheduleTime`).
fn most_recent(s: &Schedule, earliest: Time, now: Time, offset: i64) -> (Option<Time>, usize) {
    let mut n = 0;
    let mut t = earliest;
    while let Some(next) = s.next(t, offset) {
        if next > now || n > MAX_MISSED {
            break;
        }
        n += 1;
        t = next;
    }
    if n == 0 {
        return (None, 0);
    }
    // Look back over growing windows for the most recent time, so a long
    // jump of the clock costs little.
    for days in [0, 2, 32, 400, 1830] {
        let window = if days == 0 {
            Duration::from_secs(3600)
        } else {
            Duration::from_secs(days * 86_400)
        };
        let mut t = Time((now.0 - window.as_millis()).max(earliest.0));
        let mut last = None;
        while let Some(next) = s.next(t, offset) {
            if next > now {
                break;
            }
            last = Some(next);
            t = next;
        }
        if last.is_some() {
            return (last, n);
        }
    }
    (None, n)
}

fn job_ref(job: &Value) -> Value {
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": object::name(job),
        "namespace": object::namespace(job).unwrap_or("default"),
        "resourceVersion": object::str_at(job, "metadata.resourceVersion").unwrap_or(""),
        "uid": util::uid(job),
    })
}

fn finished(job: &Value) -> Option<&'static str> {
    super::job::is_finished(job)
}

fn finish_time(job: &Value) -> Time {
    ["Complete", "Failed"]
        .iter()
        .filter_map(|t| util::condition(job, t))
        .filter_map(|c| c.get("lastTransitionTime").and_then(Value::as_str))
        .filter_map(Time::parse_rfc3339)
        .max()
        .unwrap_or_else(|| util::created(job))
}

impl CronJobController {
    fn once(
        &mut self,
        ctx: &mut SyncContext<'_>,
        component: &str,
        cj: &Value,
        warning: bool,
        reason: &str,
        message: String,
    ) {
        if self
            .said
            .insert(format!("{}/{reason}/{message}", util::uid(cj)))
        {
            event(ctx, component, cj, warning, reason, message);
        }
    }

    /// Test builds: the sync a sleeping CronJob skips does nothing and
    /// asks the same wake-up. Run anyway, so every test checks every skip.
    #[cfg(test)]
    fn check_asleep(&mut self, ctx: &mut SyncContext<'_>, a: &Asleep) {
        let before = util::Footprint::of(ctx);
        let wakeup = self.wakeup.take();
        self.sync_one(ctx, &a.cronjob, &a.jobs);
        assert_eq!(
            util::Footprint::of(ctx),
            before,
            "a sleeping CronJob's sync did something"
        );
        assert_eq!(self.wakeup, a.wakeup, "a sleeping CronJob woke otherwise");
        self.wakeup = wakeup;
    }

    /// One CronJob's sync, from it and the Jobs it controls.
    #[allow(clippy::indexing_slicing)] // serde_json::Value: a missing key reads as Null; writes go into JSON objects (built here or from the store)
    fn sync_one(&mut self, ctx: &mut SyncContext<'_>, cj: &Value, jobs: &[Arc<Value>]) {
        let ns = object::namespace(cj).unwrap_or("default").to_string();
        let name = object::name(cj).to_string();
        let mut active: Vec<Value> = Vec::new();
        let mut last_successful = object::at(cj, "status.lastSuccessfulTime").cloned();
        for j in jobs {
            match finished(j) {
                None => active.push(job_ref(j)),
                Some(kind) => {
                    let was_active = object::at(cj, "status.active")
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.iter().any(|r| r["uid"] == util::uid(j)));
                    if was_active {
                        event(
                            ctx,
                            COMPONENT,
                            cj,
                            false,
                            "SawCompletedJob",
                            format!("Saw completed job: {}, status: {kind}", object::name(j)),
                        );
                    }
                    if kind == "Complete" {
                        let t = finish_time(j).rfc3339();
                        let newer = last_successful
                            .as_ref()
                            .and_then(Value::as_str)
                            .and_then(Time::parse_rfc3339)
                            .is_none_or(|l| l.rfc3339() < t);
                        if newer {
                            last_successful = Some(json!(t));
                        }
                    }
                }
            }
        }
        let mut last_schedule = object::at(cj, "status.lastScheduleTime").cloned();
        let deleting = util::is_deleting(cj);
        let suspended = object::at(cj, "spec.suspend").and_then(Value::as_bool) == Some(true);
        let tz = object::str_at(cj, "spec.timeZone");
        let spec = object::str_at(cj, "spec.schedule").unwrap_or("");
        match (Schedule::parse(spec), schedule::zone_offset(tz)) {
            (Err(e), _) => {
                self.once(
                    ctx,
                    COMPONENT,
                    cj,
                    true,
                    "UnparseableSchedule",
                    format!("unparseable schedule: {spec:?} : {e}"),
                );
            }
            (_, None) => {
                self.once(
                    ctx,
                    COMPONENT,
                    cj,
                    true,
                    "UnknownTimeZone",
                    format!("invalid timeZone: {:?}", tz.unwrap_or("")),
                );
            }
            (Ok(sched), Some(offset)) if !deleting && !suspended => {
                let mut earliest = last_schedule
                    .as_ref()
                    .and_then(Value::as_str)
                    .and_then(Time::parse_rfc3339)
                    .unwrap_or_else(|| util::created(cj));
                let deadline = util::i64_at(cj, "spec.startingDeadlineSeconds");
                if let Some(d) = deadline {
                    earliest = earliest.max(Time(ctx.now.0 - d.max(0) * 1000));
                }
                let (recent, missed) = most_recent(&sched, earliest, ctx.now, offset);
                if missed > MAX_MISSED {
                    self.once(
                        ctx,
                        COMPONENT,
                        cj,
                        true,
                        "TooManyMissedTimes",
                        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew".into(),
                    );
                }
                if let Some(at) = recent {
                    let job_name = job_name(&name, at);
                    let exists = jobs.iter().any(|j| object::name(j) == job_name);
                    let too_late = deadline.is_some_and(|d| at + Duration::from_secs(d) < ctx.now);
                    if !exists && too_late {
                        self.once(
                            ctx,
                            COMPONENT,
                            cj,
                            true,
                            "MissSchedule",
                            format!("Missed scheduled time to start a job: {}", at.rfc3339()),
                        );
                    } else if !exists {
                        let policy =
                            object::str_at(cj, "spec.concurrencyPolicy").unwrap_or("Allow");
                        let mut start = true;
                        if policy == "Forbid" && !active.is_empty() {
                            self.once(
                                ctx,
                                COMPONENT,
                                cj,
                                false,
                                "JobAlreadyActive",
                                "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
                            );
                            start = false;
                        } else if policy == "Replace" {
                            for r in std::mem::take(&mut active) {
                                let n = r["name"].as_str().unwrap_or("").to_string();
                                if delete_job(ctx, &ns, &n) {
                                    event(
                                        ctx,
                                        COMPONENT,
                                        cj,
                                        false,
                                        "SuccessfulDelete",
                                        format!("Deleted job {n}"),
                                    );
                                }
                            }
                        }
                        if start {
                            if let Some(j) = self.create_job(ctx, cj, &ns, &job_name, at, offset) {
                                active.push(job_ref(&j));
                            }
                            last_schedule = Some(json!(at.rfc3339()));
                        }
                    }
                }
                self.wakeup = util::earliest(self.wakeup, sched.next(ctx.now, offset));
            }
            _ => {}
        }
        // History limits: the oldest finished Jobs beyond the limits go.
        let mut removed = Vec::new();
        for (kind, limit) in [
            (
                "Complete",
                util::i64_at(cj, "spec.successfulJobsHistoryLimit").unwrap_or(3),
            ),
            (
                "Failed",
                util::i64_at(cj, "spec.failedJobsHistoryLimit").unwrap_or(1),
            ),
        ] {
            let mut done: Vec<&Value> = jobs
                .iter()
                .filter(|j| finished(j) == Some(kind) && !util::is_deleting(j))
                .map(|j| &**j)
                .collect();
            crate::sort::sort_by_key(&mut done, |j| (finish_time(j), object::name(j).to_string()));
            let extra = done.len().saturating_sub(limit.max(0) as usize);
            for j in done.into_iter().take(extra) {
                let n = object::name(j).to_string();
                if delete_job(ctx, &ns, &n) {
                    event(
                        ctx,
                        COMPONENT,
                        cj,
                        false,
                        "SuccessfulDelete",
                        format!("Deleted job {n}"),
                    );
                    removed.push(n);
                }
            }
        }
        let Some(cj) = util::get(ctx.api, "cronjobs", Some(&ns), &name) else {
            return;
        };
        crate::sort::sort_by(&mut active, |a, b| {
            a["name"].as_str().cmp(&b["name"].as_str())
        });
        let mut st = serde_json::Map::new();
        if !active.is_empty() {
            st.insert("active".into(), Value::Array(active));
        }
        if let Some(t) = last_schedule {
            st.insert("lastScheduleTime".into(), t);
        }
        if let Some(t) = last_successful {
            st.insert("lastSuccessfulTime".into(), t);
        }
        let mut new = cj.clone();
        new["status"] = Value::Object(st);
        util::update_if_changed(ctx.api, "cronjobs", &cj, new);
    }

    #[allow(clippy::indexing_slicing)] // serde_json::Value: a missing key reads as Null; writes go into JSON objects (built here or from the store)
    fn create_job(
        &self,
        ctx: &mut SyncContext<'_>,
        cj: &Value,
        ns: &str,
        name: &str,
        at: Time,
        offset: i64,
    ) -> Option<Value> {
        let template = object::at(cj, "spec.jobTemplate")
            .cloned()
            .unwrap_or(json!({}));
        let mut meta = template
            .get("metadata")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(json!({}));
        if let Some(m) = meta.as_object_mut() {
            m.remove("creationTimestamp");
        }
        meta["name"] = json!(name);
        meta["namespace"] = json!(ns);
        // The scheduled time in the CronJob's zone, as upstream annotates it.
        meta["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] =
            json!(zoned_rfc3339(at, offset));
        meta["ownerReferences"] = json!([util::owner_ref(cj)]);
        let job = json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": meta,
            "spec": template.get("spec").cloned().unwrap_or(json!({})),
        });
        match util::res("jobs").map(|r| ctx.api.create(&r, Some(ns), job, ctx.now)) {
            Some(Ok(j)) => {
                event(
                    ctx,
                    COMPONENT,
                    cj,
                    false,
                    "SuccessfulCreate",
                    format!("Created job {}", object::name(&j)),
                );
                Some(j)
            }
            Some(Err(e)) => {
                event(
                    ctx,
                    COMPONENT,
                    cj,
                    true,
                    "FailedCreate",
                    format!("Error creating job: {}", e.message()),
                );
                None
            }
            None => None,
        }
    }
}

/// Deletes a Job with background propagation, as the controller does: the
/// garbage collector then removes its pods.
fn delete_job(ctx: &mut SyncContext<'_>, ns: &str, name: &str) -> bool {
    util::res("jobs").is_some_and(|r| {
        ctx.api
            .delete_with(
                &r,
                Some(ns),
                name,
                DeleteOptions {
                    propagation_policy: Some(Propagation::Background),
                    ..Default::default()
                },
                ctx.now,
            )
            .is_ok()
    })
}

/// RFC 3339 at a fixed offset (`2025-04-23T17:00:00+09:00`), `Z` for UTC.
fn zoned_rfc3339(t: Time, offset: i64) -> String {
    if offset == 0 {
        return t.rfc3339();
    }
    let local = (t + Duration::from_secs(offset)).rfc3339();
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.abs();
    format!(
        "{}{sign}{:02}:{:02}",
        local.trim_end_matches('Z'),
        o / 3600,
        (o % 3600) / 60
    )
}

#[cfg(test)]
mod tests;
