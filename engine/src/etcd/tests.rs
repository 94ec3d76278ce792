use super::*;

fn put(s: &mut Store, k: &str, v: &str) -> i64 {
    s.put(k, v.as_bytes().to_vec())
}

#[test]
fn revisions_follow_etcd() {
    let mut s = Store::new();
    assert_eq!(s.revision(), 1);
    assert_eq!(put(&mut s, "/registry/pods/default/a", "1"), 2);
    assert_eq!(put(&mut s, "/registry/pods/default/b", "1"), 3);
    assert_eq!(put(&mut s, "/registry/pods/default/a", "2"), 4);
    let a = s
        .get("/registry/pods/default/a")
        .cloned()
        .unwrap_or_else(|| panic!("a missing"));
    assert_eq!((a.create_revision, a.mod_revision, a.version), (2, 4, 2));
    // Deleting a missing key does not move the revision.
    assert_eq!(s.delete_range("/registry/pods/default/zzz", false), 0);
    assert_eq!(s.revision(), 4);
    assert_eq!(s.delete_range("/registry/pods/default/a", false), 1);
    assert_eq!(s.revision(), 5);
    // Recreated: a new create_revision and version 1.
    put(&mut s, "/registry/pods/default/a", "3");
    let a = s
        .get("/registry/pods/default/a")
        .cloned()
        .unwrap_or_else(|| panic!("a missing"));
    assert_eq!((a.create_revision, a.mod_revision, a.version), (6, 6, 1));
}

#[test]
fn range_prefix_limit_keys_only_and_history() {
    let mut s = Store::new();
    for k in [
        "/registry/pods/default/a",
        "/registry/pods/default/b",
        "/registry/pods/kube-system/c",
        "/registry/services/specs/default/k",
    ] {
        put(&mut s, k, "v");
    }
    let mut req = RangeRequest::prefix("/registry/pods/");
    let r = s.range(&req).unwrap_or_default();
    assert_eq!(r.count, 3);
    req.limit = 2;
    req.keys_only = true;
    let r = s.range(&req).unwrap_or_default();
    assert_eq!(r.kvs.len(), 2);
    assert!(r.more);
    assert!(r.kvs.iter().all(|kv| kv.value.is_empty()));
    // Reading the past.
    put(&mut s, "/registry/pods/default/a", "new");
    let old = s
        .range(&RangeRequest {
            revision: 2,
            ..RangeRequest::key("/registry/pods/default/a")
        })
        .unwrap_or_default();
    assert_eq!(old.kvs[0].value, b"v");
    assert_eq!(
        s.range(&RangeRequest {
            revision: 99,
            ..RangeRequest::key("x")
        }),
        Err(EtcdError::FutureRevision)
    );
}

#[test]
fn txn_is_compare_and_swap() {
    let mut s = Store::new();
    let rev = put(&mut s, "k", "1");
    let cmp = |r| {
        vec![Compare {
            key: "k".into(),
            op: CompareOp::Equal,
            target: CompareTarget::ModRevision(r),
        }]
    };
    let ok = s.txn(
        &cmp(rev),
        &[
            TxnOp::Put {
                key: "k".into(),
                value: b"2".to_vec(),
            },
            TxnOp::Put {
                key: "j".into(),
                value: b"x".to_vec(),
            },
        ],
        &[],
    );
    assert!(ok.succeeded);
    // Both writes share one revision.
    assert_eq!(
        s.get("k").map(|k| k.mod_revision),
        s.get("j").map(|k| k.mod_revision)
    );
    let stale = s.txn(
        &cmp(rev),
        &[TxnOp::Put {
            key: "k".into(),
            value: b"3".to_vec(),
        }],
        &[TxnOp::Get { key: "k".into() }],
    );
    assert!(!stale.succeeded);
    assert_eq!(
        stale.gets[0].as_ref().map(|k| k.value.clone()),
        Some(b"2".to_vec())
    );
    // A missing key compares as create_revision 0: "create only if absent".
    let create = vec![Compare {
        key: "new".into(),
        op: CompareOp::Equal,
        target: CompareTarget::CreateRevision(0),
    }];
    assert!(
        s.txn(
            &create,
            &[TxnOp::Put {
                key: "new".into(),
                value: vec![]
            }],
            &[]
        )
        .succeeded
    );
    assert!(
        !s.txn(
            &create,
            &[TxnOp::Put {
                key: "new".into(),
                value: vec![]
            }],
            &[]
        )
        .succeeded
    );
}

#[test]
fn watch_from_revision_and_compaction() {
    let mut s = Store::new();
    let r1 = put(&mut s, "/registry/pods/default/a", "1");
    put(&mut s, "/registry/configmaps/default/x", "1");
    put(&mut s, "/registry/pods/default/a", "2");
    s.delete_range("/registry/pods/default/a", false);
    let events = s.watch("/registry/pods/", true, r1).unwrap_or_default();
    let kinds: Vec<_> = events.iter().map(|e| (e.kind, e.kv.mod_revision)).collect();
    assert_eq!(
        kinds,
        vec![
            (EventType::Put, 2),
            (EventType::Put, 4),
            (EventType::Delete, 5)
        ]
    );
    assert_eq!(
        events[2].prev_kv.as_ref().map(|k| k.value.clone()),
        Some(b"2".to_vec())
    );

    s.compact(4).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.watch("/registry/pods/", true, 2),
        Err(EtcdError::Compacted {
            compact_revision: 4
        })
    );
    assert_eq!(s.watch("/registry/pods/", true, 5).map(|e| e.len()), Ok(1));
    let err = s.range(&RangeRequest {
        revision: 3,
        ..RangeRequest::key("/registry/configmaps/default/x")
    });
    assert_eq!(
        err.map_err(|e| e.to_string()),
        Err("etcdserver: mvcc: required revision has been compacted".into())
    );
    // The current state survives compaction.
    assert!(s.get("/registry/configmaps/default/x").is_some());
    assert!(s.compact(4).is_err());
}

#[test]
fn snapshot_round_trip_and_corruption() {
    let mut s = Store::new();
    put(&mut s, "/registry/deployments/default/web", "{}");
    put(&mut s, "/registry/namespaces/default", "{}");
    let blob = s.snapshot();
    let status = Store::snapshot_status(&blob).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (status.revision, status.total_keys, status.total_size),
        (3, 2, blob.len())
    );

    let restored = Store::restore(&blob).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(restored.revision(), 3);
    assert_eq!(
        restored.get("/registry/deployments/default/web"),
        s.get("/registry/deployments/default/web")
    );

    let mut bad = blob.clone();
    let last = bad.len() - 2;
    bad[last] ^= 1;
    assert_eq!(Store::restore(&bad), Err(SnapshotError::HashMismatch));
    assert_eq!(Store::restore(b"hello"), Err(SnapshotError::Invalid));
}

#[test]
fn prefix_end_increments_last_byte() {
    assert_eq!(prefix_end("/registry/pods/"), "/registry/pods0");
    assert_eq!(prefix_end("a"), "b");
}

#[test]
fn compaction_keeps_the_latest_version_of_every_key() {
    let mut s = Store::new();
    put(&mut s, "a", "1"); // 2
    put(&mut s, "a", "2"); // 3
    put(&mut s, "b", "1"); // 4
    put(&mut s, "a", "3"); // 5
    s.compact(4).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.compact_revision(), 4);
    // The state at the compaction revision is still readable…
    let at = |s: &Store, key: &str, revision| {
        s.range(&RangeRequest {
            revision,
            ..RangeRequest::key(key)
        })
        .map(|r| r.kvs.iter().map(|kv| kv.value.clone()).collect::<Vec<_>>())
    };
    assert_eq!(at(&s, "a", 4), Ok(vec![b"2".to_vec()]));
    assert_eq!(at(&s, "b", 4), Ok(vec![b"1".to_vec()]));
    assert_eq!(at(&s, "a", 5), Ok(vec![b"3".to_vec()]));
    // …and everything before it is gone, with etcd's error.
    assert_eq!(
        at(&s, "a", 3),
        Err(EtcdError::Compacted {
            compact_revision: 4
        })
    );
    // Versions and create revisions survive: they are the key's, not its history's.
    let a = s.get("a").cloned().unwrap_or_else(|| panic!("a missing"));
    assert_eq!((a.create_revision, a.mod_revision, a.version), (2, 5, 3));
    // Only what a read at 4 or later can reach is kept: a's value at 4
    // (written at 3) and at 5.
    assert_eq!(s.history.get("a").map(|h| h.len()), Some(2));
    // Compacting again at or below the compaction revision fails; past
    // the current revision too.
    assert_eq!(
        s.compact(4).map_err(|e| e.to_string()),
        Err("etcdserver: mvcc: required revision has been compacted".into())
    );
    assert_eq!(
        s.compact(99).map_err(|e| e.to_string()),
        Err("etcdserver: mvcc: required revision is a future revision".into())
    );
}

#[test]
fn compaction_drops_tombstones_before_the_revision() {
    let mut s = Store::new();
    put(&mut s, "gone", "1"); // 2
    s.delete_range("gone", false); // 3
    put(&mut s, "late", "1"); // 4
    s.delete_range("late", false); // 5
    put(&mut s, "x", "1"); // 6
    s.compact(4).unwrap_or_else(|e| panic!("{e}"));
    // Deleted before 4: nothing of it is left.
    assert!(!s.history.contains_key("gone"));
    // Deleted after 4: still readable at 4, absent now.
    let late = s.range(&RangeRequest {
        revision: 4,
        ..RangeRequest::key("late")
    });
    assert_eq!(late.map(|r| r.count), Ok(1));
    assert!(s.get("late").is_none());
    // Once the compaction passes the deletion, the tombstone goes too.
    s.compact(6).unwrap_or_else(|e| panic!("{e}"));
    assert!(!s.history.contains_key("late"));
    assert_eq!(s.len(), 1);
    // Recreating a key after its tombstone went starts it over.
    put(&mut s, "gone", "2");
    let g = s
        .get("gone")
        .cloned()
        .unwrap_or_else(|| panic!("gone missing"));
    assert_eq!((g.create_revision, g.version), (7, 1));
}

#[test]
fn a_watch_may_start_at_the_compaction_revision() {
    let mut s = Store::new();
    put(&mut s, "k", "1"); // 2
    put(&mut s, "k", "2"); // 3
    put(&mut s, "k", "3"); // 4
    s.compact(3).unwrap_or_else(|e| panic!("{e}"));
    let events = s.watch("k", false, 3).unwrap_or_default();
    let seen: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.kv.value.clone(),
                e.prev_kv.as_ref().map(|p| p.value.clone()),
            )
        })
        .collect();
    // The event at 3 still carries the value before it.
    assert_eq!(
        seen,
        vec![
            (b"2".to_vec(), Some(b"1".to_vec())),
            (b"3".to_vec(), Some(b"2".to_vec()))
        ]
    );
    assert!(s.log_since(3).is_some());
    assert!(s.log_since(2).is_none());
}

#[test]
fn every_revision_reads_back_whole_though_only_the_newest_is_kept_whole() {
    // Values that share starts and ends with the next one, one that shares
    // nothing, one that is the next one's start, a delete and a re-create,
    // an empty value.
    let values = [
        r#"{"metadata":{"name":"p"},"status":{"phase":"Pending"}}"#,
        r#"{"metadata":{"name":"p"},"status":{"phase":"Running"}}"#,
        r#"{"metadata":{"name":"p"},"status":{"phase":"Running","ready":true}}"#,
        "xyz",
        "x",
        "xyzx",
        "",
        "abc",
    ];
    let mut s = Store::new();
    let mut written = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if i == 6 {
            assert_eq!(s.delete_range("k", false), 1);
            written.push((s.revision(), None));
        }
        written.push((put(&mut s, "k", v), Some(v.as_bytes().to_vec())));
    }
    let read = |s: &Store, rev: i64| {
        s.range(&RangeRequest {
            revision: rev,
            ..RangeRequest::key("k")
        })
        .ok()
        .and_then(|r| r.kvs.first().map(|kv| kv.value.clone()))
    };
    for (rev, value) in &written {
        assert_eq!(read(&s, *rev), value.clone(), "revision {rev}");
    }
    // What a watch from the first revision delivers: each value, and the
    // one before it.
    let events = s.watch("k", false, 1).unwrap_or_default();
    let mut before = None;
    for (e, (rev, value)) in events.iter().zip(&written) {
        assert_eq!(e.kv.mod_revision, *rev);
        assert_eq!(e.kv.value, value.clone().unwrap_or_default());
        assert_eq!(e.prev_kv.as_ref().map(|p| p.value.clone()), before);
        before = value.clone();
    }
    assert_eq!(events.len(), written.len());
    // Compaction keeps what it must readable.
    let (rev, _) = written[3];
    s.compact(rev).unwrap_or_else(|e| panic!("{e}"));
    for (r, value) in written.iter().filter(|(r, _)| *r >= rev) {
        assert_eq!(read(&s, *r), value.clone(), "revision {r} after compaction");
    }
}
