// Indexing is safe in this module: serde_json::Value indexing only: a read of a missing key yields Null, and writes go into objects built here or read from the store (always JSON objects); RESOURCES is a non-empty const table.
#![allow(clippy::indexing_slicing)]
//! What `kubeadm init` puts in the cluster besides the nodes: the mirror
//! pods of the control plane's static pods, the `kubernetes` Service, the
//! CoreDNS and kube-proxy add-ons, ServiceAccounts and the well-known
//! ConfigMaps — created through the apiserver like everything else. Their
//! status is what the kubelets had reported by the time the learner
//! arrives; the kubelet and controller issues make them live.

use super::{bootstrap::node_ip, Cluster, KUBERNETES_VERSION};
use crate::api::{object, resolve};
use crate::clock::{Duration, Time};
use crate::kubelet::status;
use crate::node::files::MANIFESTS;
use crate::rng::Rng;
use serde_json::{json, Value};

pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.0";
const COREDNS_HASH: &str = "674b8bbfcf";
const KUBE_PROXY_HASH: &str = "7d9c4b8f6c";

fn create(cluster: &mut Cluster, resource: &str, ns: Option<&str>, obj: Value) -> Option<Value> {
    let res = resolve(resource)?;
    let now = cluster.now();
    cluster.apiserver.create(res, ns, obj, now).ok()
}

fn create_yaml(
    cluster: &mut Cluster,
    resource: &str,
    ns: Option<&str>,
    text: &str,
) -> Option<Value> {
    let doc = crate::yaml::parse_documents(text)
        .ok()?
        .into_iter()
        .next()?;
    create(cluster, resource, ns, doc)
}

/// Writes a pod's status as its kubelet would have reported it.
fn run_pod(
    cluster: &mut Cluster,
    pod: Option<Value>,
    node: usize,
    pod_ip: Option<String>,
    rng: &mut Rng,
    scheduled: Time,
    started: Time,
) {
    let Some(mut pod) = pod else { return };
    let Some(res) = resolve("pods") else { return };
    let host = node_ip(node);
    let ip = pod_ip.unwrap_or_else(|| host.clone());
    pod["status"] = status::running(&pod, &host, &ip, scheduled, started, rng);
    let ns = object::namespace(&pod).map(String::from);
    let _ = cluster.apiserver.update(res, ns.as_deref(), pod);
}

/// Control-plane objects, at `kubeadm init` time (the control plane's node exists).
pub(super) fn control_plane(cluster: &mut Cluster, rng: &mut Rng) {
    let t0 = cluster.now();
    for (name, value, description) in [
        ("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
        ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
    ] {
        create(cluster, "priorityclasses", None, json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name}, "value": value, "description": description}));
    }
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(
            cluster,
            "serviceaccounts",
            Some(ns),
            json!({"metadata": {"name": "default"}}),
        );
        create(
            cluster,
            "configmaps",
            Some(ns),
            json!({"metadata": {"name": "kube-root-ca.crt", "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}}, "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nZGluZ2h5IHNpbXVsYXRlZCBDRVJUSUZJQ0FURSBmb3IgY2E=\n-----END CERTIFICATE-----\n"}}),
        );
    }
    // The apiserver's own Service and its endpoint.
    create_yaml(
        cluster,
        "services",
        Some("default"),
        "metadata:\n  name: kubernetes\n  labels:\n    component: apiserver\n    provider: kubernetes\nspec:\n  clusterIP: 10.96.0.1\n  ports:\n  - name: https\n    port: 443\n    protocol: TCP\n    targetPort: 6443\n",
    );
    create(
        cluster,
        "endpoints",
        Some("default"),
        json!({"metadata": {"name": "kubernetes", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}}, "subsets": [{"addresses": [{"ip": node_ip(0)}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}),
    );
    // The control plane's static pods, mirrored into the API by the kubelet.
    let Some(machine) = cluster.machines.values().find(|m| m.control_plane).cloned() else {
        return;
    };
    let node = cluster
        .apiserver
        .get(
            resolve("nodes")
                .copied()
                .as_ref()
                .unwrap_or(&crate::api::RESOURCES[0]),
            None,
            &machine.hostname,
        )
        .ok();
    let node_uid = node
        .as_ref()
        .and_then(|n| object::str_at(n, "metadata.uid"))
        .unwrap_or("")
        .to_string();
    for file in machine.fs.list(MANIFESTS).unwrap_or_default() {
        let Ok(text) = machine.fs.read_to_string(&format!("{MANIFESTS}/{file}")) else {
            continue;
        };
        let Some(mut pod) = crate::yaml::parse_documents(&text)
            .ok()
            .and_then(|d| d.into_iter().next())
        else {
            continue;
        };
        let base = object::name(&pod).to_string();
        let hash = &status::image_digest(&text)[..32];
        pod["metadata"]["name"] = json!(format!("{base}-{}", machine.hostname));
        pod["metadata"]["annotations"]["kubernetes.io/config.hash"] = json!(hash);
        pod["metadata"]["annotations"]["kubernetes.io/config.mirror"] = json!(hash);
        pod["metadata"]["annotations"]["kubernetes.io/config.seen"] = json!(format!(
            "{}",
            (t0 + Duration::from_secs(-3))
                .rfc3339_micro()
                .replace('Z', "000Z")
        ));
        pod["metadata"]["annotations"]["kubernetes.io/config.source"] = json!("file");
        pod["metadata"]["ownerReferences"] = json!([{"apiVersion": "v1", "controller": true, "kind": "Node", "name": machine.hostname, "uid": node_uid}]);
        pod["spec"]["nodeName"] = json!(machine.hostname);
        // The kubelet lets every static pod tolerate all NoExecute taints,
        // so DefaultTolerationSeconds adds nothing to a mirror pod.
        if !pod["spec"]["tolerations"].is_array() {
            pod["spec"]["tolerations"] = json!([]);
        }
        if let Some(ts) = pod["spec"]["tolerations"].as_array_mut() {
            ts.push(json!({"effect": "NoExecute", "operator": "Exists"}));
        }
        if let Some(m) = pod["metadata"].as_object_mut() {
            m.remove("creationTimestamp");
        }
        if let Some(m) = pod.as_object_mut() {
            m.remove("status");
        }
        let created = create(cluster, "pods", Some("kube-system"), pod);
        run_pod(
            cluster,
            created,
            0,
            None,
            rng,
            t0,
            t0 + Duration::from_secs(-8),
        );
    }
}

/// The add-ons kubeadm installs once the control plane is up: CoreDNS and kube-proxy.
pub(super) fn addons(cluster: &mut Cluster, rng: &mut Rng, nodes: usize) {
    let t = cluster.now();
    create_yaml(
        cluster,
        "services",
        Some("kube-system"),
        "metadata:\n  name: kube-dns\n  annotations:\n    prometheus.io/port: \"9153\"\n    prometheus.io/scrape: \"true\"\n  labels:\n    k8s-app: kube-dns\n    kubernetes.io/cluster-service: \"true\"\n    kubernetes.io/name: CoreDNS\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n    targetPort: 53\n  - name: dns-tcp\n    port: 53\n    protocol: TCP\n    targetPort: 53\n  - name: metrics\n    port: 9153\n    protocol: TCP\n    targetPort: 9153\n  selector:\n    k8s-app: kube-dns\n",
    );
    for sa in ["coredns", "kube-proxy"] {
        create(
            cluster,
            "serviceaccounts",
            Some("kube-system"),
            json!({"metadata": {"name": sa}}),
        );
    }
    create(
        cluster,
        "configmaps",
        Some("kube-system"),
        json!({"metadata": {"name": "coredns"}, "data": {"Corefile": ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n    loop\n    reload\n    loadbalance\n}\n"}}),
    );
    let pod_template = format!(
        "metadata:\n  labels:\n    k8s-app: kube-dns\nspec:\n  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - podAffinityTerm:\n          labelSelector:\n            matchExpressions:\n            - key: k8s-app\n              operator: In\n              values:\n              - kube-dns\n          topologyKey: kubernetes.io/hostname\n        weight: 100\n  containers:\n  - args:\n    - -conf\n    - /etc/coredns/Corefile\n    image: {COREDNS_IMAGE}\n    livenessProbe:\n      failureThreshold: 5\n      httpGet:\n        path: /health\n        port: 8080\n        scheme: HTTP\n      initialDelaySeconds: 60\n      successThreshold: 1\n      timeoutSeconds: 5\n    name: coredns\n    ports:\n    - containerPort: 53\n      name: dns\n      protocol: UDP\n    - containerPort: 53\n      name: dns-tcp\n      protocol: TCP\n    - containerPort: 9153\n      name: metrics\n      protocol: TCP\n    readinessProbe:\n      httpGet:\n        path: /ready\n        port: 8181\n        scheme: HTTP\n    resources:\n      limits:\n        memory: 170Mi\n      requests:\n        cpu: 100m\n        memory: 70Mi\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        add:\n        - NET_BIND_SERVICE\n        drop:\n        - ALL\n      readOnlyRootFilesystem: true\n    volumeMounts:\n    - mountPath: /etc/coredns\n      name: config-volume\n      readOnly: true\n  dnsPolicy: Default\n  nodeSelector:\n    kubernetes.io/os: linux\n  priorityClassName: system-cluster-critical\n  serviceAccountName: coredns\n  tolerations:\n  - key: CriticalAddonsOnly\n    operator: Exists\n  - effect: NoSchedule\n    key: node-role.kubernetes.io/control-plane\n  volumes:\n  - configMap:\n      items:\n      - key: Corefile\n        path: Corefile\n      name: coredns\n    name: config-volume\n"
    );
    let template: Value = crate::yaml::parse_documents(&pod_template)
        .ok()
        .and_then(|d| d.into_iter().next())
        .unwrap_or(Value::Null);
    let deploy = create(
        cluster,
        "deployments",
        Some("kube-system"),
        json!({"metadata": {"name": "coredns", "labels": {"k8s-app": "kube-dns"}}, "spec": {"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}}, "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}, "type": "RollingUpdate"}, "template": template}}),
    );
    let owner = |o: &Option<Value>, kind: &str, api: &str| {
        o.as_ref().map(|o| json!([{"apiVersion": api, "blockOwnerDeletion": true, "controller": true, "kind": kind, "name": object::name(o), "uid": object::str_at(o, "metadata.uid").unwrap_or("")}])).unwrap_or(json!([]))
    };
    let mut rs_template = template.clone();
    rs_template["metadata"]["labels"]["pod-template-hash"] = json!(COREDNS_HASH);
    let rs = create(
        cluster,
        "replicasets",
        Some("kube-system"),
        json!({"metadata": {"name": format!("coredns-{COREDNS_HASH}"), "labels": {"k8s-app": "kube-dns", "pod-template-hash": COREDNS_HASH}, "annotations": {"deployment.kubernetes.io/desired-replicas": "2", "deployment.kubernetes.io/max-replicas": "3", "deployment.kubernetes.io/revision": "1"}, "ownerReferences": owner(&deploy, "Deployment", "apps/v1")}, "spec": {"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns", "pod-template-hash": COREDNS_HASH}}, "template": rs_template.clone()}}),
    );
    for i in 0..2 {
        let mut pod = rs_template.clone();
        pod["metadata"]["name"] = json!(format!("coredns-{COREDNS_HASH}-{}", rng.k8s_suffix(5)));
        pod["metadata"]["ownerReferences"] = owner(&rs, "ReplicaSet", "apps/v1");
        pod["spec"]["nodeName"] = json!("controlplane");
        let created = create(cluster, "pods", Some("kube-system"), pod);
        run_pod(
            cluster,
            created,
            0,
            Some(format!("10.244.0.{}", 2 + i)),
            rng,
            t,
            t + Duration::from_secs(4),
        );
    }
    // kube-proxy: a DaemonSet, one pod per node.
    create(
        cluster,
        "configmaps",
        Some("kube-system"),
        json!({"metadata": {"name": "kube-proxy", "labels": {"app": "kube-proxy"}}, "data": {"config.conf": "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclusterCIDR: 10.244.0.0/16\nkind: KubeProxyConfiguration\nmode: \"\"\n", "kubeconfig.conf": "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://controlplane:6443\n  name: default\n"}}),
    );
    let proxy_template_text = format!(
        "metadata:\n  labels:\n    k8s-app: kube-proxy\nspec:\n  containers:\n  - command:\n    - /usr/local/bin/kube-proxy\n    - --config=/var/lib/kube-proxy/config.conf\n    - --hostname-override=$(NODE_NAME)\n    env:\n    - name: NODE_NAME\n      valueFrom:\n        fieldRef:\n          apiVersion: v1\n          fieldPath: spec.nodeName\n    image: registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}\n    name: kube-proxy\n    securityContext:\n      privileged: true\n    volumeMounts:\n    - mountPath: /var/lib/kube-proxy\n      name: kube-proxy\n    - mountPath: /run/xtables.lock\n      name: xtables-lock\n    - mountPath: /lib/modules\n      name: lib-modules\n      readOnly: true\n  hostNetwork: true\n  nodeSelector:\n    kubernetes.io/os: linux\n  priorityClassName: system-node-critical\n  serviceAccountName: kube-proxy\n  tolerations:\n  - operator: Exists\n  volumes:\n  - configMap:\n      name: kube-proxy\n    name: kube-proxy\n  - hostPath:\n      path: /run/xtables.lock\n      type: FileOrCreate\n    name: xtables-lock\n  - hostPath:\n      path: /lib/modules\n      type: \"\"\n    name: lib-modules\n"
    );
    let proxy_template: Value = crate::yaml::parse_documents(&proxy_template_text)
        .ok()
        .and_then(|d| d.into_iter().next())
        .unwrap_or(Value::Null);
    let ds = create(
        cluster,
        "daemonsets",
        Some("kube-system"),
        json!({"metadata": {"name": "kube-proxy", "labels": {"k8s-app": "kube-proxy"}}, "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}}, "template": proxy_template.clone()}}),
    );
    let names: Vec<String> = cluster.machines.keys().cloned().collect();
    for (i, node) in names.iter().enumerate().take(nodes) {
        let mut pod = proxy_template.clone();
        pod["metadata"]["name"] = json!(format!("kube-proxy-{}", rng.k8s_suffix(5)));
        pod["metadata"]["labels"]["controller-revision-hash"] = json!(KUBE_PROXY_HASH);
        pod["metadata"]["labels"]["pod-template-generation"] = json!("1");
        pod["metadata"]["ownerReferences"] = owner(&ds, "DaemonSet", "apps/v1");
        pod["spec"]["nodeName"] = json!(node);
        let created = create(cluster, "pods", Some("kube-system"), pod);
        run_pod(
            cluster,
            created,
            i,
            None,
            rng,
            t,
            t + Duration::from_secs(2),
        );
    }
    default_storage_class(cluster);
}

/// The default StorageClass of the course clusters: Rancher's local-path
/// provisioner's class, marked default, so that a claim naming no class is
/// given one by the DefaultStorageClass admission plugin and gets a volume
/// on the node of its first consumer. Its UID comes from a stream of its
/// own, so the rest of the bootstrap is as it was without it.
fn default_storage_class(cluster: &mut Cluster) {
    let Some(res) = resolve("storageclasses") else {
        return;
    };
    let now = cluster.now();
    let salt = cluster.seed() ^ 0x6c6f_6361_6c2d_7061;
    cluster.apiserver.with_own_rng(salt, |api| {
        let _ = api.create(
            res,
            None,
            json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": {"name": "local-path",
                    "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                "provisioner": "rancher.io/local-path",
                "reclaimPolicy": "Delete",
                "volumeBindingMode": "WaitForFirstConsumer"}),
            now,
        );
    });
}
