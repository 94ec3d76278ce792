//! The volume manager's gate in front of a pod's sandbox: the kubelet's
//! `SyncPod` waits for every volume to be mounted before it asks the
//! runtime for a sandbox or pulls an image. A ConfigMap or Secret that does
//! not exist fails `MountVolume.SetUp`; the reconciler retries with an
//! exponential back-off (500 ms doubling to 2m2s, as in
//! `nestedpendingoperations`), each failure a `FailedMount` event, and the
//! pod stays `ContainerCreating` with nothing pulled. Once the object
//! exists, the next retry mounts it and the pod goes on.

use super::{env, event, Kubelet, Worker, SANDBOX_MS};
use crate::apiserver::ApiServer;
use crate::clock::{Duration, Time};
use crate::events::{Event, EventType};
use serde_json::Value;

/// `initialDurationBeforeRetry`.
const INITIAL_MS: i64 = 500;
/// `maxDurationBeforeRetry`: 2m2s.
const MAX_MS: i64 = 122_000;

/// Where a pod's volumes stand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Mounts {
    pub mounted: bool,
    /// The reconciler's next try after a failure, and the back-off it used.
    next_try: Option<Time>,
    backoff_ms: i64,
}

impl Kubelet {
    /// Whether the pod's volumes are mounted; tries (again) when due.
    pub(super) fn volumes_mounted(
        &mut self,
        w: &mut Worker,
        api: &ApiServer,
        pod: &Value,
        now: Time,
        events: &mut Vec<Event>,
    ) -> bool {
        if w.mounts.mounted {
            return true;
        }
        if let Some(t) = w.mounts.next_try.filter(|t| now < *t) {
            self.wake(t);
            return false;
        }
        match env::volumes(api, pod, &w.uid) {
            Ok(_) => {
                w.mounts.mounted = true;
                if w.mounts.next_try.is_some() {
                    // Mounted late: the sandbox comes after the mount.
                    w.sandbox_at = now + Duration::from_millis(SANDBOX_MS + self.jitter(600));
                }
                true
            }
            Err(msg) => {
                events.push(event(
                    pod,
                    None,
                    false,
                    EventType::Warning,
                    "FailedMount",
                    msg,
                    &self.node,
                ));
                let b = if w.mounts.backoff_ms == 0 {
                    INITIAL_MS
                } else {
                    (w.mounts.backoff_ms * 2).min(MAX_MS)
                };
                w.mounts.backoff_ms = b;
                let next = now + Duration::from_millis(b);
                w.mounts.next_try = Some(next);
                self.wake(next);
                false
            }
        }
    }
}
