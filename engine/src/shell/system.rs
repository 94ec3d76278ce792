//! The node's services and processes: `systemctl` for the kubelet and
//! containerd (stopping the kubelet really stops that node's kubelet in the
//! simulation), `ps aux`, `ip addr`, `hostname -I`, `uptime`.

use super::Session;
use crate::api::{object, resolve};
use crate::cluster::Cluster;
use crate::node::service;
use crate::output::Output;
use serde_json::Value;

const KUBELET_CMD: &str = "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10";

/// `Wed 2025-04-23 08:00:09 UTC`, as systemd prints timestamps.
#[allow(clippy::indexing_slicing)] // weekday index is rem_euclid(7)
fn systemd_time(t: crate::clock::Time) -> String {
    let s = t.rfc3339();
    let days = t.0.div_euclid(86_400_000);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    format!(
        "{weekday} {} {} UTC",
        s.get(0..10).unwrap_or(""),
        s.get(11..19).unwrap_or("")
    )
}

/// systemd's "5min ago" style.
fn ago(d: crate::clock::Duration) -> String {
    let s = d.as_secs().max(0);
    match s {
        s if s < 60 => format!("{s}s ago"),
        s if s < 3600 => format!("{}min {}s ago", s / 60, s % 60),
        s if s < 86_400 => format!("{}h {}min ago", s / 3600, (s % 3600) / 60),
        s => format!("{} days ago", s / 86_400),
    }
}

pub fn systemctl(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let now = cluster.now();
    let node = session.node.clone();
    let (verb, unit) = match words.as_slice() {
        [v] => (*v, ""),
        [v, u, ..] => (*v, u.trim_end_matches(".service")),
        [] => return out.fail("systemctl: missing verb"),
    };
    let known = matches!(unit, "kubelet" | "containerd" | "");
    if !known {
        return out
            .fail(format!("Unit {unit}.service could not be found."))
            .with_status(if verb == "status" { 4 } else { 5 });
    }
    let mut out = out;
    let api = service::ApiEndpoint::of(&cluster.machines);
    let Some(m) = cluster.machine_mut(&node) else {
        return out;
    };
    match (verb, unit) {
        ("daemon-reload", _) => m.units_loaded = true,
        ("start", "kubelet") => service::start(m, &api, now),
        ("stop", "kubelet") => service::stop(m, now),
        ("restart", "kubelet") => service::restart(m, &api, now),
        ("enable" | "disable", "kubelet") => {}
        ("is-active", "kubelet") => {
            let state = if m.kubelet_running {
                "active"
            } else if m.kubelet.failed_at.is_some() {
                "activating"
            } else {
                "inactive"
            };
            out.out(format!("{state}\n"));
            out.status = if m.kubelet_running { 0 } else { 3 };
        }
        ("is-active", "containerd") => out.out("active\n"),
        ("status", "kubelet") => {
            let since = format!("{}; {}", systemd_time(m.kubelet_since), ago(now - m.kubelet_since));
            let pid = m.kubelet_pid;
            let head = "kubelet.service - kubelet: The Kubernetes Node Agent\n     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; vendor preset: enabled)\n    Drop-In: /usr/lib/systemd/system/kubelet.service.d\n             └─10-kubeadm.conf\n";
            let exec = "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS";
            if m.kubelet_running {
                out.out(format!(
                    "● {head}     Active: active (running) since {since}\n       Docs: https://kubernetes.io/docs/\n   Main PID: {pid} (kubelet)\n      Tasks: 14 (limit: 4611)\n     Memory: 45.2M\n        CPU: 12.345s\n     CGroup: /system.slice/kubelet.service\n             └─{pid} {KUBELET_CMD}\n"
                ));
            } else if m.kubelet.failed_at.is_some() {
                out.out(format!(
                    "● {head}     Active: activating (auto-restart) (Result: exit-code) since {since}\n       Docs: https://kubernetes.io/docs/\n    Process: {pid} {exec} (code=exited, status=1/FAILURE)\n   Main PID: {pid} (code=exited, status=1/FAILURE)\n        CPU: 87ms\n"
                ));
                out.status = 3;
            } else {
                out.out(format!(
                    "○ {head}     Active: inactive (dead) since {since}\n       Docs: https://kubernetes.io/docs/\n    Process: {pid} {exec} (code=killed, signal=TERM)\n   Main PID: {pid} (code=killed, signal=TERM)\n"
                ));
                out.status = 3;
            }
            // The unit's last journal lines, as systemctl shows them.
            let lines = service::journal_lines(m);
            if !lines.is_empty() {
                out.out("\n");
                for l in lines.iter().skip(lines.len().saturating_sub(10)) {
                    out.out(format!("{l}\n"));
                }
            }
        }
        ("status", "containerd") => out.out(format!(
            "● containerd.service - containerd container runtime\n     Loaded: loaded (/lib/systemd/system/containerd.service; enabled; vendor preset: enabled)\n     Active: active (running) since {}\n       Docs: https://containerd.io\n",
            systemd_time(crate::clock::Time::EPOCH)
        )),
        ("start" | "stop" | "restart" | "enable" | "disable", "containerd") => {}
        (v, _) => return out.fail(format!("Unknown command verb '{v}'.")),
    }
    out
}

/// `journalctl -u kubelet [-n N] [--no-pager] [-r] [-e] [-x] [-f]`: the
/// kubelet's journal on this node. `-f` prints what is there and returns
/// (the terminal has no follow mode).
pub fn journalctl(session: &Session, cluster: &Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let mut unit: Option<String> = None;
    let mut lines: Option<usize> = None;
    let mut reverse = false;
    let mut i = 0;
    while let Some(a) = args.get(i).map(String::as_str) {
        let value = |inline: &str, i: &mut usize| -> Option<String> {
            if inline.is_empty() {
                *i += 1;
                args.get(*i).cloned()
            } else {
                Some(inline.to_string())
            }
        };
        if let Some(u) = a.strip_prefix("--unit=") {
            unit = Some(u.to_string());
        } else if a == "--unit" {
            unit = value("", &mut i);
        } else if let Some(n) = a.strip_prefix("--lines=") {
            lines = n.parse().ok();
        } else if matches!(
            a,
            "--no-pager"
                | "--follow"
                | "--catalog"
                | "--pager-end"
                | "--no-hostname"
                | "--quiet"
                | "-q"
        ) {
            if a == "--pager-end" {
                lines = lines.or(Some(1000));
            }
        } else if a == "--reverse" {
            reverse = true;
        } else if let Some(cluster_flags) = a
            .strip_prefix('-')
            .filter(|f| !f.starts_with('-') && !f.is_empty())
        {
            // Short flags combine: `-xeu kubelet`, `-n20`.
            for (k, c) in cluster_flags.char_indices() {
                let rest = &cluster_flags[k + c.len_utf8()..];
                match c {
                    'u' => {
                        unit = value(rest, &mut i);
                        break;
                    }
                    'n' => {
                        let v = value(rest, &mut i).unwrap_or_default();
                        match v.parse::<usize>() {
                            Ok(n) => lines = Some(n),
                            Err(_) if v == "all" => lines = None,
                            Err(_) => {
                                return out.fail(format!("Failed to parse lines '{v}'."));
                            }
                        }
                        break;
                    }
                    'e' => lines = lines.or(Some(1000)),
                    'r' => reverse = true,
                    'x' | 'f' | 'q' | 'l' | 'a' => {}
                    other => {
                        return out.fail(format!("journalctl: invalid option -- '{other}'"));
                    }
                }
            }
        } else {
            return out.fail(format!("\"{a}\" is not a valid match expression"));
        }
        i += 1;
    }
    let Some(m) = cluster.machine(&session.node) else {
        return out;
    };
    let mut all = match unit.as_deref().map(|u| u.trim_end_matches(".service")) {
        None | Some("kubelet") => service::journal_lines(m),
        Some(_) => Vec::new(),
    };
    let mut out = out;
    if all.is_empty() {
        out.out("-- No entries --\n");
        return out;
    }
    if let Some(n) = lines {
        all.drain(..all.len().saturating_sub(n));
    }
    if reverse {
        all.reverse();
    }
    for l in all {
        out.out(format!("{l}\n"));
    }
    out
}

/// `ps aux`: the node's processes — systemd, containerd, the kubelet while it
/// runs, and the processes of the pods running on the node (the control
/// plane's, with their flags).
pub fn ps(session: &Session, cluster: &Cluster, _args: &[String]) -> Output {
    let mut out = Output::default();
    let Some(m) = cluster.machine(&session.node) else {
        return out;
    };
    let mut rows: Vec<(u32, String)> = vec![
        (1, "/sbin/init".into()),
        (412, "/usr/bin/containerd".into()),
    ];
    if m.kubelet_running {
        rows.push((m.kubelet_pid, KUBELET_CMD.into()));
    }
    if let Some(pods) = resolve("pods") {
        let mut pid = 2000;
        for p in cluster.apiserver.list(pods, None) {
            if object::str_at(&p, "spec.nodeName") != Some(session.node.as_str())
                || object::str_at(&p, "status.phase") != Some("Running")
            {
                continue;
            }
            for c in object::at(&p, "spec.containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let mut argv: Vec<String> = c
                    .get("command")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                argv.extend(
                    c.get("args")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(String::from))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default(),
                );
                if argv.is_empty() {
                    argv.push(
                        c.get("image")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .rsplit('/')
                            .next()
                            .unwrap_or("")
                            .split(':')
                            .next()
                            .unwrap_or("")
                            .to_string(),
                    );
                }
                pid += 37;
                rows.push((pid, argv.join(" ")));
            }
        }
    }
    out.out("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
    for (pid, cmd) in rows {
        out.out(format!(
            "root    {pid:>8}  0.5  1.2 1234567 51234 ?       Ssl  08:00   0:12 {cmd}\n"
        ));
    }
    out.out(format!(
        "root    {:>8}  0.0  0.0   7060  1600 pts/0    R+   08:15   0:00 ps aux\n",
        9999
    ));
    out
}

pub fn ip(session: &Session, cluster: &Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let Some(m) = cluster.machine(&session.node) else {
        return out;
    };
    match args.first().map(String::as_str) {
        Some("a" | "addr" | "address") | None => out.out(format!(
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\n    link/ether 02:42:c0:a8:64:{:02x} brd ff:ff:ff:ff:ff:ff\n    inet {}/24 brd 192.168.100.255 scope global eth0\n       valid_lft forever preferred_lft forever\n",
            m.ip.rsplit('.').next().and_then(|x| x.parse::<u8>().ok()).unwrap_or(0),
            m.ip
        )),
        Some(other) => return out.fail(format!("Object \"{other}\" is unknown, try \"ip help\".")).with_status(255),
    }
    out
}

pub fn hostname(session: &Session, cluster: &Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    if args.iter().any(|a| a == "-I" || a == "-i") {
        let ip = cluster
            .machine(&session.node)
            .map(|m| m.ip.clone())
            .unwrap_or_default();
        out.out(format!("{ip} \n"));
    } else {
        out.out(format!("{}\n", session.node));
    }
    out
}

/// `kubelet --version` on a node: the installed kubelet's version (what an
/// upgrade changes node by node). The kubelet itself runs as a systemd
/// service; starting a second one by hand is not simulated.
pub fn kubelet(session: &Session, cluster: &Cluster, args: &[String]) -> Output {
    if args
        .iter()
        .any(|a| a == "--version" || a == "--version=true")
    {
        let mut out = Output::default();
        // The binary on disk is the installed package's (the running
        // service may be older until it is restarted).
        let v = cluster
            .machine(&session.node)
            .and_then(|m| m.packages.version_of("kubelet"))
            .unwrap_or_default();
        out.out(format!("Kubernetes {v}\n"));
        return out;
    }
    Output::default().fail(
        "kubelet: only `kubelet --version` is simulated: the kubelet runs as a service.\nUse systemctl status kubelet, journalctl -u kubelet and /var/lib/kubelet/config.yaml.",
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn kubelet_version_is_the_nodes_own() {
        let topology = crate::cluster::Topology {
            nodes: vec![
                crate::cluster::NodeSpec::control_plane("controlplane"),
                crate::cluster::NodeSpec {
                    kubelet_version: "v1.32.4".into(),
                    ..crate::cluster::NodeSpec::worker("node01")
                },
            ],
        };
        let mut sim = crate::Simulation::with_topology(1, &topology);
        let t = sim.run_script(
            "kubelet --version\nssh node01 kubelet --version\nkubectl get nodes\nssh node01 journalctl -u kubelet | grep 'Kubelet version' | head -1\n",
            false,
        );
        expect_test::expect![[r#"
            Kubernetes v1.33.1
            Kubernetes v1.32.4
            NAME           STATUS   ROLES           AGE   VERSION
            controlplane   Ready    control-plane   15m   v1.33.1
            node01         Ready    <none>          14m   v1.32.4
            Apr 23 08:00:00 node01 kubelet[1042]: I0423 08:00:00.000000    1042 server.go:530] "Kubelet version" kubeletVersion="v1.32.4"
        "#]].assert_eq(&t);
    }

    #[test]
    fn stopping_the_kubelet_is_seen_by_systemctl_and_ps() {
        let mut sim = crate::Simulation::new(1);
        let t = sim.run_script("ssh node01\nsystemctl stop kubelet\nsystemctl is-active kubelet\nsystemctl status kubelet | head -5\nps aux | grep -c kubelet\nsystemctl start kubelet\nsystemctl is-active kubelet\nps aux | grep -c /usr/bin/kubelet\n", false);
        assert!(
            t.starts_with("inactive\n○ kubelet.service - kubelet: The Kubernetes Node Agent\n"),
            "{t}"
        );
        assert!(
            t.contains("Active: inactive (dead) since Wed 2025-04-23 08:15:"),
            "{t}"
        );
        assert!(t.ends_with("0\nactive\n1\n"), "{t}");
        assert!(sim
            .cluster()
            .machine("node01")
            .is_some_and(|m| m.kubelet_running));
    }
}
