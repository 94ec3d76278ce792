// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! The event recorder (client-go's `record` and `events` packages): what
//! components say about objects — `Scheduled`, `Pulling`, `Killing` — as
//! `v1 Event` objects, written through the apiserver. A repeat of the same
//! event (same source, object, type, reason and message) is aggregated:
//! `count` goes up and `lastTimestamp` moves, as the real recorder does.

use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::clock::Time;
use serde_json::{json, Value};

/// `Normal` or `Warning`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Who reports: the component (`kubelet`, `default-scheduler`,
/// `deployment-controller`) and, for node agents, the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub component: String,
    pub host: Option<String>,
    /// The scheduler reports through events.k8s.io/v1: `eventTime` and
    /// `reportingController` are set, the legacy timestamps are not.
    pub events_v1: bool,
}

impl Source {
    pub fn component(c: &str) -> Self {
        Source {
            component: c.into(),
            host: None,
            events_v1: false,
        }
    }
    pub fn kubelet(node: &str) -> Self {
        Source {
            component: "kubelet".into(),
            host: Some(node.into()),
            events_v1: false,
        }
    }
    pub fn scheduler(name: &str) -> Self {
        Source {
            component: name.into(),
            host: None,
            events_v1: true,
        }
    }
    /// A scheduler whose process runs with `hostname` (the node for a
    /// static pod on the host network, else its pod's name): the recorder
    /// names the instance `<schedulerName>-<hostname>`.
    pub fn scheduler_on(name: &str, hostname: &str) -> Self {
        Source {
            host: Some(hostname.into()),
            ..Source::scheduler(name)
        }
    }
}

/// One event to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The object the event is about (its `kind`, `name`, `namespace`, `uid`, `apiVersion`, `resourceVersion`).
    pub regarding: Value,
    /// `spec.containers{web}` for container events.
    pub field_path: Option<String>,
    pub type_: EventType,
    pub reason: String,
    pub message: String,
    pub source: Source,
}

/// Records an event at `now`. Events are best effort, as in Kubernetes: a
/// failure to write one never fails the component.
pub fn record(api: &mut ApiServer, now: Time, ev: &Event) {
    let Some(events) = resolve("events") else {
        return;
    };
    let ns = object::namespace(&ev.regarding)
        .unwrap_or("default")
        .to_string();
    let involved = involved_object(ev);
    // Aggregate with an identical earlier event.
    // The correlator's key leaves out the object's resourceVersion.
    // Compared in place (the cached events are not copied): equal but for
    // `resourceVersion`.
    let same_object = |a: &Value, b: &Value| match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            let rv = "resourceVersion";
            a.iter().filter(|(k, _)| *k != rv).count() == b.iter().filter(|(k, _)| *k != rv).count()
                && a.iter()
                    .filter(|(k, _)| *k != rv)
                    .all(|(k, v)| b.get(k) == Some(v))
        }
        _ => a == b,
    };
    // Only events about an object of this name with the same repeat key
    // can match (`same_object` compares the names too): the index's
    // candidates, in the same order, compared in full.
    let key = repeat_key(
        Some(&ev.reason),
        Some(&ev.message),
        Some(ev.type_.as_str()),
        &ev.source.component,
        &involved,
    );
    let existing = api
        .events_about(&ns, object::name(&ev.regarding), Some(key))
        .into_iter()
        // The cheap comparisons first: most events differ in their reason.
        .find(|e| {
            e["reason"] == ev.reason.as_str()
                && e["message"] == ev.message.as_str()
                && e["type"] == ev.type_.as_str()
                && source_of(e) == ev.source.component
                && same_object(&e["involvedObject"], &involved)
        })
        .map(std::sync::Arc::unwrap_or_clone);
    if let Some(mut e) = existing {
        if ev.source.events_v1 {
            // events.k8s.io: an isomorphic event starts a `series` (count 2
            // on the first repeat); the legacy `count` stays unset.
            let count = e
                .pointer("/series/count")
                .and_then(Value::as_i64)
                .unwrap_or(1)
                + 1;
            e["series"] = json!({ "count": count, "lastObservedTime": now.rfc3339_micro() });
        } else {
            let count = e.get("count").and_then(Value::as_i64).unwrap_or(1) + 1;
            e["count"] = json!(count);
            e["lastTimestamp"] = json!(now.rfc3339());
        }
        let _ = api.update(events, Some(&ns), e);
        return;
    }
    // Names as the recorder makes them: `<object>.<unix nanoseconds in hex>`.
    // Several events at one virtual instant would share a name; the real
    // clock's nanoseconds differ, so take the next free nanosecond — from
    // where the last event about this object at this instant left off
    // ([`EventNames`]), not from the instant itself: a ReplicaSet creating
    // thousands of pods at one instant probed every taken name again for
    // each new event (quadratic).
    let base = (now.0 as u128 * 1_000_000) as u64;
    let event_name = |nanos: u64| format!("{}.{:x}", object::name(&ev.regarding), nanos);
    let memo_key = format!("{ns}/{}", object::name(&ev.regarding));
    let mut nanos = match api.event_names().resume(base, &memo_key) {
        Some(next) if api.exists(events, Some(&ns), &event_name(next - 1)) => next,
        _ => base,
    };
    let mut name = event_name(nanos);
    while api.exists(events, Some(&ns), &name) {
        nanos += 1;
        name = event_name(nanos);
    }
    let mut e = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": { "name": name, "namespace": ns },
        "involvedObject": involved,
        "reason": ev.reason,
        "message": ev.message,
        "type": ev.type_.as_str(),
    });
    if ev.source.events_v1 {
        e["eventTime"] = json!(now.rfc3339_micro());
        e["firstTimestamp"] = Value::Null;
        e["lastTimestamp"] = Value::Null;
        e["reportingComponent"] = json!(ev.source.component);
        e["reportingInstance"] = json!(format!(
            "{}-{}",
            ev.source.component,
            ev.source.host.as_deref().unwrap_or("controlplane")
        ));
        e["action"] = json!(if ev.reason == "Scheduled" {
            "Binding"
        } else {
            "Scheduling"
        });
        e["source"] = json!({});
    } else {
        e["count"] = json!(1);
        e["firstTimestamp"] = json!(now.rfc3339());
        e["lastTimestamp"] = json!(now.rfc3339());
        e["eventTime"] = Value::Null;
        e["reportingComponent"] = json!(ev.source.component);
        e["reportingInstance"] = json!(ev.source.host.clone().unwrap_or_default());
        let mut source = json!({ "component": ev.source.component });
        if let Some(h) = &ev.source.host {
            source["host"] = json!(h);
        }
        e["source"] = source;
    }
    // Several events about one object at one instant: the real names
    // differ in their nanoseconds, so take the next free one.
    for bump in 0..64u64 {
        e["metadata"]["name"] = json!(event_name(nanos + bump));
        match api.create(events, Some(&ns), e.clone(), now) {
            Err(crate::apiserver::ApiError::AlreadyExists { .. }) => continue,
            Ok(_) => {
                api.event_names_mut().gave(base, memo_key, nanos + bump);
                return;
            }
            Err(_) => return,
        }
    }
}

/// Where the recorder goes on naming events about an object at the
/// current instant: the nanosecond after the last name it gave. Only the
/// instant of the last event is kept (names at an earlier one never collide
/// with new ones). The names between the instant and the one remembered are
/// all taken unless events were deleted meanwhile; the recorder checks that
/// the last one it gave still exists and otherwise searches from the
/// instant again.
#[derive(Debug, Default)]
pub struct EventNames {
    base: u64,
    /// Per `namespace/object`: how far past `base` the next name is. A
    /// `usize` for the wasm bundle's sake: `BTreeMap<String, usize>`'s
    /// code is there already.
    next: std::collections::BTreeMap<String, usize>,
}

impl EventNames {
    /// The nanosecond to try first for `key` at `base`, if a name was given
    /// to it at this instant.
    pub fn resume(&self, base: u64, key: &str) -> Option<u64> {
        if self.base != base {
            return None;
        }
        let offset = *self.next.get(key)?;
        Some(base + offset as u64)
    }

    fn gave(&mut self, base: u64, key: String, nanos: u64) {
        if self.base != base {
            self.base = base;
            self.next.clear();
        }
        let offset =
            usize::try_from(nanos.saturating_sub(base).saturating_add(1)).unwrap_or(usize::MAX);
        self.next.insert(key, offset);
    }
}

fn involved_object(ev: &Event) -> Value {
    let r = &ev.regarding;
    let mut o = json!({
        "apiVersion": r.get("apiVersion").cloned().unwrap_or(Value::Null),
        "kind": r.get("kind").cloned().unwrap_or(Value::Null),
        "name": object::name(r),
    });
    if let Some(ns) = object::namespace(r) {
        o["namespace"] = json!(ns);
    }
    for (k, path) in [
        ("uid", "metadata.uid"),
        ("resourceVersion", "metadata.resourceVersion"),
    ] {
        if let Some(v) = object::str_at(r, path) {
            o[k] = json!(v);
        }
    }
    if let Some(fp) = &ev.field_path {
        o["fieldPath"] = json!(fp);
    }
    o
}

/// A digest of what the search for a repeat compares (client-go's
/// `getEventKey`: source, involved object but its resourceVersion, type,
/// reason and message), for the apiserver's index of Events: two events
/// the search takes for one have the same key, so that it decodes only
/// the stored Events whose key is the new one's (the Events are not in
/// the watch cache) and still compares those in full — a shared key
/// never makes a repeat.
pub(crate) fn repeat_key(
    reason: Option<&str>,
    message: Option<&str>,
    type_: Option<&str>,
    component: &str,
    involved: &Value,
) -> u64 {
    const INVOLVED: [&str; 6] = [
        "apiVersion",
        "kind",
        "name",
        "namespace",
        "uid",
        "fieldPath",
    ];
    let involved = INVOLVED.map(|k| involved.get(k).and_then(Value::as_str));
    // FNV-1a; each part tagged (absent or present) and ended with a byte
    // no UTF-8 text holds, so that no two lists of parts run together.
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut eat = |b: u8| h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    for part in [reason, message, type_, Some(component)]
        .into_iter()
        .chain(involved)
    {
        eat(u8::from(part.is_some()));
        part.unwrap_or_default().bytes().for_each(&mut eat);
        eat(0xff);
    }
    h
}

/// [`repeat_key`] of a stored Event.
pub(crate) fn repeat_key_of(e: &Value) -> u64 {
    let text = |k: &str| e.get(k).and_then(Value::as_str);
    repeat_key(
        text("reason"),
        text("message"),
        text("type"),
        source_of(e),
        &e["involvedObject"],
    )
}

fn source_of(e: &Value) -> &str {
    object::str_at(e, "source.component")
        .or_else(|| object::str_at(e, "reportingComponent"))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Duration;

    fn api() -> ApiServer {
        let mut api = ApiServer::new(5);
        if let Some(ns) = resolve("namespaces") {
            api.create(
                ns,
                None,
                json!({"metadata": {"name": "default"}}),
                Time::EPOCH,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        api
    }

    fn pod(resource_version: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web",
            "namespace": "default", "uid": "7f3c", "resourceVersion": resource_version}})
    }

    fn events(api: &ApiServer) -> String {
        let Some(res) = resolve("events") else {
            return String::new();
        };
        api.list(res, Some("default"))
            .iter()
            .map(|e| {
                let mut e = e.clone();
                if let Some(m) = e["metadata"].as_object_mut() {
                    for k in ["uid", "resourceVersion", "creationTimestamp"] {
                        m.remove(k);
                    }
                }
                crate::yaml::to_string(&e)
            })
            .collect::<Vec<_>>()
            .join("---\n")
    }

    /// Events about one object at one instant take successive
    /// nanoseconds, and the search for a free name starts where the last
    /// one left off: the 200th event probes one name, not 200 (the
    /// quadratic search made `kubectl scale --replicas=4000` cost 6.6 CPU-s
    /// instead of 2.0). A deleted name is found again.
    #[test]
    fn names_at_one_instant_follow_on_without_searching_again() {
        let mut api = api();
        let t0 = Time::EPOCH + Duration::from_secs(60);
        let created = |i: usize| Event {
            regarding: pod("10"),
            field_path: None,
            type_: EventType::Normal,
            reason: "SuccessfulCreate".into(),
            message: format!("Created pod: web-{i}"),
            source: Source::component("replicaset-controller"),
        };
        for i in 0..200 {
            record(&mut api, t0, &created(i));
        }
        let base = (t0.0 as u128 * 1_000_000) as u64;
        let name = |n: u64| format!("web.{n:x}");
        let ((), reads) =
            crate::apiserver::read_log::record(|| record(&mut api, t0, &created(200)));
        let probed: Vec<_> = reads
            .iter()
            .filter(|(plural, name)| *plural == "events" && name.is_some())
            .collect();
        assert!(
            probed.len() <= 3,
            "{} names probed: {probed:?}",
            probed.len()
        );
        let Some(res) = resolve("events") else {
            panic!("events")
        };
        for n in [0, 199, 200] {
            assert!(api.exists(res, Some("default"), &name(base + n)), "{n}");
        }
        assert!(!api.exists(res, Some("default"), &name(base + 201)));
        // The last name given deleted: the search starts from the instant
        // again and takes the first free one.
        api.delete(res, Some("default"), &name(base + 200))
            .unwrap_or_else(|e| panic!("{e}"));
        record(&mut api, t0, &created(201));
        assert!(api.exists(res, Some("default"), &name(base + 200)));
        // A later instant starts at its own nanosecond.
        let t1 = t0 + Duration::from_secs(1);
        record(&mut api, t1, &created(202));
        assert!(api.exists(res, Some("default"), &name(base + 1_000_000_000)));
    }

    /// client-go's correlator: the same source, object (whatever its
    /// resourceVersion), type, reason and message make one Event whose
    /// `count` and `lastTimestamp` move; the name and `firstTimestamp`
    /// stay the first occurrence's. Another message is another Event.
    #[test]
    fn repeats_aggregate_with_count() {
        let mut api = api();
        let t0 = Time::EPOCH + Duration::from_secs(60);
        let backoff = |rv: &str| Event {
            regarding: pod(rv),
            field_path: Some("spec.containers{web}".into()),
            type_: EventType::Warning,
            reason: "BackOff".into(),
            message: "Back-off restarting failed container web in pod web_default(7f3c)".into(),
            source: Source::kubelet("node01"),
        };
        record(&mut api, t0, &backoff("10"));
        record(&mut api, t0 + Duration::from_secs(10), &backoff("11"));
        record(&mut api, t0 + Duration::from_secs(30), &backoff("12"));
        let mut pulled = backoff("12");
        pulled.type_ = EventType::Normal;
        pulled.reason = "Pulled".into();
        pulled.message = "Container image \"nginx\" already present on machine".into();
        record(&mut api, t0 + Duration::from_secs(30), &pulled);
        expect_test::expect![[r#"
            apiVersion: v1
            count: 3
            eventTime: null
            firstTimestamp: "2025-04-23T08:01:00Z"
            involvedObject:
              apiVersion: v1
              fieldPath: spec.containers{web}
              kind: Pod
              name: web
              namespace: default
              resourceVersion: "10"
              uid: 7f3c
            kind: Event
            lastTimestamp: "2025-04-23T08:01:30Z"
            message: Back-off restarting failed container web in pod web_default(7f3c)
            metadata:
              name: web.1838e3bdd0f35800
              namespace: default
            reason: BackOff
            reportingComponent: kubelet
            reportingInstance: node01
            source:
              component: kubelet
              host: node01
            type: Warning
            ---
            apiVersion: v1
            count: 1
            eventTime: null
            firstTimestamp: "2025-04-23T08:01:30Z"
            involvedObject:
              apiVersion: v1
              fieldPath: spec.containers{web}
              kind: Pod
              name: web
              namespace: default
              resourceVersion: "12"
              uid: 7f3c
            kind: Event
            lastTimestamp: "2025-04-23T08:01:30Z"
            message: Container image "nginx" already present on machine
            metadata:
              name: web.1838e3c4cd170400
              namespace: default
            reason: Pulled
            reportingComponent: kubelet
            reportingInstance: node01
            source:
              component: kubelet
              host: node01
            type: Normal
        "#]]
        .assert_eq(&events(&api));
    }

    /// The scheduler's events.k8s.io recorder: no legacy `count`; a repeat
    /// starts a `series`.
    #[test]
    fn events_v1_repeats_become_a_series() {
        let mut api = api();
        let t0 = Time::EPOCH + Duration::from_secs(60);
        let failed = Event {
            regarding: pod("10"),
            field_path: None,
            type_: EventType::Warning,
            reason: "FailedScheduling".into(),
            message: "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.".into(),
            source: Source::scheduler("default-scheduler"),
        };
        record(&mut api, t0, &failed);
        let first = events(&api);
        assert!(!first.contains("count"), "{first}");
        record(&mut api, t0 + Duration::from_secs(5), &failed);
        record(&mut api, t0 + Duration::from_secs(15), &failed);
        expect_test::expect![[r#"
            action: Scheduling
            apiVersion: v1
            eventTime: "2025-04-23T08:01:00.000000Z"
            firstTimestamp: null
            involvedObject:
              apiVersion: v1
              kind: Pod
              name: web
              namespace: default
              resourceVersion: "10"
              uid: 7f3c
            kind: Event
            lastTimestamp: null
            message: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available:
              2 No preemption victims found for incoming pod.'
            metadata:
              name: web.1838e3bdd0f35800
              namespace: default
            reason: FailedScheduling
            reportingComponent: default-scheduler
            reportingInstance: default-scheduler-controlplane
            series:
              count: 3
              lastObservedTime: "2025-04-23T08:01:15.000000Z"
            source: {}
            type: Warning
        "#]]
        .assert_eq(&events(&api));
    }
}
