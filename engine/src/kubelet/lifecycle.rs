//! The pod worker's steps: pulling images, creating and starting
//! containers, seeing them exit, restarting them after a back-off, and
//! stopping them when the pod is deleted.

use super::container::{self, RunCtx};
use super::images::{self, PullError};
use super::runtime::Container;
use super::{
    argv, cname, crash_key, env, event, image_key, restart_policy, specs, Kubelet, Slot, Worker,
    CREATE_MS, HORIZON_MS, RETRY,
};
use crate::api::object;
use crate::apiserver::ApiServer;
use crate::clock::{Duration, Time};
use crate::events::{Event, EventType};
use crate::node::Machine;
use serde_json::Value;

/// How many steps one container may take at one instant.
const MAX_STEPS: usize = 8;

/// What the kubelet writes in a pod's identity in messages: `web_default(uid)`.
fn pod_ref(w: &Worker) -> String {
    format!("{}_{}({})", w.name, w.namespace, w.uid)
}

impl Kubelet {
    /// Starts what should run: init containers one at a time, then the app
    /// containers.
    pub(super) fn advance(
        &mut self,
        w: &mut Worker,
        api: &mut ApiServer,
        machine: &mut Machine,
        pod: &Value,
        now: Time,
        events: &mut Vec<Event>,
    ) {
        let (inits, apps) = specs(pod);
        let policy = restart_policy(pod).to_string();
        for c in inits {
            let sidecar = c.get("restartPolicy").and_then(Value::as_str) == Some("Always");
            // A regular init container under `Always` restarts on failure only.
            let p = if sidecar {
                "Always"
            } else if policy == "Never" {
                "Never"
            } else {
                "OnFailure"
            };
            self.drive(w, api, machine, pod, c, true, p, now, events);
            let name = cname(c);
            let (last, _) = machine.runtime.latest(&w.uid, name);
            let ok = if sidecar {
                last.is_some_and(|l| l.running()) && w.probes.get(name).is_none_or(|p| p.started)
            } else {
                w.slots.get(name).is_some_and(|s| **s == Slot::Done)
                    && last.is_some_and(|l| l.exited.as_ref().is_some_and(|e| e.1 == 0))
            };
            if !ok {
                return;
            }
        }
        for c in apps {
            self.drive(w, api, machine, pod, c, false, &policy, now, events);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn drive(
        &mut self,
        w: &mut Worker,
        api: &mut ApiServer,
        machine: &mut Machine,
        pod: &Value,
        c: &Value,
        init: bool,
        policy: &str,
        now: Time,
        events: &mut Vec<Event>,
    ) {
        let name = cname(c).to_string();
        let image = c
            .get("image")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let node = self.node.clone();
        let ev = |type_, reason: &str, message: String| {
            event(pod, Some(&name), init, type_, reason, message, &node)
        };
        for _ in 0..MAX_STEPS {
            let slot = w.slots.get(&name).map_or(Slot::Idle, |s| (**s).clone());
            let next = match slot {
                Slot::Idle => Some(self.begin_pull(w, machine, c, now, events, &ev)),
                Slot::Pulling {
                    until,
                    started,
                    result,
                } => {
                    if now < until {
                        self.wake(until);
                        None
                    } else {
                        Some(match result {
                            Ok(img) => {
                                machine.runtime.images.insert(img.reference.clone());
                                let d = images::go_duration((until - started).as_millis());
                                events.push(ev(
                                    EventType::Normal,
                                    "Pulled",
                                    format!("Successfully pulled image {image:?} in {d} ({d} including waiting). Image size: {} bytes.", img.size),
                                ));
                                Slot::Creating {
                                    at: now + Duration::from_millis(CREATE_MS),
                                    image: img,
                                }
                            }
                            Err(msg) => {
                                events.push(ev(
                                    EventType::Warning,
                                    "Failed",
                                    format!("Failed to pull image {image:?}: {msg}"),
                                ));
                                events.push(ev(
                                    EventType::Warning,
                                    "Failed",
                                    "Error: ErrImagePull".into(),
                                ));
                                let key = image_key(w, &image);
                                self.image_backoff.next(&key, now);
                                // The first time, the sandbox's start (seen by
                                // the PLEG) syncs the pod again a moment later.
                                let retry_at =
                                    if self.image_backoff.get(&key) == super::backoff::INITIAL {
                                        now + Duration::from_millis(1_000 + self.jitter(1_000))
                                    } else {
                                        self.retry(now)
                                    };
                                Slot::PullFailed {
                                    reason: "ErrImagePull",
                                    message: msg,
                                    retry_at,
                                }
                            }
                        })
                    }
                }
                Slot::PullFailed {
                    reason,
                    message,
                    retry_at,
                } => {
                    if now < retry_at {
                        self.wake(retry_at);
                        None
                    } else if reason == "InvalidImageName" || reason == "ErrImageNeverPull" {
                        Some(Slot::Idle)
                    } else if self
                        .image_backoff
                        .in_backoff_since_update(&image_key(w, &image), now)
                    {
                        events.push(ev(
                            EventType::Normal,
                            "BackOff",
                            format!("Back-off pulling image {image:?}"),
                        ));
                        events.push(ev(
                            EventType::Warning,
                            "Failed",
                            "Error: ImagePullBackOff".into(),
                        ));
                        let original = message
                            .split_once(": ErrImagePull: ")
                            .map(|(_, m)| m.to_string())
                            .unwrap_or(message);
                        Some(Slot::PullFailed {
                            reason: "ImagePullBackOff",
                            message: format!(
                                "Back-off pulling image {image:?}: ErrImagePull: {original}"
                            ),
                            retry_at: self.retry(now),
                        })
                    } else {
                        Some(Slot::Idle)
                    }
                }
                Slot::Creating { at, image: img } => {
                    if now < at {
                        self.wake(at);
                        None
                    } else {
                        Some(self.create(w, api, machine, pod, c, &img, now, events, &ev))
                    }
                }
                Slot::ConfigError { retry_at, .. } | Slot::VolumeWait { retry_at } => {
                    if now < retry_at {
                        self.wake(retry_at);
                        None
                    } else {
                        Some(Slot::Idle)
                    }
                }
                Slot::Started => {
                    let (last, _) = machine.runtime.latest(&w.uid, &name);
                    match last.and_then(|l| l.exited.clone()) {
                        None => None,
                        Some((t, code, _)) => {
                            let restart = match policy {
                                "Never" => false,
                                "OnFailure" => code != 0,
                                _ => true,
                            };
                            let key = crash_key(w, &name);
                            if !restart {
                                Some(Slot::Done)
                            } else if self.crash_backoff.in_backoff_since(&key, t, now) {
                                let until = self.crash_backoff.end_since(&key, t);
                                let backoff = self.crash_backoff.get(&key);
                                events.push(ev(
                                    EventType::Warning,
                                    "BackOff",
                                    format!(
                                        "Back-off restarting failed container {name} in pod {}",
                                        pod_ref(w)
                                    ),
                                ));
                                Some(Slot::CrashBackOff {
                                    until,
                                    backoff,
                                    next_event: self.retry(now),
                                })
                            } else {
                                self.crash_backoff.next(&key, now);
                                Some(Slot::Idle)
                            }
                        }
                    }
                }
                Slot::CrashBackOff {
                    until,
                    backoff,
                    next_event,
                } => {
                    if now >= until {
                        self.crash_backoff.next(&crash_key(w, &name), now);
                        Some(Slot::Idle)
                    } else if now >= next_event {
                        // Each pod sync during the back-off says so again.
                        events.push(ev(
                            EventType::Warning,
                            "BackOff",
                            format!(
                                "Back-off restarting failed container {name} in pod {}",
                                pod_ref(w)
                            ),
                        ));
                        Some(Slot::CrashBackOff {
                            until,
                            backoff,
                            next_event: self.retry(now),
                        })
                    } else {
                        self.wake(until);
                        self.wake(next_event);
                        None
                    }
                }
                Slot::Done => None,
            };
            match next {
                Some(s) => {
                    w.slots.insert(name.clone(), Box::new(s));
                }
                None => return,
            }
        }
    }

    /// The pod worker's next try: 10 s with up to 50 % jitter.
    fn retry(&mut self, now: Time) -> Time {
        now + RETRY + Duration::from_millis(self.jitter(5_000))
    }

    /// `EnsureImageExists`: present, pulled, or failing.
    fn begin_pull(
        &mut self,
        w: &Worker,
        machine: &Machine,
        c: &Value,
        now: Time,
        events: &mut Vec<Event>,
        ev: &dyn Fn(EventType, &str, String) -> Event,
    ) -> Slot {
        let image = c.get("image").and_then(Value::as_str).unwrap_or("");
        let policy = c
            .get("imagePullPolicy")
            .and_then(Value::as_str)
            .unwrap_or("IfNotPresent");
        let resolved = images::resolve(image);
        if let Err(PullError::InvalidName(msg)) = &resolved {
            events.push(ev(EventType::Warning, "InspectFailed", msg.clone()));
            events.push(ev(
                EventType::Warning,
                "Failed",
                "Error: InvalidImageName".into(),
            ));
            return Slot::PullFailed {
                reason: "InvalidImageName",
                message: msg.clone(),
                retry_at: now + RETRY,
            };
        }
        let reference = match &resolved {
            Ok(r) => r.reference.clone(),
            Err(_) => super::status::full_image(image),
        };
        let present = machine.runtime.has_image(&reference);
        if policy == "Never" && !present {
            let msg = format!("Container image {image:?} is not present with pull policy of Never");
            events.push(ev(EventType::Warning, "ErrImageNeverPull", msg.clone()));
            events.push(ev(
                EventType::Warning,
                "Failed",
                "Error: ErrImageNeverPull".into(),
            ));
            return Slot::PullFailed {
                reason: "ErrImageNeverPull",
                message: msg,
                retry_at: now + RETRY,
            };
        }
        if policy != "Always" && present {
            if let Ok(img) = resolved {
                events.push(ev(
                    EventType::Normal,
                    "Pulled",
                    format!("Container image {image:?} already present on machine"),
                ));
                return Slot::Creating {
                    at: now + Duration::from_millis(CREATE_MS),
                    image: img,
                };
            }
        }
        let _ = w;
        events.push(ev(
            EventType::Normal,
            "Pulling",
            format!("Pulling image {image:?}"),
        ));
        let jitter = self.rng.next_u64();
        let ms = match &resolved {
            Ok(r) => images::pull_millis(r.size, present, jitter),
            Err(_) => 400 + (jitter % 900) as i64,
        };
        Slot::Pulling {
            until: now + Duration::from_millis(ms),
            started: now,
            result: resolved.map_err(|e| match e {
                PullError::InvalidName(m) | PullError::Failed(m) => m,
            }),
        }
    }

    /// `startContainer`: the environment and volumes, then create and start.
    #[allow(clippy::too_many_arguments)]
    fn create(
        &mut self,
        w: &mut Worker,
        api: &mut ApiServer,
        machine: &mut Machine,
        pod: &Value,
        c: &Value,
        img: &images::Resolved,
        now: Time,
        events: &mut Vec<Event>,
        ev: &dyn Fn(EventType, &str, String) -> Event,
    ) -> Slot {
        let name = cname(c).to_string();
        let vols = match env::volumes(api, pod, &w.uid) {
            Ok(v) => v,
            Err(msg) => {
                let mut e = ev(EventType::Warning, "FailedMount", msg);
                e.field_path = None;
                events.push(e);
                return Slot::VolumeWait {
                    retry_at: self.retry(now),
                };
            }
        };
        let (cpu, mem) = node_capacity(api, &self.node);
        let pod_env = match env::container_env(api, pod, c, cpu, mem) {
            Ok(e) => e,
            Err(msg) => {
                events.push(ev(EventType::Warning, "Failed", format!("Error: {msg}")));
                return Slot::ConfigError {
                    message: msg,
                    retry_at: self.retry(now),
                };
            }
        };
        let hostname = object::str_at(pod, "spec.hostname")
            .unwrap_or(&w.name)
            .to_string();
        let hostname = if object::at(pod, "spec.hostNetwork").and_then(Value::as_bool) == Some(true)
        {
            self.node.clone()
        } else {
            hostname
        };
        let proc_env = env::process_env(img.kind, &img.tag, &hostname, &pod_env);
        let argv = argv(c, img.kind, &proc_env);
        let attempt = machine
            .runtime
            .latest(&w.uid, &name)
            .0
            .map(|l| l.attempt + 1)
            .unwrap_or(0);
        let id = self.hex_id();
        let seed = self.rng.next_u64();
        let ctx = RunCtx {
            kind: img.kind,
            tag: img.tag.clone(),
            argv,
            env: proc_env,
            hostname: hostname.clone(),
            pod_ip: w.ip.clone(),
            start: now,
            seed,
        };
        let mounts = env::mounts(c, &vols);
        let outcome = {
            let mut view = env::View::new(
                &machine.fs,
                &mounts,
                &id,
                img.kind,
                &hostname,
                &w.ip,
                &w.namespace,
            );
            view.dns = crate::network::pod_client(pod, &self.node, img.kind, &img.tag)
                .map(|client| (&*api, client));
            // What its own `nslookup` reads now is computed into its run:
            // not a sync's input (see `READS`).
            #[cfg(test)]
            let (outcome, _answers) =
                crate::apiserver::read_log::record(|| container::run(&ctx, &view, HORIZON_MS));
            #[cfg(not(test))]
            let outcome = container::run(&ctx, &view, HORIZON_MS);
            outcome
        };
        let sandbox_id = machine
            .runtime
            .sandbox(&w.uid)
            .map(|s| s.id.clone())
            .unwrap_or_default();
        events.push(ev(
            EventType::Normal,
            "Created",
            format!("Created container: {name}"),
        ));
        let start_error = outcome.start_error.clone();
        let mut record = Container {
            id,
            sandbox_id,
            pod_uid: w.uid.clone(),
            pod_name: w.name.clone(),
            namespace: w.namespace.clone(),
            name: name.clone(),
            attempt,
            image: img.reference.clone(),
            image_id: img.image_id.clone(),
            created: now,
            started: now,
            ctx,
            outcome,
            horizon: HORIZON_MS,
            ops_applied: 0,
            mounts,
            stop_requested: None,
            exited: None,
            message: None,
            limits: super::usage::Limits::of(c),
        };
        match start_error {
            Some(err) => {
                events.push(ev(EventType::Warning, "Failed", format!("Error: {err}")));
                record.exited = Some((now, 128, "StartError".into()));
                record.message = Some(err);
            }
            None => {
                events.push(ev(
                    EventType::Normal,
                    "Started",
                    format!("Started container {name}"),
                ));
            }
        }
        w.probes.remove(&name);
        machine.runtime.containers.push(record);
        Slot::Started
    }

    /// Moves the pod's processes on to `now`: file changes, exits.
    pub(super) fn observe_exits(&mut self, w: &mut Worker, machine: &mut Machine, now: Time) {
        let crate::node::MachineState { fs, runtime, .. } = &mut **machine;
        for c in runtime.containers.iter_mut().filter(|c| c.pod_uid == w.uid) {
            if !c.running() {
                continue;
            }
            // Run further when the process outlives what was computed.
            if c.outcome.exit.is_none()
                && !c.outcome.forever
                && now >= c.started + Duration::from_millis(c.horizon)
            {
                let horizon = (now - c.started).as_millis().max(c.horizon) * 4;
                let view = env::View::new(
                    fs,
                    &c.mounts,
                    &c.id,
                    c.ctx.kind,
                    &c.ctx.hostname,
                    &c.ctx.pod_ip,
                    &c.namespace,
                );
                c.outcome = container::run(&c.ctx, &view, horizon);
                c.horizon = horizon;
            }
            let exit = c.exit_by(now);
            let end = exit.map(|e| e.0).unwrap_or(now);
            let rootfs = format!("{}/rootfs", env::task_dir(&c.id));
            while let Some((ms, op)) = c.outcome.ops.get(c.ops_applied) {
                if c.started + Duration::from_millis(*ms) > end {
                    break;
                }
                env::apply(fs, &c.mounts, &rootfs, op);
                c.ops_applied += 1;
            }
            if let Some((t, code)) = exit {
                let reason = if code == 137 && c.oom_kill() == Some(t) {
                    "OOMKilled"
                } else if code == 0 {
                    "Completed"
                } else {
                    "Error"
                };
                c.exited = Some((t, code, reason.to_string()));
            }
        }
    }

    /// A deleted pod: stop its containers within the grace period.
    pub(super) fn terminate(
        &mut self,
        w: &mut Worker,
        machine: &mut Machine,
        pod: &Value,
        now: Time,
        events: &mut Vec<Event>,
    ) {
        if w.killing {
            return;
        }
        w.killing = true;
        let grace = object::at(pod, "metadata.deletionGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(30)
            .max(0);
        let (inits, _) = specs(pod);
        for c in machine
            .runtime
            .containers
            .iter_mut()
            .filter(|c| c.pod_uid == w.uid && c.running())
        {
            let init = inits.iter().any(|i| cname(i) == c.name);
            events.push(event(
                pod,
                Some(&c.name),
                init,
                EventType::Normal,
                "Killing",
                format!("Stopping container {}", c.name),
                &self.node,
            ));
            c.stop_requested = Some((now, Duration::from_secs(grace)));
        }
        for s in w.slots.values_mut() {
            **s = Slot::Done;
        }
    }
}

/// The node's CPU cores and memory bytes (for `resourceFieldRef` defaults).
fn node_capacity(api: &ApiServer, node: &str) -> (f64, f64) {
    let Some(res) = crate::api::resolve("nodes") else {
        return (2.0, 4.0 * 1024.0 * 1024.0 * 1024.0);
    };
    let n = api.get(res, None, node).ok();
    let q = |k: &str| {
        n.as_ref()
            .and_then(|n| object::str_at(n, &format!("status.allocatable.{k}")))
            .and_then(env::quantity)
    };
    (
        q("cpu").unwrap_or(2.0),
        q("memory").unwrap_or(4.0 * 1024.0 * 1024.0 * 1024.0),
    )
}
