//! `ServiceAccount`: a Pod runs as `default` unless it names an account,
//! and gets the projected token volume mounted in every container (unless
//! automounting is off or the path is already mounted).

use crate::rng::Rng;
use serde_json::{json, Value};

const MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

pub fn admit(pod: &mut Value, rng: &mut Rng) -> Vec<String> {
    let Some(spec) = pod.get_mut("spec").filter(|s| s.is_object()) else {
        return vec![];
    };
    let mut changes = Vec::new();
    let sa = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .or_else(|| spec.get("serviceAccount").and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    if spec.get("serviceAccountName").and_then(Value::as_str) != Some(sa.as_str()) {
        changes.push(format!("serviceAccountName {sa}"));
    }
    if let Some(m) = spec.as_object_mut() {
        m.insert("serviceAccountName".into(), json!(sa));
        m.insert("serviceAccount".into(), json!(sa));
    }
    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false);
    let mounted = ["containers", "initContainers"].iter().any(|k| {
        spec.get(*k).and_then(Value::as_array).is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("volumeMounts")
                    .and_then(Value::as_array)
                    .is_some_and(|ms| {
                        ms.iter()
                            .any(|m| m.get("mountPath").and_then(Value::as_str) == Some(MOUNT))
                    })
            })
        })
    });
    if automount && !mounted {
        let vol = format!("kube-api-access-{}", rng.k8s_suffix(5));
        changes.push(format!("token volume {vol} mounted at {MOUNT}"));
        super::super::defaulting::default(spec, "volumes", json!([]));
        if let Some(vs) = spec.get_mut("volumes").and_then(Value::as_array_mut) {
            vs.push(json!({"name": vol, "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]}}));
        }
        for key in ["containers", "initContainers"] {
            for c in super::super::defaulting::items_mut(spec, key) {
                super::super::defaulting::default(c, "volumeMounts", json!([]));
                if let Some(ms) = c.get_mut("volumeMounts").and_then(Value::as_array_mut) {
                    ms.push(json!({"mountPath": MOUNT, "name": vol, "readOnly": true}));
                }
            }
        }
    }
    changes
}
