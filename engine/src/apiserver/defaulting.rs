//! Defaulting, as v1.33's registered defaulters do it when a request is
//! decoded (`pkg/apis/core/v1/defaults.go`, `apps/v1`, `batch/v1`,
//! `scheduling/v1`): every field a learner may leave out, filled in so that
//! `kubectl get -o yaml` shows what a real cluster shows. The defaulters of
//! a type run wherever the type appears: a Deployment's pod template gets
//! the PodSpec and Container defaults, but not the Pod's own
//! (`enableServiceLinks`, requests copied from limits) nor the admission
//! plugins' (tolerations, service account, priority; see `admission.rs`).
//!
//! Status and strategy effects of `PrepareForCreate` (a Pod's `Pending`
//! phase and QoS class, a Namespace's `Active`) are here too, in
//! [`prepare_for_create`].

use serde_json::{json, Map, Value};

/// Runs the defaulters of `kind` over a decoded object.
pub fn apply(kind: &str, obj: &mut Value) {
    match kind {
        "Pod" => {
            if let Some(spec) = obj.get_mut("spec") {
                pod_spec(spec);
                pod_only(spec);
            }
        }
        "PodTemplate" => template(obj.get_mut("template")),
        "ReplicationController" => {
            let labels = obj.pointer("/spec/template/metadata/labels").cloned();
            if let Some(spec) = obj.get_mut("spec") {
                if let Some(l) = labels.clone().filter(non_empty_map) {
                    if !spec.get("selector").is_some_and(non_empty_map) {
                        set(spec, "selector", l);
                    }
                }
                default(spec, "replicas", json!(1));
                template(spec.get_mut("template"));
            }
            if let Some(l) = labels.filter(non_empty_map) {
                if !obj.pointer("/metadata/labels").is_some_and(non_empty_map) {
                    if let Some(meta) = obj.get_mut("metadata") {
                        set(meta, "labels", l);
                    }
                }
            }
        }
        "Deployment" => {
            if let Some(spec) = obj.get_mut("spec") {
                default(spec, "replicas", json!(1));
                default(spec, "strategy", json!({}));
                if let Some(strategy) = spec.get_mut("strategy") {
                    default(strategy, "type", json!("RollingUpdate"));
                    if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                        default(strategy, "rollingUpdate", json!({}));
                        if let Some(ru) = strategy.get_mut("rollingUpdate") {
                            default(ru, "maxUnavailable", json!("25%"));
                            default(ru, "maxSurge", json!("25%"));
                        }
                    }
                }
                default(spec, "revisionHistoryLimit", json!(10));
                default(spec, "progressDeadlineSeconds", json!(600));
                template(spec.get_mut("template"));
            }
        }
        "ReplicaSet" => {
            if let Some(spec) = obj.get_mut("spec") {
                default(spec, "replicas", json!(1));
                template(spec.get_mut("template"));
            }
        }
        "DaemonSet" => {
            if let Some(spec) = obj.get_mut("spec") {
                default(spec, "updateStrategy", json!({}));
                if let Some(us) = spec.get_mut("updateStrategy") {
                    default(us, "type", json!("RollingUpdate"));
                    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                        default(us, "rollingUpdate", json!({}));
                        if let Some(ru) = us.get_mut("rollingUpdate") {
                            default(ru, "maxUnavailable", json!(1));
                            default(ru, "maxSurge", json!(0));
                        }
                    }
                }
                default(spec, "revisionHistoryLimit", json!(10));
                template(spec.get_mut("template"));
            }
        }
        "StatefulSet" => {
            if let Some(spec) = obj.get_mut("spec") {
                default(spec, "podManagementPolicy", json!("OrderedReady"));
                default(spec, "updateStrategy", json!({}));
                if let Some(us) = spec.get_mut("updateStrategy") {
                    default(us, "type", json!("RollingUpdate"));
                    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                        default(us, "rollingUpdate", json!({}));
                        if let Some(ru) = us.get_mut("rollingUpdate") {
                            default(ru, "partition", json!(0));
                        }
                    }
                }
                default(spec, "replicas", json!(1));
                default(spec, "revisionHistoryLimit", json!(10));
                default(spec, "persistentVolumeClaimRetentionPolicy", json!({}));
                if let Some(p) = spec.get_mut("persistentVolumeClaimRetentionPolicy") {
                    default(p, "whenDeleted", json!("Retain"));
                    default(p, "whenScaled", json!("Retain"));
                }
                for pvc in items_mut(spec, "volumeClaimTemplates") {
                    persistent_volume_claim(pvc);
                    if let Some(meta) = pvc.get_mut("metadata") {
                        default(meta, "creationTimestamp", Value::Null);
                    }
                }
                template(spec.get_mut("template"));
            }
        }
        "Job" => {
            if let Some(spec) = obj.get_mut("spec") {
                job_spec(spec);
                template(spec.get_mut("template"));
            }
        }
        "CronJob" => {
            if let Some(spec) = obj.get_mut("spec") {
                default(spec, "concurrencyPolicy", json!("Allow"));
                default(spec, "suspend", json!(false));
                default(spec, "successfulJobsHistoryLimit", json!(3));
                default(spec, "failedJobsHistoryLimit", json!(1));
                if let Some(jt) = spec.get_mut("jobTemplate") {
                    if let Some(meta) = jt.get_mut("metadata") {
                        default(meta, "creationTimestamp", Value::Null);
                    } else {
                        set(jt, "metadata", json!({"creationTimestamp": null}));
                    }
                    if let Some(js) = jt.get_mut("spec") {
                        template(js.get_mut("template"));
                    }
                }
            }
        }
        "Service" => service(obj),
        "Namespace" => {
            let name = obj.pointer("/metadata/name").cloned();
            if let (Some(name), Some(meta)) = (name, obj.get_mut("metadata")) {
                default(meta, "labels", json!({}));
                if let Some(labels) = meta.get_mut("labels") {
                    set(labels, "kubernetes.io/metadata.name", name);
                }
            }
        }
        "Secret" => default(obj, "type", json!("Opaque")),
        "PersistentVolumeClaim" => persistent_volume_claim(obj),
        "PersistentVolume" => {
            if let Some(spec) = obj.get_mut("spec") {
                default(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
                default(spec, "volumeMode", json!("Filesystem"));
                if let Some(hp) = spec.get_mut("hostPath") {
                    default(hp, "type", json!(""));
                }
            }
        }
        "PriorityClass" => default(obj, "preemptionPolicy", json!("PreemptLowerPriority")),
        "Endpoints" => {
            for subset in items_mut(obj, "subsets") {
                for p in items_mut(subset, "ports") {
                    default(p, "protocol", json!("TCP"));
                }
            }
        }
        "EndpointSlice" => {
            for p in items_mut(obj, "ports") {
                default(p, "name", json!(""));
                default(p, "protocol", json!("TCP"));
            }
        }
        "StorageClass" => {
            default(obj, "reclaimPolicy", json!("Delete"));
            default(obj, "volumeBindingMode", json!("Immediate"));
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            if let Some(r) = obj.get_mut("roleRef") {
                if r.get("apiGroup")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .is_empty()
                {
                    set(r, "apiGroup", json!("rbac.authorization.k8s.io"));
                }
            }
            for subject in items_mut(obj, "subjects") {
                rbac_subject(subject);
            }
        }
        "NetworkPolicy" => {
            if let Some(spec) = obj.get_mut("spec") {
                for dir in ["ingress", "egress"] {
                    for rule in items_mut(spec, dir) {
                        for p in items_mut(rule, "ports") {
                            default(p, "protocol", json!("TCP"));
                        }
                    }
                }
                let has = |k: &str| {
                    spec.get(k)
                        .and_then(Value::as_array)
                        .is_some_and(|a| !a.is_empty())
                };
                if !has("policyTypes") {
                    let mut types = vec![json!("Ingress")];
                    if has("egress") {
                        types.push(json!("Egress"));
                    }
                    set(spec, "policyTypes", Value::Array(types));
                }
            }
        }
        "HorizontalPodAutoscaler" => {
            if let Some(spec) = obj.get_mut("spec") {
                horizontal_pod_autoscaler(spec);
            }
        }
        // A core/v1 Event's zero values that have no `omitempty` (not the
        // events.k8s.io shape, which has `regarding` and `note`).
        "Event" if obj.get("regarding").is_none() && obj.get("note").is_none() => {
            for (k, v) in [
                ("eventTime", Value::Null),
                ("firstTimestamp", Value::Null),
                ("lastTimestamp", Value::Null),
                ("reportingComponent", json!("")),
                ("reportingInstance", json!("")),
                ("source", json!({})),
            ] {
                default(obj, k, v);
            }
        }
        "Node" => {
            // `spec` and `status` are structs in Go: an empty one still
            // renders (`spec: {}`).
            default(obj, "spec", json!({}));
            if let Some(spec) = obj.get_mut("spec") {
                if let Some(cidr) = spec.get("podCIDR").cloned() {
                    if spec.get("podCIDRs").is_none_or(|v| v.is_null()) {
                        set(spec, "podCIDRs", json!([cidr]));
                    }
                }
            }
            default(obj, "status", json!({}));
            if let Some(status) = obj.get_mut("status") {
                node_status(status);
            }
        }
        _ => {}
    }
}

/// Status and identity a registry strategy sets on create: the client's
/// status is dropped (except for Nodes, whose kubelet registers with one).
pub fn prepare_for_create(kind: &str, obj: &mut Value) {
    match kind {
        "Pod" => {
            let qos = qos_class(obj.get("spec"));
            set(obj, "status", json!({"phase": "Pending", "qosClass": qos}));
        }
        "Namespace" => {
            default(obj, "spec", json!({}));
            if let Some(spec) = obj.get_mut("spec") {
                default(spec, "finalizers", json!(["kubernetes"]));
            }
            set(obj, "status", json!({"phase": "Active"}));
        }
        "Service" => set(obj, "status", json!({"loadBalancer": {}})),
        "PersistentVolumeClaim" => set(obj, "status", json!({"phase": "Pending"})),
        "PersistentVolume" => {
            let now = obj
                .pointer("/metadata/creationTimestamp")
                .cloned()
                .unwrap_or(Value::Null);
            set(
                obj,
                "status",
                json!({"phase": "Pending", "lastPhaseTransitionTime": now}),
            );
        }
        // The zero status: what shows is the fields without `omitempty`.
        "Deployment" | "Job" | "CronJob" => set(obj, "status", json!({})),
        "ReplicaSet" | "ReplicationController" => set(obj, "status", json!({"replicas": 0})),
        "StatefulSet" => set(
            obj,
            "status",
            json!({"availableReplicas": 0, "replicas": 0}),
        ),
        "DaemonSet" => set(
            obj,
            "status",
            json!({"currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0}),
        ),
        "HorizontalPodAutoscaler" => {
            set(
                obj,
                "status",
                json!({"currentMetrics": null, "desiredReplicas": 0}),
            );
        }
        "PodDisruptionBudget" => set(
            obj,
            "status",
            json!({"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0}),
        ),
        "Ingress" => set(obj, "status", json!({"loadBalancer": {}})),
        _ => {}
    }
    if kind == "Job" {
        let uid = obj
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(spec) = obj.get_mut("spec") {
            job_selector(spec, &uid, &name);
        }
    }
}

/// `SetDefaults_Subject` (rbac/v1): users and groups are RBAC's, service
/// accounts the core group's.
fn rbac_subject(subject: &mut Value) {
    if !subject
        .get("apiGroup")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        return;
    }
    let group = match subject.get("kind").and_then(Value::as_str) {
        Some("ServiceAccount") => "",
        Some("User" | "Group") => "rbac.authorization.k8s.io",
        _ => return,
    };
    set(subject, "apiGroup", json!(group));
}

/// `SetDefaults_HorizontalPodAutoscaler` (autoscaling/v2): one replica at
/// least, 80% CPU when no metric is given, and a given `behavior` filled
/// with the controller's built-in rules (scale-down's window stays unset:
/// it comes from the controller-manager's flag).
fn horizontal_pod_autoscaler(spec: &mut Value) {
    default(spec, "minReplicas", json!(1));
    if spec
        .get("metrics")
        .and_then(Value::as_array)
        .is_none_or(|a| a.is_empty())
    {
        set(
            spec,
            "metrics",
            json!([{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        );
    }
    let Some(behavior) = spec.get_mut("behavior").filter(|b| b.is_object()) else {
        return;
    };
    let rules = [
        (
            "scaleUp",
            Some(0),
            json!([{"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15}]),
        ),
        (
            "scaleDown",
            None,
            json!([{"type": "Percent", "value": 100, "periodSeconds": 15}]),
        ),
    ];
    for (key, window, policies) in rules {
        default(behavior, key, json!({}));
        let Some(r) = behavior.get_mut(key) else {
            continue;
        };
        default(r, "selectPolicy", json!("Max"));
        if let Some(w) = window {
            default(r, "stabilizationWindowSeconds", json!(w));
        }
        default(r, "policies", policies);
    }
}

/// `SetDefaults_NodeStatus`: a node registered without `allocatable` may
/// allocate all of its capacity. Then the zero values Go renders because
/// they are structs or lack `omitempty`: `daemonEndpoints.kubeletEndpoint.Port`
/// and the `nodeInfo` strings (what a Node created by hand shows).
fn node_status(status: &mut Value) {
    if status.get("allocatable").is_none_or(Value::is_null) {
        if let Some(capacity) = status.get("capacity").filter(|c| !c.is_null()).cloned() {
            set(status, "allocatable", capacity);
        }
    }
    default(status, "daemonEndpoints", json!({}));
    if let Some(endpoints) = status.get_mut("daemonEndpoints") {
        default(endpoints, "kubeletEndpoint", json!({}));
        if let Some(kubelet) = endpoints.get_mut("kubeletEndpoint") {
            default(kubelet, "Port", json!(0));
        }
    }
    default(status, "nodeInfo", json!({}));
    if let Some(info) = status.get_mut("nodeInfo") {
        for key in [
            "architecture",
            "bootID",
            "containerRuntimeVersion",
            "kernelVersion",
            "kubeProxyVersion",
            "kubeletVersion",
            "machineID",
            "operatingSystem",
            "osImage",
            "systemUUID",
        ] {
            default(info, key, json!(""));
        }
    }
}

/// `SetDefaults_Job`.
fn job_spec(spec: &mut Value) {
    let has = |spec: &Value, k: &str| spec.get(k).is_some_and(|v| !v.is_null());
    if !has(spec, "completions") && !has(spec, "parallelism") {
        set(spec, "completions", json!(1));
        set(spec, "parallelism", json!(1));
    }
    default(spec, "parallelism", json!(1));
    if has(spec, "backoffLimitPerIndex") {
        default(spec, "backoffLimit", json!(i32::MAX));
    } else {
        default(spec, "backoffLimit", json!(6));
    }
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    if has(spec, "podFailurePolicy") {
        default(spec, "podReplacementPolicy", json!("Failed"));
    } else {
        default(spec, "podReplacementPolicy", json!("TerminatingOrFailed"));
    }
}

/// The Job strategy's generated selector (`manualSelector` not true): the
/// controller-uid label on the selector and on the template.
fn job_selector(spec: &mut Value, uid: &str, name: &str) {
    if spec.get("manualSelector").and_then(Value::as_bool) == Some(true) {
        return;
    }
    set(
        spec,
        "selector",
        json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}),
    );
    default(spec, "template", json!({}));
    let Some(t) = spec.get_mut("template") else {
        return;
    };
    default(t, "metadata", json!({}));
    let Some(meta) = t.get_mut("metadata") else {
        return;
    };
    default(meta, "labels", json!({}));
    let Some(labels) = meta.get_mut("labels") else {
        return;
    };
    for (k, v) in [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name),
        ("controller-uid", uid),
        ("job-name", name),
    ] {
        set(labels, k, json!(v));
    }
}

/// Guaranteed when every container has equal cpu and memory requests and
/// limits, BestEffort when none has any, Burstable otherwise.
pub fn qos_class(spec: Option<&Value>) -> &'static str {
    let containers: Vec<&Value> = ["containers", "initContainers"]
        .iter()
        .flat_map(|k| {
            spec.and_then(|s| s.get(*k))
                .and_then(Value::as_array)
                .map(|a| a.iter().collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .collect();
    let mut any = false;
    let mut guaranteed = true;
    for c in &containers {
        let requests = c.pointer("/resources/requests").and_then(Value::as_object);
        let limits = c.pointer("/resources/limits").and_then(Value::as_object);
        let relevant = |m: Option<&Map<String, Value>>, r: &str| {
            m.and_then(|m| m.get(r))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        for r in ["cpu", "memory"] {
            let req = relevant(requests, r);
            let lim = relevant(limits, r);
            if req.as_deref().is_some_and(|q| !is_zero(q))
                || lim.as_deref().is_some_and(|q| !is_zero(q))
            {
                any = true;
            }
            match (&req, &lim) {
                (Some(a), Some(b)) if same_quantity(a, b) => {}
                _ => guaranteed = false,
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn is_zero(q: &str) -> bool {
    super::validation::quantity_milli(q) == Some(0)
}

fn same_quantity(a: &str, b: &str) -> bool {
    match (
        super::validation::quantity_milli(a),
        super::validation::quantity_milli(b),
    ) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// `SetDefaults_Pod` (not templates): service links, requests from limits.
fn pod_only(spec: &mut Value) {
    default(spec, "enableServiceLinks", json!(true));
    for key in ["containers", "initContainers"] {
        for c in items_mut(spec, key) {
            let Some(limits) = c
                .pointer("/resources/limits")
                .and_then(Value::as_object)
                .cloned()
            else {
                continue;
            };
            let Some(res) = c.get_mut("resources") else {
                continue;
            };
            default(res, "requests", json!({}));
            if let Some(req) = res.get_mut("requests").and_then(Value::as_object_mut) {
                for (k, v) in limits {
                    req.entry(k).or_insert(v);
                }
            }
        }
    }
}

/// A pod template: metadata's `creationTimestamp: null` (Go's zero time)
/// and the PodSpec defaults.
fn template(t: Option<&mut Value>) {
    let Some(t) = t else { return };
    if !t.is_object() {
        return;
    }
    default(t, "metadata", json!({}));
    if let Some(meta) = t.get_mut("metadata") {
        default(meta, "creationTimestamp", Value::Null);
    }
    default(t, "spec", json!({}));
    if let Some(spec) = t.get_mut("spec") {
        pod_spec(spec);
    }
}

/// `SetDefaults_PodSpec` and the defaulters of what it holds.
pub fn pod_spec(spec: &mut Value) {
    if !spec.is_object() {
        return;
    }
    default(spec, "dnsPolicy", json!("ClusterFirst"));
    default(spec, "restartPolicy", json!("Always"));
    default(spec, "terminationGracePeriodSeconds", json!(30));
    default(spec, "securityContext", json!({}));
    default(spec, "schedulerName", json!("default-scheduler"));
    let host_network = spec.get("hostNetwork").and_then(Value::as_bool) == Some(true);
    for key in ["containers", "initContainers"] {
        for c in items_mut(spec, key) {
            container(c, host_network);
        }
    }
    for v in items_mut(spec, "volumes") {
        volume(v);
    }
}

fn container(c: &mut Value, host_network: bool) {
    if !c.is_object() {
        return;
    }
    let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
    let policy = if image_tag(image).as_deref() == Some("latest") {
        "Always"
    } else {
        "IfNotPresent"
    };
    default(c, "imagePullPolicy", json!(policy));
    default(c, "terminationMessagePath", json!("/dev/termination-log"));
    default(c, "terminationMessagePolicy", json!("File"));
    default(c, "resources", json!({}));
    for p in items_mut(c, "ports") {
        default(p, "protocol", json!("TCP"));
        if host_network {
            if let Some(cp) = p.get("containerPort").cloned() {
                default(p, "hostPort", cp);
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(probe).filter(|p| p.is_object()) {
            default(p, "timeoutSeconds", json!(1));
            default(p, "periodSeconds", json!(10));
            default(p, "successThreshold", json!(1));
            default(p, "failureThreshold", json!(3));
            http_get(p.get_mut("httpGet"));
        }
    }
    for hook in ["postStart", "preStop"] {
        if let Some(h) = c.get_mut("lifecycle").and_then(|l| l.get_mut(hook)) {
            http_get(h.get_mut("httpGet"));
        }
    }
    for e in items_mut(c, "env") {
        if let Some(fr) = e.get_mut("valueFrom").and_then(|v| v.get_mut("fieldRef")) {
            default(fr, "apiVersion", json!("v1"));
        }
    }
}

fn http_get(h: Option<&mut Value>) {
    if let Some(h) = h.filter(|h| h.is_object()) {
        default(h, "path", json!("/"));
        default(h, "scheme", json!("HTTP"));
    }
}

/// The tag Go's `parsers.ParseImageName` finds: `latest` when there is
/// neither tag nor digest, `None` for a reference it cannot parse (upper
/// case in the repository) so that the pull policy is `IfNotPresent`.
pub fn image_tag(image: &str) -> Option<String> {
    if image.is_empty() || image.contains(char::is_whitespace) {
        return None;
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repo, tag) = match name.get(last_slash..).and_then(|s| s.rfind(':')) {
        Some(i) => (
            name.get(..last_slash + i).unwrap_or(name),
            name.get(last_slash + i + 1..).map(str::to_string),
        ),
        None => (name, None),
    };
    // The domain (first part with '.' or ':' or "localhost") may have upper case.
    let path = match repo.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            rest
        }
        _ => repo,
    };
    if path.chars().any(|c| c.is_ascii_uppercase()) || path.is_empty() {
        return None;
    }
    match (tag, digest) {
        (Some(t), _) => Some(t),
        (None, Some(_)) => Some(String::new()),
        (None, None) => Some("latest".into()),
    }
}

fn volume(v: &mut Value) {
    let Some(m) = v.as_object_mut() else { return };
    if !m.keys().any(|k| k != "name") {
        m.insert("emptyDir".into(), json!({}));
    }
    for src in ["configMap", "secret", "projected", "downwardAPI"] {
        if let Some(s) = m.get_mut(src).filter(|s| s.is_object()) {
            default(s, "defaultMode", json!(420));
        }
    }
    if let Some(hp) = m.get_mut("hostPath").filter(|s| s.is_object()) {
        default(hp, "type", json!(""));
    }
    if let Some(da) = m.get_mut("downwardAPI") {
        for item in items_mut(da, "items") {
            if let Some(fr) = item.get_mut("fieldRef") {
                default(fr, "apiVersion", json!("v1"));
            }
        }
    }
}

fn persistent_volume_claim(pvc: &mut Value) {
    default(pvc, "spec", json!({}));
    if let Some(spec) = pvc.get_mut("spec") {
        default(spec, "volumeMode", json!("Filesystem"));
    }
}

/// `SetDefaults_Service` (the allocations are the registry's: `admission.rs`).
fn service(obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec") else {
        return;
    };
    default(spec, "sessionAffinity", json!("None"));
    default(spec, "type", json!("ClusterIP"));
    let ty = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    for p in items_mut(spec, "ports") {
        default(p, "protocol", json!("TCP"));
        let target_unset = match p.get("targetPort") {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(s)) => s.is_empty(),
            _ => false,
        };
        if target_unset {
            if let Some(port) = p.get("port").cloned() {
                set(p, "targetPort", port);
            }
        }
    }
    if spec.get("sessionAffinity").and_then(Value::as_str) == Some("ClientIP") {
        default(spec, "sessionAffinityConfig", json!({}));
        if let Some(c) = spec.get_mut("sessionAffinityConfig") {
            default(c, "clientIP", json!({}));
            if let Some(ip) = c.get_mut("clientIP") {
                default(ip, "timeoutSeconds", json!(10800));
            }
        }
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        default(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        default(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    if ty != "ExternalName" {
        default(spec, "internalTrafficPolicy", json!("Cluster"));
    }
}

fn non_empty_map(v: &Value) -> bool {
    v.as_object().is_some_and(|m| !m.is_empty())
}

/// Sets `key` on an object if it is absent or null.
pub fn default(obj: &mut Value, key: &str, value: Value) {
    if let Some(m) = obj.as_object_mut() {
        let e = m.entry(key.to_string()).or_insert(Value::Null);
        if e.is_null() {
            *e = value;
        }
    }
}

fn set(obj: &mut Value, key: &str, value: Value) {
    if let Some(m) = obj.as_object_mut() {
        m.insert(key.to_string(), value);
    }
}

/// The elements of an array field (none if absent or not an array).
pub fn items_mut<'a>(obj: &'a mut Value, key: &str) -> impl Iterator<Item = &'a mut Value> {
    obj.get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flat_map(|a| a.iter_mut())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        for (image, tag) in [
            ("nginx", Some("latest")),
            ("nginx:latest", Some("latest")),
            ("nginx:1.14", Some("1.14")),
            ("localhost:5000/app", Some("latest")),
            ("localhost:5000/app:v2", Some("v2")),
            ("busybox@sha256:abc", Some("")),
            ("Nginx", None),
            ("", None),
        ] {
            assert_eq!(image_tag(image).as_deref(), tag, "{image}");
        }
    }
}
