//! Stored JSON decoded for the watch cache, each map and array at the
//! capacity of its contents. serde_json's own decoding grows them by
//! doubling, which leaves a cached pod holding about half as much again
//! as it needs (29 KB instead of 19 KB, measured) for as long as the cache
//! keeps it; rebuilding every map after the parse cost a second hashing of
//! every key. Here each map's entries are gathered first and the map is
//! built once at its size. The values are serde_json's, the same as
//! [`super::stored_json`] gives (test builds compare them).

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// The stored bytes as JSON, or `Null` when they are not (bytes written
/// with `etcdctl put`), as [`super::stored_json`].
pub(super) fn decode(bytes: &[u8]) -> Value {
    let value = std::str::from_utf8(bytes).ok().and_then(|s| {
        let mut de = serde_json::Deserializer::from_str(s);
        let v = Fitted.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(v)
    });
    let value = value.unwrap_or(Value::Null);
    #[cfg(test)]
    assert_eq!(value, super::stored_json(bytes));
    value
}

/// Gives `map` the capacity of its contents (after an insert grew it).
pub(super) fn fit_map(map: &mut Map<String, Value>) {
    *map = std::mem::take(map).into_iter().collect();
}

/// serde_json's `Value` visitor, but for the capacities.
struct Fitted;

impl<'de> DeserializeSeed<'de> for Fitted {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Fitted {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Fitted)? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = access.next_key::<String>()? {
            entries.push((key, access.next_value_seed(Fitted)?));
        }
        // Inserted in order: a repeated key keeps its first place and
        // takes the last value, as serde_json's own map.
        let mut map = Map::with_capacity(entries.len());
        for (k, v) in entries {
            map.insert(k, v);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of value, nested, a repeated key, numbers of each kind
    /// and bytes that are not JSON: the same values as serde_json's.
    #[test]
    fn decodes_as_serde_json() {
        for text in [
            r#"{"a":1,"b":[1,-2,3.5,1e400,"x",null,true,{}],"c":{"d":[],"e":{"f":"g"}},"a":2}"#,
            r#"[{"k":18446744073709551615},{"k":-9223372036854775808}]"#,
            r#""just a string""#,
            r#"{"a":1} trailing"#,
            "{not json",
            "",
        ] {
            // `decode` itself asserts the comparison in test builds.
            let v = decode(text.as_bytes());
            assert_eq!(v, super::super::stored_json(text.as_bytes()), "{text}");
        }
        assert_eq!(decode(&[0xff, 0xfe]), Value::Null);
        // A repeated key keeps its first place.
        let v = decode(br#"{"x":1,"y":2,"x":3}"#);
        let keys: Vec<&String> = v
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["x", "y"]);
        assert_eq!(v["x"], 3);
    }
}
