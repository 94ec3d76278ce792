//! `NamespaceLifecycle`: nothing is created in a namespace that does not
//! exist or is being terminated, and `default`, `kube-system` and
//! `kube-public` cannot be deleted.

use super::Operation;
use crate::api::Resource;
use crate::apiserver::ApiError;
use crate::etcd::Store;
use serde_json::Value;

/// The namespaces that may not be deleted.
pub const IMMORTAL: &[&str] = &["default", "kube-system", "kube-public"];

/// `display_name` is the name as the request gave it (the generateName
/// prefix for a generated name).
pub fn admit(
    store: &Store,
    op: Operation,
    res: &Resource,
    namespace: Option<&str>,
    display_name: &str,
) -> Result<Vec<String>, ApiError> {
    if res.kind == "Namespace" {
        if op == Operation::Delete && IMMORTAL.contains(&display_name) {
            return Err(ApiError::Forbidden {
                message: format!(
                    "namespaces \"{display_name}\" is forbidden: this namespace may not be deleted"
                ),
            });
        }
        return Ok(vec![]);
    }
    let Some(ns) = namespace else {
        return Ok(vec![]);
    };
    if op == Operation::Delete {
        return Ok(vec![]);
    }
    let Some(kv) = store.get(&format!("/registry/namespaces/{ns}")) else {
        return Err(ApiError::NotFound {
            resource: "namespaces".into(),
            name: ns.to_string(),
        });
    };
    let nsobj = crate::apiserver::stored_json(&kv.value);
    let terminating = nsobj.pointer("/status/phase").and_then(Value::as_str) == Some("Terminating");
    if op == Operation::Create && terminating {
        let who = if display_name.is_empty() {
            res.qualified_plural()
        } else {
            format!("{} \"{display_name}\"", res.qualified_plural())
        };
        return Err(ApiError::Forbidden {
            message: format!(
                "{who} is forbidden: unable to create new content in namespace {ns} because it is being terminated"
            ),
        });
    }
    Ok(vec![])
}
