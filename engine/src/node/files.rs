//! The files a kubeadm v1.33 node has: the static-pod manifests, the
//! kubelet's configuration, the kubeconfigs. Learners read and edit these
//! (`cat /var/lib/kubelet/config.yaml | grep staticPodPath`), so they are
//! written as kubeadm writes them.

use super::Machine;
use crate::cluster::KUBERNETES_VERSION;

pub const MANIFESTS: &str = "/etc/kubernetes/manifests";
pub const KUBELET_CONFIG: &str = "/var/lib/kubelet/config.yaml";
pub const ETCD_VERSION: &str = "3.5.21-0";

pub(super) fn install_base(m: &mut Machine) {
    for dir in [
        "/root",
        "/tmp",
        "/opt",
        "/etc/kubernetes/pki",
        "/var/log/pods",
        "/var/lib/kubelet/pki",
        "/home",
        "/usr/bin",
        "/etc/systemd/system",
    ] {
        let _ = m.fs.mkdir_p(dir);
    }
    let _ = m.fs.set_mode("/tmp", 0o1777);
    let _ = m.fs.set_mode("/root", 0o700);
    let host = m.hostname.clone();
    m.fs.install("/etc/hostname", &format!("{host}\n"), 0o644);
    let ip = m.ip.clone();
    m.fs.install(
        "/etc/hosts",
        &format!("127.0.0.1 localhost\n{ip} {host}\n"),
        0o644,
    );
    m.fs.install(KUBELET_CONFIG, KUBELET_CONFIG_YAML, 0o644);
    let _ = m.fs.mkdir_p("/etc/apt/sources.list.d");
    m.fs.install(
        super::packages::SOURCES_LIST,
        &super::packages::sources_line(super::packages::minor_of(
            crate::cluster::KUBERNETES_VERSION,
        )),
        0o644,
    );
    m.fs.install("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10\"\n", 0o644);
    m.fs.install(
        "/etc/kubernetes/kubelet.conf",
        &kubeconfig(&format!("system:node:{host}"), true),
        0o600,
    );
    m.fs.install("/root/.bashrc", "# ~/.bashrc\nalias k=kubectl\nsource <(kubectl completion bash)\ncomplete -o default -F __start_kubectl k\n", 0o644);
    if m.control_plane {
        let _ = m.fs.mkdir_p(MANIFESTS);
        let ip = m.ip.clone();
        m.fs.install(
            &format!("{MANIFESTS}/etcd.yaml"),
            &etcd_manifest(&host, &ip),
            0o600,
        );
        m.fs.install(
            &format!("{MANIFESTS}/kube-apiserver.yaml"),
            &apiserver_manifest(&ip),
            0o600,
        );
        m.fs.install(
            &format!("{MANIFESTS}/kube-controller-manager.yaml"),
            CONTROLLER_MANAGER_MANIFEST,
            0o600,
        );
        m.fs.install(
            &format!("{MANIFESTS}/kube-scheduler.yaml"),
            SCHEDULER_MANIFEST,
            0o600,
        );
        for (file, user) in [
            ("admin.conf", "kubernetes-admin"),
            ("super-admin.conf", "kubernetes-super-admin"),
            ("controller-manager.conf", "system:kube-controller-manager"),
            ("scheduler.conf", "system:kube-scheduler"),
        ] {
            m.fs.install(
                &format!("/etc/kubernetes/{file}"),
                &kubeconfig(user, false),
                0o600,
            );
        }
        m.fs.install(
            "/root/.kube/config",
            &kubeconfig("kubernetes-admin", false),
            0o600,
        );
        install_pki(m);
        let _ = m.fs.mkdir_p("/var/lib/etcd/member");
    } else {
        let _ = m.fs.mkdir_p(MANIFESTS);
        // `kubeadm join` fetches the cluster CA: the kubelet's clientCAFile.
        m.fs.install(
            "/etc/kubernetes/pki/ca.crt",
            &pem("CERTIFICATE", "ca"),
            0o644,
        );
    }
    m.fs.install(
        "/var/lib/kubelet/pki/kubelet-client-current.pem",
        &format!(
            "{}{}",
            pem("CERTIFICATE", &format!("system:node:{host}")),
            pem("EC PRIVATE KEY", &format!("system:node:{host}"))
        ),
        0o600,
    );
}

/// The certificates and keys `kubeadm init` writes under `/etc/kubernetes/pki`.
fn install_pki(m: &mut Machine) {
    let certs = [
        "ca",
        "apiserver",
        "apiserver-kubelet-client",
        "apiserver-etcd-client",
        "front-proxy-ca",
        "front-proxy-client",
        "etcd/ca",
        "etcd/server",
        "etcd/peer",
        "etcd/healthcheck-client",
    ];
    for c in certs {
        m.fs.install(
            &format!("/etc/kubernetes/pki/{c}.crt"),
            &pem("CERTIFICATE", c),
            0o644,
        );
        m.fs.install(
            &format!("/etc/kubernetes/pki/{c}.key"),
            &pem("RSA PRIVATE KEY", c),
            0o600,
        );
    }
    m.fs.install(
        "/etc/kubernetes/pki/sa.key",
        &pem("RSA PRIVATE KEY", "sa"),
        0o600,
    );
    m.fs.install(
        "/etc/kubernetes/pki/sa.pub",
        &pem("PUBLIC KEY", "sa"),
        0o644,
    );
}

/// PEM-framed stand-in content (the simulation does not do cryptography).
fn pem(label: &str, name: &str) -> String {
    let body =
        crate::shell::base64_encode(format!("dinghy simulated {label} for {name}").as_bytes());
    format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
}

/// A kubeconfig as kubeadm writes it (certificate data elided to a marker).
fn kubeconfig(user: &str, node: bool) -> String {
    let cluster = "kubernetes";
    let credentials = if node {
        "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n".to_string()
    } else {
        "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n".to_string()
    };
    let context_user = if node {
        "system:node:".to_string() + user.trim_start_matches("system:node:")
    } else {
        user.to_string()
    };
    format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\n    server: https://controlplane:6443\n  name: {cluster}\ncontexts:\n- context:\n    cluster: {cluster}\n    user: {context_user}\n  name: {context_user}@{cluster}\ncurrent-context: {context_user}@{cluster}\nkind: Config\npreferences: {{}}\nusers:\n- name: {context_user}\n  user:\n{credentials}"
    )
}

const KUBELET_CONFIG_YAML: &str = "\
apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: \"\"
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: \"0\"
    text:
      infoBufferSize: \"0\"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /run/systemd/resolve/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
";

fn host_path_volume(name: &str, path: &str, kind: &str) -> String {
    format!("  - hostPath:\n      path: {path}\n      type: {kind}\n    name: {name}\n")
}

fn etcd_manifest(host: &str, ip: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://{ip}:2379
  creationTimestamp: null
  labels:
    component: etcd
    tier: control-plane
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command:
    - etcd
    - --advertise-client-urls=https://{ip}:2379
    - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    - --client-cert-auth=true
    - --data-dir=/var/lib/etcd
    - --experimental-initial-corrupt-check=true
    - --experimental-watch-progress-notify-interval=5s
    - --initial-advertise-peer-urls=https://{ip}:2380
    - --initial-cluster={host}=https://{ip}:2380
    - --key-file=/etc/kubernetes/pki/etcd/server.key
    - --listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379
    - --listen-metrics-urls=http://127.0.0.1:2381
    - --listen-peer-urls=https://{ip}:2380
    - --name={host}
    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    - --peer-client-cert-auth=true
    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    - --snapshot-count=10000
    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    image: registry.k8s.io/etcd:{ETCD_VERSION}
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 127.0.0.1
        path: /livez
        port: probe-port
        scheme: HTTP
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: etcd
    ports:
    - containerPort: 2381
      name: probe-port
      protocol: TCP
    readinessProbe:
      failureThreshold: 3
      httpGet:
        host: 127.0.0.1
        path: /readyz
        port: probe-port
        scheme: HTTP
      periodSeconds: 1
      timeoutSeconds: 15
    resources:
      requests:
        cpu: 100m
        memory: 100Mi
    startupProbe:
      failureThreshold: 24
      httpGet:
        host: 127.0.0.1
        path: /readyz
        port: probe-port
        scheme: HTTP
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    volumeMounts:
    - mountPath: /var/lib/etcd
      name: etcd-data
    - mountPath: /etc/kubernetes/pki/etcd
      name: etcd-certs
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  volumes:
{}{}status: {{}}
",
        host_path_volume(
            "etcd-certs",
            "/etc/kubernetes/pki/etcd",
            "DirectoryOrCreate"
        ),
        host_path_volume("etcd-data", "/var/lib/etcd", "DirectoryOrCreate"),
    )
}

fn apiserver_manifest(ip: &str) -> String {
    let probe = |path: &str, delay: bool, period: u32, threshold: u32| {
        format!(
            "      failureThreshold: {threshold}\n      httpGet:\n        host: {ip}\n        path: {path}\n        port: probe-port\n        scheme: HTTPS\n{}      periodSeconds: {period}\n      timeoutSeconds: 15\n",
            if delay { "      initialDelaySeconds: 10\n" } else { "" }
        )
    };
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: {ip}:6443
  creationTimestamp: null
  labels:
    component: kube-apiserver
    tier: control-plane
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --advertise-address={ip}
    - --allow-privileged=true
    - --authorization-mode=Node,RBAC
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --enable-admission-plugins=NodeRestriction
    - --enable-bootstrap-token-auth=true
    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    - --etcd-servers=https://127.0.0.1:2379
    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
    - --proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt
    - --proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key
    - --requestheader-allowed-names=front-proxy-client
    - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
    - --requestheader-extra-headers-prefix=X-Remote-Extra-
    - --requestheader-group-headers=X-Remote-Group
    - --requestheader-username-headers=X-Remote-User
    - --secure-port=6443
    - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=10.96.0.0/12
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    image: registry.k8s.io/kube-apiserver:{KUBERNETES_VERSION}
    imagePullPolicy: IfNotPresent
    livenessProbe:
{}    name: kube-apiserver
    ports:
    - containerPort: 6443
      name: probe-port
      protocol: TCP
    readinessProbe:
{}    resources:
      requests:
        cpu: 250m
    startupProbe:
{}    volumeMounts:
    - mountPath: /etc/ssl/certs
      name: ca-certs
      readOnly: true
    - mountPath: /etc/ca-certificates
      name: etc-ca-certificates
      readOnly: true
    - mountPath: /etc/kubernetes/pki
      name: k8s-certs
      readOnly: true
    - mountPath: /usr/local/share/ca-certificates
      name: usr-local-share-ca-certificates
      readOnly: true
    - mountPath: /usr/share/ca-certificates
      name: usr-share-ca-certificates
      readOnly: true
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  volumes:
{}{}{}{}{}status: {{}}
",
        probe("/livez", true, 10, 8),
        probe("/readyz", false, 1, 3),
        probe("/livez", true, 10, 24),
        host_path_volume("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate"),
        host_path_volume(
            "etc-ca-certificates",
            "/etc/ca-certificates",
            "DirectoryOrCreate"
        ),
        host_path_volume("k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate"),
        host_path_volume(
            "usr-local-share-ca-certificates",
            "/usr/local/share/ca-certificates",
            "DirectoryOrCreate"
        ),
        host_path_volume(
            "usr-share-ca-certificates",
            "/usr/share/ca-certificates",
            "DirectoryOrCreate"
        ),
    )
}

const CONTROLLER_MANAGER_MANIFEST: &str = "apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    component: kube-controller-manager
    tier: control-plane
  name: kube-controller-manager
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-controller-manager
    - --allocate-node-cidrs=true
    - --authentication-kubeconfig=/etc/kubernetes/controller-manager.conf
    - --authorization-kubeconfig=/etc/kubernetes/controller-manager.conf
    - --bind-address=127.0.0.1
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --cluster-cidr=10.244.0.0/16
    - --cluster-name=kubernetes
    - --cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt
    - --cluster-signing-key-file=/etc/kubernetes/pki/ca.key
    - --controllers=*,bootstrapsigner,tokencleaner
    - --kubeconfig=/etc/kubernetes/controller-manager.conf
    - --leader-elect=true
    - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
    - --root-ca-file=/etc/kubernetes/pki/ca.crt
    - --service-account-private-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=10.96.0.0/12
    - --use-service-account-credentials=true
    image: registry.k8s.io/kube-controller-manager:v1.33.1
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 127.0.0.1
        path: /healthz
        port: 10257
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: kube-controller-manager
    resources:
      requests:
        cpu: 200m
    startupProbe:
      failureThreshold: 24
      httpGet:
        host: 127.0.0.1
        path: /healthz
        port: 10257
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    volumeMounts:
    - mountPath: /etc/ssl/certs
      name: ca-certs
      readOnly: true
    - mountPath: /etc/ca-certificates
      name: etc-ca-certificates
      readOnly: true
    - mountPath: /usr/libexec/kubernetes/kubelet-plugins/volume/exec
      name: flexvolume-dir
    - mountPath: /etc/kubernetes/pki
      name: k8s-certs
      readOnly: true
    - mountPath: /etc/kubernetes/controller-manager.conf
      name: kubeconfig
      readOnly: true
    - mountPath: /usr/local/share/ca-certificates
      name: usr-local-share-ca-certificates
      readOnly: true
    - mountPath: /usr/share/ca-certificates
      name: usr-share-ca-certificates
      readOnly: true
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  volumes:
  - hostPath:
      path: /etc/ssl/certs
      type: DirectoryOrCreate
    name: ca-certs
  - hostPath:
      path: /etc/ca-certificates
      type: DirectoryOrCreate
    name: etc-ca-certificates
  - hostPath:
      path: /usr/libexec/kubernetes/kubelet-plugins/volume/exec
      type: DirectoryOrCreate
    name: flexvolume-dir
  - hostPath:
      path: /etc/kubernetes/pki
      type: DirectoryOrCreate
    name: k8s-certs
  - hostPath:
      path: /etc/kubernetes/controller-manager.conf
      type: FileOrCreate
    name: kubeconfig
  - hostPath:
      path: /usr/local/share/ca-certificates
      type: DirectoryOrCreate
    name: usr-local-share-ca-certificates
  - hostPath:
      path: /usr/share/ca-certificates
      type: DirectoryOrCreate
    name: usr-share-ca-certificates
status: {}
";

const SCHEDULER_MANIFEST: &str = "apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    component: kube-scheduler
    tier: control-plane
  name: kube-scheduler
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-scheduler
    - --authentication-kubeconfig=/etc/kubernetes/scheduler.conf
    - --authorization-kubeconfig=/etc/kubernetes/scheduler.conf
    - --bind-address=127.0.0.1
    - --kubeconfig=/etc/kubernetes/scheduler.conf
    - --leader-elect=true
    image: registry.k8s.io/kube-scheduler:v1.33.1
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 127.0.0.1
        path: /livez
        port: 10259
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: kube-scheduler
    readinessProbe:
      failureThreshold: 3
      httpGet:
        host: 127.0.0.1
        path: /readyz
        port: 10259
        scheme: HTTPS
      periodSeconds: 1
      timeoutSeconds: 15
    resources:
      requests:
        cpu: 100m
    startupProbe:
      failureThreshold: 24
      httpGet:
        host: 127.0.0.1
        path: /livez
        port: 10259
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    volumeMounts:
    - mountPath: /etc/kubernetes/scheduler.conf
      name: kubeconfig
      readOnly: true
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  volumes:
  - hostPath:
      path: /etc/kubernetes/scheduler.conf
      type: FileOrCreate
    name: kubeconfig
status: {}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_plane_has_the_kubeadm_manifests_and_every_manifest_parses() {
        let m = Machine::new("controlplane", "192.168.100.10", true);
        let names = m.fs.list(MANIFESTS).unwrap_or_default();
        assert_eq!(
            names,
            vec![
                "etcd.yaml",
                "kube-apiserver.yaml",
                "kube-controller-manager.yaml",
                "kube-scheduler.yaml"
            ]
        );
        for n in names {
            let text =
                m.fs.read_to_string(&format!("{MANIFESTS}/{n}"))
                    .unwrap_or_default();
            let docs = crate::yaml::parse_documents(&text).unwrap_or_default();
            assert_eq!(docs.len(), 1, "{n}");
            assert_eq!(docs[0]["kind"], "Pod", "{n}");
            assert_eq!(docs[0]["metadata"]["namespace"], "kube-system", "{n}");
        }
        let kubelet = m.fs.read_to_string(KUBELET_CONFIG).unwrap_or_default();
        assert!(kubelet
            .lines()
            .any(|l| l == "staticPodPath: /etc/kubernetes/manifests"));
    }

    #[test]
    fn workers_have_an_empty_manifest_directory() {
        let m = Machine::new("node01", "192.168.100.11", false);
        assert_eq!(
            m.fs.list(MANIFESTS).unwrap_or_default(),
            Vec::<String>::new()
        );
        assert!(!m.fs.is_file("/root/.kube/config"));
    }
}
