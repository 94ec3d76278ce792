//! client-go's `flowcontrol.Backoff` as the kubelet uses it, for crashing
//! containers and for failed image pulls: 10 s, doubling, at most 5 min;
//! an entry not touched for twice the maximum starts again at 10 s.

use crate::clock::{Duration, Time};
use crate::maps::BoxedMap;

/// The kubelet's initial back-off (`backOffPeriod`).
pub const INITIAL: Duration = Duration::from_secs(10);
/// `MaxContainerBackOff` and `MaxImageBackOff`.
pub const MAX: Duration = Duration::from_secs(300);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Entry {
    backoff: Duration,
    last_update: Time,
}

/// Back-off per key (a container of a pod, or an image of a pod).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    entries: BoxedMap<Entry>,
}

fn expired(event: Time, last_update: Time) -> bool {
    event - last_update > Duration::from_millis(MAX.as_millis() * 2)
}

impl Backoff {
    /// The current back-off of `key` (zero when there is none).
    pub fn get(&self, key: &str) -> Duration {
        self.entries.get(key).map(|e| e.backoff).unwrap_or_default()
    }

    /// `Next`: moves the back-off on (10 s the first time, then doubling).
    pub fn next(&mut self, key: &str, now: Time) {
        let e = self
            .entries
            .entry(key.to_string())
            .or_insert(Box::new(Entry {
                backoff: Duration::default(),
                last_update: now,
            }));
        if e.backoff == Duration::default() || expired(now, e.last_update) {
            e.backoff = INITIAL;
        } else {
            e.backoff = Duration::from_millis((e.backoff.as_millis() * 2).min(MAX.as_millis()));
        }
        e.last_update = now;
    }

    /// `IsInBackOffSince`: whether `now` is still within the back-off
    /// counted from `event` (a container's `finishedAt`).
    pub fn in_backoff_since(&self, key: &str, event: Time, now: Time) -> bool {
        match self.entries.get(key) {
            Some(e) if !expired(event, e.last_update) => now - event < e.backoff,
            _ => false,
        }
    }

    /// `IsInBackOffSinceUpdate`: whether `now` is within the back-off
    /// counted from the last `next` (image pulls).
    pub fn in_backoff_since_update(&self, key: &str, now: Time) -> bool {
        match self.entries.get(key) {
            Some(e) if !expired(now, e.last_update) => now - e.last_update < e.backoff,
            _ => false,
        }
    }

    /// When the back-off counted from `event` ends.
    pub fn end_since(&self, key: &str, event: Time) -> Time {
        event + self.get(key)
    }

    /// When the back-off counted from the last update ends.
    pub fn end_since_update(&self, key: &str) -> Option<Time> {
        self.entries.get(key).map(|e| e.last_update + e.backoff)
    }

    pub fn forget(&mut self, key: &str) {
        self.entries.remove(key);
    }

    /// Drops the entries of a pod (its keys start with `prefix`).
    pub fn forget_prefix(&mut self, prefix: &str) {
        self.entries.retain(|k, _| !k.starts_with(prefix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Time {
        Time::EPOCH + Duration::from_secs(s)
    }

    #[test]
    fn doubles_from_ten_seconds_to_five_minutes() {
        let mut b = Backoff::default();
        let mut seen = Vec::new();
        let mut t = 0;
        for _ in 0..8 {
            b.next("c", at(t));
            seen.push(b.get("c").as_secs());
            t += b.get("c").as_secs();
        }
        assert_eq!(seen, vec![10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn in_backoff_counts_from_the_finish() {
        let mut b = Backoff::default();
        assert!(!b.in_backoff_since("c", at(0), at(0)));
        b.next("c", at(0));
        // Finished at 1 s: in back-off until 11 s.
        assert!(b.in_backoff_since("c", at(1), at(10)));
        assert!(!b.in_backoff_since("c", at(1), at(11)));
        assert_eq!(b.end_since("c", at(1)), at(11));
        assert!(b.in_backoff_since_update("c", at(9)));
        assert!(!b.in_backoff_since_update("c", at(10)));
    }

    #[test]
    fn resets_after_twice_the_maximum_untouched() {
        let mut b = Backoff::default();
        for t in [0, 10, 30, 70] {
            b.next("c", at(t));
        }
        assert_eq!(b.get("c").as_secs(), 80);
        b.next("c", at(70 + 601));
        assert_eq!(b.get("c").as_secs(), 10);
    }
}
