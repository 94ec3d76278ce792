//! The node's Debian packages from the Kubernetes apt repository
//! (pkgs.k8s.io): which kubeadm, kubelet and kubectl are installed, which
//! are held (`apt-mark hold`), and which versions the last `apt-get update`
//! saw. A cluster upgrade is practised with these exactly as on a kubeadm
//! machine: the repository has one channel per minor version, chosen by
//! the line in /etc/apt/sources.list.d/kubernetes.list, so moving to the
//! next minor means editing that line and running `apt-get update`.

use std::collections::{BTreeMap, BTreeSet};

/// The packages kubeadm's install guide puts on every node, held.
pub const KUBE_PACKAGES: [&str; 3] = ["kubeadm", "kubectl", "kubelet"];

/// The apt source list kubeadm's install guide writes.
pub const SOURCES_LIST: &str = "/etc/apt/sources.list.d/kubernetes.list";

/// The line of [`SOURCES_LIST`] for a minor version ("1.33").
pub fn sources_line(minor: &str) -> String {
    format!(
        "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v{minor}/deb/ /\n"
    )
}

/// The repository URL apt prints for a channel.
pub fn channel_url(minor: &str) -> String {
    format!("https://pkgs.k8s.io/core:/stable:/v{minor}/deb")
}

/// One Kubernetes release as kubeadm sees it: the version and the etcd and
/// CoreDNS images its `kubeadm upgrade` installs (kubeadm's constants for
/// that release).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    /// "1.33.5", without the "v".
    pub version: &'static str,
    pub etcd: &'static str,
    pub coredns: &'static str,
}

const fn r(version: &'static str, etcd: &'static str, coredns: &'static str) -> Release {
    Release {
        version,
        etcd,
        coredns,
    }
}

/// The releases the simulated repository and registry know, oldest first.
/// Patch releases per channel as published by the Kubernetes project
/// (v1.33.6 moved etcd to 3.5.24-0).
pub const RELEASES: &[Release] = &[
    r("1.32.0", "3.5.16-0", "v1.11.3"),
    r("1.32.1", "3.5.16-0", "v1.11.3"),
    r("1.32.2", "3.5.16-0", "v1.11.3"),
    r("1.32.3", "3.5.16-0", "v1.11.3"),
    r("1.32.4", "3.5.16-0", "v1.11.3"),
    r("1.32.5", "3.5.16-0", "v1.11.3"),
    r("1.33.0", "3.5.21-0", "v1.12.0"),
    r("1.33.1", "3.5.21-0", "v1.12.0"),
    r("1.33.2", "3.5.21-0", "v1.12.0"),
    r("1.33.3", "3.5.21-0", "v1.12.0"),
    r("1.33.4", "3.5.21-0", "v1.12.0"),
    r("1.33.5", "3.5.21-0", "v1.12.0"),
    r("1.33.6", "3.5.24-0", "v1.12.0"),
    r("1.34.0", "3.6.4-0", "v1.12.1"),
    r("1.34.1", "3.6.4-0", "v1.12.1"),
    r("1.34.2", "3.6.5-0", "v1.12.1"),
];

/// The release of a version written "v1.33.5" or "1.33.5".
pub fn release(version: &str) -> Option<&'static Release> {
    let v = version.strip_prefix('v').unwrap_or(version);
    RELEASES.iter().find(|r| r.version == v)
}

/// "1.33" of "1.33.5" (or of "v1.33.5").
pub fn minor_of(version: &str) -> &str {
    let v = version.strip_prefix('v').unwrap_or(version);
    match v.match_indices('.').nth(1) {
        Some((i, _)) => &v[..i],
        None => v,
    }
}

/// (major, minor, patch) for ordering versions; unparsable parts are 0.
pub fn parts(version: &str) -> (u32, u32, u32) {
    let v = version.strip_prefix('v').unwrap_or(version);
    let v = v.split('-').next().unwrap_or(v);
    let mut it = v.split('.').map(|p| p.parse().unwrap_or(0));
    (
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
    )
}

/// The releases of one channel ("1.33"), newest first, as `apt-cache
/// madison` lists them.
pub fn channel(minor: &str) -> Vec<&'static Release> {
    RELEASES
        .iter()
        .rev()
        .filter(|r| minor_of(r.version) == minor)
        .collect()
}

/// The Debian version of a release: "1.33.5-1.1".
pub fn deb_version(version: &str) -> String {
    format!("{}-1.1", version.strip_prefix('v').unwrap_or(version))
}

/// "1.33.5" of the Debian version "1.33.5-1.1".
pub fn upstream(deb: &str) -> &str {
    deb.split('-').next().unwrap_or(deb)
}

/// A node's installed packages and apt's view of the repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packages {
    /// Package → installed Debian version ("1.33.1-1.1").
    pub installed: BTreeMap<String, String>,
    /// `apt-mark hold`.
    pub held: BTreeSet<String>,
    /// The channel the package lists were last fetched from (`apt-get
    /// update`): installing sees only its versions.
    pub lists: String,
}

impl Packages {
    /// A node installed from the channel of `version` at `version`, the
    /// three packages held as the install guide says.
    pub fn installed_at(version: &str) -> Packages {
        let deb = deb_version(version);
        Packages {
            // By insertion: `collect` would instantiate the standard sort.
            installed: crate::sort::map(KUBE_PACKAGES.iter().map(|p| (p.to_string(), deb.clone()))),
            held: crate::sort::set(KUBE_PACKAGES.iter().map(|p| p.to_string())),
            lists: minor_of(version).to_string(),
        }
    }

    /// The same, with `package` installed at `version` ("v1.32.4").
    pub fn with_package(mut self, package: &str, version: &str) -> Packages {
        self.installed
            .insert(package.to_string(), deb_version(version));
        self
    }

    /// The installed upstream version of a package, "v1.33.1".
    pub fn version_of(&self, package: &str) -> Option<String> {
        self.installed
            .get(package)
            .map(|d| format!("v{}", upstream(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_as_apt_and_kubeadm_write_them() {
        assert_eq!(minor_of("v1.33.5"), "1.33");
        assert_eq!(minor_of("1.34.0"), "1.34");
        assert_eq!(deb_version("v1.33.5"), "1.33.5-1.1");
        assert_eq!(upstream("1.33.5-1.1"), "1.33.5");
        assert!(parts("v1.33.10") > parts("1.33.9"));
        assert_eq!(
            channel("1.33").first().map(|r| r.version),
            Some("1.33.6"),
            "madison lists the newest first"
        );
        assert_eq!(release("v1.33.6").map(|r| r.etcd), Some("3.5.24-0"));
        assert_eq!(release("v1.40.0"), None);
    }
}
