//! Why a control-plane binary (kube-apiserver, etcd, kube-controller-manager,
//! kube-scheduler) fails at start-up, as the real v1.33 binaries decide it:
//! an unknown flag or a flag value that does not parse (cobra/pflag, and Go's
//! `flag` package for etcd), a certificate or kubeconfig file that is not
//! there, an `--etcd-servers` where no etcd listens. The container then
//! prints what the binary prints and exits 1, so the kubelet shows
//! `CrashLoopBackOff` and `crictl logs` shows the error — the classic
//! "broken control-plane manifest" lab.
//!
//! The components' *function* follows from this: each runs only while its
//! container runs (`cluster::control_plane`).

use super::container::Files;

/// A start-up failure: how long after start the binary exits (ms) and the
/// lines it prints (stderr) before it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub after_ms: i64,
    /// (ms after start, line)
    pub lines: Vec<(i64, String)>,
}

/// kube-apiserver v1.33's flags (`kube-apiserver --help`; the ones a
/// learner meets, and every one kubeadm writes).
const APISERVER_FLAGS: &[&str] = &[
    "admission-control-config-file",
    "advertise-address",
    "aggregator-reject-forwarding-redirect",
    "allow-metric-labels",
    "allow-privileged",
    "anonymous-auth",
    "api-audiences",
    "audit-log-batch-buffer-size",
    "audit-log-compress",
    "audit-log-format",
    "audit-log-maxage",
    "audit-log-maxbackup",
    "audit-log-maxsize",
    "audit-log-mode",
    "audit-log-path",
    "audit-log-truncate-enabled",
    "audit-policy-file",
    "audit-webhook-config-file",
    "audit-webhook-mode",
    "authentication-config",
    "authentication-token-webhook-cache-ttl",
    "authentication-token-webhook-config-file",
    "authorization-config",
    "authorization-mode",
    "authorization-policy-file",
    "authorization-webhook-cache-authorized-ttl",
    "authorization-webhook-cache-unauthorized-ttl",
    "authorization-webhook-config-file",
    "bind-address",
    "cert-dir",
    "client-ca-file",
    "contention-profiling",
    "cors-allowed-origins",
    "default-not-ready-toleration-seconds",
    "default-unreachable-toleration-seconds",
    "default-watch-cache-size",
    "delete-collection-workers",
    "disable-admission-plugins",
    "disabled-metrics",
    "egress-selector-config-file",
    "emulated-version",
    "enable-admission-plugins",
    "enable-aggregator-routing",
    "enable-bootstrap-token-auth",
    "enable-garbage-collector",
    "enable-priority-and-fairness",
    "encryption-provider-config",
    "encryption-provider-config-automatic-reload",
    "endpoint-reconciler-type",
    "etcd-cafile",
    "etcd-certfile",
    "etcd-compaction-interval",
    "etcd-count-metric-poll-period",
    "etcd-db-metric-poll-interval",
    "etcd-healthcheck-timeout",
    "etcd-keyfile",
    "etcd-prefix",
    "etcd-readycheck-timeout",
    "etcd-servers",
    "etcd-servers-overrides",
    "event-ttl",
    "external-hostname",
    "feature-gates",
    "goaway-chance",
    "help",
    "http2-max-streams-per-connection",
    "kubelet-certificate-authority",
    "kubelet-client-certificate",
    "kubelet-client-key",
    "kubelet-port",
    "kubelet-preferred-address-types",
    "kubelet-read-only-port",
    "kubelet-timeout",
    "kubernetes-service-node-port",
    "lease-reuse-duration-seconds",
    "livez-grace-period",
    "log-flush-frequency",
    "logging-format",
    "max-connection-bytes-per-sec",
    "max-mutating-requests-inflight",
    "max-requests-inflight",
    "min-request-timeout",
    "oidc-ca-file",
    "oidc-client-id",
    "oidc-groups-claim",
    "oidc-groups-prefix",
    "oidc-issuer-url",
    "oidc-required-claim",
    "oidc-signing-algs",
    "oidc-username-claim",
    "oidc-username-prefix",
    "permit-address-sharing",
    "permit-port-sharing",
    "profiling",
    "proxy-client-cert-file",
    "proxy-client-key-file",
    "request-timeout",
    "requestheader-allowed-names",
    "requestheader-client-ca-file",
    "requestheader-extra-headers-prefix",
    "requestheader-group-headers",
    "requestheader-uid-headers",
    "requestheader-username-headers",
    "runtime-config",
    "secure-port",
    "service-account-extend-token-expiration",
    "service-account-issuer",
    "service-account-jwks-uri",
    "service-account-key-file",
    "service-account-lookup",
    "service-account-max-token-expiration",
    "service-account-signing-key-file",
    "service-cluster-ip-range",
    "service-node-port-range",
    "show-hidden-metrics-for-version",
    "shutdown-delay-duration",
    "shutdown-send-retry-after",
    "shutdown-watch-termination-grace-period",
    "storage-backend",
    "storage-media-type",
    "strict-transport-security-directives",
    "tls-cert-file",
    "tls-cipher-suites",
    "tls-min-version",
    "tls-private-key-file",
    "tls-sni-cert-key",
    "token-auth-file",
    "tracing-config-file",
    "v",
    "version",
    "vmodule",
    "watch-cache",
    "watch-cache-sizes",
];

/// kube-controller-manager v1.33's flags (the ones a learner meets, and
/// every one kubeadm writes).
const CONTROLLER_MANAGER_FLAGS: &[&str] = &[
    "allocate-node-cidrs",
    "attach-detach-reconcile-sync-period",
    "authentication-kubeconfig",
    "authentication-skip-lookup",
    "authorization-always-allow-paths",
    "authorization-kubeconfig",
    "bind-address",
    "cert-dir",
    "cidr-allocator-type",
    "client-ca-file",
    "cluster-cidr",
    "cluster-name",
    "cluster-signing-cert-file",
    "cluster-signing-duration",
    "cluster-signing-key-file",
    "concurrent-deployment-syncs",
    "concurrent-endpoint-syncs",
    "concurrent-gc-syncs",
    "concurrent-namespace-syncs",
    "concurrent-replicaset-syncs",
    "concurrent-service-syncs",
    "configure-cloud-routes",
    "contention-profiling",
    "controllers",
    "disable-attach-detach-reconcile-sync",
    "emulated-version",
    "enable-garbage-collector",
    "feature-gates",
    "help",
    "horizontal-pod-autoscaler-downscale-stabilization",
    "horizontal-pod-autoscaler-sync-period",
    "horizontal-pod-autoscaler-tolerance",
    "kube-api-burst",
    "kube-api-qps",
    "kubeconfig",
    "leader-elect",
    "leader-elect-lease-duration",
    "leader-elect-renew-deadline",
    "leader-elect-resource-lock",
    "leader-elect-resource-name",
    "leader-elect-resource-namespace",
    "leader-elect-retry-period",
    "log-flush-frequency",
    "logging-format",
    "master",
    "node-cidr-mask-size",
    "node-cidr-mask-size-ipv4",
    "node-cidr-mask-size-ipv6",
    "node-monitor-grace-period",
    "node-monitor-period",
    "node-startup-grace-period",
    "profiling",
    "pv-recycler-pod-template-filepath-hostpath",
    "requestheader-allowed-names",
    "requestheader-client-ca-file",
    "requestheader-extra-headers-prefix",
    "requestheader-group-headers",
    "requestheader-uid-headers",
    "requestheader-username-headers",
    "root-ca-file",
    "secure-port",
    "service-account-private-key-file",
    "service-cluster-ip-range",
    "terminated-pod-gc-threshold",
    "tls-cert-file",
    "tls-cipher-suites",
    "tls-min-version",
    "tls-private-key-file",
    "use-service-account-credentials",
    "v",
    "version",
    "vmodule",
];

/// etcd v3.5's flags (`etcd --help`; the ones a learner meets, and every
/// one kubeadm writes).
const ETCD_FLAGS: &[&str] = &[
    "advertise-client-urls",
    "auto-compaction-mode",
    "auto-compaction-retention",
    "auto-tls",
    "cert-file",
    "cipher-suites",
    "client-cert-auth",
    "client-crl-file",
    "config-file",
    "data-dir",
    "discovery",
    "election-timeout",
    "enable-pprof",
    "enable-v2",
    "experimental-initial-corrupt-check",
    "experimental-watch-progress-notify-interval",
    "force-new-cluster",
    "heartbeat-interval",
    "help",
    "initial-advertise-peer-urls",
    "initial-cluster",
    "initial-cluster-state",
    "initial-cluster-token",
    "key-file",
    "listen-client-urls",
    "listen-metrics-urls",
    "listen-peer-urls",
    "log-level",
    "log-outputs",
    "logger",
    "max-request-bytes",
    "max-snapshots",
    "max-txn-ops",
    "max-wals",
    "metrics",
    "name",
    "peer-auto-tls",
    "peer-cert-file",
    "peer-client-cert-auth",
    "peer-key-file",
    "peer-trusted-ca-file",
    "quota-backend-bytes",
    "snapshot-count",
    "trusted-ca-file",
    "version",
    "wal-dir",
];

/// Flags whose value is an integer (pflag's `strconv.ParseInt` error).
const INT_FLAGS: &[&str] = &["secure-port", "v", "kubelet-port", "max-requests-inflight"];
/// Flags whose value is a boolean.
const BOOL_FLAGS: &[&str] = &[
    "allow-privileged",
    "leader-elect",
    "enable-bootstrap-token-auth",
    "use-service-account-credentials",
    "allocate-node-cidrs",
    "client-cert-auth",
    "peer-client-cert-auth",
    "profiling",
    "anonymous-auth",
    "experimental-initial-corrupt-check",
];

/// Files the binary opens at start-up, by flag.
const APISERVER_FILES: &[&str] = &[
    "client-ca-file",
    "tls-cert-file",
    "tls-private-key-file",
    "etcd-cafile",
    "etcd-certfile",
    "etcd-keyfile",
    "kubelet-client-certificate",
    "kubelet-client-key",
    "proxy-client-cert-file",
    "proxy-client-key-file",
    "requestheader-client-ca-file",
    "service-account-key-file",
    "service-account-signing-key-file",
    "encryption-provider-config",
    "audit-policy-file",
    "admission-control-config-file",
];
const CONTROLLER_MANAGER_FILES: &[&str] = &[
    "kubeconfig",
    "authentication-kubeconfig",
    "authorization-kubeconfig",
    "client-ca-file",
    "cluster-signing-cert-file",
    "cluster-signing-key-file",
    "requestheader-client-ca-file",
    "root-ca-file",
    "service-account-private-key-file",
];
const SCHEDULER_FILES: &[&str] = &[
    "kubeconfig",
    "authentication-kubeconfig",
    "authorization-kubeconfig",
    "config",
];
const ETCD_FILES: &[&str] = &[
    "cert-file",
    "key-file",
    "trusted-ca-file",
    "peer-cert-file",
    "peer-key-file",
    "peer-trusted-ca-file",
];

/// The `--name[=value]` flags of `args`, pflag-style: `--name value` takes
/// the next word unless the flag is a boolean.
fn flags_of(args: &[String]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        let body = match a.strip_prefix("--").or_else(|| a.strip_prefix('-')) {
            Some(b) if !b.is_empty() => b,
            _ => continue,
        };
        match body.split_once('=') {
            Some((n, v)) => out.push((n.to_string(), Some(v.to_string()))),
            None if BOOL_FLAGS.contains(&body) => out.push((body.to_string(), None)),
            None => {
                let v = it.next_if(|n| !n.starts_with('-')).cloned();
                out.push((body.to_string(), v));
            }
        }
    }
    out
}

fn missing(files: &dyn Files, path: &str) -> bool {
    files.read(path).is_none() && !files.is_dir(path)
}

/// A klog line at `ms` after start, as the binaries print errors (`E`) and
/// warnings (`W`); `stamp` formats the time.
fn klog(stamp: &dyn Fn(i64) -> String, lvl: char, ms: i64, file: &str, msg: &str) -> String {
    format!("{lvl}{}       1 {file}] {msg}", stamp(ms))
}

/// Why `binary` started with `args` fails, if it does. `stamp(ms)` gives
/// klog's `MMDD hh:mm:ss.uuuuuu` that long after start; `cp_ip` is the
/// control-plane node's address (where etcd listens besides 127.0.0.1).
pub fn failure(
    binary: &str,
    args: &[String],
    files: &dyn Files,
    stamp: &dyn Fn(i64) -> String,
    cp_ip: &str,
) -> Option<Failure> {
    let (known, file_flags): (&[&str], &[&str]) = match binary {
        "kube-apiserver" => (APISERVER_FLAGS, APISERVER_FILES),
        "kube-controller-manager" => (CONTROLLER_MANAGER_FLAGS, CONTROLLER_MANAGER_FILES),
        "kube-scheduler" => (crate::scheduler::component::FLAGS, SCHEDULER_FILES),
        "etcd" => (ETCD_FLAGS, ETCD_FILES),
        _ => return None,
    };
    let flags = flags_of(args);
    let fail = |lines: Vec<String>| {
        Some(Failure {
            after_ms: 0,
            lines: lines.into_iter().map(|l| (0, l)).collect(),
        })
    };
    for (name, value) in &flags {
        if !known.contains(&name.as_str()) {
            if binary == "etcd" {
                // Go's flag package, then etcd's own warning.
                return fail(vec![
                    format!("flag provided but not defined: -{name}"),
                    format!("{{\"level\":\"warn\",\"ts\":\"{}\",\"caller\":\"etcdmain/etcd.go:64\",\"msg\":\"failed to verify flags\",\"error\":\"flag provided but not defined: -{name}\"}}", stamp(0)),
                ]);
            }
            return fail(vec![format!("Error: unknown flag: --{name}")]);
        }
        let Some(v) = value else {
            if !BOOL_FLAGS.contains(&name.as_str()) {
                return fail(vec![format!("Error: flag needs an argument: --{name}")]);
            }
            continue;
        };
        if INT_FLAGS.contains(&name.as_str()) && v.parse::<i64>().is_err() {
            return fail(vec![format!(
                "Error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
            )]);
        }
        if BOOL_FLAGS.contains(&name.as_str())
            && !matches!(
                v.as_str(),
                "true" | "false" | "1" | "0" | "t" | "f" | "TRUE" | "FALSE" | "True" | "False"
            )
        {
            return fail(vec![format!(
                "Error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
            )]);
        }
    }
    for (name, value) in &flags {
        let Some(path) = value else { continue };
        if !file_flags.contains(&name.as_str()) || !missing(files, path) {
            continue;
        }
        let err = match (binary, name.as_str()) {
            ("kube-apiserver", "tls-cert-file" | "tls-private-key-file") => {
                format!("unable to load server certificate: open {path}: no such file or directory")
            }
            ("kube-apiserver", "client-ca-file") => {
                format!("unable to load client CA provider: open {path}: no such file or directory")
            }
            ("etcd", _) => {
                return fail(vec![format!("{{\"level\":\"fatal\",\"ts\":\"{}\",\"caller\":\"etcdmain/etcd.go:204\",\"msg\":\"discovery failed\",\"error\":\"open {path}: no such file or directory\"}}", stamp(0))]);
            }
            (_, "kubeconfig" | "authentication-kubeconfig" | "authorization-kubeconfig") => {
                format!("stat {path}: no such file or directory")
            }
            _ => format!("open {path}: no such file or directory"),
        };
        return fail(vec![klog(
            stamp,
            'E',
            0,
            "run.go:72",
            &format!("\"command failed\" err=\"{err}\""),
        )]);
    }
    if binary == "kube-scheduler" {
        // The --config file is decoded strictly before anything starts.
        let read = |p: &str| files.read(p);
        if let Err(e) = crate::scheduler::config::SchedulerConfig::from_args(args, &read) {
            return fail(vec![klog(
                stamp,
                'E',
                0,
                "run.go:72",
                &format!(
                    "\"command failed\" err=\"{}\"",
                    crate::scheduler::config::klog_escape(&e)
                ),
            )]);
        }
    }
    if binary == "kube-apiserver" {
        let servers = flags
            .iter()
            .find(|(n, _)| n == "etcd-servers")
            .and_then(|(_, v)| v.clone())
            .unwrap_or_default();
        let reachable = servers.split(',').any(|u| {
            let hostport = u.strip_prefix("https://").unwrap_or("");
            matches!(hostport.rsplit_once(':'), Some((h, "2379")) if h == "127.0.0.1" || h == "localhost" || h == cp_ip)
        });
        if !reachable {
            let first = servers.split(',').next().unwrap_or("");
            let addr = first.split_once("://").map(|(_, a)| a).unwrap_or(first);
            let mut lines = Vec::new();
            // The etcd client retries for its dial timeout, then storage
            // set-up gives up.
            for (i, ms) in [1_000, 2_000, 4_000, 8_000, 16_000].into_iter().enumerate() {
                lines.push((ms, klog(stamp, 'W', ms, "logging.go:55", &format!("[core] [Channel #{} SubChannel #{}]grpc: addrConn.createTransport failed to connect to {{Addr: \"{addr}\", ServerName: \"{}\", BalancerAttributes: {{\"<%!p(pickfirst.pickfirstMetadata={{<nil>}})>\": \"<%!p(<nil>)>\" }}}}. Err: connection error: desc = \"transport: Error while dialing: dial tcp {addr}: connect: connection refused\"", 1 + i % 2, 2 + i % 2, addr.rsplit_once(':').map(|(h, _)| h).unwrap_or(addr)))));
            }
            lines.push((
                20_000,
                klog(
                    stamp,
                    'E',
                    20_000,
                    "run.go:72",
                    "\"command failed\" err=\"context deadline exceeded\"",
                ),
            ));
            return Some(Failure {
                after_ms: 20_000,
                lines,
            });
        }
    }
    None
}
