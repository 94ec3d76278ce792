//! `etcdctl watch KEY [RANGE_END]` (v3.5.21's watch_command.go): the events
//! of the keys it covers, printed as they happen — `PUT` or `DELETE`, then
//! the previous key and value with `--prev-kv`, then the key and value —
//! holding the terminal until Ctrl-C. Watching from `--rev` replays the
//! history from there; a compacted revision cancels the watch. The watch
//! has no deadline: against an etcd that does not answer it waits.
//!
//! Here the events of each tick (a second) print together at its end; the
//! text is what the real one prints event by event.

use super::client::Config;
use crate::cluster::Cluster;
use crate::etcd::{EtcdError, EventType, KeyValue};
use crate::output::Output;
use crate::shell::Session;

/// A running watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchJob {
    client: Config,
    key: String,
    range_end: Option<String>,
    prefix: bool,
    prev_kv: bool,
    hex: bool,
    /// The revision the next events start at (`--rev`, or the store's
    /// next once connected); 0 until the watch has connected.
    next: i64,
}

/// What the command line asks: `Err` is the exit for bad arguments.
pub struct Request<'a> {
    pub words: &'a [String],
    pub prefix: bool,
    pub rev: i64,
    pub prev_kv: bool,
    pub hex: bool,
    pub interactive: bool,
}

/// Starts the watch: its first output, and the job that holds the
/// terminal (`None` when the arguments are refused or it ended at once).
pub fn start(
    session: &Session,
    cluster: &mut Cluster,
    client: &Config,
    req: Request<'_>,
) -> (Output, Option<WatchJob>) {
    let refused = |msg: &str, status| {
        let out = Output::default()
            .fail(format!("Error: {msg}"))
            .with_status(status);
        (out, None)
    };
    if req.interactive {
        return refused("etcdctl watch --interactive is not simulated by Dinghy", 1);
    }
    // `--` and the command after it run for each event.
    if req.words.len() > 2 {
        return refused(
            "etcdctl watch with a command to run per event is not simulated by Dinghy",
            1,
        );
    }
    let Some(key) = req.words.first() else {
        return refused("bad number of arguments", 128);
    };
    let range_end = req.words.get(1).cloned();
    if range_end.is_some() && req.prefix {
        return refused("`range_end` and `--prefix` are mutually exclusive", 128);
    }
    let job = WatchJob {
        client: client.clone(),
        key: key.clone(),
        range_end,
        prefix: req.prefix,
        prev_kv: req.prev_kv,
        hex: req.hex,
        next: req.rev.max(0),
    };
    tick(session, cluster, job)
}

/// Prints what happened since the last tick; `None` once the watch ended.
pub fn tick(
    session: &Session,
    cluster: &mut Cluster,
    mut job: WatchJob,
) -> (Output, Option<WatchJob>) {
    let mut out = Output::default();
    let endpoint = job.client.endpoints.first().cloned().unwrap_or_default();
    if job.client.connect(session, cluster, &endpoint).is_err() {
        // The stream waits for a ready connection, for ever.
        return (out, Some(job));
    }
    let store = cluster.apiserver.store();
    let from = if job.next > 0 {
        job.next
    } else {
        store.revision() + 1
    };
    // The store filters by prefix (a single key is its own prefix); a
    // range is filtered here.
    let scope = if job.range_end.is_some() {
        ""
    } else {
        job.key.as_str()
    };
    match store.watch(scope, true, from) {
        Ok(events) => {
            for e in events.iter().filter(|e| job.covers(&e.kv.key)) {
                out.out(match e.kind {
                    EventType::Put => "PUT\n",
                    EventType::Delete => "DELETE\n",
                });
                if job.prev_kv {
                    if let Some(prev) = &e.prev_kv {
                        out.out(job.kv(prev));
                    }
                }
                out.out(job.kv(&e.kv));
            }
            job.next = store.revision() + 1;
            (out, Some(job))
        }
        Err(e @ EtcdError::Compacted { .. }) => {
            out.err(format!("watch was canceled ({e})\n"));
            (
                out.fail("Error: watch is canceled by the server")
                    .with_status(5),
                None,
            )
        }
        Err(e) => (out.fail(format!("Error: {e}")), None),
    }
}

impl WatchJob {
    /// Whether the watch's range holds `k`.
    fn covers(&self, k: &str) -> bool {
        match (&self.range_end, self.prefix) {
            (_, true) => k.starts_with(&self.key),
            // "\0" as the end means every key from KEY on.
            (Some(end), false) if end == "\u{0}" => k >= self.key.as_str(),
            (Some(end), false) => k >= self.key.as_str() && k < end.as_str(),
            (None, false) => k == self.key,
        }
    }

    /// printKV: the key line and the value line (`--hex`: `\x..` bytes).
    fn kv(&self, kv: &KeyValue) -> String {
        if self.hex {
            return format!("{}\n{}\n", hex(kv.key.as_bytes()), hex(&kv.value));
        }
        format!("{}\n{}\n", kv.key, String::from_utf8_lossy(&kv.value))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\x{b:02x}")).collect()
}
