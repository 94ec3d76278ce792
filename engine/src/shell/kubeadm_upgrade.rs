//! `kubeadm upgrade plan|apply|node`: the cluster upgrade a CKA candidate
//! practises. `apply` on the first control-plane node rewrites the static
//! pod manifests with the new images (the kubelet restarts each component)
//! and updates the kube-proxy and CoreDNS add-ons; the kubelets stay at
//! their version until their package is upgraded and the service restarted
//! — so `kubectl get nodes` keeps showing the old VERSION, as the course
//! notes warn. Texts as kubeadm v1.33 prints them.

use super::question::{self, Asked};
use super::{session_fs, session_fs_mut, Session};
use crate::api::resolve;
use crate::clock::Duration;
use crate::cluster::{control_plane, Cluster};
use crate::node::files::MANIFESTS;
use crate::node::packages::{self, Release};
use crate::output::Output;
use serde_json::{json, Value};

const STACK_TRACE: &str = "To see the stack trace of this error execute with --v=5 or higher";

/// `kubeadm upgrade ARGS`; `stdin` is what a pipe or redirection gives
/// (`None`: the terminal, which `apply`'s question asks).
pub fn run(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<&str>,
) -> Output {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let yes = args
        .iter()
        .any(|a| a == "-y" || a == "--yes" || a == "-f" || a == "--force");
    match words.as_slice() {
        ["plan", ..] => plan(session, cluster),
        ["apply", version, ..] => apply(session, cluster, version, yes, stdin),
        ["apply"] => Output::default().fail(format!(
            "[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n[upgrade] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.\nmissing one or more required arguments. Required arguments: [version]\n{STACK_TRACE}"
        )),
        ["node"] => node(session, cluster),
        ["node", other, ..] => Output::default().fail(format!(
            "unknown command \"{other}\" for \"kubeadm upgrade node\"\n{STACK_TRACE}"
        )),
        [other, ..] => Output::default().fail(format!(
            "unknown command \"{other}\" for \"kubeadm upgrade\"\n{STACK_TRACE}"
        )),
        [] => Output::default().fail(
            "Upgrade your cluster smoothly to a newer version with this command\n\nUsage:\n  kubeadm upgrade [flags]\n  kubeadm upgrade [command]\n\nAvailable Commands:\n  apply       Upgrade your Kubernetes cluster to the specified version\n  diff        Show what differences would be applied to existing static pod manifests. See also: kubeadm upgrade apply --dry-run\n  node        Upgrade commands for a node in the cluster\n  plan        Check which versions are available to upgrade to and validate whether your current cluster is upgradeable.",
        ),
    }
}

/// The kubeadm binary's version on this machine ("v1.33.1").
fn kubeadm_version(session: &Session, cluster: &Cluster) -> String {
    cluster
        .machine(&session.node)
        .and_then(|m| m.packages.version_of("kubeadm"))
        .unwrap_or_else(|| crate::cluster::KUBERNETES_VERSION.to_string())
}

/// kubeadm reads the cluster through /etc/kubernetes/admin.conf.
fn admin_conf_missing(session: &Session, cluster: &Cluster) -> Option<Output> {
    let has = session_fs(session, cluster).is_some_and(|f| f.is_file("/etc/kubernetes/admin.conf"));
    (!has).then(|| {
        Output::default().fail(format!(
            "couldn't create a Kubernetes client from file \"/etc/kubernetes/admin.conf\": failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory\n{STACK_TRACE}"
        ))
    })
}

/// The images of an add-on workload, e.g. kube-proxy's DaemonSet tag.
fn addon_tag(cluster: &Cluster, resource: &str, name: &str) -> Option<String> {
    let res = resolve(resource)?;
    let obj = cluster.apiserver.get(res, Some("kube-system"), name).ok()?;
    let image = obj
        .pointer("/spec/template/spec/containers/0/image")
        .and_then(Value::as_str)?;
    image.rsplit_once(':').map(|(_, t)| t.to_string())
}

/// Nodes and their kubelets' versions, by name.
fn kubelets(cluster: &Cluster) -> Vec<(String, String)> {
    let Some(res) = resolve("nodes") else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = cluster
        .apiserver
        .list(res, None)
        .iter()
        .map(|n| {
            (
                crate::api::object::str_at(n, "metadata.name")
                    .unwrap_or("")
                    .to_string(),
                crate::api::object::str_at(n, "status.nodeInfo.kubeletVersion")
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    crate::sort::sort(&mut out);
    out
}

fn current_versions(cluster: &Cluster) -> (String, String) {
    let api = control_plane::apiserver_version(cluster);
    let etcd = control_plane::component_version(cluster, "etcd").unwrap_or_default();
    (api, etcd)
}

fn control_plane_node(cluster: &Cluster) -> String {
    cluster
        .machines
        .iter()
        .find(|(_, m)| m.control_plane)
        .map(|(n, _)| n.clone())
        .unwrap_or_default()
}

fn plan(session: &Session, cluster: &Cluster) -> Output {
    if let Some(err) = admin_conf_missing(session, cluster) {
        return err;
    }
    let mut out = Output::default();
    let kubeadm = kubeadm_version(session, cluster);
    let (current, etcd) = current_versions(cluster);
    out.out("[preflight] Running pre-flight checks.\n[upgrade/config] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n[upgrade/config] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.\n[upgrade] Running cluster health checks\n[upgrade] Fetching available versions to upgrade to\n");
    out.out(format!(
        "[upgrade/versions] Cluster version: {}\n[upgrade/versions] kubeadm version: {kubeadm}\n",
        current.trim_start_matches('v')
    ));
    // The newest patch of the cluster's minor, and of the next minor, as
    // dl.k8s.io's stable-1.X labels say.
    let minor = packages::minor_of(&current).to_string();
    let (major_n, minor_n, _) = packages::parts(&current);
    let next_minor = format!("{major_n}.{}", minor_n + 1);
    let latest_patch = packages::channel(&minor).first().copied();
    let latest_next = packages::channel(&next_minor).first().copied();
    let kubeadm_minor = packages::minor_of(&kubeadm).to_string();
    // kubeadm offers the next minor only if it is itself of that minor.
    let target = if kubeadm_minor == next_minor {
        latest_next
    } else {
        latest_patch
    };
    let Some(target) = target else {
        return out.fail(format!(
            "[upgrade/versions] FATAL: no release found for v{minor}\n{STACK_TRACE}"
        ));
    };
    out.out(format!(
        "[upgrade/versions] Target version: v{}\n[upgrade/versions] Latest version in the v{minor} series: v{}\n\n",
        target.version,
        latest_patch.map_or(target.version, |r| r.version)
    ));
    let mut upgrades: Vec<(&str, &Release)> = Vec::new();
    if let Some(p) = latest_patch {
        if packages::parts(p.version) > packages::parts(&current) {
            upgrades.push(("Upgrade to the latest version in the v{minor} series:", p));
        }
    }
    if kubeadm_minor == next_minor {
        if let Some(n) = latest_next {
            upgrades.push(("Upgrade to the latest stable version:", n));
        }
    }
    if upgrades.is_empty() {
        out.out("Awesome, you're up-to-date! Enjoy!\n");
        return out;
    }
    let node = control_plane_node(cluster);
    let proxy = addon_tag(cluster, "daemonsets", "kube-proxy").unwrap_or_default();
    let dns = addon_tag(cluster, "deployments", "coredns").unwrap_or_default();
    for (title, r) in upgrades {
        let target = format!("v{}", r.version);
        let mut rows = vec![vec![
            "COMPONENT".into(),
            "NODE".into(),
            "CURRENT".into(),
            "TARGET".into(),
        ]];
        for (n, v) in kubelets(cluster) {
            rows.push(vec!["kubelet".into(), n, v, target.clone()]);
        }
        out.out("Components that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':\n");
        out.out(super::pki::table(&rows));
        out.out(format!("\n{}\n\n", title.replace("{minor}", &minor)));
        let mut rows = vec![vec![
            "COMPONENT".into(),
            "NODE".into(),
            "CURRENT".into(),
            "TARGET".into(),
        ]];
        for c in [
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
        ] {
            let v = control_plane::component_version(cluster, c).unwrap_or_default();
            rows.push(vec![c.into(), node.clone(), v, target.clone()]);
        }
        // kubeadm prints kube-proxy's current version without its "v".
        rows.push(vec![
            "kube-proxy".into(),
            String::new(),
            proxy.trim_start_matches('v').to_string(),
            target.clone(),
        ]);
        rows.push(vec![
            "CoreDNS".into(),
            String::new(),
            dns.clone(),
            r.coredns.into(),
        ]);
        rows.push(vec![
            "etcd".into(),
            node.clone(),
            etcd.clone(),
            r.etcd.into(),
        ]);
        out.out(super::pki::table(&rows));
        out.out(format!(
            "\nYou can now apply the upgrade by executing the following command:\n\n\tkubeadm upgrade apply {target}\n\n"
        ));
        if packages::parts(&kubeadm) < packages::parts(r.version) {
            out.out(format!(
                "Note: Before you can perform this upgrade, you have to update kubeadm to {target}.\n\n"
            ));
        }
        out.out("_____________________________________________________________________\n\n");
    }
    out.out("\nThe table below shows the current state of component configs as understood by this version of kubeadm.\nConfigs that have a \"yes\" mark in the \"MANUAL UPGRADE REQUIRED\" column require manual config upgrade or\nresetting to kubeadm defaults before a successful upgrade can be performed. The version to manually\nupgrade to is denoted in the \"PREFERRED VERSION\" column.\n\nAPI GROUP                 CURRENT VERSION   PREFERRED VERSION   MANUAL UPGRADE REQUIRED\nkubeproxy.config.k8s.io   v1alpha1          v1alpha1            no\nkubelet.config.k8s.io     v1beta1           v1beta1             no\n_____________________________________________________________________\n\n");
    out
}

/// The version-skew checks of `kubeadm upgrade apply VERSION`.
fn version_errors(current: &str, kubeadm: &str, target: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let (t, c, k) = (
        packages::parts(target),
        packages::parts(current),
        packages::parts(kubeadm),
    );
    if t > k {
        errs.push(format!(
            "Specified version to upgrade to \"{target}\" is higher than the kubeadm version \"{kubeadm}\". Upgrade kubeadm first using the tool you used to install kubeadm"
        ));
    }
    if t.1 > c.1 + 1 {
        errs.push(format!(
            "Specified version to upgrade to \"{target}\" is too high; kubeadm can upgrade only 1 minor version at a time"
        ));
    }
    if t.1 < c.1 {
        errs.push(format!(
            "Specified version to upgrade to \"{target}\" is an unsupported version and can't be used for upgrade"
        ));
    }
    errs
}

fn apply(
    session: &mut Session,
    cluster: &mut Cluster,
    version: &str,
    yes: bool,
    stdin: Option<&str>,
) -> Output {
    if let Some(err) = admin_conf_missing(session, cluster) {
        return err;
    }
    let mut out = Output::default();
    let target = format!("v{}", version.trim_start_matches('v'));
    let kubeadm = kubeadm_version(session, cluster);
    let (current, _) = current_versions(cluster);
    out.out("[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n[upgrade] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.\n[upgrade/preflight] Running preflight checks\n[upgrade] Running cluster health checks\n");
    let Some(release) = packages::release(&target) else {
        return out.fail(format!(
            "[upgrade/version] FATAL: the --version argument is invalid due to these errors:\n\n\t- Unable to fetch file. URL: \"https://dl.k8s.io/release/{target}/bin/linux/amd64/kubeadm\", status: 404 Not Found\n\n{STACK_TRACE}"
        ));
    };
    let errs = version_errors(&current, &kubeadm, &target);
    if !errs.is_empty() {
        let list: String = errs.iter().map(|e| format!("\t- {e}\n")).collect();
        return out.fail(format!(
            "[upgrade/version] FATAL: the --version argument is invalid due to these errors:\n\n{list}\nCan be bypassed if you pass the --force flag\n{STACK_TRACE}"
        ));
    }
    out.out(format!(
        "[upgrade/preflight] You have chosen to upgrade the cluster version to \"{target}\"\n[upgrade/versions] Cluster version: {current}\n[upgrade/versions] kubeadm version: {kubeadm}\n"
    ));
    if !yes {
        // kubeadm's InteractivelyConfirmAction: the question on stdout, one
        // line read from stdin — the terminal, or what a pipe gives.
        const QUESTION: &str = "[upgrade] Are you sure you want to proceed? [y/N]: ";
        let answer = match stdin {
            Some(text) => {
                // A pipe is not echoed: the next output follows the question.
                out.out(QUESTION);
                text.split('\n').next().unwrap_or("").to_string()
            }
            None => match question::ask(session, QUESTION) {
                Asked::Answer(a) => a,
                // bufio's ReadString at end of file: an empty line.
                Asked::EndOfInput => String::new(),
                Asked::Suspended => return question::suspended(out),
            },
        };
        if !(answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes")) {
            return out.fail(format!(
                "won't proceed; the user didn't answer (Y|y) in order to continue\n{STACK_TRACE}"
            ));
        }
    }
    out.out("[upgrade/preflight] Pulling images required for setting up a Kubernetes cluster\n[upgrade/preflight] This might take a minute or two, depending on the speed of your internet connection\n[upgrade/preflight] You can also perform this action beforehand using 'kubeadm config images pull'\n");
    out.out(format!(
        "[upgrade/control-plane] Upgrading your static Pod-hosted control plane to version \"{target}\" (timeout: 5m0s)...\n"
    ));
    let stamp = backup_stamp(cluster);
    out.out("[upgrade/staticpods] Writing new Static Pod manifests to \"/etc/kubernetes/tmp/kubeadm-upgraded-manifests1842739107\"\n");
    let certs: [(&str, &[&str]); 4] = [
        (
            "etcd",
            &["etcd-server", "etcd-peer", "etcd-healthcheck-client"],
        ),
        (
            "kube-apiserver",
            &[
                "apiserver",
                "apiserver-kubelet-client",
                "front-proxy-client",
                "apiserver-etcd-client",
            ],
        ),
        ("kube-controller-manager", &["controller-manager.conf"]),
        ("kube-scheduler", &["scheduler.conf"]),
    ];
    for (component, renewed) in certs {
        out.out(format!(
            "[upgrade/staticpods] Preparing for \"{component}\" upgrade\n"
        ));
        let tag = if component == "etcd" {
            release.etcd.to_string()
        } else {
            target.clone()
        };
        let file = format!("{MANIFESTS}/{component}.yaml");
        let changed = retag_manifest(session, cluster, &file, &tag, &stamp);
        if !changed {
            out.out(format!(
                "[upgrade/staticpods] Current and new manifests of {component} are equal, skipping upgrade\n"
            ));
            continue;
        }
        for c in renewed {
            out.out(format!("[upgrade/staticpods] Renewing {c} certificate\n"));
        }
        out.out(format!(
            "[upgrade/staticpods] Moving new manifest to \"{file}\" and backing up old manifest to \"/etc/kubernetes/tmp/kubeadm-backup-manifests-{stamp}/{component}.yaml\"\n[upgrade/staticpods] Waiting for the kubelet to restart the component\n[upgrade/staticpods] This can take up to 5m0s\n"
        ));
        // The kubelet notices the file, kills the old container and starts
        // the new image.
        cluster.step(Duration::from_secs(20));
        out.out(format!(
            "[apiclient] Found 1 Pods for label selector component={component}\n[upgrade/staticpods] Component \"{component}\" upgraded successfully!\n"
        ));
        if component == "etcd" {
            out.out("[upgrade/etcd] Waiting for etcd to become available\n");
        }
    }
    out.out("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!\n[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace\n[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration for the kubelets in the cluster\n[upgrade/kubeconfig] The kubeconfig files for this node were successfully upgraded!\n");
    out.out(format!(
        "W{} postupgrade.go:117] Using temporary directory /etc/kubernetes/tmp/kubeadm-kubelet-config2318836012 for kubelet config. To override it set the environment variable KUBEADM_UPGRADE_DRYRUN_DIR\n",
        klog_stamp(cluster)
    ));
    out.out("[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-config2318836012/config.yaml\n[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"\n[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!\n[upgrade/bootstrap-token] Configuring bootstrap token and cluster-info RBAC rules\n[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes\n[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials\n[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token\n[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster\n");
    set_addon_image(
        cluster,
        "deployments",
        "coredns",
        &format!("registry.k8s.io/coredns/coredns:{}", release.coredns),
    );
    out.out("[addons] Applied essential addon: CoreDNS\n");
    set_addon_image(
        cluster,
        "daemonsets",
        "kube-proxy",
        &format!("registry.k8s.io/kube-proxy:{target}"),
    );
    out.out("[addons] Applied essential addon: kube-proxy\n");
    cluster.settle();
    out.out(format!(
        "\n[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"{target}\".\n\n[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.\n"
    ));
    out
}

/// Rewrites the image tag of a static pod manifest (keeping a backup as
/// kubeadm does); false when it already runs that tag or is missing.
fn retag_manifest(
    session: &Session,
    cluster: &mut Cluster,
    file: &str,
    tag: &str,
    stamp: &str,
) -> bool {
    let Some(fs) = session_fs_mut(session, cluster) else {
        return false;
    };
    let Ok(text) = fs.read_to_string(file) else {
        return false;
    };
    let mut changed = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let trimmed = l.trim_start();
            match trimmed
                .strip_prefix("image: ")
                .and_then(|i| i.rsplit_once(':'))
            {
                Some((repo, old)) if repo.starts_with("registry.k8s.io/") && old != tag => {
                    changed = true;
                    let indent = &l[..l.len() - trimmed.len()];
                    format!("{indent}image: {repo}:{tag}")
                }
                _ => l.to_string(),
            }
        })
        .collect();
    if !changed {
        return false;
    }
    let backup_dir = format!("/etc/kubernetes/tmp/kubeadm-backup-manifests-{stamp}");
    let _ = fs.mkdir_p(&backup_dir);
    let name = file.rsplit('/').next().unwrap_or(file);
    let _ = fs.write(&format!("{backup_dir}/{name}"), text.as_bytes(), false);
    let _ = fs.write(file, (lines.join("\n") + "\n").as_bytes(), false);
    true
}

fn set_addon_image(cluster: &mut Cluster, resource: &str, name: &str, image: &str) {
    let Some(res) = resolve(resource) else {
        return;
    };
    let Ok(mut obj) = cluster.apiserver.get(res, Some("kube-system"), name) else {
        return;
    };
    let Some(c) = obj.pointer_mut("/spec/template/spec/containers/0") else {
        return;
    };
    if c.get("image").and_then(Value::as_str) == Some(image) {
        return;
    }
    c["image"] = json!(image);
    let _ = cluster.apiserver.update(res, Some("kube-system"), obj);
}

/// "2025-05-29-18-04-05" from the virtual clock.
fn backup_stamp(cluster: &Cluster) -> String {
    let t = cluster.now().rfc3339();
    t.trim_end_matches('Z').replace(['T', ':'], "-")
}

/// "1125 00:42:15.269622   25703" (klog's header after the severity).
fn klog_stamp(cluster: &Cluster) -> String {
    let t = cluster.now().rfc3339();
    let (date, time) = t.trim_end_matches('Z').split_once('T').unwrap_or(("", ""));
    let md: String = date.split('-').skip(1).collect();
    format!("{md} {time}.000000   25703")
}

fn node(session: &mut Session, cluster: &mut Cluster) -> Output {
    let mut out = Output::default();
    let control_plane = cluster
        .machine(&session.node)
        .is_some_and(|m| m.control_plane);
    out.out("[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n[upgrade] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.\n[upgrade/preflight] Running pre-flight checks\n");
    if control_plane {
        out.out("[upgrade/preflight] Pulling images required for setting up a Kubernetes cluster\n[upgrade/control-plane] The control plane instance for this node was successfully upgraded!\n");
    } else {
        out.out("[upgrade/preflight] Skipping prepull. Not a control plane node.\n[upgrade/control-plane] Skipping phase. Not a control plane node.\n[upgrade/kubeconfig] Skipping phase. Not a control plane node.\n");
    }
    out.out(format!(
        "W{} postupgrade.go:117] Using temporary directory /etc/kubernetes/tmp/kubeadm-kubelet-config1702581442 for kubelet config. To override it set the environment variable KUBEADM_UPGRADE_DRYRUN_DIR\n",
        klog_stamp(cluster)
    ));
    out.out("[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-config1702581442/config.yaml\n[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"\n[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!\n");
    if !control_plane {
        out.out("[upgrade/addon] Skipping the addon/coredns phase. Not a control plane node.\n[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node.\n");
    }
    out.out("[upgrade] The configuration for this node was successfully upgraded!\n[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.\n");
    out
}
