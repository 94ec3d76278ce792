//! kubectl's table printers (`pkg/printers/internalversion` in Kubernetes):
//! one row function per kind, laid out by the tab writer.

pub mod duration;
pub mod tabwriter;

use crate::api::{object, Resource};
use crate::clock::Time;
use serde_json::Value;

#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    pub wide: bool,
    pub with_namespace: bool,
    pub show_labels: bool,
    pub no_headers: bool,
}

/// Columns of one kind: `(header, shown only with -o wide)`.
type Columns = &'static [(&'static str, bool)];

/// The cells of one object's row, in column order.
type RowFn = fn(&Value, Time) -> Vec<String>;

pub fn table(res: &Resource, objects: &[Value], now: Time, opts: &TableOptions) -> String {
    let (columns, row): (Columns, RowFn) = match res.kind {
        "Node" => (NODE_COLUMNS, node_row),
        "Namespace" => (
            &[("NAME", false), ("STATUS", false), ("AGE", false)],
            namespace_row,
        ),
        _ => (&[("NAME", false), ("AGE", false)], generic_row),
    };
    let mut rows = Vec::new();
    if !opts.no_headers {
        let mut header: Vec<String> = Vec::new();
        if opts.with_namespace {
            header.push("NAMESPACE".into());
        }
        header.extend(
            columns
                .iter()
                .filter(|(_, wide)| opts.wide || !wide)
                .map(|(h, _)| h.to_string()),
        );
        if opts.show_labels {
            header.push("LABELS".into());
        }
        rows.push(header);
    }
    for obj in objects {
        let cells = row(obj, now);
        let mut r: Vec<String> = Vec::new();
        if opts.with_namespace {
            r.push(object::namespace(obj).unwrap_or("").to_string());
        }
        r.extend(
            cells
                .into_iter()
                .zip(columns.iter())
                .filter(|(_, (_, wide))| opts.wide || !wide)
                .map(|(c, _)| c),
        );
        if opts.show_labels {
            r.push(labels(obj));
        }
        rows.push(r);
    }
    tabwriter::layout(&rows)
}

/// `k=v,k2=v2` sorted, or `<none>`.
pub fn labels(obj: &Value) -> String {
    let pairs = object::string_map(obj, "metadata.labels");
    if pairs.is_empty() {
        return "<none>".into();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn age(obj: &Value, now: Time) -> String {
    match object::str_at(obj, "metadata.creationTimestamp").and_then(Time::parse_rfc3339) {
        Some(t) => duration::human(now - t),
        None => "<unknown>".into(),
    }
}

fn generic_row(obj: &Value, now: Time) -> Vec<String> {
    vec![object::name(obj).to_string(), age(obj, now)]
}

fn namespace_row(obj: &Value, now: Time) -> Vec<String> {
    let phase = object::str_at(obj, "status.phase").unwrap_or("Active");
    vec![
        object::name(obj).to_string(),
        phase.to_string(),
        age(obj, now),
    ]
}

const NODE_COLUMNS: Columns = &[
    ("NAME", false),
    ("STATUS", false),
    ("ROLES", false),
    ("AGE", false),
    ("VERSION", false),
    ("INTERNAL-IP", true),
    ("EXTERNAL-IP", true),
    ("OS-IMAGE", true),
    ("KERNEL-VERSION", true),
    ("CONTAINER-RUNTIME", true),
];

fn node_row(obj: &Value, now: Time) -> Vec<String> {
    let ready = object::at(obj, "status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
        .map(|c| match c["status"].as_str() {
            Some("True") => "Ready",
            Some("False") => "NotReady",
            _ => "Unknown",
        })
        .unwrap_or("Unknown");
    let mut status = ready.to_string();
    if object::at(obj, "spec.unschedulable").and_then(Value::as_bool) == Some(true) {
        status.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<String> = object::string_map(obj, "metadata.labels")
        .into_iter()
        .filter_map(|(k, v)| {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                Some(role.to_string())
            } else if k == "kubernetes.io/role" {
                Some(v)
            } else {
                None
            }
        })
        .filter(|r| !r.is_empty())
        .collect();
    roles.sort();
    roles.dedup();
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    };
    let address = |t: &str| {
        object::at(obj, "status.addresses")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|x| x["type"] == t))
            .and_then(|x| x["address"].as_str())
            .unwrap_or("<none>")
            .to_string()
    };
    let info = |f: &str| {
        let v = object::str_at(obj, &format!("status.nodeInfo.{f}")).unwrap_or("");
        if v.is_empty() {
            "<unknown>".to_string()
        } else {
            v.to_string()
        }
    };
    vec![
        object::name(obj).to_string(),
        status,
        roles,
        age(obj, now),
        object::str_at(obj, "status.nodeInfo.kubeletVersion")
            .unwrap_or("")
            .to_string(),
        address("InternalIP"),
        address("ExternalIP"),
        info("osImage"),
        info("kernelVersion"),
        info("containerRuntimeVersion"),
    ]
}
