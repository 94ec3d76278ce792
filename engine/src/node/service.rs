// Indexing is safe in this module: month index from the civil-calendar conversion, always 1..=12.
#![allow(clippy::indexing_slicing)]
//! `kubelet.service` as systemd runs it on a kubeadm node, and the journal
//! `journalctl -u kubelet` reads.
//!
//! The kubelet reads its files when it starts: `/var/lib/kubelet/config.yaml`
//! (a missing or malformed file, or a `clientCAFile` that does not exist,
//! makes it exit with status 1) and `/etc/kubernetes/kubelet.conf` (a
//! `server:` that is not the apiserver leaves it running but unable to
//! reach the API: its node goes `NotReady`). systemd restarts a failed
//! kubelet every 10 s (`Restart=always`, `RestartSec=10`), so fixing the
//! file is enough for it to come back — the CKA troubleshooting classics.
//! [`Systemd`] is the component that does those restarts.

use super::Machine;
use crate::clock::{Duration, Time};
use crate::cluster::{Component, SyncContext};

/// systemd's `RestartSec=10` in kubeadm's kubelet.service.
pub const RESTART_SEC: Duration = Duration::from_secs(10);
/// How often a kubelet that cannot reach the apiserver logs it
/// (`nodeStatusUpdateFrequency`).
const STATUS_RETRY: Duration = Duration::from_secs(10);
/// The journal keeps this many lines per machine.
const JOURNAL_LINES: usize = 2_000;

pub const UNIT_DESCRIPTION: &str = "kubelet.service - kubelet: The Kubernetes Node Agent";

/// The service's state besides `Machine::kubelet_running`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeletService {
    /// Started and not stopped: systemd keeps restarting it while it fails.
    pub stopped: bool,
    /// Failed starts in a row (systemd's restart counter).
    pub restarts: u32,
    /// When the last start failed: the next try is [`RESTART_SEC`] later.
    pub failed_at: Option<Time>,
    /// The kubelet runs but its kubeconfig points elsewhere: the URL it
    /// dials and the address that resolves to.
    pub unreachable: Option<(String, String)>,
    last_retry_log: Option<Time>,
    /// `(time, identifier, message)`: `systemd[1]` or `kubelet[PID]`.
    pub journal: Vec<(Time, String, String)>,
}

/// Where the apiserver listens: the control-plane node's name and address.
#[derive(Clone, Debug)]
pub struct ApiEndpoint {
    pub hostname: String,
    pub ip: String,
}

impl ApiEndpoint {
    pub fn of(machines: &std::collections::BTreeMap<String, Machine>) -> ApiEndpoint {
        let cp = machines.values().find(|m| m.control_plane);
        ApiEndpoint {
            hostname: cp.map(|m| m.hostname.clone()).unwrap_or_default(),
            ip: cp.map(|m| m.ip.clone()).unwrap_or_default(),
        }
    }
}

fn log(m: &mut Machine, t: Time, who: String, message: String) {
    let journal = &mut m.kubelet.journal;
    journal.push((t, who, message));
    if journal.len() > JOURNAL_LINES {
        let extra = journal.len() - JOURNAL_LINES;
        journal.drain(..extra);
    }
}

fn systemd(m: &mut Machine, t: Time, message: impl Into<String>) {
    log(m, t, "systemd[1]".into(), message.into());
}

/// A klog line: `E0423 08:15:03.123000    1234 run.go:72] "command failed" …`.
fn klog(m: &mut Machine, t: Time, severity: char, site: &str, message: &str) {
    let pid = m.kubelet_pid;
    let stamp = t.rfc3339_micro();
    let line = format!(
        "{severity}{}{} {}    {pid} {site}] {message}",
        stamp.get(5..7).unwrap_or(""),
        stamp.get(8..10).unwrap_or(""),
        stamp.get(11..26).unwrap_or(""),
    );
    log(m, t, format!("kubelet[{pid}]"), line);
}

/// Go's quoting of an error inside a structured log line.
fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// What the journal holds after the machine booted: the kubelet started.
pub fn boot(m: &mut Machine, now: Time) {
    systemd(m, now, format!("Started {UNIT_DESCRIPTION}."));
    klog(
        m,
        now,
        'I',
        "server.go:530",
        &format!(
            "\"Kubelet version\" kubeletVersion=\"{}\"",
            m.kubelet_version
        ),
    );
    klog(
        m,
        now,
        'I',
        "kubelet.go:1764",
        "\"Starting kubelet main sync loop\"",
    );
}

/// `systemctl start kubelet`.
pub fn start(m: &mut Machine, api: &ApiEndpoint, now: Time) {
    m.kubelet.stopped = false;
    if m.kubelet_running || m.kubelet.failed_at.is_some() {
        return;
    }
    launch(m, api, now);
}

/// `systemctl stop kubelet`.
pub fn stop(m: &mut Machine, now: Time) {
    m.kubelet.stopped = true;
    m.kubelet.restarts = 0;
    if m.kubelet_running {
        halt(m, now);
    } else if m.kubelet.failed_at.take().is_some() {
        // Waiting to restart: there is no process to stop.
        systemd(m, now, format!("Stopped {UNIT_DESCRIPTION}."));
        m.kubelet_since = now;
    }
}

/// `systemctl restart kubelet`.
pub fn restart(m: &mut Machine, api: &ApiEndpoint, now: Time) {
    m.kubelet.stopped = false;
    if m.kubelet_running {
        halt(m, now);
    }
    m.kubelet.failed_at = None;
    m.kubelet.restarts = 0;
    launch(m, api, now);
}

fn halt(m: &mut Machine, now: Time) {
    systemd(m, now, format!("Stopping {UNIT_DESCRIPTION}..."));
    systemd(m, now, "kubelet.service: Deactivated successfully.");
    systemd(m, now, format!("Stopped {UNIT_DESCRIPTION}."));
    m.kubelet_running = false;
    m.kubelet.unreachable = None;
    m.kubelet_since = now;
}

/// One start of the kubelet process: it reads its files and either runs
/// or exits with status 1.
fn launch(m: &mut Machine, api: &ApiEndpoint, now: Time) {
    m.kubelet_pid += 17;
    m.kubelet_since = now;
    systemd(m, now, format!("Started {UNIT_DESCRIPTION}."));
    let node = m.hostname.clone();
    if let Err(e) = check_config(m) {
        klog(
            m,
            now,
            'E',
            "run.go:72",
            &format!("\"command failed\" err={}", quoted(&e)),
        );
        systemd(
            m,
            now,
            "kubelet.service: Main process exited, code=exited, status=1/FAILURE",
        );
        systemd(m, now, "kubelet.service: Failed with result 'exit-code'.");
        m.kubelet_running = false;
        m.kubelet.failed_at = Some(now);
        return;
    }
    m.kubelet_running = true;
    m.kubelet.failed_at = None;
    m.kubelet.restarts = 0;
    // The binary on disk is the installed package's.
    if let Some(v) = m.packages.version_of("kubelet") {
        m.kubelet_version = v;
    }
    let version = m.kubelet_version.clone();
    klog(
        m,
        now,
        'I',
        "server.go:530",
        &format!("\"Kubelet version\" kubeletVersion=\"{version}\""),
    );
    klog(
        m,
        now,
        'I',
        "server.go:532",
        "\"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\" GOTRACEBACK=\"\"",
    );
    klog(
        m,
        now,
        'I',
        "server.go:956",
        "\"Client rotation is on, will bootstrap in background\"",
    );
    klog(
        m,
        now,
        'I',
        "certificate_store.go:130",
        "Loading cert/key pair from \"/var/lib/kubelet/pki/kubelet-client-current.pem\".",
    );
    m.kubelet.unreachable = unreachable_server(m, api);
    m.kubelet.last_retry_log = None;
    match m.kubelet.unreachable.clone() {
        Some(target) => node_status_error(m, &target, now),
        None => {
            klog(
                m,
                now,
                'I',
                "kubelet.go:1764",
                "\"Starting kubelet main sync loop\"",
            );
            klog(
                m,
                now,
                'I',
                "kubelet_node_status.go:75",
                &format!("\"Attempting to register node\" node={}", quoted(&node)),
            );
        }
    }
}

fn node_status_error(m: &mut Machine, (server, address): &(String, String), now: Time) {
    let node = m.hostname.clone();
    let (_, port) = host_port(server);
    let dial = format!(
        "Get \"{server}/api/v1/nodes/{node}?timeout=10s\": dial tcp {address}:{port}: connect: connection refused"
    );
    klog(
        m,
        now,
        'E',
        "kubelet_node_status.go:548",
        &format!(
            "\"Error updating node status, will retry\" err={}",
            quoted(&format!("error getting node {}: {dial}", quoted(&node)))
        ),
    );
    m.kubelet.last_retry_log = Some(now);
}

fn host_port(server: &str) -> (String, String) {
    let rest = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"))
        .unwrap_or(server);
    let rest = rest.split('/').next().unwrap_or(rest);
    match rest.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.to_string()),
        None => (rest.to_string(), "443".to_string()),
    }
}

/// The address a host name resolves to on this machine (`/etc/hosts`).
fn resolve(m: &Machine, host: &str) -> String {
    let hosts = m.fs.read_to_string("/etc/hosts").unwrap_or_default();
    hosts
        .lines()
        .find_map(|l| {
            let mut it = l.split_whitespace();
            let ip = it.next()?;
            it.any(|n| n == host).then(|| ip.to_string())
        })
        .unwrap_or_else(|| host.to_string())
}

/// What makes the kubelet exit at start, in the order it reads things.
fn check_config(m: &Machine) -> Result<(), String> {
    let path = super::files::KUBELET_CONFIG;
    let load = |inner: String| {
        format!("failed to load kubelet config file, path: {path}, error: failed to load Kubelet config file {path}, error {inner}")
    };
    let text = m.fs.read_to_string(path).map_err(|e| {
        load(format!(
            "failed to read kubelet config file \"{path}\", error: open {path}: {}",
            crate::case::to_lowercase(e.text())
        ))
    })?;
    let doc = crate::yaml::parse_documents(&text)
        .map_err(|e| {
            load(format!(
                "failed to decode: error converting YAML to JSON: yaml: {}",
                e.0
            ))
        })?
        .into_iter()
        .next()
        .unwrap_or_default();
    let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or("");
    let version = doc.get("apiVersion").and_then(|k| k.as_str()).unwrap_or("");
    if kind != "KubeletConfiguration" || version != "kubelet.config.k8s.io/v1beta1" {
        return Err(load(format!(
            "failed to decode: no kind \"{kind}\" is registered for version \"{version}\" in scheme \"pkg/kubelet/apis/config/scheme/scheme.go:28\""
        )));
    }
    if let Some(ca) = doc
        .pointer("/authentication/x509/clientCAFile")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
    {
        if !m.fs.is_file(ca) {
            return Err(format!("failed to construct kubelet dependencies: unable to load client CA file {ca}: open {ca}: no such file or directory"));
        }
    }
    let kubeconfig = "/etc/kubernetes/kubelet.conf";
    if !m.fs.is_file(kubeconfig) && !m.fs.is_file("/etc/kubernetes/bootstrap-kubelet.conf") {
        return Err("failed to run Kubelet: unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory".into());
    }
    Ok(())
}

/// The `server:` of the kubelet's kubeconfig when it is not the apiserver.
fn unreachable_server(m: &Machine, api: &ApiEndpoint) -> Option<(String, String)> {
    let text = m.fs.read_to_string("/etc/kubernetes/kubelet.conf").ok()?;
    let server = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("server:"))?
        .trim()
        .trim_matches('"')
        .to_string();
    let (host, port) = host_port(&server);
    let address = if host == api.hostname {
        api.ip.clone()
    } else {
        resolve(m, &host)
    };
    (!(address == api.ip && port == "6443")).then_some((server, address))
}

/// Restarts a failed kubelet every 10 s; a kubelet that cannot reach the
/// apiserver says so every 10 s.
pub fn tick(m: &mut Machine, api: &ApiEndpoint, now: Time) {
    if m.kubelet.stopped {
        return;
    }
    if let Some(failed) = m.kubelet.failed_at {
        if now >= failed + RESTART_SEC {
            m.kubelet.restarts += 1;
            let n = m.kubelet.restarts;
            systemd(
                m,
                failed + RESTART_SEC,
                format!("kubelet.service: Scheduled restart job, restart counter is at {n}."),
            );
            systemd(
                m,
                failed + RESTART_SEC,
                format!("Stopped {UNIT_DESCRIPTION}."),
            );
            let restarts = m.kubelet.restarts;
            m.kubelet.failed_at = None;
            launch(m, api, failed + RESTART_SEC);
            if m.kubelet.failed_at.is_some() {
                m.kubelet.restarts = restarts;
            }
        }
        return;
    }
    if let (true, Some(target), Some(last)) = (
        m.kubelet_running,
        m.kubelet.unreachable.clone(),
        m.kubelet.last_retry_log,
    ) {
        if now >= last + STATUS_RETRY {
            node_status_error(m, &target, last + STATUS_RETRY);
        }
    }
}

/// When [`tick`] has something to do next.
pub fn next_wakeup(m: &Machine) -> Option<Time> {
    if m.kubelet.stopped {
        return None;
    }
    if let Some(f) = m.kubelet.failed_at {
        return Some(f + RESTART_SEC);
    }
    match (&m.kubelet.unreachable, m.kubelet.last_retry_log) {
        (Some(_), Some(last)) if m.kubelet_running => Some(last + STATUS_RETRY),
        _ => None,
    }
}

/// systemd on every machine, as far as the kubelet's unit goes.
#[derive(Debug, Default)]
pub struct Systemd {
    wakeup: Option<Time>,
}

impl Component for Systemd {
    fn name(&self) -> String {
        "systemd".into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let api = ApiEndpoint::of(ctx.machines);
        let mut next: Option<Time> = None;
        for m in ctx.machines.values_mut() {
            // Catch up one step at a time: each restart is at its own instant.
            while next_wakeup(m).is_some_and(|t| t <= ctx.now) {
                tick(m, &api, ctx.now);
            }
            if let Some(t) = next_wakeup(m) {
                next = Some(next.map_or(t, |n: Time| n.min(t)));
            }
        }
        self.wakeup = next;
    }

    fn next_wakeup(&self, now: Time) -> Option<Time> {
        self.wakeup.filter(|t| *t > now)
    }
}

/// `journalctl -u kubelet`'s lines: `Apr 23 08:15:03 node01 kubelet[1234]: …`.
pub fn journal_lines(m: &Machine) -> Vec<String> {
    m.kubelet
        .journal
        .iter()
        .map(|(t, who, msg)| {
            let s = t.rfc3339();
            let month_idx: usize = s.get(5..7).and_then(|x| x.parse().ok()).unwrap_or(1);
            let month = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][month_idx.clamp(1, 12) - 1];
            format!(
                "{month} {} {} {} {who}: {msg}",
                s.get(8..10).unwrap_or(""),
                s.get(11..19).unwrap_or(""),
                m.hostname
            )
        })
        .collect()
}
