//! Decoding a request body into its kind, as the apiserver's JSON serializer
//! does with `fieldValidation=Strict` (kubectl's default since v1.25):
//! type mismatches are Go's `json: cannot unmarshal …` errors, unknown
//! fields are collected into `strict decoding error: unknown field "…"`.
//!
//! The schema is k8s-openapi's: the body is decoded as the typed struct
//! and encoded back, and every key of the body missing from the result is a
//! field the type does not have. `schema.rs` does that round trip from a
//! table of k8s-openapi's types rather than through their compiled serde
//! code (most of the web bundle otherwise); it meets the first error where
//! serde_json would — the body rendered with keys sorted, as kubectl sends
//! them (it converts YAML through a Go map), so "the first error" is the
//! one Go reports first — and `oracle_tests.rs` checks it against the
//! real typed round trip.
//!
//! Fields Go accepts and k8s-openapi's types do not are bridged here: a
//! required field that is absent (Go leaves it zero, validation reports
//! it later), `null` for a non-pointer field, numbers for quantities.

use serde_json::{Map, Value};

mod go_time;
#[cfg(test)]
mod go_time_tests;
#[cfg(test)]
mod oracle_tests;
mod schema;

/// A field path segment.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

type Path = Vec<Seg>;

/// The decoded body, and the unknown fields it had (`spec.x[0].y`).
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The body with quantities as strings and `null`s and unknown fields
    /// dropped, as Go's typed round trip leaves it.
    pub object: Value,
    pub unknown_fields: Vec<String>,
}

/// Decodes `body` (whose `apiVersion` and `kind` are set) as its kind.
/// `Err` holds the text after `Pod in version "v1" cannot be handled as a Pod: `.
pub fn decode(body: &Value) -> Result<Decoded, String> {
    decode_with(body, schema::roundtrip)
}

/// [`decode`] of a body the caller gives up: a clean body (see
/// `schema::shortcut`) is the decoded object as it is, less its `null`s,
/// without the round trip's copies.
pub fn decode_owned(body: Value) -> Result<Decoded, String> {
    let kind_of = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    let Some(clean) = schema::shortcut(kind_of("apiVersion"), kind_of("kind"), &body) else {
        return decode(&body);
    };
    // Every engine test that writes checks the shortcut against the round trip.
    #[cfg(test)]
    let expected = decode(&body);
    let mut object = body;
    if clean == schema::Clean::DroppingNulls {
        drop_nulls(&mut object);
    }
    let decoded = Decoded {
        object,
        unknown_fields: Vec::new(),
    };
    #[cfg(test)]
    assert_eq!(
        expected,
        Ok(decoded.clone()),
        "a clean body decodes to itself ({clean:?})"
    );
    Ok(decoded)
}

/// [`strip_nulls`] in place: the keys and items that are `null` go, the
/// rest keeps its order.
fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => {
            a.retain(|v| !v.is_null());
            a.iter_mut().for_each(drop_nulls);
        }
        _ => {}
    }
}

/// The typed round trip of a body: `None` for kinds without a schema, else
/// the encoded result or the first error and the field it is at.
type Roundtrip = fn(&str, &str, &Value) -> Option<Result<Value, (Path, String)>>;

fn decode_with(body: &Value, roundtrip: Roundtrip) -> Result<Decoded, String> {
    let api_version = body
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let kind = body
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut work = body.clone();
    let mut synthetic: Vec<Path> = Vec::new();
    let mut out = None;
    // Each round fixes one absent field or one quantity; bodies have far fewer.
    for _ in 0..512 {
        let result = match roundtrip(&api_version, &kind, &work) {
            // Kinds without a typed schema here are taken as they are.
            None => return Ok(finish(body, None, &kind)),
            Some(r) => r,
        };
        match result {
            Ok(v) => {
                out = Some(v);
                break;
            }
            Err((path, msg)) => match fix(&mut work, &path, &msg, &mut synthetic) {
                Fix::Retry => continue,
                Fix::Fail(text) => return Err(text),
                Fix::GoError => return Err(go_type_error(&kind, &path, &msg, body)),
            },
        }
    }
    match out {
        Some(out) => Ok(finish(body, Some(&out), &kind)),
        None => Ok(finish(body, None, &kind)),
    }
}

/// `strict decoding error: unknown field "a", unknown field "b"`.
pub fn strict_error(unknown: &[String]) -> String {
    let parts: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field {}", crate::go::quote(f)))
        .collect();
    format!("strict decoding error: {}", parts.join(", "))
}

fn finish(body: &Value, typed: Option<&Value>, _kind: &str) -> Decoded {
    let mut unknown = Vec::new();
    let object = match typed {
        Some(t) => prune(body, t, &mut Vec::new(), &mut unknown),
        None => strip_nulls(body),
    };
    Decoded {
        object,
        unknown_fields: unknown,
    }
}

/// The body without nulls and without keys the typed result lacks; numbers
/// where the typed result has strings (quantities) become those strings.
fn prune(body: &Value, typed: &Value, path: &mut Path, unknown: &mut Vec<String>) -> Value {
    match (body, typed) {
        (Value::Object(b), Value::Object(t)) => {
            let mut keys: Vec<&String> = b.keys().collect();
            crate::sort::sort(&mut keys);
            let mut out = Map::new();
            for k in keys {
                let Some(v) = b.get(k) else { continue };
                if v.is_null() {
                    continue;
                }
                path.push(Seg::Key(k.clone()));
                match t.get(k) {
                    Some(tv) => {
                        out.insert(k.clone(), prune(v, tv, path, unknown));
                    }
                    None => unknown.push(path_text(path)),
                }
                path.pop();
            }
            // Keep the body's own order for what stays.
            let mut ordered = Map::new();
            for k in b.keys() {
                if let Some(v) = out.remove(k) {
                    ordered.insert(k.clone(), v);
                }
            }
            Value::Object(ordered)
        }
        (Value::Array(b), Value::Array(t)) => Value::Array(
            b.iter()
                .enumerate()
                .filter(|(_, v)| !v.is_null())
                .map(|(i, v)| {
                    path.push(Seg::Index(i));
                    let r = match t.get(i) {
                        Some(tv) => prune(v, tv, path, unknown),
                        None => strip_nulls(v),
                    };
                    path.pop();
                    r
                })
                .collect(),
        ),
        (Value::Number(_), Value::String(s)) => Value::String(s.clone()),
        (v, _) => strip_nulls(v),
    }
}

fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => {
            Value::Array(a.iter().filter(|v| !v.is_null()).map(strip_nulls).collect())
        }
        v => v.clone(),
    }
}

/// `spec.containers[0].ports[0].cotainerPort`.
fn path_text(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

enum Fix {
    Retry,
    Fail(String),
    GoError,
}

/// Makes the working copy acceptable to serde where Go would accept it, or
/// says which error to report.
fn fix(work: &mut Value, path: &Path, msg: &str, synthetic: &mut Vec<Path>) -> Fix {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default().to_string();
        let mut p = path.clone();
        p.push(Seg::Key(field.clone()));
        if synthetic.contains(&p) {
            return Fix::Fail(msg.to_string());
        }
        let Some(obj) = at_mut(work, path).and_then(Value::as_object_mut) else {
            return Fix::Fail(msg.to_string());
        };
        obj.insert(field.clone(), placeholder(&field));
        synthetic.push(p);
        return Fix::Retry;
    }
    let is_synthetic = synthetic.contains(path);
    let expected = msg
        .rsplit(", expected ")
        .next()
        .unwrap_or_default()
        .to_string();
    if is_synthetic || msg.starts_with("invalid type: null") {
        let Some(slot) = at_mut(work, path) else {
            return Fix::Fail(msg.to_string());
        };
        let replacement = zero_for(&expected);
        if *slot == replacement {
            // Not a type the zero values cover (a timestamp): give up on it.
            if slot.as_str() == Some("") {
                *slot = Value::String("1970-01-01T00:00:00Z".into());
                return Fix::Retry;
            }
            return Fix::Fail(msg.to_string());
        }
        *slot = replacement;
        if !is_synthetic {
            synthetic.push(path.clone());
        }
        return Fix::Retry;
    }
    // Go's Quantity accepts a JSON number.
    if (msg.starts_with("invalid type: integer") || msg.starts_with("invalid type: floating point"))
        && expected == "a string"
        && is_quantity_path(path)
    {
        if let Some(slot) = at_mut(work, path) {
            if let Value::Number(n) = slot {
                *slot = Value::String(n.to_string());
                return Fix::Retry;
            }
        }
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        return Fix::GoError;
    }
    // base64 (Secret data): Go's decoder names the first bad byte.
    // (Go's time errors quote the value, which may hold these words.)
    if !msg.starts_with("parsing time ")
        && (msg.contains("Invalid symbol")
            || msg.contains("Invalid last symbol")
            || msg.contains("Invalid padding")
            || msg.contains("Invalid input length")
            || msg.contains("Invalid byte"))
    {
        let s = at(work, path).and_then(Value::as_str).unwrap_or_default();
        return Fix::Fail(format!(
            "illegal base64 data at input byte {}",
            base64_error_offset(s)
        ));
    }
    Fix::Fail(msg.to_string())
}

fn placeholder(field: &str) -> Value {
    match field {
        "containers" | "nodeSelectorTerms" | "verbs" | "endpoints" | "limits" | "paths" => {
            Value::Array(vec![])
        }
        "selector" | "template" | "jobTemplate" | "roleRef" | "scaleTargetRef" | "backend"
        | "podSelector" | "preference" | "podAffinityTerm" => Value::Object(Map::new()),
        "containerPort" | "port" | "value" | "weight" => Value::from(0),
        _ => Value::String(String::new()),
    }
}

fn zero_for(expected: &str) -> Value {
    let e = expected.trim();
    if matches!(
        e,
        "i32" | "i64" | "u32" | "u64" | "u16" | "f64" | "IntOrString"
    ) {
        Value::from(0)
    } else if e == "a sequence" {
        Value::Array(vec![])
    } else if e == "a boolean" {
        Value::Bool(false)
    } else if e == "a string" || e.starts_with("a base64") || e == "Quantity" {
        Value::String(String::new())
    } else {
        Value::Object(Map::new())
    }
}

fn is_quantity_path(path: &Path) -> bool {
    let parent = path.iter().rev().nth(1);
    matches!(parent, Some(Seg::Key(k)) if matches!(k.as_str(),
        "requests" | "limits" | "capacity" | "allocatable" | "hard" | "used" | "default"
        | "defaultRequest" | "max" | "min" | "maxLimitRequestRatio" | "overhead"))
        || matches!(path.last(), Some(Seg::Key(k)) if k == "sizeLimit" || k == "storage")
}

/// Where Go's `base64.StdEncoding` reports the first error in `s`.
fn base64_error_offset(s: &str) -> usize {
    let b = s.as_bytes();
    let valid = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let mut i = 0;
    while i < b.len() {
        let mut j = 0;
        while j < 4 {
            let Some(&c) = b.get(i) else {
                // Ran out inside a quantum: error at the quantum's start
                // (1 char) or at its start too for 2-3 chars with no padding.
                return i - j;
            };
            if c == b'\n' || c == b'\r' {
                i += 1;
                continue;
            }
            if c == b'=' {
                // Padding: only valid at positions 2 or 3 of a quantum.
                if j < 2 {
                    return i;
                }
                if j == 2 {
                    match b.get(i + 1) {
                        Some(b'=') => {}
                        None => return b.len(),
                        _ => return i,
                    }
                    return if i + 2 == b.len() { 0 } else { i + 2 };
                }
                return if i + 1 == b.len() { 0 } else { i + 1 };
            }
            if !valid(c) {
                return i;
            }
            i += 1;
            j += 1;
        }
    }
    0
}

/// The Go error for a serde type error at `path`.
fn go_type_error(kind: &str, path: &Path, msg: &str, body: &Value) -> String {
    let got = at(body, path);
    let go_value = match got {
        Some(Value::String(_)) => "string".to_string(),
        Some(Value::Bool(_)) => "bool".to_string(),
        Some(Value::Array(_)) => "array".to_string(),
        Some(Value::Object(_)) => "object".to_string(),
        Some(Value::Number(n)) => {
            let expected_int = msg.contains("expected i32") || msg.contains("expected i64");
            if expected_int {
                format!("number {n}")
            } else {
                "number".to_string()
            }
        }
        _ => "null".to_string(),
    };
    let expected = msg.rsplit(", expected ").next().unwrap_or_default().trim();
    // Map keys are not in Go's field path; the error names the map field.
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let (field_keys, in_map) = match keys.split_last() {
        Some((_, parent)) if parent.last().is_some_and(|p| is_string_map(p)) => {
            (parent.to_vec(), true)
        }
        _ => (keys.clone(), false),
    };
    let Some((last, parent)) = field_keys.split_last() else {
        return format!(
            "json: cannot unmarshal {go_value} into Go value of type {}",
            go_type(expected, "", kind)
        );
    };
    let go_struct = struct_name(kind, parent);
    let ty = if in_map {
        "string".to_string()
    } else {
        go_type(expected, last, kind)
    };
    format!(
        "json: cannot unmarshal {go_value} into Go struct field {go_struct}.{} of type {ty}",
        field_keys.join(".")
    )
}

fn is_string_map(key: &str) -> bool {
    matches!(
        key,
        "labels" | "annotations" | "nodeSelector" | "data" | "stringData" | "matchLabels"
    )
}

/// Go's name of the type serde expected.
fn go_type(expected: &str, field: &str, kind: &str) -> String {
    match expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "f64" => "float64".into(),
        "a string" => "string".into(),
        "a boolean" => "bool".into(),
        "a map" => "map[string]string".into(),
        "a sequence" => match field {
            "command" | "args" | "finalizers" | "accessModes" | "values" | "verbs"
            | "resources" | "apiGroups" | "resourceNames" | "clusterIPs" | "externalIPs"
            | "ipFamilies" | "add" | "drop" | "podCIDRs" => "[]string".into(),
            _ => format!("[]v1.{}", struct_name(kind, &[field])),
        },
        other => {
            let name = other.trim_start_matches("struct ");
            format!("v1.{name}")
        }
    }
}

/// The Go struct that holds the field under `parent` (JSON keys, no indices).
fn struct_name(kind: &str, parent: &[&str]) -> String {
    let Some((last, up)) = parent.split_last() else {
        return kind.to_string();
    };
    let grand = up.last().copied().unwrap_or("");
    let name = match *last {
        "metadata" => "ObjectMeta",
        "spec" => match grand {
            "" => return format!("{kind}Spec"),
            "template" if up.iter().rev().nth(1) == Some(&"jobTemplate") => "JobSpec",
            "template" => "PodSpec",
            "jobTemplate" => "JobSpec",
            "volumeClaimTemplates" => "PersistentVolumeClaimSpec",
            _ => "PodSpec",
        },
        "template" => match grand {
            "jobTemplate" => "PodTemplateSpec",
            _ => "PodTemplateSpec",
        },
        "jobTemplate" => "JobTemplateSpec",
        "containers" | "initContainers" => "Container",
        "ephemeralContainers" => "EphemeralContainer",
        "ports" => {
            if matches!(grand, "containers" | "initContainers") {
                "ContainerPort"
            } else if kind == "Service" {
                "ServicePort"
            } else {
                "ContainerPort"
            }
        }
        "env" => "EnvVar",
        "envFrom" => "EnvFromSource",
        "valueFrom" => "EnvVarSource",
        "configMapKeyRef" => "ConfigMapKeySelector",
        "secretKeyRef" => "SecretKeySelector",
        "fieldRef" => "ObjectFieldSelector",
        "resources" => "ResourceRequirements",
        "volumeMounts" => "VolumeMount",
        "livenessProbe" | "readinessProbe" | "startupProbe" => "Probe",
        "httpGet" => "HTTPGetAction",
        "tcpSocket" => "TCPSocketAction",
        "exec" => "ExecAction",
        "securityContext" => {
            if matches!(grand, "containers" | "initContainers") {
                "SecurityContext"
            } else {
                "PodSecurityContext"
            }
        }
        "volumes" => "Volume",
        "configMap" => "ConfigMapVolumeSource",
        "secret" => "SecretVolumeSource",
        "emptyDir" => "EmptyDirVolumeSource",
        "hostPath" => "HostPathVolumeSource",
        "persistentVolumeClaim" => "PersistentVolumeClaimVolumeSource",
        "selector" => "LabelSelector",
        "matchExpressions" => "LabelSelectorRequirement",
        "strategy" => "DeploymentStrategy",
        "rollingUpdate" => match kind {
            "DaemonSet" => "RollingUpdateDaemonSet",
            "StatefulSet" => "RollingUpdateStatefulSetStrategy",
            _ => "RollingUpdateDeployment",
        },
        "updateStrategy" => match kind {
            "StatefulSet" => "StatefulSetUpdateStrategy",
            _ => "DaemonSetUpdateStrategy",
        },
        "tolerations" => "Toleration",
        "affinity" => "Affinity",
        "nodeAffinity" => "NodeAffinity",
        "nodeSelectorTerms" => "NodeSelectorTerm",
        "requiredDuringSchedulingIgnoredDuringExecution" => "NodeSelector",
        "taints" => "Taint",
        "rules" => "PolicyRule",
        "subjects" => "Subject",
        "roleRef" => "RoleRef",
        "items" => "KeyToPath",
        other => return capitalize(other),
    };
    name.to_string()
}

fn capitalize(s: &str) -> String {
    crate::case::upper_first(s)
}

fn at<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

fn at_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Index(i) => v.get_mut(*i),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(body: Value) -> String {
        match decode(&body) {
            Ok(d) if d.unknown_fields.is_empty() => "ok".into(),
            Ok(d) => strict_error(&d.unknown_fields),
            Err(e) => e,
        }
    }

    #[test]
    fn unknown_fields_with_list_indices() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "foo": 1},
            "spec": {"containers": [{"name": "a", "image": "nginx",
                "ports": [{"cotainerPort": 8080}]}], "Volumes": []}});
        expect_test::expect![[r#"strict decoding error: unknown field "metadata.foo", unknown field "spec.Volumes", unknown field "spec.containers[0].ports[0].cotainerPort""#]]
        .assert_eq(&run(pod));
    }

    #[test]
    fn go_type_errors() {
        let cases = [
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                "spec": {"containers": [{"name": "a", "image": "nginx", "ports": [{"containerPort": "80"}]}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "labels": {"v": 1}},
                "spec": {"containers": [{"name": "a", "image": "nginx"}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                "spec": {"containers": [{"name": "a", "image": 1.14, "env": [{"name": "P", "value": 80}]}]}}),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                "spec": {"replicas": "3", "selector": {}, "template": {}}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                "spec": {"containers": {"name": "a"}}}),
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"},
                "data": {"DB_Host": "mysql", "DB_User": "root"}}),
        ];
        let out: Vec<String> = cases.into_iter().map(run).collect();
        expect_test::expect![[r#"
            json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32
            json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string
            json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string
            json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32
            json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container
            illegal base64 data at input byte 4"#]]
        .assert_eq(&out.join("\n"));
    }

    #[test]
    fn go_accepts_what_k8s_openapi_types_require() {
        // No containers, a port without containerPort, a null, a numeric quantity.
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "labels": null},
            "spec": {"containers": [{"ports": [{"name": "http"}],
                "resources": {"requests": {"cpu": 2, "memory": "1Gi"}}}]}});
        let d = decode(&pod).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.unknown_fields.is_empty());
        expect_test::expect![[r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"ports":[{"name":"http"}],"resources":{"requests":{"cpu":"2","memory":"1Gi"}}}]}}"#]]
        .assert_eq(&d.object.to_string());
        assert_eq!(
            run(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}})),
            "ok"
        );
    }

    /// The shortcut for clean bodies gives what the round trip gives: for
    /// every object a fresh cluster stores, and for each of them spoilt
    /// in the ways decoding changes a body (a null, an unknown field, a
    /// numeric quantity, a wrong type, a missing required field).
    #[test]
    fn clean_bodies_decode_to_themselves() {
        let c = crate::cluster::Cluster::new(1);
        let stored: Vec<Value> = c
            .apiserver
            .store()
            .iter()
            .map(|kv| crate::apiserver::stored_json(&kv.value))
            .filter(|v| v.get("kind").is_some())
            .collect();
        assert!(stored.len() > 50, "{}", stored.len());
        let (mut clean, mut taken) = (0, 0);
        for obj in &stored {
            let kind = |k: &str| obj[k].as_str().unwrap_or_default().to_string();
            if schema::is_clean(&kind("apiVersion"), &kind("kind"), obj) {
                clean += 1;
            }
            if schema::shortcut(&kind("apiVersion"), &kind("kind"), obj).is_some() {
                taken += 1;
            }
            assert_eq!(decode_owned(obj.clone()), decode(obj), "{obj}");
            let spoilt = [
                ("/metadata/labels", json!(null)),
                ("/metadata/bogus", json!("x")),
                ("/metadata/name", json!(7)),
                ("/metadata/creationTimestamp", json!("yesterday")),
            ];
            for (at, v) in spoilt {
                let mut o = obj.clone();
                let (parent, key) = at.rsplit_once('/').unwrap_or_default();
                if let Some(m) = o.pointer_mut(parent).and_then(Value::as_object_mut) {
                    m.insert(key.to_string(), v);
                }
                assert!(
                    !schema::is_clean(&kind("apiVersion"), &kind("kind"), &o),
                    "{o}"
                );
                assert_eq!(decode_owned(o.clone()), decode(&o), "{o}");
            }
        }
        // Most are (172 of 197): the rest hold a `null` (a template's
        // `creationTimestamp: null`, as kubeadm's manifests have it), at
        // an optional field, which the shortcut drops: it takes them all.
        assert!(clean * 10 > stored.len() * 8, "{clean} of {}", stored.len());
        assert_eq!(taken, stored.len());
        let pod = |c: Value| {
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
            "spec": {"containers": [c]}})
        };
        let spoilt = [
            pod(json!({"name": "a", "image": "nginx", "resources": {"requests": {"cpu": 2}}})),
            pod(json!({"name": "a", "image": "nginx", "ports": [{"containerPort": 1.5}]})),
            pod(json!({"name": "a", "image": "nginx", "args": [null]})),
            pod(json!({"name": "a", "image": "nginx", "livenessProbe": {"httpGet": {"port": []}}})),
        ];
        // A required field missing (the one the table has).
        let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},
            "status": {"conditions": [{"type": "Ready", "status": "True",
                "reason": "R", "message": ""}]}});
        for o in spoilt.into_iter().chain([service]) {
            let kind = |k: &str| o[k].as_str().unwrap_or_default().to_string();
            assert!(
                !schema::is_clean(&kind("apiVersion"), &kind("kind"), &o),
                "{o}"
            );
            assert_eq!(decode_owned(o.clone()), decode(&o), "{o}");
        }
        let fine = pod(
            json!({"name": "a", "image": "nginx", "ports": [{"containerPort": 80}],
            "resources": {"limits": {"memory": "1Gi"}}, "livenessProbe": {"httpGet": {"port": "http"}}}),
        );
        assert!(schema::is_clean("v1", "Pod", &fine));
        // Kinds without a schema: only nulls are dropped.
        let other = json!({"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"a": [1, {"b": null}]}});
        assert!(!schema::is_clean("example.com/v1", "Widget", &other));
        assert_eq!(decode_owned(other.clone()), decode(&other));
    }

    /// A `null` at an optional field (client-go's nil pointers and zero
    /// times) is dropped by the shortcut as by the round trip; a `null`
    /// anywhere else still takes the round trip, which fixes it up or
    /// fails as Go does.
    #[test]
    fn nulls_at_optional_fields_take_the_shortcut() {
        let event = json!({"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "e.1", "namespace": "default", "creationTimestamp": null},
            "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "Pulled",
            "eventTime": null, "series": {"count": 2, "lastObservedTime": null}, "count": 1});
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d", "labels": null},
            "spec": {"selector": {"matchLabels": {"app": "d"}}, "strategy": {},
                "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "d"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx",
                        "resources": {}, "livenessProbe": null}]}}},
            "status": null});
        let widget = json!({"apiVersion": "example.com/v1", "kind": "Widget",
            "spec": {"a": [1, null, {"b": null}]}});
        for o in [&event, &deployment, &widget] {
            let kind = |k: &str| o[k].as_str().unwrap_or_default().to_string();
            assert_eq!(
                schema::shortcut(&kind("apiVersion"), &kind("kind"), o),
                Some(schema::Clean::DroppingNulls),
                "{o}"
            );
            let d = decode_owned(o.clone()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(Ok(d.clone()), decode(o), "{o}");
            assert!(!d.object.to_string().contains("null"), "{}", d.object);
        }
        expect_test::expect![[r#"{"apiVersion":"v1","kind":"Event","metadata":{"name":"e.1","namespace":"default"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Pulled","series":{"count":2},"count":1}"#]]
        .assert_eq(&decode_owned(event.clone()).map(|d| d.object.to_string()).unwrap_or_default());
        // Not optional (metadata, a list's item, a map's value, a required
        // field, a free-form value's inside): the round trip decides.
        let pod = |c: Value| {
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
            "spec": {"containers": [c]}})
        };
        let not_optional = [
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": null}),
            pod(json!({"name": "a", "image": "nginx", "args": ["x", null]})),
            pod(json!({"name": "a", "image": "nginx", "resources": {"limits": {"cpu": null}}})),
            pod(json!({"name": null, "image": "nginx"})),
            pod(json!(null)),
            json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"},
                "involvedObject": null, "series": {"count": 1}}),
        ];
        for o in not_optional {
            let kind = |k: &str| o[k].as_str().unwrap_or_default().to_string();
            assert_eq!(
                schema::shortcut(&kind("apiVersion"), &kind("kind"), &o),
                None,
                "{o}"
            );
            assert_eq!(decode_owned(o.clone()), decode(&o), "{o}");
        }
    }

    #[test]
    fn base64_offsets_as_go() {
        assert_eq!(base64_error_offset("mysql"), 4);
        assert_eq!(base64_error_offset("passwd"), 4);
        assert_eq!(base64_error_offset("a!bc"), 1);
        assert_eq!(base64_error_offset("cm9vdA="), 7);
        assert_eq!(base64_error_offset("cm9vdA=="), 0);
    }
}
