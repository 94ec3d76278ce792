//! What a container sees: its environment (`env`, `envFrom`, `valueFrom`,
//! service links) and its files (the image's few files, volumes —
//! configMap, secret, projected, downwardAPI, emptyDir, hostPath, PVC —
//! and its own writes, kept on the node under containerd's task
//! directory as on a real node).

use super::container::{self, FileOp, Files};
use super::images::Kind;
use crate::api::{object, resolve};
use crate::apiserver::ApiServer;
use crate::node::FileSystem;
use serde_json::Value;
use std::collections::BTreeMap;

/// Where containerd keeps a task (its rootfs upper layer and our cursor).
pub fn task_dir(container_id: &str) -> String {
    let id = container_id
        .strip_prefix("containerd://")
        .unwrap_or(container_id);
    format!("/run/containerd/io.containerd.runtime.v2.task/k8s.io/{id}")
}

/// The kubelet's directory for a pod's volumes.
pub fn pod_dir(uid: &str) -> String {
    format!("/var/lib/kubelet/pods/{uid}")
}

fn get(api: &ApiServer, resource: &str, ns: &str, name: &str) -> Option<Value> {
    let res = resolve(resource)?;
    api.get(res, Some(ns), name).ok()
}

/// A Secret's `data` decoded.
fn secret_data(s: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(m) = s.get("data").and_then(Value::as_object) {
        for (k, v) in m {
            let raw = v.as_str().unwrap_or("");
            out.insert(
                k.clone(),
                String::from_utf8_lossy(&base64_decode(raw)).into_owned(),
            );
        }
    }
    if let Some(m) = s.get("stringData").and_then(Value::as_object) {
        for (k, v) in m {
            out.insert(k.clone(), v.as_str().unwrap_or("").to_string());
        }
    }
    out
}

fn cm_data(c: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for key in ["data", "binaryData"] {
        if let Some(m) = c.get(key).and_then(Value::as_object) {
            for (k, v) in m {
                out.insert(k.clone(), v.as_str().unwrap_or("").to_string());
            }
        }
    }
    out
}

pub fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

/// A quantity in base units (`500m` → 0.5, `128Mi` → 134217728).
pub fn quantity(q: &str) -> Option<f64> {
    let q = q.trim();
    let split = q.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    let n: f64 = num.parse().ok()?;
    let m = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        s if s.starts_with('e') || s.starts_with('E') => 10f64.powi(s[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * m)
}

/// A container's resource value (`limits.memory`), in base units.
pub fn resource(c: &Value, which: &str, name: &str) -> Option<f64> {
    c.pointer(&format!("/resources/{which}/{name}"))
        .and_then(Value::as_str)
        .and_then(quantity)
}

fn field_ref(pod: &Value, path: &str) -> String {
    let quoted = |p: &str, prefix: &str| -> Option<String> {
        let rest = p.strip_prefix(prefix)?;
        let key = rest.trim_start_matches("['").trim_end_matches("']");
        Some(key.to_string())
    };
    if let Some(k) = quoted(path, "metadata.labels") {
        return pod
            .pointer("/metadata/labels")
            .and_then(|l| l.get(&k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
    }
    if let Some(k) = quoted(path, "metadata.annotations") {
        return pod
            .pointer("/metadata/annotations")
            .and_then(|l| l.get(&k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
    }
    match path {
        "status.podIPs" | "status.hostIPs" => {
            let key = if path == "status.podIPs" {
                "podIP"
            } else {
                "hostIP"
            };
            object::str_at(pod, &format!("status.{key}"))
                .unwrap_or("")
                .to_string()
        }
        p => object::str_at(pod, p).unwrap_or("").to_string(),
    }
}

fn resource_field(pod: &Value, c: &Value, r: &Value, node_cpu: f64, node_mem: f64) -> String {
    let res = r.get("resource").and_then(Value::as_str).unwrap_or("");
    let divisor = r
        .get("divisor")
        .and_then(|d| {
            d.as_str()
                .map(String::from)
                .or_else(|| d.as_f64().map(|f| f.to_string()))
        })
        .and_then(|d| quantity(&d))
        .filter(|d| *d > 0.0)
        .unwrap_or(1.0);
    let _ = pod;
    let (which, name) = res.split_once('.').unwrap_or(("", ""));
    let v = resource(c, which, name).unwrap_or(match (which, name) {
        ("limits", "cpu") => node_cpu,
        ("limits", "memory") => node_mem,
        _ => 0.0,
    });
    let q = v / divisor;
    format!("{}", q.ceil() as i64)
}

/// Builds a container's environment (the pod's part) in the kubelet's order:
/// `envFrom` sources, then `env`, then the service links. `Err` is the
/// `CreateContainerConfigError` message.
pub fn container_env(
    api: &ApiServer,
    pod: &Value,
    c: &Value,
    node_cpu: f64,
    node_mem: f64,
) -> Result<Vec<(String, String)>, String> {
    let ns = object::namespace(pod).unwrap_or("default");
    let mut env: Vec<(String, String)> = Vec::new();
    let set = |env: &mut Vec<(String, String)>, k: String, v: String| {
        if let Some(e) = env.iter_mut().find(|(n, _)| *n == k) {
            e.1 = v;
        } else {
            env.push((k, v));
        }
    };
    for src in c
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let prefix = src.get("prefix").and_then(Value::as_str).unwrap_or("");
        for (field, resource_name, kind) in [
            ("configMapRef", "configmaps", "configmap"),
            ("secretRef", "secrets", "secret"),
        ] {
            let Some(r) = src.get(field) else { continue };
            let name = r.get("name").and_then(Value::as_str).unwrap_or("");
            let optional = r.get("optional").and_then(Value::as_bool).unwrap_or(false);
            match get(api, resource_name, ns, name) {
                Some(obj) => {
                    let data = if kind == "secret" {
                        secret_data(&obj)
                    } else {
                        cm_data(&obj)
                    };
                    for (k, v) in data {
                        set(&mut env, format!("{prefix}{k}"), v);
                    }
                }
                None if optional => {}
                None => return Err(format!("{kind} \"{name}\" not found")),
            }
        }
    }
    let mut so_far: Vec<(String, String)> = env.clone();
    for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
        let name = e
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let value = if let Some(v) = e.get("value").and_then(Value::as_str) {
            container::expand_kube_vars(v, &so_far)
        } else if let Some(from) = e.get("valueFrom") {
            if let Some(r) = from
                .get("configMapKeyRef")
                .or_else(|| from.get("secretKeyRef"))
            {
                let secret = from.get("secretKeyRef").is_some();
                let (res, kind, kind_title) = if secret {
                    ("secrets", "secret", "Secret")
                } else {
                    ("configmaps", "configmap", "ConfigMap")
                };
                let obj_name = r.get("name").and_then(Value::as_str).unwrap_or("");
                let key = r.get("key").and_then(Value::as_str).unwrap_or("");
                let optional = r.get("optional").and_then(Value::as_bool).unwrap_or(false);
                match get(api, res, ns, obj_name) {
                    Some(obj) => {
                        let data = if secret {
                            secret_data(&obj)
                        } else {
                            cm_data(&obj)
                        };
                        match data.get(key) {
                            Some(v) => v.clone(),
                            None if optional => continue,
                            None => {
                                return Err(format!(
                                    "couldn't find key {key} in {kind_title} {ns}/{obj_name}"
                                ))
                            }
                        }
                    }
                    None if optional => continue,
                    None => return Err(format!("{kind} \"{obj_name}\" not found")),
                }
            } else if let Some(f) = from.get("fieldRef") {
                field_ref(
                    pod,
                    f.get("fieldPath").and_then(Value::as_str).unwrap_or(""),
                )
            } else if let Some(r) = from.get("resourceFieldRef") {
                resource_field(pod, c, r, node_cpu, node_mem)
            } else {
                String::new()
            }
        } else {
            String::new()
        };
        set(&mut env, name.clone(), value.clone());
        so_far.push((name, value));
    }
    if pod
        .pointer("/spec/enableServiceLinks")
        .and_then(Value::as_bool)
        != Some(false)
    {
        for (k, v) in service_links(api, ns) {
            if !env.iter().any(|(n, _)| *n == k) {
                env.push((k, v));
            }
        }
    } else {
        for (k, v) in service_links(api, "default")
            .into_iter()
            .filter(|(k, _)| k.starts_with("KUBERNETES_"))
        {
            env.push((k, v));
        }
    }
    Ok(env)
}

/// The Docker-links style variables for the services of a namespace (and
/// the `kubernetes` service), sorted.
fn service_links(api: &ApiServer, ns: &str) -> Vec<(String, String)> {
    let Some(res) = resolve("services") else {
        return Vec::new();
    };
    let mut services = api.list(res, Some(ns));
    if ns != "default" {
        services.extend(
            api.list(res, Some("default"))
                .into_iter()
                .filter(|s| object::name(s) == "kubernetes"),
        );
    }
    let mut out = Vec::new();
    for s in services {
        let ip = object::str_at(&s, "spec.clusterIP").unwrap_or("");
        if ip.is_empty() || ip == "None" {
            continue;
        }
        let name = crate::case::to_uppercase(object::name(&s)).replace('-', "_");
        let ports = s
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let Some(first) = ports.first() else { continue };
        let port = |p: &Value| p.get("port").and_then(Value::as_i64).unwrap_or(0);
        let proto = |p: &Value| {
            p.get("protocol")
                .and_then(Value::as_str)
                .unwrap_or("TCP")
                .to_string()
        };
        out.push((format!("{name}_SERVICE_HOST"), ip.to_string()));
        out.push((format!("{name}_SERVICE_PORT"), port(first).to_string()));
        out.push((
            format!("{name}_PORT"),
            format!(
                "{}://{ip}:{}",
                crate::case::to_lowercase(&proto(first)),
                port(first)
            ),
        ));
        for p in &ports {
            if let Some(pn) = p.get("name").and_then(Value::as_str) {
                out.push((
                    format!(
                        "{name}_SERVICE_PORT_{}",
                        crate::case::to_uppercase(pn).replace('-', "_")
                    ),
                    port(p).to_string(),
                ));
            }
            let pr = proto(p);
            let base = format!("{name}_PORT_{}_{pr}", port(p));
            out.push((
                base.clone(),
                format!("{}://{ip}:{}", crate::case::to_lowercase(&pr), port(p)),
            ));
            out.push((format!("{base}_PROTO"), crate::case::to_lowercase(&pr)));
            out.push((format!("{base}_PORT"), port(p).to_string()));
            out.push((format!("{base}_ADDR"), ip.to_string()));
        }
    }
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// The process environment: the image's, `HOSTNAME`, the pod's, `HOME`.
pub fn process_env(
    kind: Kind,
    tag: &str,
    hostname: &str,
    pod_env: &[(String, String)],
) -> Vec<(String, String)> {
    let mut env = container::image_env(kind, tag);
    env.insert(
        1.min(env.len()),
        ("HOSTNAME".to_string(), hostname.to_string()),
    );
    for (k, v) in pod_env {
        if let Some(e) = env.iter_mut().find(|(n, _)| n == k) {
            e.1 = v.clone();
        } else {
            env.push((k.clone(), v.clone()));
        }
    }
    if !env.iter().any(|(k, _)| k == "HOME") {
        env.push(("HOME".into(), "/root".into()));
    }
    env
}

/// A volume as the container sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A directory on the node (emptyDir, hostPath, PVC).
    Dir(String),
    /// Read-only files (configMap, secret, projected, downwardAPI).
    Data(BTreeMap<String, String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub path: String,
    pub source: Source,
    pub read_only: bool,
}

fn items(data: BTreeMap<String, String>, vol: &Value) -> BTreeMap<String, String> {
    match vol.get("items").and_then(Value::as_array) {
        Some(items) => crate::sort::map(items.iter().filter_map(|i| {
            let k = i.get("key").and_then(Value::as_str)?;
            let p = i.get("path").and_then(Value::as_str).unwrap_or(k);
            data.get(k).map(|v| (p.to_string(), v.clone()))
        })),
        None => data,
    }
}

/// Resolves a pod's volumes; `Err` is the `FailedMount` message.
pub fn volumes(
    api: &ApiServer,
    pod: &Value,
    uid: &str,
) -> Result<BTreeMap<String, Source>, String> {
    let ns = object::namespace(pod).unwrap_or("default");
    let mut out = BTreeMap::new();
    for v in pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = v
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let fail = |what: &str| format!("MountVolume.SetUp failed for volume \"{name}\" : {what}");
        let src = if let Some(cm) = v.get("configMap") {
            let n = cm.get("name").and_then(Value::as_str).unwrap_or("");
            match get(api, "configmaps", ns, n) {
                Some(o) => Source::Data(items(cm_data(&o), cm)),
                None if cm.get("optional").and_then(Value::as_bool) == Some(true) => {
                    Source::Data(BTreeMap::new())
                }
                None => return Err(fail(&format!("configmap \"{n}\" not found"))),
            }
        } else if let Some(s) = v.get("secret") {
            let n = s.get("secretName").and_then(Value::as_str).unwrap_or("");
            match get(api, "secrets", ns, n) {
                Some(o) => Source::Data(items(secret_data(&o), s)),
                None if s.get("optional").and_then(Value::as_bool) == Some(true) => {
                    Source::Data(BTreeMap::new())
                }
                None => return Err(fail(&format!("secret \"{n}\" not found"))),
            }
        } else if let Some(p) = v.get("projected") {
            let mut data = BTreeMap::new();
            for s in p
                .get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(cm) = s.get("configMap") {
                    let n = cm.get("name").and_then(Value::as_str).unwrap_or("");
                    if let Some(o) = get(api, "configmaps", ns, n) {
                        data.extend(items(cm_data(&o), cm));
                    } else if cm.get("optional").and_then(Value::as_bool) != Some(true) {
                        return Err(fail(&format!("configmap \"{n}\" not found")));
                    }
                }
                if let Some(sec) = s.get("secret") {
                    let n = sec.get("name").and_then(Value::as_str).unwrap_or("");
                    if let Some(o) = get(api, "secrets", ns, n) {
                        data.extend(items(secret_data(&o), sec));
                    } else if sec.get("optional").and_then(Value::as_bool) != Some(true) {
                        return Err(fail(&format!("secret \"{n}\" not found")));
                    }
                }
                if let Some(t) = s.get("serviceAccountToken") {
                    let path = t.get("path").and_then(Value::as_str).unwrap_or("token");
                    data.insert(
                        path.to_string(),
                        format!(
                            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImRpbmdoeSJ9.{}.c2lnbmF0dXJl",
                            super::status::image_digest(uid).get(..43).unwrap_or("")
                        ),
                    );
                }
                if let Some(d) = s.get("downwardAPI") {
                    for i in d
                        .get("items")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let path = i.get("path").and_then(Value::as_str).unwrap_or("");
                        let fp = i
                            .pointer("/fieldRef/fieldPath")
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        data.insert(path.to_string(), field_ref(pod, fp));
                    }
                }
            }
            Source::Data(data)
        } else if let Some(d) = v.get("downwardAPI") {
            let mut data = BTreeMap::new();
            for i in d
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let path = i.get("path").and_then(Value::as_str).unwrap_or("");
                let fp = i
                    .pointer("/fieldRef/fieldPath")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                data.insert(path.to_string(), field_ref(pod, fp));
            }
            Source::Data(data)
        } else if let Some(h) = v.get("hostPath") {
            Source::Dir(
                h.get("path")
                    .and_then(Value::as_str)
                    .unwrap_or("/")
                    .to_string(),
            )
        } else if let Some(c) = v.get("persistentVolumeClaim") {
            let claim = c.get("claimName").and_then(Value::as_str).unwrap_or("");
            let pv_path = get(api, "persistentvolumeclaims", ns, claim)
                .and_then(|pvc| object::str_at(&pvc, "spec.volumeName").map(String::from))
                .and_then(|pv| {
                    resolve("persistentvolumes").and_then(|r| api.get(r, None, &pv).ok())
                })
                .and_then(|pv| {
                    object::str_at(&pv, "spec.hostPath.path")
                        .or_else(|| object::str_at(&pv, "spec.local.path"))
                        .map(String::from)
                });
            Source::Dir(pv_path.unwrap_or_else(|| {
                format!("{}/volumes/kubernetes.io~csi/{name}/mount", pod_dir(uid))
            }))
        } else {
            // emptyDir and anything else: a directory the pod owns.
            Source::Dir(format!(
                "{}/volumes/kubernetes.io~empty-dir/{name}",
                pod_dir(uid)
            ))
        };
        out.insert(name, src);
    }
    Ok(out)
}

/// The mounts of one container.
pub fn mounts(c: &Value, vols: &BTreeMap<String, Source>) -> Vec<Mount> {
    let mut out: Vec<Mount> = c
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let name = m.get("name").and_then(Value::as_str)?;
            let path = crate::node::fs::normalize("/", m.get("mountPath").and_then(Value::as_str)?);
            let mut source = vols.get(name)?.clone();
            if let Some(sub) = m
                .get("subPath")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            {
                source = match source {
                    Source::Dir(d) => Source::Dir(format!("{d}/{sub}")),
                    Source::Data(data) => {
                        // A single file mounted at the path.
                        let file = data.get(sub).cloned().unwrap_or_default();
                        Source::Data(BTreeMap::from([(String::new(), file)]))
                    }
                };
            }
            Some(Mount {
                path,
                source,
                read_only: m.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect();
    // Longest mount path first, so the deepest mount wins.
    crate::sort::sort_by_key(&mut out, |m| std::cmp::Reverse(m.path.len()));
    out
}

/// The few files an image has that people read.
fn base_files(kind: Kind, hostname: &str, pod_ip: &str, ns: &str) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("/etc/hostname".into(), format!("{hostname}\n"));
    f.insert(
        "/etc/hosts".into(),
        format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{pod_ip}\t{hostname}\n"),
    );
    f.insert(
        "/etc/resolv.conf".into(),
        format!("search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"),
    );
    let os = match kind {
        Kind::Busybox => None,
        Kind::Alpine | Kind::WebappColor | Kind::Stress => Some("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME=\"Alpine Linux v3.21\"\nHOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n"),
        Kind::Binary(_) | Kind::Pause => Some("PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\nVERSION=\"Debian GNU/Linux 12 (bookworm)\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n"),
        _ => Some("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n"),
    };
    if let Some(os) = os {
        f.insert("/etc/os-release".into(), os.into());
    }
    if kind == Kind::Nginx {
        f.insert("/usr/share/nginx/html/index.html".into(), "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n".into());
    }
    if kind == Kind::Httpd {
        f.insert(
            "/usr/local/apache2/htdocs/index.html".into(),
            "<html><body><h1>It works!</h1></body></html>\n".into(),
        );
    }
    f
}

/// A container's file view over its node's file system.
pub struct View<'a> {
    pub fs: &'a FileSystem,
    pub mounts: &'a [Mount],
    pub rootfs: String,
    pub base: BTreeMap<String, String>,
    /// The cluster DNS the container's resolver asks (set where a
    /// container process starts; see `network::container_nslookup`).
    pub dns: Option<(&'a ApiServer, crate::network::Client)>,
}

enum Place<'a> {
    Node(String),
    Data(&'a BTreeMap<String, String>, String),
}

impl<'a> View<'a> {
    pub fn new(
        fs: &'a FileSystem,
        mounts: &'a [Mount],
        container_id: &str,
        kind: Kind,
        hostname: &str,
        pod_ip: &str,
        ns: &str,
    ) -> Self {
        View {
            fs,
            mounts,
            rootfs: format!("{}/rootfs", task_dir(container_id)),
            base: base_files(kind, hostname, pod_ip, ns),
            dns: None,
        }
    }

    fn place(&self, path: &str) -> Option<Place<'a>> {
        let mounts: &'a [Mount] = self.mounts;
        for m in mounts {
            let rest = if path == m.path {
                ""
            } else if let Some(r) = path.strip_prefix(&format!("{}/", m.path.trim_end_matches('/')))
            {
                r
            } else {
                continue;
            };
            return Some(match &m.source {
                Source::Dir(d) => Place::Node(if rest.is_empty() {
                    d.clone()
                } else {
                    format!("{d}/{rest}")
                }),
                Source::Data(data) => Place::Data(data, rest.to_string()),
            });
        }
        None
    }
}

impl Files for View<'_> {
    fn nslookup(&self, args: &[String]) -> Option<(String, i32)> {
        let (api, client) = self.dns.as_ref()?;
        Some(crate::network::container_nslookup(api, client, args))
    }

    fn read(&self, path: &str) -> Option<String> {
        match self.place(path) {
            Some(Place::Node(p)) => self.fs.read_to_string(&p).ok(),
            Some(Place::Data(d, rest)) => d.get(&rest).cloned(),
            None => {
                let upper = format!("{}{path}", self.rootfs);
                if let Ok(s) = self.fs.read_to_string(&upper) {
                    return Some(s);
                }
                if self.fs.is_file(&format!("{upper}.wh")) {
                    return None;
                }
                self.base.get(path).cloned()
            }
        }
    }

    fn is_dir(&self, path: &str) -> bool {
        match self.place(path) {
            Some(Place::Node(p)) => self.fs.is_dir(&p),
            Some(Place::Data(d, rest)) => {
                rest.is_empty() && !d.contains_key("")
                    || d.keys().any(|k| k.starts_with(&format!("{rest}/")))
            }
            None => {
                matches!(
                    path,
                    "/" | "/tmp"
                        | "/etc"
                        | "/var"
                        | "/root"
                        | "/usr"
                        | "/bin"
                        | "/home"
                        | "/proc"
                        | "/dev"
                ) || self.fs.is_dir(&format!("{}{path}", self.rootfs))
                    || self.base.keys().any(|k| k.starts_with(&format!("{path}/")))
                    || self.mounts.iter().any(|m| {
                        m.path
                            .starts_with(&format!("{}/", path.trim_end_matches('/')))
                    })
            }
        }
    }

    fn list(&self, dir: &str) -> Option<Vec<String>> {
        if !self.is_dir(dir) {
            return None;
        }
        let mut names: Vec<String> = match self.place(dir) {
            Some(Place::Node(p)) => self.fs.list(&p).unwrap_or_default(),
            Some(Place::Data(d, rest)) => {
                let prefix = if rest.is_empty() {
                    String::new()
                } else {
                    format!("{rest}/")
                };
                d.keys()
                    .filter_map(|k| k.strip_prefix(&prefix))
                    .map(|k| k.split('/').next().unwrap_or(k).to_string())
                    .collect()
            }
            None => {
                let prefix = format!("{}/", dir.trim_end_matches('/'));
                let mut v: Vec<String> = self
                    .base
                    .keys()
                    .filter_map(|k| k.strip_prefix(&prefix))
                    .map(|k| k.split('/').next().unwrap_or(k).to_string())
                    .collect();
                v.extend(
                    self.fs
                        .list(&format!("{}{}", self.rootfs, dir.trim_end_matches('/')))
                        .unwrap_or_default(),
                );
                v.extend(
                    self.mounts
                        .iter()
                        .filter_map(|m| m.path.strip_prefix(&prefix))
                        .map(|k| k.split('/').next().unwrap_or(k).to_string()),
                );
                v
            }
        };
        names.retain(|n| !n.is_empty() && !n.ends_with(".wh"));
        crate::sort::sort(&mut names);
        names.dedup();
        Some(names)
    }
}

/// Applies a file change a process made, to the node's file system.
pub fn apply(fs: &mut FileSystem, mounts: &[Mount], rootfs: &str, op: &FileOp) {
    let target = |path: &str| -> Option<String> {
        for m in mounts {
            let rest = if path == m.path {
                ""
            } else if let Some(r) = path.strip_prefix(&format!("{}/", m.path.trim_end_matches('/')))
            {
                r
            } else {
                continue;
            };
            return match &m.source {
                Source::Dir(d) if !m.read_only => Some(if rest.is_empty() {
                    d.clone()
                } else {
                    format!("{d}/{rest}")
                }),
                _ => None,
            };
        }
        Some(format!("{rootfs}{path}"))
    };
    let parent = |p: &str| {
        p.rsplit_once('/')
            .map(|(a, _)| a.to_string())
            .unwrap_or_default()
    };
    match op {
        FileOp::Write { path, data, append } => {
            if let Some(t) = target(path) {
                let _ = fs.mkdir_p(&parent(&t));
                let _ = fs.remove(&format!("{t}.wh"), false);
                let _ = fs.write(&t, data.as_bytes(), *append);
            }
        }
        FileOp::Remove(path) => {
            if let Some(t) = target(path) {
                let _ = fs.remove(&t, true);
                if t.starts_with(rootfs) {
                    let _ = fs.mkdir_p(&parent(&t));
                    let _ = fs.write(&format!("{t}.wh"), b"", false);
                }
            }
        }
        FileOp::Mkdir(path) => {
            if let Some(t) = target(path) {
                let _ = fs.mkdir_p(&t);
            }
        }
    }
}
