//! `ServiceAccount`: a Pod runs as `default` unless it names an account;
//! the account must exist (`error looking up service account ns/x:
//! serviceaccount "x" not found`), the pod gets the projected token volume
//! mounted in every container (unless the pod, or else the account, turns
//! automounting off, or the path is already mounted), and a pod without
//! imagePullSecrets inherits the account's.
//!
//! The real plugin retries a missing `default` account for about a second,
//! because the serviceaccount controller creates it right after its
//! namespace; here a manifest that creates a namespace and a pod in it is
//! admitted in one step with no controller in between, so a missing
//! `default` account is accepted as it would be after the retries.
//!
//! Mirror pods (the kubelet's copies of its static pods, marked with the
//! `kubernetes.io/config.mirror` annotation) are left as they are: the
//! kubelet would see a changed spec and delete them. Instead they may not
//! name an account, mount secrets, or project a token at all.

use crate::rng::Rng;
use serde_json::{json, Value};

const MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The annotation the kubelet puts on the mirror pod of a static pod.
pub const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// Mutates `pod` in namespace `ns`; `account` looks up a ServiceAccount of
/// that namespace by name. Returns what changed, or the reason the pod is
/// forbidden.
pub fn admit(
    pod: &mut Value,
    ns: &str,
    account: impl Fn(&str) -> Option<Value>,
    rng: &mut Rng,
) -> Result<Vec<String>, String> {
    if pod
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(MIRROR_ANNOTATION))
        .is_some()
    {
        return validate_mirror(pod).map(|()| vec!["mirror pod: left unchanged".into()]);
    }
    let Some(spec) = pod.get_mut("spec").filter(|s| s.is_object()) else {
        return Ok(vec![]);
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
    let account = account(&sa);
    if account.is_none() && sa != "default" {
        return Err(format!(
            "error looking up service account {ns}/{sa}: serviceaccount \"{sa}\" not found"
        ));
    }
    let account = account.unwrap_or(Value::Null);
    if let Some(m) = spec.as_object_mut() {
        m.insert("serviceAccountName".into(), json!(sa));
        m.insert("serviceAccount".into(), json!(sa));
    }
    // The pod's preference wins, then the account's; on by default.
    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        .or_else(|| {
            account
                .get("automountServiceAccountToken")
                .and_then(Value::as_bool)
        })
        != Some(false);
    let pull_secrets = account
        .get("imagePullSecrets")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    let has_pull_secrets = spec
        .get("imagePullSecrets")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if let (Some(secrets), false) = (pull_secrets, has_pull_secrets) {
        let names: Vec<Value> = secrets
            .iter()
            .map(|s| json!({"name": s.get("name").cloned().unwrap_or(json!(""))}))
            .collect();
        changes.push(format!("imagePullSecrets from service account {sa}"));
        if let Some(m) = spec.as_object_mut() {
            m.insert("imagePullSecrets".into(), Value::Array(names));
        }
    }
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
    Ok(changes)
}

/// What the plugin checks of a mirror pod, with the real messages.
fn validate_mirror(pod: &Value) -> Result<(), String> {
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    if spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
    {
        return Err("a mirror pod may not reference service accounts".into());
    }
    let volumes = spec.get("volumes").and_then(Value::as_array);
    let volumes = volumes.map(Vec::as_slice).unwrap_or_default();
    let secret_env = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .flat_map(|k| spec.get(*k).and_then(Value::as_array).into_iter().flatten())
        .any(|c| {
            let env = c.get("env").and_then(Value::as_array).into_iter().flatten();
            let env_from = c
                .get("envFrom")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            env.into_iter()
                .any(|e| e.pointer("/valueFrom/secretKeyRef").is_some())
                || env_from.into_iter().any(|e| e.get("secretRef").is_some())
        });
    let secret_volume = volumes.iter().any(|v| {
        v.get("secret").is_some()
            || v.pointer("/projected/sources")
                .and_then(Value::as_array)
                .is_some_and(|ss| ss.iter().any(|s| s.get("secret").is_some()))
    });
    let pull_secrets = spec
        .get("imagePullSecrets")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if secret_env || secret_volume || pull_secrets {
        return Err("a mirror pod may not reference secrets".into());
    }
    let token = volumes.iter().any(|v| {
        v.pointer("/projected/sources")
            .and_then(Value::as_array)
            .is_some_and(|ss| ss.iter().any(|s| s.get("serviceAccountToken").is_some()))
    });
    if token {
        return Err("a mirror pod may not use ServiceAccountToken volume projections".into());
    }
    Ok(())
}
