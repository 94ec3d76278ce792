//! serde_json as the engine uses it, but with a `json!` that builds its
//! value from a template string instead of code (issue 11: every key and
//! literal of serde_json's `json!` is a `String` allocation and a map insert
//! in wasm; the engine writes about a thousand of them). The engine depends
//! on this crate under the name `serde_json` (engine/Cargo.toml), so its
//! `use serde_json::{json, Value}` reads as before; everything else is
//! serde_json's own. The syntax and the values built are serde_json's
//! (dinghy-json-macro's documentation has the template's grammar; the tests
//! below compare both macros).

pub use serde_json::*;

/// serde_json's own macro, for what the template cannot hold.
#[doc(hidden)]
pub use serde_json::json as __json_code;

pub use dinghy_json_macro::json;

/// An interpolated value: serde_json's macro's `to_value(&expr).unwrap()`.
#[doc(hidden)]
#[inline]
#[allow(clippy::expect_used)]
pub fn __value<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    // As serde_json's macro: fails only for a map whose keys are not strings,
    // which the engine never builds.
    to_value(v).expect("json! value")
}

/// An interpolated key: serde_json's macro's `($key).into()`.
#[doc(hidden)]
#[inline]
pub fn __key<K: Into<String>>(k: K) -> String {
    k.into()
}

/// Builds the value a template describes, taking the interpolated keys and
/// values in order.
#[doc(hidden)]
pub fn __template_keys(template: &str, keys: &mut [String], values: &mut [Value]) -> Value {
    let mut r = Reader {
        t: template,
        keys: keys.iter_mut(),
        values: values.iter_mut(),
    };
    r.value()
}

/// A template whose keys are all literal.
#[doc(hidden)]
pub fn __template(template: &str, values: &mut [Value]) -> Value {
    __template_keys(template, &mut [], values)
}

/// A template without interpolations.
#[doc(hidden)]
pub fn __literal(template: &str) -> Value {
    __template_keys(template, &mut [], &mut [])
}

struct Reader<'a, 't> {
    t: &'t str,
    keys: std::slice::IterMut<'a, String>,
    values: std::slice::IterMut<'a, Value>,
}

impl Reader<'_, '_> {
    fn next(&mut self) -> char {
        let mut chars = self.t.chars();
        let c = chars.next().unwrap_or(']');
        self.t = chars.as_str();
        c
    }

    /// The text up to the next `end`, which is consumed.
    fn until(&mut self, end: char) -> &str {
        let (text, rest) = self.t.split_once(end).unwrap_or((self.t, ""));
        self.t = rest;
        text
    }

    fn value(&mut self) -> Value {
        match self.next() {
            '{' => {
                let mut map = Map::new();
                loop {
                    let key = match self.next() {
                        '\u{1}' => self.until('\u{1}').to_string(),
                        '\u{3}' => self.keys.next().map(std::mem::take).unwrap_or_default(),
                        _ => break,
                    };
                    let v = self.value();
                    map.insert(key, v);
                }
                Value::Object(map)
            }
            '[' => {
                let mut items = Vec::new();
                while !self.t.starts_with(']') && !self.t.is_empty() {
                    items.push(self.value());
                }
                self.next();
                Value::Array(items)
            }
            '\u{1}' => Value::String(self.until('\u{1}').to_string()),
            '\u{2}' => self.values.next().map(std::mem::take).unwrap_or_default(),
            't' => Value::Bool(true),
            'f' => Value::Bool(false),
            'i' => Value::from(self.until(';').parse::<u64>().unwrap_or_default()),
            _ => Value::Null,
        }
    }
}
