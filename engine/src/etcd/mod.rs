//! The etcd model: an MVCC key-value store with one global revision, as
//! etcd v3 keeps it. The apiserver is its only writer (Architecture
//! Invariant); `etcdctl` on the control-plane node reads it directly.
//!
//! What etcd keeps per key — `create_revision`, `mod_revision`, `version` —
//! is kept here with the same meaning, so `etcdctl get -w json` and an
//! object's `metadata.resourceVersion` agree with a real cluster.

mod snapshot;

pub use snapshot::{SnapshotError, SnapshotStatus};

use crate::maps::BoxedMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One key's current value and its revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    pub key: String,
    pub value: Vec<u8>,
    /// The revision of the last creation of this key.
    pub create_revision: i64,
    /// The revision of the last modification.
    pub mod_revision: i64,
    /// How many times the key was written since its creation (1 after create).
    pub version: i64,
}

/// What a watcher sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Put,
    Delete,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchEvent {
    pub kind: EventType,
    /// For a delete, the key with `mod_revision` set to the deletion revision and no value.
    pub kv: KeyValue,
    pub prev_kv: Option<KeyValue>,
}

/// etcd's errors, with etcd's own texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EtcdError {
    Compacted { compact_revision: i64 },
    FutureRevision,
}

impl std::fmt::Display for EtcdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EtcdError::Compacted { .. } => {
                f.write_str("etcdserver: mvcc: required revision has been compacted")
            }
            EtcdError::FutureRevision => {
                f.write_str("etcdserver: mvcc: required revision is a future revision")
            }
        }
    }
}

/// A range request (`etcdctl get`).
#[derive(Clone, Debug, Default)]
pub struct RangeRequest {
    pub key: String,
    /// Everything from `key` up to this key (exclusive). `prefix` sets it.
    pub range_end: Option<String>,
    pub prefix: bool,
    pub limit: usize,
    /// 0 = the current revision.
    pub revision: i64,
    pub keys_only: bool,
    pub count_only: bool,
}

impl RangeRequest {
    pub fn key(key: impl Into<String>) -> Self {
        RangeRequest {
            key: key.into(),
            ..Default::default()
        }
    }
    pub fn prefix(key: impl Into<String>) -> Self {
        RangeRequest {
            key: key.into(),
            prefix: true,
            ..Default::default()
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeResponse {
    /// The store's revision when the range was served.
    pub revision: i64,
    pub kvs: Vec<KeyValue>,
    /// How many keys the range matched, before `limit`.
    pub count: usize,
    pub more: bool,
}

/// What a transaction compares (`etcdctl txn`, and the apiserver's
/// optimistic concurrency: "mod_revision of the key = the resourceVersion I read").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareTarget {
    Version(i64),
    CreateRevision(i64),
    ModRevision(i64),
    Value(Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Equal,
    NotEqual,
    Greater,
    Less,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compare {
    pub key: String,
    pub op: CompareOp,
    pub target: CompareTarget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxnOp {
    Put { key: String, value: Vec<u8> },
    Delete { key: String },
    Get { key: String },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxnResponse {
    pub succeeded: bool,
    pub revision: i64,
    /// The results of the `Get` operations, in order.
    pub gets: Vec<Option<KeyValue>>,
}

/// A revision of one key: its value then, or a tombstone.
///
/// Only a key's newest value is kept whole. An older one that a put
/// followed keeps only what differs from the value after it (`shared`: how
/// many bytes at the start and at the end the two have in common; `kv.value`
/// holds the bytes between): a status update rewrites a few fields of a
/// pod, so the revisions of one pod differ in tens or hundreds of bytes out
/// of thousands (measured: 53 to 1,114 of 1,700 to 3,000). Reading an old
/// revision rebuilds it from the newer ones; reads of the current state,
/// the common case, never need to.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Generation {
    revision: i64,
    kv: Option<KeyValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shared: Option<(usize, usize)>,
}

impl Generation {
    fn new(revision: i64, kv: Option<KeyValue>) -> Self {
        Generation {
            revision,
            kv,
            shared: None,
        }
    }

    /// Keeps of this generation's value only what differs from `next`,
    /// the value that replaced it.
    fn share_with(&mut self, next: &[u8]) {
        let Some(kv) = self.kv.as_mut().filter(|_| self.shared.is_none()) else {
            return;
        };
        let old = kv.value.as_slice();
        let start = old.iter().zip(next).take_while(|(a, b)| a == b).count();
        let end = old
            .iter()
            .rev()
            .zip(next.iter().rev())
            .take(old.len().min(next.len()) - start)
            .take_while(|(a, b)| a == b)
            .count();
        kv.value = old.get(start..old.len() - end).unwrap_or_default().to_vec();
        self.shared = Some((start, end));
    }
}

/// The value of generation `idx` of a key's history, whole: borrowed when
/// it is kept whole, else rebuilt from the generations after it.
fn kv_at(hist: &[Generation], idx: usize) -> Option<Cow<'_, KeyValue>> {
    let gen = hist.get(idx)?;
    let kv = gen.kv.as_ref()?;
    if gen.shared.is_none() {
        return Some(Cow::Borrowed(kv));
    }
    // The first whole value after it, then back to it one generation at a time.
    let later = hist.get(idx..)?;
    let whole = later.iter().position(|g| g.shared.is_none())?;
    let mut value = later.get(whole)?.kv.as_ref()?.value.clone();
    for g in later.get(..whole)?.iter().rev() {
        let (Some((start, end)), Some(kv)) = (g.shared, g.kv.as_ref()) else {
            return None;
        };
        let mut v = Vec::with_capacity(start + kv.value.len() + end);
        v.extend_from_slice(value.get(..start)?);
        v.extend_from_slice(&kv.value);
        v.extend_from_slice(value.get(value.len().checked_sub(end)?..)?);
        value = v;
    }
    Some(Cow::Owned(KeyValue {
        key: kv.key.clone(),
        value,
        create_revision: kv.create_revision,
        mod_revision: kv.mod_revision,
        version: kv.version,
    }))
}

/// The store. Cloning is cheap enough for tests; the simulation owns one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store {
    revision: i64,
    compact_revision: i64,
    /// Every key's history, oldest first; the last entry is the current state.
    /// Boxed: its own key/value pair was a copy of BTreeMap's code in the
    /// wasm bundle (`maps::BoxedMap`).
    history: BoxedMap<Vec<Generation>>,
    /// The change log watchers read, ordered by revision: which key changed
    /// at which revision. The values themselves are read from `history`,
    /// which holds every revision the log reaches back to, so that a value
    /// is stored once rather than once more per event and once per
    /// following event's `prev_kv`.
    log: Vec<(i64, String)>,
}

/// One entry of the change log, borrowed from the store: what a watcher
/// receives, the values read only when asked for.
#[derive(Clone, Copy, Debug)]
pub struct LogEvent<'a> {
    pub kind: EventType,
    pub key: &'a str,
    /// The revision of the change.
    pub revision: i64,
    /// The key's history, and the change's place in it.
    hist: &'a [Generation],
    idx: usize,
}

impl<'a> LogEvent<'a> {
    /// The key's value after a put; `None` after a delete.
    pub fn kv(&self) -> Option<Cow<'a, KeyValue>> {
        kv_at(self.hist, self.idx)
    }

    /// The key's value before the change, if it existed.
    pub fn prev_kv(&self) -> Option<Cow<'a, KeyValue>> {
        kv_at(self.hist, self.idx.checked_sub(1)?)
    }

    /// The event as etcd's watch delivers it (a delete as the key with
    /// the deletion's revision and no value).
    pub fn to_owned_event(&self) -> WatchEvent {
        let kv = self.kv().map(Cow::into_owned).unwrap_or_else(|| KeyValue {
            key: self.key.to_string(),
            value: vec![],
            create_revision: 0,
            mod_revision: self.revision,
            version: 0,
        });
        WatchEvent {
            kind: self.kind,
            kv,
            prev_kv: self.prev_kv().map(Cow::into_owned),
        }
    }
}

impl Store {
    /// A fresh store. Like etcd, it starts at revision 1 with no keys.
    pub fn new() -> Self {
        Store {
            revision: 1,
            ..Default::default()
        }
    }

    pub fn revision(&self) -> i64 {
        self.revision
    }

    pub fn compact_revision(&self) -> i64 {
        self.compact_revision
    }

    /// The current value of one key.
    pub fn get(&self, key: &str) -> Option<&KeyValue> {
        self.history.get(key)?.last()?.kv.as_ref()
    }

    /// Number of live keys.
    pub fn len(&self) -> usize {
        self.history
            .values()
            .filter(|h| h.last().is_some_and(|g| g.kv.is_some()))
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn range(&self, req: &RangeRequest) -> Result<RangeResponse, EtcdError> {
        let at = if req.revision <= 0 {
            self.revision
        } else {
            req.revision
        };
        if at > self.revision {
            return Err(EtcdError::FutureRevision);
        }
        if at < self.compact_revision {
            return Err(EtcdError::Compacted {
                compact_revision: self.compact_revision,
            });
        }
        let end = if req.prefix {
            Some(prefix_end(&req.key))
        } else {
            req.range_end.clone()
        };
        let mut kvs = Vec::new();
        let mut count = 0;
        let mut visit = |hist: &Vec<Generation>| {
            if let Some(kv) = value_at(hist, at) {
                count += 1;
                if !req.count_only && (req.limit == 0 || kvs.len() < req.limit) {
                    let mut kv = kv.into_owned();
                    if req.keys_only {
                        kv.value.clear();
                    }
                    kvs.push(kv);
                }
            }
        };
        match end {
            None => {
                if let Some(h) = self.history.get(&req.key) {
                    visit(h);
                }
            }
            // etcd's "\0" range end means "every key >= key".
            Some(end) if end == "\0" => self
                .history
                .range(req.key.clone()..)
                .for_each(|(_, h)| visit(h)),
            Some(end) => {
                if end > req.key {
                    self.history
                        .range(req.key.clone()..end)
                        .for_each(|(_, h)| visit(h))
                }
            }
        }
        let more = req.limit > 0 && count > req.limit;
        Ok(RangeResponse {
            revision: self.revision,
            kvs,
            count,
            more,
        })
    }

    /// Writes one key; returns the new revision.
    pub fn put(&mut self, key: &str, value: Vec<u8>) -> i64 {
        self.revision += 1;
        let rev = self.revision;
        self.write(key, Some(value), rev);
        rev
    }

    /// Deletes the keys in a range; returns how many were deleted. The
    /// revision moves only if something was deleted, as in etcd.
    pub fn delete_range(&mut self, key: &str, prefix: bool) -> usize {
        let keys: Vec<String> = if prefix {
            let end = prefix_end(key);
            self.history
                .range(key.to_string()..)
                .take_while(|(k, _)| end == "\0" || **k < end)
                .filter(|(_, h)| h.last().is_some_and(|g| g.kv.is_some()))
                .map(|(k, _)| k.clone())
                .collect()
        } else if self.get(key).is_some() {
            vec![key.to_string()]
        } else {
            vec![]
        };
        if keys.is_empty() {
            return 0;
        }
        self.revision += 1;
        let rev = self.revision;
        for k in &keys {
            self.write(k, None, rev);
        }
        keys.len()
    }

    /// A compare-and-swap transaction: all compares hold → `success` ops,
    /// else `failure` ops. Every write in it shares one new revision.
    pub fn txn(
        &mut self,
        compares: &[Compare],
        success: &[TxnOp],
        failure: &[TxnOp],
    ) -> TxnResponse {
        let succeeded = compares.iter().all(|c| self.compare_holds(c));
        let ops = if succeeded { success } else { failure };
        let writes = ops.iter().any(|op| match op {
            TxnOp::Put { .. } => true,
            TxnOp::Delete { key } => self.get(key).is_some(),
            TxnOp::Get { .. } => false,
        });
        if writes {
            self.revision += 1;
        }
        let rev = self.revision;
        let mut gets = Vec::new();
        for op in ops {
            match op {
                TxnOp::Put { key, value } => self.write(key, Some(value.clone()), rev),
                TxnOp::Delete { key } => {
                    if self.get(key).is_some() {
                        self.write(key, None, rev)
                    }
                }
                TxnOp::Get { key } => gets.push(self.get(key).cloned()),
            }
        }
        TxnResponse {
            succeeded,
            revision: rev,
            gets,
        }
    }

    fn compare_holds(&self, c: &Compare) -> bool {
        let kv = self.get(&c.key);
        // etcd compares a missing key as version/revisions 0 and an empty value.
        let ord = match &c.target {
            CompareTarget::Version(v) => kv.map_or(0, |k| k.version).cmp(v),
            CompareTarget::CreateRevision(v) => kv.map_or(0, |k| k.create_revision).cmp(v),
            CompareTarget::ModRevision(v) => kv.map_or(0, |k| k.mod_revision).cmp(v),
            CompareTarget::Value(v) => match kv {
                Some(k) => k.value.as_slice().cmp(v.as_slice()),
                None => return false,
            },
        };
        match c.op {
            CompareOp::Equal => ord.is_eq(),
            CompareOp::NotEqual => ord.is_ne(),
            CompareOp::Greater => ord.is_gt(),
            CompareOp::Less => ord.is_lt(),
        }
    }

    fn write(&mut self, key: &str, value: Option<Vec<u8>>, rev: i64) {
        let hist = self.history.entry(key.to_string()).or_default();
        let prev = hist
            .last()
            .and_then(|g| g.kv.as_ref())
            .map(|p| (p.create_revision, p.version));
        let kv = value.map(|value| {
            let (create_revision, version) = match prev {
                Some((create_revision, version)) => (create_revision, version + 1),
                None => (rev, 1),
            };
            KeyValue {
                key: key.to_string(),
                value,
                create_revision,
                mod_revision: rev,
                version,
            }
        });
        if let (Some(last), Some(kv)) = (hist.last_mut(), kv.as_ref()) {
            last.share_with(&kv.value);
        }
        grow_by_half(hist);
        hist.push(Generation::new(rev, kv));
        self.log.push((rev, key.to_string()));
    }

    /// The log entry for `key` changed at `rev`, read from its history.
    fn log_event<'a>(&'a self, rev: i64, key: &'a str) -> Option<LogEvent<'a>> {
        let hist = self.history.get(key)?;
        let idx = hist.partition_point(|g| g.revision < rev);
        let gen = hist.get(idx).filter(|g| g.revision == rev)?;
        Some(LogEvent {
            kind: if gen.kv.is_some() {
                EventType::Put
            } else {
                EventType::Delete
            },
            key,
            revision: rev,
            hist,
            idx,
        })
    }

    /// The log from revision `from` on (which must not be compacted).
    fn log_from(&self, from: i64) -> impl Iterator<Item = LogEvent<'_>> {
        let start = self.log.partition_point(|(r, _)| *r < from);
        self.log
            .get(start..)
            .unwrap_or_default()
            .iter()
            .filter_map(|(rev, key)| self.log_event(*rev, key))
    }

    /// Events with revision ≥ `from` for keys under `prefix` (or the single
    /// key when `prefix` is false), as a watch started at `from` would deliver.
    pub fn watch(&self, key: &str, prefix: bool, from: i64) -> Result<Vec<WatchEvent>, EtcdError> {
        if from > 0 && from < self.compact_revision {
            return Err(EtcdError::Compacted {
                compact_revision: self.compact_revision,
            });
        }
        let from = if from <= 0 { self.revision + 1 } else { from };
        Ok(self
            .log_from(from)
            .filter(|e| {
                if prefix {
                    e.key.starts_with(key)
                } else {
                    e.key == key
                }
            })
            .map(|e| e.to_owned_event())
            .collect())
    }

    /// The change log from revision `from` on (all keys), borrowed: what
    /// the apiserver's watch cache replays to catch up. `None` when
    /// compaction removed part of it (the cache then reloads everything).
    pub fn log_since(&self, from: i64) -> Option<impl Iterator<Item = LogEvent<'_>>> {
        if from < self.compact_revision {
            return None;
        }
        Some(self.log_from(from))
    }

    /// Forgets history before `rev`, as `etcdctl compaction` does: every
    /// key keeps its newest revision at or before `rev` (the state at
    /// `rev` stays readable) and everything after; a key whose newest
    /// revision before `rev` is a deletion is gone altogether. Reads and
    /// watches from before `rev` fail from now on.
    pub fn compact(&mut self, rev: i64) -> Result<(), EtcdError> {
        if rev > self.revision {
            return Err(EtcdError::FutureRevision);
        }
        if rev <= self.compact_revision {
            return Err(EtcdError::Compacted {
                compact_revision: self.compact_revision,
            });
        }
        self.compact_revision = rev;
        self.history.retain(|_, hist| {
            // The newest generation at or before `rev` stays; when it is
            // exactly at `rev`, the one before it stays too: a watch may
            // still start at `rev`, and its first event carries the value
            // before (`prev_kv`).
            let at_or_before = hist.partition_point(|g| g.revision <= rev);
            let before = hist.partition_point(|g| g.revision < rev);
            let keep_from = if before < at_or_before {
                before.saturating_sub(1)
            } else {
                at_or_before.saturating_sub(1)
            };
            hist.drain(..keep_from);
            // A pod's generations drained to its last one would keep the
            // room of all of them for as long as it lives.
            if hist.capacity() > 2 * hist.len() {
                hist.shrink_to_fit();
            }
            // A key deleted before `rev` and not written since.
            !matches!(hist.as_slice(), [only] if only.kv.is_none() && only.revision < rev)
        });
        self.log.retain(|(r, _)| *r >= rev);
        Ok(())
    }

    /// Live keys under `prefix` at the current revision, in key order.
    pub fn prefix<'a>(&'a self, prefix: &str) -> impl Iterator<Item = &'a KeyValue> + 'a {
        let end = prefix_end(prefix);
        let end = if end == "\0" {
            std::ops::Bound::Unbounded
        } else {
            std::ops::Bound::Excluded(end)
        };
        self.history
            .range::<String, _>((std::ops::Bound::Included(prefix.to_string()), end))
            .filter_map(|(_, h)| h.last().and_then(|g| g.kv.as_ref()))
    }

    /// Live keys at the current revision, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &KeyValue> {
        self.history
            .values()
            .filter_map(|h| h.last().and_then(|g| g.kv.as_ref()))
    }
}

/// Makes room for one more generation in a key's history, growing it by
/// half rather than doubling (and by one while it is short): most keys
/// keep one to a few generations (an Event is written once, a pod a few
/// times before compaction), and a `Vec`'s first allocation already holds
/// four: an Event written once left three unused (about 300 bytes).
fn grow_by_half(hist: &mut Vec<Generation>) {
    if hist.len() == hist.capacity() {
        hist.reserve_exact((hist.len() / 2).max(1));
    }
}

fn value_at(hist: &[Generation], rev: i64) -> Option<Cow<'_, KeyValue>> {
    let idx = hist.partition_point(|g| g.revision <= rev);
    kv_at(hist, idx.checked_sub(1)?)
}

/// etcd's `GetPrefixRangeEnd`: the key with its last byte incremented.
pub fn prefix_end(key: &str) -> String {
    let mut bytes = key.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last < 0xff {
            bytes.push(last + 1);
            return String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    "\0".to_string()
}

#[cfg(test)]
mod tests;
