//! Events (`v1`): LAST SEEN from lastTimestamp, else firstTimestamp, else
//! eventTime, or the series' last observation; OBJECT `kind/name` in lower
//! case. kubectl v1.33 does not sort them: they print in the server's order
//! (by name), as `printEventList` no longer sorts.

use super::{col, int, name_col, s, since, wide, Column};
use crate::api::object;
use crate::clock::Time;
use serde_json::Value;

fn micro(o: &Value, path: &str, now: Time) -> String {
    since(object::str_at(o, path), now)
}

fn first_seen(o: &Value, now: Time) -> String {
    match object::str_at(o, "firstTimestamp") {
        Some(t) if !t.is_empty() => since(Some(t), now),
        _ => micro(o, "eventTime", now),
    }
}

fn last_seen(o: &Value, now: Time) -> String {
    if object::at(o, "series").is_some_and(Value::is_object) {
        return micro(o, "series.lastObservedTime", now);
    }
    match object::str_at(o, "lastTimestamp") {
        Some(t) if !t.is_empty() => since(Some(t), now),
        _ => first_seen(o, now),
    }
}

fn count(o: &Value, _: Time) -> String {
    if object::at(o, "series").is_some_and(Value::is_object) {
        return int(o, "series.count").to_string();
    }
    match int(o, "count") {
        0 => "1".into(),
        n => n.to_string(),
    }
}

fn target(o: &Value, _: Time) -> String {
    let kind = crate::case::to_lowercase(s(o, "involvedObject.kind"));
    let name = s(o, "involvedObject.name");
    if name.is_empty() {
        kind
    } else {
        format!("{kind}/{name}")
    }
}

fn source(o: &Value, _: Time) -> String {
    let first = |a: &str, b: &str| {
        let x = s(o, a);
        if x.is_empty() {
            s(o, b).to_string()
        } else {
            x.to_string()
        }
    };
    let component = first("source.component", "reportingComponent");
    let host = first("source.host", "reportingInstance");
    if host.is_empty() {
        component
    } else {
        format!("{component}, {host}")
    }
}

pub const EVENT: &[Column] = &[
    col("LAST SEEN", last_seen),
    col("TYPE", |o, _| s(o, "type").to_string()),
    col("REASON", |o, _| s(o, "reason").to_string()),
    col("OBJECT", target),
    wide("SUBOBJECT", |o, _| {
        s(o, "involvedObject.fieldPath").to_string()
    }),
    wide("SOURCE", source),
    col("MESSAGE", |o, _| s(o, "message").trim().to_string()),
    wide("FIRST SEEN", first_seen),
    wide("COUNT", count),
    Column {
        wide: true,
        ..name_col("NAME")
    },
];
