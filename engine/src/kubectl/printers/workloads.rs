//! Controllers of pods: Deployment, ReplicaSet, ReplicationController,
//! StatefulSet, DaemonSet, Job, CronJob, HPA, PodTemplate, ControllerRevision.

use super::{
    age, arr, col, containers_cell, format_selector, images_cell, int, map_labels, s,
    selector_string, since, wide, Column, AGE, NAME,
};
use crate::api::object;
use crate::clock::Time;
use serde_json::Value;

fn num(path: &'static str) -> impl Fn(&Value) -> String {
    move |o| int(o, path).to_string()
}

pub const DEPLOYMENT: &[Column] = &[
    NAME,
    col("READY", |o, _| {
        format!(
            "{}/{}",
            int(o, "status.readyReplicas"),
            int(o, "spec.replicas")
        )
    }),
    col("UP-TO-DATE", |o, _| num("status.updatedReplicas")(o)),
    col("AVAILABLE", |o, _| num("status.availableReplicas")(o)),
    AGE,
    wide("CONTAINERS", |o, _| {
        containers_cell(o, "spec.template.spec")
    }),
    wide("IMAGES", |o, _| images_cell(o, "spec.template.spec")),
    // `LabelSelectorAsSelector(...).String()`: empty, not `<none>`, for an empty selector.
    wide("SELECTOR", |o, _| {
        selector_string(object::at(o, "spec.selector"))
    }),
];

pub const REPLICASET: &[Column] = &[
    NAME,
    col("DESIRED", |o, _| num("spec.replicas")(o)),
    col("CURRENT", |o, _| num("status.replicas")(o)),
    col("READY", |o, _| num("status.readyReplicas")(o)),
    AGE,
    wide("CONTAINERS", |o, _| {
        containers_cell(o, "spec.template.spec")
    }),
    wide("IMAGES", |o, _| images_cell(o, "spec.template.spec")),
    wide("SELECTOR", |o, _| format_selector(o, "spec.selector")),
];

pub const REPLICATIONCONTROLLER: &[Column] = &[
    NAME,
    col("DESIRED", |o, _| num("spec.replicas")(o)),
    col("CURRENT", |o, _| num("status.replicas")(o)),
    col("READY", |o, _| num("status.readyReplicas")(o)),
    AGE,
    wide("CONTAINERS", |o, _| {
        containers_cell(o, "spec.template.spec")
    }),
    wide("IMAGES", |o, _| images_cell(o, "spec.template.spec")),
    wide("SELECTOR", |o, _| map_labels(o, "spec.selector")),
];

pub const STATEFULSET: &[Column] = &[
    NAME,
    col("READY", |o, _| {
        format!(
            "{}/{}",
            int(o, "status.readyReplicas"),
            int(o, "spec.replicas")
        )
    }),
    AGE,
    wide("CONTAINERS", |o, _| {
        containers_cell(o, "spec.template.spec")
    }),
    wide("IMAGES", |o, _| images_cell(o, "spec.template.spec")),
];

pub const DAEMONSET: &[Column] = &[
    NAME,
    col("DESIRED", |o, _| num("status.desiredNumberScheduled")(o)),
    col("CURRENT", |o, _| num("status.currentNumberScheduled")(o)),
    col("READY", |o, _| num("status.numberReady")(o)),
    col("UP-TO-DATE", |o, _| num("status.updatedNumberScheduled")(o)),
    col("AVAILABLE", |o, _| num("status.numberAvailable")(o)),
    col("NODE SELECTOR", |o, _| {
        map_labels(o, "spec.template.spec.nodeSelector")
    }),
    AGE,
    wide("CONTAINERS", |o, _| {
        containers_cell(o, "spec.template.spec")
    }),
    wide("IMAGES", |o, _| images_cell(o, "spec.template.spec")),
    wide("SELECTOR", |o, _| format_selector(o, "spec.selector")),
];

fn condition_true(o: &Value, t: &str) -> bool {
    // `hasJobCondition`: the first condition of that type decides.
    arr(o, "status.conditions")
        .iter()
        .find(|c| s(c, "type") == t)
        .is_some_and(|c| s(c, "status") == "True")
}

fn job_status(o: &Value, _: Time) -> String {
    let deleting = object::at(o, "metadata.deletionTimestamp").is_some_and(|v| !v.is_null());
    if condition_true(o, "Complete") {
        "Complete"
    } else if condition_true(o, "Failed") {
        "Failed"
    } else if deleting {
        "Terminating"
    } else if condition_true(o, "Suspended") {
        "Suspended"
    } else if condition_true(o, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
    .into()
}

fn job_completions(o: &Value, _: Time) -> String {
    let succeeded = int(o, "status.succeeded");
    if let Some(c) = object::at(o, "spec.completions").and_then(Value::as_i64) {
        return format!("{succeeded}/{c}");
    }
    let parallelism = int(o, "spec.parallelism");
    if parallelism > 1 {
        format!("{succeeded}/1 of {parallelism}")
    } else {
        format!("{succeeded}/1")
    }
}

fn job_duration(o: &Value, now: Time) -> String {
    let start = object::str_at(o, "status.startTime").and_then(Time::parse_rfc3339);
    let end = object::str_at(o, "status.completionTime").and_then(Time::parse_rfc3339);
    match (start, end) {
        (None, _) => String::new(),
        (Some(st), None) => super::duration::human(now - st),
        (Some(st), Some(e)) => super::duration::human(e - st),
    }
}

pub const JOB: &[Column] = &[
    NAME,
    col("STATUS", job_status),
    col("COMPLETIONS", job_completions),
    col("DURATION", job_duration),
    AGE,
    wide("CONTAINERS", |o, _| {
        containers_cell(o, "spec.template.spec")
    }),
    wide("IMAGES", |o, _| images_cell(o, "spec.template.spec")),
    wide("SELECTOR", |o, _| format_selector(o, "spec.selector")),
];

fn bool_ptr(o: &Value, path: &str) -> String {
    match object::at(o, path).and_then(Value::as_bool) {
        Some(true) => "True".into(),
        Some(false) => "False".into(),
        None => "<unset>".into(),
    }
}

pub const CRONJOB: &[Column] = &[
    NAME,
    col("SCHEDULE", |o, _| s(o, "spec.schedule").to_string()),
    col("TIMEZONE", |o, _| {
        object::str_at(o, "spec.timeZone")
            .unwrap_or("<none>")
            .to_string()
    }),
    col("SUSPEND", |o, _| bool_ptr(o, "spec.suspend")),
    col("ACTIVE", |o, _| arr(o, "status.active").len().to_string()),
    col("LAST SCHEDULE", |o, now| {
        match object::str_at(o, "status.lastScheduleTime") {
            Some(t) => since(Some(t), now),
            None => "<none>".into(),
        }
    }),
    AGE,
    wide("CONTAINERS", |o, _| {
        containers_cell(o, "spec.jobTemplate.spec.template.spec")
    }),
    wide("IMAGES", |o, _| {
        images_cell(o, "spec.jobTemplate.spec.template.spec")
    }),
    wide("SELECTOR", |o, _| {
        format_selector(o, "spec.jobTemplate.spec.selector")
    }),
];

/// `formatHPAMetrics`: `cpu: 35%/50%`, `cpu: <unknown>/50%`, at most two then ` + N more...`.
fn hpa_targets(o: &Value, _: Time) -> String {
    let specs = arr(o, "spec.metrics");
    if specs.is_empty() {
        return "<none>".into();
    }
    let statuses = arr(o, "status.currentMetrics");
    let q = |v: &Value, p: &str| -> Option<String> {
        match object::at(v, p)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let unknown = || "<unknown>".to_string();
    let mut list: Vec<String> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let status = statuses.get(i);
        let st = |kind: &str| status.and_then(|st| object::at(st, kind));
        let item = match s(spec, "type") {
            "External" => {
                if let Some(avg) = q(spec, "external.target.averageValue") {
                    let cur = st("external")
                        .and_then(|x| q(x, "current.averageValue"))
                        .unwrap_or_else(unknown);
                    format!("{cur}/{avg} (avg)")
                } else {
                    let cur = st("external")
                        .map(|x| q(x, "current.value").unwrap_or_else(|| "0".into()))
                        .unwrap_or_else(unknown);
                    let target = q(spec, "external.target.value").unwrap_or_else(|| "0".into());
                    format!("{cur}/{target}")
                }
            }
            "Pods" => {
                let cur = st("pods")
                    .map(|x| q(x, "current.averageValue").unwrap_or_else(|| "0".into()))
                    .unwrap_or_else(unknown);
                let target = q(spec, "pods.target.averageValue").unwrap_or_else(|| "0".into());
                format!("{cur}/{target}")
            }
            "Object" => {
                if let Some(avg) = q(spec, "object.target.averageValue") {
                    let cur = st("object")
                        .and_then(|x| q(x, "current.averageValue"))
                        .unwrap_or_else(unknown);
                    format!("{cur}/{avg} (avg)")
                } else {
                    let cur = st("object")
                        .map(|x| q(x, "current.value").unwrap_or_else(|| "0".into()))
                        .unwrap_or_else(unknown);
                    let target = q(spec, "object.target.value").unwrap_or_else(|| "0".into());
                    format!("{cur}/{target}")
                }
            }
            t @ ("Resource" | "ContainerResource") => {
                let key = if t == "Resource" {
                    "resource"
                } else {
                    "containerResource"
                };
                let name = s(spec, &format!("{key}.name")).to_string();
                if let Some(avg) = q(spec, &format!("{key}.target.averageValue")) {
                    let cur = st(key)
                        .map(|x| q(x, "current.averageValue").unwrap_or_else(|| "0".into()))
                        .unwrap_or_else(unknown);
                    format!("{name}: {cur}/{avg}")
                } else {
                    let cur = st(key)
                        .and_then(|x| object::at(x, "current.averageUtilization"))
                        .and_then(Value::as_i64)
                        .map(|u| format!("{u}%"))
                        .unwrap_or_else(unknown);
                    let target = object::at(spec, &format!("{key}.target.averageUtilization"))
                        .and_then(Value::as_i64)
                        .map(|u| format!("{u}%"))
                        .unwrap_or_else(|| "<auto>".into());
                    format!("{name}: {cur}/{target}")
                }
            }
            _ => "<unknown type>".into(),
        };
        list.push(item);
    }
    let count = list.len();
    if count > 2 {
        list.truncate(2);
        return format!("{} + {} more...", list.join(", "), count - 2);
    }
    list.join(", ")
}

pub const HPA: &[Column] = &[
    NAME,
    col("REFERENCE", |o, _| {
        format!(
            "{}/{}",
            s(o, "spec.scaleTargetRef.kind"),
            s(o, "spec.scaleTargetRef.name")
        )
    }),
    col("TARGETS", hpa_targets),
    col("MINPODS", |o, _| {
        object::at(o, "spec.minReplicas")
            .and_then(Value::as_i64)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "<unset>".into())
    }),
    col("MAXPODS", |o, _| num("spec.maxReplicas")(o)),
    col("REPLICAS", |o, _| num("status.currentReplicas")(o)),
    AGE,
];

pub const PODTEMPLATE: &[Column] = &[
    NAME,
    col("CONTAINERS", |o, _| containers_cell(o, "template.spec")),
    col("IMAGES", |o, _| images_cell(o, "template.spec")),
    col("POD LABELS", |o, _| {
        map_labels(o, "template.metadata.labels")
    }),
];

pub const CONTROLLERREVISION: &[Column] = &[
    NAME,
    col("CONTROLLER", |o, _| {
        arr(o, "metadata.ownerReferences")
            .iter()
            .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
            .map(|r| {
                let group = s(r, "apiVersion")
                    .rsplit_once('/')
                    .map(|(g, _)| g)
                    .unwrap_or("");
                let kind = crate::case::to_lowercase(s(r, "kind"));
                if group.is_empty() {
                    format!("{kind}/{}", s(r, "name"))
                } else {
                    format!("{kind}.{group}/{}", s(r, "name"))
                }
            })
            .unwrap_or_else(|| "<none>".into())
    }),
    col("REVISION", |o, _| num("revision")(o)),
    col("AGE", age),
];
