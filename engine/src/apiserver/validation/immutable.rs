// Indexing is safe in this module: new_ips[0] only when non-empty; new_ips[i] for i over old_ips when both have the same length.
#![allow(clippy::indexing_slicing)]
//! What an update may not change, kind by kind, as v1.33's
//! `Validate*Update` functions in `pkg/apis/*/validation` decide it. The
//! checks a kubectl learner meets when `kubectl edit`, `apply`, `patch` or
//! `replace` touches a field that is fixed at creation.

use super::{arr, go_diff, go_field_name, go_label_selector, quantity_milli, s, Errs};
use crate::apiserver::field::{go_string_slice, BadValue, FieldError};
use serde_json::Value;

const IMMUTABLE: &str = "field is immutable";

/// `ValidateImmutableField`'s bad value: a nil pointer prints as `"null"`.
fn bad_value(v: Option<&Value>, go_type: &str) -> BadValue {
    match v {
        None | Some(Value::Null) => BadValue::Str("null".into()),
        Some(Value::String(s)) => BadValue::Str(s.clone()),
        Some(Value::Number(n)) => BadValue::Plain(n.to_string()),
        Some(Value::Bool(b)) => BadValue::Plain(b.to_string()),
        Some(other) => BadValue::GoSyntax(format!("{go_type}{}", go_value(other))),
    }
}

/// A `%#v`-like rendering of a nested value (simplified: only the fields
/// that are set, in JSON order, with Go's field names).
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "nil".into(),
        Value::String(s) => crate::go::quote(s),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(go_value).collect();
            format!("[]{{{}}}", inner.join(", "))
        }
        Value::Object(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}:{}", go_field_name(k), go_value(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// `ValidateJobSpecUpdate`: completions (elastic only for Indexed jobs
/// changed in tandem with parallelism), selector and template.
pub fn job(old: &Value, new: &Value) -> Errs {
    let mut errs = Vec::new();
    let (os, ns) = (spec(old), spec(new));
    let (oc, nc) = (os.get("completions"), ns.get("completions"));
    if oc != nc {
        let indexed = s(ns, "completionMode") == Some("Indexed");
        if !indexed {
            errs.push(FieldError::invalid(
                "spec.completions",
                bad_value(nc, ""),
                IMMUTABLE,
            ));
        } else if nc.is_some_and(|c| !c.is_null()) && nc != ns.get("parallelism") {
            errs.push(FieldError::invalid(
                "spec.completions",
                bad_value(nc, ""),
                "can only be modified in tandem with spec.parallelism",
            ));
        }
    }
    if os.get("selector") != ns.get("selector") {
        let value = match ns.get("selector") {
            Some(sel) if sel.is_object() => BadValue::GoSyntax(go_label_selector(sel)),
            _ => BadValue::Str("null".into()),
        };
        errs.push(FieldError::invalid("spec.selector", value, IMMUTABLE));
    }
    if os.get("template") != ns.get("template") {
        errs.push(FieldError::invalid(
            "spec.template",
            bad_value(ns.get("template"), "core.PodTemplateSpec"),
            IMMUTABLE,
        ));
    }
    if os.get("completionMode") != ns.get("completionMode") {
        errs.push(FieldError::invalid(
            "spec.completionMode",
            bad_value(ns.get("completionMode"), ""),
            IMMUTABLE,
        ));
    }
    errs
}

/// `ValidateStatefulSetUpdate`: everything in the spec but these is fixed.
pub fn statefulset(old: &Value, new: &Value) -> Errs {
    const MUTABLE: [&str; 7] = [
        "replicas",
        "ordinals",
        "template",
        "updateStrategy",
        "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy",
        "minReadySeconds",
    ];
    if without(spec(old), &MUTABLE) == without(spec(new), &MUTABLE) {
        return Vec::new();
    }
    vec![FieldError::forbidden(
        "spec",
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    )]
}

/// `ValidatePersistentVolumeClaimUpdate`: the spec is fixed, except that the
/// binder may set `volumeName` once, a claim without a class may get one
/// (retroactive default class), and a bound claim may change its storage
/// request (not below its capacity) and its volumeAttributesClassName.
pub fn pvc(old: &Value, new: &Value) -> Errs {
    let mut errs = Vec::new();
    let mut o = spec(old).clone();
    let mut n = spec(new).clone();
    let bound = new.pointer("/status/phase").and_then(Value::as_str) == Some("Bound");
    if s(&o, "volumeName").unwrap_or_default().is_empty() {
        copy_key(&n, &mut o, "volumeName");
    }
    if o.get("storageClassName").is_none() {
        copy_key(&o.clone(), &mut n, "storageClassName");
    }
    if bound {
        let old_storage = o.pointer("/resources/requests/storage").cloned();
        if let Some(req) = n
            .pointer_mut("/resources/requests")
            .and_then(Value::as_object_mut)
        {
            match old_storage {
                Some(v) => req.insert("storage".into(), v),
                None => req.remove("storage"),
            };
        }
        if n.get("volumeAttributesClassName").is_some() {
            copy_key(&o.clone(), &mut n, "volumeAttributesClassName");
        }
    }
    if o != n {
        errs.push(FieldError::forbidden(
            "spec",
            &format!(
                "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{}",
                go_diff("core.PersistentVolumeClaimSpec", &o, &n)
            ),
        ));
    }
    let size = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .and_then(quantity_milli)
    };
    let old_size = size(old, "/spec/resources/requests/storage");
    let new_size = size(new, "/spec/resources/requests/storage");
    let capacity = size(old, "/status/capacity/storage").unwrap_or(0);
    // RecoverVolumeExpansionFailure (on by default in v1.33): shrinking is
    // allowed down to, but not onto, the capacity the volume has.
    if let (Some(os), Some(ns)) = (old_size, new_size) {
        if ns < os && ns <= capacity {
            errs.push(FieldError::forbidden(
                "spec.resources.requests.storage",
                "field can not be less than status.capacity",
            ));
        }
    }
    errs
}

/// `ValidatePersistentVolumeUpdate`: the volume source and volumeMode are fixed.
pub fn pv(old: &Value, new: &Value) -> Errs {
    const NOT_SOURCE: [&str; 9] = [
        "capacity",
        "accessModes",
        "claimRef",
        "persistentVolumeReclaimPolicy",
        "storageClassName",
        "mountOptions",
        "volumeMode",
        "nodeAffinity",
        "volumeAttributesClassName",
    ];
    let mut errs = Vec::new();
    let (o, n) = (
        without(spec(old), &NOT_SOURCE),
        without(spec(new), &NOT_SOURCE),
    );
    if o != n {
        errs.push(FieldError::forbidden(
            "spec.persistentvolumesource",
            &format!(
                "spec.persistentvolumesource is immutable after creation\n{}",
                go_diff("core.PersistentVolumeSource", &o, &n)
            ),
        ));
    }
    if spec(old).get("volumeMode") != spec(new).get("volumeMode") {
        // The real validator names the path without `spec.`.
        errs.push(FieldError::invalid(
            "volumeMode",
            bad_value(spec(new).get("volumeMode"), ""),
            IMMUTABLE,
        ));
    }
    errs
}

/// `validateUpgradeDowngradeClusterIPs`: an allocated cluster IP may not
/// change (ExternalName and headless-to-headless excepted). The registry
/// first carries a changed `clusterIP` into `clusterIPs[0]` when the
/// client left `clusterIPs` as it was.
pub fn service(old: &Value, new: &Value) -> Errs {
    let mut errs = Vec::new();
    let (os, ns) = (spec(old), spec(new));
    if s(os, "type") == Some("ExternalName") || s(ns, "type") == Some("ExternalName") {
        return errs;
    }
    let headless = |v: &Value| s(v, "clusterIP") == Some("None");
    if headless(os) && headless(ns) {
        return errs;
    }
    let ips = |v: &Value| -> Vec<String> {
        arr(v, "clusterIPs")
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let old_ips = ips(os);
    let mut new_ips = ips(ns);
    if new_ips == old_ips && s(ns, "clusterIP") != s(os, "clusterIP") {
        match s(ns, "clusterIP") {
            Some(ip) if !ip.is_empty() => {
                if new_ips.is_empty() {
                    new_ips.push(ip.to_string());
                } else {
                    new_ips[0] = ip.to_string();
                }
            }
            _ => new_ips.clear(),
        }
    }
    if new_ips.len() == old_ips.len() {
        for (i, ip) in old_ips.iter().enumerate() {
            if *ip != new_ips[i] {
                errs.push(FieldError::invalid(
                    &format!("spec.clusterIPs[{i}]"),
                    BadValue::GoSyntax(go_string_slice(&new_ips)),
                    "may not change once set",
                ));
            }
        }
    } else if new_ips.is_empty() {
        errs.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            BadValue::GoSyntax("[]string(nil)".into()),
            "primary clusterIP can not be unset",
        ));
    } else if new_ips.first() != old_ips.first() {
        errs.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            BadValue::GoSyntax(go_string_slice(&new_ips)),
            "may not change once set",
        ));
    }
    errs
}

/// `ValidateSecretUpdate` / `ValidateConfigMapUpdate`: a Secret's type is
/// fixed, and `immutable: true` freezes the data and itself.
pub fn config(kind: &str, old: &Value, new: &Value) -> Errs {
    let mut errs = Vec::new();
    if kind == "Secret" && old.get("type") != new.get("type") {
        errs.push(FieldError::invalid(
            "type",
            bad_value(new.get("type"), ""),
            IMMUTABLE,
        ));
    }
    if old.get("immutable").and_then(Value::as_bool) == Some(true) {
        const WHY: &str = "field is immutable when `immutable` is set";
        if new.get("immutable").and_then(Value::as_bool) != Some(true) {
            errs.push(FieldError::forbidden("immutable", WHY));
        }
        let fields: &[&str] = if kind == "Secret" {
            &["data"]
        } else {
            &["data", "binaryData"]
        };
        for f in fields {
            if non_empty(old.get(*f)) != non_empty(new.get(*f)) {
                errs.push(FieldError::forbidden(f, WHY));
            }
        }
    }
    errs
}

/// An empty map and a missing one are the same Go map for DeepEqual's
/// purpose here (both decode to a nil or empty map the same way).
fn non_empty(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| v.as_object().is_some_and(|m| !m.is_empty()))
}

fn spec(v: &Value) -> &Value {
    static NULL: Value = Value::Null;
    v.get("spec").unwrap_or(&NULL)
}

fn without(v: &Value, keys: &[&str]) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        for k in keys {
            m.remove(*k);
        }
    }
    v
}

fn copy_key(from: &Value, to: &mut Value, key: &str) {
    let Some(m) = to.as_object_mut() else {
        return;
    };
    match from.get(key) {
        Some(v) => m.insert(key.into(), v.clone()),
        None => m.remove(key),
    };
}
