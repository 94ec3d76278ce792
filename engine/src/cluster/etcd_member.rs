//! The etcd member's data directory, as its static pod manifest says.
//!
//! The CKA restore exercise is: `etcdutl snapshot restore snap.db
//! --data-dir /var/lib/etcd-from-backup`, then edit
//! `/etc/kubernetes/manifests/etcd.yaml` so etcd reads that directory. On a
//! real node the kubelet then restarts etcd on the new data. Here, when the
//! manifest's data directory (the `--data-dir` flag, through the
//! `etcd-data` volume's `hostPath`) differs from the one in use, the store
//! in use is written back to its directory (`member/snap/db`) and the store
//! is swapped for the one in the new directory.
//!
//! A `--data-dir` that no volume mounts lives in the container's own
//! file system, which is empty: etcd starts with no data, as the real one
//! does when only the flag was edited (a classic mistake that empties the
//! cluster).

use super::Cluster;
use crate::etcd::Store;
use serde_json::Value;

/// The manifest that runs etcd on a kubeadm control plane.
pub const ETCD_MANIFEST: &str = "/etc/kubernetes/manifests/etcd.yaml";
/// Where kubeadm puts etcd's data.
pub const DEFAULT_DATA_DIR: &str = "/var/lib/etcd";
/// The database file inside a data directory.
pub fn db_path(dir: &str) -> String {
    format!("{}/member/snap/db", dir.trim_end_matches('/'))
}

/// Where etcd's data lives, from the manifest: a host path, or
/// `None` when the data directory is not on a mounted volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataDir {
    Host(String),
    /// Inside the container (lost when it restarts).
    Container(String),
}

/// Reads the data directory from an etcd static-pod manifest.
pub fn data_dir_of(manifest: &str) -> Option<DataDir> {
    let docs = crate::yaml::parse_documents(manifest).ok()?;
    let pod = docs.first()?;
    let container = pod.pointer("/spec/containers/0")?;
    let flag = container
        .get("command")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            container
                .get("args")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .filter_map(Value::as_str)
        .find_map(|a| a.strip_prefix("--data-dir="))
        .unwrap_or("/default.etcd")
        .trim_end_matches('/')
        .to_string();
    let mounts = container.get("volumeMounts").and_then(Value::as_array)?;
    // The most specific mount holding the directory.
    let mount = mounts
        .iter()
        .filter_map(|m| {
            let path = m.get("mountPath")?.as_str()?.trim_end_matches('/');
            let rest = flag.strip_prefix(path)?;
            let name = m.get("name")?.as_str()?;
            (rest.is_empty() || rest.starts_with('/')).then(|| (path.len(), name, rest.to_string()))
        })
        .max_by_key(|(len, _, _)| *len);
    let Some((_, volume, rest)) = mount else {
        return Some(DataDir::Container(flag));
    };
    let host = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(volume))?
        .pointer("/hostPath/path")?
        .as_str()?
        .trim_end_matches('/')
        .to_string();
    Some(DataDir::Host(format!("{host}{rest}")))
}

impl Cluster {
    /// Follows the etcd manifest to its data directory (see the module doc).
    #[allow(clippy::unwrap_or_default)]
    pub(crate) fn sync_etcd_data_dir(&mut self) {
        let Some(cp) = self.machines.values().find(|m| m.control_plane) else {
            return;
        };
        let host = cp.hostname.clone();
        let text = cp.fs.read_to_string(ETCD_MANIFEST).ok();
        // Parsed again only when the manifest's text changed (every settle reads it).
        let parsed = match (&self.etcd_manifest_memo, &text) {
            (Some((seen, dir)), Some(t)) if seen == t => dir.clone(),
            _ => {
                let dir = text.as_deref().and_then(data_dir_of);
                self.etcd_manifest_memo = text.map(|t| (t, dir.clone()));
                dir
            }
        };
        let Some(wanted) = parsed else {
            // No (readable) manifest: etcd is not running; the store stays.
            return;
        };
        if wanted == self.etcd_data_dir {
            return;
        }
        let current = self.apiserver.store().snapshot();
        let next = match &wanted {
            DataDir::Host(dir) => self
                .machines
                .get(&host)
                .and_then(|m| m.fs.read(&db_path(dir)).ok())
                .and_then(|blob| Store::restore(blob).ok())
                // `Store::new` starts at revision 1, as etcd does; `Default` is empty.
                .unwrap_or_else(Store::new),
            DataDir::Container(_) => Store::new(),
        };
        if let (DataDir::Host(old), Some(m)) = (&self.etcd_data_dir, self.machines.get_mut(&host)) {
            let _ = m.fs.mkdir_p(&format!("{old}/member/snap"));
            let _ = m.fs.write(&db_path(old), &current, false);
        }
        let now = self.clock.now();
        if let Some(m) = self.machines.get_mut(&host) {
            m.etcd_data_switched = Some(now);
        }
        self.apiserver.etcd_replace(next);
        self.etcd_data_dir = wanted;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(flag: &str, mount: &str, host: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\nspec:\n  containers:\n  - command:\n    - etcd\n    - --data-dir={flag}\n    name: etcd\n    volumeMounts:\n    - mountPath: {mount}\n      name: etcd-data\n    - mountPath: /etc/kubernetes/pki/etcd\n      name: etcd-certs\n  volumes:\n  - hostPath:\n      path: {host}\n      type: DirectoryOrCreate\n    name: etcd-data\n  - hostPath:\n      path: /etc/kubernetes/pki/etcd\n    name: etcd-certs\n"
        )
    }

    #[test]
    fn data_dir_follows_flag_mount_and_host_path() {
        let cases = [
            (
                "/var/lib/etcd",
                "/var/lib/etcd",
                "/var/lib/etcd",
                DataDir::Host("/var/lib/etcd".into()),
            ),
            // Only the host path changed: the usual fix.
            (
                "/var/lib/etcd",
                "/var/lib/etcd",
                "/var/lib/etcd-from-backup",
                DataDir::Host("/var/lib/etcd-from-backup".into()),
            ),
            // Flag and mount changed together.
            (
                "/var/lib/etcd-from-backup",
                "/var/lib/etcd-from-backup",
                "/var/lib/etcd-from-backup",
                DataDir::Host("/var/lib/etcd-from-backup".into()),
            ),
            // Only the flag changed: the directory is inside the container.
            (
                "/var/lib/etcd-from-backup",
                "/var/lib/etcd",
                "/var/lib/etcd",
                DataDir::Container("/var/lib/etcd-from-backup".into()),
            ),
            // A subdirectory of the mount.
            (
                "/var/lib/etcd/restored",
                "/var/lib/etcd",
                "/data",
                DataDir::Host("/data/restored".into()),
            ),
        ];
        for (flag, mount, host, want) in cases {
            assert_eq!(
                data_dir_of(&manifest(flag, mount, host)),
                Some(want),
                "{flag} {mount} {host}"
            );
        }
        assert_eq!(data_dir_of("not: [yaml"), None);
    }
}
