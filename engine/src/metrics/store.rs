//! metrics-server's in-memory storage (`pkg/storage`): for each node and
//! each container, the point of the last scrape and the time of the one
//! before it. CPU is a rate, so a node or container is served only once it
//! has two points with no restart between them — or, for a container that
//! started 10–15 s before the scrape, its start counts as the first point.
//! A pod is served only when every one of its containers is.

use crate::clock::{Duration, Time};
use crate::maps::BoxedMap;
use std::collections::BTreeMap;

/// A fresh container's minimum age for its start to count as a point.
const FRESH_MIN: Duration = Duration::from_secs(10);

/// One measurement from a kubelet's `/metrics/resource`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    /// When the container (or node) started.
    pub start: Time,
    /// When it was measured.
    pub ts: Time,
    pub cpu_nano: u64,
    pub memory: u64,
}

/// The last point of a series and when the one before it was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    pub last: Point,
    pub prev_ts: Option<Time>,
}

impl Series {
    /// The window the CPU rate was measured over, when there is one.
    pub fn window(&self) -> Option<Duration> {
        self.prev_ts.map(|p| self.last.ts - p)
    }
}

/// A pod's key: namespace and name.
pub type PodKey = (String, String);

/// What one metrics-server process holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store {
    pub nodes: BoxedMap<Series>,
    pub pods: BTreeMap<PodKey, BoxedMap<Series>>,
    /// The scrape ticks done (counted from the process start).
    pub ticks_done: Option<i64>,
}

fn next(old: Option<&Series>, new: Point, resolution: Duration) -> Series {
    let age = new.ts - new.start;
    let prev_ts = if new.start < new.ts && age < resolution && age >= FRESH_MIN {
        Some(new.start)
    } else {
        match old {
            Some(o) if new.start < o.last.ts => {
                if new.ts > o.last.ts {
                    Some(o.last.ts)
                } else {
                    o.prev_ts.filter(|p| *p < new.ts)
                }
            }
            _ => None,
        }
    };
    Series { last: new, prev_ts }
}

impl Store {
    /// Stores a scrape's points; what the scrape did not see is forgotten.
    pub fn record(
        &mut self,
        nodes: BoxedMap<Point>,
        pods: BTreeMap<PodKey, BoxedMap<Point>>,
        resolution: Duration,
    ) {
        self.nodes = crate::sort::map(nodes.into_iter().map(|(n, p)| {
            let s = next(self.nodes.get(&n).map(|s| &**s), *p, resolution);
            (n, Box::new(s))
        }));
        self.pods = crate::sort::map(pods.into_iter().map(|(k, cs)| {
            let old = self.pods.get(&k);
            let cs = crate::sort::map(cs.into_iter().map(|(c, p)| {
                let s = next(old.and_then(|o| o.get(&c)).map(|s| &**s), *p, resolution);
                (c, Box::new(s))
            }));
            (k, cs)
        }));
    }

    /// `/readyz`: some series can be served.
    pub fn ready(&self) -> bool {
        self.nodes.values().any(|s| s.prev_ts.is_some())
            || self
                .pods
                .values()
                .any(|cs| cs.values().any(|s| s.prev_ts.is_some()))
    }

    /// A pod's containers, when every one of them can be served.
    pub fn pod(&self, key: &PodKey) -> Option<&BoxedMap<Series>> {
        self.pods
            .get(key)
            .filter(|cs| !cs.is_empty() && cs.values().all(|s| s.prev_ts.is_some()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(start: i64, ts: i64) -> Point {
        Point {
            start: Time(start * 1000),
            ts: Time(ts * 1000),
            cpu_nano: 1,
            memory: 1,
        }
    }

    #[test]
    fn series_need_two_points_or_a_fresh_start() {
        let res = Duration::from_secs(15);
        let mut s = Store::default();
        let one = |p: Point| BoxedMap::from([("n".to_string(), Box::new(p))]);
        s.record(one(pt(0, 100)), BTreeMap::new(), res);
        assert!(!s.ready());
        s.record(one(pt(0, 115)), BTreeMap::new(), res);
        assert_eq!(s.nodes["n"].window(), Some(Duration::from_secs(15)));
        // A restart (a later start) begins again.
        s.record(one(pt(120, 130)), BTreeMap::new(), res);
        assert_eq!(
            s.nodes["n"].window(),
            Some(Duration::from_secs(10)),
            "fresh: its start counts"
        );
        s.record(one(pt(135, 140)), BTreeMap::new(), res);
        assert_eq!(s.nodes["n"].window(), None, "5 s old is too fresh");
        let key = ("default".to_string(), "web".to_string());
        let pods = BTreeMap::from([(
            key.clone(),
            BoxedMap::from([
                ("a".to_string(), Box::new(pt(0, 100))),
                ("b".to_string(), Box::new(pt(89, 100))),
            ]),
        )]);
        s.record(BTreeMap::new(), pods, res);
        assert!(s.pod(&key).is_none(), "container a has one point only");
        assert!(s.ready(), "container b is served");
    }
}
