//! The pod table's cells that do not read the clock, kept from one listing
//! to the next, by object.
//!
//! A listing of 10,000 pods spent most of its time deriving each row from
//! the pod's JSON (`printPod`'s walk over the statuses and conditions, the
//! name, the namespace): a pointer chase through every pod, most of it cache
//! misses, to print what the previous `get` printed. The watch cache shares
//! each stored object by reference and replaces it (a new allocation) when
//! it changes, so the allocation identifies the version: its row is derived
//! once, and a listing recomputes only the cells that read the clock (AGE,
//! RESTARTS' `(5m ago)`) from the kept [`Summary`].
//!
//! An entry holds a [`Weak`] to its object, so the allocation cannot be
//! freed and reused while the entry exists, and no one can change the value
//! in place (`Arc::get_mut` refuses while a `Weak` exists, `Arc::make_mut`
//! copies): the same address is the same, unchanged object. Entries whose
//! object is gone are dropped when the cache has doubled since it was last
//! swept.

use super::pod::{self, Summary};
use super::{tabwriter, Cell};
use crate::api::object;
use crate::clock::Time;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

/// The cells a row keeps: the namespace, then each column of [`pod::POD`].
const KEPT: usize = 1 + pod::POD.len();

/// What a pod's row is made of, apart from the clock: the cells one after
/// the other in one string (a listing reads a row from two allocations,
/// not one per cell), each with its width in characters.
#[derive(Debug)]
pub struct PodRow {
    text: String,
    /// Where each kept cell ends in `text` (it starts where the previous ends).
    ends: [usize; KEPT],
    widths: [usize; KEPT],
    /// What the cells that read the clock are computed from.
    pub summary: Summary,
}

impl PodRow {
    /// Derived from the object, as an uncached listing derives it. The
    /// cells of the [`Cell::OfPodAt`] columns are kept empty.
    pub fn new(obj: &Value) -> PodRow {
        let summary = pod::summarize(obj);
        let mut row = PodRow {
            text: String::new(),
            ends: [0; KEPT],
            widths: [0; KEPT],
            summary,
        };
        row.keep(0, object::namespace(obj).unwrap_or(""));
        for (i, c) in pod::POD.iter().enumerate() {
            let cell = match c.cell {
                // An `Of` cell of the pod table never reads the time.
                Cell::Of(f) => f(obj, Time::EPOCH),
                Cell::OfPod(f) => f(&row.summary),
                Cell::OfPodAt(_) => String::new(),
            };
            row.keep(1 + i, &cell);
        }
        row.text.shrink_to_fit();
        row
    }

    fn keep(&mut self, i: usize, cell: &str) {
        self.text.push_str(cell);
        if let (Some(end), Some(width)) = (self.ends.get_mut(i), self.widths.get_mut(i)) {
            *end = self.text.len();
            *width = tabwriter::width(cell);
        }
    }

    /// A kept cell and its width.
    fn kept(&self, i: usize) -> (&str, usize) {
        let start = i
            .checked_sub(1)
            .and_then(|j| self.ends.get(j))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(i).copied().unwrap_or(start);
        (
            self.text.get(start..end).unwrap_or(""),
            self.widths.get(i).copied().unwrap_or(0),
        )
    }

    /// The NAMESPACE cell.
    pub fn namespace(&self) -> (&str, usize) {
        self.kept(0)
    }

    /// The cell of the column of [`pod::POD`] at `index`, unless it reads
    /// the clock (then it is empty).
    pub fn cell(&self, index: usize) -> (&str, usize) {
        self.kept(1 + index)
    }
}

/// The rows of the pods listed so far, by the address of their object.
#[derive(Debug, Default)]
pub struct RowsCache {
    rows: HashMap<usize, (Weak<Value>, Arc<PodRow>)>,
    /// The size at which the next sweep happens.
    sweep_at: usize,
}

/// The smallest size at which dead entries are swept.
const SWEEP_MIN: usize = 1024;

impl RowsCache {
    /// The row of `obj`, derived now unless this very object was seen before.
    pub fn pod_row(&mut self, obj: &Arc<Value>) -> Arc<PodRow> {
        let addr = Arc::as_ptr(obj) as usize;
        if !self.rows.contains_key(&addr) && self.rows.len() >= self.sweep_at.max(SWEEP_MIN) {
            self.rows.retain(|_, (w, _)| w.strong_count() > 0);
            self.sweep_at = 2 * self.rows.len();
        }
        // An entry at this address is this object's: its Weak keeps the
        // allocation from being freed and reused.
        let (_, row) = self
            .rows
            .entry(addr)
            .or_insert_with(|| (Arc::downgrade(obj), Arc::new(PodRow::new(obj))));
        Arc::clone(row)
    }

    /// How many rows are kept (tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{columns, table, table_shared, TableOptions};
    use super::*;
    use crate::api;
    use crate::clock::Duration;
    use serde_json::json;

    fn pod(name: &str, ns: &str, reason: &str, restarts: i64) -> Arc<Value> {
        Arc::new(json!({
            "metadata": {"name": name, "namespace": ns, "creationTimestamp": "2025-04-23T08:00:00Z",
                         "labels": {"app": name, "tier": "web"}},
            "spec": {"containers": [{"name": "a"}], "nodeName": "node01",
                     "readinessGates": [{"conditionType": "example.com/lb"}]},
            "status": {"phase": "Running", "podIPs": [{"ip": "10.244.1.9"}], "nominatedNodeName": "node02",
                "conditions": [{"type": "example.com/lb", "status": "True"}],
                "containerStatuses": [{"name": "a", "ready": false, "restartCount": restarts,
                "state": {"waiting": {"reason": reason}},
                "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2025-04-23T08:30:00Z"}}}]},
        }))
    }

    fn pods_res() -> &'static api::Resource {
        api::resolve("pods").unwrap_or_else(|| panic!("pods"))
    }

    fn at(secs: i64) -> Time {
        Time::EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn the_pod_tables_kept_cells_do_not_read_the_clock() {
        let p = pod("web", "default", "CrashLoopBackOff", 3);
        for c in columns(pods_res()) {
            if let Cell::Of(f) = c.cell {
                assert_eq!(f(&p, at(0)), f(&p, at(86_400 * 400)), "{}", c.header);
            }
        }
    }

    #[test]
    fn every_option_prints_as_the_uncached_table() {
        let pods = [
            pod("web", "default", "CrashLoopBackOff", 3),
            pod("db-ü", "prod", "ImagePullBackOff", 0),
        ];
        let shared: Vec<&Arc<Value>> = pods.iter().collect();
        let plain: Vec<&Value> = pods.iter().map(|p| &**p).collect();
        let mut cache = RowsCache::default();
        for bits in 0..64u32 {
            let opts = TableOptions {
                wide: bits & 1 != 0,
                with_namespace: bits & 2 != 0,
                show_labels: bits & 4 != 0,
                no_headers: bits & 8 != 0,
                kind_prefix: (bits & 16 != 0).then(|| "pod".to_string()),
                label_columns: if bits & 32 != 0 {
                    vec!["tier".into(), "example.com/none".into()]
                } else {
                    vec![]
                },
            };
            for now in [at(3600), at(90_000)] {
                assert_eq!(
                    table_shared(pods_res(), &shared, now, &opts, &mut cache),
                    table(pods_res(), &plain, now, &opts),
                    "{opts:?}"
                );
            }
        }
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn a_changed_pod_is_a_new_object_and_derived_again() {
        let mut cache = RowsCache::default();
        let opts = TableOptions::default();
        let before = pod("web", "default", "ContainerCreating", 0);
        let text = table_shared(pods_res(), &[&before], at(60), &opts, &mut cache);
        assert!(text.contains("ContainerCreating"), "{text}");
        // The watch cache replaces a changed object: a new allocation.
        let after = pod("web", "default", "CrashLoopBackOff", 1);
        let text = table_shared(pods_res(), &[&after], at(60), &opts, &mut cache);
        assert!(text.contains("CrashLoopBackOff   1 ("), "{text}");
        assert!(!text.contains("ContainerCreating"), "{text}");
    }

    #[test]
    fn rows_of_objects_gone_are_swept() {
        let mut cache = RowsCache::default();
        let opts = TableOptions::default();
        let live = pod("live", "default", "Running", 0);
        for i in 0..10 * SWEEP_MIN {
            // Each listing's other object is dropped right after it.
            let gone = pod(&format!("gone-{i}"), "default", "Running", 0);
            table_shared(pods_res(), &[&live, &gone], at(60), &opts, &mut cache);
        }
        assert!(cache.len() <= SWEEP_MIN + 1, "{}", cache.len());
        assert!(cache.rows.contains_key(&(Arc::as_ptr(&live) as usize)));
    }
}
