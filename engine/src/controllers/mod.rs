//! kube-controller-manager: one module per controller, each a reconcile
//! function over the apiserver's state wrapped as a [`Component`]. They are
//! level-triggered and idempotent: a sync with nothing to do writes nothing,
//! and each asks to be woken when time alone will change something
//! (minReadySeconds, a progress deadline, a cron schedule, a grace period).
//!
//! [`Component`]: crate::cluster::Component

pub mod daemonset;
pub mod deployment;
pub mod job;
pub mod replicaset;
pub mod util;
