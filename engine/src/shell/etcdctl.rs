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

mod cli;
mod client;
mod snapshot;
mod table;
mod watch;
mod zap;

use cli::VERSION;
const CLUSTER_ID: u64 = 0x8d7a_1c2b_5e3f_4a69;
const MEMBER_ID: u64 = 0x6b4f_2a1e_9c8d_7e53;

struct Opts {
    prefix: bool,
    keys_only: bool,
    print_value_only: bool,
    count_only: bool,
    limit: usize,
    rev: i64,
    write_out: String,
}

pub fn run(
    session: &mut Session,
    cluster: &mut Cluster,
    args: &[String],
    _stdin: Option<String>,
) -> Output {
    let mut out = Output::default();
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
    let (command, mut values, words, inherited) = match cli::parse(&cli::ETCDCTL, args) {
        Ok(cli::Invocation::Help(text)) => return text,
        Ok(cli::Invocation::Run {
            command,
            values,
            args,
            inherited,
            said,
        }) => {
            out.extend(said);
            (command, values, args, inherited)
        }
        Err(failed) => return failed,
    };
    let path = command.path;
    // What each command checks of its arguments before it connects.
    let bad_args = |msg: &str| {
        Output::default()
            .fail(format!("Error: {msg}"))
            .with_status(128)
    };
    let word = |i: usize| words.get(i).map(String::as_str);
    match path {
        "version" => {
            out.out(format!("etcdctl version: {VERSION}\nAPI version: 3.5\n"));
            return out;
        }
        "snapshot status" | "snapshot restore" => {
            return snapshot_file(out, session, cluster, path, &words, &values, true);
        }
        "get" | "del" => {
            let (prefix, from_key) = (values.bool("prefix"), values.bool("from-key"));
            if words.is_empty() {
                return bad_args(&format!(
                    "{path} command needs one argument as key and an optional argument as range_end"
                ));
            }
            if prefix && from_key {
                return bad_args(
                    "`--prefix` and `--from-key` cannot be set at the same time, choose one",
                );
            }
            if path == "get" && values.bool("keys-only") && values.bool("count-only") {
                return bad_args(
                    "`--keys-only` and `--count-only` cannot be set at the same time, choose one",
                );
            }
            if path == "get" && !matches!(values.get("consistency"), "l" | "s") {
                return Output::default()
                    .fail(format!(
                        "Error: unknown consistency flag {}",
                        crate::go::quote(values.get("consistency"))
                    ))
                    .with_status(4);
            }
            if words.len() > 1 && (prefix || from_key) {
                return bad_args("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
        }
        "put" if words.len() != 2 => {
            return bad_args("put command needs 1 argument and input from stdin or 2 arguments");
        }
        "compaction" if words.len() != 1 => {
            return bad_args("compaction command needs 1 argument");
        }
        "snapshot save" if words.len() != 1 => {
            return bad_args("snapshot save expects one argument");
        }
        "alarm disarm" | "alarm list" if !words.is_empty() => {
            return bad_args(&format!("{path} command accepts no arguments"));
        }
        _ => {}
    }
    // mustClientFromCmd: the ETCDCTL_* variables set the global flags not
    // given, the output format is chosen, then the connection is made.
    if let Err(failed) = apply_env(session, cluster.now(), &inherited, &mut values, &mut out) {
        return failed;
    }
    let o = opts_of(&values);
    if !matches!(
        o.write_out.as_str(),
        "simple" | "fields" | "json" | "protobuf" | "table"
    ) {
        return out.fail("Error: unsupported output format").with_status(4);
    }
    let client = match client::config(session, cluster, &values) {
        Ok(c) => c,
        Err(failed) => {
            out.extend(failed);
            return out;
        }
    };
    match path {
        "snapshot save" => {
            let (said, wait) =
                snapshot::save(out, session, cluster, &client, word(0).unwrap_or_default());
            return held(session, said, wait.map(Job::Snapshot));
        }
        "endpoint health" => return endpoint_health(out, session, cluster, &client),
        "endpoint status" => return endpoint_status(out, session, cluster, &client, &o.write_out),
        "watch" => {
            let req = watch::Request {
                words: &words,
                prefix: values.bool("prefix"),
                rev: values.get("rev").parse().unwrap_or(0),
                prev_kv: values.bool("prev-kv"),
                hex: values.bool("hex"),
                interactive: values.bool("interactive"),
            };
            let (first, job) = watch::start(session, cluster, &client, req);
            out.extend(first);
            return held(session, out, job.map(Job::Watch));
        }
        _ => {}
    }
    let endpoint = match client.wait_for_ready(session, cluster) {
        Ok(ep) => ep,
        Err(e) => {
            out.extend(client.deadline_exceeded(cluster, "etcd-client", e));
            return out;
        }
    };
    let unsupported_format = |out: Output| {
        out.fail(format!(
            "Error: {} not supported as output format",
            o.write_out
        ))
        .with_status(4)
    };
    match (path, words.as_slice()) {
        ("get", [key, rest @ ..]) => {
            match get(cluster.apiserver.store(), key, rest.first().map(String::as_str), &o) {
                Ok(got) => out.extend(got),
                Err(e) => out.extend(Output::default().fail(server_error(&client, cluster, &e))),
            }
            out
        }
        ("compaction", [rev]) => {
            let rev = match rev.parse::<i64>() {
                Ok(r) => r,
                Err(_) => {
                    return out.fail(format!(
                        "Error: strconv.ParseInt: parsing {}: invalid syntax",
                        crate::go::quote(rev)
                    ))
                }
            };
            match cluster.apiserver.etcd_compact(rev) {
                Ok(()) => {
                    out.out(format!("compacted revision {rev}\n"));
                    out
                }
                Err(e) => out.fail(server_error(&client, cluster, &e)),
            }
        }
        ("put", [key, value]) => {
            cluster.apiserver.etcd_put(key, value.as_bytes().to_vec());
            out.out("OK\n");
            out
        }
        ("del", [key, ..]) => {
            let n = cluster.apiserver.etcd_delete(key, o.prefix);
            out.out(format!("{n}\n"));
            out
        }
        ("member list", _) => {
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
            match o.write_out.as_str() {
                "table" => out.out(ascii_table(
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
                )),
                "simple" => out.out(format!("{}\n", row.join(", "))),
                _ => return unsupported_format(out),
            }
            out
        }
        // No alarm is ever raised here: the lists are empty.
        ("alarm list" | "alarm disarm", _) => out,
        ("defrag", _) if values.changed("data-dir") => out.fail(
            "Error: etcdctl defrag --data-dir is not simulated by Dinghy (defragment the running member instead: etcdctl defrag)",
        ),
        ("defrag", _) => {
            out.out(format!("Finished defragmenting etcd member[{endpoint}]\n"));
            out
        }
        _ => out.fail(format!("Error: etcdctl {path} is not simulated by Dinghy")),
    }
}

/// A command's output, the terminal held by its job if it has one.
fn held(session: &mut Session, out: Output, job: Option<Job>) -> Output {
    if let Some(job) = job {
        super::watch::hold_etcdctl(session, Box::new(job));
    }
    out
}

/// An etcdctl command holding the terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    /// `snapshot save` waiting for its endpoint (see [`snapshot`]).
    Snapshot(snapshot::SnapshotWait),
    /// `watch` (see [`watch`]).
    Watch(watch::WatchJob),
}

/// A second of a held etcdctl command; `None` once it has ended.
pub fn job_tick(session: &mut Session, cluster: &mut Cluster, job: Job) -> (Output, Option<Job>) {
    match job {
        Job::Snapshot(wait) => {
            let (out, next) = snapshot::tick(session, cluster, wait);
            (out, next.map(Job::Snapshot))
        }
        Job::Watch(w) => {
            let (out, next) = watch::tick(session, cluster, w);
            (out, next.map(Job::Watch))
        }
    }
}

/// `endpoint status`: one status call per endpoint, one after the other,
/// each waiting up to the command timeout; a failed one is reported and
/// the rest still printed, then the exit status is 1.
fn endpoint_status(
    mut out: Output,
    session: &Session,
    cluster: &mut Cluster,
    client: &client::Config,
    write_out: &str,
) -> Output {
    let mut rows = Vec::new();
    let mut failed = false;
    for ep in &client.endpoints {
        if let Err(e) = client.only(ep).wait_for_ready(session, cluster) {
            out.err(client.retry_warning(
                cluster,
                "etcd-client",
                &format!(
                    "code = DeadlineExceeded desc = {}",
                    client::deadline_desc(e)
                ),
            ));
            out.err(format!(
                "Failed to get the status of endpoint {ep} (context deadline exceeded)\n"
            ));
            failed = true;
            continue;
        }
        let size = size_text(cluster.apiserver.store().snapshot().len());
        let rev = cluster.apiserver.store().revision();
        rows.push(vec![
            ep.clone(),
            format!("{MEMBER_ID:x}"),
            VERSION.into(),
            size,
            "true".into(),
            "false".into(),
            "2".into(),
            rev.to_string(),
            rev.to_string(),
            String::new(),
        ]);
    }
    match write_out {
        "table" => out.out(ascii_table(
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
            &rows,
            &[2, 3, 4, 5, 6, 7, 8],
        )),
        "simple" => {
            for row in &rows {
                out.out(format!(
                    "{}, \n",
                    row.get(..9).unwrap_or_default().join(", ")
                ));
            }
        }
        other => {
            return out
                .fail(format!("Error: {other} not supported as output format"))
                .with_status(4)
        }
    }
    if failed {
        out.status = 1;
    }
    out
}

/// `endpoint health`: each endpoint through its own client (logger
/// "client"), all at once; a failing one waits out the command timeout.
fn endpoint_health(
    mut out: Output,
    session: &Session,
    cluster: &mut Cluster,
    client: &client::Config,
) -> Output {
    let results = client.wait_each(session, cluster, &client.endpoints, false);
    // The healthy answer as they connect; the others at their deadline.
    for (ep, _) in results.iter().filter(|(_, r)| r.is_ok()) {
        out.out(format!(
            "{ep} is healthy: successfully committed proposal: took = 9.816342ms\n"
        ));
    }
    let failed: Vec<_> = results.into_iter().filter(|(_, r)| r.is_err()).collect();
    if failed.is_empty() {
        return out;
    }
    for (ep, r) in failed {
        out.err(client.only(&ep).retry_warning(
            cluster,
            "client",
            &format!(
                "code = DeadlineExceeded desc = {}",
                client::deadline_desc(r.err().flatten())
            ),
        ));
        out.err(format!(
            "{ep} is unhealthy: failed to commit proposal: context deadline exceeded\n"
        ));
    }
    out.fail("Error: unhealthy cluster")
}

/// The flags' values as the command handlers read them.
fn opts_of(values: &cli::Values) -> Opts {
    Opts {
        prefix: values.bool("prefix"),
        keys_only: values.bool("keys-only"),
        print_value_only: values.bool("print-value-only"),
        count_only: values.bool("count-only"),
        limit: values.get("limit").parse().unwrap_or(0),
        rev: values.get("rev").parse().unwrap_or(0),
        write_out: values.get("write-out").to_string(),
    }
}

/// etcd's `SetPflagsFromEnv` for the flags a command inherits:
/// `ETCDCTL_CACERT` sets `--cacert` when the command line did not. A
/// variable that names no flag is logged and left; one shadowed by its
/// flag given on the command line is a fatal error.
fn apply_env(
    session: &Session,
    now: crate::clock::Time,
    inherited: &[table::Flag],
    values: &mut cli::Values,
    out: &mut Output,
) -> Result<(), Output> {
    let env_name = |f: &table::Flag| {
        format!(
            "ETCDCTL_{}",
            crate::case::to_uppercase(f.name).replace('-', "_")
        )
    };
    let log = |level, caller, msg, field: &str| {
        zap::Entry {
            level,
            ts: now,
            logger: None,
            caller,
            msg,
            fields: &[("environment-variable", zap::Value::Str(field))],
        }
        .line()
    };
    for (key, value) in &session.env {
        // etcdctl's main unsets ETCDCTL_API before anything reads the rest.
        if !key.starts_with("ETCDCTL_") || key == "ETCDCTL_API" {
            continue;
        }
        let Some(flag) = inherited.iter().find(|f| env_name(f) == *key) else {
            out.err(log(
                "warn",
                "flags/flag.go:93",
                "unrecognized environment variable",
                &format!("{key}={value}"),
            ));
            continue;
        };
        if values.changed(flag.name) {
            let mut failed = std::mem::take(out);
            failed.err(log(
                "fatal",
                "flags/flag.go:85",
                "conflicting environment variable is shadowed by corresponding command-line flag (either unset environment variable or disable flag))",
                key,
            ));
            failed.status = 1;
            return Err(failed);
        }
        if value.is_empty() {
            continue;
        }
        if let Err(e) = values.set(flag, value) {
            let mut failed = std::mem::take(out);
            failed.err(format!(
                "Error: invalid value {} for {key}: {e}\n",
                crate::go::quote(value)
            ));
            failed.status = 1;
            return Err(failed);
        }
    }
    Ok(())
}

/// `etcdutl` (v3.5): the offline tool that works on data files, its
/// command line read from its own table (`table::ETCDUTL_TABLE`).
pub fn etcdutl(session: &mut Session, cluster: &mut Cluster, args: &[String]) -> Output {
    let mut out = Output::default();
    let on_control_plane = cluster
        .machine(&session.node)
        .is_some_and(|m| m.control_plane);
    if !on_control_plane {
        return out
            .fail("bash: etcdutl: command not found")
            .with_status(127);
    }
    let (command, values, words) = match cli::parse(&cli::ETCDUTL, args) {
        Ok(cli::Invocation::Help(text)) => return text,
        Ok(cli::Invocation::Run {
            command,
            values,
            args,
            said,
            ..
        }) => {
            out.extend(said);
            (command, values, args)
        }
        Err(failed) => return failed,
    };
    match command.path {
        "version" => {
            out.out(format!("etcdutl version: {VERSION}\nAPI version: 3.5\n"));
            out
        }
        path @ ("snapshot status" | "snapshot restore") => {
            snapshot_file(out, session, cluster, path, &words, &values, false)
        }
        "snapshot save" => out
            .fail("Error: In order to download snapshot use: `etcdctl snapshot save ...`")
            .with_status(128),
        path => out.fail(format!("Error: etcdutl {path} is not simulated by Dinghy")),
    }
}

/// `snapshot status|restore FILE` as etcdutl runs them
/// (`SnapshotStatusCommandFunc`, `SnapshotRestoreCommandFunc`, argument
/// checks first); etcdctl's own, deprecated, say so and run the same.
fn snapshot_file(
    mut out: Output,
    session: &mut Session,
    cluster: &mut Cluster,
    path: &str,
    words: &[String],
    values: &cli::Values,
    deprecated: bool,
) -> Output {
    if deprecated {
        out.err(format!("Deprecated: Use `etcdutl {path}` instead.\n\n"));
    }
    let bad_args = |out: Output, msg: &str| out.fail(format!("Error: {msg}")).with_status(128);
    let Some(file) = words.first().filter(|_| words.len() == 1) else {
        return bad_args(out, &format!("{path} requires exactly one argument"));
    };
    if path == "snapshot status" {
        return snapshot_status(out, session, cluster, file, values.get("write-out"));
    }
    let (bump, compacted) = (values.get("bump-revision"), values.bool("mark-compacted"));
    if (bump == "0") == compacted {
        return bad_args(out, "--mark-compacted required if --revision-bump > 0");
    }
    let data_dir = values.given("data-dir").filter(|d| !d.is_empty());
    restore(out, session, cluster, file, data_dir)
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
        return out.fail(format!(
            "Error: mkdir {shown}: {}",
            crate::case::to_lowercase(e.text())
        ));
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
fn server_error(client: &client::Config, cluster: &Cluster, e: &EtcdError) -> String {
    let warning = client.retry_warning(
        cluster,
        "etcd-client",
        &format!("code = OutOfRange desc = {e}"),
    );
    format!("{warning}Error: {e}")
}

#[allow(clippy::indexing_slicing)] // writes into JSON objects built here by json!({...})
fn get(store: &Store, key: &str, range_end: Option<&str>, o: &Opts) -> Result<Output, EtcdError> {
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
    let resp = store.range(&req)?;
    // Checked once the answer is there, as getCommandFunc does.
    if o.count_only && o.write_out != "fields" {
        return Ok(out
            .fail("Error: --count-only is only for `--write-out=fields`")
            .with_status(128));
    }
    if o.print_value_only && o.write_out != "simple" {
        return Ok(out
            .fail("Error: print-value-only is only for `--write-out=simple`")
            .with_status(128));
    }
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
        "fields" => {
            out.out(format!(
                "\"ClusterID\" : {CLUSTER_ID}\n\"MemberID\" : {MEMBER_ID}\n\"Revision\" : {}\n\"RaftTerm\" : 2\n",
                resp.revision
            ));
            for kv in &resp.kvs {
                let value = if o.keys_only {
                    String::new()
                } else {
                    String::from_utf8_lossy(&kv.value).into_owned()
                };
                out.out(format!(
                    "\"Key\" : {}\n\"CreateRevision\" : {}\n\"ModRevision\" : {}\n\"Version\" : {}\n\"Value\" : {}\n\"Lease\" : 0\n",
                    crate::go::quote(&kv.key),
                    kv.create_revision,
                    kv.mod_revision,
                    kv.version,
                    crate::go::quote(&value)
                ));
            }
            out.out(format!(
                "\"More\" : {}\n\"Count\" : {}\n",
                resp.more, resp.count
            ));
        }
        "simple" => {
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
        "protobuf" => {
            return Ok(
                out.fail("Error: etcdctl -w protobuf is not simulated by Dinghy (try -w json)")
            )
        }
        other => {
            return Ok(out
                .fail(format!("Error: {other} not supported as output format"))
                .with_status(4))
        }
    }
    Ok(out)
}

fn snapshot_status(
    mut out: Output,
    session: &Session,
    cluster: &Cluster,
    file: &str,
    write_out: &str,
) -> Output {
    let path = fs::normalize(&session.cwd, file);
    let Some(data) = session_fs(session, cluster).and_then(|f| f.read(&path).ok()) else {
        return out.fail(format!("Error: stat {file}: no such file or directory"));
    };
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
pub(super) fn size_text(bytes: usize) -> String {
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
