//! kube-apiserver's etcd compactor (`k8s.io/apiserver/pkg/storage/etcd3/compact.go`):
//! every `--etcd-compaction-interval` (5 minutes by default) it compacts
//! etcd to the revision it recorded at the previous interval, so that etcd
//! keeps about the last interval of history and no more.
//!
//! The apiservers of a cluster agree on who compacts through one key,
//! `compact_rev_key`: its `version` is the compaction's logical time and
//! its value the revision last compacted to. Each round is one
//! transaction — "if the key's version is what I last saw, put it (the
//! version moves on), else read it" — and only the apiserver whose
//! transaction succeeded compacts, to the revision its previous round saw.
//! The first round only records a revision ("we don't compact on bootstrap").

use super::ApiServer;
use crate::clock::{Duration, Time};
use crate::cluster::control_plane::StaticPods;
use crate::cluster::{Component, SyncContext};
use crate::etcd::{Compare, CompareOp, CompareTarget, TxnOp};
use crate::kubectl::flags::go_duration_ms;
use crate::node::Machine;
use std::collections::BTreeMap;

/// The key every apiserver's compactor shares (outside `/registry/`).
pub const COMPACT_REV_KEY: &str = "compact_rev_key";

/// `--etcd-compaction-interval`'s default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// The compactor's state between rounds: the compaction time it expects
/// (the key's version) and the store's revision at its last round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompactState {
    pub expect_version: i64,
    pub revision: i64,
}

impl ApiServer {
    /// One round of compact.go's `compact`: returns the state for the
    /// next round. A failed compaction (someone compacted further with
    /// `etcdctl compact`) is logged there and changes nothing here.
    pub fn compact_round(&mut self, state: CompactState) -> CompactState {
        let resp = self.store.txn(
            &[Compare {
                key: COMPACT_REV_KEY.into(),
                op: CompareOp::Equal,
                target: CompareTarget::Version(state.expect_version),
            }],
            &[TxnOp::Put {
                key: COMPACT_REV_KEY.into(),
                value: state.revision.to_string().into_bytes(),
            }],
            &[TxnOp::Get {
                key: COMPACT_REV_KEY.into(),
            }],
        );
        if !resp.succeeded {
            // Another apiserver compacted: follow its time.
            let version = resp
                .gets
                .first()
                .and_then(Option::as_ref)
                .map_or(state.expect_version, |kv| kv.version);
            return CompactState {
                expect_version: version,
                revision: resp.revision,
            };
        }
        if state.revision != 0 {
            // The watch cache first takes in what the log still holds, so
            // that it need not reload the whole store afterwards.
            self.cache.get_mut().catch_up(&self.store);
            let _ = self.store.compact(state.revision);
        }
        CompactState {
            expect_version: state.expect_version + 1,
            revision: resp.revision,
        }
    }
}

/// The compactor as a component of the cluster's control loop: it wakes
/// every interval from the moment the apiserver first ran. The interval is
/// the kube-apiserver manifest's `--etcd-compaction-interval` (a Go
/// duration; `0` turns compaction off, as the flag documents). A manifest
/// that changes it restarts the apiserver, and with it the compactor:
/// its first round comes an interval later and, as after any start, only
/// records a revision.
#[derive(Debug, Default)]
pub struct EtcdCompactor {
    /// The interval of the current run (`None` before the first sync).
    interval: Option<Duration>,
    /// An interval fixed by the caller (tests), instead of the manifest's.
    fixed: Option<Duration>,
    static_pods: StaticPods,
    /// The versions of the control-plane machines' files when the
    /// manifest was last read: it is read again only when they change.
    seen: Vec<u64>,
    next: Option<Time>,
    state: CompactState,
}

impl EtcdCompactor {
    /// A compactor with a fixed interval, whatever the manifest says.
    pub fn new(interval: Duration) -> Self {
        EtcdCompactor {
            fixed: Some(interval),
            ..EtcdCompactor::default()
        }
    }

    /// The interval of the running kube-apiserver's manifest: its flag,
    /// else the default (also without machines: unit tests).
    fn configured_interval(&mut self, machines: &BTreeMap<String, Machine>) -> Duration {
        if let Some(fixed) = self.fixed {
            return fixed;
        }
        let versions: Vec<u64> = machines
            .values()
            .filter(|m| m.control_plane)
            .map(|m| m.fs.version())
            .collect();
        if let Some(interval) = self.interval.filter(|_| versions == self.seen) {
            return interval;
        }
        self.seen = versions;
        self.static_pods
            .running(machines, "kube-apiserver")
            .first()
            .and_then(|p| p.flag("etcd-compaction-interval"))
            .and_then(|v| go_duration_ms(&v))
            .map_or(DEFAULT_INTERVAL, Duration::from_millis)
    }
}

impl Component for EtcdCompactor {
    fn name(&self) -> String {
        "kube-apiserver/etcd-compactor".into()
    }

    fn sync(&mut self, ctx: &mut SyncContext<'_>) {
        let interval = self.configured_interval(ctx.machines);
        if self.interval != Some(interval) {
            // Started, or restarted with another interval: a new compactor.
            self.interval = Some(interval);
            self.state = CompactState::default();
            // An interval of 0 turns compaction off, as the flag documents.
            self.next = (interval > Duration::ZERO).then(|| ctx.now + interval);
            return;
        }
        let Some(next) = self.next else {
            return;
        };
        if ctx.now < next {
            return;
        }
        self.state = ctx.api.compact_round(self.state);
        self.next = Some(ctx.now + interval);
    }

    fn next_wakeup(&self, _now: Time) -> Option<Time> {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::etcd::RangeRequest;

    #[test]
    fn compacts_to_the_revision_of_the_previous_round() {
        let mut api = ApiServer::new(1);
        api.etcd_put("/registry/configmaps/default/a", b"1".to_vec());
        // Bootstrap: the key is created, nothing is compacted.
        let s1 = api.compact_round(CompactState::default());
        assert_eq!(api.store().compact_revision(), 0);
        assert_eq!(s1.expect_version, 1);
        assert_eq!(
            api.store().get(COMPACT_REV_KEY).map(|kv| kv.value.clone()),
            Some(b"0".to_vec())
        );
        let old = api.etcd_put("/registry/configmaps/default/a", b"2".to_vec());
        api.etcd_put("/registry/configmaps/default/a", b"3".to_vec());
        // The next round compacts to the revision the first one saw, and
        // records it in the key.
        let s2 = api.compact_round(s1);
        assert_eq!(api.store().compact_revision(), s1.revision);
        assert_eq!(
            api.store().get(COMPACT_REV_KEY).map(|kv| kv.value.clone()),
            Some(s1.revision.to_string().into_bytes())
        );
        assert_eq!(s2.expect_version, 2);
        // What came after the compaction revision is still readable.
        let at_old = api.store().range(&RangeRequest {
            revision: old,
            ..RangeRequest::key("/registry/configmaps/default/a")
        });
        assert_eq!(at_old.map(|r| r.count), Ok(1));
        // A round that finds another compactor ahead follows its time.
        let stale = api.compact_round(CompactState::default());
        assert_eq!(stale.expect_version, 2);
        assert_eq!(api.store().compact_revision(), s1.revision);
    }
}
