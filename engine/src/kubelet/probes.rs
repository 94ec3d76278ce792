// Indexing is safe in this module: per-probe state is [_; 3] arrays (startup, liveness, readiness) indexed by 0..3.
#![allow(clippy::indexing_slicing)]
//! Liveness, readiness and startup probes, as the kubelet's prober
//! workers run them: the first probe `initialDelaySeconds` after the
//! container started, then every `periodSeconds`; `failureThreshold`
//! failures in a row flip the result. Liveness and readiness wait for the
//! startup probe to succeed. A failed liveness or startup probe kills the
//! container (`Unhealthy`, then `Killing`) within the grace period; the
//! restart policy brings it back. The outcome comes from the container
//! model: what the process serves, and the files it has made.

use super::container::{self, Paths, RunCtx};
use super::runtime::Container;
use super::{cname, env, event, specs, Kubelet, Worker};
use crate::api::object;
use crate::clock::{Duration, Time};
use crate::events::{Event, EventType};
use crate::node::Machine;
use serde_json::Value;

const KINDS: [&str; 3] = ["startupProbe", "livenessProbe", "readinessProbe"];

/// One container instance's probe results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub container_id: String,
    /// The startup probe has succeeded (or there is none).
    pub started: bool,
    /// The readiness probe says ready (or there is none).
    pub ready: bool,
    next: [Option<Time>; 3],
    failures: [i64; 3],
    successes: [i64; 3],
    /// Before this time each probe of the kind succeeds and changes
    /// nothing (see [`quiet_until`]): its ticks ask no wake-up, and are
    /// counted at the pod's next sync, as if each had woken the kubelet.
    quiet: [Option<Time>; 3],
    /// Killed by a failed probe: no more probing.
    killed: bool,
}

impl State {
    /// A container that was already up and ready when the kubelet started.
    pub fn adopted(container_id: &str, spec: &Value, now: Time) -> Self {
        let mut s = State {
            container_id: container_id.to_string(),
            started: true,
            ready: true,
            ..Default::default()
        };
        for (i, k) in KINDS.iter().enumerate() {
            if let Some(p) = spec.get(*k) {
                s.next[i] = Some(now + Duration::from_secs(int(p, "periodSeconds", 10).max(1)));
            }
        }
        s
    }
}

fn int(p: &Value, k: &str, default: i64) -> i64 {
    p.get(k).and_then(Value::as_i64).unwrap_or(default)
}

/// A named or numbered port of the container.
fn port(c: &Value, p: &Value) -> Option<u16> {
    match p {
        Value::Number(n) => n.as_u64().map(|n| n as u16),
        Value::String(s) => s.parse().ok().or_else(|| {
            c.get("ports")
                .and_then(Value::as_array)?
                .iter()
                .find(|cp| cp.get("name").and_then(Value::as_str) == Some(s))
                .and_then(|cp| cp.get("containerPort").and_then(Value::as_u64))
                .map(|n| n as u16)
        }),
        _ => None,
    }
}

/// Runs one probe at `t`: `Ok` or the failure's text.
fn probe(p: &Value, spec: &Value, c: &Container, machine: &Machine, t: Time) -> Result<(), String> {
    let since = (t - c.started).as_millis();
    let serving = |port: u16| {
        c.outcome
            .serve
            .as_ref()
            .filter(|s| s.ready_after <= since)
            .is_some_and(|s| s.ports.contains(&port))
    };
    let ip = &c.ctx.pod_ip;
    if let Some(h) = p.get("httpGet") {
        let port = h.get("port").and_then(|v| port(spec, v)).unwrap_or(80);
        let path = h.get("path").and_then(Value::as_str).unwrap_or("/");
        let scheme =
            crate::case::to_lowercase(h.get("scheme").and_then(Value::as_str).unwrap_or("HTTP"));
        let host = h.get("host").and_then(Value::as_str).unwrap_or(ip);
        if !serving(port) {
            return Err(format!(
                "Get \"{scheme}://{host}:{port}{path}\": dial tcp {host}:{port}: connect: connection refused"
            ));
        }
        // An apiserver whose etcd switched data dirs under it fails its checks.
        let apiserver = c
            .ctx
            .argv
            .first()
            .map(|a| a.rsplit('/').next().unwrap_or(a))
            == Some("kube-apiserver");
        if apiserver
            && matches!(path, "/livez" | "/readyz")
            && crate::cluster::control_plane::etcd_switched_under(machine, c.started)
        {
            return Err("HTTP probe failed with statuscode: 500".into());
        }
        let found = c
            .outcome
            .serve
            .as_ref()
            .and_then(|s| s.http.iter().find(|(p, _)| *p == port))
            .map(|(_, paths)| match paths {
                Paths::Any => true,
                Paths::Only(list) => list.contains(&path),
            });
        let failing = c
            .outcome
            .serve
            .as_ref()
            .and_then(|s| s.http_fails_after)
            .is_some_and(|after| after <= since);
        return match found {
            Some(true) if failing => Err("HTTP probe failed with statuscode: 500".into()),
            Some(true) => Ok(()),
            Some(false) => Err("HTTP probe failed with statuscode: 404".into()),
            // Something listens that does not speak HTTP.
            None => Err(format!(
                "Get \"{scheme}://{host}:{port}{path}\": net/http: HTTP/1.x transport connection broken: malformed HTTP response"
            )),
        };
    }
    if let Some(s) = p.get("tcpSocket") {
        let port = s.get("port").and_then(|v| port(spec, v)).unwrap_or(0);
        return if serving(port) {
            Ok(())
        } else {
            Err(format!("dial tcp {ip}:{port}: connect: connection refused"))
        };
    }
    if let Some(e) = p.get("exec") {
        let argv: Vec<String> = e
            .get("command")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect();
        let ctx = RunCtx {
            argv,
            start: t,
            ..c.ctx.clone()
        };
        let view = env::View::new(
            &machine.fs,
            &c.mounts,
            &c.id,
            c.ctx.kind,
            &c.ctx.hostname,
            ip,
            &c.namespace,
        );
        let timeout = int(p, "timeoutSeconds", 1) * 1000;
        let out = container::run(&ctx, &view, timeout);
        if let Some(err) = out.start_error {
            return Err(err);
        }
        let text: Vec<&str> = out.logs.iter().map(|(_, l)| l.as_str()).collect();
        return match out.exit {
            Some((_, 0)) => Ok(()),
            Some((_, code)) => Err(if text.is_empty() {
                format!("command {:?} exited with {code}", ctx.argv.join(" "))
            } else {
                text.join("\n")
            }),
            None => Err(format!(
                "command timed out: \"{}\" timed out after {}s",
                ctx.argv.join(" "),
                timeout / 1000
            )),
        };
    }
    if p.get("grpc").is_some() {
        return Err("rpc error: code = Unavailable desc = connection refused".into());
    }
    Ok(())
}

/// Until when a probe that just succeeded at `t` surely succeeds again:
/// its outcome is then a function of the container alone (what it serves
/// from when, and when its HTTP handler starts failing), up to the
/// container's exit, a requested stop, an OOM kill or the end of what its
/// process was computed for. `None` for probes whose outcome reads more
/// than the container: an exec probe runs a command against the node's
/// files, and the apiserver's checks look at etcd's data dir.
fn quiet_until(p: &Value, c: &Container, t: Time) -> Option<Time> {
    if p.get("exec").is_some() || p.get("grpc").is_some() {
        return None;
    }
    let binary = c
        .ctx
        .argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a));
    if binary == Some("kube-apiserver") {
        return None;
    }
    let mut until = c.started + Duration::from_millis(c.horizon);
    if p.get("httpGet").is_some() {
        if let Some(after) = c.outcome.serve.as_ref().and_then(|s| s.http_fails_after) {
            let fails = c.started + Duration::from_millis(after);
            if fails > t {
                until = until.min(fails);
            }
        }
    }
    let ends = [
        c.natural_exit().map(|(e, _)| e),
        c.stop_exit().map(|(e, _)| e),
        c.oom_kill(),
    ];
    for e in ends.into_iter().flatten() {
        until = until.min(e);
    }
    Some(until)
}

/// The first tick of a probe ticking every `period` from `t` that is not
/// before `q`.
fn first_tick_from(t: Time, period: Duration, q: Time) -> Time {
    if q <= t {
        return t;
    }
    let p = period.as_millis().max(1);
    let n = ((q - t).as_millis() + p - 1) / p;
    t + Duration::from_millis(n * p)
}

/// Runs the probes that are due for the pod's running containers.
pub(super) fn run(
    k: &mut Kubelet,
    w: &mut Worker,
    machine: &mut Machine,
    pod: &Value,
    now: Time,
    events: &mut Vec<Event>,
) {
    if w.killing {
        return;
    }
    let (inits, apps) = specs(pod);
    let pod_grace = object::at(pod, "spec.terminationGracePeriodSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(30);
    let probed = inits
        .iter()
        .filter(|c| c.get("restartPolicy").and_then(Value::as_str) == Some("Always"))
        .map(|c| (c, true))
        .chain(apps.iter().map(|c| (c, false)));
    for (spec, init) in probed {
        let name = cname(spec).to_string();
        let probes: Vec<Option<&Value>> = KINDS.iter().map(|k| spec.get(*k)).collect();
        if probes.iter().all(Option::is_none) {
            continue;
        }
        // Not copied: the container is looked up again for each probe.
        let Some((cid, started)) = machine
            .runtime
            .latest(&w.uid, &name)
            .0
            .filter(|c| c.running())
            .map(|c| (c.id.clone(), c.started))
        else {
            continue;
        };
        let st = w.probes.entry(name.clone()).or_default();
        if st.container_id != cid {
            let mut fresh = State {
                container_id: cid.clone(),
                started: probes[0].is_none(),
                ready: false,
                ..Default::default()
            };
            for (i, p) in probes.iter().enumerate() {
                if let Some(p) = p {
                    fresh.next[i] =
                        Some(started + Duration::from_secs(int(p, "initialDelaySeconds", 0)));
                }
            }
            // Without a readiness probe the container is ready once started.
            fresh.ready = probes[2].is_none();
            **st = fresh;
        }
        while !st.killed {
            // The earliest probe due, startup first while not started.
            let due = (0..3)
                .filter(|i| *i == 0 || st.started)
                .filter(|i| !(*i == 0 && st.started))
                .filter_map(|i| st.next[i].map(|t| (t, i)))
                .filter(|(t, _)| *t <= now)
                .min();
            let Some((mut t, i)) = due else { break };
            let Some(p) = probes[i] else { break };
            let period = int(p, "periodSeconds", 10).max(1);
            // Ticks known to succeed and change nothing: counted, not run.
            if let Some(q) = st.quiet[i].filter(|q| t < *q) {
                let p_ms = period * 1000;
                let span = (now - t).as_millis().min((q - t).as_millis() - 1);
                let n = span / p_ms + 1;
                st.failures[i] = 0;
                st.successes[i] += n;
                st.next[i] = Some(t + Duration::from_millis(n * p_ms));
                continue;
            }
            st.quiet[i] = None;
            // Periods missed while nobody probed (the kubelet was stopped)
            // are not made up: the next probe is the latest one due.
            let behind = (now - t).as_secs() / period;
            if behind > 0 {
                t = t + Duration::from_secs(behind * period);
            }
            st.next[i] = Some(t + Duration::from_secs(period));
            let what = ["Startup", "Liveness", "Readiness"][i];
            let (outcome, quiet) = match machine.runtime.latest(&w.uid, &name).0 {
                Some(c) => (probe(p, spec, c, machine, t), quiet_until(p, c, t)),
                None => break,
            };
            match outcome {
                Ok(()) => {
                    st.failures[i] = 0;
                    st.successes[i] += 1;
                    if st.successes[i] >= int(p, "successThreshold", 1) {
                        match i {
                            0 => {
                                st.started = true;
                                // Liveness and readiness start now.
                                for (j, q) in probes.iter().enumerate().skip(1) {
                                    if let Some(q) = q {
                                        let delay = int(q, "initialDelaySeconds", 0);
                                        st.next[j] =
                                            Some(t.max(started + Duration::from_secs(delay)));
                                    }
                                }
                            }
                            2 => st.ready = true,
                            _ => {}
                        }
                        // A liveness or readiness probe at its threshold:
                        // more successes change nothing until the outcome
                        // may change.
                        if i > 0 {
                            st.quiet[i] = quiet;
                        }
                    }
                }
                Err(msg) => {
                    st.successes[i] = 0;
                    st.failures[i] += 1;
                    events.push(event(
                        pod,
                        Some(&name),
                        init,
                        EventType::Warning,
                        "Unhealthy",
                        format!("{what} probe failed: {msg}"),
                        &k.node,
                    ));
                    if st.failures[i] >= int(p, "failureThreshold", 3) {
                        if i == 2 {
                            st.ready = false;
                        } else {
                            let kind = if i == 0 { "startup" } else { "liveness" };
                            events.push(event(
                                pod,
                                Some(&name),
                                init,
                                EventType::Normal,
                                "Killing",
                                format!("Container {name} failed {kind} probe, will be restarted"),
                                &k.node,
                            ));
                            let grace = p
                                .get("terminationGracePeriodSeconds")
                                .and_then(Value::as_i64)
                                .unwrap_or(pod_grace);
                            if let Some(rc) = machine.runtime.container_mut(&cid) {
                                rc.stop_requested = Some((t, Duration::from_secs(grace)));
                            }
                            st.killed = true;
                            st.ready = false;
                        }
                    }
                }
            }
        }
        if !st.killed {
            for (i, t) in st.next.iter().enumerate() {
                let Some(t) = *t else { continue };
                let period = probes[i].map_or(10, |p| int(p, "periodSeconds", 10).max(1));
                let wake = match st.quiet[i] {
                    Some(q) => first_tick_from(t, Duration::from_secs(period), q),
                    None => t,
                };
                k.wakeups.push(wake);
            }
        }
    }
}
