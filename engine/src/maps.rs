//! String-keyed maps of boxed values, for the wasm bundle's size (issue 11).
//!
//! `BTreeMap<K, V>`'s code (insert, remove, rebalancing, iteration) is
//! generated once per key and value type: several KB of wasm each. For the
//! same key and a value of the same size and kind that code is the same,
//! and wasm-opt keeps one copy. A [`BoxedMap`] holds its values behind a
//! `Box`, a pointer the size of a `usize`, so every one shares the code of
//! `BTreeMap<String, usize>` and `BTreeMap<String, Arc<…>>` but for
//! dropping. It suits maps of structs that are looked up and changed in
//! place; a lookup costs one pointer more, an insert one allocation, and
//! moving an entry moves a pointer.

use std::collections::BTreeMap;

/// A `BTreeMap<String, V>` whose values are boxed (see the module).
pub type BoxedMap<V> = BTreeMap<String, Box<V>>;
