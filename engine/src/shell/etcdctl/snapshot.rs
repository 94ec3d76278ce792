//! `etcdctl snapshot save FILE` as client/v3/snapshot.Save (v3.5.21) runs
//! it: the temporary `FILE.part` is created before the client has talked
//! to anyone, then the snapshot stream is opened. The command has no
//! deadline (`--command-timeout` is not applied to it) and the client
//! waits for a ready connection, so against an endpoint that does not
//! answer — etcd down, no certificates, the wrong CA — it waits for ever
//! after its first log line: the terminal is held until Ctrl-C, which
//! leaves the empty `FILE.part` behind. If etcd comes back, grpc's
//! reconnection (1 s, then ×1.6 up to 2 minutes; Dinghy leaves out its
//! ±20 % jitter so runs repeat) finds it and the snapshot completes.

use super::client::Config;
use super::zap::{Entry, Value};
use crate::clock::{Duration, Time};
use crate::cluster::Cluster;
use crate::node::fs;
use crate::output::Output;
use crate::shell::{session_fs_mut, Session};

/// A `snapshot save` waiting for its endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotWait {
    client: Config,
    /// FILE as typed.
    file: String,
    /// When the stream was asked for (`fetched snapshot`'s `took`).
    since: Time,
    next_try: Time,
    backoff: Duration,
}

/// Runs `snapshot save FILE`: its output, and the wait that holds the
/// terminal if the endpoint does not answer.
pub fn save(
    mut out: Output,
    session: &mut Session,
    cluster: &mut Cluster,
    client: &Config,
    file: &str,
) -> (Output, Option<SnapshotWait>) {
    if client.endpoints.len() != 1 {
        let msg = format!(
            "Error: snapshot must be requested to one selected node, not multiple [{}]",
            client.endpoints.join(" ")
        );
        return (out.fail(msg).with_status(5), None);
    }
    let part = format!("{file}.part");
    let part_path = fs::normalize(&session.cwd, &part);
    match session_fs_mut(session, cluster).map(|f| f.write(&part_path, b"", false)) {
        Some(Ok(())) => {}
        Some(Err(e)) => {
            let msg = format!(
                "Error: could not open {part} (open {part}: {})",
                crate::case::to_lowercase(e.text())
            );
            return (out.fail(msg).with_status(5), None);
        }
        None => return (out.fail("Error: no file system").with_status(5), None),
    }
    out.err(
        Entry {
            level: "info",
            ts: cluster.now(),
            logger: None,
            caller: "snapshot/v3_snapshot.go:65",
            msg: "created temporary db file",
            fields: &[("path", Value::Str(&part))],
        }
        .line(),
    );
    let wait = SnapshotWait {
        client: client.clone(),
        file: file.to_string(),
        since: cluster.now(),
        next_try: cluster.now(),
        backoff: Duration::from_secs(1),
    };
    attempt(out, session, cluster, wait)
}

/// One more second of waiting: tries again when grpc's back-off says so.
/// `None` once the job is over.
pub fn tick(
    session: &mut Session,
    cluster: &mut Cluster,
    wait: SnapshotWait,
) -> (Output, Option<SnapshotWait>) {
    if cluster.now() < wait.next_try {
        return (Output::default(), Some(wait));
    }
    attempt(Output::default(), session, cluster, wait)
}

fn attempt(
    mut out: Output,
    session: &mut Session,
    cluster: &mut Cluster,
    mut wait: SnapshotWait,
) -> (Output, Option<SnapshotWait>) {
    let endpoint = wait.client.endpoints.first().cloned().unwrap_or_default();
    if wait.client.connect(session, cluster, &endpoint).is_err() {
        wait.next_try = cluster.now() + wait.backoff;
        wait.backoff = super::client::next_backoff(wait.backoff);
        return (out, Some(wait));
    }
    let blob = cluster.apiserver.store().snapshot();
    let now = cluster.now();
    let file = wait.file.as_str();
    let part = format!("{file}.part");
    let (part_path, path) = (
        fs::normalize(&session.cwd, &part),
        fs::normalize(&session.cwd, file),
    );
    let written = session_fs_mut(session, cluster).map(|f| {
        f.write(&part_path, &blob, false)
            .and_then(|()| f.rename(&part_path, &path))
    });
    let entry = |logger, caller, msg, fields: &[(&str, Value)]| {
        Entry {
            level: "info",
            ts: now,
            logger,
            caller,
            msg,
            fields,
        }
        .line()
    };
    out.err(entry(
        Some("client"),
        "v3@v3.5.21/maintenance.go:212",
        "opened snapshot stream; downloading",
        &[],
    ));
    out.err(entry(
        None,
        "snapshot/v3_snapshot.go:73",
        "fetching snapshot",
        &[("endpoint", Value::Str(&endpoint))],
    ));
    out.err(entry(
        Some("client"),
        "v3@v3.5.21/maintenance.go:220",
        "completed snapshot read; closing",
        &[],
    ));
    let (size, took) = (
        super::size_text(blob.len()),
        relative_time(now - wait.since),
    );
    out.err(entry(
        None,
        "snapshot/v3_snapshot.go:88",
        "fetched snapshot",
        &[
            ("endpoint", Value::Str(&endpoint)),
            ("size", Value::Str(&size)),
            ("took", Value::Str(&took)),
        ],
    ));
    match written {
        Some(Ok(())) => {}
        Some(Err(e)) => {
            let msg = format!(
                "Error: could not rename {part} to {file} ({})",
                crate::case::to_lowercase(e.text())
            );
            return (out.fail(msg).with_status(5), None);
        }
        None => return (out.fail("Error: no file system").with_status(5), None),
    }
    out.err(entry(
        None,
        "snapshot/v3_snapshot.go:97",
        "saved",
        &[("path", Value::Str(file))],
    ));
    out.out(format!("Snapshot saved at {file}\n"));
    (out, None)
}

/// go-humanize's `Time` for an instant `ago` in the past: "now" under a
/// second, then "1 second ago", "N seconds ago", "1 minute ago", …
fn relative_time(ago: Duration) -> String {
    let s = ago.as_millis() / 1000;
    let (minute, hour, day, week) = (60, 3600, 86_400, 604_800);
    match s {
        0 => "now".into(),
        1 => "1 second ago".into(),
        s if s < minute => format!("{s} seconds ago"),
        s if s < 2 * minute => "1 minute ago".into(),
        s if s < hour => format!("{} minutes ago", s / minute),
        s if s < 2 * hour => "1 hour ago".into(),
        s if s < day => format!("{} hours ago", s / hour),
        s if s < 2 * day => "1 day ago".into(),
        s if s < week => format!("{} days ago", s / day),
        s if s < 2 * week => "1 week ago".into(),
        s => format!("{} weeks ago", s / week),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn took_reads_as_go_humanize_writes_it() {
        let t = |ms| relative_time(Duration::from_millis(ms));
        assert_eq!(t(0), "now");
        assert_eq!(t(999), "now");
        assert_eq!(t(1_500), "1 second ago");
        assert_eq!(t(59_999), "59 seconds ago");
        assert_eq!(t(60_000), "1 minute ago");
        assert_eq!(t(150_000), "2 minutes ago");
        assert_eq!(t(7_200_000), "2 hours ago");
    }
}
