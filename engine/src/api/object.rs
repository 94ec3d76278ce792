//! Helpers over objects in their wire form (`serde_json::Value`), the form
//! the apiserver stores and kubectl prints.

use serde_json::Value;

/// Reads a string at a dotted path (`metadata.name`).
pub fn str_at<'a>(obj: &'a Value, path: &str) -> Option<&'a str> {
    at(obj, path)?.as_str()
}

/// The value at a dotted path: each `.`-separated segment a key (the
/// segments `split('.')` gives, empty ones included). Walked byte by byte:
/// components read a few short paths of every object at every sync, and
/// a `str::split` searcher costs more to set up than such a path to scan.
pub fn at<'a>(obj: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = obj;
    let mut rest = path;
    while let Some(dot) = rest.bytes().position(|b| b == b'.') {
        // `.` is one byte: both ends are character boundaries.
        v = field(v, rest.get(..dot)?)?;
        rest = rest.get(dot + 1..)?;
    }
    field(v, rest)
}

/// A field of an object. serde_json's map hashes the key (SipHash) on every
/// lookup; an object's maps are mostly small, where comparing the keys is
/// cheaper (keys are unique, so the first match is the only one).
fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let m = v.as_object()?;
    if m.len() <= 8 {
        m.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        m.get(key)
    }
}

pub fn name(obj: &Value) -> &str {
    str_at(obj, "metadata.name").unwrap_or("")
}

pub fn namespace(obj: &Value) -> Option<&str> {
    str_at(obj, "metadata.namespace")
}

/// Sorted `k=v` pairs of a string map (labels, nodeSelector).
pub fn string_map(obj: &Value, path: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = at(obj, path)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    crate::sort::sort(&mut out);
    out
}

/// Sets a value at a dotted path, creating objects on the way.
pub fn set(obj: &mut Value, path: &str, value: Value) {
    let mut cur = obj;
    let segs: Vec<&str> = path.split('.').collect();
    for (i, seg) in segs.iter().enumerate() {
        if !cur.is_object() {
            *cur = Value::Object(Default::default());
        }
        let Value::Object(map) = cur else { return };
        if i + 1 == segs.len() {
            map.insert(seg.to_string(), value);
            return;
        }
        cur = map
            .entry(seg.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

/// What an event names of the object it is about (`involvedObject`): its
/// `apiVersion`, `kind`, name, namespace, uid and resourceVersion, as the
/// object has them. An event holds this rather than a copy of the whole
/// object: the kubelet records several events per pod, each of which
/// copied the pod (spec and status) only for these six fields.
pub fn reference(obj: &Value) -> Value {
    let mut r = serde_json::Map::new();
    for k in ["apiVersion", "kind"] {
        if let Some(v) = obj.get(k) {
            r.insert(k.into(), v.clone());
        }
    }
    if let Some(m) = obj.get("metadata").and_then(Value::as_object) {
        let mut meta = serde_json::Map::new();
        for k in ["name", "namespace", "uid", "resourceVersion"] {
            if let Some(v) = m.get(k) {
                meta.insert(k.into(), v.clone());
            }
        }
        r.insert("metadata".into(), Value::Object(meta));
    }
    Value::Object(r)
}

#[cfg(test)]
mod at_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn at_reads_the_segments_split_gives() {
        let obj = json!({"a": {"b": {"c": 1}, "": {"": 2}, "x.y": 3},
                         "": {"b": 4}, "l": [5], "é": {"ü": 6}});
        for path in [
            "a.b.c",
            "a.b",
            "a",
            "",
            ".",
            "a.",
            ".b",
            "a..",
            "a.b.c.d",
            "a.x.y",
            "l.0",
            "missing.b",
            "é.ü",
            "é",
            "a.b.c.",
            ".b.c",
        ] {
            let by_split = path.split('.').try_fold(&obj, |v, seg| v.get(seg));
            assert_eq!(at(&obj, path), by_split, "{path:?}");
        }
    }

    #[test]
    fn a_reference_reads_as_its_object() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web",
            "namespace": "default", "uid": "7f3c", "resourceVersion": "12",
            "labels": {"app": "web"}}, "spec": {"containers": [{"name": "web"}]},
            "status": {"phase": "Running"}});
        for obj in [
            pod,
            json!({"kind": "Node", "metadata": {"name": "node01", "uid": 7}}),
            json!({"metadata": "odd"}),
            json!(null),
        ] {
            let r = reference(&obj);
            for path in [
                "apiVersion",
                "kind",
                "metadata.name",
                "metadata.namespace",
                "metadata.uid",
                "metadata.resourceVersion",
            ] {
                assert_eq!(at(&r, path), at(&obj, path), "{path} of {obj}");
            }
            assert!(r.get("spec").is_none() && r.get("status").is_none());
        }
    }
}
