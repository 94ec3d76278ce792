//! File and text commands on the session's machine, with coreutils' own
//! messages (`cat: x: No such file or directory`).

use super::{session_fs, session_fs_mut, Session};
use crate::cluster::Cluster;
use crate::node::fs::{self, Entry, FileSystem};
use crate::output::Output;
use std::cmp::Ordering;

pub fn run(
    session: &mut Session,
    cluster: &mut Cluster,
    name: &str,
    args: &[String],
    stdin: Option<String>,
) -> Output {
    let cwd = session.cwd.clone();
    let (flags, operands): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.starts_with('-') && a.len() > 1);
    let has = |c: char| flags.iter().any(|f| !f.starts_with("--") && f.contains(c));
    let long = |l: &str| flags.iter().any(|f| f.as_str() == l);
    let mut out = Output::default();
    let fail = |out: &mut Output, msg: String| {
        out.err(format!("{msg}\n"));
        out.status = 1;
    };
    match name {
        "cat" => {
            let Some(fsys) = session_fs(session, cluster) else {
                return out;
            };
            if operands.is_empty() {
                out.out(stdin.clone().unwrap_or_default());
            }
            for op in operands {
                if op == "-" {
                    out.out(stdin.clone().unwrap_or_default());
                    continue;
                }
                match fsys.read_to_string(&fs::normalize(&cwd, op)) {
                    Ok(t) => out.out(t),
                    Err(e) => fail(&mut out, format!("cat: {op}: {}", e.text())),
                }
            }
        }
        "ls" => {
            let Some(fsys) = session_fs(session, cluster) else {
                return out;
            };
            let all = has('a');
            let long_fmt = has('l');
            let mut targets: Vec<String> = if operands.is_empty() {
                vec![".".into()]
            } else {
                operands.iter().map(|s| s.to_string()).collect()
            };
            let many = targets.len() > 1;
            // GNU ls reports missing operands as it meets them, then lists
            // the file operands, then the directories, each group sorted.
            let group = |t: &String| match fsys.get(&fs::normalize(&cwd, t)) {
                None => 0,
                Some(Entry::Dir { .. }) => 2,
                Some(_) => 1,
            };
            crate::sort::sort_by(&mut targets, |a, b| {
                let (ga, gb) = (group(a), group(b));
                ga.cmp(&gb)
                    .then_with(|| if ga == 0 { Ordering::Equal } else { a.cmp(b) })
            });
            let mut listed_before = false;
            for t in targets.iter() {
                let path = fs::normalize(&cwd, t);
                let entry = fsys.get(&path);
                let separator = if listed_before { "\n" } else { "" };
                listed_before |= entry.is_some();
                match entry {
                    None => {
                        fail(
                            &mut out,
                            format!("ls: cannot access '{t}': No such file or directory"),
                        );
                        // GNU ls: 2 is "serious trouble", e.g. a missing operand.
                        out.status = 2;
                    }
                    Some(Entry::File { .. }) => out.out(if long_fmt {
                        format!("{}\n", long_line(fsys, &path, t))
                    } else {
                        format!("{t}\n")
                    }),
                    Some(Entry::Dir { .. }) => {
                        if many {
                            out.out(format!("{separator}{t}:\n"));
                        }
                        let mut names = fsys.list(&path).unwrap_or_default();
                        if all {
                            names.splice(0..0, [".".to_string(), "..".to_string()]);
                        } else {
                            names.retain(|n| !n.starts_with('.'));
                        }
                        if long_fmt {
                            out.out(format!("total {}\n", names.len() * 4));
                            for n in &names {
                                let child = fs::normalize(&path, n);
                                out.out(format!("{}\n", long_line(fsys, &child, n)));
                            }
                        } else if !names.is_empty() {
                            // Not a terminal: one name per line, as `ls | …` prints.
                            out.out(names.join("\n") + "\n");
                        }
                    }
                }
            }
        }
        "mkdir" => {
            let Some(fsys) = session_fs_mut(session, cluster) else {
                return out;
            };
            if operands.is_empty() {
                return out
                    .fail("mkdir: missing operand\nTry 'mkdir --help' for more information.");
            }
            for op in operands {
                let path = fs::normalize(&cwd, op);
                let r = if has('p') || long("--parents") {
                    fsys.mkdir_p(&path)
                } else {
                    fsys.mkdir(&path)
                };
                if let Err(e) = r {
                    fail(
                        &mut out,
                        format!("mkdir: cannot create directory '{op}': {}", e.text()),
                    );
                }
            }
        }
        "rm" => {
            let Some(fsys) = session_fs_mut(session, cluster) else {
                return out;
            };
            let force = has('f');
            let recursive = has('r') || has('R') || long("--recursive");
            if operands.is_empty() && !force {
                return out.fail("rm: missing operand\nTry 'rm --help' for more information.");
            }
            for op in operands {
                let path = fs::normalize(&cwd, op);
                match fsys.remove(&path, recursive) {
                    Ok(()) => {}
                    Err(fs::FsError::NotFound) if force => {}
                    Err(fs::FsError::IsADirectory) => fail(
                        &mut out,
                        format!("rm: cannot remove '{op}': Is a directory"),
                    ),
                    Err(e) => fail(&mut out, format!("rm: cannot remove '{op}': {}", e.text())),
                }
            }
        }
        "touch" => {
            let Some(fsys) = session_fs_mut(session, cluster) else {
                return out;
            };
            for op in operands {
                let path = fs::normalize(&cwd, op);
                if !fsys.is_file(&path) && !fsys.is_dir(&path) {
                    if let Err(e) = fsys.write(&path, b"", true) {
                        fail(
                            &mut out,
                            format!("touch: cannot touch '{op}': {}", e.text()),
                        );
                    }
                }
            }
        }
        "cp" | "mv" => {
            let Some(fsys) = session_fs_mut(session, cluster) else {
                return out;
            };
            let (dest, sources) = match operands.split_last() {
                Some((dest, sources)) if !sources.is_empty() => (dest, sources),
                _ => return out.fail(format!("{name}: missing destination file operand after '{}'\nTry '{name} --help' for more information.", operands.first().map(|s| s.as_str()).unwrap_or(""))),
            };
            let dest_path = fs::normalize(&cwd, dest);
            for src in sources {
                let src_path = fs::normalize(&cwd, src);
                let base = src_path.rsplit('/').next().unwrap_or("");
                let target = if fsys.is_dir(&dest_path) {
                    fs::normalize(&dest_path, base)
                } else {
                    dest_path.clone()
                };
                let r = if name == "mv" {
                    fsys.rename(&src_path, &target)
                } else if fsys.is_dir(&src_path) {
                    if !has('r') && !has('R') && !has('a') {
                        fail(
                            &mut out,
                            format!("cp: -r not specified; omitting directory '{src}'"),
                        );
                        continue;
                    }
                    copy_tree(fsys, &src_path, &target)
                } else {
                    fsys.read(&src_path)
                        .map(|d| d.to_vec())
                        .and_then(|d| fsys.write(&target, &d, false))
                };
                if let Err(e) = r {
                    fail(
                        &mut out,
                        format!("{name}: cannot stat '{src}': {}", e.text()),
                    );
                }
            }
        }
        "head" | "tail" => {
            let Some(fsys) = session_fs(session, cluster) else {
                return out;
            };
            let mut n: usize = 10;
            let mut files = Vec::new();
            let mut i = 0;
            while let Some(a) = args.get(i) {
                if a == "-n" {
                    n = args
                        .get(i + 1)
                        .and_then(|v| v.trim_start_matches('+').parse().ok())
                        .unwrap_or(10);
                    i += 2;
                    continue;
                }
                if let Some(v) = a
                    .strip_prefix("-n")
                    .or_else(|| a.strip_prefix('-'))
                    .filter(|v| v.parse::<usize>().is_ok())
                {
                    n = v.parse().unwrap_or(10);
                } else {
                    files.push(a.clone());
                }
                i += 1;
            }
            let texts: Vec<Result<String, String>> = if files.is_empty() {
                vec![Ok(stdin.unwrap_or_default())]
            } else {
                files
                    .iter()
                    .map(|f| {
                        fsys.read_to_string(&fs::normalize(&cwd, f)).map_err(|e| {
                            format!("{name}: cannot open '{f}' for reading: {}", e.text())
                        })
                    })
                    .collect()
            };
            for t in texts {
                match t {
                    Ok(t) => {
                        let lines: Vec<&str> = t.split_inclusive('\n').collect();
                        let pick: Vec<&str> = if name == "head" {
                            lines.iter().take(n).copied().collect()
                        } else {
                            lines
                                .iter()
                                .skip(lines.len().saturating_sub(n))
                                .copied()
                                .collect()
                        };
                        out.out(pick.concat());
                    }
                    Err(m) => fail(&mut out, m),
                }
            }
        }
        "wc" => {
            let Some(fsys) = session_fs(session, cluster) else {
                return out;
            };
            let text = match operands.first() {
                Some(f) => match fsys.read_to_string(&fs::normalize(&cwd, f)) {
                    Ok(t) => t,
                    Err(e) => return out.fail(format!("wc: {f}: {}", e.text())),
                },
                None => stdin.unwrap_or_default(),
            };
            let lines = text.matches('\n').count();
            let words = text.split_whitespace().count();
            let bytes = text.len();
            let suffix = operands
                .first()
                .map(|f| format!(" {f}"))
                .unwrap_or_default();
            let only: Vec<usize> = [(has('l'), lines), (has('w'), words), (has('c'), bytes)]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, v)| *v)
                .collect();
            if let [only] = only.as_slice() {
                out.out(format!("{only}{suffix}\n"));
            } else {
                let w = [lines, words, bytes]
                    .iter()
                    .map(|v| v.to_string().len())
                    .max()
                    .unwrap_or(1)
                    .max(if suffix.is_empty() { 7 } else { 1 });
                out.out(format!("{lines:>w$} {words:>w$} {bytes:>w$}{suffix}\n"));
            }
        }
        "base64" => {
            let Some(fsys) = session_fs(session, cluster) else {
                return out;
            };
            let decode = has('d') || long("--decode");
            let wrap_zero = args.iter().any(|a| a == "-w0" || a == "--wrap=0")
                || args
                    .windows(2)
                    .any(|w| matches!(w, [flag, n] if flag == "-w" && n == "0"));
            let file = operands.iter().find(|o| o.as_str() != "0");
            let data = match file {
                Some(f) => match fsys.read(&fs::normalize(&cwd, f)) {
                    Ok(d) => d.to_vec(),
                    Err(e) => return out.fail(format!("base64: {f}: {}", e.text())),
                },
                None => stdin.unwrap_or_default().into_bytes(),
            };
            if decode {
                match crate::shell::coreutils::base64_decode(&data) {
                    Some(d) => out.out(String::from_utf8_lossy(&d)),
                    None => return out.fail("base64: invalid input"),
                }
            } else {
                let enc = base64_encode(&data);
                if wrap_zero {
                    out.out(enc);
                } else {
                    for chunk in enc.as_bytes().chunks(76) {
                        out.out(String::from_utf8_lossy(chunk));
                        out.out("\n");
                    }
                }
            }
        }
        _ => {}
    }
    out
}

fn long_line(fsys: &FileSystem, path: &str, shown: &str) -> String {
    match fsys.get(path) {
        Some(Entry::Dir { mode }) => format!(
            "d{} 2 root root 4096 Apr 23 08:00 {shown}",
            mode_string(*mode)
        ),
        Some(Entry::File { content, mode }) => format!(
            "-{} 1 root root {:>4} Apr 23 08:00 {shown}",
            mode_string(*mode),
            content.len()
        ),
        None => shown.to_string(),
    }
}

fn mode_string(mode: u32) -> String {
    "rwxrwxrwx"
        .chars()
        .enumerate()
        .map(|(i, bit)| if mode & (1 << (8 - i)) != 0 { bit } else { '-' })
        .collect()
}

fn copy_tree(fsys: &mut FileSystem, from: &str, to: &str) -> Result<(), fs::FsError> {
    for path in fsys.walk(from) {
        let dest = format!("{to}{}", &path[from.len()..]);
        match fsys.get(&path).cloned() {
            Some(Entry::Dir { .. }) => fsys.mkdir_p(&dest)?,
            Some(Entry::File { content, .. }) => fsys.write(&dest, &content, false)?,
            None => {}
        }
    }
    Ok(())
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[allow(clippy::indexing_slicing)] // chunks(3) are never empty; B64 has 64 entries, indexed by 6 bits
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base64, ignoring line breaks as coreutils does; `None` if invalid.
pub fn base64_decode(data: &[u8]) -> Option<Vec<u8>> {
    let clean: Vec<u8> = data
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        let mut pads = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'=' => {
                    pads += 1;
                    0
                }
                _ => B64.iter().position(|&x| x == c)? as u32,
            };
            n |= v << (18 - 6 * i);
        }
        if chunk.len() < 4 {
            if chunk.len() < 2 {
                return None;
            }
            pads += 4 - chunk.len();
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend(bytes.iter().take(3usize.saturating_sub(pads)));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_coreutils() {
        assert_eq!(base64_encode(b"passwd"), "cGFzc3dk");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert_eq!(base64_decode(b"cGFzc3dk\n"), Some(b"passwd".to_vec()));
        assert_eq!(base64_decode(b"YWI="), Some(b"ab".to_vec()));
        assert_eq!(base64_decode(b"!!!!"), None);
    }
}
