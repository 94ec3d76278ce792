//! `DefaultStorageClass`: a PersistentVolumeClaim that names no class gets
//! the default one (annotated `storageclass.kubernetes.io/is-default-class:
//! "true"`); with several defaults, the newest wins (v1.28+). An explicit
//! `""` means "no class" and is left alone.

use crate::etcd::Store;
use serde_json::{json, Value};

const ANNOTATIONS: &[&str] = &[
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

pub fn admit(store: &Store, pvc: &mut Value) -> Vec<String> {
    if pvc
        .pointer("/spec/storageClassName")
        .is_some_and(|v| !v.is_null())
    {
        return vec![];
    }
    let mut defaults: Vec<(String, String)> = super::objects(store, "storageclasses", None)
        .iter()
        .filter(|sc| {
            ANNOTATIONS.iter().any(|a| {
                sc.pointer("/metadata/annotations")
                    .and_then(|m| m.get(*a))
                    .and_then(Value::as_str)
                    == Some("true")
            })
        })
        .map(|sc| {
            let ts = sc
                .pointer("/metadata/creationTimestamp")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let name = sc
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            (ts, name)
        })
        .collect();
    // Newest first; on equal timestamps, by name.
    crate::sort::sort_by(&mut defaults, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let Some((_, class)) = defaults.into_iter().next() else {
        return vec![];
    };
    if let Some(spec) = pvc.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("storageClassName".into(), json!(class));
        return vec![format!("storageClassName {class}")];
    }
    vec![]
}
