//! An object's bytes in the store: its JSON without
//! `metadata.resourceVersion` (the key's `mod_revision` stands for it, as
//! in the real apiserver). Written straight from the object: a copy of it
//! with the field removed was made for every write before (a pod's status
//! report, an Event's create), only to be serialized and dropped.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// The stored bytes of `obj`: the bytes of a copy whose `metadata` lost
/// `resourceVersion` by serde_json's `Map::remove`, which with
/// `preserve_order` is a `swap_remove` (the last field takes its place).
pub(super) fn encode(obj: &Value) -> Vec<u8> {
    serde_json::to_vec(&Stored(obj)).unwrap_or_default()
}

struct Stored<'a>(&'a Value);
struct Metadata<'a>(&'a Value);

impl Serialize for Stored<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Value::Object(m) = self.0 else {
            return self.0.serialize(s);
        };
        let mut map = s.serialize_map(Some(m.len()))?;
        for (k, v) in m {
            if k == "metadata" {
                map.serialize_entry(k, &Metadata(v))?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Value::Object(m) = self.0 else {
            return self.0.serialize(s);
        };
        let Some(at) = m.keys().position(|k| k == "resourceVersion") else {
            return self.0.serialize(s);
        };
        let last = m.len() - 1;
        let mut map = s.serialize_map(Some(last))?;
        // Before it; the last field in its place; the rest.
        let moved = m.iter().skip(last).filter(|_| at < last);
        let order = m
            .iter()
            .take(at)
            .chain(moved)
            .chain(m.iter().take(last).skip(at + 1));
        for (k, v) in order {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What the store held before: a copy, the field removed, serialized.
    fn by_copy(obj: &Value) -> Vec<u8> {
        let mut obj = obj.clone();
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("resourceVersion");
        }
        serde_json::to_vec(&obj).unwrap_or_default()
    }

    #[test]
    fn the_bytes_are_those_of_a_copy_without_the_resource_version() {
        let objects = [
            json!({"kind": "Pod", "metadata": {"resourceVersion": "1", "name": "a", "uid": "u", "labels": {"x": "y"}}, "spec": {}}),
            json!({"metadata": {"name": "a", "resourceVersion": "1", "uid": "u"}}),
            json!({"metadata": {"name": "a", "uid": "u", "resourceVersion": "1"}}),
            json!({"metadata": {"resourceVersion": "1"}}),
            json!({"metadata": {"name": "a"}, "status": {"resourceVersion": "kept"}}),
            json!({"metadata": "odd", "a": [1, 2.5, null, {"metadata": {"resourceVersion": "9"}}]}),
            json!({}),
            json!([{"metadata": {"resourceVersion": "1"}}]),
            json!("text"),
            json!(null),
        ];
        for obj in &objects {
            assert_eq!(
                String::from_utf8_lossy(&encode(obj)),
                String::from_utf8_lossy(&by_copy(obj)),
                "{obj}"
            );
        }
    }
}
