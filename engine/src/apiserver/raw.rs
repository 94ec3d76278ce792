//! etcd's own client port, as `etcdctl put/del` reach it on the control
//! plane. These writes bypass every apiserver check — as on a real cluster,
//! where writing etcd directly is possible and dangerous — but they still
//! go through this module, so the apiserver sees them like any change.

use super::ApiServer;

impl ApiServer {
    /// `etcdctl put`.
    pub fn etcd_put(&mut self, key: &str, value: Vec<u8>) -> i64 {
        self.store.put(key, value)
    }

    /// `etcdctl del [--prefix]`: how many keys went.
    pub fn etcd_delete(&mut self, key: &str, prefix: bool) -> usize {
        self.store.delete_range(key, prefix)
    }

    /// `etcdctl compact REV`: the history before `rev` goes. The watch
    /// cache first takes in what the log still holds.
    pub fn etcd_compact(&mut self, rev: i64) -> Result<(), crate::etcd::EtcdError> {
        self.cache.get_mut().catch_up(&self.store);
        self.store.compact(rev)
    }

    /// `etcdutl snapshot restore` + pointing etcd at the restored data: the
    /// whole store replaced.
    pub fn etcd_replace(&mut self, store: crate::etcd::Store) {
        self.store = store;
        // A restored store may sit at any revision: start the cache over.
        self.cache.get_mut().invalidate();
    }
}
