//! Pathname expansion (`*`, `?`, `[abc]`) as bash does it: an unquoted
//! word with a pattern becomes the sorted paths it matches; a pattern that
//! matches nothing stays as written. `*` does not match a leading dot.

use crate::node::fs::{self, FileSystem};

/// Whether an unquoted word would be expanded.
pub fn is_pattern(word: &str) -> bool {
    word.contains(['*', '?', '['])
}

/// The matches of `pattern` (relative to `cwd` unless absolute), sorted;
/// empty when nothing matches.
pub fn expand(fsys: &FileSystem, cwd: &str, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let base = if absolute {
        "/".to_string()
    } else {
        cwd.to_string()
    };
    // (path on the machine, path as the learner wrote it)
    let mut found: Vec<(String, String)> = vec![(base, String::new())];
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let mut next = Vec::new();
        for (dir, shown) in &found {
            let join = |name: &str| {
                let real = fs::normalize(dir, name);
                let shown = if shown.is_empty() {
                    if absolute {
                        format!("/{name}")
                    } else {
                        name.to_string()
                    }
                } else {
                    format!("{shown}/{name}")
                };
                (real, shown)
            };
            if !is_pattern(part) {
                let (real, s) = join(part);
                if (last && fsys.get(&real).is_some()) || fsys.is_dir(&real) {
                    next.push((real, s));
                }
                continue;
            }
            let Ok(mut names) = fsys.list(dir) else {
                continue;
            };
            crate::sort::sort(&mut names);
            for name in names {
                if name.starts_with('.') && !part.starts_with('.') {
                    continue;
                }
                if matches(part, &name) {
                    let (real, s) = join(&name);
                    if last || fsys.is_dir(&real) {
                        next.push((real, s));
                    }
                }
            }
        }
        found = next;
    }
    if parts.is_empty() {
        return vec![];
    }
    found.into_iter().map(|(_, s)| s).collect()
}

/// fnmatch without flags: `*`, `?`, `[…]` (with `!`/`^` and ranges).
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> bool {
    let Some((&first, p_rest)) = p.split_first() else {
        return n.is_empty();
    };
    let n_rest = n.get(1..).unwrap_or_default();
    match first {
        '*' => (0..=n.len()).any(|k| match_from(p_rest, n.get(k..).unwrap_or_default())),
        '?' => !n.is_empty() && match_from(p_rest, n_rest),
        '[' => {
            // The set ends at the first `]` after at least one member.
            let Some(close) = p.iter().skip(2).position(|&c| c == ']').map(|i| i + 2) else {
                return n.first() == Some(&'[') && match_from(p_rest, n_rest);
            };
            let Some(&c) = n.first() else {
                return false;
            };
            let (set, after) = (
                p.get(1..close).unwrap_or_default(),
                p.get(close + 1..).unwrap_or_default(),
            );
            let (negate, mut set) = match set.split_first() {
                Some(('!' | '^', members)) => (true, members),
                _ => (false, set),
            };
            let mut hit = false;
            while let [m, rest @ ..] = set {
                if let [lo, '-', hi, after_range @ ..] = set {
                    hit |= *lo <= c && c <= *hi;
                    set = after_range;
                } else {
                    hit |= *m == c;
                    set = rest;
                }
            }
            hit != negate && match_from(after, n_rest)
        }
        c => n.first() == Some(&c) && match_from(p_rest, n_rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch() {
        assert!(matches("*.yaml", "pod.yaml"));
        assert!(!matches("*.yaml", "pod.yml"));
        assert!(matches("kube-?pi*", "kube-api.yaml"));
        assert!(matches("[a-c]x", "bx"));
        assert!(!matches("[!a-c]x", "bx"));
        assert!(matches("*", ""));
    }

    #[test]
    fn expands_against_the_node_file_system() {
        let mut f = FileSystem::default();
        for p in [
            "/etc/kubernetes/manifests/etcd.yaml",
            "/etc/kubernetes/manifests/kube-apiserver.yaml",
            "/root/a.yaml",
            "/root/.hidden.yaml",
            "/root/b.txt",
        ] {
            f.install(p, "x", 0o644);
        }
        assert_eq!(expand(&f, "/root", "*.yaml"), vec!["a.yaml"]);
        assert_eq!(expand(&f, "/root", ".*.yaml"), vec![".hidden.yaml"]);
        assert_eq!(
            expand(&f, "/root", "/etc/kubernetes/manifests/*.yaml"),
            vec![
                "/etc/kubernetes/manifests/etcd.yaml",
                "/etc/kubernetes/manifests/kube-apiserver.yaml"
            ]
        );
        assert_eq!(
            expand(&f, "/", "etc/*/manifests/kube-*"),
            vec!["etc/kubernetes/manifests/kube-apiserver.yaml"]
        );
        assert!(expand(&f, "/root", "*.json").is_empty());
    }
}
