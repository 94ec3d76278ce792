//! kubectl v1.33's describers for the kinds beyond the everyday ones
//! (`k8s.io/kubectl/pkg/describe`): workloads (Job, CronJob, DaemonSet,
//! StatefulSet), autoscaling, storage (PV, PVC, StorageClass), networking
//! (Ingress, IngressClass, NetworkPolicy, Endpoints), access (ServiceAccount,
//! Role, ClusterRole and their bindings), PriorityClass, PodDisruptionBudget,
//! EndpointSlice, and the generic
//! describer every other kind gets (its fields, as labels made from the
//! field names).

use super::{
    annotations_multiline, arr, conditions_table, controller_of, endpoints_for_port,
    labels_multiline, num, pod_template, rfc1123z, s, sorted_map, W,
};
use crate::api::{self, object};
use crate::clock::Time;
use crate::kubectl::printers::{self, duration};
use crate::kubectl::Context;
use serde_json::Value;

/// `printBoolPtr`.
fn bool_ptr(o: &Value, path: &str) -> &'static str {
    match object::at(o, path).and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    }
}

/// A quantity or number as Go's `%v`/`Quantity.String()` print it.
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Null) | None => String::new(),
        Some(x) => x.to_string(),
    }
}

/// Go's `%v` of a `[]string`: `[a b]`.
fn go_list(o: &Value, path: &str) -> String {
    let items: Vec<&str> = arr(o, path).iter().filter_map(Value::as_str).collect();
    format!("[{}]", items.join(" "))
}

fn name_ns(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Namespace:\t{}\n", object::namespace(o).unwrap_or("")),
    );
}

fn labels_annotations(w: &mut W, o: &Value) {
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
}

/// `getPodStatusForController`: the phases of the pods the object controls.
fn pod_phases(ctx: &Context<'_>, o: &Value) -> String {
    let uid = s(o, "metadata.uid");
    let pods = api::resolve("pods")
        .map(|r| ctx.cluster.apiserver.list(r, object::namespace(o)))
        .unwrap_or_default();
    let mut counts = [0usize; 4];
    for p in pods.iter().filter(|p| {
        arr(p, "metadata.ownerReferences").iter().any(|r| {
            s(r, "uid") == uid && r.get("controller").and_then(Value::as_bool) == Some(true)
        })
    }) {
        let i = match s(p, "status.phase") {
            "Running" => 0,
            "Succeeded" => 2,
            "Failed" => 3,
            _ => 1,
        };
        counts[i] += 1;
    }
    format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        counts[0], counts[1], counts[2], counts[3]
    )
}

/// The describer for `kind`, if kubectl has one among these; `None` leaves
/// the kind to the caller. The bool says whether the describer ends with
/// the object's Events.
pub(super) fn describe(
    ctx: &Context<'_>,
    w: &mut W,
    kind: &str,
    o: &Value,
    now: Time,
) -> Option<bool> {
    match kind {
        "Job" => job(w, o, now),
        "CronJob" => cronjob(w, o, now),
        "DaemonSet" => daemonset(ctx, w, o, now),
        "StatefulSet" => statefulset(ctx, w, o, now),
        "HorizontalPodAutoscaler" => hpa(w, o),
        "PersistentVolume" => pv(w, o, now),
        "PersistentVolumeClaim" => pvc(ctx, w, o, now),
        "StorageClass" => storage_class(w, o),
        "Ingress" => ingress(ctx, w, o),
        "IngressClass" => ingress_class(w, o),
        "NetworkPolicy" => {
            network_policy(w, o);
            return Some(false);
        }
        "Endpoints" => endpoints(w, o),
        "ServiceAccount" => service_account(ctx, w, o),
        "Role" | "ClusterRole" => {
            role(w, o);
            return Some(false);
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            binding(w, o);
            return Some(false);
        }
        "PriorityClass" => priority_class(w, o),
        "PodDisruptionBudget" => pdb(w, o),
        "EndpointSlice" => endpoint_slice(w, o),
        _ => return None,
    }
    Some(true)
}

fn job(w: &mut W, o: &Value, now: Time) {
    name_ns(w, o);
    w.f(
        0,
        format_args!(
            "Selector:\t{}\n",
            printers::selector_string(object::at(o, "spec.selector"))
        ),
    );
    labels_annotations(w, o);
    if let Some(c) = controller_of(o) {
        w.f(0, format_args!("Controlled By:\t{c}\n"));
    }
    if let Some(p) = num(o, "spec.parallelism") {
        w.f(0, format_args!("Parallelism:\t{p}\n"));
    }
    match num(o, "spec.completions") {
        Some(c) => w.f(0, format_args!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    if !s(o, "spec.completionMode").is_empty() {
        w.f(
            0,
            format_args!("Completion Mode:\t{}\n", s(o, "spec.completionMode")),
        );
    }
    if let Some(b) = object::at(o, "spec.suspend").and_then(Value::as_bool) {
        w.f(0, format_args!("Suspend:\t{b}\n"));
    }
    if let Some(b) = num(o, "spec.backoffLimit") {
        w.f(0, format_args!("Backoff Limit:\t{b}\n"));
    }
    if let Some(t) = num(o, "spec.ttlSecondsAfterFinished") {
        w.f(0, format_args!("TTL Seconds After Finished:\t{t}\n"));
    }
    let start = s(o, "status.startTime");
    let done = s(o, "status.completionTime");
    if !start.is_empty() {
        w.f(0, format_args!("Start Time:\t{}\n", rfc1123z(start)));
    }
    if !done.is_empty() {
        w.f(0, format_args!("Completed At:\t{}\n", rfc1123z(done)));
    }
    if let (Some(a), Some(b)) = (Time::parse_rfc3339(start), Time::parse_rfc3339(done)) {
        w.f(0, format_args!("Duration:\t{}\n", duration::human(b - a)));
    }
    if let Some(d) = num(o, "spec.activeDeadlineSeconds") {
        w.f(0, format_args!("Active Deadline Seconds:\t{d}s\n"));
    }
    let st = |k: &str| num(o, &format!("status.{k}")).unwrap_or(0);
    match num(o, "status.ready") {
        Some(r) => w.f(
            0,
            format_args!(
                "Pods Statuses:\t{} Active ({r} Ready) / {} Succeeded / {} Failed\n",
                st("active"),
                st("succeeded"),
                st("failed")
            ),
        ),
        None => w.f(
            0,
            format_args!(
                "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
                st("active"),
                st("succeeded"),
                st("failed")
            ),
        ),
    }
    if s(o, "spec.completionMode") == "Indexed" {
        let idx = s(o, "status.completedIndexes");
        let capped = if idx.is_empty() {
            "<none>".to_string()
        } else {
            // `capIndexesListOrNone`: cut at the first comma after 50 bytes.
            match idx.get(50..).and_then(|rest| rest.find(',')) {
                Some(i) => format!("{}...", &idx[..50 + i + 1]),
                None => idx.to_string(),
            }
        };
        w.f(0, format_args!("Completed Indexes:\t{capped}\n"));
    }
    if let Some(t) = object::at(o, "spec.template") {
        pod_template(w, t, now);
    }
}

fn cronjob(w: &mut W, o: &Value, now: Time) {
    name_ns(w, o);
    labels_annotations(w, o);
    w.f(0, format_args!("Schedule:\t{}\n", s(o, "spec.schedule")));
    w.f(
        0,
        format_args!("Concurrency Policy:\t{}\n", s(o, "spec.concurrencyPolicy")),
    );
    w.f(
        0,
        format_args!("Suspend:\t{}\n", bool_ptr(o, "spec.suspend")),
    );
    for (path, title) in [
        (
            "spec.successfulJobsHistoryLimit",
            "Successful Job History Limit",
        ),
        ("spec.failedJobsHistoryLimit", "Failed Job History Limit"),
    ] {
        match num(o, path) {
            Some(n) => w.f(0, format_args!("{title}:\t{n}\n")),
            None => w.f(0, format_args!("{title}:\t<unset>\n")),
        }
    }
    match num(o, "spec.startingDeadlineSeconds") {
        Some(n) => w.f(0, format_args!("Starting Deadline Seconds:\t{n}s\n")),
        None => w.w(0, "Starting Deadline Seconds:\t<unset>\n"),
    }
    // `describeJobTemplate`.
    let jt = object::at(o, "spec.jobTemplate.spec")
        .cloned()
        .unwrap_or(Value::Null);
    match object::at(&jt, "selector") {
        Some(sel) => w.f(
            0,
            format_args!("Selector:\t{}\n", printers::selector_string(Some(sel))),
        ),
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    for (path, title) in [
        ("parallelism", "Parallelism"),
        ("completions", "Completions"),
    ] {
        match num(&jt, path) {
            Some(n) => w.f(0, format_args!("{title}:\t{n}\n")),
            None => w.f(0, format_args!("{title}:\t<unset>\n")),
        }
    }
    if let Some(d) = num(&jt, "activeDeadlineSeconds") {
        w.f(0, format_args!("Active Deadline Seconds:\t{d}s\n"));
    }
    if let Some(t) = object::at(&jt, "template") {
        pod_template(w, t, now);
    }
    match s(o, "status.lastScheduleTime") {
        "" => w.w(0, "Last Schedule Time:\t<unset>\n"),
        t => w.f(0, format_args!("Last Schedule Time:\t{}\n", rfc1123z(t))),
    }
    let active: Vec<&str> = arr(o, "status.active")
        .iter()
        .map(|j| s(j, "name"))
        .collect();
    if active.is_empty() {
        w.w(0, "Active Jobs:\t<none>\n");
    } else {
        w.f(0, format_args!("Active Jobs:\t{}\n", active.join(", ")));
    }
}

fn daemonset(ctx: &Context<'_>, w: &mut W, o: &Value, now: Time) {
    name_ns(w, o);
    w.f(
        0,
        format_args!(
            "Selector:\t{}\n",
            printers::selector_string(object::at(o, "spec.selector"))
        ),
    );
    w.f(
        0,
        format_args!(
            "Node-Selector:\t{}\n",
            printers::map_labels(o, "spec.template.spec.nodeSelector")
        ),
    );
    labels_annotations(w, o);
    let st = |k: &str| num(o, &format!("status.{k}")).unwrap_or(0);
    w.f(
        0,
        format_args!(
            "Desired Number of Nodes Scheduled: {}\n",
            st("desiredNumberScheduled")
        ),
    );
    w.f(
        0,
        format_args!(
            "Current Number of Nodes Scheduled: {}\n",
            st("currentNumberScheduled")
        ),
    );
    w.f(
        0,
        format_args!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            st("updatedNumberScheduled")
        ),
    );
    w.f(
        0,
        format_args!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            st("numberAvailable")
        ),
    );
    w.f(
        0,
        format_args!(
            "Number of Nodes Misscheduled: {}\n",
            st("numberMisscheduled")
        ),
    );
    w.w(0, &pod_phases(ctx, o));
    if let Some(t) = object::at(o, "spec.template") {
        pod_template(w, t, now);
    }
}

fn statefulset(ctx: &Context<'_>, w: &mut W, o: &Value, now: Time) {
    name_ns(w, o);
    w.f(
        0,
        format_args!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(s(o, "metadata.creationTimestamp"))
        ),
    );
    w.f(
        0,
        format_args!(
            "Selector:\t{}\n",
            printers::selector_string(object::at(o, "spec.selector"))
        ),
    );
    labels_annotations(w, o);
    w.f(
        0,
        format_args!(
            "Replicas:\t{} desired | {} total\n",
            num(o, "spec.replicas").unwrap_or(1),
            num(o, "status.replicas").unwrap_or(0)
        ),
    );
    w.f(
        0,
        format_args!("Update Strategy:\t{}\n", s(o, "spec.updateStrategy.type")),
    );
    if let Some(p) = num(o, "spec.updateStrategy.rollingUpdate.partition") {
        w.f(1, format_args!("Partition:\t{p}\n"));
        if let Some(mu) = printers::int_or_string(object::at(
            o,
            "spec.updateStrategy.rollingUpdate.maxUnavailable",
        )) {
            w.f(1, format_args!("MaxUnavailable:\t{mu}\n"));
        }
    }
    w.w(0, &pod_phases(ctx, o));
    if let Some(t) = object::at(o, "spec.template") {
        pod_template(w, t, now);
    }
    // `describeVolumeClaimTemplates`.
    let templates = arr(o, "spec.volumeClaimTemplates");
    if templates.is_empty() {
        w.w(0, "Volume Claims:\t<none>\n");
    } else {
        w.w(0, "Volume Claims:\n");
        for t in templates {
            w.f(1, format_args!("Name:\t{}\n", object::name(t)));
            w.f(1, format_args!("StorageClass:\t{}\n", claim_class(t)));
            labels_multiline(w, "  Labels", &sorted_map(t, "metadata.labels"));
            labels_multiline(w, "  Annotations", &sorted_map(t, "metadata.annotations"));
            match object::at(t, "spec.resources.requests.storage") {
                Some(c) => w.f(1, format_args!("Capacity:\t{}\n", text(Some(c)))),
                None => w.w(1, "Capacity:\t<default>\n"),
            }
            w.f(
                1,
                format_args!("Access Modes:\t{}\n", go_list(t, "spec.accessModes")),
            );
        }
    }
}

/// `describeHorizontalPodAutoscalerV2` (the v1 object is read as v2).
fn hpa(w: &mut W, o: &Value) {
    name_ns(w, o);
    labels_annotations(w, o);
    w.f(
        0,
        format_args!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(s(o, "metadata.creationTimestamp"))
        ),
    );
    w.f(
        0,
        format_args!(
            "Reference:\t{}/{}\n",
            s(o, "spec.scaleTargetRef.kind"),
            s(o, "spec.scaleTargetRef.name")
        ),
    );
    w.w(0, "Metrics:\t( current / target )\n");
    let current = arr(o, "status.currentMetrics");
    for (i, m) in arr(o, "spec.metrics").iter().enumerate() {
        let cur = current.get(i);
        let ty = s(m, "type");
        // The current metric of the same source, if the status has one.
        let cur_of = |key: &str| cur.and_then(|c| c.get(key)).filter(|v| v.is_object());
        match ty {
            "Resource" | "ContainerResource" => {
                let key = if ty == "Resource" {
                    "resource"
                } else {
                    "containerResource"
                };
                let src = m.get(key).cloned().unwrap_or(Value::Null);
                let head = if ty == "Resource" {
                    format!("resource {} on pods", s(&src, "name"))
                } else {
                    format!(
                        "resource {} of container \"{}\" on pods",
                        s(&src, "name"),
                        s(&src, "container")
                    )
                };
                if let Some(avg) = object::at(&src, "target.averageValue") {
                    let c = cur_of(key)
                        .and_then(|c| object::at(c, "current.averageValue"))
                        .map(|v| text(Some(v)))
                        .unwrap_or_else(|| "<unknown>".into());
                    w.f(1, format_args!("{head}:\t{c} / {}\n", text(Some(avg))));
                } else {
                    let c = cur_of(key)
                        .and_then(|c| {
                            let u = num(c, "current.averageUtilization")?;
                            Some(format!(
                                "{u}% ({})",
                                text(object::at(c, "current.averageValue"))
                            ))
                        })
                        .unwrap_or_else(|| "<unknown>".into());
                    let target = num(&src, "target.averageUtilization")
                        .map(|t| format!("{t}%"))
                        .unwrap_or_else(|| "<auto>".into());
                    w.w(1, &head);
                    w.f(
                        1,
                        format_args!("(as a percentage of request):\t{c} / {target}\n"),
                    );
                }
            }
            "Pods" => {
                let c = cur_of("pods")
                    .and_then(|c| object::at(c, "current.averageValue"))
                    .map(|v| text(Some(v)))
                    .unwrap_or_else(|| "<unknown>".into());
                w.f(
                    1,
                    format_args!(
                        "\"{}\" on pods:\t{c} / {}\n",
                        s(m, "pods.metric.name"),
                        text(object::at(m, "pods.target.averageValue"))
                    ),
                );
            }
            "Object" => {
                w.f(
                    1,
                    format_args!(
                        "\"{}\" on {}/{} ",
                        s(m, "object.metric.name"),
                        s(m, "object.describedObject.kind"),
                        s(m, "object.describedObject.name")
                    ),
                );
                let (field, title) = if s(m, "object.target.type") == "AverageValue" {
                    ("averageValue", "(target average value)")
                } else {
                    ("value", "(target value)")
                };
                let c = cur_of("object")
                    .and_then(|c| c.get("current").and_then(|x| x.get(field)))
                    .map(|v| text(Some(v)))
                    .unwrap_or_else(|| "<unknown>".into());
                let t = text(object::at(m, &format!("object.target.{field}")));
                w.f(0, format_args!("{title}:\t{c} / {t}\n"));
            }
            "External" => {
                let (field, title) = if object::at(m, "external.target.averageValue").is_some() {
                    ("averageValue", "target average value")
                } else {
                    ("value", "target value")
                };
                let c = cur_of("external")
                    .and_then(|c| c.get("current").and_then(|x| x.get(field)))
                    .map(|v| text(Some(v)))
                    .unwrap_or_else(|| "<unknown>".into());
                let t = text(object::at(m, &format!("external.target.{field}")));
                w.f(
                    1,
                    format_args!(
                        "\"{}\" ({title}):\t{c} / {t}\n",
                        s(m, "external.metric.name")
                    ),
                );
            }
            other => w.f(1, format_args!("<unknown metric type \"{other}\">\n")),
        }
    }
    match num(o, "spec.minReplicas") {
        Some(n) => w.f(0, format_args!("Min replicas:\t{n}\n")),
        None => w.w(0, "Min replicas:\t<unset>\n"),
    }
    w.f(
        0,
        format_args!(
            "Max replicas:\t{}\n",
            num(o, "spec.maxReplicas").unwrap_or(0)
        ),
    );
    if let Some(b) = object::at(o, "spec.behavior").filter(|b| b.is_object()) {
        w.w(0, "Behavior:\n");
        for (key, title) in [("scaleUp", "Scale Up"), ("scaleDown", "Scale Down")] {
            let Some(r) = b.get(key).filter(|r| r.is_object()) else {
                continue;
            };
            w.f(1, format_args!("{title}:\n"));
            if let Some(sw) = num(r, "stabilizationWindowSeconds") {
                w.f(2, format_args!("Stabilization Window: {sw} seconds\n"));
            }
            let policies = arr(r, "policies");
            if !policies.is_empty() {
                let select = match s(r, "selectPolicy") {
                    "" => "Max",
                    x => x,
                };
                w.f(2, format_args!("Select Policy: {select}\n"));
                w.w(2, "Policies:\n");
                for p in policies {
                    w.f(
                        3,
                        format_args!(
                            "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                            s(p, "type"),
                            num(p, "value").unwrap_or(0),
                            num(p, "periodSeconds").unwrap_or(0)
                        ),
                    );
                }
            }
        }
    }
    w.f(
        0,
        format_args!(
            "{} pods:\t{} current / {} desired\n",
            s(o, "spec.scaleTargetRef.kind"),
            num(o, "status.currentReplicas").unwrap_or(0),
            num(o, "status.desiredReplicas").unwrap_or(0)
        ),
    );
    let conds = arr(o, "status.conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tReason\tMessage\n");
        w.w(1, "----\t------\t------\t-------\n");
        for c in conds {
            w.f(
                1,
                format_args!(
                    "{}\t{}\t{}\t{}\n",
                    s(c, "type"),
                    s(c, "status"),
                    s(c, "reason"),
                    s(c, "message")
                ),
            );
        }
    }
}

/// `GetPersistentVolumeClaimClass` / `GetPersistentVolumeClass`: the beta
/// annotation wins over `spec.storageClassName`.
fn claim_class(o: &Value) -> String {
    let ann = object::string_map(o, "metadata.annotations");
    if let Some((_, v)) = ann
        .iter()
        .find(|(k, _)| k == "volume.beta.kubernetes.io/storage-class")
    {
        return v.clone();
    }
    s(o, "spec.storageClassName").to_string()
}

fn terminating(o: &Value, now: Time) -> Option<String> {
    let t = s(o, "metadata.deletionTimestamp");
    if t.is_empty() {
        return None;
    }
    let lasts = Time::parse_rfc3339(t)
        .map(|t| duration::human(now - t))
        .unwrap_or_else(|| "<unknown>".into());
    Some(format!("Status:\tTerminating (lasts {lasts})\n"))
}

fn pv(w: &mut W, o: &Value, now: Time) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    labels_annotations(w, o);
    w.f(
        0,
        format_args!("Finalizers:\t{}\n", go_list(o, "metadata.finalizers")),
    );
    w.f(0, format_args!("StorageClass:\t{}\n", claim_class(o)));
    match terminating(o, now) {
        Some(t) => w.w(0, &t),
        None => w.f(0, format_args!("Status:\t{}\n", s(o, "status.phase"))),
    }
    if object::at(o, "spec.claimRef").is_some_and(Value::is_object) {
        w.f(
            0,
            format_args!(
                "Claim:\t{}/{}\n",
                s(o, "spec.claimRef.namespace"),
                s(o, "spec.claimRef.name")
            ),
        );
    } else {
        w.w(0, "Claim:\t\n");
    }
    w.f(
        0,
        format_args!(
            "Reclaim Policy:\t{}\n",
            s(o, "spec.persistentVolumeReclaimPolicy")
        ),
    );
    w.f(
        0,
        format_args!(
            "Access Modes:\t{}\n",
            printers::storage::access_modes(o, "spec.accessModes")
        ),
    );
    if !s(o, "spec.volumeMode").is_empty() {
        w.f(
            0,
            format_args!("VolumeMode:\t{}\n", s(o, "spec.volumeMode")),
        );
    }
    w.f(
        0,
        format_args!(
            "Capacity:\t{}\n",
            text(object::at(o, "spec.capacity.storage"))
        ),
    );
    // `printVolumeNodeAffinity`.
    match object::at(o, "spec.nodeAffinity.required") {
        None => w.w(0, "Node Affinity:\t<none>\n"),
        Some(req) => {
            w.w(0, "Node Affinity:\t\n");
            let terms = arr(req, "nodeSelectorTerms");
            if terms.is_empty() {
                w.w(1, "Required Terms:\t<none>\n");
            } else {
                w.w(1, "Required Terms:\t\n");
                for (i, t) in terms.iter().enumerate() {
                    w.f(2, format_args!("Term {i}:\t"));
                    let exprs = arr(t, "matchExpressions");
                    if exprs.is_empty() {
                        w.w(0, "<none>\n");
                    }
                    for (j, e) in exprs.iter().enumerate() {
                        if j != 0 {
                            w.w(2, "\t");
                        }
                        let mut line =
                            format!("{} {}", s(e, "key"), s(e, "operator").to_ascii_lowercase());
                        let values: Vec<&str> =
                            arr(e, "values").iter().filter_map(Value::as_str).collect();
                        if !values.is_empty() {
                            line.push_str(&format!(" [{}]", values.join(", ")));
                        }
                        w.f(0, format_args!("{line}\n"));
                    }
                }
            }
        }
    }
    w.f(0, format_args!("Message:\t{}\n", s(o, "status.message")));
    w.w(0, "Source:\n");
    let spec = object::at(o, "spec").cloned().unwrap_or(Value::Null);
    if let Some(h) = spec.get("hostPath") {
        let ty = match h.get("type") {
            None | Some(Value::Null) => "<none>".to_string(),
            Some(t) => text(Some(t)),
        };
        w.f(
            2,
            format_args!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{ty}\n",
                s(h, "path")
            ),
        );
    } else if let Some(n) = spec.get("nfs") {
        let ro = n.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        w.f(
            2,
            format_args!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{ro}\n",
                s(n, "server"),
                s(n, "path")
            ),
        );
    } else if let Some(l) = spec.get("local") {
        w.f(
            2,
            format_args!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                s(l, "path")
            ),
        );
    } else if let Some(c) = spec.get("csi") {
        let ro = c.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        w.f(
            2,
            format_args!(
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{ro}\n",
                s(c, "driver"),
                s(c, "fsType"),
                s(c, "volumeHandle")
            ),
        );
        let attrs = sorted_map(c, "volumeAttributes");
        if attrs.is_empty() {
            w.w(2, "VolumeAttributes:\t<none>\n");
        } else {
            for (i, (k, v)) in attrs.iter().enumerate() {
                if i == 0 {
                    w.f(2, format_args!("VolumeAttributes:\t{k}={v}\n"));
                } else {
                    w.f(2, format_args!("                 \t{k}={v}\n"));
                }
            }
        }
    } else {
        w.w(1, "<unknown>\n");
    }
}

fn pvc(ctx: &Context<'_>, w: &mut W, o: &Value, now: Time) {
    name_ns(w, o);
    w.f(0, format_args!("StorageClass:\t{}\n", claim_class(o)));
    match terminating(o, now) {
        Some(t) => w.w(0, &t),
        None => w.f(0, format_args!("Status:\t{}\n", s(o, "status.phase"))),
    }
    let volume = s(o, "spec.volumeName");
    w.f(0, format_args!("Volume:\t{volume}\n"));
    labels_annotations(w, o);
    w.f(
        0,
        format_args!("Finalizers:\t{}\n", go_list(o, "metadata.finalizers")),
    );
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            text(object::at(o, "status.capacity.storage")),
            printers::storage::access_modes(o, "status.accessModes"),
        )
    };
    w.f(0, format_args!("Capacity:\t{capacity}\n"));
    w.f(0, format_args!("Access Modes:\t{modes}\n"));
    if !s(o, "spec.volumeMode").is_empty() {
        w.f(
            0,
            format_args!("VolumeMode:\t{}\n", s(o, "spec.volumeMode")),
        );
    }
    if let Some(ds) = object::at(o, "spec.dataSource").filter(|d| d.is_object()) {
        w.w(0, "DataSource:\n");
        if !s(ds, "apiGroup").is_empty() {
            w.f(1, format_args!("APIGroup:\t{}\n", s(ds, "apiGroup")));
        }
        w.f(1, format_args!("Kind:\t{}\n", s(ds, "kind")));
        w.f(1, format_args!("Name:\t{}\n", s(ds, "name")));
    }
    // `getPodsForPVC`: the pods mounting the claim, then its owner pod.
    let pods = api::resolve("pods")
        .map(|r| ctx.cluster.apiserver.list(r, object::namespace(o)))
        .unwrap_or_default();
    let claim = object::name(o);
    let mut users: Vec<String> = Vec::new();
    for p in &pods {
        for v in arr(p, "spec.volumes") {
            if s(v, "persistentVolumeClaim.claimName") == claim {
                users.push(object::name(p).to_string());
            }
        }
    }
    for r in arr(o, "metadata.ownerReferences") {
        if s(r, "kind") != "Pod" {
            continue;
        }
        if let Some(p) = pods.iter().find(|p| s(p, "metadata.uid") == s(r, "uid")) {
            let name = object::name(p).to_string();
            if !users.contains(&name) {
                users.push(name);
            }
        }
    }
    crate::sort::sort(&mut users);
    if users.is_empty() {
        w.w(0, "Used By:\t<none>\n");
    } else {
        for (i, u) in users.iter().enumerate() {
            if i == 0 {
                w.f(0, format_args!("Used By:\t{u}\n"));
            } else {
                w.f(0, format_args!("\t{u}\n"));
            }
        }
    }
    conditions_table(w, o, "LastProbeTime", "lastProbeTime");
}

fn storage_class(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    let ann = object::string_map(o, "metadata.annotations");
    let default = ann.iter().any(|(k, v)| {
        (k == "storageclass.kubernetes.io/is-default-class"
            || k == "storageclass.beta.kubernetes.io/is-default-class")
            && v == "true"
    });
    w.f(
        0,
        format_args!("IsDefaultClass:\t{}\n", if default { "Yes" } else { "No" }),
    );
    w.f(
        0,
        format_args!(
            "Annotations:\t{}\n",
            printers::format_labels(&sorted_map(o, "metadata.annotations"))
        ),
    );
    w.f(0, format_args!("Provisioner:\t{}\n", s(o, "provisioner")));
    w.f(
        0,
        format_args!(
            "Parameters:\t{}\n",
            printers::format_labels(&sorted_map(o, "parameters"))
        ),
    );
    w.f(
        0,
        format_args!(
            "AllowVolumeExpansion:\t{}\n",
            bool_ptr(o, "allowVolumeExpansion")
        ),
    );
    let opts: Vec<&str> = arr(o, "mountOptions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if opts.is_empty() {
        w.w(0, "MountOptions:\t<none>\n");
    } else {
        w.w(0, "MountOptions:\n");
        for x in opts {
            w.f(1, format_args!("{x}\n"));
        }
    }
    if !s(o, "reclaimPolicy").is_empty() {
        w.f(
            0,
            format_args!("ReclaimPolicy:\t{}\n", s(o, "reclaimPolicy")),
        );
    }
    if !s(o, "volumeBindingMode").is_empty() {
        w.f(
            0,
            format_args!("VolumeBindingMode:\t{}\n", s(o, "volumeBindingMode")),
        );
    }
    if let Some(t) = o.get("allowedTopologies").and_then(Value::as_array) {
        if t.is_empty() {
            w.w(0, "AllowedTopologies:\t<none>\n");
        } else {
            w.w(0, "AllowedTopologies:\t\n");
            for (i, term) in t.iter().enumerate() {
                w.f(1, format_args!("Term {i}:\t"));
                let exprs = arr(term, "matchLabelExpressions");
                for (j, e) in exprs.iter().enumerate() {
                    if j != 0 {
                        w.w(1, "\t");
                    }
                    let values: Vec<&str> =
                        arr(e, "values").iter().filter_map(Value::as_str).collect();
                    w.f(
                        0,
                        format_args!("{} in [{}]\n", s(e, "key"), values.join(", ")),
                    );
                }
                if exprs.is_empty() {
                    w.w(0, "<none>\n");
                }
            }
        }
    }
}

/// `describeBackendV1`: `svc:port (endpoints)`.
fn ingress_backend(ctx: &Context<'_>, ns: &str, b: &Value) -> String {
    if let Some(svc) = b.get("service").filter(|x| x.is_object()) {
        let name = s(svc, "name");
        let number = num(svc, "port.number").unwrap_or(0);
        let port_name = s(svc, "port.name");
        let sb = if number != 0 {
            format!("{name}:{number}")
        } else {
            format!("{name}:{port_name}")
        };
        let Some(svc_res) = api::resolve("services") else {
            return sb;
        };
        let service = match ctx.cluster.apiserver.get(svc_res, Some(ns), name) {
            Ok(x) => x,
            Err(e) => return format!("{sb} (<error: {}>)", e.message()),
        };
        let mut sp_name = "";
        for sp in arr(&service, "spec.ports") {
            if (number != 0 && num(sp, "port") == Some(number))
                || (!port_name.is_empty() && s(sp, "name") == port_name)
            {
                sp_name = s(sp, "name");
            }
        }
        let slices: Vec<Value> = api::resolve("endpointslices.discovery.k8s.io")
            .map(|r| ctx.cluster.apiserver.list(r, Some(ns)))
            .unwrap_or_default()
            .into_iter()
            .filter(|e| {
                object::string_map(e, "metadata.labels")
                    .iter()
                    .any(|(k, v)| k == "kubernetes.io/service-name" && v == name)
            })
            .collect();
        let ep = if slices.is_empty() {
            "<none>".to_string()
        } else {
            endpoints_for_port(&slices, sp_name)
        };
        return format!("{sb} ({ep})");
    }
    if let Some(r) = b.get("resource").filter(|x| x.is_object()) {
        let group = match s(r, "apiGroup") {
            "" => "<none>",
            g => g,
        };
        return format!(
            "APIGroup: {group}, Kind: {}, Name: {}",
            s(r, "kind"),
            s(r, "name")
        );
    }
    String::new()
}

fn ingress(ctx: &Context<'_>, w: &mut W, o: &Value) {
    let ns = object::namespace(o).unwrap_or("default");
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    labels_multiline(w, "Labels", &sorted_map(o, "metadata.labels"));
    w.f(0, format_args!("Namespace:\t{ns}\n"));
    let mut addrs: Vec<&str> = arr(o, "status.loadBalancer.ingress")
        .iter()
        .filter_map(|i| {
            object::str_at(i, "ip")
                .filter(|x| !x.is_empty())
                .or_else(|| object::str_at(i, "hostname"))
        })
        .collect();
    crate::sort::sort(&mut addrs);
    addrs.dedup();
    w.f(0, format_args!("Address:\t{}\n", addrs.join(",")));
    let class = match s(o, "spec.ingressClassName") {
        "" => "<none>",
        c => c,
    };
    w.f(0, format_args!("Ingress Class:\t{class}\n"));
    let default = object::at(o, "spec.defaultBackend")
        .filter(|d| d.is_object())
        .map(|d| ingress_backend(ctx, ns, d))
        .unwrap_or_else(|| "<default>".into());
    w.f(0, format_args!("Default backend:\t{default}\n"));
    let tls = arr(o, "spec.tls");
    if !tls.is_empty() {
        w.w(0, "TLS:\n");
        for t in tls {
            let hosts: Vec<&str> = arr(t, "hosts").iter().filter_map(Value::as_str).collect();
            if s(t, "secretName").is_empty() {
                w.f(1, format_args!("SNI routes {}\n", hosts.join(",")));
            } else {
                w.f(
                    1,
                    format_args!("{} terminates {}\n", s(t, "secretName"), hosts.join(",")),
                );
            }
        }
    }
    w.w(0, "Rules:\n  Host\tPath\tBackends\n");
    w.w(1, "----\t----\t--------\n");
    let mut count = 0;
    for r in arr(o, "spec.rules") {
        let Some(http) = r.get("http").filter(|h| h.is_object()) else {
            continue;
        };
        count += 1;
        let host = match s(r, "host") {
            "" => "*",
            h => h,
        };
        w.f(1, format_args!("{host}\t\n"));
        for p in arr(http, "paths") {
            let backend = p
                .get("backend")
                .map(|b| ingress_backend(ctx, ns, b))
                .unwrap_or_default();
            w.f(2, format_args!("\t{} \t{backend}\n", s(p, "path")));
        }
    }
    if count == 0 {
        w.f(1, format_args!("*\t*\t{default}\n"));
    }
    annotations_multiline(w, "Annotations", &sorted_map(o, "metadata.annotations"));
}

fn ingress_class(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    labels_annotations(w, o);
    w.f(
        0,
        format_args!("Controller:\t{}\n", s(o, "spec.controller")),
    );
    if let Some(p) = object::at(o, "spec.parameters").filter(|p| p.is_object()) {
        w.w(0, "Parameters:\n");
        if !s(p, "apiGroup").is_empty() {
            w.f(1, format_args!("APIGroup:\t{}\n", s(p, "apiGroup")));
        }
        w.f(1, format_args!("Kind:\t{}\n", s(p, "kind")));
        w.f(1, format_args!("Name:\t{}\n", s(p, "name")));
    }
}

/// Go's `time.Time.String()` in UTC: `2025-04-23 08:00:00 +0000 UTC`.
fn go_time_string(ts: &str) -> String {
    match Time::parse_rfc3339(ts) {
        Some(t) => {
            let r = t.rfc3339();
            format!("{} {} +0000 UTC", &r[0..10], &r[11..19])
        }
        None => "0001-01-01 00:00:00 +0000 UTC".into(),
    }
}

/// The peers of one ingress (`From`) or egress (`To`) rule.
fn policy_peers(w: &mut W, rules: &[Value], ingress: bool) {
    let indent = "    ";
    let (peers_key, title, isolated, any_peer) = if ingress {
        (
            "from",
            "From",
            "<none> (Selected pods are isolated for ingress connectivity)",
            "From: <any> (traffic not restricted by source)",
        )
    } else {
        (
            "to",
            "To",
            "<none> (Selected pods are isolated for egress connectivity)",
            "To: <any> (traffic not restricted by destination)",
        )
    };
    if rules.is_empty() {
        w.f(0, format_args!("{indent}{isolated}\n"));
        return;
    }
    for (i, r) in rules.iter().enumerate() {
        let ports = arr(r, "ports");
        if ports.is_empty() {
            w.f(
                0,
                format_args!("{indent}To Port: <any> (traffic allowed to all ports)\n"),
            );
        }
        for p in ports {
            let proto = match s(p, "protocol") {
                "" => "TCP",
                x => x,
            };
            let port = printers::int_or_string(p.get("port")).unwrap_or_else(|| "<nil>".into());
            match num(p, "endPort") {
                None => w.f(0, format_args!("{indent}To Port: {port}/{proto}\n")),
                Some(end) => w.f(
                    0,
                    format_args!("{indent}To Port Range: {port}-{end}/{proto}\n"),
                ),
            }
        }
        let peers = arr(r, peers_key);
        if peers.is_empty() {
            w.f(0, format_args!("{indent}{any_peer}\n"));
        }
        for peer in peers {
            w.f(0, format_args!("{indent}{title}:\n"));
            let pod = peer.get("podSelector").filter(|x| x.is_object());
            let ns = peer.get("namespaceSelector").filter(|x| x.is_object());
            let fmt = |v: &Value| {
                let t = printers::selector_string(Some(v));
                if t.is_empty() {
                    "<none>".to_string()
                } else {
                    t
                }
            };
            match (pod, ns) {
                (Some(p), Some(n)) => {
                    w.f(1, format_args!("{indent}NamespaceSelector: {}\n", fmt(n)));
                    w.f(1, format_args!("{indent}PodSelector: {}\n", fmt(p)));
                }
                (Some(p), None) => w.f(1, format_args!("{indent}PodSelector: {}\n", fmt(p))),
                (None, Some(n)) => w.f(1, format_args!("{indent}NamespaceSelector: {}\n", fmt(n))),
                (None, None) => {
                    if let Some(b) = peer.get("ipBlock").filter(|x| x.is_object()) {
                        let except: Vec<&str> =
                            arr(b, "except").iter().filter_map(Value::as_str).collect();
                        w.f(1, format_args!("{indent}IPBlock:\n"));
                        w.f(2, format_args!("{indent}CIDR: {}\n", s(b, "cidr")));
                        w.f(2, format_args!("{indent}Except: {}\n", except.join(", ")));
                    }
                }
            }
        }
        if i != rules.len() - 1 {
            w.f(0, format_args!("{indent}----------\n"));
        }
    }
}

/// `describeNetworkPolicy` (no Events section).
fn network_policy(w: &mut W, o: &Value) {
    name_ns(w, o);
    w.f(
        0,
        format_args!(
            "Created on:\t{}\n",
            go_time_string(s(o, "metadata.creationTimestamp"))
        ),
    );
    labels_annotations(w, o);
    w.w(0, "Spec:\n");
    w.w(1, "PodSelector: ");
    let sel = printers::selector_string(object::at(o, "spec.podSelector"));
    if sel.is_empty() {
        w.w(
            2,
            "<none> (Allowing the specific traffic to all pods in this namespace)\n",
        );
    } else {
        w.f(2, format_args!("{sel}\n"));
    }
    let types: Vec<&str> = arr(o, "spec.policyTypes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if types.contains(&"Ingress") {
        w.w(1, "Allowing ingress traffic:\n");
        policy_peers(w, arr(o, "spec.ingress"), true);
    } else {
        w.w(1, "Not affecting ingress traffic\n");
    }
    if types.contains(&"Egress") {
        w.w(1, "Allowing egress traffic:\n");
        policy_peers(w, arr(o, "spec.egress"), false);
    } else {
        w.w(1, "Not affecting egress traffic\n");
    }
    let pt = if types.is_empty() {
        "<none>".to_string()
    } else {
        types.join(", ")
    };
    w.f(1, format_args!("Policy Types: {pt}\n"));
}

fn endpoints(w: &mut W, o: &Value) {
    name_ns(w, o);
    labels_annotations(w, o);
    w.w(0, "Subsets:\n");
    for sub in arr(o, "subsets") {
        for (key, title) in [
            ("addresses", "Addresses"),
            ("notReadyAddresses", "NotReadyAddresses"),
        ] {
            let ips: Vec<&str> = arr(sub, key).iter().map(|a| s(a, "ip")).collect();
            let text = if ips.is_empty() {
                "<none>".to_string()
            } else {
                ips.join(",")
            };
            w.f(1, format_args!("{title}:\t{text}\n"));
        }
        let ports = arr(sub, "ports");
        if !ports.is_empty() {
            w.w(1, "Ports:\n");
            w.w(2, "Name\tPort\tProtocol\n");
            w.w(2, "----\t----\t--------\n");
            for p in ports {
                let name = match s(p, "name") {
                    "" => "<unset>",
                    n => n,
                };
                w.f(
                    2,
                    format_args!(
                        "{name}\t{}\t{}\n",
                        num(p, "port").unwrap_or(0),
                        s(p, "protocol")
                    ),
                );
            }
        }
        w.w(0, "\n");
    }
}

fn service_account(ctx: &Context<'_>, w: &mut W, o: &Value) {
    name_ns(w, o);
    labels_annotations(w, o);
    let secrets = api::resolve("secrets")
        .map(|r| ctx.cluster.apiserver.list(r, object::namespace(o)))
        .unwrap_or_default();
    let existing: Vec<&str> = secrets.iter().map(object::name).collect();
    let tokens: Vec<&str> = secrets
        .iter()
        .filter(|x| {
            s(x, "type") == "kubernetes.io/service-account-token"
                && object::string_map(x, "metadata.annotations")
                    .iter()
                    .any(|(k, v)| k == "kubernetes.io/service-account.name" && v == object::name(o))
                && object::string_map(x, "metadata.annotations")
                    .iter()
                    .any(|(k, v)| {
                        k == "kubernetes.io/service-account.uid" && v == s(o, "metadata.uid")
                    })
        })
        .map(object::name)
        .collect();
    let names = |key: &str| -> Vec<&str> { arr(o, key).iter().map(|x| s(x, "name")).collect() };
    // kubectl sorts the three headers as strings.
    let sections: [(&str, Vec<&str>, bool); 3] = [
        ("Image pull secrets:", names("imagePullSecrets"), true),
        ("Mountable secrets: ", names("secrets"), true),
        ("Tokens:            ", tokens, false),
    ];
    for (header, list, check) in sections {
        if list.is_empty() {
            w.f(0, format_args!("{header}\t<none>\n"));
            continue;
        }
        let mut prefix = header;
        for n in list {
            if check && !existing.contains(&n) {
                w.f(0, format_args!("{prefix}\t{n} (not found)\n"));
            } else {
                w.f(0, format_args!("{prefix}\t{n}\n"));
            }
            prefix = "                   ";
        }
    }
}

/// One rule after `BreakdownRule` and `CompactRules`.
struct Rule {
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
    verbs: Vec<String>,
}

impl Rule {
    /// `PolicyRule.String()`, kubectl's sort key.
    fn key(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:[{}],APIGroups:[{}],Resources:[{}],ResourceNames:[{}],NonResourceURLs:[{}],}}",
            self.verbs.join(" "),
            self.groups.join(" "),
            self.resources.join(" "),
            self.names.join(" "),
            self.urls.join(" ")
        )
    }
}

fn strings(o: &Value, key: &str) -> Vec<String> {
    arr(o, key)
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// `BreakdownRule` then `CompactRules`: one row per group, resource and
/// resource name with its verbs merged; non-resource URLs one per verb.
fn compact_rules(o: &Value) -> Vec<Rule> {
    let mut simple: Vec<Rule> = Vec::new();
    let mut other: Vec<Rule> = Vec::new();
    for r in arr(o, "rules") {
        let verbs = strings(r, "verbs");
        let names = strings(r, "resourceNames");
        for g in strings(r, "apiGroups") {
            for res in strings(r, "resources") {
                for v in &verbs {
                    let name_sets: Vec<Vec<String>> = if names.is_empty() {
                        vec![vec![]]
                    } else {
                        names.iter().map(|n| vec![n.clone()]).collect()
                    };
                    for ns in name_sets {
                        if let Some(x) = simple
                            .iter_mut()
                            .find(|x| x.groups[0] == g && x.resources[0] == res && x.names == ns)
                        {
                            if !x.verbs.contains(v) {
                                x.verbs.push(v.clone());
                            }
                        } else {
                            simple.push(Rule {
                                groups: vec![g.clone()],
                                resources: vec![res.clone()],
                                names: ns,
                                urls: vec![],
                                verbs: vec![v.clone()],
                            });
                        }
                    }
                }
            }
        }
        for u in strings(r, "nonResourceURLs") {
            for v in &verbs {
                other.push(Rule {
                    groups: vec![],
                    resources: vec![],
                    names: vec![],
                    urls: vec![u.clone()],
                    verbs: vec![v.clone()],
                });
            }
        }
    }
    other.extend(simple);
    crate::sort::sort_by_key(&mut other, Rule::key);
    other
}

fn role(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    labels_annotations(w, o);
    w.w(0, "PolicyRule:\n");
    w.w(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    w.w(1, "---------\t-----------------\t--------------\t-----\n");
    for r in compact_rules(o) {
        // `CombineResourceGroup`.
        let combined = match r.resources.first() {
            None => String::new(),
            Some(res) => {
                let (base, sub) = match res.split_once('/') {
                    Some((b, s)) => (b, Some(s)),
                    None => (res.as_str(), None),
                };
                let mut c = base.to_string();
                if let Some(g) = r.groups.first().filter(|g| !g.is_empty()) {
                    c.push('.');
                    c.push_str(g);
                }
                if let Some(sub) = sub {
                    c.push('/');
                    c.push_str(sub);
                }
                c
            }
        };
        w.f(
            1,
            format_args!(
                "{combined}\t[{}]\t[{}]\t[{}]\n",
                r.urls.join(" "),
                r.names.join(" "),
                r.verbs.join(" ")
            ),
        );
    }
}

fn binding(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    labels_annotations(w, o);
    w.w(0, "Role:\n");
    w.f(1, format_args!("Kind:\t{}\n", s(o, "roleRef.kind")));
    w.f(1, format_args!("Name:\t{}\n", s(o, "roleRef.name")));
    w.w(0, "Subjects:\n");
    w.w(1, "Kind\tName\tNamespace\n");
    w.w(1, "----\t----\t---------\n");
    for sub in arr(o, "subjects") {
        w.f(
            1,
            format_args!(
                "{}\t{}\t{}\n",
                s(sub, "kind"),
                s(sub, "name"),
                s(sub, "namespace")
            ),
        );
    }
}

fn priority_class(w: &mut W, o: &Value) {
    w.f(0, format_args!("Name:\t{}\n", object::name(o)));
    w.f(
        0,
        format_args!("Value:\t{}\n", num(o, "value").unwrap_or(0)),
    );
    let global = o
        .get("globalDefault")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    w.f(0, format_args!("GlobalDefault:\t{global}\n"));
    w.f(
        0,
        format_args!("PreemptionPolicy:\t{}\n", s(o, "preemptionPolicy")),
    );
    w.f(0, format_args!("Description:\t{}\n", s(o, "description")));
    w.f(
        0,
        format_args!(
            "Annotations:\t{}\n",
            printers::format_labels(&sorted_map(o, "metadata.annotations"))
        ),
    );
}

/// `describePodDisruptionBudgetV1`.
fn pdb(w: &mut W, o: &Value) {
    name_ns(w, o);
    if let Some(m) = printers::int_or_string(object::at(o, "spec.minAvailable")) {
        w.f(0, format_args!("Min available:\t{m}\n"));
    } else if let Some(m) = printers::int_or_string(object::at(o, "spec.maxUnavailable")) {
        w.f(0, format_args!("Max unavailable:\t{m}\n"));
    }
    match object::at(o, "spec.selector").filter(|x| x.is_object()) {
        Some(sel) => {
            let t = printers::selector_string(Some(sel));
            let t = if t.is_empty() {
                "<none>".to_string()
            } else {
                t
            };
            w.f(0, format_args!("Selector:\t{t}\n"));
        }
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    w.w(0, "Status:\n");
    let st = |k: &str| num(o, &format!("status.{k}")).unwrap_or(0);
    w.f(
        2,
        format_args!("Allowed disruptions:\t{}\n", st("disruptionsAllowed")),
    );
    w.f(2, format_args!("Current:\t{}\n", st("currentHealthy")));
    w.f(2, format_args!("Desired:\t{}\n", st("desiredHealthy")));
    w.f(2, format_args!("Total:\t{}\n", st("expectedPods")));
}

/// `describeEndpointSliceV1`.
fn endpoint_slice(w: &mut W, o: &Value) {
    name_ns(w, o);
    labels_annotations(w, o);
    w.f(0, format_args!("AddressType:\t{}\n", s(o, "addressType")));
    let ports = arr(o, "ports");
    if ports.is_empty() {
        w.w(0, "Ports: <unset>\n");
    } else {
        w.w(0, "Ports:\n");
        w.w(1, "Name\tPort\tProtocol\n");
        w.w(1, "----\t----\t--------\n");
        for p in ports {
            let name = match s(p, "name") {
                "" => "<unset>",
                n => n,
            };
            let port = num(p, "port").map_or_else(|| "<unset>".to_string(), |n| n.to_string());
            w.f(1, format_args!("{name}\t{port}\t{}\n", s(p, "protocol")));
        }
    }
    let eps = arr(o, "endpoints");
    if eps.is_empty() {
        w.w(0, "Endpoints: <none>\n");
        return;
    }
    w.w(0, "Endpoints:\n");
    for e in eps {
        let addrs: Vec<&str> = arr(e, "addresses")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let addrs = if addrs.is_empty() {
            "<none>".to_string()
        } else {
            addrs.join(", ")
        };
        w.f(1, format_args!("- Addresses:\t{addrs}\n"));
        w.w(2, "Conditions:\n");
        let ready = object::at(e, "conditions.ready")
            .and_then(Value::as_bool)
            .map_or_else(|| "<unset>".to_string(), |b| b.to_string());
        w.f(3, format_args!("Ready:\t{ready}\n"));
        let or_unset = |path: &str| object::str_at(e, path).unwrap_or("<unset>").to_string();
        w.f(2, format_args!("Hostname:\t{}\n", or_unset("hostname")));
        if e.get("targetRef").is_some_and(Value::is_object) {
            w.f(
                2,
                format_args!(
                    "TargetRef:\t{}/{}\n",
                    s(e, "targetRef.kind"),
                    s(e, "targetRef.name")
                ),
            );
        }
        w.f(2, format_args!("NodeName:\t{}\n", or_unset("nodeName")));
        w.f(2, format_args!("Zone:\t{}\n", or_unset("zone")));
    }
}

/// `smartLabelFor`: `holderIdentity` → `Holder Identity`, `apiVersion` →
/// `API Version`; names with digits or punctuation stay as they are.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    // fatih/camelcase: runs of one character class, an upper-case run's
    // last letter moved to a following lower-case run.
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Lower,
        Upper,
        Other,
    }
    let class = |c: char| {
        if c.is_lowercase() {
            Class::Lower
        } else if c.is_uppercase() {
            Class::Upper
        } else {
            Class::Other
        }
    };
    let mut runs: Vec<(Class, Vec<char>)> = Vec::new();
    for c in field.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some((last, chars)) if *last == k => chars.push(c),
            _ => runs.push((k, vec![c])),
        }
    }
    for i in 0..runs.len().saturating_sub(1) {
        if runs[i].0 == Class::Upper && runs[i + 1].0 == Class::Lower {
            if let Some(c) = runs[i].1.pop() {
                runs[i + 1].1.insert(0, c);
            }
        }
    }
    runs.into_iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(_, c)| {
            let part: String = c.into_iter().collect();
            let upper = crate::case::to_uppercase(&part);
            if ["API", "URL", "UID", "OSB", "GUID"].contains(&upper.as_str()) {
                upper
            } else {
                crate::case::upper_first(&part)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Go's `%v` of an unstructured scalar.
fn go_value(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => "<nil>".into(),
        x => x.to_string(),
    }
}

const GENERIC_SKIP: &[&str] = &[
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

/// `printUnstructuredContent`: every field, sorted, as `Smart Label:\tvalue`.
fn unstructured(w: &mut W, level: usize, content: &serde_json::Map<String, Value>, prefix: &str) {
    let mut fields: Vec<&String> = content.keys().collect();
    crate::sort::sort(&mut fields);
    for field in fields {
        let path = format!("{prefix}.{field}");
        if GENERIC_SKIP.contains(&path.as_str()) {
            continue;
        }
        match &content[field] {
            Value::Object(m) => {
                w.f(level, format_args!("{}:\n", smart_label(field)));
                unstructured(w, level + 1, m, &path);
            }
            Value::Array(items) => {
                w.f(level, format_args!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(m) => unstructured(w, level + 1, m, &path),
                        x => w.f(level + 1, format_args!("{}\n", go_value(x))),
                    }
                }
            }
            x => w.f(
                level,
                format_args!("{}:\t{}\n", smart_label(field), go_value(x)),
            ),
        }
    }
}

/// `genericDescriber`: for kinds kubectl has no describer for (Lease,
/// APIService, ControllerRevision, …). CertificateSigningRequest has one
/// in kubectl (it decodes the request's PEM); Dinghy gives it this one.
pub(super) fn generic(w: &mut W, o: &Value) {
    name_ns(w, o);
    labels_annotations(w, o);
    if let Some(m) = o.as_object() {
        unstructured(w, 0, m, "");
    }
}

#[cfg(test)]
mod tests {
    use super::smart_label;

    #[test]
    fn smart_labels_as_kubectl_makes_them() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("holderIdentity"), "Holder Identity");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("podCIDR"), "Pod CIDR");
        assert_eq!(
            smart_label("leaseDurationSeconds"),
            "Lease Duration Seconds"
        );
        assert_eq!(smart_label("v1"), "v1");
        assert_eq!(smart_label("kubernetes.io/x"), "kubernetes.io/x");
    }
}
