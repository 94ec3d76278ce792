//! In test builds, which objects a component reads through the
//! [`ApiServer`](super::ApiServer): the kubelet's idle check counts only
//! the changes of the resources it declares it reads
//! (`kubelet::READS`), and its syncs in every test assert, from this
//! log, that the declaration is complete. Absent from other builds: a
//! read costs nothing to note there.

use std::cell::RefCell;
use std::collections::BTreeSet;

/// One read: the resource's plural, and the object's name for a read of
/// one object (`None` for a list).
pub type Read = (&'static str, Option<String>);

thread_local! {
    static LOG: RefCell<Option<BTreeSet<Read>>> = const { RefCell::new(None) };
}

/// Runs `f`, and returns with its result the reads made while it ran,
/// set aside: a log already open does not get them.
pub fn record<R>(f: impl FnOnce() -> R) -> (R, BTreeSet<Read>) {
    let outer = LOG.with(|l| l.borrow_mut().replace(BTreeSet::new()));
    let r = f();
    let reads = LOG
        .with(|l| std::mem::replace(&mut *l.borrow_mut(), outer))
        .unwrap_or_default();
    (r, reads)
}

/// Notes a read of the resource `plural` (of the object `name`, or a
/// list) if a log is open.
pub(super) fn note(plural: &'static str, name: Option<&str>) {
    LOG.with(|l| {
        if let Some(log) = l.borrow_mut().as_mut() {
            log.insert((plural, name.map(String::from)));
        }
    });
}
