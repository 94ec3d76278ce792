//! `etcdctl` (v3.5, as on a kubeadm v1.33 control plane) against the etcd
//! model. etcd there requires client certificates: without `--cacert`,
//! `--cert` and `--key` the call times out as the real one does.

use super::{session_fs, session_fs_mut, Session};
use crate::cluster::Cluster;
use crate::etcd::{EtcdError, RangeRequest, Store};
use crate::node::fs;
use crate::output::Output;
use crate::shell::coreutils::base64_encode;
use serde_json::json;

const VERSION: &str = "3.5.21";
const CLUSTER_ID: u64 = 0x8d7a_1c2b_5e3f_4a69;
const MEMBER_ID: u64 = 0x6b4f_2a1e_9c8d_7e53;

struct Opts {
    words: Vec<String>,
    prefix: bool,
    keys_only: bool,
    print_value_only: bool,
    count_only: bool,
    limit: usize,
    rev: i64,
    write_out: String,
    cacert: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    data_dir: Option<String>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        words: vec![],
        prefix: false,
        keys_only: false,
        print_value_only: false,
        count_only: false,
        limit: 0,
        rev: 0,
        write_out: "simple".into(),
        cacert: None,
        cert: None,
        key: None,
        data_dir: None,
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if a.starts_with('-') => (n.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let value = |i: &mut usize| -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            let v = args
                .get(*i)
                .cloned()
                .ok_or_else(|| format!("flag needs an argument: {name}"))?;
            *i += 1;
            Ok(v)
        };
        match name.as_str() {
            "--prefix" => o.prefix = true,
            "--keys-only" => o.keys_only = true,
            "--print-value-only" => o.print_value_only = true,
            "--count-only" => o.count_only = true,
            "--limit" => {
                o.limit = value(&mut i)?
                    .parse()
                    .map_err(|_| "invalid argument for --limit".to_string())?
            }
            "--rev" => {
                o.rev = value(&mut i)?
                    .parse()
                    .map_err(|_| "invalid argument for --rev".to_string())?
            }
            "-w" | "--write-out" => o.write_out = value(&mut i)?,
            "--cacert" => o.cacert = Some(value(&mut i)?),
            "--cert" => o.cert = Some(value(&mut i)?),
            "--key" => o.key = Some(value(&mut i)?),
            "--data-dir" => o.data_dir = Some(value(&mut i)?),
            "--endpoints"
            | "--dial-timeout"
            | "--command-timeout"
            | "--name"
            | "--initial-cluster"
            | "--initial-advertise-peer-urls"
            | "--initial-cluster-token"
            | "--wal-dir" => {
                value(&mut i)?;
            }
            "--skip-hash-check" | "--mark-compacted" | "--physical" => {}
            "--insecure-skip-tls-verify" | "--insecure-transport" | "--debug" | "--hex" => {}
            n if n.starts_with('-') => return Err(format!("unknown flag: {n}")),
            _ => o.words.push(a.clone()),
        }
    }
    Ok(o)
}

pub fn run(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    _stdin: Option<String>,
) -> Output {
    let out = Output::default();
    let on_control_plane = cluster
        .machine(&session.node)
        .is_some_and(|m| m.control_plane);
    if !on_control_plane {
        return out
            .fail("bash: etcdctl: command not found")
            .with_status(127);
    }
    if session.env.get("ETCDCTL_API").is_some_and(|v| v == "2") {
        return out.fail(
            "Error: etcdctl with ETCDCTL_API=2 is not supported by this etcd (v3 store only)",
        );
    }
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => return out.fail(format!("Error: {e}")),
    };
    let cmd: Vec<&str> = o.words.iter().map(String::as_str).collect();
    match cmd.as_slice() {
        ["version"] => {
            let mut out = out;
            out.out(format!("etcdctl version: {VERSION}\nAPI version: 3.5\n"));
            return out;
        }
        ["snapshot", "status", file] => {
            return snapshot_status(session, cluster, file, &o.write_out, true)
        }
        ["snapshot", "restore", file] => {
            let mut out = out;
            out.err("Deprecated: Use `etcdutl snapshot restore` instead.\n\n");
            return restore(out, session, cluster, file, o.data_dir.as_deref());
        }
        [] => return out.fail("Error: unknown command \"\" for \"etcdctl\""),
        _ => {}
    }
    // Everything else talks to the server over TLS.
    if let Err(e) = check_tls(session, cluster, &o) {
        cluster.step(crate::clock::Duration::from_secs(5));
        return out.fail(e);
    }
    match cmd.as_slice() {
        ["get", key, rest @ ..] => get(cluster.apiserver.store(), key, rest.first().copied(), &o),
        ["compact" | "compaction", rev] => {
            let rev = match rev.parse::<i64>() {
                Ok(r) => r,
                Err(_) => {
                    return out.fail(format!(
                        "Error: strconv.ParseInt: parsing \"{rev}\": invalid syntax"
                    ))
                }
            };
            match cluster.apiserver.etcd_compact(rev) {
                Ok(()) => {
                    let mut out = out;
                    out.out(format!("compacted revision {rev}\n"));
                    out
                }
                Err(e) => out.fail(server_error(&e)),
            }
        }
        ["compact" | "compaction", ..] => out
            .fail("Error: compaction command needs 1 argument")
            .with_status(128),
        ["put", key, value] => {
            cluster.apiserver.etcd_put(key, value.as_bytes().to_vec());
            let mut out = out;
            out.out("OK\n");
            out
        }
        ["del", key, ..] => {
            let n = cluster.apiserver.etcd_delete(key, o.prefix);
            let mut out = out;
            out.out(format!("{n}\n"));
            out
        }
        ["member", "list"] => {
            let mut out = out;
            let ip = cluster
                .machine(&session.node)
                .map(|m| m.ip.clone())
                .unwrap_or_default();
            let row = [
                format!("{MEMBER_ID:x}"),
                "started".into(),
                session.node.clone(),
                format!("https://{ip}:2380"),
                format!("https://{ip}:2379"),
                "false".into(),
            ];
            if o.write_out == "table" {
                out.out(ascii_table(
                    &[
                        "ID",
                        "STATUS",
                        "NAME",
                        "PEER ADDRS",
                        "CLIENT ADDRS",
                        "IS LEARNER",
                    ],
                    &[row.to_vec()],
                    &[5],
                ));
            } else {
                out.out(format!("{}\n", row.join(", ")));
            }
            out
        }
        ["endpoint", "health"] => {
            let mut out = out;
            out.out(
                "127.0.0.1:2379 is healthy: successfully committed proposal: took = 9.816342ms\n",
            );
            out
        }
        ["endpoint", "status"] => {
            let mut out = out;
            let size = size_text(cluster.apiserver.store().snapshot().len());
            let rev = cluster.apiserver.store().revision();
            let row = vec![
                "127.0.0.1:2379".into(),
                format!("{MEMBER_ID:x}"),
                VERSION.into(),
                size,
                "true".into(),
                "false".into(),
                "2".into(),
                rev.to_string(),
                rev.to_string(),
                String::new(),
            ];
            if o.write_out == "table" {
                out.out(ascii_table(
                    &[
                        "ENDPOINT",
                        "ID",
                        "VERSION",
                        "DB SIZE",
                        "IS LEADER",
                        "IS LEARNER",
                        "RAFT TERM",
                        "RAFT INDEX",
                        "RAFT APPLIED INDEX",
                        "ERRORS",
                    ],
                    &[row],
                    &[2, 3, 4, 5, 6, 7, 8],
                ));
            } else {
                out.out(format!(
                    "{}, \n",
                    row.get(..9).unwrap_or_default().join(", ")
                ));
            }
            out
        }
        ["snapshot", "save", file] => {
            let blob = cluster.apiserver.store().snapshot();
            let path = fs::normalize(&session.cwd, file);
            let mut out = out;
            match session_fs_mut(session, cluster).map(|f| f.write(&path, &blob, false)) {
                Some(Ok(())) => {
                    out.err(format!("{{\"level\":\"info\",\"msg\":\"created temporary db file\",\"path\":\"{path}.part\"}}\n{{\"level\":\"info\",\"msg\":\"fetched snapshot\",\"endpoint\":\"127.0.0.1:2379\",\"size\":\"{}\"}}\n{{\"level\":\"info\",\"msg\":\"saved\",\"path\":\"{path}\"}}\n", size_text(blob.len())));
                    out.out(format!("Snapshot saved at {file}\n"));
                    out
                }
                Some(Err(e)) => out.fail(format!(
                    "Error: could not open {path}.part ({})",
                    e.text().to_lowercase()
                )),
                None => out.fail("Error: no file system"),
            }
        }
        _ => out.fail(format!(
            "Error: unknown command \"{}\" for \"etcdctl\"",
            o.words.first().cloned().unwrap_or_default()
        )),
    }
}

/// `etcdutl` (v3.5): the offline tool that works on data files.
pub fn etcdutl(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let out = Output::default();
    let on_control_plane = cluster
        .machine(&session.node)
        .is_some_and(|m| m.control_plane);
    if !on_control_plane {
        return out
            .fail("bash: etcdutl: command not found")
            .with_status(127);
    }
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => return out.fail(format!("Error: {e}")),
    };
    let cmd: Vec<&str> = o.words.iter().map(String::as_str).collect();
    match cmd.as_slice() {
        ["version"] => {
            let mut out = out;
            out.out(format!("etcdutl version: {VERSION}\nAPI version: 3.5\n"));
            out
        }
        ["snapshot", "status", file] => {
            snapshot_status(session, cluster, file, &o.write_out, false)
        }
        ["snapshot", "restore", file] => {
            restore(out, session, cluster, file, o.data_dir.as_deref())
        }
        ["snapshot", "restore"] | ["snapshot", "status"] => {
            out.fail("Error: snapshot restore exactly one argument is required")
        }
        _ => out.fail(format!(
            "Error: unknown command \"{}\" for \"etcdutl\"",
            o.words.join(" ")
        )),
    }
}

/// `snapshot restore`: a new data directory (`member/snap/db`,
/// `member/wal`) holding the snapshot. etcd uses it once its manifest
/// points at it (`cluster::etcd_member`).
fn restore(
    mut out: Output,
    session: &mut Session,
    cluster: &mut Cluster,
    file: &str,
    data_dir: Option<&str>,
) -> Output {
    let dir = fs::normalize(&session.cwd, data_dir.unwrap_or("default.etcd"));
    let shown = data_dir.unwrap_or("default.etcd").trim_end_matches('/');
    let path = fs::normalize(&session.cwd, file);
    let ts = cluster.now().rfc3339();
    let fields = format!(
        "{{\"path\": \"{file}\", \"wal-dir\": \"{shown}/member/wal\", \"data-dir\": \"{shown}\", \"snap-dir\": \"{shown}/member/snap\"}}"
    );
    let Some(fsys) = session_fs_mut(session, cluster) else {
        return out.fail("Error: no file system");
    };
    let not_empty = fsys.is_file(&dir) || fsys.list(&dir).is_ok_and(|l| !l.is_empty());
    if not_empty {
        return out.fail(format!(
            "Error: data-dir \"{shown}\" not empty or could not be read"
        ));
    }
    let blob = match fsys.read(&path) {
        Ok(b) => b.to_vec(),
        Err(_) => return out.fail(format!("Error: open {file}: no such file or directory")),
    };
    if let Err(e) = Store::snapshot_status(&blob) {
        return out.fail(format!("Error: {e}"));
    }
    let written = fsys
        .mkdir_p(&format!("{dir}/member/snap"))
        .and_then(|_| fsys.mkdir_p(&format!("{dir}/member/wal")))
        .and_then(|_| fsys.write(&format!("{dir}/member/snap/db"), &blob, false))
        .and_then(|_| {
            fsys.write(
                &format!("{dir}/member/snap/0000000000000001-0000000000000001.snap"),
                b"",
                false,
            )
        })
        .and_then(|_| {
            fsys.write(
                &format!("{dir}/member/wal/0000000000000000-0000000000000000.wal"),
                b"",
                false,
            )
        });
    if let Err(e) = written {
        return out.fail(format!("Error: mkdir {shown}: {}", e.text().to_lowercase()));
    }
    out.err(format!(
        "{ts}\tinfo\tsnapshot/v3_snapshot.go:265\trestoring snapshot\t{fields}\n\
         {ts}\tinfo\tmembership/store.go:141\tTrimming membership information from the backend...\n\
         {ts}\tinfo\tmembership/cluster.go:421\tadded member\t{{\"cluster-id\": \"cdf818194e3a8c32\", \"local-member-id\": \"0\", \"added-peer-id\": \"8e9e05c52164694d\", \"added-peer-peer-urls\": [\"http://localhost:2380\"]}}\n\
         {ts}\tinfo\tsnapshot/v3_snapshot.go:293\trestored snapshot\t{fields}\n"
    ));
    out
}

/// What etcdctl prints when the server refuses a request: the client's
/// retry interceptor logs the gRPC error (it logs every failed attempt,
/// even one it does not retry), then the command prints the error.
fn server_error(e: &EtcdError) -> String {
    format!("{{\"level\":\"warn\",\"logger\":\"etcd-client\",\"caller\":\"v3@v3.5.21/retry_interceptor.go:63\",\"msg\":\"retrying of unary invoker failed\",\"target\":\"etcd-endpoints://0xc0002b2000/127.0.0.1:2379\",\"attempt\":0,\"error\":\"rpc error: code = OutOfRange desc = {e}\"}}\nError: {e}")
}

fn check_tls(session: &Session, cluster: &Cluster, o: &Opts) -> Result<(), String> {
    let (Some(ca), Some(cert), Some(key)) = (&o.cacert, &o.cert, &o.key) else {
        return Err("{\"level\":\"warn\",\"logger\":\"etcd-client\",\"caller\":\"v3@v3.5.21/retry_interceptor.go:63\",\"msg\":\"retrying of unary invoker failed\",\"target\":\"etcd-endpoints://0xc0002b2000/127.0.0.1:2379\",\"attempt\":0,\"error\":\"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\\"error reading server preface: EOF\\\"\"}\nError: context deadline exceeded".to_string());
    };
    let Some(fsys) = session_fs(session, cluster) else {
        return Err("Error: no file system".into());
    };
    for f in [ca, cert, key] {
        let p = fs::normalize(&session.cwd, f);
        if !fsys.is_file(&p) {
            return Err(format!("Error: open {f}: no such file or directory"));
        }
    }
    // The etcd server trusts only the etcd CA's certificates.
    let etcd_ca = fs::normalize(&session.cwd, ca) == "/etc/kubernetes/pki/etcd/ca.crt";
    if !etcd_ca {
        return Err("{\"level\":\"warn\",\"msg\":\"retrying of unary invoker failed\",\"target\":\"etcd-endpoints://0xc0002b2000/127.0.0.1:2379\",\"attempt\":0,\"error\":\"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\\"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority\\\"\"}\nError: context deadline exceeded".to_string());
    }
    Ok(())
}

#[allow(clippy::indexing_slicing)] // writes into JSON objects built here by json!({...})
fn get(store: &Store, key: &str, range_end: Option<&str>, o: &Opts) -> Output {
    let mut out = Output::default();
    let req = RangeRequest {
        key: key.to_string(),
        range_end: range_end.map(String::from),
        prefix: o.prefix,
        limit: o.limit,
        revision: o.rev,
        keys_only: o.keys_only,
        count_only: o.count_only,
    };
    let resp = match store.range(&req) {
        Ok(r) => r,
        Err(e) => return out.fail(server_error(&e)),
    };
    match o.write_out.as_str() {
        "json" => {
            let mut v = json!({ "header": { "cluster_id": CLUSTER_ID, "member_id": MEMBER_ID, "revision": resp.revision, "raft_term": 2 } });
            if !resp.kvs.is_empty() {
                let kvs: Vec<_> = resp
                    .kvs
                    .iter()
                    .map(|kv| {
                        let mut m = json!({ "key": base64_encode(kv.key.as_bytes()), "create_revision": kv.create_revision, "mod_revision": kv.mod_revision, "version": kv.version });
                        if !o.keys_only {
                            m["value"] = json!(base64_encode(&kv.value));
                        }
                        m
                    })
                    .collect();
                v["kvs"] = json!(kvs);
            }
            if resp.more {
                v["more"] = json!(true);
            }
            if resp.count > 0 {
                v["count"] = json!(resp.count);
            }
            out.out(format!("{v}\n"));
        }
        "simple" => {
            if o.count_only {
                out.out(format!("{}\n", resp.count));
            }
            for kv in &resp.kvs {
                if o.keys_only {
                    out.out(format!("{}\n\n", kv.key));
                } else if o.print_value_only {
                    out.out(format!("{}\n", String::from_utf8_lossy(&kv.value)));
                } else {
                    out.out(format!(
                        "{}\n{}\n",
                        kv.key,
                        String::from_utf8_lossy(&kv.value)
                    ));
                }
            }
        }
        other => {
            return out.fail(format!(
                "Error: unsupported output format {other:?} (use simple or json)"
            ))
        }
    }
    out
}

fn snapshot_status(
    session: &Session,
    cluster: &Cluster,
    file: &str,
    write_out: &str,
    deprecated: bool,
) -> Output {
    let mut out = Output::default();
    let path = fs::normalize(&session.cwd, file);
    let Some(data) = session_fs(session, cluster).and_then(|f| f.read(&path).ok()) else {
        return out.fail(format!("Error: stat {file}: no such file or directory"));
    };
    if deprecated {
        out.err("Deprecated: Use `etcdutl snapshot status` instead.\n\n");
    }
    match Store::snapshot_status(data) {
        Ok(s) => {
            let row = vec![
                format!("{:08x}", s.hash),
                s.revision.to_string(),
                s.total_keys.to_string(),
                size_text(s.total_size),
            ];
            if write_out == "table" {
                out.out(ascii_table(
                    &["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"],
                    &[row],
                    &[1, 2, 3],
                ));
            } else {
                out.out(format!("{}\n", row.join(", ")));
            }
            out
        }
        Err(e) => out.fail(format!("Error: {e}")),
    }
}

/// etcd's humanized sizes: `20 kB`, `5.1 MB`.
fn size_text(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1000.0 {
        format!("{bytes} B")
    } else if b < 1_000_000.0 {
        format!("{:.0} kB", b / 1000.0)
    } else {
        format!("{:.1} MB", b / 1_000_000.0)
    }
}

/// etcdctl's `-w table`: centered headers, cells right-aligned in the listed columns.
fn ascii_table(headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.len()))
                .max()
                .unwrap_or(0)
                .max(h.len())
        })
        .collect();
    let rule = format!(
        "+{}+\n",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    );
    let mut s = rule.clone();
    let head: Vec<String> = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| {
            let total = w - h.len();
            let left = total / 2 + total % 2;
            format!(" {}{}{} ", " ".repeat(left), h, " ".repeat(total - left))
        })
        .collect();
    s.push_str(&format!("|{}|\n", head.join("|")));
    s.push_str(&rule);
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                if right.contains(&i) {
                    format!(" {c:>w$} ")
                } else {
                    format!(" {c:<w$} ")
                }
            })
            .collect();
        s.push_str(&format!("|{}|\n", cells.join("|")));
    }
    s.push_str(&rule);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_as_etcdctl_draws_them() {
        let t = ascii_table(
            &["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"],
            &[vec![
                "c946847b".into(),
                "4".into(),
                "7".into(),
                "20 kB".into(),
            ]],
            &[1, 2, 3],
        );
        assert_eq!(
            t,
            "+----------+----------+------------+------------+\n|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |\n+----------+----------+------------+------------+\n| c946847b |        4 |          7 |      20 kB |\n+----------+----------+------------+------------+\n"
        );
    }
}
