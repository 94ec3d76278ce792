//! What the scheduler knows about pods and nodes, parsed once from their
//! wire form (`serde_json::Value`) into flat structs the plugins read in the
//! hot loop: requests in milli-CPU and bytes, tolerations, affinity terms,
//! host ports, images. Parsing never fails: what cannot be read is left out,
//! as the apiserver has validated the objects already.

use crate::clock::Time;
use serde_json::Value;
use std::collections::BTreeMap;

/// `schedutil.DefaultMilliCPURequest`: what a container without a CPU
/// request counts as when scoring (never when filtering).
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
/// `schedutil.DefaultMemoryRequest`: 200 MiB.
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// Parses a resource quantity (`100m`, `1.5`, `500Mi`, `2Gi`, `1e3`, `1k`)
/// to thousandths of its unit, rounded up as `Quantity.MilliValue()` does.
pub fn parse_quantity_milli(s: &str) -> Option<i128> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let num_end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (num, suffix) = body.split_at(num_end);
    if num.is_empty() || num == "." {
        return None;
    }
    let (int_part, frac_part) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num, ""),
    };
    if frac_part.contains('.') {
        return None;
    }
    // mantissa as integer and a power of ten
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let digits = if digits.len() > 30 {
        return None;
    } else {
        digits
    };
    let mut mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let mut exp10: i32 = -(frac_part.len() as i32);
    let mut mult: i128 = 1;
    match suffix {
        "" => {}
        "n" => exp10 -= 9,
        "u" => exp10 -= 6,
        "m" => exp10 -= 3,
        "k" => exp10 += 3,
        "M" => exp10 += 6,
        "G" => exp10 += 9,
        "T" => exp10 += 12,
        "P" => exp10 += 15,
        "E" => exp10 += 18,
        "Ki" => mult = 1 << 10,
        "Mi" => mult = 1 << 20,
        "Gi" => mult = 1 << 30,
        "Ti" => mult = 1 << 40,
        "Pi" => mult = 1 << 50,
        "Ei" => mult = 1 << 60,
        other => {
            let e = other
                .strip_prefix('e')
                .or_else(|| other.strip_prefix('E'))?;
            let e: i32 = e.parse().ok()?;
            if !(-40..=40).contains(&e) {
                return None;
            }
            exp10 += e;
        }
    }
    mantissa = mantissa.checked_mul(mult)?;
    // milli: one more factor of 1000
    exp10 += 3;
    let value = if exp10 >= 0 {
        mantissa.checked_mul(10i128.checked_pow(exp10 as u32)?)?
    } else {
        let d = 10i128.checked_pow((-exp10) as u32)?;
        // round up (away from zero for positives), as MilliValue does
        let q = mantissa / d;
        if mantissa % d != 0 {
            q + 1
        } else {
            q
        }
    };
    Some(if neg { -value } else { value })
}

fn clamp_i64(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// CPU in millicores.
pub fn quantity_milli(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => parse_quantity_milli(s).map(clamp_i64),
        Value::Number(n) => n.as_f64().map(|f| (f * 1000.0).ceil() as i64),
        _ => None,
    }
}

/// Memory, storage and counts in whole units, rounded up (`Quantity.Value()`).
pub fn quantity_value(v: &Value) -> Option<i64> {
    let m = match v {
        Value::String(s) => parse_quantity_milli(s)?,
        Value::Number(n) => (n.as_f64()? * 1000.0).ceil() as i128,
        _ => return None,
    };
    let q = m.div_euclid(1000) + if m.rem_euclid(1000) != 0 { 1 } else { 0 };
    Some(clamp_i64(q))
}

/// Compute resources, as the scheduler's `framework.Resource`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Resources {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    /// `pods` (allocatable only).
    pub pods: i64,
    /// Extended resources (`nvidia.com/gpu`, `hugepages-2Mi`), sorted by name.
    pub scalar: Vec<(String, i64)>,
}

impl Resources {
    pub fn from_list(list: Option<&Value>) -> Resources {
        let mut r = Resources::default();
        let Some(map) = list.and_then(Value::as_object) else {
            return r;
        };
        for (k, v) in map {
            r.set(k, v);
        }
        crate::sort::sort(&mut r.scalar);
        r
    }

    fn set(&mut self, name: &str, v: &Value) {
        match name {
            "cpu" => self.milli_cpu = quantity_milli(v).unwrap_or(0),
            "memory" => self.memory = quantity_value(v).unwrap_or(0),
            "ephemeral-storage" => self.ephemeral_storage = quantity_value(v).unwrap_or(0),
            "pods" => self.pods = quantity_value(v).unwrap_or(0),
            other if is_scalar_resource(other) => {
                let q = quantity_value(v).unwrap_or(0);
                self.set_scalar(other, q);
            }
            _ => {}
        }
    }

    pub fn scalar(&self, name: &str) -> i64 {
        self.scalar
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
            .unwrap_or(0)
    }

    pub fn set_scalar(&mut self, name: &str, q: i64) {
        match self.scalar.iter_mut().find(|(k, _)| k == name) {
            Some(e) => e.1 = q,
            None => {
                self.scalar.push((name.to_string(), q));
                crate::sort::sort(&mut self.scalar);
            }
        }
    }

    pub fn add(&mut self, o: &Resources) {
        self.milli_cpu = self.milli_cpu.saturating_add(o.milli_cpu);
        self.memory = self.memory.saturating_add(o.memory);
        self.ephemeral_storage = self.ephemeral_storage.saturating_add(o.ephemeral_storage);
        for (k, v) in &o.scalar {
            let cur = self.scalar(k);
            self.set_scalar(k, cur.saturating_add(*v));
        }
    }

    pub fn sub(&mut self, o: &Resources) {
        self.milli_cpu = self.milli_cpu.saturating_sub(o.milli_cpu);
        self.memory = self.memory.saturating_sub(o.memory);
        self.ephemeral_storage = self.ephemeral_storage.saturating_sub(o.ephemeral_storage);
        for (k, v) in &o.scalar {
            let cur = self.scalar(k);
            self.set_scalar(k, cur.saturating_sub(*v));
        }
    }

    /// Element-wise maximum.
    pub fn max_with(&mut self, o: &Resources) {
        self.milli_cpu = self.milli_cpu.max(o.milli_cpu);
        self.memory = self.memory.max(o.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(o.ephemeral_storage);
        for (k, v) in &o.scalar {
            let cur = self.scalar(k);
            self.set_scalar(k, cur.max(*v));
        }
    }
}

/// `schedutil.IsScalarResourceName`: extended resources, hugepages,
/// attachable volumes — anything with a domain (`vendor/name`) or `hugepages-`.
pub fn is_scalar_resource(name: &str) -> bool {
    name.starts_with("hugepages-")
        || name.starts_with("attachable-volumes-")
        || (name.contains('/') && !name.starts_with("kubernetes.io/"))
        || name.starts_with("requests.")
}

/// One label-selector requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`,
/// and for node selectors `Gt`, `Lt`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        let v = labels.get(&self.key);
        match self.operator.as_str() {
            "In" => v.is_some_and(|v| self.values.iter().any(|x| x == v)),
            "NotIn" => !v.is_some_and(|v| self.values.iter().any(|x| x == v)),
            "Exists" => v.is_some(),
            "DoesNotExist" => v.is_none(),
            "Gt" | "Lt" => {
                let (Some(v), Some(bound)) = (v, self.values.first()) else {
                    return false;
                };
                let (Ok(v), Ok(b)) = (v.parse::<i64>(), bound.parse::<i64>()) else {
                    return false;
                };
                if self.operator == "Gt" {
                    v > b
                } else {
                    v < b
                }
            }
            _ => false,
        }
    }

    fn parse(v: &Value) -> Requirement {
        Requirement {
            key: str_of(v, "key").to_string(),
            operator: str_of(v, "operator").to_string(),
            values: strings(v.get("values")),
        }
    }
}

/// Labels as a sorted map.
pub type Labels = BTreeMap<String, String>;

pub fn labels_of(v: Option<&Value>) -> Labels {
    v.and_then(Value::as_object)
        .map(|m| {
            crate::sort::map(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())),
            )
        })
        .unwrap_or_default()
}

/// `metav1.LabelSelector`. `None` fields mean a nil selector (matches nothing).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

impl LabelSelector {
    /// `None` for a missing (nil) selector.
    pub fn parse(v: Option<&Value>) -> Option<LabelSelector> {
        let v = v.filter(|v| v.is_object())?;
        let mut requirements: Vec<Requirement> = labels_of(v.get("matchLabels"))
            .into_iter()
            .map(|(k, val)| Requirement {
                key: k,
                operator: "In".into(),
                values: vec![val],
            })
            .collect();
        for e in v
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            requirements.push(Requirement::parse(e));
        }
        Some(LabelSelector { requirements })
    }

    /// An empty selector matches everything.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

/// A node selector term: expressions on labels and on fields (`metadata.name`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NodeSelectorTerm {
    pub match_expressions: Vec<Requirement>,
    pub match_fields: Vec<Requirement>,
}

impl NodeSelectorTerm {
    pub fn parse(v: &Value) -> NodeSelectorTerm {
        let reqs = |k: &str| -> Vec<Requirement> {
            v.get(k)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(Requirement::parse)
                .collect()
        };
        NodeSelectorTerm {
            match_expressions: reqs("matchExpressions"),
            match_fields: reqs("matchFields"),
        }
    }

    /// An empty term matches no node (as `nodeaffinity.NodeSelector` treats it).
    pub fn matches(&self, node_name: &str, labels: &Labels) -> bool {
        if self.match_expressions.is_empty() && self.match_fields.is_empty() {
            return false;
        }
        if !self.match_expressions.iter().all(|r| r.matches(labels)) {
            return false;
        }
        self.match_fields.iter().all(|r| {
            if r.key != "metadata.name" {
                return false;
            }
            let mut fields = Labels::new();
            fields.insert("metadata.name".into(), node_name.to_string());
            r.matches(&fields)
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toleration {
    pub key: String,
    pub operator: String,
    pub value: String,
    pub effect: String,
}

impl Toleration {
    /// `v1.Toleration.ToleratesTaint`.
    pub fn tolerates(&self, t: &Taint) -> bool {
        if !self.effect.is_empty() && self.effect != t.effect {
            return false;
        }
        if !self.key.is_empty() && self.key != t.key {
            return false;
        }
        match self.operator.as_str() {
            "Exists" => true,
            "" | "Equal" => self.value == t.value,
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostPort {
    pub ip: String,
    pub protocol: String,
    pub port: i64,
}

impl HostPort {
    /// `HostPortInfo.CheckConflict`: same protocol and port, and the same IP
    /// or either side on `0.0.0.0`.
    pub fn conflicts(&self, o: &HostPort) -> bool {
        self.port == o.port
            && self.protocol == o.protocol
            && (self.ip == o.ip || self.ip == "0.0.0.0" || o.ip == "0.0.0.0")
    }
}

/// A pod (anti-)affinity term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffinityTerm {
    pub selector: Option<LabelSelector>,
    /// Namespaces the term looks at; empty with no namespaceSelector means the pod's own.
    pub namespaces: Vec<String>,
    pub namespace_selector: Option<LabelSelector>,
    pub topology_key: String,
    pub weight: i64,
}

impl AffinityTerm {
    fn parse(v: &Value, own_ns: &str, weight: i64) -> AffinityTerm {
        let mut namespaces = strings(v.get("namespaces"));
        let namespace_selector = LabelSelector::parse(v.get("namespaceSelector"));
        if namespaces.is_empty() && namespace_selector.is_none() {
            namespaces.push(own_ns.to_string());
        }
        AffinityTerm {
            selector: LabelSelector::parse(v.get("labelSelector")),
            namespaces,
            namespace_selector,
            topology_key: str_of(v, "topologyKey").to_string(),
            weight,
        }
    }

    /// Whether `pod` (in a namespace with `ns_labels`) is selected by the term.
    pub fn matches_pod(&self, pod: &PodInfo, ns_labels: Option<&Labels>) -> bool {
        let ns_ok = self.namespaces.iter().any(|n| n == &pod.namespace)
            || match (&self.namespace_selector, ns_labels) {
                (Some(sel), Some(l)) => sel.matches(l),
                (Some(sel), None) => sel.requirements.is_empty(),
                _ => false,
            };
        ns_ok
            && self
                .selector
                .as_ref()
                .is_some_and(|s| s.matches(&pod.labels))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpreadConstraint {
    pub max_skew: i64,
    pub topology_key: String,
    /// `DoNotSchedule` or `ScheduleAnyway`.
    pub when_unsatisfiable: String,
    pub selector: Option<LabelSelector>,
    pub min_domains: Option<i64>,
    /// `nodeAffinityPolicy` Honor (default) / Ignore.
    pub honor_node_affinity: bool,
    /// `nodeTaintsPolicy` Honor / Ignore (default).
    pub honor_node_taints: bool,
}

/// A pod as the scheduler sees it.
#[derive(Clone, Debug, Default)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub resource_version: String,
    pub creation: Time,
    pub priority: i64,
    pub scheduler_name: String,
    pub node_name: String,
    pub nominated_node_name: String,
    pub phase: String,
    pub deleting: bool,
    pub preempt_never: bool,
    pub labels: Labels,
    /// Requests for filtering (`resourcehelper.PodRequests`, overhead included).
    pub requests: Resources,
    /// Requests with CPU/memory defaults for missing values (scoring).
    pub non_zero: Resources,
    /// Whether the pod requests nothing (zero-request pods skip the resource check).
    pub tolerations: Vec<Toleration>,
    pub node_selector: Labels,
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`; `None` when absent.
    pub required_node_affinity: Option<Vec<NodeSelectorTerm>>,
    pub preferred_node_affinity: Vec<(i64, NodeSelectorTerm)>,
    pub host_ports: Vec<HostPort>,
    pub affinity_required: Vec<AffinityTerm>,
    pub affinity_preferred: Vec<AffinityTerm>,
    pub anti_affinity_required: Vec<AffinityTerm>,
    pub anti_affinity_preferred: Vec<AffinityTerm>,
    pub spread: Vec<SpreadConstraint>,
    pub pvcs: Vec<String>,
    pub images: Vec<String>,
    pub scheduling_gates: Vec<String>,
    pub start_time: Option<Time>,
}

pub(crate) fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn arr<'a>(v: Option<&'a Value>, k: &str) -> impl Iterator<Item = &'a Value> {
    v.and_then(|v| v.get(k))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `imagelocality.normalizedImageName`: `nginx` → `nginx:latest`.
pub fn normalized_image(name: &str) -> String {
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.contains(':') || name.contains('@') {
        name.to_string()
    } else {
        format!("{name}:latest")
    }
}

impl PodInfo {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    pub fn parse(v: &Value) -> PodInfo {
        let meta = v.get("metadata");
        let spec = v.get("spec");
        let status = v.get("status");
        let m = |k: &str| meta.map(|m| str_of(m, k)).unwrap_or("").to_string();
        let namespace = {
            let n = m("namespace");
            if n.is_empty() {
                "default".to_string()
            } else {
                n
            }
        };
        let s = |k: &str| spec.map(|m| str_of(m, k)).unwrap_or("").to_string();
        let mut p = PodInfo {
            name: m("name"),
            uid: m("uid"),
            resource_version: m("resourceVersion"),
            creation: Time::parse_rfc3339(&m("creationTimestamp")).unwrap_or_default(),
            priority: spec
                .and_then(|s| s.get("priority"))
                .and_then(Value::as_i64)
                .unwrap_or(0),
            scheduler_name: {
                let n = s("schedulerName");
                if n.is_empty() {
                    "default-scheduler".into()
                } else {
                    n
                }
            },
            node_name: s("nodeName"),
            nominated_node_name: status
                .map(|x| str_of(x, "nominatedNodeName"))
                .unwrap_or("")
                .to_string(),
            phase: status.map(|x| str_of(x, "phase")).unwrap_or("").to_string(),
            deleting: meta
                .and_then(|m| m.get("deletionTimestamp"))
                .is_some_and(|d| !d.is_null()),
            preempt_never: s("preemptionPolicy") == "Never",
            labels: labels_of(meta.and_then(|m| m.get("labels"))),
            node_selector: labels_of(spec.and_then(|s| s.get("nodeSelector"))),
            start_time: status
                .and_then(|x| x.get("startTime"))
                .and_then(Value::as_str)
                .and_then(Time::parse_rfc3339),
            namespace,
            ..PodInfo::default()
        };
        p.tolerations = arr(spec, "tolerations")
            .map(|t| Toleration {
                key: str_of(t, "key").into(),
                operator: str_of(t, "operator").into(),
                value: str_of(t, "value").into(),
                effect: str_of(t, "effect").into(),
            })
            .collect();
        p.scheduling_gates = arr(spec, "schedulingGates")
            .map(|g| str_of(g, "name").to_string())
            .collect();
        p.pvcs = arr(spec, "volumes")
            .filter_map(|vol| vol.get("persistentVolumeClaim"))
            .map(|c| str_of(c, "claimName").to_string())
            .collect();
        // Requests: max(sum(app + sidecars), max over init of (init + sidecars started before it)), + overhead.
        let (req, nz) = pod_requests(spec);
        p.requests = req;
        p.non_zero = nz;
        for c in arr(spec, "containers").chain(arr(spec, "initContainers")) {
            let img = str_of(c, "image");
            if !img.is_empty() {
                p.images.push(normalized_image(img));
            }
        }
        for c in arr(spec, "containers").chain(arr(spec, "initContainers")) {
            for port in arr(Some(c), "ports") {
                let hp = port.get("hostPort").and_then(Value::as_i64).unwrap_or(0);
                if hp <= 0 {
                    continue;
                }
                let ip = str_of(port, "hostIP");
                let proto = str_of(port, "protocol");
                p.host_ports.push(HostPort {
                    ip: if ip.is_empty() {
                        "0.0.0.0".into()
                    } else {
                        ip.into()
                    },
                    protocol: if proto.is_empty() {
                        "TCP".into()
                    } else {
                        proto.into()
                    },
                    port: hp,
                });
            }
        }
        let aff = spec.and_then(|s| s.get("affinity"));
        if let Some(na) = aff.and_then(|a| a.get("nodeAffinity")) {
            if let Some(req) = na.get("requiredDuringSchedulingIgnoredDuringExecution") {
                p.required_node_affinity = Some(
                    arr(Some(req), "nodeSelectorTerms")
                        .map(NodeSelectorTerm::parse)
                        .collect(),
                );
            }
            for pref in arr(Some(na), "preferredDuringSchedulingIgnoredDuringExecution") {
                let w = pref.get("weight").and_then(Value::as_i64).unwrap_or(0);
                if let Some(t) = pref.get("preference") {
                    p.preferred_node_affinity
                        .push((w, NodeSelectorTerm::parse(t)));
                }
            }
        }
        let ns = p.namespace.clone();
        let terms = |a: Option<&Value>, kind: &str| -> (Vec<AffinityTerm>, Vec<AffinityTerm>) {
            let Some(k) = a.and_then(|a| a.get(kind)) else {
                return (vec![], vec![]);
            };
            let req = arr(Some(k), "requiredDuringSchedulingIgnoredDuringExecution")
                .map(|t| AffinityTerm::parse(t, &ns, 1))
                .collect();
            let pref = arr(Some(k), "preferredDuringSchedulingIgnoredDuringExecution")
                .filter_map(|w| {
                    let weight = w.get("weight").and_then(Value::as_i64).unwrap_or(0);
                    w.get("podAffinityTerm")
                        .map(|t| AffinityTerm::parse(t, &ns, weight))
                })
                .collect();
            (req, pref)
        };
        (p.affinity_required, p.affinity_preferred) = terms(aff, "podAffinity");
        (p.anti_affinity_required, p.anti_affinity_preferred) = terms(aff, "podAntiAffinity");
        p.spread = arr(spec, "topologySpreadConstraints")
            .map(|c| SpreadConstraint {
                max_skew: c.get("maxSkew").and_then(Value::as_i64).unwrap_or(1),
                topology_key: str_of(c, "topologyKey").into(),
                when_unsatisfiable: str_of(c, "whenUnsatisfiable").into(),
                selector: LabelSelector::parse(c.get("labelSelector")).map(|mut sel| {
                    // matchLabelKeys: the pod's own values join the selector.
                    for k in strings(c.get("matchLabelKeys")) {
                        if let Some(v) = p.labels.get(&k) {
                            sel.requirements.push(Requirement {
                                key: k,
                                operator: "In".into(),
                                values: vec![v.clone()],
                            });
                        }
                    }
                    sel
                }),
                min_domains: c.get("minDomains").and_then(Value::as_i64),
                honor_node_affinity: str_of(c, "nodeAffinityPolicy") != "Ignore",
                honor_node_taints: str_of(c, "nodeTaintsPolicy") == "Honor",
            })
            .collect();
        p
    }

    pub fn has_pod_affinity(&self) -> bool {
        !self.affinity_required.is_empty()
            || !self.affinity_preferred.is_empty()
            || !self.anti_affinity_required.is_empty()
            || !self.anti_affinity_preferred.is_empty()
    }

    /// Whether the pod holds resources on its node (not finished).
    pub fn is_terminal(&self) -> bool {
        self.phase == "Succeeded" || self.phase == "Failed"
    }
}

fn container_requests(c: &Value) -> (Resources, Resources) {
    let reqs = c.pointer("/resources/requests");
    let r = Resources::from_list(reqs);
    let mut nz = r.clone();
    let has = |k: &str| reqs.and_then(|m| m.get(k)).is_some();
    if !has("cpu") {
        nz.milli_cpu = DEFAULT_MILLI_CPU_REQUEST;
    }
    if !has("memory") {
        nz.memory = DEFAULT_MEMORY_REQUEST;
    }
    (r, nz)
}

/// `resourcehelper.PodRequests` without pod-level resources (alpha in
/// v1.33): app containers and sidecars summed, each regular init container
/// with the sidecars started before it, the larger of the two, plus overhead.
/// Returns the requests and their non-zero variant.
pub fn pod_requests(spec: Option<&Value>) -> (Resources, Resources) {
    let mut sum = Resources::default();
    let mut sum_nz = Resources::default();
    for c in arr(spec, "containers") {
        let (r, nz) = container_requests(c);
        sum.add(&r);
        sum_nz.add(&nz);
    }
    let mut sidecars = Resources::default();
    let mut sidecars_nz = Resources::default();
    let mut init_max = Resources::default();
    let mut init_max_nz = Resources::default();
    for c in arr(spec, "initContainers") {
        let (r, nz) = container_requests(c);
        if str_of(c, "restartPolicy") == "Always" {
            sum.add(&r);
            sum_nz.add(&nz);
            sidecars.add(&r);
            sidecars_nz.add(&nz);
            init_max.max_with(&sidecars);
            init_max_nz.max_with(&sidecars_nz);
        } else {
            let mut t = r;
            t.add(&sidecars);
            let mut tn = nz;
            tn.add(&sidecars_nz);
            init_max.max_with(&t);
            init_max_nz.max_with(&tn);
        }
    }
    sum.max_with(&init_max);
    sum_nz.max_with(&init_max_nz);
    let overhead = Resources::from_list(spec.and_then(|s| s.get("overhead")));
    sum.add(&overhead);
    sum_nz.add(&overhead);
    (sum, sum_nz)
}

/// Per-node state, updated incrementally as pods are bound and removed.
#[derive(Clone, Debug, Default)]
pub struct NodeInfo {
    pub name: String,
    pub resource_version: String,
    pub labels: Labels,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    pub allocatable: Resources,
    pub requested: Resources,
    pub non_zero_requested: Resources,
    pub pod_count: i64,
    pub used_ports: Vec<HostPort>,
    /// Normalized image name → size in bytes.
    pub images: BTreeMap<String, i64>,
    /// Keys (`ns/name`) of the pods on the node.
    pub pods: Vec<std::sync::Arc<PodInfo>>,
}

impl NodeInfo {
    pub fn parse(v: &Value) -> NodeInfo {
        let meta = v.get("metadata");
        let spec = v.get("spec");
        let status = v.get("status");
        let mut n = NodeInfo {
            name: meta.map(|m| str_of(m, "name")).unwrap_or("").to_string(),
            resource_version: meta
                .map(|m| str_of(m, "resourceVersion"))
                .unwrap_or("")
                .to_string(),
            labels: labels_of(meta.and_then(|m| m.get("labels"))),
            unschedulable: spec
                .and_then(|s| s.get("unschedulable"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            allocatable: Resources::from_list(status.and_then(|s| s.get("allocatable"))),
            ..NodeInfo::default()
        };
        n.taints = arr(spec, "taints")
            .map(|t| Taint {
                key: str_of(t, "key").into(),
                value: str_of(t, "value").into(),
                effect: str_of(t, "effect").into(),
            })
            .collect();
        for img in arr(status, "images") {
            let size = img.get("sizeBytes").and_then(Value::as_i64).unwrap_or(0);
            for name in strings(img.get("names")) {
                n.images.insert(normalized_image(&name), size);
            }
        }
        n
    }

    pub fn add_pod(&mut self, p: std::sync::Arc<PodInfo>) {
        self.requested.add(&p.requests);
        self.non_zero_requested.add(&p.non_zero);
        self.pod_count += 1;
        self.used_ports.extend(p.host_ports.iter().cloned());
        self.pods.push(p);
    }

    pub fn remove_pod(&mut self, key_ns: &str, key_name: &str) -> Option<std::sync::Arc<PodInfo>> {
        let i = self
            .pods
            .iter()
            .position(|p| p.namespace == key_ns && p.name == key_name)?;
        let p = self.pods.swap_remove(i);
        self.requested.sub(&p.requests);
        self.non_zero_requested.sub(&p.non_zero);
        self.pod_count -= 1;
        for hp in &p.host_ports {
            if let Some(j) = self.used_ports.iter().position(|x| x == hp) {
                self.used_ports.swap_remove(j);
            }
        }
        Some(p)
    }

    /// Keeps the pods and their sums; replaces what the node object says.
    pub fn refresh_from(&mut self, fresh: NodeInfo) {
        self.resource_version = fresh.resource_version;
        self.labels = fresh.labels;
        self.taints = fresh.taints;
        self.unschedulable = fresh.unschedulable;
        self.allocatable = fresh.allocatable;
        self.images = fresh.images;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities() {
        for (s, milli) in [
            ("100m", Some(100)),
            ("1", Some(1000)),
            ("0.5", Some(500)),
            ("1.5", Some(1500)),
            ("2k", Some(2_000_000)),
            ("1Ki", Some(1_024_000)),
            ("500Mi", Some(500 * 1024 * 1024 * 1000)),
            ("1e3", Some(1_000_000)),
            ("1n", Some(1)),
            ("abc", None),
            ("", None),
            ("1.2.3", None),
        ] {
            assert_eq!(parse_quantity_milli(s), milli, "{s}");
        }
        assert_eq!(quantity_value(&json!("32Gi")), Some(32 << 30));
        assert_eq!(quantity_value(&json!("110")), Some(110));
        assert_eq!(quantity_milli(&json!("4")), Some(4000));
    }

    #[test]
    fn init_container_rule_with_sidecars() {
        let spec = |init: Value, app: Value| json!({"initContainers": init, "containers": app});
        let c = |cpu: &str| json!({"name": "c", "resources": {"requests": {"cpu": cpu, "memory": "1Mi"}}});
        let side = |cpu: &str| json!({"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": cpu}}});
        let cases = [
            // (init, app, expected milli-cpu)
            (json!([]), json!([c("100m"), c("200m")]), 300),
            (json!([c("500m")]), json!([c("100m"), c("200m")]), 500),
            (json!([c("200m")]), json!([c("100m"), c("200m")]), 300),
            // a sidecar runs with the apps and under later init containers
            (json!([side("100m"), c("450m")]), json!([c("100m")]), 550),
            (json!([side("100m"), c("50m")]), json!([c("300m")]), 400),
            // an init container before the sidecar does not see it
            (json!([c("450m"), side("100m")]), json!([c("100m")]), 450),
        ];
        for (i, (init, app, want)) in cases.into_iter().enumerate() {
            let (r, _) = pod_requests(Some(&spec(init, app)));
            assert_eq!(r.milli_cpu, want, "case {i}");
        }
        let with_overhead = json!({"containers": [c("100m")], "overhead": {"cpu": "250m"}});
        assert_eq!(pod_requests(Some(&with_overhead)).0.milli_cpu, 350);
        let empty = json!({"containers": [{"name": "a"}]});
        let (r, nz) = pod_requests(Some(&empty));
        assert_eq!((r.milli_cpu, r.memory), (0, 0));
        assert_eq!((nz.milli_cpu, nz.memory), (100, 200 << 20));
    }
}
