//! `PATCH`: JSON merge patch (RFC 7386), JSON patch (RFC 6902, with the
//! texts of the json-patch library v1.33 vendors, `gopkg.in/evanphx/json-patch.v4`)
//! and strategic merge patch for the built-in kinds (merge keys and
//! `$patch`/`$retainKeys`/`$deleteFromPrimitiveList` directives). The
//! patched object then goes through decoding, defaulting, admission and
//! validation like an update.

use super::{stop, ApiError, ApiServer, RequestTrace, Stage};
use crate::api::{object, Resource};
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    /// `application/merge-patch+json` (`--type merge`).
    Merge,
    /// `application/strategic-merge-patch+json` (kubectl's default).
    Strategic,
    /// `application/json-patch+json` (`--type json`).
    Json,
}

impl ApiServer {
    /// Patches an object and stores the result as an update would.
    pub fn patch(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
        kind: PatchType,
        body: &Value,
    ) -> Result<Value, ApiError> {
        if let Some(storage) = res.stored_as() {
            // The patch applies to the object as this version shows it; the
            // result is written as a body in this version.
            let current = self.get(res, namespace, name)?;
            let patched = match kind {
                PatchType::Merge => merge_patch(&current, body),
                PatchType::Strategic => strategic_merge(res.kind, &current, body, &mut Vec::new()),
                PatchType::Json => json_patch(&current, body)?,
            };
            let out = self.update(storage, namespace, patched)?;
            return Ok(super::conversion::to_version(res, out));
        }
        let mut t = self.begin("patch", res, "", namespace, name);
        let r = self.patch_inner(res, namespace, name, kind, body, &mut t);
        self.finish(t, r)
    }

    fn patch_inner(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        name: &str,
        kind: PatchType,
        body: &Value,
        t: &mut RequestTrace,
    ) -> Result<Value, ApiError> {
        self.authorize(t, "patch", res, "", namespace, name)?;
        let current = self
            .get(res, namespace, name)
            .map_err(|e| stop(t, Stage::Etcd, None, e))?;
        let patched = match kind {
            PatchType::Merge => merge_patch(&current, body),
            PatchType::Strategic => {
                if !body.is_object() {
                    return Err(stop(t, Stage::Decoding, None, ApiError::BadRequest {
                        message: "json: cannot unmarshal array into Go value of type map[string]interface {}".into(),
                    }));
                }
                strategic_merge(res.kind, &current, body, &mut Vec::new())
            }
            PatchType::Json => {
                json_patch(&current, body).map_err(|e| stop(t, Stage::Decoding, None, e))?
            }
        };
        t.step(Stage::Decoding, format!("{kind:?} patch applied"));
        // The patched object must still be this object.
        let mut patched = patched;
        if object::name(&patched) != name {
            object::set(&mut patched, "metadata.name", Value::String(name.into()));
        }
        self.update_inner_traced(res, namespace, patched, t)
    }

    fn update_inner_traced(
        &mut self,
        res: &Resource,
        namespace: Option<&str>,
        obj: Value,
        t: &mut RequestTrace,
    ) -> Result<Value, ApiError> {
        // The patch was authorized as a patch; the update path re-checks as update.
        self.update_inner(res, namespace, obj, t)
    }
}

/// RFC 7386.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Some(pm) = patch.as_object() else {
        return patch.clone();
    };
    let mut out = match target {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    for (k, v) in pm {
        if v.is_null() {
            out.remove(k);
        } else {
            let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
            out.insert(k.clone(), merged);
        }
    }
    Value::Object(out)
}

// ---- strategic merge patch ----

/// The merge key of a list field (`patchMergeKey`), or `None` when the
/// list is replaced whole. `path` is the field names from the root.
fn merge_key(kind: &str, path: &[String]) -> Option<&'static str> {
    let last = path.last().map(String::as_str).unwrap_or_default();
    Some(match last {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "ownerReferences" => "uid",
        "conditions" => "type",
        "addresses" if kind == "Node" => "type",
        "ports" if kind == "Service" && path.len() == 2 => "port",
        "ports" => "containerPort",
        _ => return None,
    })
}

/// Lists of scalars merged as sets (`patchStrategy: merge`).
fn primitive_merge(path: &[String]) -> bool {
    matches!(path.last().map(String::as_str), Some("finalizers")) && path.len() == 2
}

/// Strategic merge of `patch` into `target`.
pub fn strategic_merge(kind: &str, target: &Value, patch: &Value, path: &mut Vec<String>) -> Value {
    let Some(pm) = patch.as_object() else {
        return patch.clone();
    };
    match pm.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut m = pm.clone();
            m.remove("$patch");
            return Value::Object(m);
        }
        Some("delete") => return Value::Null,
        _ => {}
    }
    let mut out = match target {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let mut retain: Option<Vec<String>> = None;
    for (k, v) in pm {
        if k == "$retainKeys" {
            retain = v.as_array().map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
            continue;
        }
        if k.starts_with("$setElementOrder/") || k == "$patch" {
            continue;
        }
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(list), Some(del)) = (
                out.get_mut(field).and_then(Value::as_array_mut),
                v.as_array(),
            ) {
                list.retain(|x| !del.contains(x));
            }
            continue;
        }
        if v.is_null() {
            out.remove(k);
            continue;
        }
        path.push(k.clone());
        let merged = match (out.get(k), v) {
            (Some(Value::Array(old)), Value::Array(new)) => merge_list(kind, old, new, path),
            (Some(old @ Value::Object(_)), Value::Object(_)) => strategic_merge(kind, old, v, path),
            (_, Value::Object(_)) => strategic_merge(kind, &Value::Null, v, path),
            (_, Value::Array(new)) => merge_list(kind, &[], new, path),
            _ => v.clone(),
        };
        path.pop();
        if merged.is_null() {
            out.remove(k);
        } else {
            out.insert(k.clone(), merged);
        }
    }
    if let Some(keep) = retain {
        out.retain(|k, _| keep.contains(k));
    }
    Value::Object(out)
}

fn merge_list(kind: &str, old: &[Value], new: &[Value], path: &mut Vec<String>) -> Value {
    if primitive_merge(path) {
        let mut out = old.to_vec();
        for v in new {
            if !out.contains(v) {
                out.push(v.clone());
            }
        }
        return Value::Array(out);
    }
    let Some(key) = merge_key(kind, path) else {
        // Replaced whole, without directives.
        let cleaned: Vec<Value> = new
            .iter()
            .filter(|v| v.get("$patch").is_none())
            .map(|v| strategic_merge(kind, &Value::Null, v, path))
            .collect();
        return Value::Array(cleaned);
    };
    if new
        .iter()
        .any(|v| v.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        let items: Vec<Value> = new
            .iter()
            .filter(|v| v.get("$patch").is_none())
            .cloned()
            .collect();
        return Value::Array(items);
    }
    let mut out: Vec<Value> = old.to_vec();
    for item in new {
        let k = item.get(key);
        let pos = k.and_then(|k| out.iter().position(|o| o.get(key) == Some(k)));
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        match (pos, delete) {
            (Some(i), true) => {
                out.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => {
                if let Some(slot) = out.get_mut(i) {
                    let merged = strategic_merge(kind, slot, item, path);
                    *slot = merged;
                }
            }
            (None, false) => out.push(strategic_merge(kind, &Value::Null, item, path)),
        }
    }
    Value::Array(out)
}

// ---- JSON patch (RFC 6902), json-patch v4 semantics ----

fn unprocessable(cause: String) -> ApiError {
    ApiError::InvalidRequest { cause }
}

fn decode_key(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}

/// Go's `strconv.Atoi` error text.
fn atoi(key: &str) -> Result<i64, String> {
    key.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {key:?}: invalid syntax"))
}

/// The container (object or array) a path points into, and the last key.
fn find<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let (last, parts) = split.split_last()?;
    let mut cur = doc;
    for part in parts.iter().skip(1) {
        let key = decode_key(part);
        let next = match cur {
            Value::Object(m) => m.get_mut(&key)?,
            Value::Array(a) => {
                let mut i = key.parse::<i64>().ok()?;
                if i < 0 {
                    i += a.len() as i64;
                }
                a.get_mut(usize::try_from(i).ok()?)?
            }
            _ => return None,
        };
        if !(next.is_object() || next.is_array()) {
            return None;
        }
        cur = next;
    }
    Some((cur, decode_key(last)))
}

/// An array index as the library reads it (negative counts from the end).
fn index(key: &str, len: usize, for_add: bool) -> Result<usize, String> {
    let i = atoi(key)?;
    let size = if for_add { len + 1 } else { len } as i64;
    let invalid = || format!("Unable to access invalid index: {i}: invalid index referenced");
    if i >= size || i < -size {
        return Err(invalid());
    }
    let i = if i < 0 { i + size } else { i };
    usize::try_from(i).map_err(|_| invalid())
}

fn get(con: &Value, key: &str) -> Result<Option<Value>, String> {
    match con {
        Value::Object(m) => Ok(m.get(key).filter(|v| !v.is_null()).cloned()),
        Value::Array(a) => {
            let i = index(key, a.len(), false)?;
            Ok(a.get(i).cloned())
        }
        _ => Ok(None),
    }
}

fn add(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(val);
                return Ok(());
            }
            let i = index(key, a.len(), true).map_err(|e| {
                if e.starts_with("strconv") {
                    format!("value was not a proper array index: '{key}': {e}")
                } else {
                    e
                }
            })?;
            a.insert(i, val);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn remove(con: &mut Value, key: &str) -> Result<Value, String> {
    match con {
        Value::Object(m) => m
            .remove(key)
            .ok_or_else(|| format!("Unable to remove nonexistent key: {key}: missing value")),
        Value::Array(a) => {
            let i = index(key, a.len(), false)?;
            Ok(a.remove(i))
        }
        _ => Err("invalid state detected".into()),
    }
}

fn path_of(op: &Value, field: &str) -> Option<String> {
    op.get(field).and_then(Value::as_str).map(str::to_string)
}

fn apply_op(doc: &mut Value, op: &Value) -> Result<(), String> {
    let kind = op.get("op").and_then(Value::as_str).unwrap_or("unknown");
    let value = op.get("value").cloned();
    let missing = |what: &str| format!("{what}: missing value");
    match kind {
        "add" => {
            let path = path_of(op, "path")
                .ok_or_else(|| missing("add operation failed to decode path"))?;
            let (con, key) = find(doc, &path).ok_or_else(|| {
                missing(&format!(
                    "add operation does not apply: doc is missing path: \"{path}\""
                ))
            })?;
            add(con, &key, value.unwrap_or(Value::Null))
                .map_err(|e| format!("error in add for path: '{path}': {e}"))
        }
        "remove" => {
            let path = path_of(op, "path")
                .ok_or_else(|| missing("remove operation failed to decode path"))?;
            let (con, key) = find(doc, &path).ok_or_else(|| {
                missing(&format!(
                    "remove operation does not apply: doc is missing path: \"{path}\""
                ))
            })?;
            remove(con, &key)
                .map(|_| ())
                .map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "replace" => {
            let path = path_of(op, "path").ok_or_else(|| {
                missing("replace operation failed to decode path: operation missing path field")
            })?;
            if path.is_empty() {
                match value {
                    Some(v @ (Value::Object(_) | Value::Array(_))) => {
                        *doc = v;
                        return Ok(());
                    }
                    _ => return Err("replace operation value must be object or array".into()),
                }
            }
            let (con, key) = find(doc, &path).ok_or_else(|| {
                missing(&format!(
                    "replace operation does not apply: doc is missing path: {path}"
                ))
            })?;
            if get(con, &key).is_err() {
                return Err(missing(&format!(
                    "replace operation does not apply: doc is missing key: {path}"
                )));
            }
            let v = value.unwrap_or(Value::Null);
            match con {
                Value::Object(m) => {
                    m.insert(key, v);
                }
                Value::Array(a) => {
                    let i = index(&key, a.len(), false)?;
                    if let Some(slot) = a.get_mut(i) {
                        *slot = v;
                    }
                }
                _ => {}
            }
            Ok(())
        }
        "move" | "copy" => {
            let from = path_of(op, "from").ok_or_else(|| {
                missing(&format!(
                    "{kind} operation failed to decode from: operation, missing from field"
                ))
            })?;
            let (con, fkey) = find(doc, &from).ok_or_else(|| {
                missing(&format!(
                    "{kind} operation does not apply: doc is missing from path: {from}"
                ))
            })?;
            let val = if kind == "move" {
                get(con, &fkey).map_err(|e| format!("error in move for path: '{fkey}': {e}"))?;
                remove(con, &fkey).map_err(|e| format!("error in move for path: '{fkey}': {e}"))?
            } else {
                get(con, &fkey)
                    .map_err(|e| format!("error in copy for from: '{from}': {e}"))?
                    .unwrap_or(Value::Null)
            };
            let path = path_of(op, "path").ok_or_else(|| {
                if kind == "move" {
                    missing("move operation failed to decode path: operation missing path field")
                } else {
                    missing("copy operation failed to decode path")
                }
            })?;
            let (con, key) = find(doc, &path).ok_or_else(|| {
                missing(&format!(
                    "{kind} operation does not apply: doc is missing destination path: {path}"
                ))
            })?;
            add(con, &key, val).map_err(|e| {
                if kind == "move" {
                    format!("error in move for path: '{path}': {e}")
                } else {
                    format!("error while adding value during copy: {e}")
                }
            })
        }
        "test" => {
            let path = path_of(op, "path").ok_or_else(|| {
                missing("test operation failed to decode path: operation missing path field")
            })?;
            let failed = || format!("testing value {path} failed: test failed");
            if path.is_empty() {
                return if value.as_ref() == Some(doc) {
                    Ok(())
                } else {
                    Err(failed())
                };
            }
            let (con, key) = find(doc, &path).ok_or_else(|| {
                missing(&format!(
                    "test operation does not apply: is missing path: {path}"
                ))
            })?;
            let have =
                get(con, &key).map_err(|e| format!("error in test for path: '{path}': {e}"))?;
            match (have, value) {
                (None, Some(Value::Null)) => Ok(()),
                (Some(h), Some(v)) if h == v => Ok(()),
                _ => Err(failed()),
            }
        }
        other => Err(format!("Unexpected kind: {other}")),
    }
}

/// Applies an RFC 6902 patch; a body that is not a list of operations is
/// a 400, a failing operation a 422.
pub fn json_patch(doc: &Value, patch: &Value) -> Result<Value, ApiError> {
    let Some(ops) = patch.as_array() else {
        let what = match patch {
            Value::Object(_) => "object",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        return Err(ApiError::BadRequest {
            message: format!("json: cannot unmarshal {what} into Go value of type jsonpatch.Patch"),
        });
    };
    let mut out = doc.clone();
    for op in ops {
        apply_op(&mut out, op).map_err(unprocessable)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_patch_errors() {
        let doc = json!({"metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 1, "containers": [{"name": "a"}]}});
        let run = |p: Value| match json_patch(&doc, &p) {
            Ok(v) => format!("ok {v}"),
            Err(ApiError::InvalidRequest { cause }) => format!("422 {cause}"),
            Err(e) => format!("{} {}", e.code(), e.message()),
        };
        let cases = [
            json!([{"op": "replace", "path": "/spec/replicas", "value": 3}]),
            json!([{"op": "add", "path": "/metadata/labels/tier", "value": "db"}]),
            json!([{"op": "add", "path": "/metadata/annotations/x", "value": "y"}]),
            json!([{"op": "remove", "path": "/metadata/labels/none"}]),
            json!([{"op": "replace", "path": "/spec/containers/5/image", "value": "x"}]),
            json!([{"op": "replace", "path": "/spec/containers/3", "value": {}}]),
            json!([{"op": "test", "path": "/spec/replicas", "value": 2}]),
            json!([{"op": "add", "path": "/spec/containers/-", "value": {"name": "b"}}]),
            json!([{"op": "add", "path": "/spec/containers/x", "value": {}}]),
            json!([{"op": "move", "from": "/metadata/labels/app", "path": "/metadata/labels/name"}]),
            json!([{"op": "copy", "from": "/spec/nothing", "path": "/x/y"}]),
            json!([{"op": "frob", "path": "/a"}]),
            json!({"op": "add"}),
        ];
        let out: Vec<String> = cases.into_iter().map(run).collect();
        expect_test::expect![[r#"
            ok {"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":3,"containers":[{"name":"a"}]}}
            ok {"metadata":{"name":"web","labels":{"app":"web","tier":"db"}},"spec":{"replicas":1,"containers":[{"name":"a"}]}}
            422 add operation does not apply: doc is missing path: "/metadata/annotations/x": missing value
            422 error in remove for path: '/metadata/labels/none': Unable to remove nonexistent key: none: missing value
            422 replace operation does not apply: doc is missing path: /spec/containers/5/image: missing value
            422 replace operation does not apply: doc is missing key: /spec/containers/3: missing value
            422 testing value /spec/replicas failed: test failed
            ok {"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":1,"containers":[{"name":"a"},{"name":"b"}]}}
            422 error in add for path: '/spec/containers/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax
            ok {"metadata":{"name":"web","labels":{"name":"web"}},"spec":{"replicas":1,"containers":[{"name":"a"}]}}
            422 copy operation does not apply: doc is missing destination path: /x/y: missing value
            422 Unexpected kind: frob
            400 json: cannot unmarshal object into Go value of type jsonpatch.Patch"#]]
        .assert_eq(&out.join("\n"));
    }

    #[test]
    fn strategic_merge_by_keys_and_directives() {
        let pod = json!({"metadata": {"labels": {"app": "web"}, "finalizers": ["a"]},
            "spec": {"containers": [
                {"name": "web", "image": "nginx:1.25", "env": [{"name": "A", "value": "1"}],
                 "ports": [{"containerPort": 80}], "volumeMounts": [{"mountPath": "/data", "name": "d"}]},
                {"name": "side", "image": "busybox"}],
              "tolerations": [{"key": "x", "operator": "Exists"}]}});
        let patch = json!({"metadata": {"labels": {"tier": "front", "app": null}, "finalizers": ["b"]},
            "spec": {"containers": [
                {"name": "web", "image": "nginx:1.27", "env": [{"name": "B", "value": "2"}, {"name": "A", "$patch": "delete"}]},
                {"name": "side", "$patch": "delete"},
                {"name": "new", "image": "redis"}],
              "tolerations": [{"key": "y", "operator": "Exists"}]}});
        let out = strategic_merge("Pod", &pod, &patch, &mut Vec::new());
        expect_test::expect![[r#"{"metadata":{"labels":{"tier":"front"},"finalizers":["a","b"]},"spec":{"containers":[{"name":"web","image":"nginx:1.27","env":[{"name":"B","value":"2"}],"ports":[{"containerPort":80}],"volumeMounts":[{"mountPath":"/data","name":"d"}]},{"name":"new","image":"redis"}],"tolerations":[{"key":"y","operator":"Exists"}]}}"#]]
        .assert_eq(&out.to_string());
        let svc = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}], "selector": {"app": "a", "x": "y"}}});
        let patch = json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}], "selector": {"$patch": "replace", "app": "b"}}});
        expect_test::expect![[r#"{"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443}],"selector":{"app":"b"}}}"#]]
        .assert_eq(&strategic_merge("Service", &svc, &patch, &mut Vec::new()).to_string());
        let merged = merge_patch(
            &json!({"a": {"b": 1, "c": 2}, "l": [1, 2]}),
            &json!({"a": {"b": null, "d": 3}, "l": [3]}),
        );
        assert_eq!(merged, json!({"a": {"c": 2, "d": 3}, "l": [3]}));
    }
}
