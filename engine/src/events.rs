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
    let key = |o: &Value| {
        let mut o = o.clone();
        if let Some(m) = o.as_object_mut() {
            m.remove("resourceVersion");
        }
        o
    };
    let existing = api.list(events, Some(&ns)).into_iter().find(|e| {
        key(&e["involvedObject"]) == key(&involved)
            && e["reason"] == ev.reason.as_str()
            && e["message"] == ev.message.as_str()
            && e["type"] == ev.type_.as_str()
            && source_of(e) == ev.source.component
    });
    if let Some(mut e) = existing {
        let count = e.get("count").and_then(Value::as_i64).unwrap_or(1) + 1;
        e["count"] = json!(count);
        if ev.source.events_v1 {
            e["series"] = json!({ "count": count, "lastObservedTime": now.rfc3339_micro() });
        } else {
            e["lastTimestamp"] = json!(now.rfc3339());
        }
        let _ = api.update(events, Some(&ns), e);
        return;
    }
    // Names as the recorder makes them: `<object>.<unix nanoseconds in hex>`.
    // Several events at one virtual instant would share a name; the real
    // clock's nanoseconds differ, so take the next free nanosecond.
    let mut nanos = (now.0 as u128 * 1_000_000) as u64;
    let mut name = format!("{}.{:x}", object::name(&ev.regarding), nanos);
    while api.get(events, Some(&ns), &name).is_ok() {
        nanos += 1;
        name = format!("{}.{:x}", object::name(&ev.regarding), nanos);
    }
    let mut e = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": { "name": name, "namespace": ns },
        "involvedObject": involved,
        "reason": ev.reason,
        "message": ev.message,
        "type": ev.type_.as_str(),
        "count": 1,
    });
    if ev.source.events_v1 {
        e["eventTime"] = json!(now.rfc3339_micro());
        e["firstTimestamp"] = Value::Null;
        e["lastTimestamp"] = Value::Null;
        e["reportingComponent"] = json!(ev.source.component);
        e["reportingInstance"] = json!(format!("{}-controlplane", ev.source.component));
        e["action"] = json!(if ev.reason == "Scheduled" {
            "Binding"
        } else {
            "Scheduling"
        });
        e["source"] = json!({});
    } else {
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
    let _ = api.create(events, Some(&ns), e, now);
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

fn source_of(e: &Value) -> String {
    object::str_at(e, "source.component")
        .or_else(|| object::str_at(e, "reportingComponent"))
        .unwrap_or("")
        .to_string()
}
