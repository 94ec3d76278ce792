//! A node's file system: an in-memory tree of directories and files with
//! modes, enough for what CKA work does on a machine — manifests in
//! `/etc/kubernetes/manifests`, the kubelet's config, pki files, `/tmp`
//! scratch files, etcd snapshots.

use crate::maps::BoxedMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Dir { mode: u32 },
    File { content: Vec<u8>, mode: u32 },
}

/// File-system errors, worded as coreutils words them after `cmd: path: `.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    Exists,
    NotEmpty,
}

impl FsError {
    pub fn text(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotADirectory => "Not a directory",
            FsError::IsADirectory => "Is a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
        }
    }
}

#[derive(Clone, Debug)]
pub struct FileSystem {
    /// Absolute, normalized paths (`/`, `/etc`, `/etc/hosts`).
    entries: BoxedMap<Entry>,
    /// Its contents' version (see [`FileSystem::version`]).
    version: u64,
}

/// Versions are drawn from one counter for every file system, so two file
/// systems share a version only when one is a copy of the other, untouched.
static VERSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_version() -> u64 {
    VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Two file systems are equal when they hold the same files, whatever
/// their histories.
impl PartialEq for FileSystem {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for FileSystem {}

impl Default for FileSystem {
    fn default() -> Self {
        let mut fs = FileSystem {
            entries: BoxedMap::new(),
            version: next_version(),
        };
        fs.entries
            .insert("/".into(), Box::new(Entry::Dir { mode: 0o755 }));
        fs
    }
}

/// Joins `path` onto `cwd` and resolves `.` and `..`, as the kernel does
/// for a path without symlinks.
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "/",
    }
}

impl FileSystem {
    /// A version of the contents: every call that may change them (a
    /// write, removal, rename, mode change, failed ones included) takes a
    /// new one, never used before by any file system. A reader that saw
    /// this version saw these files: the kubelet and the scheduler skip
    /// rereading a node's files while it stays. (Only ever compared for
    /// equality, never shown: it does not touch determinism.)
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path).map(|e| &**e)
    }

    fn get_mut(&mut self, path: &str) -> Option<&mut Entry> {
        self.entries.get_mut(path).map(|e| &mut **e)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Entry::Dir { .. }))
    }

    pub fn is_file(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Entry::File { .. }))
    }

    pub fn read(&self, path: &str) -> Result<&[u8], FsError> {
        match self.get(path) {
            Some(Entry::File { content, .. }) => Ok(content),
            Some(Entry::Dir { .. }) => Err(FsError::IsADirectory),
            None => Err(self.missing_error(path)),
        }
    }

    pub fn read_to_string(&self, path: &str) -> Result<String, FsError> {
        self.read(path)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// Whether a missing path is missing itself or below a file.
    fn missing_error(&self, path: &str) -> FsError {
        let mut p = parent(path);
        loop {
            match self.get(p) {
                Some(Entry::File { .. }) => return FsError::NotADirectory,
                Some(Entry::Dir { .. }) => return FsError::NotFound,
                None if p == "/" => return FsError::NotFound,
                None => p = parent(p),
            }
        }
    }

    /// Writes (or appends to) a file; its directory must exist.
    pub fn write(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), FsError> {
        self.version = next_version();
        let dir = parent(path);
        if !self.is_dir(dir) {
            return Err(self.missing_error(path));
        }
        match self.get_mut(path) {
            Some(Entry::Dir { .. }) => Err(FsError::IsADirectory),
            Some(Entry::File { content, .. }) => {
                if !append {
                    content.clear();
                }
                content.extend_from_slice(data);
                Ok(())
            }
            None => {
                self.entries.insert(
                    path.to_string(),
                    Box::new(Entry::File {
                        content: data.to_vec(),
                        mode: 0o644,
                    }),
                );
                Ok(())
            }
        }
    }

    /// `mkdir -p`: creates the directory and its parents.
    pub fn mkdir_p(&mut self, path: &str) -> Result<(), FsError> {
        self.version = next_version();
        let mut cur = String::new();
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            cur.push('/');
            cur.push_str(seg);
            match self.get(&cur) {
                Some(Entry::Dir { .. }) => {}
                Some(Entry::File { .. }) => return Err(FsError::Exists),
                None => {
                    self.entries
                        .insert(cur.clone(), Box::new(Entry::Dir { mode: 0o755 }));
                }
            }
        }
        Ok(())
    }

    /// `mkdir` without `-p`.
    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        self.version = next_version();
        if self.entries.contains_key(path) {
            return Err(FsError::Exists);
        }
        if !self.is_dir(parent(path)) {
            return Err(self.missing_error(path));
        }
        self.entries
            .insert(path.to_string(), Box::new(Entry::Dir { mode: 0o755 }));
        Ok(())
    }

    /// Writes a file, creating its directories (for set-up, not for commands).
    pub fn install(&mut self, path: &str, content: &str, mode: u32) {
        self.version = next_version();
        let _ = self.mkdir_p(parent(path));
        self.entries.insert(
            path.to_string(),
            Box::new(Entry::File {
                content: content.as_bytes().to_vec(),
                mode,
            }),
        );
    }

    /// Removes a file, or a directory with everything below it when `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        self.version = next_version();
        match self.get(path) {
            None => Err(self.missing_error(path)),
            Some(Entry::File { .. }) => {
                self.entries.remove(path);
                Ok(())
            }
            Some(Entry::Dir { .. }) => {
                if !recursive {
                    return Err(FsError::IsADirectory);
                }
                if path == "/" {
                    return Err(FsError::NotEmpty);
                }
                let prefix = format!("{path}/");
                self.entries
                    .retain(|k, _| k != path && !k.starts_with(&prefix));
                Ok(())
            }
        }
    }

    /// Moves a file or directory (with its contents) to a new path.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        self.version = next_version();
        if !self.entries.contains_key(from) {
            return Err(self.missing_error(from));
        }
        if !self.is_dir(parent(to)) {
            return Err(self.missing_error(to));
        }
        let prefix = format!("{from}/");
        let moved: Vec<(String, Box<Entry>)> = self
            .entries
            .iter()
            .filter(|(k, _)| *k == from || k.starts_with(&prefix))
            .map(|(k, v)| (format!("{to}{}", &k[from.len()..]), v.clone()))
            .collect();
        self.entries
            .retain(|k, _| k != from && !k.starts_with(&prefix));
        self.entries.extend(moved);
        Ok(())
    }

    /// Names directly inside a directory, sorted.
    pub fn list(&self, dir: &str) -> Result<Vec<String>, FsError> {
        match self.get(dir) {
            Some(Entry::Dir { .. }) => {}
            Some(Entry::File { .. }) => return Err(FsError::NotADirectory),
            None => return Err(self.missing_error(dir)),
        }
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        Ok(self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| &k[prefix.len()..])
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(String::from)
            .collect())
    }

    /// Every path below `dir` (itself included), in order: what `find` walks.
    pub fn walk(&self, dir: &str) -> Vec<String> {
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        let mut out = vec![dir.to_string()];
        out.extend(
            self.entries
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(k, _)| k.clone()),
        );
        out
    }

    pub fn set_mode(&mut self, path: &str, new_mode: u32) -> Result<(), FsError> {
        self.version = next_version();
        match self.get_mut(path) {
            Some(Entry::Dir { mode }) | Some(Entry::File { mode, .. }) => {
                *mode = new_mode;
                Ok(())
            }
            None => Err(FsError::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(normalize("/root", "a/../b/./c"), "/root/b/c");
        assert_eq!(normalize("/root", "/etc/kubernetes/"), "/etc/kubernetes");
        assert_eq!(normalize("/", ".."), "/");
    }

    #[test]
    fn files_and_directories() {
        let mut fs = FileSystem::default();
        assert_eq!(fs.write("/tmp/x", b"1", false), Err(FsError::NotFound));
        fs.mkdir_p("/tmp/a/b").unwrap_or_default();
        fs.write("/tmp/a/b/x.yaml", b"one\n", false)
            .unwrap_or_default();
        fs.write("/tmp/a/b/x.yaml", b"two\n", true)
            .unwrap_or_default();
        assert_eq!(
            fs.read_to_string("/tmp/a/b/x.yaml").unwrap_or_default(),
            "one\ntwo\n"
        );
        assert_eq!(fs.read("/tmp/a/b/x.yaml/y"), Err(FsError::NotADirectory));
        assert_eq!(fs.list("/tmp/a").unwrap_or_default(), vec!["b"]);
        assert_eq!(fs.remove("/tmp/a", false), Err(FsError::IsADirectory));
        fs.rename("/tmp/a", "/tmp/c").unwrap_or_default();
        assert!(fs.is_file("/tmp/c/b/x.yaml") && !fs.is_dir("/tmp/a"));
        fs.remove("/tmp/c", true).unwrap_or_default();
        assert_eq!(fs.list("/tmp").unwrap_or_default(), Vec::<String>::new());
        assert_eq!(fs.mkdir("/tmp"), Err(FsError::Exists));
    }
}
