//! What a kube-scheduler process runs with: its `KubeSchedulerConfiguration`
//! (`--config`), or the defaults and flags without one — as
//! `cmd/kube-scheduler/app/options` builds it in v1.33.
//!
//! The file is decoded strictly (the scheme's codec factory is built with
//! `EnableStrict`): an unknown field, a version that is not
//! `kubescheduler.config.k8s.io/v1` or YAML that does not parse makes the
//! binary exit with the decoder's error, which `kubectl logs` then shows.
//! With `--config`, only the leader-election flags still apply
//! (`ApplyLeaderElectionTo`); the client connection comes from the file, so
//! a scheduler run as an ordinary pod without a kubeconfig talks to the
//! apiserver as its ServiceAccount.

use super::profile::Profile;
use serde_json::Value;

/// The group/version v1.33 decodes (v1beta3 was removed in v1.29).
pub const API_VERSION: &str = "kubescheduler.config.k8s.io/v1";

/// The effective configuration of one kube-scheduler process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchedulerConfig {
    pub profiles: Vec<Profile>,
    pub leader_elect: bool,
    /// The lease (`resourceNamespace/resourceName`) it competes for.
    pub lease: String,
    /// `clientConnection.kubeconfig` (or `--kubeconfig` without a file);
    /// empty: the in-cluster config, that is, the pod's ServiceAccount.
    pub kubeconfig: String,
}

const TOP_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "parallelism",
    "leaderElection",
    "clientConnection",
    "enableProfiling",
    "enableContentionProfiling",
    "percentageOfNodesToScore",
    "podInitialBackoffSeconds",
    "podMaxBackoffSeconds",
    "profiles",
    "extenders",
    "delayCacheUntilActive",
];
const LEADER_ELECTION_FIELDS: &[&str] = &[
    "leaderElect",
    "leaseDuration",
    "renewDeadline",
    "retryPeriod",
    "resourceLock",
    "resourceName",
    "resourceNamespace",
];
const CLIENT_CONNECTION_FIELDS: &[&str] = &[
    "kubeconfig",
    "acceptContentTypes",
    "contentType",
    "qps",
    "burst",
];
const PROFILE_FIELDS: &[&str] = &[
    "schedulerName",
    "percentageOfNodesToScore",
    "plugins",
    "pluginConfig",
];

/// The known fields of the object at a path of the decoded configuration.
fn known_at(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "" => Some(TOP_FIELDS),
        "leaderElection." => Some(LEADER_ELECTION_FIELDS),
        "clientConnection." => Some(CLIENT_CONNECTION_FIELDS),
        p if p.starts_with("profiles[") && p.ends_with("].") => Some(PROFILE_FIELDS),
        _ => None,
    }
}

/// The `unknown field "path"` entries of a strict decode. YAML becomes JSON
/// with sorted keys before decoding, so they come in key order, depth first.
fn unknown_fields(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            crate::sort::sort(&mut keys);
            let known = known_at(path);
            for k in keys {
                if known.is_some_and(|known| !known.contains(&k.as_str())) {
                    out.push(format!("unknown field \"{path}{k}\""));
                    continue;
                }
                if let Some(child) = map.get(k) {
                    unknown_fields(child, &format!("{path}{k}."), out);
                }
            }
        }
        Value::Array(items) if path == "profiles." => {
            for (i, item) in items.iter().enumerate() {
                unknown_fields(item, &format!("profiles[{i}]."), out);
            }
        }
        _ => {}
    }
}

impl Default for SchedulerConfig {
    /// Without `--config`: one `default-scheduler` profile, leader election
    /// on the lease `kube-system/kube-scheduler`.
    fn default() -> Self {
        SchedulerConfig {
            profiles: vec![Profile::default()],
            leader_elect: true,
            lease: "kube-system/kube-scheduler".into(),
            kubeconfig: String::new(),
        }
    }
}

impl SchedulerConfig {
    /// Decodes a `--config` file, with the binary's error texts.
    pub fn load(text: &str) -> Result<SchedulerConfig, String> {
        let docs = crate::yaml::parse_documents(text)
            .map_err(|e| format!("error converting YAML to JSON: yaml: {}", e.0))?;
        let cfg = docs.into_iter().next().unwrap_or(Value::Null);
        let api_version = cfg.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind = cfg.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind.is_empty() {
            return Err(format!(
                "Object 'Kind' is missing in '{}'",
                serde_json::to_string(&cfg).unwrap_or_default()
            ));
        }
        if api_version != API_VERSION || kind != "KubeSchedulerConfiguration" {
            return Err(format!(
                "no kind \"{kind}\" is registered for version \"{api_version}\" in scheme \"pkg/scheduler/apis/config/scheme/scheme.go:30\""
            ));
        }
        let mut unknown = Vec::new();
        unknown_fields(&cfg, "", &mut unknown);
        if !unknown.is_empty() {
            return Err(format!("strict decoding error: {}", unknown.join(", ")));
        }
        let le = cfg.get("leaderElection");
        let s = |v: Option<&Value>, k: &str, d: &str| -> String {
            v.and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or(d)
                .to_string()
        };
        Ok(SchedulerConfig {
            profiles: Profile::from_config(text)?,
            leader_elect: le
                .and_then(|l| l.get("leaderElect"))
                .and_then(Value::as_bool)
                .unwrap_or(true),
            lease: format!(
                "{}/{}",
                s(le, "resourceNamespace", "kube-system"),
                s(le, "resourceName", "kube-scheduler")
            ),
            kubeconfig: s(cfg.get("clientConnection"), "kubeconfig", ""),
        })
    }

    /// The configuration of a process started with `args` (the command
    /// after the binary), reading files as the container sees them.
    /// `Err` is the error it exits with.
    pub fn from_args(
        args: &[String],
        read: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SchedulerConfig, String> {
        let flag = |name: &str| -> Option<String> {
            let long = format!("--{name}");
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if let Some(v) = a.strip_prefix(&long).and_then(|r| r.strip_prefix('=')) {
                    return Some(v.to_string());
                }
                if *a == long {
                    // A boolean alone means true; others take the next word.
                    return Some(if name == "leader-elect" {
                        "true".into()
                    } else {
                        it.next().cloned().unwrap_or_default()
                    });
                }
            }
            None
        };
        let mut cfg = match flag("config") {
            Some(path) => {
                let text =
                    read(&path).ok_or_else(|| format!("open {path}: no such file or directory"))?;
                SchedulerConfig::load(&text)?
            }
            None => SchedulerConfig {
                kubeconfig: flag("kubeconfig").unwrap_or_default(),
                ..SchedulerConfig::default()
            },
        };
        if let Some(v) = flag("leader-elect") {
            cfg.leader_elect = matches!(v.as_str(), "true" | "1" | "t" | "T" | "TRUE" | "True");
        }
        let (ns, name) = cfg
            .lease
            .split_once('/')
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .unwrap_or_default();
        let ns = flag("leader-elect-resource-namespace").unwrap_or(ns);
        let name = flag("leader-elect-resource-name").unwrap_or(name);
        cfg.lease = format!("{ns}/{name}");
        Ok(cfg)
    }
}

/// A Go-quoted string's body, as klog prints `err="…"`.
pub fn klog_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<SchedulerConfig, String> {
        SchedulerConfig::load(text)
    }

    #[test]
    fn the_courses_config_names_its_profile_and_turns_leader_election_off() {
        let cfg = load("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: my-scheduler\nleaderElection:\n  leaderElect: false\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = cfg
            .profiles
            .iter()
            .map(|p| p.scheduler_name.as_str())
            .collect();
        assert_eq!(names, ["my-scheduler"]);
        assert!(!cfg.leader_elect);
        assert_eq!(cfg.kubeconfig, "");
        // Leader election defaults to on, on kube-scheduler's own lease.
        let cfg = load("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: my-scheduler\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(cfg.leader_elect);
        assert_eq!(cfg.lease, "kube-system/kube-scheduler");
    }

    #[test]
    fn decoding_errors_are_the_binarys() {
        let cases = [
            (
                "apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n",
                "no kind \"KubeSchedulerConfiguration\" is registered for version \"kubescheduler.config.k8s.io/v1beta3\" in scheme \"pkg/scheduler/apis/config/scheme/scheme.go:30\"",
            ),
            (
                "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulername: my-scheduler\nleaderElection:\n  leaderelect: false\n",
                "strict decoding error: unknown field \"leaderElection.leaderelect\", unknown field \"profiles[0].schedulername\"",
            ),
            (
                "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: my-scheduler\n  leaderElection:\n leaderElect: false\n",
                "error converting YAML to JSON: yaml: line 5: did not find expected key",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(load(text), Err(want.to_string()), "{text}");
        }
    }

    #[test]
    fn leader_election_flags_override_the_file() {
        let read = |p: &str| {
            (p == "/c.yaml").then(|| {
                "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nleaderElection:\n  leaderElect: true\n".to_string()
            })
        };
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cfg =
            SchedulerConfig::from_args(&args(&["--config=/c.yaml", "--leader-elect=false"]), &read)
                .unwrap_or_else(|e| panic!("{e}"));
        assert!(!cfg.leader_elect);
        let cfg = SchedulerConfig::from_args(
            &args(&[
                "--kubeconfig=/etc/kubernetes/scheduler.conf",
                "--leader-elect-resource-name",
                "mine",
            ]),
            &read,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (
                cfg.leader_elect,
                cfg.lease.as_str(),
                cfg.kubeconfig.as_str()
            ),
            (true, "kube-system/mine", "/etc/kubernetes/scheduler.conf")
        );
        assert_eq!(
            SchedulerConfig::from_args(&args(&["--config=/nope.yaml"]), &read),
            Err("open /nope.yaml: no such file or directory".to_string())
        );
    }
}
