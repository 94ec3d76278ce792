//! Storage: PersistentVolume, PersistentVolumeClaim, StorageClass.

use super::{arr, col, s, wide, Column, AGE, NAME};
use crate::api::object;
use crate::clock::Time;
use serde_json::Value;

/// `GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, comma-joined.
pub fn access_modes(o: &Value, path: &str) -> String {
    let modes: Vec<&str> = arr(o, path).iter().filter_map(Value::as_str).collect();
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(m, _)| modes.contains(m))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

fn deleting(o: &Value) -> bool {
    object::at(o, "metadata.deletionTimestamp").is_some_and(|v| !v.is_null())
}

fn phase(o: &Value) -> String {
    if deleting(o) {
        "Terminating".into()
    } else {
        s(o, "status.phase").to_string()
    }
}

fn or_unset(o: &Value, path: &str) -> String {
    object::str_at(o, path).unwrap_or("<unset>").to_string()
}

/// The class from the beta annotation, else `spec.storageClassName`.
fn class(o: &Value) -> String {
    object::at(o, "metadata.annotations")
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| s(o, "spec.storageClassName"))
        .to_string()
}

pub const PV: &[Column] = &[
    NAME,
    col("CAPACITY", |o, _| s(o, "spec.capacity.storage").to_string()),
    col("ACCESS MODES", |o, _| access_modes(o, "spec.accessModes")),
    col("RECLAIM POLICY", |o, _| {
        s(o, "spec.persistentVolumeReclaimPolicy").to_string()
    }),
    col("STATUS", |o, _| phase(o)),
    col("CLAIM", |o, _| match object::at(o, "spec.claimRef") {
        Some(r) if r.is_object() => format!("{}/{}", s(r, "namespace"), s(r, "name")),
        _ => String::new(),
    }),
    col("STORAGECLASS", |o, _| class(o)),
    col("VOLUMEATTRIBUTESCLASS", |o, _| {
        or_unset(o, "spec.volumeAttributesClassName")
    }),
    col("REASON", |o, _| s(o, "status.reason").to_string()),
    AGE,
    wide("VOLUMEMODE", |o, _| or_unset(o, "spec.volumeMode")),
];

pub const PVC: &[Column] = &[
    NAME,
    col("STATUS", |o, _| phase(o)),
    col("VOLUME", |o, _| s(o, "spec.volumeName").to_string()),
    col("CAPACITY", |o, _| {
        if s(o, "spec.volumeName").is_empty() {
            String::new()
        } else {
            s(o, "status.capacity.storage").to_string()
        }
    }),
    col("ACCESS MODES", |o, _| {
        if s(o, "spec.volumeName").is_empty() {
            String::new()
        } else {
            access_modes(o, "status.accessModes")
        }
    }),
    col("STORAGECLASS", |o, _| class(o)),
    col("VOLUMEATTRIBUTESCLASS", |o, _| {
        or_unset(o, "spec.volumeAttributesClassName")
    }),
    AGE,
    wide("VOLUMEMODE", |o, _| or_unset(o, "spec.volumeMode")),
];

fn is_default_class(o: &Value) -> bool {
    let ann = object::at(o, "metadata.annotations");
    [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| ann.and_then(|a| a.get(*k)).and_then(Value::as_str) == Some("true"))
}

fn storage_class_name(o: &Value, _: Time) -> String {
    let name = object::name(o);
    if is_default_class(o) {
        format!("{name} (default)")
    } else {
        name.to_string()
    }
}

pub const STORAGECLASS: &[Column] = &[
    super::Column {
        header: "NAME",
        wide: false,
        is_name: true,
        cell: super::Cell::Of(storage_class_name),
    },
    col("PROVISIONER", |o, _| s(o, "provisioner").to_string()),
    col("RECLAIMPOLICY", |o, _| {
        object::str_at(o, "reclaimPolicy")
            .unwrap_or("Delete")
            .to_string()
    }),
    col("VOLUMEBINDINGMODE", |o, _| {
        object::str_at(o, "volumeBindingMode")
            .unwrap_or("Immediate")
            .to_string()
    }),
    col("ALLOWVOLUMEEXPANSION", |o, _| {
        object::at(o, "allowVolumeExpansion")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .to_string()
    }),
    AGE,
];
