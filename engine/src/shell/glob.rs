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

/// One element of a pattern: each matches exactly one character, except
/// `Star`, which matches any run of them.
enum Token {
    Star,
    Any,
    /// `[…]`: (negated, members), a range kept as `lo-hi`.
    Set(bool, Vec<char>),
    Char(char),
}

fn tokens(pattern: &str) -> Vec<Token> {
    let p: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = p.get(i) {
        i += 1;
        out.push(match c {
            '*' => Token::Star,
            '?' => Token::Any,
            // The set ends at the first `]` after at least one member; an
            // unclosed `[` is a literal.
            '[' => match p.iter().skip(i + 1).position(|&c| c == ']') {
                Some(len) => {
                    let set = p.get(i..=i + len).unwrap_or_default();
                    i += len + 2;
                    match set.split_first() {
                        Some(('!' | '^', members)) => Token::Set(true, members.to_vec()),
                        _ => Token::Set(false, set.to_vec()),
                    }
                }
                None => Token::Char('['),
            },
            c => Token::Char(c),
        });
    }
    out
}

impl Token {
    /// Whether this one-character token matches `c` (`Star` never is asked).
    fn accepts(&self, c: char) -> bool {
        match self {
            Token::Star | Token::Any => true,
            Token::Char(p) => *p == c,
            Token::Set(negate, members) => {
                let mut set = members.as_slice();
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
                hit != *negate
            }
        }
    }
}

/// fnmatch without flags: `*`, `?`, `[…]` (with `!`/`^` and ranges).
///
/// Linear in pattern × name: on a mismatch only the last `*` is retried one
/// character further (a later `*` can match whatever an earlier one would
/// have), so `*****…*x` against a long name cannot take exponential time.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p = tokens(pattern);
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    // Where to resume after the last `*`: (token after it, name position).
    let mut retry: Option<(usize, usize)> = None;
    loop {
        match (p.get(pi), n.get(ni)) {
            (Some(Token::Star), _) => {
                pi += 1;
                retry = Some((pi, ni));
                continue;
            }
            (Some(t), Some(&c)) if t.accepts(c) => {
                pi += 1;
                ni += 1;
                continue;
            }
            (None, None) => return true,
            _ => {}
        }
        match retry {
            Some((rp, rn)) if rn < n.len() => {
                retry = Some((rp, rn + 1));
                (pi, ni) = (rp, rn + 1);
            }
            _ => return false,
        }
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
        assert!(matches("a*b*c", "aXbYbc"));
        assert!(!matches("a*b*c", "aXbYb"));
        assert!(matches("[ab", "[ab"));
        assert!(matches("*[]]*", "x]y"));
        assert!(matches("[^a]?", "bc"));
        assert!(!matches("?", ""));
    }

    /// Found by the `shell` fuzz target: `ls` of a word of 45 stars took
    /// longer than the fuzzer's 20 s (the matcher retried every split of the
    /// name for every `*`).
    #[test]
    fn many_stars_match_in_linear_time() {
        let stars = "*".repeat(45);
        let name = "x".repeat(200);
        assert!(!matches(&format!("{stars}y"), &name));
        assert!(matches(&format!("{stars}x"), &name));
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
