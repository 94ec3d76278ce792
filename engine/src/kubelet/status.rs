// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects).
#![allow(clippy::indexing_slicing)]
//! Pod status as the kubelet writes it (v1.33): conditions in the kubelet's
//! order, container statuses with containerd IDs and image digests, pod
//! and host IPs, QoS class.

use crate::clock::Time;
use crate::rng::Rng;
use serde_json::{json, Value};

/// A stable, image-specific digest: the same image always has the same
/// `imageID`, as a registry would give it.
pub fn image_digest(image: &str) -> String {
    let mut out = String::with_capacity(64);
    for round in 0u64..4 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for b in image.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

/// The image reference with its registry spelled out, as the runtime reports it
/// (`nginx` → `docker.io/library/nginx:latest`).
pub fn full_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or("");
    let qualified = if !name.contains('/') {
        format!("docker.io/library/{name}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        name
    } else {
        format!("docker.io/{name}")
    };
    format!("{qualified}:{tag}")
}

/// `containerd://` + 64 hex characters from the seeded rng.
pub fn container_id(rng: &mut Rng) -> String {
    format!(
        "containerd://{:016x}{:016x}{:016x}{:016x}",
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64()
    )
}

/// The status of a pod whose containers all run and are ready.
pub fn running(
    pod: &Value,
    host_ip: &str,
    pod_ip: &str,
    scheduled: Time,
    started: Time,
    rng: &mut Rng,
) -> Value {
    let cond = |type_: &str, at: Time| json!({ "lastProbeTime": null, "lastTransitionTime": at.rfc3339(), "status": "True", "type": type_ });
    let containers = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let statuses: Vec<Value> = containers
        .iter()
        .map(|c| {
            let image = c.get("image").and_then(Value::as_str).unwrap_or("");
            let full = full_image(image);
            let repo = full.rsplit_once(':').map(|(r, _)| r).unwrap_or(&full).to_string();
            let mut s = json!({
                "containerID": container_id(rng),
                "image": full,
                "imageID": format!("{repo}@sha256:{}", image_digest(image)),
                "lastState": {},
                "name": c.get("name").cloned().unwrap_or(Value::Null),
                "ready": true,
                "restartCount": 0,
                "started": true,
                "state": { "running": { "startedAt": started.rfc3339() } },
            });
            if let Some(mounts) = c.get("volumeMounts").and_then(Value::as_array) {
                let m: Vec<Value> = mounts
                    .iter()
                    .map(|m| {
                        let mut v = json!({ "mountPath": m.get("mountPath").cloned().unwrap_or(Value::Null), "name": m.get("name").cloned().unwrap_or(Value::Null) });
                        if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                            v["readOnly"] = json!(true);
                            v["recursiveReadOnly"] = json!("Disabled");
                        }
                        v
                    })
                    .collect();
                s["volumeMounts"] = json!(m);
            }
            s
        })
        .collect();
    json!({
        "conditions": [
            cond("PodReadyToStartContainers", started),
            cond("Initialized", scheduled),
            cond("Ready", started),
            cond("ContainersReady", started),
            cond("PodScheduled", scheduled),
        ],
        "containerStatuses": statuses,
        "hostIP": host_ip,
        "hostIPs": [{ "ip": host_ip }],
        "phase": "Running",
        "podIP": pod_ip,
        "podIPs": [{ "ip": pod_ip }],
        "qosClass": pod.pointer("/status/qosClass").cloned().unwrap_or(json!("BestEffort")),
        "startTime": scheduled.rfc3339(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_qualified_like_containerd_reports_them() {
        assert_eq!(full_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(full_image("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(
            full_image("kodekloud/webapp-color"),
            "docker.io/kodekloud/webapp-color:latest"
        );
        assert_eq!(
            full_image("registry.k8s.io/coredns/coredns:v1.12.0"),
            "registry.k8s.io/coredns/coredns:v1.12.0"
        );
        assert_eq!(
            full_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(image_digest("nginx").len(), 64);
        assert_eq!(image_digest("nginx"), image_digest("nginx"));
        assert_ne!(image_digest("nginx"), image_digest("redis"));
    }
}
