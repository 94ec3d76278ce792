//! DefaultBinder (Bind): writes the pod's node through the apiserver.
//!
//! Kubernetes binds with the `pods/binding` subresource, which sets
//! `spec.nodeName` and the `PodScheduled=True` condition in one request.
//! The apiserver rejects a binding for a pod that already has a node or is
//! being deleted (409), which is how a stale scheduling decision fails.

use super::super::framework::*;
use super::super::types::PodInfo;
use super::names;
use crate::api::{object, resolve};
use crate::apiserver::{ApiError, ApiServer};
use crate::clock::Time;
use serde_json::{json, Value};

#[derive(Debug)]
pub struct DefaultBinder;

impl Plugin for DefaultBinder {
    fn name(&self) -> &'static str {
        names::DEFAULT_BINDER
    }
}

/// The `PodScheduled=True` condition a binding writes.
pub fn scheduled_condition(now: Time) -> Value {
    json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now.rfc3339()})
}

/// Sets (or replaces) a condition by type in `status.conditions`.
pub fn set_condition(pod: &mut Value, cond: Value) {
    let ty = cond.get("type").cloned().unwrap_or(Value::Null);
    if pod
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_none()
    {
        object::set(pod, "status.conditions", json!([]));
    }
    if let Some(list) = pod
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut)
    {
        match list.iter_mut().find(|c| c.get("type") == Some(&ty)) {
            Some(c) => *c = cond,
            None => list.push(cond),
        }
    }
}

impl BindPlugin for DefaultBinder {
    fn bind(&self, api: &mut ApiServer, pod: &PodInfo, node: &str, now: Time) -> Status {
        let Some(pods) = resolve("pods") else {
            return Status::new(Code::Error, "pods resource not served");
        };
        // The cached pod itself: only its uid is read.
        match api.get_shared(pods, Some(&pod.namespace), &pod.name) {
            Some(obj)
                if obj.pointer("/metadata/uid").and_then(Value::as_str)
                    == Some(pod.uid.as_str()) => {}
            Some(_) => {
                return Status::new(
                    Code::Error,
                    format!("pod {}/{} changed identity", pod.namespace, pod.name),
                )
            }
            None => {
                return Status::new(
                    Code::Error,
                    ApiError::not_found(pods, &pod.name).to_string(),
                )
            }
        }
        match api.bind(&pod.namespace, &pod.name, node, now) {
            Ok(_) => Status::success(),
            Err(e) => Status::new(Code::Error, e.to_string()),
        }
    }
}
