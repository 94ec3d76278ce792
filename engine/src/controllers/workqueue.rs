//! client-go's per-item exponential failure rate limiter, the part of a
//! controller's workqueue that decides when a key whose sync failed (a
//! create refused by admission or a quota) is tried again.
//!
//! A controller's sync that fails puts its key back with
//! `queue.AddRateLimited(key)`: the n-th failure in a row waits
//! `base * 2^(n-1)`, capped at `max`; a success calls `queue.Forget(key)`.
//! Without it a refused create would be retried at every sync, and the
//! cluster would spin on the FailedCreate events it writes. A spec change
//! (a new `metadata.generation`) is an update event, which the real
//! controllers enqueue at once, so it starts a fresh count here too.

use crate::clock::{Duration, Time};
use std::collections::BTreeMap;

/// `NewItemExponentialFailureRateLimiter(base, max)` over object uids.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    base: Duration,
    max: Duration,
    items: crate::maps::BoxedMap<Failures>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    generation: i64,
    count: u32,
    retry_at: Time,
}

impl RateLimiter {
    /// `workqueue.DefaultControllerRateLimiter()`'s per-item part: 5 ms,
    /// doubling, capped at 1000 s (ReplicaSet, DaemonSet, StatefulSet).
    pub fn default_controller() -> Self {
        Self::new(Duration::from_millis(5), Duration::from_secs(1000))
    }

    pub fn new(base: Duration, max: Duration) -> Self {
        RateLimiter {
            base,
            max,
            items: BTreeMap::new(),
        }
    }

    /// When the object may be tried again, if it is still waiting at `now`
    /// (its last sync at this generation failed and the delay has not
    /// passed).
    pub fn waiting(&self, uid: &str, generation: i64, now: Time) -> Option<Time> {
        self.items
            .get(uid)
            .filter(|f| f.generation == generation && now < f.retry_at)
            .map(|f| f.retry_at)
    }

    /// Records a failed sync; returns when to try again.
    pub fn failed(&mut self, uid: &str, generation: i64, now: Time) -> Time {
        let count = self
            .items
            .get(uid)
            .filter(|f| f.generation == generation)
            .map_or(0, |f| f.count)
            .saturating_add(1);
        let factor = 1i64 << count.saturating_sub(1).min(40);
        let delay =
            Duration::from_millis(self.base.as_millis().saturating_mul(factor)).min(self.max);
        let retry_at = now + delay;
        self.items.insert(
            uid.to_string(),
            Box::new(Failures {
                generation,
                count,
                retry_at,
            }),
        );
        retry_at
    }

    /// `queue.Forget`: the object's sync succeeded.
    pub fn forget(&mut self, uid: &str) {
        self.items.remove(uid);
    }

    /// Drops the entries of objects that are gone.
    pub fn retain(&mut self, mut exists: impl FnMut(&str) -> bool) {
        self.items.retain(|uid, _| exists(uid));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_to_the_cap_and_reset_on_success_or_a_new_generation() {
        let mut q = RateLimiter::new(Duration::from_secs(1), Duration::from_secs(60));
        let t0 = Time::EPOCH;
        let mut delays = vec![];
        let mut now = t0;
        for _ in 0..8 {
            let at = q.failed("u", 1, now);
            delays.push((at - now).as_secs());
            assert_eq!(q.waiting("u", 1, now), Some(at));
            now = at;
            assert_eq!(q.waiting("u", 1, now), None);
        }
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60]);
        // A spec change is tried at once and counts from one again.
        assert_eq!(q.waiting("u", 2, t0), None);
        assert_eq!(q.failed("u", 2, now) - now, Duration::from_secs(1));
        q.forget("u");
        assert_eq!(q.failed("u", 2, now) - now, Duration::from_secs(1));
        q.retain(|uid| uid != "u");
        assert_eq!(q.waiting("u", 2, now), None);
    }
}
