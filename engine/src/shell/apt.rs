//! `apt-get`, `apt`, `apt-mark`, `apt-cache` and `dpkg -l` for the
//! Kubernetes packages, as the kubeadm upgrade guide uses them: unhold,
//! update, install a pinned version, hold again. Only the Kubernetes
//! repository is modelled; other packages are "already the newest".

use super::{session_fs, Session};
use crate::cluster::Cluster;
use crate::node::packages::{self, Packages, KUBE_PACKAGES, SOURCES_LIST};
use crate::output::Output;

/// Approximate .deb sizes (bytes) apt reports when fetching.
fn deb_size(package: &str) -> u64 {
    match package {
        "kubeadm" => 12_226_000,
        "kubelet" => 15_194_000,
        "kubectl" => 11_687_000,
        _ => 5_000_000,
    }
}

fn mb(bytes: u64) -> String {
    format!("{}.{} MB", bytes / 1_000_000, (bytes % 1_000_000) / 100_000)
}

/// The channel the sources file names ("1.33"), if it names one.
fn configured_channel(session: &Session, cluster: &Cluster) -> Option<String> {
    let text = session_fs(session, cluster)?
        .read_to_string(SOURCES_LIST)
        .ok()?;
    let line = text
        .lines()
        .find(|l| !l.trim_start().starts_with('#') && l.contains("pkgs.k8s.io"))?;
    let (_, rest) = line.split_once("/stable:/v")?;
    let minor = rest.split('/').next()?;
    Some(minor.to_string())
}

fn packages_mut<'a>(session: &Session, cluster: &'a mut Cluster) -> Option<&'a mut Packages> {
    cluster.machine_mut(&session.node).map(|m| &mut m.packages)
}

pub fn apt_get(
    session: &mut Session,
    cluster: &mut Cluster,
    name: &str,
    args: &[String],
) -> Output {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    match words.split_first() {
        Some((&"update", _)) => update(session, cluster),
        Some((&("install" | "upgrade"), rest)) => install(
            session,
            cluster,
            name,
            rest,
            flag("--allow-change-held-packages"),
            flag("--allow-downgrades"),
        ),
        Some((&"list", _)) if name == "apt" => list_installed(session, cluster, args),
        Some((other, _)) => Output::default().fail(format!("E: Invalid operation {other}")),
        None => Output::default().fail(format!(
            "{name} 2.4.13 (amd64)\nUsage: {name} [options] command\n\nMost used commands:\n  update - Retrieve new lists of packages\n  upgrade - Perform an upgrade\n  install - Install new packages (pkg is libc6 not libc6.deb)\n  remove - Remove packages"
        )),
    }
}

fn update(session: &mut Session, cluster: &mut Cluster) -> Output {
    let mut out = Output::default();
    let channel = configured_channel(session, cluster);
    out.out("Hit:1 http://archive.ubuntu.com/ubuntu jammy InRelease\n");
    out.out("Hit:2 http://archive.ubuntu.com/ubuntu jammy-updates InRelease\n");
    out.out("Hit:3 http://security.ubuntu.com/ubuntu jammy-security InRelease\n");
    match &channel {
        Some(minor) if !packages::channel(minor).is_empty() => {
            out.out(format!(
                "Get:4 https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v{minor}/deb  InRelease [1,189 B]\n"
            ));
            out.out(format!(
                "Get:5 https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v{minor}/deb  Packages [6,051 B]\n"
            ));
            out.out("Fetched 7,240 B in 1s (9,020 B/s)\nReading package lists... Done\n");
            if let Some(p) = packages_mut(session, cluster) {
                p.lists = minor.clone();
            }
        }
        Some(minor) => {
            out.out(format!(
                "Ign:4 https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v{minor}/deb  InRelease\nErr:5 https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v{minor}/deb  Release\n  404  Not Found [IP: 18.173.166.37 443]\nReading package lists... Done\n"
            ));
            return out.fail(format!(
                "E: The repository 'https://pkgs.k8s.io/core:/stable:/v{minor}/deb  Release' does not have a Release file.\nN: Updating from such a repository can't be done securely, and is therefore disabled by default.\nN: See apt-secure(8) manpage for repository creation and user configuration details."
            ));
        }
        None => out.out("Reading package lists... Done\n"),
    }
    out
}

/// The versions apt knows of a package: those of the fetched lists.
fn candidates(p: &Packages) -> Vec<String> {
    packages::channel(&p.lists)
        .iter()
        .map(|r| packages::deb_version(r.version))
        .collect()
}

/// apt's version match: exact, or a glob with `*`.
fn matches(pattern: &str, version: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => version.starts_with(head) && version[head.len()..].ends_with(tail),
        None => pattern == version,
    }
}

fn install(
    session: &mut Session,
    cluster: &mut Cluster,
    name: &str,
    requests: &[&str],
    change_held: bool,
    downgrades: bool,
) -> Output {
    let mut out = Output::default();
    let Some(p) = packages_mut(session, cluster) else {
        return out.fail("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)");
    };
    out.out("Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n");
    if name == "apt-get" && requests.is_empty() {
        out.out("Calculating upgrade... Done\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
        return out;
    }
    let known = candidates(p);
    // (package, from, to)
    let mut changes: Vec<(String, String, String)> = Vec::new();
    for req in requests {
        let (pkg, want) = match req.split_once('=') {
            Some((pkg, v)) => (pkg, Some(v.trim_matches(|c| c == '\'' || c == '"'))),
            None => (*req, None),
        };
        if !KUBE_PACKAGES.contains(&pkg) {
            out.out(format!("{pkg} is already the newest version.\n"));
            continue;
        }
        let target = match want {
            Some(v) => match known.iter().find(|k| matches(v, k)) {
                Some(k) => k.clone(),
                None => return out.fail(format!("E: Version '{v}' for '{pkg}' was not found")),
            },
            // Unpinned: the newest of the lists (apt-get upgrade's choice).
            None => match known.first() {
                Some(k) => k.clone(),
                None => return out.fail(format!("E: Unable to locate package {pkg}")),
            },
        };
        let from = p.installed.get(pkg).cloned().unwrap_or_default();
        if from == target {
            out.out(format!("{pkg} is already the newest version ({target}).\n"));
            continue;
        }
        changes.push((pkg.to_string(), from, target));
    }
    if changes.is_empty() {
        let held = p.held.len();
        out.out(format!(
            "0 upgraded, 0 newly installed, 0 to remove and {held} not upgraded.\n"
        ));
        return out;
    }
    let names = |f: &dyn Fn(&(String, String, String)) -> bool| -> Vec<String> {
        changes
            .iter()
            .filter(|c| f(c))
            .map(|c| c.0.clone())
            .collect()
    };
    let held: Vec<String> = names(&|c| p.held.contains(&c.0));
    let down: Vec<String> = names(&|c| packages::parts(&c.2) < packages::parts(&c.1));
    let up: Vec<String> = names(&|c| packages::parts(&c.2) >= packages::parts(&c.1));
    if !held.is_empty() {
        out.out(format!(
            "The following held packages will be changed:\n  {}\n",
            held.join(" ")
        ));
    }
    if !up.is_empty() {
        out.out(format!(
            "The following packages will be upgraded:\n  {}\n",
            up.join(" ")
        ));
    }
    if !down.is_empty() {
        out.out(format!(
            "The following packages will be DOWNGRADED:\n  {}\n",
            down.join(" ")
        ));
    }
    let not_upgraded = p.held.iter().filter(|h| !held.contains(h)).count();
    let downgraded = if down.is_empty() {
        String::new()
    } else {
        format!("{} downgraded, ", down.len())
    };
    out.out(format!(
        "{} upgraded, 0 newly installed, {downgraded}0 to remove and {not_upgraded} not upgraded.\n",
        up.len()
    ));
    if !held.is_empty() && !change_held {
        return out.fail(
            "E: Held packages were changed and -y was used without --allow-change-held-packages.",
        );
    }
    if !down.is_empty() && !downgrades {
        return out.fail("E: Packages were downgraded and -y was used without --allow-downgrades.");
    }
    let total: u64 = changes.iter().map(|c| deb_size(&c.0)).sum();
    out.out(format!("Need to get {} of archives.\n", mb(total)));
    out.out("After this operation, 0 B of additional disk space will be used.\n");
    let lists = p.lists.clone();
    for (i, (pkg, _, to)) in changes.iter().enumerate() {
        out.out(format!(
            "Get:{} https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v{lists}/deb  {pkg} {to} [{}]\n",
            i + 1,
            mb(deb_size(pkg))
        ));
    }
    out.out(format!("Fetched {} in 1s (11.9 MB/s)\n", mb(total)));
    out.out("(Reading database ... 74218 files and directories currently installed.)\n");
    for (pkg, from, to) in &changes {
        out.out(format!(
            "Preparing to unpack .../{pkg}_{to}_amd64.deb ...\nUnpacking {pkg} ({to}) over ({from}) ...\n"
        ));
    }
    for (pkg, _, to) in &changes {
        out.out(format!("Setting up {pkg} ({to}) ...\n"));
        p.installed.insert(pkg.clone(), to.clone());
    }
    out
}

fn list_installed(session: &Session, cluster: &Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let Some(m) = cluster.machine(&session.node) else {
        return out;
    };
    if !args.iter().any(|a| a == "--installed") {
        return out.fail("E: apt list is only available with --installed in Dinghy");
    }
    out.out("Listing... Done\n");
    for (pkg, v) in &m.packages.installed {
        let held = if m.packages.held.contains(pkg) {
            ",hold"
        } else {
            ""
        };
        out.out(format!("{pkg}/unknown,now {v} amd64 [installed{held}]\n"));
    }
    out
}

pub fn apt_mark(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let Some((verb, names)) = args.split_first() else {
        return out
            .fail("apt 2.4.13 (amd64)\nUsage: apt-mark [options] {auto|manual} pkg1 [pkg2 ...]");
    };
    let Some(p) = packages_mut(session, cluster) else {
        return out;
    };
    match verb.as_str() {
        "hold" | "unhold" => {
            if names.is_empty() {
                return out.fail("E: No packages found");
            }
            for n in names {
                if !p.installed.contains_key(n) {
                    return out.fail(format!("E: Unable to locate package {n}"));
                }
            }
            for n in names {
                let msg = match (verb.as_str(), p.held.contains(n)) {
                    ("hold", true) => format!("{n} was already set on hold.\n"),
                    ("hold", false) => format!("{n} set on hold.\n"),
                    (_, true) => format!("Canceled hold on {n}.\n"),
                    (_, false) => format!("{n} was already not on hold.\n"),
                };
                if verb == "hold" {
                    p.held.insert(n.clone());
                } else {
                    p.held.remove(n);
                }
                out.out(msg);
            }
        }
        "showhold" => {
            for h in &p.held {
                out.out(format!("{h}\n"));
            }
        }
        other => return out.fail(format!("E: Invalid operation {other}")),
    }
    out
}

pub fn apt_cache(session: &Session, cluster: &Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let Some(m) = cluster.machine(&session.node) else {
        return out;
    };
    let p = &m.packages;
    match args.split_first() {
        Some((verb, names)) if verb == "madison" => {
            for n in names {
                if !KUBE_PACKAGES.contains(&n.as_str()) {
                    return out.fail(format!("N: Unable to locate package {n}"));
                }
                for v in candidates(p) {
                    out.out(format!(
                        "{n:>10} | {v} | {}  Packages\n",
                        packages::channel_url(&p.lists)
                    ));
                }
            }
        }
        Some((verb, names)) if verb == "policy" => {
            for n in names {
                let installed = p.installed.get(n.as_str()).cloned().unwrap_or("(none)".into());
                let known = candidates(p);
                let candidate = known.first().cloned().unwrap_or("(none)".into());
                out.out(format!(
                    "{n}:\n  Installed: {installed}\n  Candidate: {candidate}\n  Version table:\n"
                ));
                for v in known {
                    let mark = if v == installed { "***" } else { "   " };
                    out.out(format!(
                        " {mark} {v} 500\n        500 {}  Packages\n",
                        packages::channel_url(&p.lists)
                    ));
                    if v == installed {
                        out.out("        100 /var/lib/dpkg/status\n");
                    }
                }
            }
        }
        _ => {
            return out.fail(
                "apt 2.4.13 (amd64)\nUsage: apt-cache [options] command\n\nMost used commands:\n   madison - Print source versions for a package\n   policy - Show policy settings",
            )
        }
    }
    out
}

/// `dpkg -l [PATTERN]`.
pub fn dpkg(session: &Session, cluster: &Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    if !args.first().is_some_and(|a| a == "-l" || a == "--list") {
        return out.fail("dpkg: error: need an action option\n\nType dpkg --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;");
    }
    let Some(m) = cluster.machine(&session.node) else {
        return out;
    };
    let pattern = args.get(1).map(|s| s.trim_matches('*').to_string());
    let wanted: Vec<(&String, &String)> = m
        .packages
        .installed
        .iter()
        .filter(|(p, _)| pattern.as_ref().is_none_or(|pat| p.contains(pat.as_str())))
        .collect();
    if wanted.is_empty() {
        return out.fail(format!(
            "dpkg-query: no packages found matching {}",
            args.get(1).map(String::as_str).unwrap_or("")
        ));
    }
    out.out("Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n||/ Name           Version      Architecture Description\n+++-==============-============-============-=================================\n");
    for (p, v) in wanted {
        let state = if m.packages.held.contains(p) {
            "hi"
        } else {
            "ii"
        };
        let what = match p.as_str() {
            "kubeadm" => "Command-line utility for administering a Kubernetes cluster",
            "kubelet" => "Node agent for Kubernetes clusters",
            _ => "Command-line utility for interacting with a Kubernetes cluster",
        };
        out.out(format!("{state}  {p:<14} {v:<12} amd64        {what}\n"));
    }
    out
}
